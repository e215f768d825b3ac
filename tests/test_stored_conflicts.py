"""Conflicts assembled ahead of reading (assemble/stored.py, store/conflicts.py): the same
conflicts as worked out when read, redone only for weeks whose posts changed, safe to stop
halfway, and what story pages and the server read. Both backends where a database is used."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from storyline.assemble import stored as assembled
from storyline.assemble.conflicts import WINDOW
from storyline.assemble.stored import refresh_conflicts, week_of, weeks_holding, window
from storyline.model import Blog, Document, Parsed, Post
from storyline.serve import views
from storyline.store import open_store, schema
from tests.conftest import ingested_examples

from .test_conflicts import troops

START = date(2022, 1, 3)  # a Monday


def _save(store, outlet: str, posts: list[Post], version: str = "") -> None:
    blog = Blog(id=f"blog-{outlet}", title=f"Live: {outlet}", outlet=outlet, url=None, day=max(p.day for p in posts if p.day))
    for position, post in enumerate(posts):
        post.blog_id, post.position = blog.id, position
    document = Document(source=f"{outlet}.html", content=f"{outlet}{version}".encode() + b"".join(p.text.encode() for p in posts),
                        media_type="text/html")
    store.save(Parsed(document=document, blog=blog, posts=posts), made_by="test")


def _corpus(store) -> None:
    """Two outlets counting troops over twelve weeks: agreeing, disagreeing, far apart."""
    north, south = [], []
    for week in range(12):
        day = START + timedelta(weeks=week, days=2)
        north.append(troops(f"n{week}", f"{100_000 + 1_000 * week:,}", 100_000 + 1_000 * week, None, day))
        value = 130_000 if week % 3 == 0 else 100_000 + 1_000 * week  # every third week they disagree
        south.append(troops(f"s{week}", f"{value:,}", value, None, day + timedelta(days=1)))
    _save(store, "North", north)
    _save(store, "South", south)


def _expected(store, week: date, post_ids: list[str]) -> list[dict]:
    """The week's conflicts worked out directly from its window's posts."""
    since, until = window(week)
    outlets = store.outlets()
    rows = [(p, outlets[p.blog_id]) for p in store.posts(first_day=since, last_day=until, newest_first=False)]
    ids = set(post_ids)
    return [c for _, c in assembled.week_conflicts(rows) if ids & {claim["post_id"] for claim in c["claims"]}]


def _read(store, week: date, post_ids: list[str]) -> list[dict] | None:
    return store.week_conflicts(week, *window(week), post_ids)


def _tables(store) -> dict[str, list[tuple]]:
    with store.engine.connect() as conn:
        return {t.name: sorted(tuple(str(v) for v in row) for row in conn.execute(sa.select(t)))
                for t in schema.CONFLICT_TABLES}


def test_weeks_and_windows() -> None:
    day = date(2022, 1, 26)  # a Wednesday
    assert week_of(day) == date(2022, 1, 24)
    assert window(date(2022, 1, 24)) == (date(2022, 1, 10), date(2022, 2, 13))
    holding = weeks_holding(day)
    assert len(holding) == 5 and all(window(w)[0] <= day <= window(w)[1] for w in holding)
    outside = [holding[0] - timedelta(weeks=1), holding[-1] + timedelta(weeks=1)]
    assert not any(window(w)[0] <= day <= window(w)[1] for w in outside)
    assert WINDOW == timedelta(days=14)  # the five weeks above follow from it
    for edge in (date.min, date.max, date.max - timedelta(days=3)):  # the calendar's ends do not overflow
        assert weeks_holding(edge) and window(weeks_holding(edge)[-1])


def test_stored_conflicts_are_those_worked_out(databases) -> None:
    with open_store(databases.new()) as store:
        _corpus(store)
        assert _read(store, START, ["n0"]) is None  # not assembled yet: work them out
        done = refresh_conflicts(store)
        assert done.days == 24 and done.weeks == 12 + 4 and done.conflicts > 0  # each day is in 5 weeks
        shown = 0
        for post in store.posts():
            week = week_of(post.day)
            found = _read(store, week, [post.id])
            assert found == _expected(store, week, [post.id]), post.id
            shown += bool(found)
        assert shown >= 8  # the disagreeing weeks' posts, on both sides
        assert refresh_conflicts(store).weeks == 0  # nothing changed: nothing redone


def test_an_edit_makes_its_weeks_stale_until_the_next_refresh(databases) -> None:
    with open_store(databases.new()) as store:
        _corpus(store)
        refresh_conflicts(store)
        before = _tables(store)
        day = START + timedelta(weeks=5, days=2)
        north = [p for p in store.posts(outlet="North", newest_first=False)]
        edited = [troops(p.id, "150,000", 150_000, None, p.day) if p.day == day else p for p in north]
        _save(store, "North", edited, version="+edit")
        assert _read(store, week_of(day), ["n5"]) is None  # its window changed
        assert _read(store, START + timedelta(weeks=11), ["n11"]) is not None  # far away: still current
        done = refresh_conflicts(store)
        assert (done.days, done.weeks) == (1, 5)
        found = _read(store, week_of(day), ["n5"])
        assert found == _expected(store, week_of(day), ["n5"])
        assert any(claim["value"] == 150_000 for c in found for claim in c["claims"])
        assert _tables(store) != before


def test_a_stopped_refresh_keeps_its_work_and_the_next_one_finishes(databases, monkeypatch) -> None:
    with open_store(databases.new()) as store:
        _corpus(store)
        monkeypatch.setattr(assembled, "CHUNK_WEEKS", 2)
        chunks = iter(range(100))
        first = refresh_conflicts(store, stop=lambda: next(chunks) >= 3)  # as a kill after 3 chunks
        assert first.weeks == 6
        with store.engine.connect() as conn:
            marked = conn.execute(sa.select(schema.conflict_days.c.day)).scalars().all()
        assert 0 < len(marked) < 24  # only days whose every week is done
        assert _read(store, START + timedelta(weeks=11), ["n11"]) is None
        second = refresh_conflicts(store)
        assert second.weeks > 0 and refresh_conflicts(store).weeks == 0
        for post in store.posts():
            assert _read(store, week_of(post.day), [post.id]) == _expected(store, week_of(post.day), [post.id])


def test_undated_and_housekeeping_posts_take_no_part(tmp_path) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        undated = troops("u", "130,000", 130_000, None, START)
        undated.day = None
        housekeeping = troops("h", "120,000", 120_000, None, START)
        housekeeping.kind = "housekeeping"
        _save(store, "North", [troops("a", "100,000", 100_000, None, START), undated, housekeeping])
        done = refresh_conflicts(store)
        assert done.conflicts == 0 and _read(store, START, ["a"]) == []


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory) -> str:
    return ingested_examples(tmp_path_factory, "examples")


def test_ingest_assembles_and_story_pages_read_what_is_stored(examples_db, monkeypatch) -> None:
    with open_store(examples_db) as store:
        assert refresh_conflicts(store).weeks == 0  # ingest already assembled them
        worked_out = {s.id: views._worked_out_conflicts(store, s, store.posts_by_id(s.post_ids), *window(week_of(s.day)))
                      for s in store.stories() if s.day}

        def refuse(*_args, **_kwargs):
            raise AssertionError("worked out a stored week")

        monkeypatch.setattr(views, "_worked_out_conflicts", refuse)
        pages = {sid: views.story(store, sid)["conflicts"] for sid in worked_out}
    assert pages == worked_out
    assert any(pages.values())  # the examples' troop figures


def test_without_stored_conflicts_story_pages_work_them_out(examples_db, tmp_path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(examples_db).read_bytes())
    with open_store(str(copy)) as store:
        with store.engine.begin() as conn:  # as a database from before migration 6
            for table in reversed(schema.CONFLICT_TABLES):
                conn.execute(sa.delete(table))
        pages = {s.id: views.story(store, s.id)["conflicts"] for s in store.stories() if s.day}
        refresh_conflicts(store)
        assert pages == {sid: views.story(store, sid)["conflicts"] for sid in pages}


def test_the_server_assembles_on_start(examples_db, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from storyline.serve.app import create_app
    from storyline.settings import Options

    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(examples_db).read_bytes())
    with open_store(str(copy)) as store, store.engine.begin() as conn:
        conn.execute(sa.delete(schema.conflict_days))
    with TestClient(create_app(Options(database_url=str(copy)))) as client:
        client.app.state.learner.join(timeout=60)
        assert client.get("/api/health").json()["status"] == "ok"
    with open_store(str(copy)) as store:
        assert refresh_conflicts(store).weeks == 0
