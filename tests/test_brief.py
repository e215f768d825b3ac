"""Per-day key points (storyline.assemble.brief): days written here, plus a ROUGE floor on a
UKP sample when ../shared is present."""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta, timezone

import pytest

from storyline.assemble.brief import KeyPoint, brief_markdown, is_key_point_text, key_points
from storyline.model import Post, Quote

T0 = datetime(2022, 1, 26, 8, 0, tzinfo=timezone.utc)


def post(pid: str, headline: str, *body: str, minutes: int = 0, kind: str = "news") -> Post:
    return Post(id=pid, blog_id="b", position=0, headline=headline, body=list(body), kind=kind,  # type: ignore[arg-type]
                published=T0 + timedelta(minutes=minutes), precision="minute", day=T0.date())


def day_of_helmets() -> list[tuple[Post, str]]:
    return [
        (post("a1", "Good morning and welcome to our live coverage", "Here's the latest on the crisis."), "Outlet A"),
        (post("a2", "Germany to send 5,000 helmets to Ukraine",
              "Germany will send 5,000 military helmets to Ukraine, the defence minister said.", minutes=10), "Outlet A"),
        (post("b1", "Germany pledges 5,000 helmets for Ukraine",
              "The German government said it would deliver 5,000 helmets to the Ukrainian army.", minutes=25), "Outlet B"),
        (post("c1", "Helmets shipment from Germany confirmed",
              "Berlin confirmed it will send 5,000 helmets to Ukraine's forces this week.", minutes=40), "Outlet C"),
        (post("b2", "Danish navy frigate sails to the Baltic Sea",
              "Denmark dispatched a frigate to the Baltic and four fighter jets to Lithuania.", minutes=50), "Outlet B"),
        (post("c2", "Watch: tanks roll through the snow", "Footage shows columns of tanks on a road.", minutes=55,
              kind="media"), "Outlet C"),
        (post("a3", "Kyiv mayor mocks the helmet shipment as a joke",
              "Vitali Klitschko said the offer of helmets left him speechless.", minutes=70), "Outlet A"),
    ]


def test_same_development_from_two_outlets_is_one_bullet_with_both():
    points = key_points(day_of_helmets(), max_points=5)
    helmet = [p for p in points if "5,000" in p.text]
    assert len(helmet) == 1
    assert set(helmet[0].outlets) == {"Outlet A", "Outlet B", "Outlet C"}
    assert set(helmet[0].post_ids) >= {"a2", "b1", "c1"}
    assert helmet[0].post_ids[0] in {"a2", "b1", "c1"}  # the source first
    assert helmet[0].story_ids == []


def test_carried_by_most_outlets_comes_first():
    points = key_points(day_of_helmets(), max_points=5)
    assert "5,000" in points[0].text
    assert [p.score for p in points] == sorted((p.score for p in points), reverse=True)
    # a different development of the same thread stays its own bullet
    assert any("mayor" in p.text or "Klitschko" in p.text for p in points)
    assert any("frigate" in p.text.lower() for p in points)


def test_housekeeping_media_and_questions_never_become_bullets():
    rows = day_of_helmets() + [
        (post("d1", "Will sanctions deter Moscow?", "Analysts are divided on what the West can do now.", minutes=80), "Outlet D"),
        (post("d2", "", "Follow our live blog throughout the day for updates.", minutes=5), "Outlet D"),
        (post("d3", "Summary", "Here's where things stand this evening.", minutes=90, kind="housekeeping"), "Outlet D"),
    ]
    texts = " | ".join(p.text for p in key_points(rows, max_points=10))
    for unwanted in ("welcome", "Here's", "tanks", "?", "live blog", "where things stand"):
        assert unwanted not in texts
    for text in ("Here's the latest from Kyiv.", "Welcome to our coverage of the talks today.",
                 "Is this the end of diplomacy in Europe?", "Tweet us your views on the talks in Geneva",
                 "Q: What did the minister say about the troops"):
        assert not is_key_point_text(text), text
    assert is_key_point_text("Germany will send 5,000 helmets to Ukraine.")
    assert is_key_point_text("Ted Cruz wins Maine", headline=True)


def test_bullets_carry_support_and_order_is_deterministic():
    rows = day_of_helmets()
    first = key_points(rows, max_points=5)
    again = key_points(list(reversed(rows)), max_points=5)
    assert [(p.text, p.post_ids, p.outlets, p.score) for p in first] == [(p.text, p.post_ids, p.outlets, p.score) for p in again]


def test_named_quote_adds_weight():
    def day() -> list[tuple[Post, str]]:
        return [
            (post("p1", "", "Envoys met for eight hours in Paris on Wednesday without a deal."), "A"),
            (post("p2", "", "The Paris talks between envoys ended late on Wednesday without any deal.", minutes=5), "B"),
            (post("p3", "", "Markets moved little as traders waited for news from the French capital.", minutes=9), "C"),
        ]

    def score_of(rows: list[tuple[Post, str]], pid: str) -> float:
        return next(p.score for p in key_points(rows, max_points=10) if p.post_ids[0] == pid)

    plain = day()
    quoted = day()
    target = quoted[2][0]
    at = target.text.index("Markets moved")
    target.quotes = [Quote(text="Markets moved little", speaker="Elvira Nabiullina", speaker_as_written="she",
                           start=at, end=at + len("Markets moved little"))]
    assert score_of(quoted, "p3") == pytest.approx(score_of(plain, "p3") * 1.25, rel=1e-3)
    target.quotes[0].speaker = None  # an unattributed quote adds nothing
    assert score_of(quoted, "p3") == pytest.approx(score_of(plain, "p3"), rel=1e-3)


def test_max_words_cuts_the_last_bullet():
    points = key_points(day_of_helmets(), max_points=10, max_words=12)
    words = sum(len(p.text.replace(" …", "").split()) for p in points)
    assert words == 12 or (words < 12 and not points[-1].text.endswith("…"))
    assert key_points(day_of_helmets(), max_words=0) == []


@pytest.mark.parametrize("rows", [
    [],
    [(post("x", "", ""), "A")],
    [(post("x", "", "   "), "A")],
    [(post("x", "Housekeeping", "Good morning.", kind="housekeeping"), "A")],
])
def test_empty_or_unusable_days_give_no_points(rows):
    assert key_points(rows) == []
    assert "No key points" in brief_markdown(date(2022, 1, 26), key_points(rows))


def test_odd_input_one_post_no_headline_other_script():
    one = key_points([(post("x", "", "Russia moved more troops to the border with Ukraine on Tuesday night, officials said."), "A")])
    assert len(one) == 1 and one[0].post_ids == ["x"] and one[0].outlets == ["A"]
    cyrillic = [
        (post("r1", "Россия перебросила войска к границе Украины", "Об этом сообщили официальные лица во вторник вечером."), "A"),
        (post("r2", "Войска России у границы Украины", "Официальные лица сообщили о переброске войск к границе.", minutes=3), "B"),
    ]
    points = key_points(cyrillic, max_points=3)
    assert points and all(p.text for p in points)
    undated = post("u", "Germany will send 5,000 helmets to Ukraine", "Berlin confirmed the shipment on Wednesday.")
    undated.published = None
    assert key_points([(undated, "A")])[0].post_ids == ["u"]
    huge = post("h", "A very long post about the crisis", *(["Troops moved again near the border overnight."] * 2000))
    assert key_points([(huge, "A")])


def test_brief_markdown_form():
    points = [KeyPoint("Germany will send 5,000 helmets", ["a2", "b1"], ["Outlet A", "Outlet B"], 3.2),
              KeyPoint("Denmark sends a frigate", ["b2"], ["Outlet B"], 1.0)]
    text = brief_markdown(date(2022, 1, 26), points)
    assert text.splitlines() == [
        "## Key points, 2022-01-26",
        "",
        "- Germany will send 5,000 helmets (Outlet A, Outlet B; 2 posts)",
        "- Denmark sends a frigate (Outlet B; 1 post)",
    ]
    assert brief_markdown(None, []).startswith("## Key points, undated")


def test_a_day_of_200_posts_is_fast():
    rng = random.Random(4)
    syllables = ["ka", "lo", "mi", "ren", "sto", "vu", "dra", "pel", "gor", "tis", "ban", "zu"]
    vocab = [a + b + c for a in syllables for b in syllables for c in ("", "n", "ka")]  # 432 made-up words
    rows = []
    for i in range(200):
        def sentence(n: int) -> str:
            return " ".join(rng.choice(vocab) for _ in range(n)).capitalize() + "."
        rows.append((post(f"p{i}", sentence(7)[:-1], sentence(18), sentence(15), sentence(20), sentence(12), minutes=i),
                     f"Outlet {i % 6}"))
    key_points(rows[:5])  # warm-up (imports, caches)
    seconds = []
    for _ in range(3):  # best of three: a busy CI machine must not fail a fast function
        started = time.perf_counter()
        points = key_points(rows, max_points=5)
        seconds.append(time.perf_counter() - started)
    assert min(seconds) < 1.0, seconds  # ~0.15 s measured on an idle core
    assert len(points) == 5 and len({p.text for p in points}) == 5


@pytest.mark.slow
def test_ukp_sample_rouge_floor():
    from bench.ukp_keypoints import CORPUS, evaluate, load_blogs, storyline_system

    if not CORPUS.is_dir():
        pytest.skip(f"UKP corpus not found at {CORPUS} (../shared is only on developer and CI machines)")
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    blogs = load_blogs(limit=20)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    tally = evaluate(blogs, {"storyline": storyline_system}, scorer)["storyline"]
    # Measured on these 20 blogs (10 BBC, 10 Guardian): R-1 0.456, R-2 0.318, R-L 0.289,
    # Guardian key-event posts 42 of 69 (0.609). Floors: measured minus 0.02; only raise them.
    floors = {"rouge1": 0.43, "rouge2": 0.29, "rougeL": 0.26}
    for key, floor in floors.items():
        assert tally["all"].mean(key) >= floor, (key, tally["all"].mean(key))
    guardian = tally["The Guardian"]
    assert guardian.hits / guardian.picked >= 0.58, guardian.hits / guardian.picked
