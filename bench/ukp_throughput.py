"""Parse and ingest throughput on the UKP live-blog corpus, rendered into pages.

    python bench/ukp_throughput.py [--limit 60] [--split guardian-test]

Each UKP blog is rendered as a JSON-LD HTML page and as a plain-text page (tests/render.py);
the script times the parse (read, split, date, identify) and parse + save into a fresh
SQLite database on one core, and prints posts/s, post recovery and peak memory against the
targets (parse >= 2,000 posts/s, ingest >= 1,000 posts/s). Skips when ../shared is absent.
"""
import argparse, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere: find tests.render
from pathlib import Path
import json, glob, time, resource, tempfile, os
from datetime import datetime, timezone, timedelta
from tests.render import LiveBlogSpec, PostSpec, render_jsonld_html, render_text
from storyline.model import Document
from storyline.pipeline import default_pipeline
from storyline.settings import Options
from storyline.store import open_store
ap = argparse.ArgumentParser(); ap.add_argument('--limit', type=int, default=60); ap.add_argument('--split', default='guardian-test')
args = ap.parse_args()
corpus = Path(__file__).resolve().parents[1].parent / 'shared' / 'data' / 'liveblogs-ukp' / args.split
if not corpus.is_dir():
    print(f'UKP corpus not found at {corpus}: nothing to measure'); sys.exit(0)
files = sorted(glob.glob(str(corpus / '*.json')))[: args.limit]
pages = []
for f in files:
    d = json.load(open(f))
    posts = []
    base = datetime(2016, 4, 28, 8, 0, tzinfo=timezone.utc)
    for i, doc in enumerate(d['documents'][:200]):
        head = (doc.get('title') or 'Update').strip().capitalize() or 'Update'
        paras = [" ".join(doc['text'])] if doc.get('text') else ['(no text).']
        posts.append(PostSpec(head.rstrip('.'), paras, base + timedelta(minutes=len(d['documents']) - i)))
    pages.append(LiveBlogSpec(title=d['title'], outlet='The Guardian', url=d['url'], day=base.date(), key_points=[], posts=posts))
pipe = default_pipeline(); opts = Options()
for name, render, mt in (('jsonld', render_jsonld_html, 'text/html'), ('text', render_text, 'text/plain')):
    docs = [Document(source=f'p{i}', content=render(s).encode(), media_type=mt) for i, s in enumerate(pages)]
    t = time.perf_counter(); n = 0; got = 0
    for doc in docs:
        try:
            p = pipe.run(doc, opts); n += len(p.posts)
        except Exception as e: pass
    dt = time.perf_counter() - t
    want = sum(len(s.posts) for s in pages)
    print(f"parse {name}: {n} posts ({n/want:.3f} of {want} rendered) in {dt:.2f}s = {n/dt:,.0f} posts/s (target >= 2,000)")
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(os.path.join(tmp, 'b.db')); t = time.perf_counter(); m = 0
        for doc in docs:
            try: p = pipe.run(doc, opts)
            except Exception: continue
            m += store.save(p).new
        dt = time.perf_counter() - t; store.close()
        print(f"ingest {name}: {m} posts in {dt:.2f}s = {m/dt:,.0f} posts/s (target >= 1,000)")
print("peak RSS MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)
