"""Coded events: every action type and modality on sentences written for these tests, the
negatives, bad input, speed, and a floor on the hand-made seed gold."""

from __future__ import annotations

import re
import time

import pytest

from storyline.enrich.events import ACTIONS, TRIGGERS, find_events
from storyline.enrich.text import EntitySpan, PostText

# Invented and real names; the labels are what spaCy's NER gives such names.
LABELS = {
    "Ruritania": "GPE", "Osterlich": "GPE", "Vostok": "GPE", "Kyiv": "GPE", "Moscow": "GPE", "Russia": "GPE",
    "Ukraine": "GPE", "Poland": "GPE", "Germany": "GPE", "Latvia": "GPE", "the United States": "GPE",
    "Washington": "GPE", "Brussels": "GPE", "NATO": "ORG", "the European Union": "ORG", "the Kremlin": "ORG",
    "Anna Petrova": "PERSON", "Petrova": "PERSON", "Tomas Lind": "PERSON", "Lind": "PERSON",
    "Marek Hale": "PERSON", "Ruritanian": "NORP", "Osterlichian": "NORP", "Russian": "NORP",
}


def post(body: str, headline: str = "") -> PostText:
    """A post whose entities are the LABELS names found in it (longest first, no overlaps)."""
    text = PostText.build(headline, [body] if body else [])
    names = "|".join(re.escape(name) for name in sorted(LABELS, key=len, reverse=True))
    text.entities = [
        EntitySpan(m.group(0), LABELS[m.group(0)], m.start(), m.end())
        for m in re.finditer(rf"(?<!\w)(?:{names})(?!\w)", text.text)
    ]
    return text


def one(body: str, headline: str = ""):
    events = find_events(post(body, headline))
    assert events, f"no event in {body!r}"
    return events[0]


@pytest.mark.parametrize(
    "sentence, action, actor, target",
    [
        ("Anna Petrova met Tomas Lind in Vienna on Tuesday.", "consult", "Anna Petrova", "Tomas Lind"),
        ("Ruritania and Osterlich signed a border agreement on Monday.", "agree", "Ruritania", "Osterlich"),
        ("Poland sent anti-tank weapons to Ukraine last week.", "aid", "Poland", "Ukraine"),
        ("Ruritania and Osterlich coordinated their air defences.", "cooperate", "Ruritania", "Osterlich"),
        ("Anna Petrova thanked Tomas Lind for his help.", "support", "Anna Petrova", "Tomas Lind"),
        ("NATO urged Vostok to pull its forces back.", "demand", "NATO", "Vostok"),
        ("Osterlich rejected the proposal from Ruritania.", "reject", "Osterlich", "Ruritania"),
        ("Vostok threatened Latvia with severe consequences.", "threaten", "Vostok", "Latvia"),
        ("Ruritania accused Osterlich of shelling border villages.", "accuse", "Ruritania", "Osterlich"),
        ("On Monday the European Union imposed sanctions on Russian banks.", "sanction", "the European Union", "Russian banks"),
        ("Osterlich expelled four diplomats from Ruritania.", "sanction", "Osterlich", "Ruritania"),
        ("Washington deployed 3,000 soldiers to Poland.", "mobilize", "Washington", "Poland"),
        ("Vostok put its northern army on high alert.", "mobilize", "Vostok", None),
        ("Russian troops shelled the outskirts of Kyiv overnight.", "attack", "Russian troops", "Kyiv"),
        ("Vostok invaded Ruritania at dawn.", "attack", "Vostok", "Ruritania"),
        ("Osterlichian protesters rallied outside the embassy of Vostok.", "protest", "Osterlichian protesters", "Vostok"),
        ("Ruritania withdrew its troops from the border with Osterlich.", "retreat", "Ruritania", "Osterlich"),
        ("Washington ordered diplomats' families to leave Kyiv.", "evacuate", "Washington", "Kyiv"),
        ("Latvia opened an investigation into the hacking of its ministries.", "investigate", "Latvia", None),
        ("Ruritanian police arrested two Osterlichian journalists.", "coerce", "Ruritanian police", "Osterlichian journalists"),
    ],
)
def test_action_types(sentence, action, actor, target):
    events = find_events(post(sentence))
    assert events, sentence
    event = events[0]
    assert (event.action, event.actor, event.target) == (action, actor, target)
    assert event.score == ACTIONS[action][0]
    assert event.text == sentence and event.trigger


@pytest.mark.parametrize(
    "sentence, action, modality",
    [
        ("Vostok attacked Ruritania on Sunday.", "attack", "happened"),
        ("Anna Petrova will meet Tomas Lind next week.", "consult", "planned"),
        ("Poland plans to send more artillery shells to Ukraine.", "aid", "planned"),
        ("Osterlich is expected to impose sanctions on Vostok on Friday.", "sanction", "planned"),
        ("Ruritania to sign a gas deal with Osterlich", "agree", "planned"),  # headline form
        ("Vostok threatened to invade Ruritania.", "attack", "threatened"),
        ("Vostok warned it would strike Ruritania's ports.", "attack", "threatened"),
        ("If Vostok invades Ruritania, the alliance will respond.", "attack", "conditional"),
        ("Osterlich would impose sanctions on Vostok in the event of an attack.", "sanction", "conditional"),
        ("Vostok has no plans to invade Ruritania.", "attack", "denied"),
        ("Vostok did not attack Ruritania, its ministry said.", "attack", "denied"),
        ("The Kremlin denied that Russia was planning to invade Ukraine.", "attack", "denied"),
        ("Osterlich said it would send helmets to Ruritania.", "aid", "planned"),
    ],
)
def test_modality(sentence, action, modality):
    events = [e for e in find_events(post(sentence)) if e.action == action]
    assert events, sentence
    assert events[0].modality == modality


def test_quoted_speech_keeps_the_quotes_wording_and_finds_the_speaker():
    events = find_events(post('"We will send more weapons to Ukraine," Marek Hale told reporters.'))
    assert [(e.action, e.actor, e.target, e.modality) for e in events] == [("aid", "Marek Hale", "Ukraine", "planned")]
    # a 'will' inside a quote says nothing about the act outside it
    outside = find_events(post("Brussels says 'the aggressor will fail' as the European Union agrees new sanctions."))
    assert [(e.action, e.modality) for e in outside if e.action == "sanction"] == [("sanction", "happened")]


def test_pronouns_and_pairs():
    text = post("Anna Petrova flew to Brussels. She met Tomas Lind there.")
    assert [(e.actor, e.target) for e in find_events(text) if e.action == "consult"] == [("Anna Petrova", "Tomas Lind")]
    pair = find_events(post("Ruritania and Osterlich are growing closer: they exercise together every spring."))
    assert [(e.action, e.actor, e.target) for e in pair] == [("cooperate", "Ruritania", "Osterlich")]


def test_subject_is_not_inside_a_prepositional_phrase_or_parenthesis():
    event = one("Ruritania's ambassador to Osterlich criticised Vostok's decision.")
    assert (event.action, event.actor, event.target) == ("accuse", "Ruritania", "Vostok")
    event = one("According to Latvia, Vostok attacked Ruritania.")
    assert event.actor == "Vostok"
    event = one("Ruritania - which borders Latvia and Osterlich - condemned Vostok.")
    assert (event.actor, event.target) == ("Ruritania", "Vostok")


def test_passive_voice_turns_actor_and_target():
    event = one("Osterlich was sanctioned by the European Union.")
    assert (event.action, event.actor, event.target) == ("sanction", "the European Union", "Osterlich")
    assert find_events(post("Assets of Vostok are now frozen.")) == []  # no one named who froze them


@pytest.mark.parametrize(
    "body, headline",
    [
        ("Will Vostok invade Ruritania?", ""),
        ("", "Vostok's invasion of Ruritania"),  # headline without a verb
        ("The attack came at night.", ""),  # no actor
        ("On the first day of Vostok's invasion, people sheltered in the metro.", ""),  # a date, not an act
        ("Analysts see no signs of a deal.", ""),
        ("Prices rose by 4% in Ruritania last month.", ""),
    ],
)
def test_no_event(body, headline):
    assert find_events(post(body, headline)) == []


def test_at_most_a_few_events_per_sentence():
    sentence = "Vostok attacked, shelled, bombed, invaded, sanctioned, threatened and accused Ruritania."
    assert len(find_events(post(sentence))) <= 3


def test_table_is_one_consistent_scale():
    assert {action for action, _kind, _pattern in TRIGGERS} == set(ACTIONS)
    for action, (score, covers) in ACTIONS.items():
        assert -10 <= score <= 10 and covers, action
    assert ACTIONS["aid"][0] > ACTIONS["consult"][0] > 0 > ACTIONS["demand"][0] > ACTIONS["threaten"][0] > ACTIONS["attack"][0]


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   ",
        "\"Vostok attacked Ruritania, “he said “ nested ‘ quotes ' never “ close",
        "Москва атаковала Киев. 俄罗斯袭击了基辅。 Vostok 攻击 Ruritania.",
        "Vostok sent 1e9 shells, or 2012–13 worth, to Ruritania.",
        "?" * 5000,
        "“" * 3000 + "Vostok attacked Ruritania" + "”" * 10,
    ],
)
def test_bad_input_never_crashes(body):
    events = find_events(post(body))
    assert isinstance(events, list)
    for event in events:
        assert event.action in ACTIONS and event.actor


def test_long_posts_are_linear_and_bounded():
    sentence = "Vostok attacked Ruritania and NATO urged Osterlich to send weapons to Latvia. "
    short = post(sentence * 200)  # ~2,600 words
    big = post(sentence * 8000)  # ~100,000 words
    t0 = time.perf_counter()
    small_events = find_events(short)
    t1 = time.perf_counter()
    big_events = find_events(big)
    t2 = time.perf_counter()
    assert len(big_events) == 40 * len(small_events)
    assert t2 - t1 < 40 * (t1 - t0) * 3 + 0.5  # linear, with slack for timer noise
    run_on = post("Vostok attacked Ruritania " + "and shelled Latvia " * 50_000)  # one 100,000-word sentence
    t3 = time.perf_counter()
    assert len(find_events(run_on)) <= 3
    assert time.perf_counter() - t3 < 5


def test_speed_per_hundred_words():
    text = post(
        "Anna Petrova met Tomas Lind in Brussels on Tuesday. Ruritania said it would send helmets to Osterlich. "
        "Vostok denied that it planned to invade Ruritania, and NATO urged it to pull back its troops. "
        "Prices rose in Latvia. \"We will not accept this,\" Marek Hale told reporters after the talks ended. "
        "Russian troops shelled the outskirts of Kyiv overnight, the Ukrainian military said in a statement."
    )  # ~75 words
    find_events(text)
    per_post = float("inf")
    for _ in range(5):  # the best round: CPU time still grows when the machine is crowded
        t0 = time.process_time()
        for _ in range(40):
            find_events(text)
        per_post = min(per_post, (time.process_time() - t0) / 40)
    # measured 0.3-0.5 ms for this dense post (five events); 2 ms leaves room for slow CI machines
    assert per_post < 0.002


# All 125 gold sentences (90 tuned on + 35 held out), measured by `python -m bench.seeds_events`:
# P 0.957 R 0.798, action 0.881, actor 0.821, target 0.836, modality 0.940. Floors are those
# minus ~0.04 (two or three sentences); raise them when the rules improve, never lower them.
FLOORS = {
    "precision": 0.92, "recall": 0.76, "action": 0.84, "actor": 0.78, "target": 0.79, "modality": 0.90,
}


def test_seed_gold_floor(seeds_dir):
    from bench.seeds_events import run

    ours, baseline, _days = run(seeds_dir)
    figures = ours.figures()
    assert ours.not_found == 0
    for name, floor in FLOORS.items():
        assert figures[name] >= floor, f"{name} {figures[name]:.3f} < floor {floor}"
    assert figures["f1"] > baseline.figures()["f1"] - 0.05
