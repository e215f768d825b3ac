"""The store: round trips, idempotent re-ingestion, edits, atomicity, migrations, errors.

Every test uses its own new database: a SQLite file under pytest's tmp_path and, when
STORYLINE_TEST_POSTGRESQL_URL names a server (a URL whose user may CREATE DATABASE, e.g.
postgresql://postgres@127.0.0.1:5432/postgres), a new PostgreSQL database, dropped after.
Tests named ..._sqlite_... or about files and processes run on SQLite only.
"""

from __future__ import annotations

import copy
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import SchemaError, StoreError
from storyline.model import (
    Blog,
    Document,
    Event,
    Link,
    Mention,
    Parsed,
    Post,
    Quantity,
    Quote,
    TimeRef,
    field_names,
)
from storyline.store import SaveResult, Store, migrate, open_store, schema, writer
from storyline.store.database import create_engine
from storyline.store.migrations import LATEST_VERSION, MIGRATIONS
from storyline.store.rows import CHILD_TABLES, POST_COLUMNS
from storyline.store.similarity import EDIT_SIMILARITY, jaccard, match_edits, tokens

from tests.backends import Databases

ROOT = Path(__file__).resolve().parents[1]
CET = timezone(timedelta(hours=1))
EST = timezone(timedelta(hours=-5))


# -- builders ------------------------------------------------------------------------------


def make_post(blog_id: str, n: int, *, published: datetime | None = None, **changes) -> Post:
    """A realistic post: distinct text per n, with every enrichment list filled."""
    post = Post(
        id=f"{blog_id}-p{n}",
        blog_id=blog_id,
        position=n,
        headline=f"Update {n}: talks on item {n} continue in city{n}",
        body=[
            f"Officials from country{n} met counterparts number {n} on topic{n}.",
            f"“We remain committed to item{n},” spokesperson{n} said, adding {n * 1000} troops.",
        ],
        published=published or datetime(2022, 1, 26, 9, 0, tzinfo=CET) + timedelta(minutes=n),
        precision="minute",
        dated_how="explicit",
        day=date(2022, 1, 26),
        stamp_text=f"{9 + n // 60}:{n % 60:02d}",
        captions=[f"Photo {n} [Agency]"],
        links=[Link(text=f"link {n}", href=f"https://example.org/{n}"), Link(text="bare")],
        native_id=f"native-{n}",
        url=f"https://example.org/live#{n}",
        entities=[
            Mention(text=f"spokesperson{n}", entity_id=f"Q{n}", start=0, end=10, type="PERSON")
        ],
        quotes=[
            Quote(
                text=f"We remain committed to item{n}",
                speaker=f"Spokesperson {n}",
                speaker_as_written=f"spokesperson{n}",
                cue="said",
            )
        ],
        quantities=[
            Quantity(
                text=f"{n * 1000} troops",
                value=n * 1000.0,
                unit="troops",
                what="troops",
                qualifier="about",
            )
        ],
        times=[
            TimeRef(
                text="Thursday",
                start=datetime(2022, 1, 27, tzinfo=CET),
                end=datetime(2022, 1, 28, tzinfo=CET),
                anchor=datetime(2022, 1, 26, 9, n % 60),
            )
        ],
        events=[
            Event(
                actor=f"country{n}",
                action="meet",
                target="Ukraine",
                modality="happened",
                score=3.5,
                text="met",
            )
        ],
    )
    for name, value in changes.items():
        setattr(post, name, value)
    return post


def make_parsed(
    blog_id: str,
    n_posts: int,
    *,
    outlet: str = "Outlet",
    day: date = date(2022, 1, 26),
    version: str = "",
) -> Parsed:
    blog = Blog(
        id=blog_id,
        title=f"Live: {blog_id}",
        outlet=outlet,
        url=f"https://example.org/{blog_id}",
        day=day,
        key_points=["a", "b"],
    )
    posts = [make_post(blog_id, n) for n in range(n_posts)]
    document = Document(
        source=f"{blog_id}.html",
        content=f"{blog_id}{version}".encode(),
        media_type="text/html",
        url=blog.url,
    )
    return Parsed(document=document, blog=blog, posts=posts)


def reparsed(parsed: Parsed, posts: list[Post]) -> Parsed:
    """The same page fetched again, with these posts (new bytes, so a new document)."""
    document = Document(
        source=parsed.document.source,
        content=parsed.document.content + b"+",
        media_type="text/html",
    )
    return Parsed(document=document, blog=copy.deepcopy(parsed.blog), posts=posts)


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, for 'exactly as before' comparisons."""
    with store.engine.connect() as conn:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in conn.execute(sa.select(table)))
            for table in schema.metadata.sorted_tables
        }


@pytest.fixture
def store(databases: Databases):
    with open_store(databases.new()) as opened:
        yield opened


# -- round trip (property) -----------------------------------------------------------------

# PostgreSQL text cannot hold NUL and UTF-8 cannot hold lone surrogates: readers never emit them.
_chars = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
_text = st.text(_chars, max_size=20)
_opt_text = st.none() | _text
_int = st.integers(-(2**31), 2**31 - 1)
_offsets = st.integers(-1439, 1439).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_moment = st.datetimes(timezones=st.none() | _offsets)  # naive or aware, any offset
_opt_moment = st.none() | _moment
_float = st.floats(allow_nan=False)


def _items(strategy):
    return st.lists(strategy, max_size=3)


_posts_lists = {
    "entities": _items(
        st.builds(Mention, text=_text, entity_id=_opt_text, start=_int, end=_int, type=_text)
    ),
    "quotes": _items(
        st.builds(
            Quote,
            text=_text,
            speaker=_opt_text,
            speaker_as_written=_opt_text,
            cue=_opt_text,
            kind=_text,
        )
    ),
    "quantities": _items(
        st.builds(
            Quantity,
            text=_text,
            value=st.none() | _float,
            unit=_opt_text,
            what=_opt_text,
            qualifier=_opt_text,
            currency=_opt_text,
        )
    ),
    "times": _items(
        st.builds(TimeRef, text=_text, start=_opt_moment, end=_opt_moment, anchor=_opt_moment)
    ),
    "events": _items(
        st.builds(
            Event,
            actor=_opt_text,
            action=_text,
            target=_opt_text,
            modality=_text,
            score=_float,
            text=_text,
        )
    ),
}


def _post(blog_id: str):
    return st.builds(
        Post,
        id=st.text(_chars, min_size=1, max_size=20),
        blog_id=st.just(blog_id),
        position=_int,
        headline=_text,
        body=st.lists(_text, max_size=3),
        kind=st.sampled_from(["news", "media", "housekeeping"]),
        published=_opt_moment,
        precision=st.none() | st.sampled_from(["minute", "day"]),
        dated_how=st.none() | st.sampled_from(["explicit", "metadata", "relative", "inferred"]),
        day=st.none() | st.dates(),
        stamp_text=_opt_text,
        captions=st.lists(_text, max_size=2),
        links=_items(st.builds(Link, text=_text, href=_opt_text)),
        native_id=_opt_text,
        url=_opt_text,
        revision=st.integers(1, 2**31 - 1),
        **_posts_lists,
    )


@st.composite
def parsed_documents(draw) -> Parsed:
    blog = draw(
        st.builds(
            Blog,
            id=st.text(_chars, min_size=1, max_size=20),
            title=_text,
            outlet=_opt_text,
            url=_opt_text,
            day=st.none() | st.dates(),
            byline=_opt_text,
            key_points=st.lists(_text, max_size=3),
            summary=st.lists(_text, max_size=3),
            language=_opt_text,
            reader=_opt_text,
            day_how=_opt_text,
            document_hash=_opt_text,
        )
    )
    posts = draw(st.lists(_post(blog.id), max_size=4, unique_by=lambda post: post.id))
    document = Document(
        source=draw(_text),
        content=draw(st.binary(max_size=20)),
        media_type="text/html",
        url=draw(_opt_text),
        fetched_at=draw(_opt_moment),
    )
    return Parsed(document=document, blog=blog, posts=posts)


def _zones(post: Post) -> list[object]:
    """Every datetime of a post with its utcoffset: equality of aware datetimes ignores it."""
    moments = [post.published] + [m for t in post.times for m in (t.start, t.end, t.anchor)]
    return [
        None if m is None else ("naive" if m.tzinfo is None else m.utcoffset()) for m in moments
    ]


# A new database per example: the fixture only hands them out.
@settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(parsed=parsed_documents())
def test_any_post_survives_the_store(databases: Databases, parsed: Parsed) -> None:
    with open_store(databases.new()) as store:
        result = store.save(parsed)
        assert result.new == len(parsed.posts)
        for post in parsed.posts:
            back = store.get_post(post.id)
            assert back == post
            assert _zones(back) == _zones(post)
        listed = {post.id: post for post in store.posts(blog_id=parsed.blog.id)}
        assert listed == {post.id: post for post in parsed.posts}
        assert store.get_blog(parsed.blog.id) == parsed.blog
        assert store.has_document(parsed.document.hash)


def test_tables_cover_every_model_field() -> None:
    """Adding a model field without a column (and a migration) fails here, not in production."""
    for attr, (table, cls) in CHILD_TABLES.items():
        assert set(table.c.keys()) - {"post_id", "ordinal"} == set(field_names(cls)), attr
    assert set(POST_COLUMNS) | set(CHILD_TABLES) == set(field_names(Post))
    assert set(POST_COLUMNS) <= set(schema.posts.c.keys())
    assert set(field_names(Blog)) <= set(schema.blogs.c.keys())


def test_offsets_and_naive_times_come_back_as_given(store: Store) -> None:
    parsed = make_parsed("zones", 0)
    odd = timezone(timedelta(hours=5, minutes=45))
    parsed.posts = [
        make_post("zones", 0, published=datetime(2022, 1, 26, 9, 0, tzinfo=odd)),
        make_post("zones", 1, published=datetime(2022, 1, 26, 9, 0)),
    ]
    store.save(parsed)
    aware, naive = store.get_post("zones-p0").published, store.get_post("zones-p1").published
    assert aware.utcoffset() == timedelta(hours=5, minutes=45) and aware.hour == 9
    assert naive.tzinfo is None and naive == datetime(2022, 1, 26, 9, 0)
    with store.engine.connect() as conn:
        stored = dict(conn.execute(sa.select(schema.posts.c.id, schema.posts.c.published)).all())
        utc = dict(conn.execute(sa.select(schema.posts.c.id, schema.posts.c.published_utc)).all())
    assert stored["zones-p0"] == datetime(2022, 1, 26, 9, 0, tzinfo=odd)
    assert utc["zones-p0"] == "2022-01-26T03:15:00.000000+00:00"


# -- re-ingestion and edits ----------------------------------------------------------------


def test_saving_the_same_document_twice_changes_nothing(store: Store) -> None:
    parsed = make_parsed("twice", 12)
    first = store.save(parsed)
    before = store.counts()
    second = store.save(parsed)
    assert (first.new, first.updated, first.unchanged) == (12, 0, 0)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 12)
    assert sorted(second.unchanged_ids) == sorted(post.id for post in parsed.posts)
    assert store.counts() == before == {"blogs": 1, "posts": 12, "revisions": 0, "documents": 1, "stories": 0}
    assert all(store.get_post(post.id) == post for post in parsed.posts)


def test_unchanged_post_gets_its_new_position(store: Store) -> None:
    parsed = make_parsed("moves", 3)
    store.save(parsed)
    moved = copy.deepcopy(parsed.posts)
    for post in moved:
        post.position += 1  # a new post arrived on top
    store.save(reparsed(parsed, moved))
    assert [store.get_post(p.id).position for p in parsed.posts] == [1, 2, 3]


def test_changed_body_is_a_new_revision(store: Store) -> None:
    parsed = make_parsed("edit", 3)
    store.save(parsed)
    edited = copy.deepcopy(parsed.posts)
    edited[1].body = [*edited[1].body, "This post has been updated with a correction."]
    result = store.save(reparsed(parsed, edited))
    assert result.updated_ids == ["edit-p1"] and result.unchanged == 2 and result.new == 0
    current = store.get_post("edit-p1")
    assert current.revision == 2 and current.body == edited[1].body
    history = store.revisions("edit-p1")
    assert [h["revision"] for h in history] == [1]
    assert (
        history[0]["body"] == parsed.posts[1].body
        and history[0]["headline"] == parsed.posts[1].headline
    )
    assert store.counts()["revisions"] == 1 and store.counts()["posts"] == 3


def test_enrichment_is_replaced_when_a_post_changes(store: Store) -> None:
    parsed = make_parsed("enrich", 1)
    store.save(parsed)
    edited = copy.deepcopy(parsed.posts)
    edited[0].body = ["Completely rewritten body text about something else entirely."]
    edited[0].entities = []
    edited[0].quotes = [Quote("new quote", None, None)]
    store.save(reparsed(parsed, edited))
    back = store.get_post("enrich-p0")
    assert back.entities == [] and back.quotes == [Quote("new quote", None, None)]
    assert back.quantities == parsed.posts[0].quantities


def test_edited_headline_keeps_the_old_id(store: Store) -> None:
    parsed = make_parsed("retitled", 4)
    store.save(parsed)
    edited = copy.deepcopy(parsed.posts)
    edited[2].headline = "Update 2: talks on item 2 stall in city2"
    edited[2].id = "retitled-new-id-from-headline"
    result = store.save(reparsed(parsed, edited))
    assert result.matched == {"retitled-new-id-from-headline": "retitled-p2"}
    assert result.updated_ids == ["retitled-p2"] and result.new == 0 and result.unchanged == 3
    assert store.get_post("retitled-new-id-from-headline") is None
    current = store.get_post("retitled-p2")
    assert current.headline == edited[2].headline and current.revision == 2
    assert store.revisions("retitled-p2")[0]["headline"] == parsed.posts[2].headline
    assert store.counts()["posts"] == 4


def test_a_different_new_post_is_not_taken_for_an_edit(store: Store) -> None:
    parsed = make_parsed("fresh", 3)
    store.save(parsed)
    later = copy.deepcopy(parsed.posts[:2])  # p2 dropped off the page ...
    later.append(
        make_post("fresh", 3, headline="Markets fall", body=["Stocks slid on Wall Street."])
    )
    result = store.save(reparsed(parsed, later))  # ... and a genuinely new post arrived
    assert result.new_ids == ["fresh-p3"] and result.matched == {} and result.updated == 0
    assert store.counts()["posts"] == 4


def test_edit_similarity_threshold_separates_edits_from_other_posts() -> None:
    a, b = make_post("s", 1), make_post("s", 2)
    retitled = tokens("Talks on item 1 collapse", a.body)
    assert jaccard(tokens(a.headline, a.body), retitled) >= EDIT_SIMILARITY
    assert jaccard(tokens(a.headline, a.body), tokens(b.headline, b.body)) < EDIT_SIMILARITY
    # most similar pairs first, each old post used once
    new = {"n1": tokens("x y z w", []), "n2": tokens("x y z q", [])}
    assert match_edits(new, {"old": tokens("x y z w", [])}) == {"n1": "old"}


# -- atomicity -----------------------------------------------------------------------------


def _fail(*args, **kwargs):
    raise RuntimeError("disk on fire")


@pytest.mark.parametrize("stage", ["_stored_posts", "_replace_children"])
def test_failed_save_leaves_the_database_as_it_was(store: Store, monkeypatch, stage: str) -> None:
    """Fail after the blog upsert (`_stored_posts`) or after the posts are written."""
    parsed = make_parsed("atomic", 5)
    store.save(parsed)
    edited = copy.deepcopy(parsed.posts)
    edited[0].body = ["changed"]
    changed = reparsed(parsed, [*edited, make_post("atomic", 9)])
    changed.blog.title = "A new title"
    other = make_parsed("other-blog", 3)
    before = dump(store)
    monkeypatch.setattr(writer, stage, _fail)
    for attempt in (changed, other):
        with pytest.raises(StoreError) as caught:
            store.save(attempt)
        assert "disk on fire" in caught.value.message and caught.value.code == "E400"
        assert dump(store) == before


def test_invalid_parsed_is_refused_before_writing(store: Store) -> None:
    parsed = make_parsed("bad", 2)
    parsed.posts[1].id = parsed.posts[0].id
    with pytest.raises(StoreError, match="occurs twice"):
        store.save(parsed)
    parsed = make_parsed("bad", 2)
    parsed.posts[1].blog_id = "elsewhere"
    with pytest.raises(StoreError, match="belongs to blog"):
        store.save(parsed)
    with pytest.raises(StoreError, match="no blog"):
        store.save(Parsed(document=parsed.document))
    assert store.counts() == {"blogs": 0, "posts": 0, "revisions": 0, "documents": 0, "stories": 0}


POSTS_PER_DOCUMENT = 40

_CHILD = """
import sys, time
sys.path[:0] = [{root!r}, {tests!r}]
from storyline.store import open_store, writer
from test_store import make_parsed, POSTS_PER_DOCUMENT
mode, path = sys.argv[1], sys.argv[2]
if mode == "inside":
    original = writer._replace_children
    def stall(conn, posts, replaced_ids):
        original(conn, posts, replaced_ids)
        if posts and posts[0][1].blog_id == "blog-0020":
            print("inside", flush=True)
            time.sleep(60)
    writer._replace_children = stall
store = open_store(path)
for i in range(10_000):
    store.save(make_parsed(f"blog-{{i:04d}}", POSTS_PER_DOCUMENT))
    print(i, flush=True)
"""


@pytest.mark.parametrize("mode", ["inside", "anytime"])
def test_killed_writer_leaves_only_whole_documents(tmp_path: Path, mode: str) -> None:
    """SIGKILL a process that is saving documents: in the middle of a transaction
    ('inside': posts written, not committed) or at an arbitrary moment ('anytime')."""
    path = tmp_path / "killed.db"
    code = _CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"))
    child = subprocess.Popen(
        [sys.executable, "-c", code, mode, str(path)], stdout=subprocess.PIPE, text=True
    )
    committed = -1
    try:
        deadline = time.monotonic() + 60
        for line in child.stdout:
            if line.strip() == "inside":
                break
            committed = int(line)
            if mode == "anytime" and committed >= 12:
                time.sleep(0.013)  # land somewhere inside the next saves
                break
            assert time.monotonic() < deadline, "child too slow"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert committed >= 12

    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        per_blog = dict(
            raw.execute("SELECT blog_id, count(*) FROM posts GROUP BY blog_id").fetchall()
        )
        blogs = {row[0] for row in raw.execute("SELECT id FROM blogs")}
        documents = raw.execute("SELECT count(*) FROM documents").fetchone()[0]
        orphans = raw.execute(
            "SELECT count(*) FROM post_entities WHERE post_id NOT IN (SELECT id FROM posts)"
        ).fetchone()[0]
    assert all(f"blog-{i:04d}" in blogs for i in range(committed + 1))  # every commit survived
    assert set(per_blog) == blogs and set(per_blog.values()) == {POSTS_PER_DOCUMENT}
    assert documents == len(blogs) and orphans == 0
    if mode == "inside":
        assert "blog-0020" not in blogs and len(blogs) == 20
    with open_store(str(path)) as reopened:  # and it opens and takes writes again
        assert reopened.save(make_parsed("after", 2)).new == 2


def test_concurrent_writers_wait_for_each_other(databases: Databases) -> None:
    path = databases.new()
    # no open beforehand: the three also race to create and migrate the database
    errors: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            with open_store(path) as mine:
                for i in range(15):
                    mine.save(make_parsed(f"{prefix}-{i}", 10))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_store(path) as store:
        assert store.counts()["blogs"] == 45 and store.counts()["posts"] == 450


# -- reading -------------------------------------------------------------------------------


def test_posts_are_ordered_by_instant_with_undated_last(store: Store) -> None:
    parsed = make_parsed("order", 0)
    parsed.posts = [
        make_post(
            "order", 0, published=datetime(2022, 1, 26, 10, 0, tzinfo=timezone(timedelta(hours=5)))
        ),  # 05:00Z
        make_post("order", 1, published=datetime(2022, 1, 26, 9, 0, tzinfo=timezone.utc)),  # 09:00Z
        make_post(
            "order", 2, published=datetime(2022, 1, 26, 4, 0, tzinfo=EST)
        ),  # 09:00Z, later on page
        make_post("order", 3),
        make_post("order", 4),
    ]
    parsed.posts[3].published = parsed.posts[4].published = None
    store.save(parsed)
    newest = [post.id[-2:] for post in store.posts()]
    oldest = [post.id[-2:] for post in store.posts(newest_first=False)]
    assert newest == ["p1", "p2", "p0", "p3", "p4"]
    assert oldest == ["p0", "p2", "p1", "p4", "p3"]
    assert [p.id[-2:] for p in store.posts(limit=2, offset=1)] == ["p2", "p0"]


def test_post_filters(store: Store) -> None:
    store.save(make_parsed("cnn-21", 3, outlet="CNN", day=date(2022, 1, 21)))
    other = make_parsed("aj-26", 4, outlet="Al Jazeera")
    other.posts[0].kind = "housekeeping"
    other.posts[1].day = date(2022, 1, 25)
    store.save(other)
    assert {p.blog_id for p in store.posts(outlet="CNN")} == {"cnn-21"}
    assert len(store.posts(outlet="Al Jazeera")) == 4 and store.posts(outlet="BBC") == []
    assert [p.id for p in store.posts(kind="housekeeping")] == ["aj-26-p0"]
    assert [p.id for p in store.posts(day=date(2022, 1, 25))] == ["aj-26-p1"]
    assert len(store.posts(blog_id="aj-26")) == 4
    start = datetime(2022, 1, 26, 9, 1, tzinfo=CET)
    window = store.posts(since=start, until=start + timedelta(minutes=2), newest_first=False)
    assert [p.id for p in window] == ["aj-26-p1", "cnn-21-p1", "aj-26-p2", "cnn-21-p2"]
    assert store.posts(since=start.astimezone(timezone.utc), until=start.astimezone(EST)) == []
    assert [b.id for b in store.blogs()] == ["aj-26", "cnn-21"]
    assert store.get_blog("nope") is None and store.get_post("nope") is None


def test_fetch_state_is_remembered_and_replaced(store: Store) -> None:
    assert store.fetch_state("https://example.org/live") is None
    store.record_fetch("https://example.org/live", '"v1"', "Wed, 26 Jan 2022 09:00:00 GMT", "h1")
    store.record_fetch("https://example.org/live", '"v2"', None, "h2")
    assert store.fetch_state("https://example.org/live") == ('"v2"', None)
    assert not store.has_document("h2")


# -- opening, migrations, errors -----------------------------------------------------------


def test_sqlite_connections_are_configured(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "s.db")) as store, store.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("busy_timeout") == 5000


def test_migrate_twice_is_a_no_op(store: Store) -> None:
    before = dump(store)
    assert migrate(store.engine) == []
    assert migrate(store.engine) == []
    assert dump(store) == before
    assert [row[0] for row in before["schema_migrations"]] == [repr(v) for v, _, _ in MIGRATIONS]


def test_a_failing_migration_step_is_rolled_back(databases: Databases) -> None:
    engine = create_engine(databases.new())

    def broken(conn: sa.Connection) -> None:
        sa.Table("half_done", sa.MetaData(), sa.Column("x", sa.Integer)).create(conn)
        raise RuntimeError("step 2 failed")

    with pytest.raises(RuntimeError):
        migrate(engine, [*MIGRATIONS, (LATEST_VERSION + 1, "broken", broken)])
    assert "half_done" not in sa.inspect(engine).get_table_names()
    assert "posts" in sa.inspect(engine).get_table_names()
    assert migrate(engine) == []  # step 1 was recorded; the broken step was not
    engine.dispose()


def test_a_newer_database_is_refused(databases: Databases) -> None:
    url = databases.new()
    with open_store(url) as store, store.engine.begin() as conn:
        future = {
            "version": LATEST_VERSION + 1,
            "name": "from the future",
            "applied_at": datetime(2030, 1, 1),
        }
        conn.execute(sa.insert(schema.schema_migrations).values(future))
        where = store.url
    with pytest.raises(SchemaError) as caught:
        open_store(url)
    assert caught.value.code == "E401" and "upgrade storyline" in caught.value.message
    assert caught.value.where == where


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there.db"
    with open_store(str(path)) as store:
        store.save(make_parsed("x", 1))
    assert path.is_file()
    with open_store(f"sqlite:///{path}") as again:
        assert again.counts()["posts"] == 1


def test_an_unopenable_path_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(str(tmp_path))  # a folder, not a database file
    assert caught.value.code in {"E400", "E401"}
    assert str(tmp_path) in caught.value.line() and "open" in caught.value.message


def test_passwords_never_show_in_errors() -> None:
    # Port 1 on loopback refuses at once; without psycopg installed the error says so.
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://reader:s3cret-pw@127.0.0.1:1/storyline")
    shown = caught.value.line()
    assert "s3cret-pw" not in shown and "reader:***@127.0.0.1" in shown


# -- speed ---------------------------------------------------------------------------------


def test_save_rate_is_printed(databases: Databases, capsys) -> None:
    """Pages of 50 posts with all enrichments; the lead benchmarks the figure."""
    pages = [make_parsed(f"speed-{i}", 50) for i in range(40)]
    with open_store(databases.new()) as store:
        started = time.perf_counter()
        results: list[SaveResult] = [store.save(page) for page in pages]
        first = time.perf_counter() - started
        started = time.perf_counter()
        for page in pages:
            store.save(page)
        again = time.perf_counter() - started
        assert sum(r.new for r in results) == 2000 and store.counts()["posts"] == 2000
    with capsys.disabled():
        print(
            f"\nstore save rate ({databases.backend}, 50-post pages): "
            f"new {2000 / first:,.0f} posts/s, "
            f"re-ingest unchanged {2000 / again:,.0f} posts/s"
        )


def test_a_plain_postgresql_url_uses_psycopg_3() -> None:
    pytest.importorskip("psycopg", reason="psycopg is installed by make (requirements.lock)")
    from storyline.store.database import create_engine

    engine = create_engine("postgresql://reader@127.0.0.1:5/nowhere")  # no connection is made
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_data_version_moves_with_every_committed_change_only(databases: Databases) -> None:
    """What ETags and the views' caches key on: a save and an edit move it; reads and a
    rolled-back write do not (on PostgreSQL it is one counter row moved at commit,
    store/changes.py; on SQLite a fingerprint read after each commit)."""
    with open_store(databases.new()) as store:
        versions = [store.data_version()]
        parsed = make_parsed("dv", 3)
        store.save(parsed, made_by="m")
        versions.append(store.data_version())
        store.posts()
        assert store.data_version() == versions[-1]
        edited = copy.deepcopy(parsed.posts)
        edited[0].body = ["A rewritten first paragraph about something else entirely."]
        store.save(reparsed(parsed, edited), made_by="m")
        versions.append(store.data_version())
        with pytest.raises(RuntimeError), store.engine.begin() as conn:
            conn.execute(sa.update(schema.posts).values(headline="never"))
            raise RuntimeError("rolled back")
        assert store.data_version() == versions[-1]
        assert len(set(versions)) == len(versions), versions


def test_known_data_version_is_given_only_while_nothing_was_committed(tmp_path) -> None:
    """What the API tags a request with on its event loop, without reading anything: the
    version last read while no commit came since, else None (then it is read)."""
    with open_store(f"sqlite:///{tmp_path / 'known.db'}") as store:
        assert store.known_data_version() is None  # never read yet
        first = store.data_version()
        assert store.known_data_version() == first
        store.save(make_parsed("kv", 2), made_by="m")
        assert store.known_data_version() is None  # a commit since: must be read again
        second = store.data_version()
        assert second != first and store.known_data_version() == second
        with open_store(f"sqlite:///{tmp_path / 'known.db'}") as other:  # another writer
            other.save(make_parsed("kv2", 1), made_by="m")
        assert store.known_data_version() is None
