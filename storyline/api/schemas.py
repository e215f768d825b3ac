"""The shapes of the API's responses, as pydantic models, so /api/openapi.json describes
every body. They are the view dicts of serve/views.py (what the CLI's --json prints):
records whose dict is the record itself (a quote, a figure, a blog) are derived field by
field from storyline/model.py, dates and times as ISO 8601 text; the views' own shapes (a
story with its provenance, a quote row with its source post) are written out here.

Models accept keys they do not declare (extra="allow"), so a field a view gains reaches
clients at once instead of being dropped; tests/test_api.py checks every response against
the schema with unknown keys flagged, so the schema cannot silently fall behind.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from datetime import date as Day
from typing import Any, Generic, Optional, TypeVar, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from .. import model


class Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


# -- derived from model.py -------------------------------------------------------------------

_derived: dict[type, type[BaseModel]] = {}


def _json_type(hint: Any) -> Any:
    """A record field's type as it appears in JSON: dates and times become ISO text,
    nested records their derived models."""
    if hint in (date, datetime):
        return str
    if dataclasses.is_dataclass(hint):
        return record_shape(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        return Optional[_json_type(next(a for a in args if a is not type(None)))] if type(None) in args and len(args) == 2 \
            else Union[tuple(_json_type(a) for a in args)]
    if origin is list:
        return list[_json_type(args[0])]
    if origin is dict:
        return dict[args[0], _json_type(args[1])]
    return hint


def record_shape(cls: type, *, drop: tuple[str, ...] = (), name: str | None = None,
                 **more: Any) -> type[BaseModel]:
    """A model with a field per field of the dataclass `cls` (all required: the views
    always write every one), less `drop`, plus `more` (name=(type, default))."""
    key = cls if not (drop or name or more) else None
    if key is not None and key in _derived:
        return _derived[key]
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {f.name: (_json_type(hints[f.name]), ...) for f in dataclasses.fields(cls)
                              if f.name not in drop}
    fields.update(more)
    made = create_model(name or cls.__name__, __base__=Shape, __module__=__name__, **fields)
    if key is not None:
        _derived[key] = made
    return made


Link = record_shape(model.Link)
Mention = record_shape(model.Mention)
Quote = record_shape(model.Quote)
Quantity = record_shape(model.Quantity)
TimeRef = record_shape(model.TimeRef)
Event = record_shape(model.Event)
# serialize.post_to_dict: the post without its page-internal ids, with its outlet's name;
# `published` is the instant where the page gave one, else the day.
Post = record_shape(model.Post, drop=("url", "native_id"), outlet=(str, ...))
Blog = record_shape(model.Blog, drop=("document_hash",))


class Revision(Shape):
    """An earlier version of a post, replaced at `recorded_at`."""

    post_id: str
    revision: int
    headline: str
    body: list[str]
    captions: list[str]
    content_hash: str
    recorded_at: Optional[str]


PostDetail = create_model("PostDetail", __base__=Post, __module__=__name__, revisions=(list[Revision], ...))


# -- stories and the timeline ------------------------------------------------------------------

class FirstReport(Shape):
    outlet: Optional[str]
    post_id: Optional[str]
    published: Optional[str]


class StoryPost(Shape):
    id: str
    outlet: str
    published: Optional[str]
    headline: str
    duplicate_of: Optional[str] = Field(description="the post this one copies near word for word")


class StoryPostText(StoryPost):
    body: list[str]
    url: Optional[str]


class StoryQuote(Shape):
    text: str
    speaker: Optional[str]
    post_id: str


class StoryFigure(Shape):
    text: str
    value: Optional[float]
    unit: Optional[str]
    what: Optional[str]
    post_id: str


class Story(Shape):
    """A development across outlets with its provenance (serve.views.story_to_dict)."""

    id: str
    title: str
    happened: Optional[str]
    day: Optional[str]
    first_report: FirstReport
    outlets: list[str]
    independent_count: int
    related: list[str] = Field(description="ids of stories of the same thread")
    posts: list[StoryPost]
    quotes: list[StoryQuote]
    figures: list[StoryFigure]


class RelatedStory(Shape):
    id: str
    title: str
    day: Optional[str]


class FigureClaim(Shape):
    """One outlet's figure about something (assemble/conflicts.py)."""

    value: float
    high: Optional[float]
    unit: Optional[str]
    qualifier: Optional[str]
    what: str
    outlet: str
    post_id: str
    published: Optional[str]
    text: str
    sentence: str


class OpposedClaim(Shape):
    """One side of claims that contradict each other (assemble/claims.py): troops
    arriving against troops leaving."""

    side: str
    outlet: str
    post_id: str
    published: Optional[str]
    said_by: Optional[str]
    sentence: str


class Conflict(Shape):
    """Figures that disagree (id cf-...) or claims that contradict each other (id cl-...)."""

    id: str
    about: str
    claims: list[Union[FigureClaim, OpposedClaim]]


class StoryDetail(Story):
    """One story in full: each outlet's version, related stories, its figure conflicts."""

    posts: list[StoryPostText]  # type: ignore[assignment]
    related: list[RelatedStory]  # type: ignore[assignment]
    conflicts: list[Conflict]


class TimelineDay(Shape):
    day: str = Field(description="YYYY-MM-DD, or 'undated'")
    stories: list[Story]


# -- facts -------------------------------------------------------------------------------------

class SourcePost(Shape):
    """Where a fact came from (store/facts.py)."""

    post_id: str
    published: Optional[str]
    day: Optional[str]
    headline: str
    outlet: Optional[str]


class QuoteRow(SourcePost):
    text: str
    speaker: Optional[str]
    speaker_as_written: Optional[str]
    cue: Optional[str]
    kind: str
    speaker_id: Optional[str]


class FigureRow(SourcePost):
    text: str
    value: Optional[float]
    high: Optional[float]
    unit: Optional[str]
    what: Optional[str]
    qualifier: Optional[str]
    currency: Optional[str]


class EntityRow(Shape):
    id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    first_seen: Optional[str]
    mentions: int
    posts: int
    quotes: int


class EntityDetail(EntityRow):
    quotes: list[QuoteRow]  # type: ignore[assignment]


class CalendarSource(Shape):
    outlet: Optional[str]
    post_id: str
    published: Optional[str]
    as_written: str
    text: str


class CalendarEvent(Shape):
    """An announced future event (model.ScheduledEvent as serve.views.calendar writes it)."""

    id: str
    title: str
    start: Optional[str]
    end: Optional[str]
    all_day: bool
    precision: str
    sources: list[CalendarSource]


class KeyPoint(Shape):
    text: str
    post_ids: list[str]
    outlets: list[str]
    story_ids: list[str]
    score: float


class Brief(Shape):
    day: str
    markdown: str
    key_points: list[KeyPoint]


class SearchHit(Shape):
    """A post found by words and meaning (store/search.py); segments are [text, is_match]."""

    post_id: str
    blog_id: str
    outlet: str
    headline: str
    published: Optional[str]
    precision: Optional[str]
    day: Optional[str]
    kind: str
    story_id: Optional[str]
    score: float
    matched: list[str] = Field(description='which sides found it: "text", "vector"')
    ranks: dict[str, int]
    headline_segments: list[tuple[str, bool]]
    snippet: list[tuple[str, bool]]


# -- charts ------------------------------------------------------------------------------------

class OutletSeries(Shape):
    outlet: str
    values: list[int]


class PostsPerOutletChart(Shape):
    days: list[str]
    series: list[OutletSeries]


class EventScoreChart(Shape):
    days: list[str]
    scores: list[Optional[float]]
    events: list[int]


class FigurePoint(Shape):
    published: Optional[str]
    value: float
    high: Optional[float]
    text: str
    post_id: str


class FigureSeries(Shape):
    outlet: str
    points: list[FigurePoint]


class FigureChart(Shape):
    what: str
    series: list[FigureSeries]


# -- pages, errors, ingest -----------------------------------------------------------------------

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    """One page of a list; pass `next_cursor` back as `cursor` for the next (null: no more)."""

    items: list[Item]
    next_cursor: Optional[str]


class ErrorDetail(BaseModel):
    code: str = Field(description="storyline's error code (storyline/errors.py): E501 not found, E502 bad request ...")
    where: Optional[str]
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class IngestRequest(BaseModel):
    """A page to fetch: an http(s) URL (a feed's entries are each fetched)."""

    model_config = ConfigDict(extra="forbid")

    url: str
    outlet: Optional[str] = Field(None, description="the outlet's name, overriding what the page says")
    date: Optional[Day] = Field(None, description="the page's day, when the page does not say")


class IngestedSource(Shape):
    """One source's row, as `storyline ingest --json` prints it."""

    source: Optional[str]
    status: str = Field(description='"ok", "not modified" or "failed"')
    blog_id: Optional[str] = None
    title: Optional[str] = None
    outlet: Optional[str] = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: Optional[ErrorDetail] = None


class StoriesPlaced(Shape):
    posts: int
    new_stories: int
    joined: int
    duplicates: int
    story_ids: list[str]


class IngestReport(Shape):
    sources: list[IngestedSource]
    totals: dict[str, int]
    stories: Optional[StoriesPlaced]
    stories_error: Optional[ErrorDetail] = Field(None, description="why stories could not be updated (the posts are stored)")


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "a filter, cursor or page that does not parse (E502, or the page's error code)"},
    404: {"model": ErrorBody, "description": "no such resource (E501)"},
}
