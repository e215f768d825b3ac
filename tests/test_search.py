"""Search: full-text and vector ranks fused, highlighted snippets, filters, hostile queries,
the index kept in step with edits and deletes, and migration 4 on a database with posts.

The corpus tests ingest examples/ once (with enrichment and stories, which store the post
vectors) through the real CLI. The store-level tests run on SQLite and, when
STORYLINE_TEST_POSTGRESQL_URL is set, on PostgreSQL (the `databases` fixture of
conftest.py), with a stand-in query embedding so that no model is needed there.
"""

from __future__ import annotations

import copy
import json
import re
import sqlite3
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import ConfigError
from storyline.store import Store, migrate, open_store, search_vectors
from storyline.store.database import create_engine, write_transaction
from storyline.store.migrations import MIGRATIONS
from storyline.store.search import QueryEmbedding, SearchFilter, fuse, search
from storyline.store.search_index import create_v4
from storyline.store.search_terms import (
    fts5_expression,
    parse_query,
    snippet,
    tsquery_text,
)
from storyline.store.search_vectors import (
    MIN_SIMILARITY,
    VectorFilter,
    VectorIndex,
    forget_vectors,
    vector_index,
    with_lists,
)
from storyline.store.vector_lists import train
from tests.backends import Databases
from tests.conftest import ingested_examples
from tests.test_store import make_parsed, reparsed

HOSTILE = [
    "", " ", '"', '""', "'", "*", "-", "-flood", "flood*", "NEAR(", "NEAR(flood bridge, 2)", "(", ")",
    "((flood", "AND", "OR NOT", "flood AND", "title:flood", "^flood", "'); DROP TABLE posts; --",
    "\x00", "flood\x00bridge", "a" * 10_000, "flood " * 2_000, "🌊🌉", "flood 🌊", "\ud800", "%", "_",
    "\\", "{bridge}", "bridge:*", "bridge <-> reopens", "!bridge", "&|", "\u202e\u0000", "\ue000flood\ue001",
]


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def _text(pieces: list[list]) -> str:
    return "".join(text for text, _ in pieces)


def _matches(pieces: list[list]) -> list[str]:
    return [text.lower() for text, match in pieces if match]


# -- the examples corpus, through the CLI and Store.search ------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> str:
    pytest.importorskip("onnxruntime", reason="post vectors need onnxruntime (installed by make)")
    return ingested_examples(tmp_path_factory, "search")


@pytest.fixture(scope="module")
def examples(corpus: str):
    with open_store(corpus) as store:
        yield store


def test_full_text_finds_every_post_with_the_words(examples: Store) -> None:
    hits = examples.search("blankets", semantic=False, limit=50)
    assert len(hits) >= 6
    assert all(h["matched"] == ["text"] for h in hits)
    headlines = [h["headline"] for h in hits]
    assert "Valmora to send 5,000 blankets to Sennport" in headlines  # Harbour Courier
    assert "Valmora pledges blankets, tents and $21.7 million for flood victims" in headlines  # Meridian
    for hit in hits:  # stemmed: blanket, blankets
        assert all(m.startswith("blanket") for m in _matches(hit["headline_segments"]) + _matches(hit["snippet"]))
        assert _matches(hit["headline_segments"]) or _matches(hit["snippet"])


def test_stemming_phrases_and_prefixes(examples: Store) -> None:
    reopened = examples.search("reopened bridges", semantic=False)
    assert {"‘Good news’: Almer Bridge reopens as waters ease", "'Good news': Sennport's main bridge reopens"} \
        <= {h["headline"] for h in reopened}
    phrase = examples.search('"death toll"', semantic=False, limit=50)
    assert phrase and all("death toll" in (h["headline"] + " " + _text(h["snippet"])).lower() for h in phrase)
    assert examples.search('"toll death"', semantic=False) == []
    typing = examples.search("evacu", semantic=False)
    assert typing and all(any(m.startswith("evacu") for m in _matches(h["snippet"])) for h in typing)


def test_headline_matches_rank_first(examples: Store) -> None:
    for word in ("troops", "mayor", "bridge"):
        in_headline = [bool(_matches(h["headline_segments"])) for h in examples.search(word, semantic=False, limit=50)]
        assert in_headline == sorted(in_headline, reverse=True) and True in in_headline and False in in_headline


def test_highlight_segments_rebuild_the_text(examples: Store) -> None:
    for hit in examples.search("Valmora troops dam", limit=10):
        assert _text(hit["headline_segments"]) == hit["headline"]
        assert all(isinstance(t, str) and isinstance(m, bool) and t for t, m in hit["headline_segments"] + hit["snippet"])
        post = examples.get_post(hit["post_id"])
        shown = _text(hit["snippet"]).strip("…")
        body = " ".join(" ".join(post.body).split())
        assert " ".join(shown.split()) in body
        assert len(shown) <= 300


def test_snippet_is_cut_around_the_matches() -> None:
    marked = ("word " * 100) + "\ue000flood\ue001 water " + ("more " * 100)
    pieces = snippet(marked)
    assert _text(pieces).startswith("…word") and _text(pieces).endswith("more…")
    assert ["flood", True] in pieces and 100 < len(_text(pieces)) < 300
    assert snippet("short \ue000text\ue001") == [["short ", False], ["text", True]]
    assert snippet("") == []


def test_semantic_side_finds_other_words_and_says_so(examples: Store) -> None:
    hits = examples.search("how many people died")
    assert hits and "vector" in hits[0]["matched"]
    assert all(re.search(r"death toll|dead|died", h["headline"] + _text(h["snippet"]), re.IGNORECASE) for h in hits[:3])
    both = examples.search("death toll")
    assert both[0]["matched"] == ["text", "vector"] and set(both[0]["ranks"]) == {"text", "vector"}
    assert both[0]["score"] == pytest.approx(sum(1 / (60 + r) for r in both[0]["ranks"].values()))
    scores = [h["score"] for h in both]
    assert scores == sorted(scores, reverse=True)
    assert all(h["matched"] == ["text"] for h in examples.search("death toll", semantic=False))


def test_a_query_about_nothing_in_the_corpus_finds_nothing(examples: Store) -> None:
    for query in ("recipe for chocolate cake", "xyzzy", "football match result"):
        assert examples.search(query) == [], query


def test_the_server_loads_the_search_vectors_before_the_first_search(corpus: str) -> None:
    """The warm-up thread of `storyline serve` (serve/app.py) ends with the vectors and the
    query model loaded: the first searcher waits for neither (~3 s at 100k posts)."""
    from fastapi.testclient import TestClient

    from storyline.serve.app import create_app
    from storyline.settings import Options

    search_vectors.forget_vectors()
    with TestClient(create_app(Options(database_url=corpus))) as client:
        client.app.state.learner.join(timeout=120)
        assert client.get("/api/health").json()["status"] == "ok"
        assert len(search_vectors._cache) == 1  # loaded by the warm-up, not by a search
        assert client.get("/api/search", params={"q": "bridge reopens"}).json()["items"]


def test_searches_take_turns_after_embedding_their_queries(examples: Store, monkeypatch) -> None:
    """On SQLite at most _turns searches run at once (store/search.py); the others wait
    before taking a connection, their queries already embedded, together when they can."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from storyline.store import search as search_module
    from storyline.store.search_queries import minilm_embedding

    monkeypatch.setattr(search_module, "_turns", search_module.Turns(1))
    running, most, lock = 0, 0, threading.Lock()
    hits = search_module._hits

    def slow_hits(*args, **kwargs):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return hits(*args, **kwargs)

    monkeypatch.setattr(search_module, "_hits", slow_hits)
    queries = [f"bridge evacuation {word}" for word in ("north", "south", "east", "west", "dam", "river")]
    embedded = minilm_embedding().embed
    with ThreadPoolExecutor(6) as pool:
        search_module._turns.__enter__()  # a search holds the turn: the six must wait for it
        futures = [pool.submit(examples.search, q) for q in queries]
        deadline = time.monotonic() + 30
        while not all(q in embedded._recent for q in queries) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert all(q in embedded._recent for q in queries)  # embedded while waiting for their turn
        search_module._turns.__exit__()
        assert all(f.result() for f in futures)
    assert most == 1


def test_turns_are_taken_first_come_first_served() -> None:
    import threading
    import time

    from storyline.store.search import Turns

    turns, order = Turns(1), []
    turns.__enter__()
    threads = []
    for i in range(6):
        def wait(i: int = i) -> None:
            with turns:
                order.append(i)
        threads.append(threading.Thread(target=wait))
        threads[-1].start()
        time.sleep(0.02)  # each is waiting before the next comes
    turns.__exit__()
    for thread in threads:
        thread.join(5)
    assert order == list(range(6))


def test_filters(examples: Store) -> None:
    everything = examples.search("flood", limit=200)
    outlets = {h["outlet"] for h in everything}
    assert len(outlets) == 3
    courier = examples.search("flood", outlet="Harbour Courier", limit=200)
    assert courier and {h["outlet"] for h in courier} == {"Harbour Courier"}
    assert {h["post_id"] for h in courier} == {h["post_id"] for h in everything if h["outlet"] == "Harbour Courier"}
    day = date(2025, 3, 11)
    one_day = examples.search("flood", since=day, until=day, limit=200)
    assert one_day and {h["day"] for h in one_day} == {day}
    assert examples.search("flood", since=date(2025, 3, 13)) == []
    media = examples.search("mayor", kind="media", limit=200)
    assert media and {h["kind"] for h in media} == {"media"}
    assert examples.search("flood", outlet="No Such Outlet") == []


def test_pages(examples: Store) -> None:
    whole = [h["post_id"] for h in examples.search("Sennport", limit=30)]
    pages = [h["post_id"] for offset in (0, 10, 20) for h in examples.search("Sennport", limit=10, offset=offset)]
    assert pages == whole and len(set(whole)) == len(whole) == 30
    with pytest.raises(ConfigError):
        examples.search("flood", limit=0)
    with pytest.raises(ConfigError):
        examples.search("flood", offset=-1)


def test_hit_keys_and_story(examples: Store) -> None:
    hit = examples.search("Almer Bridge reopens")[0]
    assert set(hit) == {"post_id", "blog_id", "outlet", "headline", "published", "precision", "day", "kind",
                        "story_id", "score", "matched", "ranks", "headline_segments", "snippet"}
    story = next(s for s in examples.stories() if s.id == hit["story_id"])
    assert hit["post_id"] in story.post_ids


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(examples: Store, query: str) -> None:
    before = examples.counts()
    for semantic in (False, True):
        hits = examples.search(query, semantic=semantic)
        assert isinstance(hits, list)
    assert examples.counts() == before


def test_cli_search(corpus: str) -> None:
    result = _run("search", "blankets", "--db", corpus, "--json", "--limit", "3", "--outlet", "Harbour Courier")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 3 and {h["outlet"] for h in hits} == {"Harbour Courier"}
    assert isinstance(hits[0]["published"], str) and hits[0]["day"].startswith("2025-03-")
    table = _run("search", "blankets", "--db", corpus, "--no-semantic", "--since", "2025-03-11")
    assert table.exit_code == 0 and "Valmora" in table.stdout and "text" in table.stdout
    assert _run("search", "NEAR(", "--db", corpus).exit_code == 0
    assert _run("search", "flood", "--db", corpus, "--since", "tuesday").exit_code == 2
    nothing = _run("search", "[bold]xyzzy[/bold]", "--db", corpus)
    assert nothing.exit_code == 0 and "[bold]xyzzy[/bold]" in nothing.stdout


def test_cli_escapes_page_text() -> None:
    from storyline.cli.search import _marked

    assert _marked([["[red]x[/red] ", False], ["flood", True]]) == r"\[red]x\[/red] [bold]flood[/bold]"


def test_cli_search_prints_no_terminal_escapes_from_page_text(tmp_path) -> None:
    """Page text holding ESC / BEL / C1 sequences (a title change, colours, a clear
    screen) is printed without them: an ingested page must not drive the terminal."""
    db = str(tmp_path / "esc.db")
    with open_store(db) as store:
        parsed = make_parsed("esc", 2, outlet="Esc\x1b[31m Daily")
        parsed.posts[0].headline = "Dam \x1b]0;pwned\x07 breach \x1b[2J\x9b31m"
        parsed.posts[0].body = ["Water \x1b[8mhidden\x1b[0m rises at the dam."]
        store.save(parsed)
    result = _run("search", "dam", "--db", db, "--no-semantic")
    assert result.exit_code == 0, result.output
    assert "breach" in result.stdout and "hidden" in result.stdout
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout), repr(result.stdout)


# -- the index on both backends ---------------------------------------------------------------


def _ids(store: Store, query: str, **filters) -> list[str]:
    return [h["post_id"] for h in store.search(query, semantic=False, **filters)]


def _index_rows(store: Store) -> int:
    """Rows in the full-text index, checked against the posts (SQLite: FTS5 integrity-check)."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            return conn.exec_driver_sql("SELECT count(*) FROM posts WHERE search_document IS NOT NULL").scalar()
        conn.exec_driver_sql("INSERT INTO post_search (post_search, rank) VALUES ('integrity-check', 1)")
        docs = conn.exec_driver_sql("SELECT count(*) FROM post_search_docsize").scalar()
        assert docs == conn.exec_driver_sql("SELECT count(*) FROM post_search_text").scalar()
        return docs


def test_an_edited_post_is_found_by_its_new_words_only(databases: Databases) -> None:
    with open_store(databases.new()) as store:
        parsed = make_parsed("ed", 3)
        parsed.posts[1].body = ["The ferry to Ostwall sails at dawn."]
        store.save(parsed)
        assert _ids(store, "ferry Ostwall") == ["ed-p1"]
        edited = copy.deepcopy(parsed.posts)
        edited[1].body = ["The hovercraft to Ostwall is cancelled."]
        edited[2].headline = "Update 2: a ceasefire holds in city2"
        store.save(reparsed(parsed, edited))
        assert _ids(store, "hovercraft") == ["ed-p1"]
        assert _ids(store, "ferry") == []
        assert _ids(store, "ceasefire") == ["ed-p2"]
        assert _ids(store, "continue city2") == []
        assert _index_rows(store) == 3


def test_reingest_does_not_duplicate_index_rows(databases: Databases) -> None:
    with open_store(databases.new()) as store:
        parsed = make_parsed("again", 4)
        for _ in range(3):
            store.save(parsed)
            store.save(reparsed(parsed, copy.deepcopy(parsed.posts)))
        assert _index_rows(store) == 4
        assert _ids(store, "talks item 2") == ["again-p2"]
        assert sorted(_ids(store, "talks")) == [f"again-p{n}" for n in range(4)]


def test_hit_texts_of_no_posts_is_empty_on_both_backends(databases: Databases) -> None:
    """Every fused id can fail the filters on its row (the vector side saw a stale kind):
    PostgreSQL refused the empty IN (text = integer) and the search answered 503."""
    from storyline.store.search_fulltext import hit_texts

    with open_store(databases.new()) as store, store.engine.connect() as conn:
        assert hit_texts(conn, [], parse_query("flood")) == {}
        assert hit_texts(conn, [], parse_query("")) == {}


def test_a_database_without_vectors_never_embeds_the_query(tmp_path, monkeypatch) -> None:
    """Not even on the first search of a process (the model would load, ~0.5 s and
    ~200 MB, for nothing)."""
    from storyline.store import search_queries

    embedded = []
    monkeypatch.setattr(search_queries, "embedded_now", lambda embedding, query: embedded.append(query))
    search_vectors.forget_vectors()
    with open_store(f"sqlite:///{tmp_path / 'plain.db'}") as store:
        store.save(make_parsed("plain", 3))
        assert store.search("city1") and store.search("city2")
    assert embedded == []


def test_a_deleted_post_leaves_the_index(databases: Databases) -> None:
    with open_store(databases.new()) as store:
        store.save(make_parsed("del", 3))
        with write_transaction(store.engine) as conn:
            conn.execute(sa.delete(sa.table("posts", sa.column("id"))).where(sa.column("id") == "del-p1"))
        assert _ids(store, "city1") == [] and _ids(store, "city2") == ["del-p2"]
        assert _index_rows(store) == 2


def test_migration_4_indexes_a_version_3_database_with_posts(databases: Databases) -> None:
    url = databases.new()
    engine = create_engine(url)
    assert migrate(engine, MIGRATIONS[:3]) == [1, 2, 3]
    old = Store(engine)
    old.save(make_parsed("old", 5, outlet="Old Outlet"))
    old.close()
    with open_store(url) as store:  # migrates to the latest version
        assert _ids(store, "city3") == ["old-p3"]
        assert _ids(store, "talks", outlet="Old Outlet", limit=10) and _index_rows(store) == 5
        with write_transaction(store.engine) as conn:  # the step again: idempotent
            create_v4(conn)
        assert _index_rows(store) == 5
        store.save(make_parsed("new", 2))
        assert set(_ids(store, "city1")) == {"old-p1", "new-p1"}
        assert _index_rows(store) == 7


def test_a_huge_headline_or_body_is_saved_and_found(databases: Databases) -> None:
    """PostgreSQL refuses a tsvector over 1 MB: a 1 MB headline of varied words (or a body
    of short words in 4-byte letters) must still save, and be found by its first words."""
    import random
    import string

    rng = random.Random(5)
    words = " ".join("".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(120_000))
    letters = " ".join(chr(0x20000 + i // 50_000) + chr(0x20000 + i % 50_000) for i in range(70_000))
    with open_store(databases.new()) as store:
        parsed = make_parsed("huge", 3)
        parsed.posts[0].headline = "Quokkas everywhere " + words
        parsed.posts[1].body = ["Wombats " + letters]
        store.save(parsed)
        assert _ids(store, "quokkas") == ["huge-p0"]
        assert _ids(store, "wombats") == ["huge-p1"]
        assert _index_rows(store) == 3


def test_filter_strategies_agree(databases: Databases, monkeypatch) -> None:
    """Few passing posts among many matches: FTS5 windows that must grow, the narrow-day
    path, and PostgreSQL's single query all find exactly the posts that pass."""
    from storyline.store import search_fulltext

    with open_store(databases.new()) as store:
        store.save(make_parsed("many", 40, outlet="A"))
        store.save(make_parsed("few", 3, outlet="B", day=date(2022, 1, 27)))
        with write_transaction(store.engine) as conn:
            conn.exec_driver_sql("UPDATE posts SET day = '2022-01-27' WHERE blog_id = 'few'")
            conn.exec_driver_sql("UPDATE posts SET kind = 'media' WHERE id = 'many-p33'")
        few = ["few-p0", "few-p1", "few-p2"]
        monkeypatch.setattr("storyline.store.search.CANDIDATES", 3)  # a first window of 24 of 43 matches
        for narrow in (0, 5000):
            monkeypatch.setattr(search_fulltext, "NARROW_POSTS", narrow)
            assert sorted(_ids(store, "talks", outlet="B", limit=3)) == few
            assert sorted(_ids(store, "talks", since=date(2022, 1, 27), limit=3)) == few
            assert len(set(_ids(store, "talks", until=date(2022, 1, 26), limit=50))) == 40
            assert _ids(store, "talks", kind="media") == ["many-p33"]
            assert _ids(store, "talks", outlet="B", kind="media") == []


def test_hostile_queries_on_both_backends(databases: Databases) -> None:
    with open_store(databases.new()) as store:
        store.save(make_parsed("h", 3))
        for query in HOSTILE:
            assert isinstance(store.search(query, semantic=False), list), query
        assert _ids(store, "city1 (") == ["h-p1"]
        assert _ids(store, '"talks on item 2"') == ["h-p2"]
        assert sorted(_ids(store, "spokesperso")) == ["h-p0", "h-p1", "h-p2"]


def _save_vectors(store: Store, vectors: dict[str, list[float]], model: str = "test.v1") -> None:
    from storyline.store.stories import save_vectors

    posts = store.posts_by_id(list(vectors))
    with write_transaction(store.engine) as conn:
        save_vectors(conn, {pid: (posts[pid].content_hash(), np.asarray(v, np.float32)) for pid, v in vectors.items()},
                     model)


def test_vector_side_follows_stored_vectors(databases: Databases) -> None:
    forget_vectors()
    unit = lambda *v: np.asarray(v, np.float32) / np.linalg.norm(v)
    embedding = QueryEmbedding("test.v1", lambda text: unit(1, 0, 0))
    with open_store(databases.new()) as store:
        store.save(make_parsed("va", 3, outlet="A"))
        store.save(make_parsed("vb", 2, outlet="B"))

        def found(**filters):
            with store.engine.connect() as conn:
                return [(h["post_id"], h["matched"]) for h in search(conn, "qqq", SearchFilter(**filters), embedding)]

        assert found() == []  # no vectors stored: full text alone, and it matches nothing
        _save_vectors(store, {"va-p0": unit(1, 0, 0), "va-p1": unit(0, 1, 0), "vb-p0": unit(1, 1, 0)})
        assert found() == [("va-p0", ["vector"]), ("vb-p0", ["vector"])]  # va-p1: cosine 0
        assert found(outlet="B") == [("vb-p0", ["vector"])]
        _save_vectors(store, {"va-p1": unit(1, 0.1, 0)})  # the cache sees the change
        assert found()[:2] == [("va-p0", ["vector"]), ("va-p1", ["vector"])]
        with write_transaction(store.engine) as conn:  # edited text: its old vector no longer counts
            conn.exec_driver_sql("UPDATE posts SET content_hash = 'edited' WHERE id = 'va-p0'")
            conn.exec_driver_sql("UPDATE post_vectors SET model = model WHERE post_id = 'vb-p0'")
        assert [pid for pid, _ in found()] == ["va-p1", "vb-p0"]
        assert unit(1, 1, 0) @ unit(1, 0, 0) > MIN_SIMILARITY
    forget_vectors()


# -- the vector index --------------------------------------------------------------------------

# Mean share of the exact top 300 the lists find on the clustered set below (measured 0.999
# over its 60 queries; the UKP figures are bench/search_speed.py's). Raise it, never lower it.
RECALL_FLOOR = 0.98


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def clustered() -> tuple[VectorIndex, VectorIndex, np.ndarray]:
    """30,000 unit vectors around 300 centres (cosine ~0.6 to their centre), 60 outlets of
    500 rows, 100 rows a day: as stored, and with lists; and 60 queries between two centres."""
    rng = np.random.default_rng(7)
    centres = _unit(rng.standard_normal((300, 384)))
    rows = _unit(centres[rng.integers(0, 300, 30_000)] + 1.3 * _unit(rng.standard_normal((30_000, 384))))
    n = len(rows)
    stored = VectorIndex(
        changes=0, post_ids=[f"p{i:05d}" for i in range(n)], matrix=rows,
        outlets=(np.arange(n) % 60).astype(np.int32), kinds=np.zeros(n, np.int32),
        days=(date(2020, 1, 1).toordinal() + np.arange(n) // 100).astype(np.int32),
        outlet_codes={f"o{i}": i for i in range(60)}, kind_codes={"news": 0},
    )
    pairs = rng.integers(0, 300, (60, 2))
    queries = _unit(centres[pairs[:, 0]] + 0.7 * centres[pairs[:, 1]] + 1.2 * _unit(rng.standard_normal((60, 384))))
    return stored, with_lists(stored), queries


def _first(stored: VectorIndex, rows: int, matrix: np.ndarray | None = None) -> VectorIndex:
    """The first `rows` rows of an index without lists (with other vectors: `matrix`)."""
    return replace(stored, post_ids=stored.post_ids[:rows], matrix=stored.matrix[:rows] if matrix is None else matrix,
                   outlets=stored.outlets[:rows], kinds=stored.kinds[:rows], days=stored.days[:rows])


def _found(index: VectorIndex, query: np.ndarray, where: VectorFilter, n: int = 300, exact: bool = False) -> list[str]:
    return [post_id for post_id, _ in index.nearest(query, where, n, exact=exact)]


def test_vector_index_finds_what_the_exact_scan_finds(clustered) -> None:
    _, index, queries = clustered
    assert index.lists is not None and len(index.lists.starts) - 1 == round(30_000 ** 0.5)
    recall, first_page = [], []
    for query in queries:
        exact, found = _found(index, query, VectorFilter(), exact=True), index.nearest(query, VectorFilter(), 300)
        scores = [score for _, score in found]
        assert exact and len(found) <= 300
        assert scores == sorted(scores, reverse=True) and min(scores) >= MIN_SIMILARITY
        found_ids = [pid for pid, _ in found]
        recall.append(len(set(exact) & set(found_ids)) / len(exact))
        first_page.append(len(set(exact[:20]) & set(found_ids[:20])) / len(exact[:20]))
    assert np.mean(recall) >= RECALL_FLOOR and np.mean(first_page) >= RECALL_FLOOR


def test_narrow_filters_lose_nothing_to_the_index(clustered, monkeypatch) -> None:
    """A filter passing few rows gets the exact answer, whether those rows are scored
    directly or through lists probed until they hold enough of them."""
    stored, index, queries = clustered
    day = date(2020, 1, 1)
    narrow = [VectorFilter(outlet="o7"), VectorFilter(since=day.replace(day=5), until=day.replace(day=7)),
              VectorFilter(outlet="o3", since=day.replace(day=10)), VectorFilter(kind="media"),
              VectorFilter(outlet="no such outlet")]
    # 6,000 rows near one direction (cosine > 0.6 to it): each of the 100 rows of an outlet
    # is a result, whichever list it is in.
    near = _unit(np.random.default_rng(5).standard_normal(384))
    alike = with_lists(_first(stored, 6000, matrix=_unit(stored.matrix[:6000] + near)), min_rows=0)
    for narrow_rows in (search_vectors.NARROW_ROWS, 0):
        monkeypatch.setattr(search_vectors, "NARROW_ROWS", narrow_rows)
        for where in narrow:
            for query in queries[:5]:
                _assert_same(index.nearest(query, where, 300), index.nearest(query, where, 300, exact=True))
        found = alike.nearest(near, narrow[0], 300)
        assert len(found) == 100
        _assert_same(found, alike.nearest(near, narrow[0], 300, exact=True))
    wide = VectorFilter(since=date(2020, 3, 1))  # 24,000 rows: through the lists, as recalled as without
    recall = []
    for query in queries:
        exact, found_ids = _found(index, query, wide, exact=True), _found(index, query, wide)
        assert all(pid >= "p06000" for pid in found_ids)
        recall.append(len(set(exact) & set(found_ids)) / len(exact))
    assert np.mean(recall) >= RECALL_FLOOR


def _assert_same(found: list[tuple[str, float]], exact: list[tuple[str, float]]) -> None:
    assert [pid for pid, _ in found] == [pid for pid, _ in exact]
    assert [score for _, score in found] == pytest.approx([score for _, score in exact], abs=1e-6)


def test_vector_index_is_deterministic_and_thread_safe(clustered) -> None:
    from concurrent.futures import ThreadPoolExecutor

    stored, index, queries = clustered
    again = with_lists(stored)
    assert again.lists is not None and index.lists is not None
    assert np.array_equal(again.lists.partition.centroids, index.lists.partition.centroids)
    assert again.post_ids == index.post_ids and np.array_equal(again.lists.starts, index.lists.starts)
    serial = [index.nearest(q, VectorFilter(), 300) for q in queries[:20]]
    assert [again.nearest(q, VectorFilter(), 300) for q in queries[:20]] == serial
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda q: index.nearest(q, VectorFilter(), 300), queries[:20])) == serial


def test_under_the_threshold_every_row_is_scored(clustered) -> None:
    stored, _, queries = clustered
    few = _first(stored, 500)
    assert with_lists(few) is few and few.lists is None
    for query in queries[:5]:
        assert few.nearest(query, VectorFilter(), 50) == few.nearest(query, VectorFilter(), 50, exact=True)
        assert set(_found(few, query, VectorFilter(outlet="o1"))) <= {f"p{i:05d}" for i in range(1, 500, 60)}
    assert with_lists(few, min_rows=0).lists is not None


def test_reloads_keep_the_trained_lists_until_the_rows_double(databases: Databases, monkeypatch) -> None:
    """After each change of the stored vectors the index is loaded again: rows join the
    lists trained before, until there are twice as many rows as they were trained on."""
    forget_vectors()
    monkeypatch.setattr(search_vectors, "INDEXED_ROWS", 8)
    trained = []

    def counted(matrix: np.ndarray):
        trained.append(len(matrix))
        return train(matrix)

    monkeypatch.setattr(search_vectors, "train", counted)
    vectors = _unit(np.random.default_rng(3).standard_normal((30, 16)))
    with open_store(databases.new()) as store:
        store.save(make_parsed("ix", 30))

        def loaded() -> VectorIndex:
            with store.engine.connect() as conn:
                index = vector_index(conn, "test.v1")
            assert index is not None and index.lists is not None
            assert index.nearest(vectors[0], VectorFilter(), 5) == index.nearest(vectors[0], VectorFilter(), 5, exact=True)
            return index

        _save_vectors(store, {f"ix-p{i}": vectors[i] for i in range(12)})
        first = loaded().lists.partition
        assert trained == [12] and loaded().lists.partition is first  # unchanged: not even reloaded
        _save_vectors(store, {f"ix-p{i}": vectors[i] for i in range(12, 23)})  # 23 rows < 2 x 12
        index = loaded()
        assert trained == [12] and index.lists.partition is first and len(index.post_ids) == 23
        assert index.nearest(vectors[20], VectorFilter(), 1)[0][0] == "ix-p20"
        _save_vectors(store, {"ix-p23": vectors[23]})  # 24 rows: retrained
        assert loaded().lists.partition is not first and trained == [12, 24]
    forget_vectors()


# -- pieces ------------------------------------------------------------------------------------


def test_query_terms_are_safe_and_sensible() -> None:
    assert fts5_expression(parse_query("Floods in the valley")) == '"floods" AND ("valley" OR "valley"*)'
    assert fts5_expression(parse_query("floods in the valley ")) == '"floods" AND "valley"'
    assert tsquery_text(parse_query('"state of emergency" 5,000 evac')) == \
        "(state <-> of <-> emergency) & (5 <-> 000) & evac:*"
    assert fts5_expression(parse_query("the ")) == '"the"'  # only stop words: kept
    assert fts5_expression(parse_query("NEAR(a, b) AND c*")) == '"near a" AND "b" AND "c"'
    for query in HOSTILE:
        for text in (fts5_expression(parse_query(query)), tsquery_text(parse_query(query))):
            assert "'" not in text and ";" not in text and "\x00" not in text
    assert len(parse_query("word%d " * 500 % tuple(range(500))).words) == 24


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_makes_a_valid_fts5_query(text: str) -> None:
    index = sqlite3.connect(":memory:")
    index.execute("CREATE VIRTUAL TABLE t USING fts5(headline, body, tokenize='porter unicode61 remove_diacritics 2')")
    index.execute("INSERT INTO t VALUES ('Floods hit the city', 'Water rose fast')")
    terms = parse_query(text)
    for any_term in (False, True):
        if terms:
            index.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5_expression(terms, any_term=any_term),))


def test_fusion_adds_reciprocal_ranks() -> None:
    fused = fuse({"text": ["a", "b", "c"], "vector": ["c", "a"]})
    assert [pid for pid, _, _ in fused] == ["a", "c", "b"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62) and fused[0][2] == {"text": 1, "vector": 2}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("abcdefghij"), unique=True), st.lists(st.sampled_from("abcdefghij"), unique=True),
       st.integers(min_value=0, max_value=12))
def test_fusion_of_the_best_only_is_the_head_of_the_whole(text, vector, best) -> None:
    whole = fuse({"text": text, "vector": vector})
    assert fuse({"text": text, "vector": vector}, best=best) == whole[:best]
