"""Score the enrich stage (quotes, figures, times) on the seed live blogs against the
hand-made gold in tests/gold/seeds_enrich.json.

    python -m bench.seeds_enrich [--seeds ../shared/seeds] [-v]

The gold names seed lines, never text (tests/gold/README.md says how it was made). Each
predicted item is mapped back to the seed line it starts on: offset in `Post.text` ->
paragraph -> the seed line holding that paragraph, searched inside the post's line range
from tests/gold/seeds.json. A prediction matches a gold item on the same line when
  quotes   its span overlaps the gold quote's first words,
  figures  its value equals the gold value within 0.5%,
  times    its span overlaps the gold expression.
Recall counts every gold item; precision counts predictions on the lines the gold covers
(complete seeds, and the covered range of a partial one), times in news posts only.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bench.tally import add_counts
from storyline.model import Document, Post, Quantity

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds_enrich.json"
SPLIT_GOLD = ROOT / "tests" / "gold" / "seeds.json"
CATEGORIES = ("quotes", "figures", "times")
# Two figures are the same value when they differ by at most 0.5% ("$1.7m" vs 1,700,000;
# rounding in "36.6 million" stays well inside it).
VALUE_TOLERANCE = 0.005

# Qualifiers written differently that say the same thing.
_QUALIFIERS = {
    "over": "more than", "more than": "more than", "upwards of": "more than", "in excess of": "more than",
    "above": "more than", "greater than": "more than",
    "around": "about", "approximately": "about", "roughly": "about", "some": "about", "an estimated": "about",
    "estimated": "about", "about": "about", "approx": "about", "circa": "about",
    "as many as": "up to", "up to": "up to",
    "nearly": "almost", "almost": "almost", "close to": "almost", "just under": "almost",
    "under": "fewer than", "less than": "fewer than", "fewer than": "fewer than", "below": "fewer than",
}
_RANGE_WORDS = {"between", "from", "range", "ranging"}
_UNITS = {
    "%": "percent", "per cent": "percent", "pct": "percent", "meter": "metre", "m3": "cubic metre",
    "cubic meter": "cubic metre", "mi": "mile", "hr": "hour", "min": "minute", "yr": "year",
}
_QUOTE_CHARS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


@dataclass(slots=True)
class Located:
    """A predicted item placed on a seed line: `col` is its start column in that line."""

    line: int
    col: int
    item: Any  # Quote, Quantity or TimeRef

    @property
    def length(self) -> int:
        return max(1, len(getattr(self.item, "text", "") or ""))


@dataclass
class Predicted:
    """One seed's predictions, placed on lines; `ignored` counts what scoring leaves out."""

    quotes: list[Located] = field(default_factory=list)
    figures: list[Located] = field(default_factory=list)
    times: list[Located] = field(default_factory=list)
    unmapped: Counter = field(default_factory=Counter)  # items whose paragraph was not found
    ignored: Counter = field(default_factory=Counter)  # times outside news posts


@dataclass
class Tally:
    """Counts for one category; ratios are computed when printed."""

    gold: int = 0
    predicted: int = 0  # predictions on checked lines (the precision denominator)
    true_pos: int = 0  # of those, matched to a gold item
    found: int = 0  # gold items matched (the recall numerator)
    c: Counter = field(default_factory=Counter)  # attribute checks: name -> right, name_n -> checked
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        add_counts(self, other)

    @property
    def precision(self) -> float:
        return self.true_pos / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def ratio(self, name: str) -> float:
        n = self.c[name + "_n"]
        return self.c[name] / n if n else 0.0

    def check(self, name: str, ok: bool) -> None:
        self.c[name + "_n"] += 1
        self.c[name] += bool(ok)


# --- text helpers -------------------------------------------------------------------------

def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _fold(text: str) -> str:
    """Lowercase with curly quotes straightened: same length as the input, for find()."""
    return text.translate(_QUOTE_CHARS).lower()


def _ascii(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _occurrence(line: str, needle: str, k: int) -> int | None:
    """Column of the k-th (0-based) case-insensitive occurrence of needle in line."""
    hay, pin = _fold(line), _fold(needle)
    at = -1
    for _ in range(k + 1):
        at = hay.find(pin, at + 1)
        if at < 0:
            return None
    return at


# --- placing predictions on seed lines ----------------------------------------------------

def post_parts(post: Post) -> list[str]:
    return [post.headline, *post.body] if post.headline else list(post.body)


def paragraph_spans(post: Post) -> list[tuple[int, int]]:
    spans, at = [], 0
    for part in post_parts(post):
        spans.append((at, at + len(part)))
        at += len(part) + 2  # "\n\n" between paragraphs (Post.text)
    return spans


def line_index(lines: list[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for number, text in enumerate(lines, 1):
        if text.strip():
            index.setdefault(_clean(text), []).append(number)
    return index


def gold_post_ranges(gold_posts: list[dict], n_lines: int) -> list[tuple[dict, int, int]]:
    """Each gold post with its line range [first, last]: up to the next post's first line."""
    ordered = sorted(gold_posts, key=lambda g: g["line"])
    out = []
    for i, g in enumerate(ordered):
        end = ordered[i + 1]["line"] - 1 if i + 1 < len(ordered) else n_lines
        out.append((g, g["line"], end))
    return out


def map_paragraphs(post: Post, lines: list[str], index: dict[str, list[int]], lo: int, hi: int) -> list[tuple[int, int] | None]:
    """For each paragraph of the post: (seed line, column where the paragraph starts), or None."""
    placed: list[tuple[int, int] | None] = []
    previous = lo - 1
    for part in post_parts(post):
        key = _clean(part)
        number = None
        in_range = [n for n in index.get(key, []) if lo <= n <= hi]
        after = [n for n in in_range if n > previous]
        if after or in_range:
            number = (after or in_range)[0]
        elif len(key) >= 20:  # a paragraph that is not one whole line: find the line it starts with
            for n in range(max(lo, previous + 1), hi + 1):
                text = _clean(lines[n - 1])
                if text and (key.startswith(text) or text.startswith(key) or key in text):
                    number = n
                    break
        if number is None:
            placed.append(None)
            continue
        raw = lines[number - 1]
        shift = raw.find(part)
        if shift < 0:
            shift = max(0, raw.find(part.strip()[:20]))
        placed.append((number, shift))
        previous = number
    return placed


def _locate(post: Post, spans, placed, offset: int, text: str) -> tuple[int, int] | None:
    for i, (start, end) in enumerate(spans):
        if start <= offset <= end:
            if placed[i] is None:
                return None
            number, shift = placed[i]
            return number, shift + offset - start
    return None


def place(post: Post, lines: list[str], placed, spans, offset: int, text: str) -> tuple[int, int] | None:
    """Seed line and column of an item at `offset` in Post.text, re-found by its text if the
    paragraph's whitespace differs from the line's."""
    at = _locate(post, spans, placed, offset, text)
    if at is None:
        return None
    number, col = at
    raw = lines[number - 1]
    if text and _fold(raw[col : col + len(text)]) != _fold(text):
        hits, k = [], _fold(raw).find(_fold(text))
        while k >= 0:
            hits.append(k)
            k = _fold(raw).find(_fold(text), k + 1)
        if hits:
            col = min(hits, key=lambda h: abs(h - col))
    return number, col


def locate_predictions(posts: list[Post], lines: list[str], gold_posts: list[dict]) -> Predicted:
    """Place every quote, figure and time of the posts on seed lines."""
    index = line_index(lines)
    ranges = gold_post_ranges(gold_posts, len(lines))
    unused = list(ranges)
    out = Predicted()
    for post in posts:
        parts = post_parts(post)
        lead = _clean(parts[0]) if parts else ""
        hit = next((r for r in unused if _clean(lines[r[0]["line"] - 1]) == lead), None)
        if hit is not None:
            unused.remove(hit)
            gold, lo, hi = hit
        else:
            gold, lo, hi = None, 1, len(lines)
        placed = map_paragraphs(post, lines, index, lo, hi)
        spans = paragraph_spans(post)
        news = gold is None or gold["kind"] == "news"
        triples = (("quotes", post.quotes, "start"), ("figures", post.quantities, "start"), ("times", post.times, "offset"))
        for name, items, attr in triples:
            for item in items:
                if name == "times" and not news:
                    out.ignored[name] += 1
                    continue
                at = place(post, lines, placed, spans, getattr(item, attr), item.text or "")
                if at is None:
                    out.unmapped[name] += 1
                else:
                    getattr(out, name).append(Located(at[0], at[1], item))
    return out


# --- scoring -----------------------------------------------------------------------------

def _match(golds: list[dict], preds: list[Located], ok) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, prediction index): same line, ok(), nearest column."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(golds):
        options = [(abs(p.col - g.get("_col", p.col)), pi) for pi, p in enumerate(preds) if pi not in used and p.line == g["line"] and ok(g, p)]
        if options:
            pi = min(options)[1]
            used.add(pi)
            pairs.append((gi, pi))
    return pairs


def _with_columns(golds: list[dict], lines: list[str], key: str) -> list[dict]:
    """Copies of the gold items with `_col`: where `key`'s text starts on the line (the k-th
    time for the k-th item with the same line and text)."""
    seen: Counter = Counter()
    out = []
    for g in golds:
        k = seen[(g["line"], g[key].lower())]
        seen[(g["line"], g[key].lower())] += 1
        col = _occurrence(lines[g["line"] - 1], g[key], k) if lines else None
        out.append({**g, "_col": col if col is not None else 0, "_found": col is not None})
    return out


def _overlaps(g: dict, p: Located, key: str) -> bool:
    if not g["_found"]:
        return True  # no text to place the gold item by: same line is enough
    return p.col < g["_col"] + len(g[key]) and p.col + p.length > g["_col"]


def _name(text: str) -> str:
    text = _ascii(text).lower().replace(".", "").replace("\u2019", "'").strip()
    if text.startswith("the "):
        text = text[4:]
    return " ".join(text.split())


def speaker_right(predicted: str | None, gold: str, aliases: dict[str, list[str]]) -> tuple[bool, bool]:
    """(exact, exact-or-surname): the canonical name, an alias of it, or its last word."""
    if not predicted:
        return False, False
    names = {_name(gold), *(_name(a) for a in aliases.get(gold, []))}
    mine = _name(predicted)
    exact = mine in names
    surname = exact or (mine.split()[-1:] and any(mine.split()[-1] == n.split()[-1] for n in names if n))
    return exact, bool(surname)


def _qualifier(text: str | None) -> str | None:
    """One spelling per meaning; 'thousands' = 'thousands of'; range words are carried by
    `Quantity.high`, not the qualifier."""
    if not text:
        return None
    t = " ".join(text.lower().split())
    t = t[:-3] if t.endswith(" of") else t
    if t in _RANGE_WORDS:
        return None
    return _QUALIFIERS.get(t, t)


def _unit(text: str | None) -> str | None:
    if not text:
        return None
    t = " ".join(text.strip().lower().split())
    t = _UNITS.get(t, t)
    if t.endswith("es") and t[:-2] in ("inch",):
        t = t[:-2]
    elif t.endswith("s") and not t.endswith("ss") and len(t) > 3:
        t = t[:-1]
    t = _UNITS.get(t, t)
    return t


def head_nouns(text: str | None) -> set[str]:
    """Heads of a short noun phrase: the last word before any 'of', singular, lowercase;
    one per conjunct ("men and women" -> {"men", "women"})."""
    if not text:
        return set()
    t = _ascii(text).lower().split(" of ")[0]
    heads = set()
    for part in t.replace(" or ", " and ").split(" and "):
        words = ["".join(ch for ch in w if ch.isalnum()) for w in part.split()]
        words = [w for w in words if w]
        if words:
            heads.add(_singular(words[-1]))
    return heads


def _singular(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def what_right(gold: str, predicted: str | None) -> bool:
    """What is counted: the head nouns share a word ('Russian troops' ~ 'troops')."""
    return bool(head_nouns(gold) & head_nouns(predicted))


def _value_equal(gold: float, value: float | None) -> bool:
    if value is None or not math.isfinite(value):
        return False
    return abs(value - gold) <= VALUE_TOLERANCE * max(abs(gold), 1e-9)


def _figure_matches(g: dict, p: Located) -> bool:
    q: Quantity = p.item
    if _value_equal(g["value"], q.value):
        return True
    vague = (g.get("qualifier") or "").endswith(" of")  # "thousands of": the value is a convention
    return vague and q.value is None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _end_dates(value: Any) -> set[date]:
    """An exclusive end as dates: its day, and the next day when it falls inside a day."""
    day = _as_date(value)
    if day is None:
        return set()
    if isinstance(value, datetime) and value.time() != time(0):
        return {day, day + timedelta(days=1)}
    return {day}


def checked_lines(gold_seed: dict, gold_posts: list[dict]) -> dict[str, set[int]]:
    """Lines where predictions count for precision, per category."""
    span = gold_seed.get("covered")
    lo, hi = (span[0], span[1]) if span else (1, 10**9)
    all_lines: set[int] = set()
    news_lines: set[int] = set()
    for g in gold_posts:
        own = {g["line"], *g["body_lines"]}
        own = {n for n in own if lo <= n <= hi}
        all_lines |= own
        if g["kind"] == "news":
            news_lines |= own
    return {"quotes": all_lines, "figures": all_lines, "times": news_lines}


def score_seed(gold_seed: dict, predicted: Predicted, lines: list[str], checked: dict[str, set[int]],
               aliases: dict[str, list[str]], name: str = "") -> dict[str, Tally]:
    """Score one seed's placed predictions against its gold. `checked` holds, per category,
    the lines where a prediction counts for precision (empty: recall only)."""
    out = {c: Tally() for c in CATEGORIES}

    # quotes
    t = out["quotes"]
    golds = _with_columns(gold_seed["quotes"], lines, "first")
    preds = predicted.quotes
    pairs = _match(golds, preds, lambda g, p: _overlaps(g, p, "first"))
    _count(t, golds, preds, pairs, checked["quotes"], name, "quote", lambda g: g["first"])
    for gi, pi in pairs:
        g, q = golds[gi], preds[pi].item
        if g["speaker"]:
            exact, loose = speaker_right(q.speaker, g["speaker"], aliases)
            t.check("speaker", exact)
            t.check("speaker_surname", loose)
            if not loose:
                t.errors.append(f"{name}:{g['line']}: speaker {q.speaker!r} != {g['speaker']!r}")
        t.check("kind", q.kind == g["kind"])

    # figures
    t = out["figures"]
    golds = list(gold_seed["figures"])
    preds = predicted.figures
    pairs = _match(golds, preds, _figure_matches)
    _count(t, golds, preds, pairs, checked["figures"], name, "figure", lambda g: f"{g['value']:g} {g['what'] or ''}")
    for gi, pi in pairs:
        g, q = golds[gi], preds[pi].item
        units = {_unit(q.unit), _unit(q.currency)} - {None} or {None}
        t.check("unit", _unit(g["unit"]) in units)
        t.check("qualifier", _qualifier(g["qualifier"]) == _qualifier(q.qualifier))
        if g["what"]:
            t.check("what", what_right(g["what"], q.what))
    leaked = 0
    gold_values = {(g["line"], g["value"]) for g in golds}
    for neg in gold_seed.get("negatives", []):
        for p in preds:
            if p.line == neg["line"] and _value_equal(neg["number"], p.item.value) and (p.line, neg["number"]) not in gold_values:
                leaked += 1
                t.errors.append(f"{name}:{neg['line']}: reported non-figure {neg['number']:g}")
    t.c["negatives"] += len(gold_seed.get("negatives", []))
    t.c["leaked"] += leaked

    # times
    t = out["times"]
    golds = _with_columns(gold_seed["times"], lines, "text")
    preds = predicted.times
    pairs = _match(golds, preds, lambda g, p: _overlaps(g, p, "text"))
    _count(t, golds, preds, pairs, checked["times"], name, "time", lambda g: g["text"])
    for gi, pi in pairs:
        g, r = golds[gi], preds[pi].item
        start, end = date.fromisoformat(g["start"]), date.fromisoformat(g["end"])
        start_ok = _as_date(r.start) == start
        t.check("start", start_ok)
        t.check("exact", start_ok and end in _end_dates(r.end))
        t.check("future", bool(r.future) == g["future"])
        if not start_ok:
            t.errors.append(f"{name}:{g['line']}: {g['text']!r} starts {_as_date(r.start)} != {start}")
    return out


def _count(t: Tally, golds, preds, pairs, checked: set[int], name: str, what: str, label) -> None:
    t.gold = len(golds)
    t.found = len(pairs)
    matched = {pi for _gi, pi in pairs}
    on_checked = [pi for pi, p in enumerate(preds) if p.line in checked]
    t.predicted = len(on_checked)
    t.true_pos = sum(pi in matched for pi in on_checked)
    got = {gi for gi, _pi in pairs}
    for gi, g in enumerate(golds):
        if gi not in got:
            t.errors.append(f"{name}:{g['line']}: {what} missed: {label(g)}")
    for pi in on_checked:
        if pi not in matched:
            item = preds[pi].item
            t.errors.append(f"{name}:{preds[pi].line}: extra {what} {getattr(item, 'text', '')[:30]!r}")


# --- running -----------------------------------------------------------------------------

def load_gold(path: Path = GOLD) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def predict(path: Path) -> list[Post]:
    """Parse and enrich one seed with the default pipeline."""
    from storyline.pipeline import default_pipeline
    from storyline.settings import Options

    doc = Document(source=str(path), content=path.read_bytes(), media_type="text/plain")
    return default_pipeline(enrich=True).run(doc, Options()).posts


def run(seeds: Path = SEEDS, gold_path: Path = GOLD, split_gold_path: Path = SPLIT_GOLD):
    """Score every seed of the gold: (totals per category, {seed: totals per category}, Predicted per seed)."""
    gold = load_gold(gold_path)
    split = json.loads(split_gold_path.read_text(encoding="utf-8"))
    aliases = gold.get("aliases", {})
    total = {c: Tally() for c in CATEGORIES}
    per_seed: dict[str, dict[str, Tally]] = {}
    placed: dict[str, Predicted] = {}
    for name, seed in sorted(gold["seeds"].items()):
        path = seeds / name
        lines = path.read_text(encoding="utf-8").split("\n")
        posts_gold = split[name]["posts"]
        predicted = locate_predictions(predict(path), lines, posts_gold)
        checked = checked_lines(seed, posts_gold) if seed.get("complete") or seed.get("covered") else {c: set() for c in CATEGORIES}
        scores = score_seed(seed, predicted, lines, checked, aliases, name[:3])
        per_seed[name] = scores
        placed[name] = predicted
        for c in CATEGORIES:
            total[c].add(scores[c])
    return total, per_seed, placed


def _row(label: str, t: Tally, extra: list[tuple[str, float | int]]) -> str:
    cells = [f"{label:10}", f"{t.gold:5d}", f"{t.predicted:5d}", f"{t.found:5d}", f"{t.precision:6.3f}", f"{t.recall:6.3f}", f"{t.f1:6.3f}"]
    cells += [f"{v:7.3f}" if isinstance(v, float) else f"{v:7d}" for _, v in extra]
    return " ".join(cells)


def report(total: dict[str, Tally], per_seed: dict[str, dict[str, Tally]], placed: dict[str, Predicted] | None = None) -> str:
    columns = {
        "quotes": lambda t: [("speaker", t.ratio("speaker")), ("+surname", t.ratio("speaker_surname")), ("kind", t.ratio("kind"))],
        "figures": lambda t: [("unit", t.ratio("unit")), ("qualif", t.ratio("qualifier")), ("what", t.ratio("what")), ("leaked", t.c["leaked"])],
        "times": lambda t: [("exact", t.ratio("exact")), ("start", t.ratio("start")), ("future", t.ratio("future"))],
    }
    out = []
    for c in CATEGORIES:
        names = [n for n, _ in columns[c](Tally())]
        out.append(f"{c:10} {'gold':>5} {'pred':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6} " + " ".join(f"{n:>7}" for n in names))
        for name, scores in [*per_seed.items(), ("ALL", total)]:
            t = scores[c] if name != "ALL" else total[c]
            out.append(_row(name[:3], t, columns[c](t)))
        out.append("")
    if placed:
        unmapped = sum((p.unmapped for p in placed.values()), Counter())
        ignored = sum((p.ignored for p in placed.values()), Counter())
        out.append(f"not placed on a seed line: {dict(unmapped) or 0}; times outside news posts (not scored): {dict(ignored) or 0}")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=Path, default=SEEDS)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and extra")
    args = ap.parse_args()
    if not args.seeds.is_dir():
        print(f"seeds not found at {args.seeds}: nothing to score")
        return 0
    total, per_seed, placed = run(args.seeds, args.gold)
    print(report(total, per_seed, placed))
    if args.verbose:
        for c in CATEGORIES:
            print("\n".join(total[c].errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
