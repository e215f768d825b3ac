"""Parse and ingest throughput, memory, and post recovery on the UKP Live Blog Corpus.

    python -m bench.ukp_throughput [--limit N] [--forms jsonld,text,dom]   # from the repo root
                                   [--ingest-form jsonld] [--no-trace]

Every blog of ../shared/data/liveblogs-ukp (guardian-test: 340 blogs, bbc-test: 200;
~33k posts) is rendered by tests/render.py into each page form, then, pinned to one core:

- parse: the default pipeline over every page of a form; posts/s counts rendered posts;
- ingest: parse + `Store.save` into a fresh SQLite database in a temp dir;
- memory: the process's peak RSS (getrusage; it includes the corpus and the rendered
  pages held in memory) and tracemalloc's peak during a second, traced parse pass (Python
  allocations only, not lxml's C heap; tracing slows Python down, so it is never timed);
- recovery: how many rendered posts come back (found by their headline or one of their
  first paragraphs, in page order), with the exact headline, instant and body.

The UKP text is lower-cased and tokenised ("it 's been a packed day ."), headlines too:
in plain text a lower-case headline reads as a paragraph, so headline recovery there is
reported per form and is expected to be low. The corpus gives sentences, not paragraphs:
each sentence is rendered as a paragraph of its own. Post times: the Guardian's are UTC
minutes; the BBC's are London wall times ("17:48") dated by the post's block id (a
MongoDB ObjectId that embeds its creation time), else like the post before it, else by
the blog's title or summary date. Posts with no text (embeds) are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.tally import add_counts
from storyline.errors import StorylineError
from storyline.model import Document, Parsed
from storyline.pipeline import Pipeline, default_pipeline
from storyline.settings import Options
from tests.render import MEDIA_TYPES, RENDERERS, LiveBlogSpec, PostSpec

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "liveblogs-ukp"
# Sub-corpus -> outlet. Both are British outlets printing London times.
COLLECTIONS = {"guardian-test": "The Guardian", "bbc-test": "BBC"}
LONDON = ZoneInfo("Europe/London")

# Targets from the design: a laptop parses a day's coverage of many outlets in seconds.
PARSE_TARGET = 2_000  # posts/s, one core
INGEST_TARGET = 1_000  # posts/s, one core, parse + save to SQLite

_TITLE_DATE = re.compile(
    r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\b",
    re.I,
)
# BBC posts whose day the corpus does not give (no date in the title or summary, no block
# ids) are put on this day: recovery is scored against what was rendered, so any day serves.
UNDATED_DAY = date(2017, 1, 2)
# A rendered post is found by any of its first paragraphs: enough to survive one dropped
# line, few enough that two posts rarely share one.
MATCH_PARAGRAPHS = 3
_OBJECT_ID = re.compile(r"\b(?:post_|block-)?([0-9a-f]{24})\b")


# -- the corpus as specs -----------------------------------------------------------------


def _unmangle(text: str) -> str:
    """Undo the corpus's UTF-8-read-as-Latin-1 titles ('â\\x80\\x93' -> '–')."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _title_day(text: str) -> date | None:
    m = _TITLE_DATE.search(text)
    return datetime.strptime(" ".join(m.groups()), "%d %B %Y").date() if m else None


def _object_id_day(block_id: str | None) -> date | None:
    m = _OBJECT_ID.search(block_id or "")
    if not m:
        return None
    return datetime.fromtimestamp(int(m.group(1)[:8], 16), timezone.utc).astimezone(LONDON).date()


def _blog_day(data: dict, title: str) -> date | None:
    """The day a BBC blog's first posts belong to: its title's date, a date in its summary
    ('monday 20 november 2017 .'), else the commonest block-id day of its posts."""
    for text in [title, *(data.get("summary") or [])]:
        if day := _title_day(text):
            return day
    days = Counter(d for doc in data.get("documents", []) if (d := _object_id_day(doc.get("block_id"))))
    return days.most_common(1)[0][0] if days else None


def _published(doc: dict, fallback_day: date) -> datetime | None:
    stamp = doc.get("time")
    if isinstance(stamp, list) and len(stamp) == 5:  # Guardian: [y, m, d, H, M] in UTC
        return datetime(*stamp, tzinfo=timezone.utc).astimezone(LONDON)
    if isinstance(stamp, str) and re.fullmatch(r"\d\d:\d\d", stamp):  # BBC: London wall time
        day = _object_id_day(doc.get("block_id")) or fallback_day
        hour, minute = map(int, stamp.split(":"))
        if hour > 23 or minute > 59:  # a few corrupt stamps ("55:78")
            return None
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
    return None


@dataclass
class Corpus:
    specs: list[LiveBlogSpec] = field(default_factory=list)
    skipped_posts: int = 0  # no text (embeds), a corrupt time, or in a blog of under 2 posts
    undated_blogs: int = 0  # blogs put on UNDATED_DAY


@dataclass
class _Converted:
    spec: LiveBlogSpec | None
    skipped: int
    undated: bool


def spec_from_ukp(data: dict, outlet: str) -> _Converted:
    """One corpus blog as a spec, posts in corpus order (the page's)."""
    title = _unmangle(data.get("title") or "").strip()
    blog_day = _blog_day(data, title)
    day = blog_day or UNDATED_DAY
    posts: list[PostSpec] = []
    skipped = 0
    for doc in data.get("documents", []):
        paragraphs = [s.strip() for s in doc.get("text") or [] if s and s.strip()]
        headline = (doc.get("title") or "").strip()
        when = _published(doc, day)
        if when is None or not (headline or paragraphs):
            skipped += 1
            continue
        day = when.date()
        posts.append(PostSpec(headline, paragraphs, when))
    if len(posts) < 2:
        return _Converted(None, skipped + len(posts), False)
    spec = LiveBlogSpec(
        title=title, outlet=outlet, url=data.get("url") or "",
        day=max(p.published for p in posts).date(),
        key_points=[s.strip() for s in data.get("summary") or [] if s.strip()], posts=posts,
    )
    undated = blog_day is None and any(isinstance(d.get("time"), str) for d in data.get("documents", []))
    return _Converted(spec, skipped, undated)


def corpus_files(root: Path = CORPUS, limit: int | None = None) -> list[tuple[Path, str]]:
    """The corpus files, alternating between collections so a small limit samples both."""
    lists = [[(p, outlet) for p in sorted((root / name).glob("*.json"))] for name, outlet in COLLECTIONS.items()]
    mixed = [item for group in _interleave(lists) for item in group]
    return mixed[:limit] if limit else mixed


def _interleave(lists: list[list[tuple[Path, str]]]) -> list[list[tuple[Path, str]]]:
    longest = max((len(x) for x in lists), default=0)
    return [[x[i] for x in lists if i < len(x)] for i in range(longest)]


def load_corpus(root: Path = CORPUS, limit: int | None = None) -> Corpus:
    corpus = Corpus()
    for path, outlet in corpus_files(root, limit):
        converted = spec_from_ukp(json.loads(path.read_text(encoding="utf-8")), outlet)
        corpus.skipped_posts += converted.skipped
        corpus.undated_blogs += converted.undated
        if converted.spec is not None:
            corpus.specs.append(converted.spec)
    return corpus


def render_pages(specs: list[LiveBlogSpec], form: str) -> list[Document]:
    media_type = MEDIA_TYPES[form]
    render = RENDERERS[form]
    return [
        Document(source=f"{spec.url or 'ukp'}#{form}", content=render(spec).encode("utf-8"), media_type=media_type)
        for spec in specs
    ]


# -- recovery ----------------------------------------------------------------------------


@dataclass
class Recovery:
    rendered: int = 0
    parsed: int = 0
    found: int = 0  # rendered posts found among the parsed ones, in page order
    with_headline: int = 0  # rendered posts that have a headline
    headline_exact: int = 0  # ... found with exactly that headline
    found_headless: int = 0  # found posts rendered without a headline
    headless_ok: int = 0  # ... parsed without one either
    time_exact: int = 0  # found posts with the same instant
    body_exact: int = 0  # found posts with exactly the rendered paragraphs
    body_or_headline: int = 0  # ... or with the headline read as the first paragraph
    failed_blogs: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: "Recovery") -> None:
        add_counts(self, other)

    @property
    def recall(self) -> float:
        return self.found / self.rendered if self.rendered else 0.0

    @property
    def precision(self) -> float:
        return self.found / self.parsed if self.parsed else 0.0

    @property
    def headline_rate(self) -> float:
        return self.headline_exact / self.with_headline if self.with_headline else 1.0

    @property
    def headless_rate(self) -> float:
        return self.headless_ok / self.found_headless if self.found_headless else 1.0

    def rate(self, name: str) -> float:
        return getattr(self, name) / self.found if self.found else 0.0


def _utc(when: datetime | None) -> datetime | None:
    return when.astimezone(timezone.utc) if when is not None else None


def score_recovery(spec: LiveBlogSpec, parsed: Parsed | None) -> Recovery:
    """Match each rendered post to the next parsed one, in page order, that holds one of
    its first paragraphs or its headline as a headline or paragraph (a first line dropped
    as boilerplate still leaves the post findable; one lost post does not misalign the rest)."""
    score = Recovery(rendered=len(spec.posts), with_headline=sum(1 for p in spec.posts if p.headline))
    if parsed is None:
        score.failed_blogs = 1
        return score
    score.parsed = len(parsed.posts)
    texts = [{p.headline, *p.body} for p in parsed.posts]
    start = 0
    for want in spec.posts:
        anchors = [t for t in [*want.paragraphs[:MATCH_PARAGRAPHS], want.headline] if t]
        at = next((i for i in range(start, len(texts)) if any(a in texts[i] for a in anchors)), None)
        if at is None:
            continue
        start = at + 1
        got = parsed.posts[at]
        score.found += 1
        if want.headline:
            score.headline_exact += got.headline == want.headline
        else:
            score.found_headless += 1
            score.headless_ok += got.headline == ""
        score.time_exact += _utc(got.published) == _utc(want.published)
        score.body_exact += got.body == want.paragraphs
        score.body_or_headline += got.body == want.paragraphs or (
            bool(want.headline) and not got.headline and got.body == [want.headline, *want.paragraphs]
        )
    return score


# -- measurements ------------------------------------------------------------------------


@dataclass
class FormResult:
    form: str
    blogs: int
    posts: int  # rendered posts
    seconds: float
    recovery: Recovery
    traced_peak: int | None = None  # bytes

    @property
    def posts_per_second(self) -> float:
        return self.posts / self.seconds if self.seconds else 0.0


def measure_parse(specs: list[LiveBlogSpec], form: str, *, trace: bool = False,
                  pipeline: Pipeline | None = None) -> FormResult:
    """Time the pipeline over every page of one form; score recovery outside the clock."""
    pipeline = pipeline or default_pipeline()
    options = Options()
    documents = render_pages(specs, form)
    recovery = Recovery()
    seconds = 0.0
    for spec, document in zip(specs, documents):
        started = time.perf_counter()
        try:
            parsed: Parsed | None = pipeline.run(document, options)
        except StorylineError as exc:
            parsed = None
            recovery.failures.append(f"{form} {spec.url}: {exc}")
        seconds += time.perf_counter() - started
        recovery.add(score_recovery(spec, parsed))
    result = FormResult(form, len(specs), sum(len(s.posts) for s in specs), seconds, recovery)
    if trace:
        result.traced_peak = traced_parse_peak(documents, pipeline, options)
    return result


def traced_parse_peak(documents: list[Document], pipeline: Pipeline, options: Options) -> int:
    """tracemalloc's peak over the parse loop (pages are rendered before tracing starts)."""
    tracemalloc.start()
    try:
        for document in documents:
            try:
                pipeline.run(document, options)
            except StorylineError:
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@dataclass
class IngestResult:
    form: str
    posts: int  # rendered posts
    saved: int  # posts the store holds afterwards
    seconds: float
    failures: list[str] = field(default_factory=list)

    @property
    def posts_per_second(self) -> float:
        return self.posts / self.seconds if self.seconds else 0.0


def measure_ingest(specs: list[LiveBlogSpec], form: str = "jsonld") -> IngestResult:
    """Parse and save every page into a fresh SQLite database in a temp dir."""
    from storyline.store import open_store

    pipeline = default_pipeline()
    options = Options()
    documents = render_pages(specs, form)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="storyline-ukp-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'ukp.db'}")
        try:
            started = time.perf_counter()
            for document in documents:
                try:
                    store.save(pipeline.run(document, options))
                except StorylineError as exc:
                    failures.append(f"ingest {document.source}: {exc}")
            seconds = time.perf_counter() - started
            saved = store.counts()["posts"]
        finally:
            store.close()
    return IngestResult(form, sum(len(s.posts) for s in specs), saved, seconds, failures)


def pin_to_one_core() -> str:
    """Run on one CPU so figures compare across machines with different core counts."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# -- report ------------------------------------------------------------------------------


def _verdict(value: float, target: float) -> str:
    return "PASS" if value >= target else "FAIL"


def report(corpus: Corpus, parses: list[FormResult], ingest: IngestResult | None, pinned: str) -> tuple[str, bool]:
    lines = []
    ok = True
    posts = sum(len(s.posts) for s in corpus.specs)
    lines.append(f"UKP live blogs: {len(corpus.specs)} blogs, {posts} posts rendered; {pinned}")
    lines.append(f"({corpus.skipped_posts} corpus posts skipped: no text, a corrupt time, or a blog of under 2 posts; "
                 f"{corpus.undated_blogs} BBC blogs with no known day put on {UNDATED_DAY})")
    lines.append("")
    lines.append(f"{'measure':<34}{'value':>14}{'target':>12}  verdict")
    lines.append("-" * 68)
    for r in parses:
        verdict = _verdict(r.posts_per_second, PARSE_TARGET)
        ok &= verdict == "PASS"
        lines.append(f"{'parse ' + r.form + ' (posts/s)':<34}{r.posts_per_second:>14,.0f}{PARSE_TARGET:>12,}  {verdict}")
    if ingest is not None:
        verdict = _verdict(ingest.posts_per_second, INGEST_TARGET)
        ok &= verdict == "PASS" and not ingest.failures
        lines.append(f"{'ingest ' + ingest.form + ' to SQLite (posts/s)':<34}{ingest.posts_per_second:>14,.0f}"
                     f"{INGEST_TARGET:>12,}  {verdict}")
    for r in parses:
        if r.traced_peak is not None:
            lines.append(f"{'tracemalloc peak, ' + r.form + ' (MB)':<34}{r.traced_peak / 2**20:>14,.1f}")
    lines.append(f"{'peak RSS, whole run (MB)':<34}{max_rss_mb():>14,.1f}")
    lines.append("")
    lines.append(f"{'recovery':<12}{'blogs':>6}{'failed':>7}{'rendered':>9}{'parsed':>8}{'recall':>8}"
                 f"{'prec.':>8}{'headline':>9}{'no-head':>8}{'time':>7}{'body':>7}{'body+h':>7}{'sec':>7}")
    lines.append("-" * 102)
    for r in parses:
        c = r.recovery
        lines.append(
            f"{r.form:<12}{r.blogs:>6}{c.failed_blogs:>7}{c.rendered:>9}{c.parsed:>8}{c.recall:>8.2%}"
            f"{c.precision:>8.2%}{c.headline_rate:>9.1%}{c.headless_rate:>8.1%}{c.rate('time_exact'):>7.1%}"
            f"{c.rate('body_exact'):>7.1%}{c.rate('body_or_headline'):>7.1%}{r.seconds:>7.1f}"
        )
    lines.append("")
    lines.append("recall: rendered posts found (by headline or a first paragraph, in page order); prec.: parsed posts that")
    lines.append("are rendered ones; headline: exact headline, over rendered posts with one; no-head: found")
    lines.append("headline-less posts parsed without one; time, body: exact, over found posts; body+h: body")
    lines.append("exact, or exact with the headline read as its first paragraph (lower-case headlines in text).")
    if ingest is not None:
        lines.append(f"ingest: {ingest.saved} posts stored of {ingest.posts} rendered, {ingest.seconds:.1f} s, "
                     f"{len(ingest.failures)} failed pages")
    failures = [f for r in parses for f in r.recovery.failures] + (ingest.failures if ingest else [])
    if failures:
        lines.append(f"{len(failures)} failed pages; first ones:")
        lines.extend("  " + f[:200] for f in failures[:8])
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="blogs to use (default: all)")
    parser.add_argument("--forms", default="jsonld,text,dom", help="page forms to parse: jsonld,text,dom")
    parser.add_argument("--ingest-form", default="jsonld", help="page form to ingest ('none' to skip)")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    forms = [f.strip() for f in args.forms.split(",") if f.strip()]
    unknown = [f for f in forms + [args.ingest_form] if f not in RENDERERS and f != "none"]
    if unknown:
        parser.error(f"unknown form(s) {unknown}; known: {sorted(RENDERERS)}")
    if not args.corpus.is_dir():
        print(f"UKP corpus not found at {args.corpus}; nothing to measure.")
        return 0
    pinned = pin_to_one_core()
    corpus = load_corpus(args.corpus, args.limit)
    parses = [measure_parse(corpus.specs, form, trace=not args.no_trace) for form in forms]
    ingest = measure_ingest(corpus.specs, args.ingest_form) if args.ingest_form != "none" else None
    text, ok = report(corpus, parses, ingest, pinned)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
