"""Entities: one canonical name per person, body and place, within a document and across
the corpus (sentences written for these tests)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.enrich import enrich_posts
from storyline.enrich.names import country_of, name_key, role_keys
from storyline.enrich.roles import role_around, role_phrases
from storyline.model import Document, Post
from storyline.pipeline import default_pipeline
from storyline.settings import Options
from storyline.store import open_store

WHEN = datetime(2022, 2, 3, 12, 0, tzinfo=timezone.utc)


def _posts(*bodies: list[str]) -> list[Post]:
    return [
        Post(id=f"p{i}", blog_id="b", position=i, headline=body[0], body=body[1:], published=WHEN, precision="minute")
        for i, body in enumerate(bodies)
    ]


def _names(posts: list[Post]) -> dict[str, str | None]:
    return {m.text: m.name for p in posts for m in p.entities}


def test_name_keys_meet_across_spellings() -> None:
    assert name_key("Zelenskyy") == name_key("Zelensky")
    assert name_key("Lloyd Austin III") == name_key("Lloyd Austin")
    assert name_key("Recep Tayyip Erdoğan") == name_key("Recep Tayyip Erdogan")
    assert name_key("Putin") != name_key("Peskov")


def test_demonyms_and_places() -> None:
    assert country_of("Russian") == "Russia"
    assert country_of("Ukraine's") == "Ukraine"
    assert country_of("U.S.") == "United States"
    assert country_of("Keravian", {"Keravia"}) == "Keravia"
    assert role_keys("Ukraine", "President")[:2] == ["role:ukraine:president", "role:ukraine:leader"]


def test_titles_around_names() -> None:
    text = "Kremlin spokesman Dmitry Peskov spoke. Sergei Lavrov, the Russian foreign minister, replied."
    peskov = text.index("Dmitry")
    role = role_around(text, peskov, peskov + len("Dmitry Peskov"), {"Kremlin"})
    assert role is not None and role.office == "spokesperson" and role.holder == "Kremlin"
    lavrov = text.index("Sergei")
    role = role_around(text, lavrov, lavrov + len("Sergei Lavrov"), set())
    assert role is not None and role.office == "foreign minister" and role.holder == "Russia"
    # "Thanked President Biden": a verb is not a country
    text = "Thanked President Joe Biden for the call."
    role = role_around(text, text.index("Joe"), text.index("Joe") + 9, set())
    assert role is not None and role.holder is None


def test_surnames_variants_and_roles_meet_in_one_document() -> None:
    posts = _posts(
        ["Talks in Paris", "Ukrainian President Volodymyr Zelenskyy spoke to Joe Biden by phone on Thursday."],
        ["A second call", "Zelensky said the call had gone well, and Biden agreed."],
        ["Kyiv reacts", "Ukraine's president thanked allies for their support.",
         "Vlodomyr Zelensky also met the Polish prime minister."],
    )
    entities = enrich_posts(posts)
    names = _names(posts)
    assert names["Zelensky"] == "Volodymyr Zelenskyy"
    assert names["Biden"] == "Joe Biden"
    assert names["Vlodomyr Zelensky"] == "Volodymyr Zelenskyy"
    assert names["Ukraine's president"] == "Volodymyr Zelenskyy"
    person = next(e for e in entities if e.name == "Volodymyr Zelenskyy")
    assert "Ukrainian President" in person.roles
    assert "role:ukraine:president" in person.keys
    assert {e.type for e in entities if e.name in ("Paris", "Ukraine")} == {"GPE"}


def test_ambiguous_surname_is_not_guessed() -> None:
    posts = _posts(["Two ministers", "Anna Berg met Lukas Berg in Vienna.", "Later Berg said the meeting was useful."])
    enrich_posts(posts)
    later = [m for m in posts[0].entities if m.text == "Berg"]
    assert later and later[0].entity_id is None


def test_role_phrase_needs_a_known_place() -> None:
    text = "The Monday president of the club resigned. The Russian president spoke."
    found = role_phrases(text, set())
    assert [p.role.holder for p in found] == ["Russia"]


def test_bad_text_gives_empty_or_sensible_entities() -> None:
    for body in ["", "   ", "Путин заявил, что переговоры продолжатся.", "“unbalanced ‘quotes” and 1e9 2012–13"]:
        posts = _posts(["Headline", body] if body else ["Headline"])
        enrich_posts(posts)
        assert isinstance(posts[0].entities, list)


# -- across documents, in the store --------------------------------------------------------

PAGE_A = """Crisis live: day one

Putin meets his spokesman

Russian President Vladimir Putin met Kremlin spokesman Dmitry Peskov on Tuesday.

Kremlin says talks go on

Peskov said talks with the West would continue.
"""
PAGE_B = """Crisis live: day two

Putin ready for talks

Putin told reporters he was ready for talks.

Putin denies plans

"We are not planning anything at all," Putin said in Moscow.
"""


def _parse(text: str, name: str) -> object:
    document = Document(source=name, content=text.encode(), media_type="text/plain")
    return default_pipeline(enrich=True).run(document, Options(date=datetime(2022, 2, 1).date(), outlet=name))


def test_store_merges_entities_across_documents(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'e.db'}"
    with open_store(url) as store:
        pipeline = default_pipeline(enrich=True)
        store.save(_parse(PAGE_A, "Outlet A"), made_by=pipeline.signature)
        second = _parse(PAGE_B, "Outlet B")
        store.save(second, made_by=pipeline.signature)
        people = {e["name"]: e for e in store.entities("PERSON")}
        assert "Vladimir Putin" in people and "Putin" not in people
        assert people["Vladimir Putin"]["posts"] >= 3
        quotes = store.quotes("Putin")
        assert quotes and all(q["speaker"] == "Vladimir Putin" for q in quotes)
        # the same documents again: nothing changes, ids stay
        before = store.entities()
        store.save(_parse(PAGE_B, "Outlet B"), made_by=pipeline.signature)
        assert store.entities() == before


def test_enrichment_is_refreshed_when_stage_versions_change(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with open_store(url) as store:
        plain = _parse(PAGE_A, "Outlet A")
        for post in plain.posts:
            post.entities, post.quotes = [], []
        store.save(plain, made_by="read.v1,split.v1,date.v1,identify.v1")
        assert store.entities() == [] or all(e["mentions"] == 0 for e in store.entities())
        result = store.save(_parse(PAGE_A, "Outlet A"), made_by="read.v1,split.v1,date.v1,identify.v1,enrich.v1")
        assert result.new == 0 and result.updated == 0  # same text: no new revision
        assert any(e["mentions"] for e in store.entities())


@pytest.fixture(scope="module")
def example_db(tmp_path_factory) -> str:
    from tests.conftest import ingested_examples

    return ingested_examples(tmp_path_factory, "facts")


def test_cli_entities_quotes_figures(example_db: str) -> None:
    runner = CliRunner()
    people = json.loads(runner.invoke(app, ["entities", "--type", "PERSON", "--db", example_db, "--json"]).stdout)
    assert people and all(p["type"] == "PERSON" for p in people)
    lenz = next(p for p in people if p["name"] == "Dario Lenz")
    assert lenz["quotes"] >= 5 and any("Foreign Minister" in r for r in lenz["roles"])
    quotes = json.loads(runner.invoke(app, ["quotes", "--speaker", "Lenz", "--db", example_db, "--json"]).stdout)
    assert quotes and {q["speaker"] for q in quotes} == {"Dario Lenz"}
    assert all(q["outlet"] and q["post_id"] for q in quotes)
    table = runner.invoke(app, ["quotes", "--speaker", "Lenz", "--db", example_db])
    assert table.exit_code == 0 and "Dario Lenz" in table.stdout
    figures = json.loads(runner.invoke(app, ["figures", "--what", "people", "--db", example_db, "--json"]).stdout)
    assert figures and all("people" in (f["what"] or "") for f in figures)
    days = [f["day"] for f in figures]
    assert days == sorted(days)


def test_a_group_named_after_a_country_is_not_the_country() -> None:
    posts = _posts(["Progressives speak", '"We want diplomacy first," US progressives said in a letter on Monday.'])
    enrich_posts(posts)
    assert posts[0].quotes and posts[0].quotes[0].speaker != "United States"


def _page(headline: str, body: str) -> str:
    return f"Politics live\n\n{headline}\n\n{body}\n\nOther news\n\nNothing else happened today in the capital.\n"


def test_office_holders_and_namesakes_stay_apart_across_documents(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    pages = [
        ("A", _page("Johnson speaks", '"We will stand firm," British Prime Minister Boris Johnson said on Monday.')),
        ("B", _page("Sunak speaks", '"We will bring peace," British Prime Minister Rishi Sunak said on Tuesday.')),
        ("C", _page("Biden speaks", '"The economy is strong," Joe Biden said at the White House.')),
        ("D", _page("Jill Biden visits", '"Teaching is a calling," Jill Biden told teachers in Ohio.')),
        ("E", _page("Lavrov speaks", '"Talks will go on," Sergey Lavrov said in Moscow.')),
        ("F", _page("Lavrov again", '"We are patient," Sergei Lavrov told reporters.')),
    ]
    with open_store(url) as store:
        signature = default_pipeline(enrich=True).signature
        for outlet, text in pages:
            store.save(_parse(text, outlet), made_by=signature)
        people = {e["name"] for e in store.entities("PERSON")}
        assert {"Boris Johnson", "Rishi Sunak", "Joe Biden", "Jill Biden"} <= people
        assert len([p for p in people if "Lavrov" in p]) == 1  # Sergey ~ Sergei: one person
        assert {q["speaker"] for q in store.quotes("Jill Biden")} == {"Jill Biden"}
        assert store.quotes("%") == [] and store.quotes("_") == []  # LIKE wildcards taken literally


def test_ingest_without_enrichment_keeps_stored_enrichment(tmp_path) -> None:
    from tests.conftest import EXAMPLES

    db = str(tmp_path / "n.db")
    page = str(EXAMPLES / "northgate-wire-live.txt")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", page, "--db", db, "--no-cluster"]).exit_code == 0
    before = len(json.loads(runner.invoke(app, ["quotes", "--db", db, "--json"]).stdout))
    assert before > 0
    assert runner.invoke(app, ["ingest", page, "--db", db, "--no-enrich", "--no-cluster"]).exit_code == 0
    assert len(json.loads(runner.invoke(app, ["quotes", "--db", db, "--json"]).stdout)) == before
