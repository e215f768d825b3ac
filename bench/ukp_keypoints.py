"""Key points on the UKP Live Blog Corpus: ROUGE against the journalists' summaries, and
on the Guardian the key-event posts picked; LexRank, TextRank and lead baselines beside.

    python -m bench.ukp_keypoints [--limit N] [--enrich]      # from the repo root

For each blog of ../shared/data/liveblogs-ukp (guardian-test + bbc-test; a blog is about a
day), every system writes key points from all its posts, the concatenation is cut to the
gold summary's word count, and ROUGE-1/2/L F is scored against the summary
(`rouge-score`, Porter stemming on, stopwords kept), averaged over blogs.

Systems: storyline (`storyline.assemble.brief.key_points`, posts' kinds from the
splitter's `post_kind`; `--enrich` runs the enrich stage first so quotes, figures and
events weigh in); LexRank and TextRank from `sumy` (its own stemmer and stop words; the
corpus is already tokenised, so sentences are the corpus's and words split on spaces:
no NLTK data is needed); lead baselines: the first sentence (headline, else first
paragraph) of each post, newest posts first or oldest first.

Key events (Guardian only): the raw JSON's `summary_block.key_events` names the blocks the
Guardian marked as key events. Each system picks k posts (k = the blog's labelled count):
storyline the source posts of its first k bullets, LexRank/TextRank the posts of their
best sentences, leads the k newest/oldest posts; precision and recall are micro-averaged.
The row "key-event headlines" is not a system: it is the labelled posts' own headlines,
to show how close the Guardian's summary is to them.

The UKP text is lower-cased and tokenised ("it 's been a packed day ."): NER and quote
rules see no capitals, so `--enrich` adds little here.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from bench.ukp_throughput import CORPUS, corpus_files, spec_from_ukp
from storyline.assemble.brief import key_points
from storyline.model import Post
from storyline.split.kinds import post_kind


@dataclass
class Blog:
    outlet: str
    posts: list[Post]
    summary: list[str]
    key_events: set[str] = field(default_factory=set)  # post ids labelled key events
    key_event_headlines: list[str] = field(default_factory=list)

    @property
    def gold_words(self) -> int:
        return sum(len(s.split()) for s in self.summary)


def _doc_text(doc: dict) -> tuple[str, list[str]]:
    return (doc.get("title") or "").strip(), [s.strip() for s in doc.get("text") or [] if s and s.strip()]


def load_blogs(root: Path = CORPUS, limit: int | None = None) -> list[Blog]:
    """The corpus's blogs with a summary, as Posts carrying the corpus block ids."""
    blogs = []
    for b, (path, outlet) in enumerate(corpus_files(root, limit)):
        data = json.loads(path.read_text(encoding="utf-8"))
        spec = spec_from_ukp(data, outlet).spec
        if spec is None or not spec.key_points:
            continue
        docs = iter(data.get("documents", []))
        posts = []
        for i, want in enumerate(spec.posts):  # spec posts are corpus documents in order, some skipped
            block = next((d.get("block_id") for d in docs if _doc_text(d) == (want.headline, want.paragraphs)), None)
            posts.append(Post(
                id=block or f"b{b}p{i}", blog_id=f"b{b}", position=i, headline=want.headline,
                body=list(want.paragraphs), kind=post_kind(want.headline, want.paragraphs, [], []),
                published=want.published, precision="minute", day=want.published.date(),
            ))
        events = (data.get("summary_block") or {}).get("key_events") or []
        ids = {p.id for p in posts}
        blogs.append(Blog(
            outlet, posts, spec.key_points,
            key_events={e["block"] for e in events if e.get("block") in ids},
            key_event_headlines=[(e.get("text") or "").strip().split("\n")[-1].lower() for e in events],
        ))
    return blogs


# -- systems: each returns (text in rank order, source post ids in rank order) -----------

Ranked = list[tuple[str, str]]  # (text, post id), best first


def storyline_system(blog: Blog, max_points: int, max_words: int | None) -> Ranked:
    points = key_points([(p, blog.outlet) for p in blog.posts], max_points=max_points, max_words=max_words)
    return [(p.text, p.post_ids[0]) for p in points]


def _first_sentence(post: Post) -> str:
    return post.headline or (post.body[0] if post.body else "")


def lead_system(newest_first: bool) -> Callable[[Blog, int, int | None], Ranked]:
    def run(blog: Blog, max_points: int, max_words: int | None) -> Ranked:
        posts = sorted(blog.posts, key=lambda p: (p.published, -p.position), reverse=newest_first)
        return [(_first_sentence(p), p.id) for p in posts if _first_sentence(p)]
    return run


def _blog_sentences(blog: Blog) -> tuple[list[str], list[str]]:
    """Every headline and paragraph (the corpus's sentences) of a blog, with its post id."""
    owners, sentences = [], []
    for post in blog.posts:
        for text in ([post.headline] if post.headline else []) + post.body:
            owners.append(post.id)
            sentences.append(text)
    return sentences, owners


def headlines_system(blog: Blog, max_points: int, max_words: int | None) -> Ranked:
    """Headlined posts only, newest first: what an outlet's own headlines give for free."""
    posts = sorted((p for p in blog.posts if p.headline), key=lambda p: (p.published, -p.position), reverse=True)
    return [(p.headline, p.id) for p in posts]


class _Terms:
    """Porter-stemmed words without stop words, as both graph peers read sentences."""

    def __init__(self) -> None:
        from nltk.stem.porter import PorterStemmer
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        self.stem = PorterStemmer().stem
        self.stop = ENGLISH_STOP_WORDS

    def __call__(self, sentence: str) -> list[str]:
        return [self.stem(w) for w in sentence.split() if w.isalnum() and w not in self.stop]


def _pagerank(weights: np.ndarray, damping: float = 0.85, iterations: int = 100) -> np.ndarray:
    n = len(weights)
    sums = weights.sum(axis=1, keepdims=True)
    transition = np.divide(weights, sums, out=np.full_like(weights, 1.0 / n), where=sums > 0)
    scores = np.full(n, 1.0 / n)
    for _ in range(iterations):
        updated = (1 - damping) / n + damping * transition.T @ scores
        if np.abs(updated - scores).sum() < 1e-10:
            return updated
        scores = updated
    return scores


def graph_system(name: str) -> Callable[[Blog, int, int | None], Ranked]:
    """Plain LexRank (Erkan & Radev 2004: TF-IDF cosine, edges above 0.1, degree-normalised,
    PageRank with damping 0.85) or TextRank (Mihalcea & Tarau 2004: shared words over
    log|Si| + log|Sj|, weighted PageRank, damping 0.85), over every sentence of the blog."""
    terms = _Terms()

    def run(blog: Blog, max_points: int, max_words: int | None) -> Ranked:
        sentences, owners = _blog_sentences(blog)
        if not sentences:
            return []
        bags = [terms(s) for s in sentences]
        vocab = {t: i for i, t in enumerate(sorted({t for bag in bags for t in bag}))}
        counts = np.zeros((len(bags), max(len(vocab), 1)))
        for row, bag in enumerate(bags):
            for t in bag:
                counts[row, vocab[t]] += 1
        if name == "lexrank":
            df = (counts > 0).sum(axis=0)
            tfidf = counts * np.log(len(bags) / np.maximum(df, 1))
            norms = np.linalg.norm(tfidf, axis=1, keepdims=True)
            unit = np.divide(tfidf, norms, out=np.zeros_like(tfidf), where=norms > 0)
            weights = (unit @ unit.T > 0.1).astype(float)
        else:
            binary = (counts > 0).astype(float)
            sizes = binary.sum(axis=1)
            logs = np.log(np.maximum(sizes, 1))
            denominator = logs[:, None] + logs[None, :]
            weights = np.divide(binary @ binary.T, denominator, out=np.zeros((len(bags), len(bags))), where=denominator > 0)
        np.fill_diagonal(weights, 0.0)
        scores = _pagerank(weights)
        order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
        return [(sentences[i], owners[i]) for i in order]
    return run


class _SpaceTokenizer:
    """The corpus is tokenised already: a paragraph is a sentence, words split on spaces."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return sentence.split()


def sumy_system(name: str) -> Callable[[Blog, int, int | None], Ranked]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = (LexRankSummarizer if name == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _SpaceTokenizer()

    def run(blog: Blog, max_points: int, max_words: int | None) -> Ranked:
        texts, owners = _blog_sentences(blog)
        sentences = [Sentence(text, tokenizer) for text in texts]
        if not sentences:
            return []
        ranked = []

        def keep_order(infos):  # sumy hands the sentences sorted best first: keep that order
            ranked.extend(infos)
            return infos

        summarizer(ObjectDocumentModel([Paragraph(sentences)]), keep_order)
        return [(str(info.sentence), owners[info.order]) for info in ranked]
    return run


# -- scoring -----------------------------------------------------------------------------


def truncate(texts: list[str], words: int) -> str:
    return " ".join(" ".join(texts).split()[:words])


@dataclass
class Tally:
    rouge: dict[str, list[float]] = field(default_factory=lambda: {"rouge1": [], "rouge2": [], "rougeL": []})
    picked: int = 0
    hits: int = 0
    labelled: int = 0
    seconds: float = 0.0

    def mean(self, key: str) -> float:
        values = self.rouge[key]
        return statistics.fmean(values) if values else 0.0


def evaluate(blogs: list[Blog], systems: dict[str, Callable], scorer) -> dict[str, dict[str, Tally]]:
    """system -> collection ('BBC', 'The Guardian', 'all') -> tally."""
    results: dict[str, dict[str, Tally]] = {name: {} for name in systems}
    for name, system in systems.items():
        for blog in blogs:
            started = time.perf_counter()
            ranked = system(blog, 10_000, blog.gold_words)
            picks = system(blog, len(blog.key_events), None) if blog.key_events else []
            elapsed = time.perf_counter() - started
            scores = scorer.score(" ".join(blog.summary), truncate([t for t, _ in ranked], blog.gold_words))
            for group in (blog.outlet, "all"):
                tally = results[name].setdefault(group, Tally())
                tally.seconds += elapsed
                for key in tally.rouge:
                    tally.rouge[key].append(scores[key].fmeasure)
                if blog.key_events:
                    chosen = list(dict.fromkeys(pid for _, pid in picks))[: len(blog.key_events)]
                    tally.picked += len(chosen)
                    tally.hits += len(set(chosen) & blog.key_events)
                    tally.labelled += len(blog.key_events)
    return results


def reference_rows(blogs: list[Blog], scorer) -> Tally:
    """The Guardian's labelled key-event headlines scored like a system (not a system)."""
    tally = Tally()
    for blog in blogs:
        if blog.outlet == "The Guardian" and blog.key_event_headlines:
            scores = scorer.score(" ".join(blog.summary), truncate(blog.key_event_headlines, blog.gold_words))
            for key in tally.rouge:
                tally.rouge[key].append(scores[key].fmeasure)
    return tally


def report(blogs: list[Blog], results: dict[str, dict[str, Tally]], reference: Tally, enriched: bool) -> str:
    groups = ["BBC", "The Guardian", "all"]
    counts = {g: sum(1 for b in blogs if g == "all" or b.outlet == g) for g in groups}
    posts = sum(len(b.posts) for b in blogs)
    lines = [f"UKP key points: {len(blogs)} blogs ({counts['BBC']} BBC, {counts['The Guardian']} Guardian), "
             f"{posts} posts; storyline posts {'enriched' if enriched else 'not enriched'}",
             "ROUGE F (rouge-score 0.1.2, Porter stemmer, stopwords kept), mean over blogs; "
             "output cut to the gold summary's word count", ""]
    header = f"{'system':<22}" + "".join(f"{g[:8] + ' R-1':>12}{'R-2':>7}{'R-L':>7}" for g in groups) + f"{'sec':>8}"
    lines += [header, "-" * len(header)]
    for name, by_group in results.items():
        row = f"{name:<22}"
        for g in groups:
            t = by_group.get(g, Tally())
            row += f"{t.mean('rouge1'):>12.4f}{t.mean('rouge2'):>7.4f}{t.mean('rougeL'):>7.4f}"
        lines.append(row + f"{by_group.get('all', Tally()).seconds:>8.2f}")
    if reference.rouge["rouge1"]:
        lines.append(f"{'key-event headlines':<22}{'':>26}{reference.mean('rouge1'):>12.4f}"
                     f"{reference.mean('rouge2'):>7.4f}{reference.mean('rougeL'):>7.4f}   (Guardian labels, not a system)")
    lines += ["", "Guardian key-event posts (k = labelled per blog; micro-averaged)",
              f"{'system':<22}{'labelled':>9}{'picked':>8}{'hits':>7}{'P':>8}{'R':>8}{'F1':>8}"]
    for name, by_group in results.items():
        t = by_group.get("The Guardian", Tally())
        p = t.hits / t.picked if t.picked else 0.0
        r = t.hits / t.labelled if t.labelled else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{name:<22}{t.labelled:>9}{t.picked:>8}{t.hits:>7}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    lines += ["", "sec: all blogs, both tasks (ROUGE-length bullets and k picks), scoring excluded."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="blogs to use, alternating BBC/Guardian (default: all)")
    parser.add_argument("--enrich", action="store_true", help="run the enrich stage on the posts first (slow)")
    parser.add_argument("--sumy", action="store_true", help="also run sumy's LexRank and TextRank (~3 s a blog)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"UKP corpus not found at {args.corpus}; nothing to measure.")
        return 0
    from rouge_score import rouge_scorer

    blogs = load_blogs(args.corpus, args.limit)
    if args.enrich:
        from storyline.enrich import enrich_posts

        started = time.perf_counter()
        for blog in blogs:
            enrich_posts(blog.posts)
        print(f"enriched {sum(len(b.posts) for b in blogs)} posts in {time.perf_counter() - started:.1f} s")
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems = {
        "storyline": storyline_system,
        "lexrank (plain)": graph_system("lexrank"),
        "textrank (plain)": graph_system("textrank"),
    }
    if args.sumy:
        systems |= {"lexrank (sumy)": sumy_system("lexrank"), "textrank (sumy)": sumy_system("textrank")}
    systems |= {
        "lead, newest first": lead_system(newest_first=True),
        "lead, oldest first": lead_system(newest_first=False),
        "headlines, newest": headlines_system,
    }
    print(report(blogs, evaluate(blogs, systems, scorer), reference_rows(blogs, scorer), args.enrich))
    return 0


if __name__ == "__main__":
    sys.exit(main())
