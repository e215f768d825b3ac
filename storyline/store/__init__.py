"""The store: parsed live blogs in SQLite (default) or PostgreSQL, through SQLAlchemy Core.

    with open_store("storyline.db") as store:       # or "postgresql://user:pw@host/db"
        result = store.save(parsed, made_by="pipeline.v1")
        posts = store.posts(outlet="CNN", day=date(2022, 1, 21))

One ``Store`` class serves both backends; the few dialect differences (SQLite connection
settings, PostgreSQL advisory locks) sit in ``database.py``, ``migrations.py`` and
``writer.py``. Every driver or SQL failure surfaces as ``StoreError`` (E400) naming the
database URL with its password masked; a database newer than this code is ``SchemaError``.

Modules: ``schema`` (tables) · ``migrations`` (recorded schema steps) · ``database``
(engines, transactions, errors) · ``rows`` (records <-> rows) · ``writer`` (save) ·
``queries`` (reads) · ``similarity`` (recognising edited posts).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from types import TracebackType
from typing import Any, Callable

import sqlalchemy as sa

from ..errors import StoreError
from ..model import Blog, Parsed, Post, Story
from . import charts, facts, queries, schema
from . import conflicts as conflict_store
from . import stories as story_queries
from .commits import CommitWatch
from .database import create_engine, mask, store_errors, write_transaction
from .migrations import migrate
from .writer import SaveResult, check_parsed, save_parsed

__all__ = ["SaveResult", "Store", "migrate", "open_store"]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def open_store(url: str, *, clock: Callable[[], datetime] = _utc_now) -> "Store":
    """Open (creating and migrating as needed) the database at a URL or bare SQLite path."""
    engine = create_engine(url)
    where = mask(engine.url)
    try:
        with store_errors("open the database", where):
            migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, clock=clock)


class Store:
    """Blogs, posts, their revisions and fetch state in one database."""

    def __init__(self, engine: sa.Engine, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.engine = engine
        self.url = mask(engine.url)
        self._clock = clock
        self._commits = CommitWatch.of(engine)
        self._version: tuple[int, str] | None = None  # (commit count, data version) last read

    # -- writing -------------------------------------------------------------------------

    def save(self, parsed: Parsed, made_by: str = "") -> SaveResult:
        """Store one document, its blog and posts in one transaction: all of it or nothing."""
        check_parsed(parsed)
        where = parsed.document.url or parsed.document.source
        try:
            with store_errors(f"save to {self.url}", where), write_transaction(self.engine) as conn:
                return save_parsed(conn, parsed, made_by, self._clock())
        except StoreError:
            raise
        except Exception as exc:  # rolled back already; report it in the store's terms
            raise StoreError(
                f"cannot save to {self.url}: {type(exc).__name__}: {exc}", where
            ) from exc

    def record_fetch(
        self, url: str, etag: str | None, last_modified: str | None, hash: str | None
    ) -> None:
        """Remember what a fetch of `url` returned, for the next conditional request."""
        table = schema.fetch_state
        values = {
            "etag": etag,
            "last_modified": last_modified,
            "hash": hash,
            "checked_at": self._clock(),
        }
        with store_errors("record a fetch", self.url), write_transaction(self.engine) as conn:
            exists = conn.execute(sa.select(table.c.url).where(table.c.url == url)).first()
            if exists:
                conn.execute(sa.update(table).where(table.c.url == url).values(values))
            else:
                conn.execute(sa.insert(table).values(url=url, **values))

    # -- reading -------------------------------------------------------------------------

    def posts(
        self,
        *,
        outlet: str | None = None,
        day: date | None = None,
        kind: str | None = None,
        blog_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        newest_first: bool = True,
        limit: int | None = None,
        offset: int = 0,
        first_day: date | None = None,
        last_day: date | None = None,
    ) -> list[Post]:
        """Posts by published time (then page position); posts with no time come last.
        `since`/`until` are instants (posts known only to the day are left out);
        `first_day`/`last_day` are days, inclusive, and keep them."""
        where = queries.PostFilter(
            outlet, day, kind, blog_id, since, until, newest_first, limit, offset, first_day, last_day
        )
        return self._read("read posts", queries.select_posts, where)

    def posts_by_id(self, post_ids: list[str]) -> dict[str, Post]:
        """The posts with these ids (with their enrichment), by id; unknown ids are left out."""
        return self._read("read posts", queries.posts_by_id, list(post_ids))

    def outlets(self) -> dict[str, str]:
        """Blog id -> outlet name."""
        return {b.id: b.outlet or "" for b in self.blogs()}

    def get_post(self, post_id: str) -> Post | None:
        return self._read("read a post", queries.get_post, post_id)

    def revisions(self, post_id: str) -> list[dict[str, Any]]:
        """Earlier versions of a post, oldest first: post_id, revision, headline, body,
        captions, content_hash, recorded_at (when that version was replaced)."""
        return self._read("read revisions", queries.post_revisions, post_id)

    def blogs(self) -> list[Blog]:
        """All blogs, newest day first."""
        return self._read("read blogs", queries.select_blogs)

    def get_blog(self, blog_id: str) -> Blog | None:
        found = self._read("read a blog", queries.select_blogs, blog_id)
        return found[0] if found else None

    def quotes(self, speaker: str | None = None, *, day: date | None = None, outlet: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes in time order with their source post; `speaker` matches any spelling of
        the name, the surname, or the speaker as written."""
        return self._read("read quotes", facts.select_quotes, speaker, facts.FactFilter(day, outlet, limit, offset))

    def entities(self, kind: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """The corpus's entities, most mentioned first, with mention, post and quote counts."""
        return self._read("read entities", facts.select_entities, kind, limit, offset)

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        found = self._read("read an entity", facts.select_entities, None, None, 0, entity_id)
        return found[0] if found else None

    def figures(self, what: str | None = None, *, day: date | None = None, outlet: str | None = None,
                limit: int | None = None, offset: int = 0, first_day: date | None = None,
                last_day: date | None = None) -> list[dict[str, Any]]:
        """Figures in time order with their source post; `what` matches what is counted;
        first_day..last_day (inclusive) bound the posts' days."""
        where = facts.FactFilter(day, outlet, limit, offset, first_day, last_day)
        return self._read("read figures", facts.select_figures, what, where)

    def stories(self, *, day: date | None = None, since: date | None = None, until: date | None = None,
                outlet: str | None = None, entity: str | None = None, action: str | None = None,
                limit: int | None = None, newest_first: bool = False, offset: int = 0,
                ids: list[str] | None = None) -> list[Story]:
        """Stories in the order they happened (by day, then time), with their post ids;
        `entity` is any spelling of a name, `action` an event type ('sanction')."""

        def read(conn: sa.Connection) -> list[Story]:
            named = tuple(facts.entity_ids_named(conn, entity)) if entity else None
            where = story_queries.StoryFilter(
                day=day, since=since, until=until, outlet=outlet, entity_ids=named, action=action, limit=limit,
                newest_first=newest_first, offset=offset, story_ids=None if ids is None else tuple(ids),
            )
            return story_queries.select_stories(conn, where)

        return self._read("read stories", read)

    def story(self, story_id: str) -> Story | None:
        found = self.stories(ids=[story_id])
        return found[0] if found else None

    def post_texts(self, first_day: date | None = None, last_day: date | None = None) -> list[tuple[str, str]]:
        """(post id, text) of the news and media posts of those days (inclusive)."""
        return self._read("read post texts", facts.post_texts, first_day, last_day)

    def now(self) -> datetime:
        """The store's clock: what saved rows are stamped with (first_seen, recorded_at)."""
        return self._clock()

    def week_conflicts(self, week: date, first_day: date, last_day: date, post_ids: list[str]) -> list[dict[str, Any]] | None:
        """The stored conflicts of the week starting `week` that these posts take part in
        (assemble/stored.py), or None when the posts of first_day..last_day (the week's
        window) changed since they were assembled: then they must be worked out."""
        def read(conn: sa.Connection) -> list[dict[str, Any]] | None:
            if not conflict_store.week_is_current(conn, first_day, last_day):
                return None
            return conflict_store.week_conflicts(conn, week, post_ids)

        return self._read("read stored conflicts", read)

    def announcing_post_ids(self) -> list[str]:
        """Posts that refer to a future time, oldest first (the calendar's sources)."""
        return self._read("read announcing posts", facts.announcing_post_ids)

    def data_version(self) -> str:
        """Changes whenever anything readers see changes (ETags, caches). On a SQLite file
        it is read again only after a commit (store/commits.py)."""
        if self._commits is None:
            return self._read("read the data version", queries.data_version)
        commits, known = self._version_since_commit()  # before the read: a commit in between reads it again next time
        if known is not None:
            return known
        version = self._read("read the data version", queries.data_version)
        self._version = (commits, version)
        return version

    def known_data_version(self) -> str | None:
        """data_version() when nothing was committed since it was last read (microseconds:
        fit for an event loop), else None: then call data_version(), which reads it."""
        if self._commits is None or self._version is None:
            return None
        return self._version_since_commit()[1]

    def _version_since_commit(self) -> tuple[int, str | None]:
        """The commit count now, and the version last read if no commit came since."""
        with store_errors("read the data version", self.url):
            commits = self._commits.count()
        known = self._version
        return commits, (known[1] if known is not None and known[0] == commits else None)

    def posts_per_outlet_day(self) -> list[dict[str, Any]]:
        return self._read("count posts per day", charts.posts_per_outlet_day)

    def daily_event_score(self) -> list[dict[str, Any]]:
        return self._read("score days", charts.daily_event_score)

    def search(self, query: str, *, outlet: str | None = None, since: date | None = None,
               until: date | None = None, kind: str | None = None, limit: int = 20, offset: int = 0,
               semantic: bool = True) -> list[dict[str, Any]]:
        """Posts matching `query`, best first: full-text rank fused with vector similarity
        (without `semantic`, or without stored vectors or the model, full text alone).
        `since` and `until` are days, inclusive. Each hit: post_id, blog_id, outlet,
        headline, published, precision, day, kind, story_id, score, matched (["text",
        "vector"]), ranks, headline_segments and snippet ([text, is_match] pieces); see
        store/search.py for the ranking."""
        from .search import SearchFilter, minilm_embedding, search, search_turn
        from .search_queries import embedded_now
        from .search_vectors import vector_index, vectors_stored

        where = SearchFilter(outlet=outlet, since=since, until=until, kind=kind, limit=limit, offset=offset)
        embedding = minilm_embedding() if semantic and query and query.strip() else None
        if embedding is not None:
            model = embedding.model
            stored = vectors_stored(self.engine.url, model)
            if stored is None:  # not loaded in this process yet: a database without vectors never loads the model
                stored = self._read("load the search vectors", lambda conn: vector_index(conn, model)) is not None
            if stored:
                with store_errors("embed the query", self.url):
                    embedding = embedded_now(embedding, query)  # before its turn: waiting queries embed together
        with search_turn(self.engine.dialect.name):
            return self._read("search posts", search, query, where, embedding)

    def prepare_search(self) -> bool:
        """Load what the first search would otherwise wait for: the stored post vectors with
        their index, and the query model when there are vectors to compare with. False
        when there are none (full text alone needs nothing loaded)."""
        from ..errors import ModelMissing
        from .search import minilm_embedding
        from .search_vectors import vector_index

        embedding = minilm_embedding()
        index = self._read("load the search vectors", lambda conn: vector_index(conn, embedding.model))
        if index is None:
            return False
        try:
            embedding.embed("")  # loads the model; an empty text is never a query (search() skips it)
        except ModelMissing:
            return False
        return True

    def counts(self) -> dict[str, int]:
        """Rows stored: blogs, posts, revisions, documents."""
        return self._read("count rows", queries.counts)

    def fetch_state(self, url: str) -> tuple[str | None, str | None] | None:
        """(etag, last_modified) from the last recorded fetch of `url`, or None."""
        table = schema.fetch_state
        query = sa.select(table.c.etag, table.c.last_modified).where(table.c.url == url)
        row = self._read("read fetch state", lambda conn: conn.execute(query).first())
        return None if row is None else (row[0], row[1])

    def has_document(self, hash: str) -> bool:
        table = schema.documents
        query = sa.select(table.c.hash).where(table.c.hash == hash)
        return (
            self._read("look up a document", lambda conn: conn.execute(query).first()) is not None
        )

    def _read(self, what: str, read: Callable[..., Any], *args: Any) -> Any:
        with store_errors(what, self.url), self.engine.connect() as conn:
            return read(conn, *args)

    # -- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        if self._commits is not None:
            self._commits.close()
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"
