"""Bad input for entities, end to end with the real spaCy model and kind model: each story gives
sensible entities or none, never junk pages."""

import re

import pytest

from broadsheet.enrich import corpus as stage
from broadsheet.records import Article, Block

pytestmark = pytest.mark.slow

TABLE_WORDS = {"avg", "shr", "shrs", "dlrs", "mln", "vs", "revs", "net", "qtr", "cts", "pct"}
FIRST = [
    "James",
    "Maria",
    "Robert",
    "Linda",
    "Michael",
    "Susan",
    "David",
    "Karen",
    "Thomas",
    "Anna",
]
LAST = [
    "Keller", "Novak", "Haddad", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Brennan",
    "Kowalski", "Rossi", "Petrov", "Nakamura", "Fischer", "Dubois", "Larsen", "Murphy", "Costa",
    "Weber", "Jensen", "Romano", "Schmidt", "Horvat", "Varga", "Nilsen", "Kaplan", "Mendez",
    "Abbott", "Quinn", "Sato",
]  # fmt: skip


def article(name: str, title: str, *paragraphs: str) -> Article:
    return Article(
        title=title,
        body=tuple(Block.paragraph(p) for p in paragraphs),
        scraped_from=f"scraped/{name}.txt",
        scraped_sha256="0" * 64,
    )


ALL_CAPS = article(
    "all_caps",
    "TOKYO GRAIN EXCHANGE TO RAISE SOYBEAN MARGINS",
    "THE TOKYO GRAIN EXCHANGE SAID ON MONDAY IT WILL RAISE MARGINS ON SOYBEAN FUTURES FROM "
    "APRIL 1 BECAUSE OF RECENT WIDE PRICE SWINGS, AN EXCHANGE SPOKESMAN SAID.",
    "THE MOVE FOLLOWS A SIMILAR STEP BY THE CHICAGO BOARD OF TRADE LAST WEEK, HE SAID.",
)
EARNINGS = article(
    "earnings",
    "ACME INDUSTRIES INC <ACME> 1ST QTR NET",
    "Shr 1.20 dlrs vs 1.10 dlrs",
    "Net 12.5 mln vs 11.2 mln",
    "Revs 100.1 mln vs 90.2 mln",
    "Avg shrs 10.4 mln vs 10.1 mln",
    "NOTE: 1986 net includes gain of 1.2 mln dlrs, or 12 cts a shr.",
)
SPORTS = article(
    "sports",
    "Soccer - English League Results",
    "Results of English league soccer matches on Saturday:",
    "Arsenal 2 Chelsea 1",
    "Liverpool 0 Everton 0",
    "Aston Villa 3 Leeds 1",
    "Newcastle 1 Tottenham 2",
    "W L PCT GB",
    "Standings (tabulated under played, won, drawn, lost, goals for, against, points):",
    "Tottenham 3 2 1 0 6 2 7",
    "Arsenal 3 2 0 1 5 3 6",
)
NAMES = [f"{first} {last}" for last in LAST for first in FIRST]  # 300 different people
MANY_PEOPLE = article(
    "many_people",
    "Honours list names 300 volunteers",
    "The city council on Friday published the names of the volunteers it will honour.",
    *("The list includes " + ", ".join(NAMES[i : i + 10]) + "." for i in range(0, len(NAMES), 10)),
)
HEADLINE_ONLY = article(
    "headline_only",
    "Merkel meets Macron in Paris",
    "The two leaders discussed trade and defence on Tuesday.",
    "They agreed to meet again next month, officials said.",
)
BAD = [ALL_CAPS, EARNINGS, SPORTS, MANY_PEOPLE, HEADLINE_ONLY]


@pytest.fixture(scope="module")
def enriched(tmp_path_factory):
    content = tmp_path_factory.mktemp("content")
    cache = tmp_path_factory.mktemp("cache")
    return {a.input_id: a for a in stage.enrich(BAD, content_dir=content, cache_dir=cache)}


def names(article: Article) -> list[str]:
    return [*article.people, *article.organizations, *article.places]


def test_no_name_is_a_table_fragment(enriched):
    for found in enriched.values():
        for name in names(found):
            assert not TABLE_WORDS & {w.lower().strip(".") for w in name.split()}, name
            assert not re.search(r"\d", name), name


def test_all_caps_wire_story_names_in_their_usual_case(enriched):
    found = enriched[ALL_CAPS.input_id]
    assert "Tokyo Grain Exchange" in found.organizations
    for name in names(found):
        assert not (" " in name and name.isupper()), name
        assert not {"The", "Said", "Monday", "Spokesman", "Move"} & set(name.split()), name


def test_earnings_table_names_at_most_the_company(enriched):
    found = enriched[EARNINGS.input_id]
    assert set(names(found)) <= {"Acme Industries", "ACME", "Acme"}
    assert not found.people


def test_sports_table_teams_are_never_people(enriched):
    found = enriched[SPORTS.input_id]
    teams = {"Arsenal", "Chelsea", "Liverpool", "Everton", "Aston Villa", "Leeds", "Newcastle"}
    teams |= {"Tottenham"}
    assert not teams & set(found.people + found.places)
    assert len(set(found.organizations) & teams) >= 4
    assert set(names(found)) <= teams | {"English League"}
    assert "W L PCT GB" not in names(found)


def test_story_naming_300_people_lists_them_as_people(enriched):
    found = enriched[MANY_PEOPLE.input_id]
    assert len(found.people) >= 250
    assert set(found.people) <= set(NAMES)  # none glued to the next, none cut
    assert not set(NAMES) & set(found.organizations + found.places)


def test_names_only_in_the_headline_are_sensible_or_none(enriched):
    found = enriched[HEADLINE_ONLY.input_id]
    assert set(found.people) <= {"Merkel", "Macron"}
    assert set(found.places) <= {"Paris"}
    assert names(found)  # a headline's names are the story's names
    assert not found.organizations
