"""TempEval-3 time expressions: storyline's resolver and finder against the gold TIMEX3.

    python -m bench.tempeval            # platinum-test (the figure to report)
    python -m bench.tempeval --train    # tbaq-train (TimeBank + AQUAINT), for tuning
    python -m bench.tempeval --train --errors 40   # value errors to read (train only)

Data: ../shared/data/tempeval3/ (TimeML .tml; the document creation time is the TIMEX3
with functionInDocument="CREATION_TIME" and is the anchor). Rules are tuned on tbaq-train
ONLY: platinum errors are never printed by this script and were never read to write rules.

Prints (a) value accuracy on the gold extents (`resolve_expression` given the gold words,
their sentence and the DCT); (b) end to end, `find_times` over each document's text:
extent strict and relaxed P/R/F1 and value F1 the TempEval-3 way (a gold TIMEX counts when
a predicted one overlaps it and the values are equal; P = correct / predicted, R = correct /
gold), beside the published HeidelTime 77.61 and SUTime 67.38; (c) dateparser on the same
gold extents (RELATIVE_BASE = DCT, PREFER_DATES_FROM = current_period), its date written at
the granularity of the gold value (generous to it: it is told the granularity), scored as
value accuracy, with how many it could not parse; and expressions per second for both.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from storyline.enrich.text import PostText, split_sentences
from storyline.enrich.times import find_times, resolve_expression

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "tempeval3"
PUBLISHED = {"HeidelTime": 77.61, "SUTime": 67.38}  # TempEval-3 task A value F1, platinum

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>|([^<]+)")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Timex:
    start: int
    end: int
    text: str
    value: str
    type: str


@dataclass
class TmlDoc:
    name: str
    dct: datetime
    day_only: bool
    text: str
    timexes: list[Timex]


def parse_tml(path: Path) -> TmlDoc:
    raw = path.read_text(encoding="utf-8")
    dct_tag = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    dct_value = dict(_ATTR.findall(dct_tag.group(0)))["value"] if dct_tag else "2000-01-01"
    day_only = "T" not in dct_value
    dct = datetime.fromisoformat(dct_value[:16] if not day_only else dct_value[:10]).replace(tzinfo=timezone.utc)
    body = raw[raw.index("<TEXT>") + len("<TEXT>"): raw.index("</TEXT>")]
    parts: list[str] = []
    timexes: list[Timex] = []
    at, opened = 0, None
    for m in _TAG.finditer(body):
        if m.group(4) is not None:
            piece = html.unescape(m.group(4))
            parts.append(piece)
            at += len(piece)
        elif m.group(2) == "TIMEX3":
            if m.group(1) and opened:
                timexes.append(Timex(opened[0], at, "", opened[1].get("value", ""), opened[1].get("type", "")))
                opened = None
            elif not m.group(1):
                opened = (at, dict(_ATTR.findall(m.group(3))))
    text = "".join(parts)
    for t in timexes:
        t.text = text[t.start:t.end]
    return TmlDoc(path.name, dct, day_only, text, timexes)


def load(split: str) -> list[TmlDoc]:
    return [parse_tml(p) for p in sorted((DATA / split).rglob("*.tml"))]


def _sentence_around(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> tuple[str, str]:
    for s, e in spans:
        if s <= start < e or s <= start <= e and end <= e:
            return text[s:start], text[end:max(e, end)]
    return text[max(0, start - 200):start], text[end:end + 120]


def _prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_values(docs: list[TmlDoc], errors: list | None = None) -> tuple[int, int, float]:
    """(correct, total, seconds) of `resolve_expression` on the gold extents."""
    correct = total = 0
    spent = 0.0
    for doc in docs:
        spans = split_sentences(doc.text)
        for t in doc.timexes:
            before, after = _sentence_around(doc.text, t.start, t.end, spans)
            t0 = time.perf_counter()
            ref = resolve_expression(t.text, doc.dct, before, after, "document", doc.day_only)
            spent += time.perf_counter() - t0
            total += 1
            got = ref.value if ref else None
            if got == t.value:
                correct += 1
            elif errors is not None:
                errors.append((doc.name, doc.dct.date().isoformat(), t.text, t.value, got, before[-60:], after[:40]))
    return correct, total, spent


@dataclass
class EndToEnd:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    seconds: float = 0.0
    words: int = 0


def score_end_to_end(docs: list[TmlDoc], errors: list | None = None) -> EndToEnd:
    s = EndToEnd()
    for doc in docs:
        pt = PostText(doc.text, [(0, len(doc.text))], False, doc.dct, doc.day_only)
        t0 = time.perf_counter()
        found = find_times(pt)
        s.seconds += time.perf_counter() - t0
        s.words += len(doc.text.split())
        spans = [(f.offset, f.offset + len(f.text), f.value) for f in found]
        s.gold += len(doc.timexes)
        s.predicted += len(spans)
        used: set[int] = set()
        for g in doc.timexes:
            hit = next((i for i, (a, b, _v) in enumerate(spans) if i not in used and a < g.end and g.start < b), None)
            if hit is None:
                if errors is not None:
                    errors.append((doc.name, "MISSED", g.text, g.value, None, doc.text[max(0, g.start - 60):g.start], ""))
                continue
            used.add(hit)
            a, b, v = spans[hit]
            s.relaxed += 1
            s.strict += (a, b) == (g.start, g.end)
            s.value += v == g.value
        if errors is not None:
            for i, (a, b, v) in enumerate(spans):
                if i not in used:
                    errors.append((doc.name, "SPURIOUS", doc.text[a:b], None, v, doc.text[max(0, a - 60):a], ""))
    return s


_GRANULARITY = [
    (re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d"), "%Y-%m-%dT%H:%M"),
    (re.compile(r"^\d{4}-\d\d-\d\dT\d\d$"), "%Y-%m-%dT%H"),
    (re.compile(r"^\d{4}-\d\d-\d\d$"), "%Y-%m-%d"),
    (re.compile(r"^\d{4}-W\d\d$"), "%G-W%V"),
    (re.compile(r"^\d{4}-\d\d$"), "%Y-%m"),
    (re.compile(r"^\d{4}$"), "%Y"),
]


def score_dateparser(docs: list[TmlDoc]) -> tuple[int, int, int, float] | None:
    """(correct, total, unparsed, seconds) of dateparser on the gold extents."""
    try:
        import dateparser
    except ImportError:
        return None
    warnings.filterwarnings("ignore")
    correct = total = unparsed = 0
    spent = 0.0
    for doc in docs:
        base = doc.dct.replace(tzinfo=None)
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period"}
        for t in doc.timexes:
            total += 1
            t0 = time.perf_counter()
            try:
                got = dateparser.parse(t.text, settings=settings)
            except Exception:
                got = None
            spent += time.perf_counter() - t0
            if got is None:
                unparsed += 1
                continue
            fmt = next((f for rx, f in _GRANULARITY if rx.match(t.value)), None)
            if fmt and got.strftime(fmt) == t.value:
                correct += 1
    return correct, total, unparsed, spent


def run(split: str, errors: int = 0, peer: bool = True, out=sys.stdout) -> dict:
    docs = load(split)
    n_docs, n_gold = len(docs), sum(len(d.timexes) for d in docs)
    print(f"TempEval-3 {split}: {n_docs} documents, {n_gold} gold TIMEX3", file=out)
    value_errors: list | None = [] if errors else None
    correct, total, spent = score_values(docs, value_errors)
    print(f"(a) value accuracy on gold extents: {100 * correct / total:.2f}% ({correct}/{total}), "
          f"{total / spent:,.0f} expressions/s", file=out)
    e2e_errors: list | None = [] if errors else None
    e = score_end_to_end(docs, e2e_errors)
    sp, sr, sf = _prf(e.strict, e.predicted, e.gold)
    rp, rr, rf = _prf(e.relaxed, e.predicted, e.gold)
    vp, vr, vf = _prf(e.value, e.predicted, e.gold)
    print(f"(b) end to end ({e.predicted} predicted, {e.words / e.seconds:,.0f} words/s):", file=out)
    print(f"    extent strict   P {100 * sp:.2f}  R {100 * sr:.2f}  F1 {100 * sf:.2f}", file=out)
    print(f"    extent relaxed  P {100 * rp:.2f}  R {100 * rr:.2f}  F1 {100 * rf:.2f}", file=out)
    print(f"    value           P {100 * vp:.2f}  R {100 * vr:.2f}  F1 {100 * vf:.2f}   "
          + "  ".join(f"{k} {v}" for k, v in PUBLISHED.items()) + " (published, platinum)", file=out)
    result = {"value_accuracy": correct / total, "value_f1": vf, "strict_f1": sf, "relaxed_f1": rf}
    if peer:
        dp = score_dateparser(docs)
        if dp is None:
            print("(c) dateparser: not installed", file=out)
        else:
            dc, dt, du, ds = dp
            print(f"(c) dateparser on gold extents: value accuracy {100 * dc / dt:.2f}% ({dc}/{dt}), "
                  f"unparsed {du}, {dt / ds:,.0f} expressions/s  | ours {100 * correct / total:.2f}%, "
                  f"{total / spent:,.0f} expressions/s", file=out)
            result["dateparser_accuracy"] = dc / dt
    if errors:
        for row in (value_errors or [])[:errors]:
            print("VALUE", *row, sep=" | ", file=out)
        for row in (e2e_errors or [])[:errors]:
            print("E2E", *row, sep=" | ", file=out)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", action="store_true", help="score tbaq-train (for tuning) instead of platinum-test")
    ap.add_argument("--errors", type=int, default=0, help="print this many errors (only with --train)")
    ap.add_argument("--no-peer", action="store_true", help="skip dateparser")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"TempEval-3 data not found at {DATA}; nothing to score")
        return 0
    if args.errors and not args.train:
        print("--errors is only for --train: rules are never tuned on platinum-test")
        return 2
    run("tbaq-train" if args.train else "platinum-test", args.errors, not args.no_peer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
