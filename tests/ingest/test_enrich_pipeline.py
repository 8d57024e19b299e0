"""enrich() end to end with the real spaCy model: the seed, real articles, editors' files, cache."""

import gzip
import json
from pathlib import Path

import pytest

from broadsheet.enrich import corpus as stage
from broadsheet.enrich import ner
from broadsheet.records import Article, Block
from tests.support import SEED_ARTICLE, SEED_PARAGRAPHS, SHARED

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "enrich"
CORPUS = SHARED / "corpora" / "newsarticles-2017.jsonl.gz"


def fixture_article(name: str) -> Article:
    title, *paragraphs = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").split("\n\n")
    body = tuple(Block.paragraph(p.strip()) for p in paragraphs if p.strip())
    return Article(
        title=title, body=body, scraped_from=f"scraped/{name}.txt", scraped_sha256="0" * 64
    )


def corpus_articles(count: int) -> list[Article]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        records = [json.loads(next(lines)) for _ in range(count)]
    return [
        Article(
            title=r["title"],
            body=(Block.paragraph(r["text"]),),
            scraped_from="scraped/newsarticles-2017.jsonl.gz",
            scraped_sha256="0" * 64,
            record=i,
        )
        for i, r in enumerate(records)
    ]


ARTICLES = [SEED_ARTICLE, *(fixture_article(n) for n in ("yna_co_kr", "time_001", "fox13now_001"))]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def enriched(cache_dir, tmp_path_factory):
    content = tmp_path_factory.mktemp("content")
    articles = [*ARTICLES, *corpus_articles(6)]
    result = stage.enrich(articles, content_dir=content, cache_dir=cache_dir)
    return {a.input_id: a for a in result}, content, articles


def test_seed_entities(enriched):
    seed = enriched[0][SEED_ARTICLE.input_id]
    assert {"Kim Jong-un", "Miguel Diaz-Canel", "Kim Song-nam"} <= set(seed.people)
    assert seed.people[0] == "Kim Jong-un"
    assert "Kim" not in seed.people
    assert "Diaz-Canel" not in seed.organizations
    assert {"Cuba", "Pyongyang"} <= set(seed.places)
    assert {"Korean Central News Agency", "Workers' Party"} <= set(seed.organizations)
    assert not {"Yonhap", "Rodong Sinmun"} & set(seed.people)
    assert "Yonhap" not in seed.organizations


def test_seed_topics_hold_no_fragment_of_a_name(enriched):
    seed = enriched[0][SEED_ARTICLE.input_id]
    names = {w.casefold() for name in seed.people for w in name.replace("-", " ").split()}
    assert seed.topics
    assert not names & {w for topic in seed.topics for w in topic.replace("-", " ").split()}


def test_seed_summary_is_the_lead_sentence(enriched):
    assert enriched[0][SEED_ARTICLE.input_id].summary == SEED_PARAGRAPHS[0]


@pytest.mark.parametrize(
    ("name", "field", "expected"),
    [
        (
            "yna_co_kr",
            "places",
            {"North Korea", "South Korea", "United States", "Seoul", "Pyongyang", "Washington"},
        ),
        ("yna_co_kr", "organizations", {"Rodong Sinmun"}),
        ("time_001", "people", {"James Hansen"}),
        ("time_001", "organizations", {"Congress"}),
        ("fox13now_001", "places", {"California", "Colorado", "Illinois"}),
    ],
)
def test_hand_checked_real_articles(enriched, name, field, expected):
    article = enriched[0][f"scraped/{name}.txt"]
    assert expected <= set(getattr(article, field))
    assert "Yonhap" not in article.organizations + article.people


def test_hand_checked_topics_and_summary(enriched):
    yna = enriched[0]["scraped/yna_co_kr.txt"]
    assert yna.topics[0] == "joint military exercise"
    assert yna.summary.startswith("North Korea's official newspaper blasted South Korea")


def test_alias_merging_across_articles(enriched):
    by_name = {e.name: e for e in stage.load_registries(enriched[1])[0]}
    assert "U.S." in by_name["United States"].aliases
    assert (
        "United States"
        in enriched[0][SEED_ARTICLE.input_id].places + enriched[0]["scraped/yna_co_kr.txt"].places
    )


def test_input_order_does_not_change_results_or_registries(enriched, cache_dir, tmp_path):
    first, content, articles = enriched
    again = stage.enrich(articles[::-1], content_dir=tmp_path, cache_dir=cache_dir)
    assert {a.input_id: a for a in again} == first
    for name in ("entities.json", "topics.json"):
        assert (tmp_path / "registry" / name).read_bytes() == (
            content / "registry" / name
        ).read_bytes()


def test_editors_files_apply_without_running_ner(enriched, cache_dir, tmp_path, monkeypatch):
    def no_model(choice):
        raise AssertionError("NER ran although every text was cached")

    monkeypatch.setattr(ner, "load_nlp", no_model)
    (tmp_path / "entities.yml").write_text(
        "entities:\n"
        '  - name: "Workers\' Party of Korea"\n'
        '    aliases: ["Workers\' Party"]\n'
        '  - name: "Cuba"\n'
        '    aliases: ["Cuban Embassy"]\n'
        '  - name: "North Korea"\n'
        '    aliases: ["the North"]\n'
        'block: ["Washington"]\n',
        encoding="utf-8",
    )
    (tmp_path / "topics.yml").write_text(
        "topics:\n"
        '  - name: "Inter-Korean relations"\n'
        '    keywords: ["inter-Korean"]\n'
        '    entities: ["North Korea"]\n'
        'block: ["strategic relations"]\n',
        encoding="utf-8",
    )
    result = {
        a.input_id: a for a in stage.enrich(ARTICLES, content_dir=tmp_path, cache_dir=cache_dir)
    }
    seed, yna = result[SEED_ARTICLE.input_id], result["scraped/yna_co_kr.txt"]
    assert "Workers' Party of Korea" in seed.organizations
    assert "Cuban Embassy" not in seed.places and "Cuba" in seed.places
    assert "North" not in seed.places and "North Korea" in seed.places
    assert "Washington" not in seed.places + yna.places
    assert "strategic relations" not in seed.topics
    assert yna.topics[0] == "Inter-Korean relations"
    assert "Inter-Korean relations" not in seed.topics


def test_rerun_leaves_the_registries_byte_identical(enriched, cache_dir):
    _, content, articles = enriched
    before = {p.name: p.read_bytes() for p in (content / "registry").iterdir()}
    stage.enrich(articles, content_dir=content, cache_dir=cache_dir)
    assert {p.name: p.read_bytes() for p in (content / "registry").iterdir()} == before
