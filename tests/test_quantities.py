"""Figures: value, unit, qualifier, currency, range and what is counted; what is not a
figure; bad input; speed. The sentences are written for these tests (invented names)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.enrich.quantities import find_quantities, what_key
from storyline.enrich.text import EntitySpan, PostText
from tests.conftest import SEEDS


def figures(body: str, headline: str = "") -> list:
    return find_quantities(PostText.build(headline, [body]))


def only(body: str):
    found = figures(body)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


# -- counts ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence, value, what, qualifier",
    [
        ("Officials said more than 120,000 Russian troops remain near the frontier.", 120000, "Russian troops", "more than"),
        ("The Pentagon put 8,500 U.S. troops on heightened alert.", 8500, "U.S. troops", None),
        ("Sixty additional Canadian military personnel will fly out on Sunday.", 60, "Canadian military personnel", None),
        ("The convoy carried twenty-five medics to the front.", 25, "medics", None),
        ("About a dozen sandbags were piled by the door.", 12, "sandbags", "about"),
        ("The depot holds 4,006 shells for the howitzers.", 4006, "shells", None),
        ("Overnight the army fired 160 missiles at the port.", 160, "missiles", None),
        ("At least 1,200 protesters were detained in Velmar.", 1200, "protesters", "at least"),
        ("Over 300 armoured combat vehicles crossed the river.", 300, "armoured combat vehicles", "over"),
        ("Almost 90 civilians were evacuated.", 90, "civilians", "almost"),
        ("Nearly 45 villages lost power.", 45, "villages", "nearly"),
        ("Around 20 drones were shot down.", 20, "drones", "around"),
        ("Roughly 70 websites went offline.", 70, "websites", "roughly"),
        ("Up to 400 instructors may be sent.", 400, "instructors", "up to"),
        ("Some 3,000 refugees crossed on Tuesday.", 3000, "refugees", "some"),
        ("Fewer than 50 journalists remain in the city.", 50, "journalists", "fewer than"),
        ("As many as 100,000 soldiers could take part.", 100000, "soldiers", "as many as"),
        ("An estimated 130,000 Russian troops are deployed.", 130000, "Russian troops", "an estimated"),
        ("The ministry says 4,000 155mm shells are on the way.", 4000, "155mm shells", None),
        ("Two prominent US senators objected.", 2, "prominent US senators", None),
        ("Kyiv will receive 5,000 artillery shells next week.", 5000, "artillery shells", None),
        ("The city recorded 13 border guards among the dead.", 13, "border guards", None),
    ],
)
def test_counts(sentence, value, what, qualifier):
    q = only(sentence)
    assert (q.value, q.what, q.qualifier, q.unit, q.currency) == (value, what, qualifier, None, None)


@pytest.mark.parametrize(
    "sentence, value, qualifier, what",
    [
        ("The alliance will send thousands of troops to the east.", 1000, "thousands of", "troops"),
        ("Hundreds of aircraft were seen at the airfield.", 100, "hundreds of", "aircraft"),
        ("Tension rose over tens of thousands of Russian soldiers on the border.", 10000, "tens of thousands of", "Russian soldiers"),
        ("Dozens of other people joined them.", 12, "dozens of", "people"),
        ("Millions of people watched the address.", 1e6, "millions of", "people"),
        ("Several hundred volunteers signed up.", 100, "several hundred", "volunteers"),
        ("Thousands more troops are on standby.", 1000, "thousands", "troops"),
    ],
)
def test_vague_counts(sentence, value, qualifier, what):
    q = only(sentence)
    assert (q.value, q.qualifier, q.what) == (value, qualifier, what)
    assert not q.text.lower().startswith("over")


# -- money ----------------------------------------------------------------------------------

def test_money_with_a_conversion_in_brackets():
    found = figures("Ottawa pledged an additional $268m ($340m Canadian) to the training mission.")
    assert [(q.value, q.unit, q.currency) for q in found] == [(268e6, "USD", "USD"), (340e6, "CAD", "CAD")]
    assert found[0].qualifier == "an additional"


def test_money_in_a_named_currency_then_dollars():
    found = figures("The donation, worth 36.6 million Czech crowns ($1.7m), left on Friday.")
    assert [(q.value, q.currency) for q in found] == [(36.6e6, "CZK"), (1.7e6, "USD")]


def test_money_range_shares_the_multiplier_and_reads_what_it_buys():
    q = only("Kyiv needs $4 or $5 billion in military aid this year.")
    assert (q.value, q.high, q.unit, q.currency, q.what) == (4e9, 5e9, "USD", "USD", "military aid")


@pytest.mark.parametrize(
    "sentence, value, currency, what",
    [
        ("Brussels approved €1.2bn of aid on Monday.", 1.2e9, "EUR", "aid"),
        ("The charity raised £50,000 in a week.", 50000, "GBP", None),
        ("Sydney offered US$3m as well.", 3e6, "USD", None),
        ("Ottawa added C$20m on Tuesday.", 20e6, "CAD", None),
        ("Berlin sent 200 million euros worth of weapons.", 200e6, "EUR", "weapons"),
        ("The fund could reach $1 trillion.", 1e12, "USD", None),
        ("Congress wants $600m for new anti-tank weapons.", 600e6, "USD", "new anti-tank weapons"),
        ("Officials spoke of billions of dollars in losses.", 1e9, "USD", "losses"),
        ("Warsaw set aside 80 million zlotys.", 80e6, "PLN", None),
    ],
)
def test_money(sentence, value, currency, what):
    q = only(sentence)
    assert (q.value, q.unit, q.currency, q.what) == (value, currency, currency, what)


def test_money_in_a_title_case_headline_reads_the_capitalised_noun():
    found = figures("Body text.", headline="Sanctions Hit Orlov's $11Bn Gas Pipeline")
    assert [(q.value, q.currency, q.what) for q in found] == [(11e9, "USD", "Gas Pipeline")]


# -- percentages, measures, durations, ranges ------------------------------------------------

@pytest.mark.parametrize(
    "sentence, value, unit, what, high",
    [
        ("Prices rose 12% in January.", 12, "percent", None, None),
        ("Turnout was 12 per cent lower.", 12, "percent", None, None),
        ("Analysts expect a 3.5 percent rise.", 3.5, "percent", None, None),
        ("The measures cover 70 percent of the Velmar banking market.", 70, "percent", "Velmar banking market", None),
        ("The drills will last five days.", 5, "day", None, None),
        ("The column stretched 300 km along the road.", 300, "km", None, None),
        ("The town lies 40 miles from the capital.", 40, "mile", None, None),
        ("The ship unloaded 5,000 tonnes of grain.", 5000, "tonne", "grain", None),
        ("Temperatures fell 2 degrees overnight.", 2, "degree", None, None),
        ("The two countries share a 330-mile land border.", 330, "mile", "land border", None),
        ("The talks could take between five and 10 days.", 5, "day", None, 10),
        ("Expect a 24-hour ceasefire.", 24, "hour", "ceasefire", None),
    ],
)
def test_units(sentence, value, unit, what, high):
    found = [q for q in figures(sentence) if q.unit == unit]
    assert len(found) == 1
    q = found[0]
    assert (q.value, q.unit, q.what, q.high, q.currency) == (value, unit, what, high, None)


def test_ranges():
    first, second = figures("Between 100 and 200 people came, and 10-15 tanks followed.")
    assert (first.value, first.high, first.what, first.qualifier) == (100, 200, "people", "between")
    assert (second.value, second.high, second.what) == (10, 15, "tanks")


@pytest.mark.parametrize(
    "sentence, value, high, unit, what",
    [
        ("The bill is put at £1.5bn-£2bn.", 1.5e9, 2e9, "GBP", None),
        ("Donors promised between $100m and $200m of aid.", 100e6, 200e6, "USD", "aid"),
        ("Some 2,000-3,000 troops took part.", 2000, 3000, None, "troops"),
        ("Turnout fell by 10 to 15 per cent.", 10, 15, "percent", None),
    ],
)
def test_ranges_with_units_on_both_ends(sentence, value, high, unit, what):
    q = only(sentence)
    assert (q.value, q.high, q.unit, q.what) == (value, high, unit, what)


def test_a_minus_sign_makes_a_negative_value():
    q = only("Temperatures dropped to -5 degrees overnight.")
    assert (q.value, q.unit, q.text) == (-5, "degree", "-5 degrees")


def test_from_to_is_a_change_not_a_range():
    found = figures("The force grew from 100,000 to 130,000 troops.")
    assert [q.high for q in found] == [None, None]
    assert [q.value for q in found] == [100000, 130000]


# -- not figures ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "Crimea was annexed in 2014 and the war began in 2022.",
        "The summit is on January 31, and the deadline is 31/01 or Feb. 4.",
        "The meeting was moved to 3 February.",
        "The vote is at 14:00, the briefing at 3pm and the call at 2 p.m.",
        "Strikes resumed at 4 am local time (02:00 GMT).",
        "A 45-year-old teacher and a man aged 70 were hurt.",
        "Marta Kowal, 61, told reporters she stayed.",
        "It was the first time, the 3rd attempt of the 21st century.",
        "The shells have a calibre of 152 millimetres.",
        "Call +44 20 7946 0958 or (555) 123-4567 for help.",
        "Su-35 jets, S-400 batteries, F-16s and COVID-19 rules were discussed at the G7.",
        "Article 5 and Resolution 2202 were cited on page 4, section 3.",
        "The home side won 1-0.",
        "The Nord Stream 2 project and BBC Radio 4 were mentioned; a 'Level 4' advisory stands.",
        "The 82nd Airborne and the 4th Infantry Division moved.",
        "In the 1990s and in his 70s he travelled.",
        "The 2012–13 season and the 2014-2015 budget.",
        "Mid-2014 and early 2015 were hard.",
        "No one knew; one of them left; the one who stayed spoke.",
        "The F-15E jets arrived at the base.",
        "The slot is 10-11:00 and the ratio 3:1, on 24/7 alert after a 2-1 vote.",
        "Two-thirds of the G20 and the P5+1 met; version 2.0 of Minsk-2 was tabled.",
    ],
)
def test_not_figures(sentence):
    assert figures(sentence) == [], [q.text for q in figures(sentence)]


def test_a_count_next_to_a_calibre_is_kept_without_the_calibre():
    assert [(q.value, q.what) for q in figures("It sent 155mm shells and 4,000 155mm shells.")] == [(4000, "155mm shells")]


def test_a_number_inside_a_named_entity_is_not_a_figure():
    pt = PostText.build("", ["Work on Trans Line 3 pipeline resumed."])
    start = pt.text.index("Trans")
    pt.entities = [EntitySpan("Trans Line 3", "FAC", start, start + len("Trans Line 3"))]
    assert find_quantities(pt) == []


def test_a_qualified_year_like_count_is_a_count():
    q = only("Officials said about 2000 soldiers were moved.")
    assert (q.value, q.qualifier, q.what) == (2000, "about", "soldiers")


# -- offsets, keys -----------------------------------------------------------------------------

def test_offsets_point_into_the_post_text():
    pt = PostText.build("Kyiv asks for $4bn", ["More than 8,500 troops wait.", "Prices rose 12%."])
    found = find_quantities(pt)
    assert [q.text for q in found] == ["$4bn", "More than 8,500 troops", "12%"]
    assert all(pt.text[q.start : q.end] == q.text for q in found)


@pytest.mark.parametrize(
    "what, key",
    [
        ("Russian troops", "troop"), ("U.S. troops", "troop"), ("Canadian military personnel", "personnel"),
        ("casualties", "casualty"), ("civilian deaths", "death"), ("children", "child"), ("155mm shells", "shell"),
        ("buses", "bus"), ("boxes", "box"), ("aircraft", "aircraft"), ("", ""), (None, ""),
    ],
)
def test_what_key(what, key):
    assert what_key(what) == key


# -- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["", " ", "1e9", "1e999 troops", "2012–13", "1,2,3", "((( 5 troops", "$ $ $", "€", "-", "1-", "..5..",
     "Армия потеряла 5 танков.", "٣ جنود", "１２ troops", "二〇二二年", "9" * 5000, "1," * 3000],
)
def test_bad_input_does_not_crash(text):
    found = figures(text)
    assert all(q.value is not None and q.value == q.value and abs(q.value) != float("inf") for q in found)


_PIECES = list("0123456789,.-–/:%$€£ ()[]\"'’") + [
    "e", "m", "bn", " million", " of ", " more than ", " troops", " Canadian", "\n\n", "January", " and ",
    " to ", " or ", "twenty", "-five", " hundred", " thousands", "US$", "Article ", "aged ", "Su-", "+44 ",
    "-year-old", "mm", " per cent", " days", "-strong",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_any_mix_of_number_pieces_gives_figures_that_point_into_the_text(text):
    for q in figures(text):
        assert text[q.start : q.end] == q.text and q.start <= q.end
        assert q.value is not None and q.value == q.value and abs(q.value) != float("inf")
        assert q.high is None or q.high > q.value


def test_bad_input_results_are_sensible():
    assert [q.value for q in figures("1e9")] == [1e9]
    assert figures("2012–13") == []
    assert figures("1,2,3") == []
    assert [(q.value, q.what) for q in figures("(unbalanced [ 5 troops")] == [(5, "troops")]


def test_a_100000_word_post_is_read_in_linear_time():
    sentence = ("More than 120,000 troops and $4 or $5 billion, in 2014 at 14:00 Su-35 1,2,3 1e9 2012–13 "
                "(unbalanced twenty-five medics said the people of the town were tired ")
    body = sentence * (100_000 // len(sentence.split()))
    started = time.perf_counter()
    found = figures(body)
    elapsed = time.perf_counter() - started
    assert len(body.split()) >= 99_000
    assert len(found) == 4 * body.count("More than")
    # Measured ~0.5 s on a loaded 2-core machine; 2 s leaves room for slow CI.
    assert elapsed < 2.0, elapsed


def test_a_post_of_only_numbers_is_bounded():
    started = time.perf_counter()
    assert figures("1 " * 50_000) == []
    assert time.perf_counter() - started < 2.0


# -- speed ---------------------------------------------------------------------------------------

# A 100-word post with five numbers (a year among them): the seeds have 3.2 number-like
# tokens per 100 words, so this is denser than the real thing.
_SPEED_POST = (
    "Velmar's defence ministry said on Tuesday that more than 2,000 soldiers had crossed the river near "
    "Ostrava, where the army first dug in during 2014. The government pledged $150m in military aid and "
    "said talks with the neighbouring state would resume soon, though officials in the capital were "
    "cautious about what the negotiators could achieve. Prices rose 4% in January, the statistics office "
    "said, while the mayor, Anna Lind, told reporters that schools would stay closed. Officials expect "
    "the drills along the northern border to last five days and to involve ships, aircraft and several "
    "thousand reservists from across the region."
)


def test_speed_per_100_word_post():
    posts = [PostText.build("", [_SPEED_POST]) for _ in range(200)]
    words = sum(len(p.text.split()) for p in posts)
    assert len(find_quantities(posts[0])) == 5
    best = float("inf")
    for _ in range(15):  # the best run: robust to other load on the machine
        started = time.process_time()
        for post in posts:
            find_quantities(post)
        best = min(best, time.process_time() - started)
    per_100_words_ms = best / words * 100 * 1000
    print(f"figures: {per_100_words_ms:.3f} ms per 100 words")
    # Budget from the enrich stage (<= 1.5x a bare NER pass): 0.3 ms per 100-word post;
    # measured 0.10 ms on a quiet 2-core machine, up to 0.3 ms under load. The bound catches
    # a regression of several times (the stage ratio itself is measured in bench/enrich_speed.py).
    assert per_100_words_ms < 1.0


# -- seeds ------------------------------------------------------------------------------------------

# Troop figures found in the five seeds when this was written: 22 (2, 9, 6, 4, 1 per seed).
SEED_TROOP_FLOOR = 20


@pytest.mark.seeds
def test_seed_figures_are_no_years_and_troops_are_found():
    if not SEEDS.is_dir():
        pytest.skip(f"seed live blogs not found at {SEEDS}")
    from storyline.model import Document
    from storyline.pipeline import default_pipeline
    from storyline.settings import Options

    pipeline = default_pipeline(enrich=True)
    troops = 0
    for path in sorted(SEEDS.glob("*.txt")):
        parsed = pipeline.run(Document(source=str(path), content=path.read_bytes(), media_type="text/plain"), Options())
        found = [q for post in parsed.posts for q in post.quantities]
        for post in parsed.posts:
            for q in post.quantities:
                assert post.text[q.start : q.end] == q.text
                year_like = q.value is not None and q.value == int(q.value) and 1900 <= q.value <= 2100
                assert not (year_like and q.unit is None and not q.what), (path.name, q)
        seed_troops = sum(1 for q in found if q.what and "troops" in q.what.lower())
        print(f"{path.name}: {len(found)} figures, {seed_troops} troop figures")
        troops += seed_troops
    print(f"troop figures over the seeds: {troops}")
    assert troops >= SEED_TROOP_FLOOR
