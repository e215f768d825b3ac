"""A rendered live blog splits back into the posts it was rendered from, in each page form
storyline reads: JSON-LD HTML, DOM-only HTML and plain text (renderers: tests/render.py)."""

from __future__ import annotations

import string
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.model import Document, Parsed
from storyline.pipeline import default_pipeline
from storyline.settings import Options

from tests.render import EASTERN, MEDIA_TYPES, RENDERERS, LiveBlogSpec, PostSpec

READER = {"jsonld": "jsonld", "dom": "html", "text": "text"}
PIPELINE = default_pipeline()

_word = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=10)


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


@st.composite
def headlines(draw: st.DrawFn, min_words: int = 2, max_words: int = 12) -> str:
    """Words of letters starting with a capital, some words capitalised, no final punctuation."""
    words = draw(st.lists(st.tuples(_word, st.booleans()), min_size=min_words, max_size=max_words))
    first, *rest = [w for w, _ in words]
    return " ".join([_capital(first), *(_capital(w) if cap else w for w, cap in words[1:])])


@st.composite
def sentences(draw: st.DrawFn) -> str:
    first = draw(_word)
    rest = draw(st.lists(_word, min_size=6, max_size=25))
    return " ".join([_capital(first), *rest]) + "."


paragraphs = st.lists(sentences(), min_size=1, max_size=4).map(" ".join)


def _unambiguous_minutes(day: date) -> list[int]:
    """Minutes of the day whose Eastern wall time exists and happens once (DST days drop
    the skipped hour and the repeated one: a printed "1:30 a.m. ET" there names two instants)."""
    keep = []
    for minute in range(24 * 60):
        local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=EASTERN)
        round_trip = local.astimezone(timezone.utc).astimezone(EASTERN)
        if round_trip.replace(tzinfo=None) == local.replace(tzinfo=None) and (
            local.utcoffset() == local.replace(fold=1).utcoffset()
        ):
            keep.append(minute)
    return keep


@st.composite
def live_blogs(draw: st.DrawFn) -> LiveBlogSpec:
    day = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2024, 12, 31)))
    count = draw(st.integers(min_value=2, max_value=8))
    minutes = draw(st.lists(st.sampled_from(_unambiguous_minutes(day)), min_size=count, max_size=count, unique=True))
    times = sorted(
        (datetime.combine(day, time(m // 60, m % 60), tzinfo=EASTERN) for m in minutes), reverse=True
    )
    posts = [
        PostSpec(draw(headlines()), draw(st.lists(paragraphs, min_size=1, max_size=4)), when)
        for when in times
    ]
    return LiveBlogSpec(
        title=draw(headlines(min_words=3, max_words=10)),
        outlet=draw(st.sampled_from(["Example News", "The Daily Planet", "Metro Wire"])),
        url=f"https://www.example.com/live/{day:%Y/%m/%d}/updates",
        day=day,
        key_points=draw(st.lists(sentences(), min_size=0, max_size=4)),
        posts=posts,
    )


def parse(spec: LiveBlogSpec, form: str) -> Parsed:
    page = RENDERERS[form](spec)
    document = Document(source=f"roundtrip.{form}", content=page.encode("utf-8"), media_type=MEDIA_TYPES[form])
    return PIPELINE.run(document, Options())


def _utc(when: datetime | None) -> datetime | None:
    return when.astimezone(timezone.utc) if when is not None else None


FORMS = ["jsonld", "dom", "text"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_same_posts(spec: LiveBlogSpec, form: str) -> None:
    parsed = parse(spec, form)
    assert parsed.page is not None and parsed.page.reader == READER[form]
    got = [(p.headline, p.body, _utc(p.published)) for p in parsed.posts]
    want = [(p.headline, p.paragraphs, _utc(p.published)) for p in spec.posts]
    assert got == want


@pytest.mark.parametrize("form", FORMS)
@SETTINGS
@given(spec=live_blogs())
def test_posts_survive_rendering(form: str, spec: LiveBlogSpec) -> None:
    assert_same_posts(spec, form)


@pytest.mark.parametrize("form", ["dom", "text"])
@SETTINGS
@given(spec=live_blogs())
def test_key_points_survive_rendering(form: str, spec: LiveBlogSpec) -> None:
    parsed = parse(spec, form)
    assert parsed.blog is not None
    assert parsed.blog.key_points == spec.key_points


@pytest.mark.parametrize("form", FORMS)
@SETTINGS
@given(spec=live_blogs())
def test_title_and_day_survive_rendering(form: str, spec: LiveBlogSpec) -> None:
    parsed = parse(spec, form)
    assert parsed.blog is not None
    assert parsed.blog.title == spec.title
    assert parsed.blog.day == spec.day


def test_unambiguous_minutes_drop_dst_hours() -> None:
    """The strategy's guard itself: 23 usable hours on both DST change days of 2022."""
    assert len(_unambiguous_minutes(date(2022, 3, 13))) == 23 * 60  # 2:00-2:59 never happens
    assert len(_unambiguous_minutes(date(2022, 11, 6))) == 23 * 60  # 1:00-1:59 happens twice
    assert len(_unambiguous_minutes(date(2022, 1, 21))) == 24 * 60


def test_round_trip_detects_a_lost_post() -> None:
    """The comparison can fail: a page missing a post does not pass for the spec."""
    when = datetime(2022, 1, 21, 16, 44, tzinfo=EASTERN)
    spec = LiveBlogSpec(
        "Russia Ukraine crisis live updates", "Example News", "https://www.example.com/live/x",
        date(2022, 1, 21), [],
        [PostSpec(f"Update number {n}", [f"Officials said talks would go on round {n}."], when - timedelta(minutes=n))
         for n in (1, 2, 3)],
    )
    parsed = parse(LiveBlogSpec(**{**vars(spec), "posts": spec.posts[:2]}), "text")
    assert [p.headline for p in parsed.posts] != [p.headline for p in spec.posts]


# Cases found on the UKP corpus (bench/ukp_throughput.py), written in ordinary case and
# punctuation. Each once failed in plain text only.
_DAY = date(2022, 1, 21)


def _at(hour: int, minute: int) -> datetime:
    return datetime.combine(_DAY, time(hour, minute), tzinfo=EASTERN)


def _storm_blog(*posts: PostSpec) -> LiveBlogSpec:
    return LiveBlogSpec("Storm Arwen live updates", "Example News", "https://www.example.com/live/storm", _DAY, [], list(posts))


TRAINS = PostSpec("Trains cancelled across the north", ["Rail operators cancelled all services north of York."], _at(16, 30))
POWER = PostSpec("Power cuts in Cumbria", ["Thousands of homes lost power overnight."], _at(16, 10))
# A day opener posted with a time stamp but no headline (BBC local live pages).
OPENER_WITHOUT_HEADLINE = _storm_blog(
    TRAINS, POWER,
    PostSpec("", ["Good morning and welcome to our live coverage of the storm.",
                  "We will bring you the latest news through the day."], _at(8, 0)),
)
# A sentence inside a post that the day-opener pattern also matches.
OPENER_WORDS_INSIDE_A_POST = _storm_blog(
    PostSpec("Trains cancelled across the north", ["Rail operators cancelled all services north of York.",
                                                   "You can find the latest travel advice in our explainer."], _at(16, 44)),
    TRAINS._replace(headline="Ferries suspended"), POWER,
)


@pytest.mark.parametrize("form", FORMS)
def test_stamped_opener_without_headline_keeps_its_time(form: str) -> None:
    assert_same_posts(OPENER_WITHOUT_HEADLINE, form)


# A post answering readers greets one of them by name: not the day's opener.
GREETING_TO_A_READER = _storm_blog(
    PostSpec("Your questions answered", ["Priya asks whether the Tyne bridge has reopened.",
                                         "Good morning Priya, yes it reopened an hour ago."], _at(16, 44)),
    TRAINS, POWER,
)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("spec", [OPENER_WORDS_INSIDE_A_POST, GREETING_TO_A_READER], ids=["pointer", "greeting"])
def test_opener_words_inside_a_post_do_not_split_it(form: str, spec: LiveBlogSpec) -> None:
    assert_same_posts(spec, form)


# shapes._PROMO was once anchored at the start of a line only, so an ordinary news sentence
# that opens with a promo's first words was dropped from the body, in every form.
# Each of these was seen, lower-cased, in the UKP corpus or is its plain variant.
PROMO_LOOKALIKES = [
    "More from Carney on Brexit: the bank can help make Brexit a success.",
    "Advertisements for sweet-flavoured e-cigarettes could attract children, researchers say.",
    "Subscription sales rose by a tenth in the quarter.",
    "Sponsored by the council, the scheme opens in May.",
    "Most popular among voters was the plan to cut taxes.",
    "Sign up rates for the vaccine trial have doubled.",
]


# shapes._CHROME took any line opening "Reporting from <capital>" for a reporting credit.
CREDIT_LOOKALIKES = ["Reporting from Kharkiv is harder than it was a week ago, our correspondent says."]


@pytest.mark.parametrize("paragraph", PROMO_LOOKALIKES + CREDIT_LOOKALIKES)
def test_news_paragraph_opening_like_a_promo_is_kept(paragraph: str) -> None:
    spec = _storm_blog(PostSpec("Carney on Brexit", [paragraph, "He spoke for an hour."], _at(16, 44)), TRAINS, POWER)
    for form in FORMS:
        assert_same_posts(spec, form)


@pytest.mark.parametrize("form", FORMS)
def test_openers_are_housekeeping_and_lookalikes_news(form: str) -> None:
    """The stamped opener is a housekeeping post in every form; the post that merely
    mentions 'the latest' stays news."""
    opener = parse(OPENER_WITHOUT_HEADLINE, form).posts
    assert [p.kind for p in opener] == ["news", "news", "housekeeping"]
    inside = parse(OPENER_WORDS_INSIDE_A_POST, form).posts
    assert [p.kind for p in inside] == ["news", "news", "news"]


# Whole-line promos and page furniture between paragraphs: dropped in every form.
PROMO_LINES = ["Advertisement", "Subscribe now", "Sign up for our morning newsletter", "Most popular",
               "Sponsored content", "More from Newsweek", "Share this article", "Already a subscriber? Log in here"]


@pytest.mark.parametrize("promo", PROMO_LINES)
def test_promo_line_inside_a_post_is_dropped(promo: str) -> None:
    body = ["Rail operators cancelled all services north of York.", "Buses will replace some of them."]
    rendered = _storm_blog(PostSpec("Trains cancelled across the north", [body[0], promo, body[1]], _at(16, 44)), POWER,
                           TRAINS._replace(published=_at(15, 5)))
    want = _storm_blog(PostSpec("Trains cancelled across the north", body, _at(16, 44)), POWER,
                       TRAINS._replace(published=_at(15, 5)))
    for form in FORMS:
        parsed = parse(rendered, form)
        assert [(p.headline, p.body) for p in parsed.posts] == [(p.headline, p.paragraphs) for p in want.posts], form


def test_greeting_after_a_post_body_opens_an_undated_post() -> None:
    """A page with no stamps (a reader view): the day's first post is a headline-less
    greeting under the oldest post's body; pointer lines after it belong to it."""
    page = "\n\n".join([
        "Storm Arwen live updates",
        "Ferries suspended",
        "All crossings to the islands are off until Sunday.",
        "You can find the latest sailing times on the operator's site.",
        "Trains cancelled across the north",
        "Rail operators cancelled all services north of York.",
        "Welcome to the Daily Planet's continuing coverage of the storm.",
        "Read all the updates from Thursday here.",
    ])
    parsed = PIPELINE.run(Document(source="greeting.txt", content=page.encode(), media_type="text/plain"), Options())
    assert [(p.headline, p.kind, len(p.body)) for p in parsed.posts] == [
        ("Ferries suspended", "news", 2), ("Trains cancelled across the north", "news", 1), ("", "housekeeping", 2)]
    assert parsed.posts[-1].published is None


def test_long_and_odd_lines_are_classified_quickly() -> None:
    """Whole-line promo matching stays bounded on a 100,000-word paragraph and odd input."""
    from storyline.read import shapes

    lines = ["Sign up " + "rates for the reserve have doubled " * 20_000, "More from " + "x " * 100_000,
             "", "1e9", "2012–13", "«»“”", "Подписка оформлена"]
    started = datetime.now()
    assert [shapes.is_promo(line) for line in lines] == [False] * len(lines)
    assert not any(shapes.is_opener(line) or shapes.starts_section(line) for line in lines)
    assert (datetime.now() - started).total_seconds() < 1.0
