"""Article attributes for article.html, from the index alone (no Pelican build)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from pelican.settings import DEFAULT_CONFIG

from broadsheet.enrich.registry import Registry

from ..annotate import annotate
from ..index import build_index

KST = timezone(timedelta(hours=9))


def article(number: int, people=(), places=(), source="Yonhap", **extra) -> SimpleNamespace:
    return SimpleNamespace(
        date=datetime(2021, 4, 1 + number, 9, tzinfo=KST),
        source_path=f"a{number}.md",
        url=f"a{number}/",
        people=list(people),
        places=list(places),
        source=source,
        _content=f"<p>{' and '.join([*people, *places])} said.</p>",
        **extra,
    )


@pytest.fixture
def articles(tmp_path) -> list[SimpleNamespace]:
    items = [
        article(
            0,
            ["Kim Jong-un"],
            ["Cuba"],
            "The Korea Herald",
            original_url="javascript:x",
            also_published_by=[{"source": "Yonhap", "url": "https://yna.co.kr/1"}],
        ),
        article(1, ["Kim Jong-un"], ["Cuba"]),
        article(2, ["Kim Jong-un"], ["North Korea"]),
        article(3, [], ["North Korea", "Seoul"], original_url="https://example.com/3"),
    ]
    index = build_index(items, DEFAULT_CONFIG, Registry.of(()), Registry.of(()))
    # the linked bodies' cache goes to the test's folder, not to Pelican's default ./cache
    annotate(index, {**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path)}, {})
    return items


def test_related_articles_share_the_most_entities(articles) -> None:
    assert articles[0].related[0] is articles[1]
    assert articles[3].related == [articles[2]]


def test_copies_and_original_url_keep_only_web_links(articles) -> None:
    assert articles[0].original_url is None
    assert articles[3].original_url == "https://example.com/3"
    (copy,) = articles[0].also_published_by
    assert (copy.source, copy.url, copy.source_page.url) == (
        "Yonhap",
        "https://yna.co.kr/1",
        "sources/yonhap/",
    )


def test_entity_links_point_to_pages_only_above_the_threshold(articles) -> None:
    kim = articles[0].entity_links[0]
    assert (kim.url, kim.has_page, kim.count) == ("people/kim-jong-un/", True, 3)
    north_korea, seoul = articles[3].entity_links
    assert north_korea.has_page and not seoul.has_page  # two articles, one
    assert articles[3].key_entities == [north_korea]
    assert articles[3]._content == (
        '<p><a href="{filename}/places/north-korea/">North Korea</a> and Seoul said.</p>'
    )
    assert articles[0].source_page.name == "The Korea Herald"


def test_every_mention_counts_its_spelling_and_the_most_used_names_the_page() -> None:
    items = [article(n, [name]) for n, name in enumerate(["KIM Jong-un", "Kim Jong-un"] * 2)]
    items.append(article(4, ["Kim Jong-un"]))
    index = build_index(items, DEFAULT_CONFIG, Registry.of(()), Registry.of(()))
    (kim,) = index.entities.values()  # one slug: one listing
    assert kim.spellings == {"Kim Jong-un": 3, "KIM Jong-un": 2}
    assert (kim.name, kim.count) == ("Kim Jong-un", 5)
    assert all(item.entity_links == [kim] for item in items)


def test_a_days_articles_run_newest_first_and_those_of_one_time_alphabetically() -> None:
    noon = datetime(2017, 3, 29, 12, tzinfo=KST)
    items = [
        SimpleNamespace(date=when, source_path=path, people=[], places=[], source="CNN")
        for when, path in [
            (noon.replace(hour=0), "2017/03/29/young-russians.md"),
            (noon.replace(hour=0), "2017/03/29/brexit-triggered.md"),
            (noon, "2017/03/29/ivanka-trump.md"),
            (noon.replace(hour=0), "2017/03/29/libya.md"),
        ]
    ]
    index = build_index(items, DEFAULT_CONFIG, Registry.of(()), Registry.of(()))
    assert [a.source_path.split("/")[-1] for a in index.days[noon.date()]] == [
        "ivanka-trump.md",
        "brexit-triggered.md",
        "libya.md",
        "young-russians.md",
    ]
