"""Full-text ranking and highlighting on each backend: SQLite's FTS5 index and
PostgreSQL's tsvector column (migration 4, search_index.py), for search.py.

The query reaches SQL only as an FTS5 expression or tsquery text of safe terms
(search_terms.py) in a bound parameter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from . import rows
from .search_terms import (
    MARK_END,
    MARK_START,
    Terms,
    fts5_expression,
    mark_prefixes,
    tsquery_text,
)

if TYPE_CHECKING:
    from .search import SearchFilter

# BM25 column weights (headline, body): the ratio of PostgreSQL's default A and B weights
# (1.0 / 0.4), so that both backends rank alike. A headline is the outlet's own summary.
BM25_WEIGHTS = (2.5, 1.0)
# With filters, FTS5's best depth x this many matches are ranked and checked first. 8: an
# outlet and a month of a corpus that spans a few outlets and months keep more than 1 in 8
# matches, so one ranking does; a narrower filter (one day) costs a second, larger one
# (bench/search_speed.py prints both cases).
FILTER_WINDOW = 8
# A day range holding at most this many posts is searched by reading FTS5's whole ranking
# against the set of its posts, not by checking the filters on windows of the ranking,
# which for a common word in a narrow range has to check tens of thousands of matches.
# Mean of 5 queries at 100k posts, set vs windows: 1,048 posts 24 vs 96 ms, 2,314 posts
# 24 vs 69 ms, 5,765 posts 33 vs 47 ms (bench/search_speed.py, "one day": p95 185 ms before).
NARROW_POSTS = 5000
# ts_rank_cd normalisation 1: rank / (1 + log(document length)), BM25's length damping.
TS_RANK_NORMALISATION = 1


def full_text_ranking(conn: sa.Connection, terms: Terms, where: SearchFilter, depth: int) -> list[str]:
    """Post ids containing every term, best first, at most `depth`."""
    if conn.dialect.name == "postgresql":
        return _ranking_postgresql(conn, terms, where, depth)
    return _ranking_sqlite(conn, terms, where, depth)


def _ranking_postgresql(conn: sa.Connection, terms: Terms, where: SearchFilter, depth: int) -> list[str]:
    filters, params = _filter_sql(where)
    joins = " JOIN blogs b ON b.id = p.blog_id" if where.outlet is not None else ""
    sql = (
        "SELECT p.id FROM posts p" + joins + ", to_tsquery('english', :match) AS q "
        "WHERE p.search_document @@ q" + filters +
        f" ORDER BY ts_rank_cd(p.search_document, q, {TS_RANK_NORMALISATION}) DESC, p.id LIMIT :depth"
    )
    return [row[0] for row in conn.execute(sa.text(sql), {**params, "match": tsquery_text(terms), "depth": depth})]


def _ranking_sqlite(conn: sa.Connection, terms: Terms, where: SearchFilter, depth: int) -> list[str]:
    """FTS5's ranking, filtered: within the few posts of a narrow day range, or by
    checking the filters on windows of FTS5's best matches (see the two below)."""
    match = fts5_expression(terms)
    docs = _docs_of_narrow_range(conn, where)
    if docs is not None:
        return _ranking_among(conn, match, docs, depth)
    return _ranking_windowed(conn, match, where, depth)


def _docs_of_narrow_range(conn: sa.Connection, where: SearchFilter) -> dict[int, str] | None:
    """doc -> post id of the posts passing the filters, when a day range holds at most
    NARROW_POSTS posts (counted on the day index: a millisecond); else None."""
    days = [(op, value.isoformat()) for op, value in ((">=", where.since), ("<=", where.until)) if value is not None]
    if not days:
        return None
    in_range = " AND ".join(f"day {op} :d{i}" for i, (op, _) in enumerate(days))
    params = {f"d{i}": value for i, (_, value) in enumerate(days)}
    count = conn.execute(sa.text(f"SELECT count(*) FROM (SELECT 1 FROM posts WHERE {in_range} LIMIT :over)"),
                         {**params, "over": NARROW_POSTS + 1}).scalar()
    if count > NARROW_POSTS:
        return None
    filters, params = _filter_sql(where)
    joins = " CROSS JOIN blogs b ON b.id = p.blog_id" if where.outlet is not None else ""
    found = conn.execute(sa.text(
        f"SELECT t.doc, t.post_id FROM posts p CROSS JOIN post_search_text t ON t.post_id = p.id{joins} "
        f"WHERE 1 = 1{filters}"), params)
    return dict(found.all())


def _ranking_among(conn: sa.Connection, match: str, docs: dict[int, str], depth: int) -> list[str]:
    """FTS5's whole ranking read in order, keeping these posts, until `depth` are found.
    (Asking FTS5 about each post, `rowid IN (...)`, re-expands a prefix for every one:
    450 ms for a day of 427 posts.)"""
    if not docs:
        return []
    bm25 = f"bm25(post_search, {BM25_WEIGHTS[0]}, {BM25_WEIGHTS[1]})"
    ranked = conn.execute(sa.text(f"SELECT rowid FROM post_search WHERE post_search MATCH :match ORDER BY {bm25}, rowid"),
                          {"match": match})
    ids = []
    for (doc,) in ranked:
        if doc in docs:
            ids.append(docs[doc])
            if len(ids) == depth:
                break
    ranked.close()
    return ids


def _ranking_windowed(conn: sa.Connection, match: str, where: SearchFilter, depth: int) -> list[str]:
    """FTS5 ranks alone (a top-N heap over its matches); the filters are then checked on
    that ranked window, 500 posts at a time, until `depth` pass; a window that runs out
    while the index has more matches is ranked again, as much larger as the pass rate so
    far says (FILTER_WINDOW times when nothing passed). Joining posts to every match
    instead cost 200 ms for a word in a fifth of 100k posts, against 35 ms for the ranking
    alone."""
    filters, params = _filter_sql(where)
    bm25 = f"bm25(post_search, {BM25_WEIGHTS[0]}, {BM25_WEIGHTS[1]})"
    ranked = sa.text(f"SELECT rowid FROM post_search WHERE post_search MATCH :match ORDER BY {bm25}, rowid LIMIT :window")
    # CROSS JOIN fixes the order: from the window's docs out. Left to itself, SQLite started
    # from every post of the outlet (6 s at 100k posts instead of 5 ms).
    joins = "CROSS JOIN posts p ON p.id = t.post_id" + \
        (" CROSS JOIN blogs b ON b.id = p.blog_id" if where.outlet is not None else "")
    passing = sa.text(f"SELECT t.doc, t.post_id FROM post_search_text t {joins} WHERE t.doc IN :docs{filters}") \
        .bindparams(sa.bindparam("docs", expanding=True))
    window = depth * FILTER_WINDOW if filters else depth
    checked, ids = 0, []
    while True:
        docs = [row[0] for row in conn.execute(ranked, {"match": match, "window": window})]
        for batch in rows.chunks(docs[checked:]):
            found = dict(conn.execute(passing, {**params, "docs": batch}).all())
            ids += [found[doc] for doc in batch if doc in found]
            checked += len(batch)
            if len(ids) >= depth:
                return ids[:depth]
        if len(docs) < window:  # every match checked
            return ids
        # As many more as the pass rate so far says are needed, with a quarter to spare.
        window = max(window * 2, checked * depth * 5 // (4 * len(ids)) if ids else window * FILTER_WINDOW)


def _filter_sql(where: SearchFilter) -> tuple[str, dict[str, Any]]:
    """SQL conditions on posts p and blogs b, with their parameters."""
    parts, params = [], {}
    if where.outlet is not None:
        parts.append("b.outlet = :outlet")
        params["outlet"] = where.outlet
    if where.kind is not None:
        parts.append("p.kind = :kind")
        params["kind"] = where.kind
    if where.since is not None:
        parts.append("p.day >= :since")
        params["since"] = where.since.isoformat()
    if where.until is not None:
        parts.append("p.day <= :until")
        params["until"] = where.until.isoformat()
    return "".join(" AND " + part for part in parts), params


def hit_texts(conn: sa.Connection, post_ids: list[str], terms: Terms) -> dict[str, tuple[str, str]]:
    """post id -> (headline, body as one text, a paragraph per line), with every query term
    that occurs in them marked (posts found by vector alone too, when they hold any)."""
    if not post_ids:  # (PostgreSQL refuses an empty IN on a text column: text = integer)
        return {}
    ids = sa.bindparam("ids", expanding=True)
    if conn.dialect.name == "postgresql":
        if not terms:
            statement = sa.text("SELECT p.id, p.headline, storyline_post_text(p.body) FROM posts p WHERE p.id IN :ids")
            return {pid: (headline, body) for pid, headline, body in conn.execute(statement.bindparams(ids), {"ids": post_ids})}
        statement = sa.text(
            "SELECT p.id, ts_headline('english', p.headline, q, :options), "
            "ts_headline('english', storyline_post_text(p.body), q, :options) "
            "FROM posts p, to_tsquery('english', :match) AS q WHERE p.id IN :ids"
        ).bindparams(ids)
        params = {"match": tsquery_text(terms, any_term=True), "ids": post_ids,
                  "options": f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"}
        return {pid: (headline, body) for pid, headline, body in conn.execute(statement, params)}
    # The text table is read once for the docs and the plain texts; the index is then asked
    # by its own rowids: joined to the post ids instead, SQLite walked every post matching a
    # common word (33 ms at 100k posts instead of 1 ms).
    stored = conn.execute(sa.text("SELECT doc, post_id, headline, body FROM post_search_text WHERE post_id IN :ids")
                          .bindparams(ids), {"ids": post_ids}).all()
    texts = {pid: (headline, body) for _, pid, headline, body in stored}
    if not terms or not stored:
        return texts
    docs = {doc: pid for doc, pid, _, _ in stored}
    statement = sa.text(
        "SELECT rowid, highlight(post_search, 0, :start, :end), highlight(post_search, 1, :start, :end) "
        "FROM post_search WHERE post_search MATCH :match AND rowid IN :ids"
    ).bindparams(ids)
    params = {"match": fts5_expression(terms.without_prefixes(), any_term=True), "start": MARK_START,
              "end": MARK_END, "ids": list(docs)}
    texts.update({docs[doc]: (headline, body) for doc, headline, body in conn.execute(statement, params)})
    if terms.prefixes:  # posts the words alone did not mark may hold the prefix
        texts = {pid: (mark_prefixes(headline, terms.prefixes), mark_prefixes(body, terms.prefixes))
                 for pid, (headline, body) in texts.items()}
    return texts
