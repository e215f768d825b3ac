"""Score the parse (read, split, date) on the seed live blogs against the hand-made gold.

    python bench/seeds_split.py [--seeds ../shared/seeds] [--gold tests/gold/seeds.json]

The gold (tests/gold/seeds.json, made by reading the pages; see tests/gold/README.md)
names lines, never text; the text is read from ../shared/seeds at run time.
Prints, per seed and overall: post precision/recall/F1 (a post is found when its
headline, or first paragraph for a post without one, is found), and over found posts:
kind, day and time accuracy, exact bodies, captions kept apart, boilerplate leaked.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.tally import add_counts
from storyline.model import Document
from storyline.pipeline import default_pipeline
from storyline.settings import Options

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.json"


@dataclass
class Score:
    gold_posts: int = 0
    predicted_posts: int = 0
    found: int = 0
    kind_ok: int = 0
    day_ok: int = 0
    timed: int = 0
    time_ok: int = 0
    body_exact: int = 0
    captions_gold: int = 0
    captions_kept_apart: int = 0
    leaked: int = 0  # gold caption / boilerplate lines that ended up in a headline or body
    key_points_ok: int = 0
    key_points_files: int = 0
    titles_ok: int = 0
    outlets_ok: int = 0
    blog_days_ok: int = 0
    files: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        add_counts(self, other)

    @property
    def precision(self) -> float:
        return self.found / self.predicted_posts if self.predicted_posts else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold_posts if self.gold_posts else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def ratio(self, name: str, of: str = "found") -> float:
        total = getattr(self, of)
        return getattr(self, name) / total if total else 1.0


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def score_file(path: Path, gold: dict) -> Score:
    lines = path.read_text(encoding="utf-8").split("\n")

    def at(number: int) -> str:
        return _clean(lines[number - 1])

    doc = Document(source=str(path), content=path.read_bytes(), media_type="text/plain")
    parsed = default_pipeline().run(doc, Options())
    s = Score(files=1, gold_posts=len(gold["posts"]), predicted_posts=len(parsed.posts))
    blog = parsed.blog
    assert blog is not None
    s.titles_ok = int(_clean(blog.title) == at(gold["title_line"]))
    s.outlets_ok = int((blog.outlet or "") == gold["outlet"])
    s.blog_days_ok = int(str(blog.day) == gold["day"])
    if gold["key_point_lines"]:
        s.key_points_files = 1
        expected = [at(n).lstrip("•· ").strip() for n in gold["key_point_lines"]]
        s.key_points_ok = int([_clean(k) for k in blog.key_points] == expected)
    by_lead: dict[str, list] = {}
    for post in parsed.posts:
        lead = _clean(post.headline) if post.headline else _clean(post.body[0] if post.body else "")
        by_lead.setdefault(lead, []).append(post)
    outside = {at(n) for n in gold.get("not_post_lines", [])}
    for g in gold["posts"]:
        outside |= {at(n) for n in g["caption_lines"]}
    for post in parsed.posts:
        for text in [post.headline, *post.body]:
            if _clean(text) in outside:
                s.leaked += 1
                s.errors.append(f"{path.name}: leaked into post {post.position}: line {_clean(text)[:40]!r}")
    for g in gold["posts"]:
        candidates = by_lead.get(at(g["line"]))
        if not candidates:
            s.errors.append(f"{path.name}:{g['line']}: post not found")
            continue
        post = candidates.pop(0)
        s.found += 1
        s.kind_ok += post.kind == g["kind"]
        if post.kind != g["kind"]:
            s.errors.append(f"{path.name}:{g['line']}: kind {post.kind} != {g['kind']}")
        s.day_ok += str(post.day) == g["day"]
        if str(post.day) != g["day"]:
            s.errors.append(f"{path.name}:{g['line']}: day {post.day} != {g['day']}")
        if g.get("time"):
            s.timed += 1
            got = post.published.strftime("%H:%M%z") if post.published else ""
            want = g["time"].replace(":", "", 1).replace(":", "")
            s.time_ok += got.replace(":", "") == want.replace(":", "") or got == g["time"]
        lead = [] if g["has_headline"] else [at(g["line"])]
        expected_body = lead + [at(n) for n in g["body_lines"] if n != g["line"]]
        got_body = [_clean(b) for b in post.body]
        s.body_exact += got_body == expected_body
        if got_body != expected_body:
            s.errors.append(f"{path.name}:{g['line']}: body differs ({len(got_body)} vs {len(expected_body)} paragraphs)")
        s.captions_gold += len(g["caption_lines"])
        kept = {_clean(c) for c in post.captions}
        s.captions_kept_apart += sum(at(n) in kept for n in g["caption_lines"])
    return s


def run(seeds: Path = SEEDS, gold_path: Path = GOLD) -> tuple[Score, dict[str, Score]]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    total = Score()
    per_file = {}
    for name, g in sorted(gold.items()):
        s = score_file(seeds / name, g)
        per_file[name] = s
        total.add(s)
    return total, per_file


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=Path, default=SEEDS)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    args = ap.parse_args()
    if not args.seeds.is_dir():
        print(f"seeds not found at {args.seeds}: nothing to score", file=sys.stderr)
        return 0
    total, per_file = run(args.seeds, args.gold)
    print(f"{'seed':28} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'kind':>6} {'day':>6} {'body':>6} {'capt':>6} {'leak':>5}")
    for name, s in [*per_file.items(), ("ALL", total)]:
        print(
            f"{name:28} {s.gold_posts:5d} {s.predicted_posts:5d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
            f"{s.ratio('kind_ok'):6.3f} {s.ratio('day_ok'):6.3f} {s.ratio('body_exact'):6.3f} "
            f"{s.ratio('captions_kept_apart', 'captions_gold'):6.3f} {s.leaked:5d}"
        )
    print(
        f"times right {total.time_ok}/{total.timed}; titles {total.titles_ok}/{total.files}; outlets "
        f"{total.outlets_ok}/{total.files}; blog days {total.blog_days_ok}/{total.files}; key points "
        f"{total.key_points_ok}/{total.key_points_files}"
    )
    if args.verbose:
        print("\n".join(total.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
