"""The plugin's pages, asserted on a small site built by broadsheet's build (see site.py)."""

from __future__ import annotations

import filecmp
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from .conftest import built_once
from .site import ARTICLES, SEED, _other, build

SEED_URL = "2021/04/21/nk-leader-stresses-special-relations-with-cuba/"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def links(soup: BeautifulSoup) -> list[str]:
    """Every href of the page's main content, relative prefixes removed."""
    return [a["href"].lstrip("./") for a in soup.select("main a[href]")]


def test_seed_day_digest_lists_the_seed_under_its_section(site: Path) -> None:
    digest = page(site, "digest/2021/04/21/")
    national = next(
        s for s in digest.select("section.digest-section") if s.h2.get_text() == "National"
    )
    item = next(
        li for li in national.select("li.digest-item") if li.h3.a["href"].endswith(SEED_URL)
    )
    assert item.h3.get_text() == SEED["title"]
    assert item.select_one(".source").get_text() == "The Korea Herald"
    assert item.select_one("time")["datetime"] == "2021-04-21T09:46:00+09:00"
    assert [a.get_text() for a in item.select(".key-entities a")][:2] == [
        "Kim Jong-un",
        "Miguel Diaz-Canel",
    ]
    assert "digest/2021/04/19/" in links(digest)  # the previous day with articles


def test_weekly_digest_leads_with_the_story_most_sources_covered(site: Path) -> None:
    week = page(site, "digest/2021/w16/")
    lead = week.select_one("section.top-stories li.story")
    # the seed and the Cuban party congress it follows: one story, under its first article
    assert lead.h3.get_text() == SEED["title"]
    assert lead.h3.a["href"].endswith("stories/2021-04-19-cuba-party-congress/")
    assert "2 articles from 2 outlets: The Korea Herald, Yonhap" in lead.get_text()
    assert lead.select_one(".coverage a")["href"].endswith(SEED_URL)


def test_archive_calendar_links_every_digest_day(site: Path) -> None:
    hrefs = links(page(site, "digest/"))
    assert "digest/2021/04/21/" in hrefs and "digest/2021/w16/" in hrefs
    assert "digest/2021/04/20/" not in hrefs  # no articles that day


def test_home_page_shows_the_latest_day_then_the_days_before(site: Path) -> None:
    home = page(site, "")
    assert home.h1.a["href"].endswith("digest/2021/05/01/")
    recent = [a["href"] for a in home.select(".recent-days h3 a")]
    assert recent[0].endswith("digest/2021/04/21/")


def test_home_page_lists_a_day_before_by_its_most_covered_story_first(site: Path) -> None:
    day = page(site, "").select(".recent-days .day-headlines")[0]
    # the seed (a story of two outlets) before the day's newer article of no story
    assert [li.a.get_text() for li in day.select("li")] == [
        SEED["title"],
        "Kim Jong-un inspects a farm",
    ]


def test_home_page_leads_with_the_latest_days_most_covered_stories(tmp_path: Path) -> None:
    same_day = _other(
        "seoul-stocks-rise",
        "2021-05-01T17:00:00+09:00",
        "Seoul stocks close higher on chip rally",
        category="Business",
        places=["Seoul"],
    )
    site = built_once(tmp_path, [*ARTICLES, (same_day, "Seoul shares rose on chip makers.")])
    story = page(site, "").select_one("section.top-stories li.story")
    assert "2 articles from 2 outlets" in story.get_text()
    assert story.h3.get_text().startswith("Seoul stocks close higher")


def test_entity_page_has_counts_co_mentions_and_the_seed(site: Path) -> None:
    kim = page(site, "people/kim-jong-un/")
    assert kim.h1.get_text() == "Kim Jong-un"
    assert "Also known as: Kim Jong Un" in kim.get_text()
    timeline = kim.select_one(".listing-timeline p").get_text()
    assert timeline.startswith("6 articles, first seen 10 February 2021, last seen 21 April 2021")
    assert len(kim.select("svg.month-chart rect")) == 3
    co_mentions = {
        li.contents[0].get_text(): li.select_one(".count").get_text()
        for li in kim.select(".listing-co-mentions li")
    }
    assert co_mentions["North Korea"] == "5"
    assert co_mentions["Miguel Diaz-Canel"] == "1"
    assert "Kim Jong-un" not in co_mentions
    assert any(href.endswith(SEED_URL) for href in links(kim))


def test_entity_in_too_few_articles_has_no_page_only_a_listing(site: Path) -> None:
    assert not (site / "people/kim-song-nam").exists()
    entities = page(site, "entities/")
    item = next(li for li in entities.select("li") if "Kim Song-nam" in li.get_text())
    assert item.a is None and item.select_one(".count").get_text() == "1"


@pytest.mark.parametrize(
    "old, new",
    [
        ("people/kim-jong-eun/", "people/kim-jong-un/"),
        ("topics/nk-cuba-ties/", "topics/north-korea-cuba-relations/"),
    ],
)
def test_renamed_entity_old_url_redirects(site: Path, old: str, new: str) -> None:
    redirect = page(site, old)
    refresh = redirect.select_one('meta[http-equiv="refresh"]')["content"]
    assert refresh == f"0; url=../../{new}"
    assert redirect.select_one('link[rel="canonical"]')["href"] == f"../../{new}"


def test_retired_topic_redirects_to_the_topics_index(site: Path) -> None:
    redirect = page(site, "topics/vs-loss/")
    assert redirect.select_one('link[rel="canonical"]')["href"] == "../../topics/"


def test_topic_page_says_what_it_covers_and_credits_iptc(site: Path) -> None:
    about = page(site, "topics/north-korea-cuba-relations/").select_one(".about")
    assert about.get_text().startswith("Ties between the two one-party states.")
    assert about.a["href"] == "https://cv.iptc.org/newscodes/mediatopic/20000639"


@pytest.mark.parametrize(
    "feed, titles",
    [
        ("feeds/all.atom.xml", {meta["title"] for meta, _ in ARTICLES}),
        (
            "people/kim-jong-un/feed.atom.xml",
            {
                meta["title"]
                for meta, _ in ARTICLES
                if {"Kim Jong-un", "Kim Jong Un"} & set(meta.get("people", []))
            },
        ),
        ("sections/world/feed.atom.xml", {"Cuba's party congress ends"}),
        (
            "sources/the-korea-herald/feed.atom.xml",
            {SEED["title"], "Kim Jong-un chairs a meeting", "Seoul stocks close higher"},
        ),
        (
            "topics/north-korea-cuba-relations/feed.atom.xml",
            {SEED["title"], "Cuba's party congress ends"},
        ),
    ],
)
def test_feeds_parse_and_list_the_right_items(site: Path, feed: str, titles: set[str]) -> None:
    parsed = feedparser.parse((site / feed).read_text(encoding="utf-8"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert {entry.title for entry in parsed.entries} == titles


def test_no_feed_for_an_entity_without_a_page(site: Path) -> None:
    assert not (site / "people/kim-song-nam/feed.atom.xml").exists()


def test_article_body_links_first_mentions_outside_links_and_headings(site: Path) -> None:
    body = page(site, SEED_URL).select_one(".story-body") or page(site, SEED_URL).main
    kim = [a for a in body.select("a") if a.get_text() == "Kim Jong-un"]
    assert len(kim) == 1 and kim[0]["href"] == "../../../../people/kim-jong-un/"
    assert body.select_one('a[href="https://example.com/cuba"]').get_text() == "Cuba's government"
    assert not body.select("a a") and not body.select("h2 a")
    assert "<would>" in body.get_text()  # escaped text stays text


def archive_pages(site: Path, base: str) -> dict[str, str]:
    """Article URL -> the archive page URL listing it, for one listing."""
    found = {}
    for path in sorted((site / base).glob("archive/*/index.html")):
        for href in links(BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")):
            if href.startswith("20") and href.count("/") == 4:
                found[href] = path.parent.relative_to(site).as_posix()
    return found


def test_adding_an_article_keeps_older_articles_on_their_archive_pages(
    site: Path, grown_site: Path
) -> None:
    before = archive_pages(site, "people/kim-jong-un")
    after = archive_pages(grown_site, "people/kim-jong-un")
    assert len(before) == 6 and set(before.values()) == {
        f"people/kim-jong-un/archive/{n}" for n in (1, 2, 3)
    }
    assert after == before  # the new article waits on the front page for a full page
    front = [h for h in links(page(grown_site, "people/kim-jong-un/")) if h.count("/") == 4]
    assert front[0] == "2021/05/03/kim-may-parade/"


def test_rebuild_from_the_content_cache_is_byte_identical(site: Path, tmp_path: Path) -> None:
    again = build(site.parent / "content", tmp_path / "output", site.parent / "cache")
    assert (site.parent / "cache").exists()
    comparison = filecmp.dircmp(site, again)
    files = [p.relative_to(site) for p in site.rglob("*") if p.is_file()]
    _, mismatch, errors = filecmp.cmpfiles(site, again, files, shallow=False)
    assert comparison.left_only == [] and mismatch == [] and errors == []
