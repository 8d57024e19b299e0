"""Story pages, digests and slugs, on a small built site of two weeks of made-up news."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests import support

from ..stories import lead_text, prefer_other_stories

NK = {"places": ["North Korea", "South Korea", "Japan"], "people": ["Kim Jong-un"]}
MISSILE = (
    "North Korea fired a ballistic missile into the sea off its east coast on Sunday, South "
    "Korea's military said. Japan said the missile landed in its waters."
)
WIRE = (
    "Engineers at the Oroville dam in California ordered the evacuation of 180,000 residents "
    "after the emergency spillway eroded."
)


def article(slug: str, date: str, title: str, source: str, summary: str = "", **fields):
    meta = {"title": title, "slug": slug, "date": date, "category": "World", "source": source}
    if summary:
        meta["summary"] = summary
    return {**meta, **fields}, summary


ARTICLES = [
    # a missile test: a wire story merged by ingest (two outlets) and a follow-up by another
    article(
        "nk-fires-missile", "2017-02-12T08:00:00+09:00", "North Korea fires ballistic missile",
        "Yonhap", MISSILE, **NK,
        also_published_by=[{"source": "The Korea Herald", "url": "https://example.com/kh/1"}],
    ),
    article(
        "un-condemns-nk-missile", "2017-02-13T21:00:00+00:00",
        "UN Security Council condemns North Korea's ballistic missile launch", "BBC",
        "The UN Security Council condemned North Korea's ballistic missile launch into the sea "
        "on Sunday. Japan and South Korea asked for the meeting.",
        **NK, organizations=["UN Security Council"],
    ),
    # the same wire copy, not merged, from two outlets
    article("oroville-abc", "2017-02-13T10:00:00-05:00", "Oroville dam: thousands evacuated",
            "ABC News", WIRE, places=["Oroville", "California"]),
    article("oroville-cnn", "2017-02-13T11:00:00-05:00", "Oroville dam: thousands evacuated",
            "CNN", WIRE, places=["Oroville", "California"]),
    # a headline and nothing else
    article("grammys-headline", "2017-02-13T02:00:00+00:00", "Adele sweeps the Grammys", "CNN"),
    article("tesco-strike", "2017-02-14T09:00:00+00:00", "Tesco workers strike over contracts",
            "RTE", "Tesco staff walked out in a row over pre-1996 contracts.",
            organizations=["Tesco"]),
    # another missile test a week later: every name the same, another story
    article(
        "nk-fires-missile-again", "2017-02-19T08:00:00+09:00",
        "North Korea fires ballistic missile", "Yonhap", MISSILE, **NK,
    ),
    article(
        "nk-missile-japan-protest", "2017-02-19T12:00:00+09:00",
        "Japan protests North Korea's ballistic missile launch", "NHK",
        "Japan protested after North Korea fired a ballistic missile into the sea off its "
        "east coast on Sunday.",
        **NK,
    ),
    # a week of single articles, one with markup in its scraped headline
    article("lone-march", "2017-03-08T09:00:00+00:00", "Zealandia named a continent", "BBC",
            "Geologists say Zealandia is a continent.", places=["New Zealand"]),
    article("tides-march", "2017-03-10T07:00:00+00:00", 'Spring <i>tides</i> & "king" waves',
            "RNZ", "Coastal roads closed for the weekend.", places=["Wellington"]),
]  # fmt: skip
LONE_WEEK = "digest/2017/w10/"
FIRST_STORY = "stories/2017-02-12-nk-fires-missile/"
SECOND_STORY = "stories/2017-02-19-nk-fires-missile-again/"
WIRE_STORY = "stories/2017-02-13-oroville-abc/"
JOINS_FIRST = article(
    "nk-missile-reaction", "2017-02-14T10:00:00+00:00",
    "World reacts to North Korea's ballistic missile launch", "Al Jazeera",
    "North Korea's launch of a ballistic missile into the sea off its east coast drew "
    "condemnation from Japan, South Korea and the UN Security Council.",
    **NK, organizations=["UN Security Council"],
)  # fmt: skip


def build(root: Path, articles) -> Path:
    support.write_articles(root / "content", articles)
    return support.build(root / "content", root / "output", root / "cache", search=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("stories"), ARTICLES)


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def story_links(soup: BeautifulSoup) -> list[str]:
    return [a["href"].lstrip("./") for a in soup.select(".top-stories li.story > h3 a")]


def test_story_page_shows_every_outlet_with_times_entities_and_digests(site: Path) -> None:
    story = page(site, FIRST_STORY)
    assert (
        story.h1.get_text() == "UN Security Council condemns North Korea's ballistic missile launch"
    )
    assert "2 articles from 3 outlets" in story.select_one("header .meta").get_text()
    days = [(li.h3.get_text(), [o.get_text() for o in li.select(".outlet")])
            for li in story.select(".story-timeline > ol > li")]  # fmt: skip
    assert days == [("Sunday 12 February 2017", ["Yonhap"]), ("Monday 13 February 2017", ["BBC"])]
    assert "also published by The Korea Herald" in story.select_one(".story-timeline").get_text()
    assert story.select_one(".story-coverage time")["datetime"] == "2017-02-12T08:00:00+09:00"
    places = [a.get_text() for a in story.select(".in-this-story a")]
    assert places[:3] == ["Kim Jong-un", "Japan", "North Korea"]
    digests = [a["href"].lstrip("./") for a in story.select(".story-digests a")]
    assert digests == [
        "digest/2017/02/12/",
        "digest/2017/02/13/",
        "digest/2017/w06/",
        "digest/2017/w07/",
    ]


def test_identical_wire_copy_from_two_outlets_is_one_story_of_two_outlets(site: Path) -> None:
    story = page(site, WIRE_STORY)
    assert "2 articles from 2 outlets" in story.select_one("header .meta").get_text()
    assert sorted(o.get_text() for o in story.select(".story-coverage .outlet")) == [
        "ABC News",
        "CNN",
    ]


def test_two_missile_tests_a_week_apart_are_two_stories(site: Path) -> None:
    second = page(site, SECOND_STORY)
    outlets = [o.get_text() for o in second.select(".story-coverage .outlet")]
    assert outlets == ["Yonhap", "NHK"]
    assert not (site / "stories" / "2017-02-19-nk-fires-missile-again-2").exists()


def test_story_feed_lists_its_articles_newest_first(site: Path) -> None:
    feed = feedparser.parse(site / FIRST_STORY / "feed.atom.xml")
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [
        "UN Security Council condemns North Korea's ballistic missile launch",
        "North Korea fires ballistic missile",
    ]


def test_digests_list_stories_first_by_distinct_outlets(site: Path) -> None:
    week = page(site, "digest/2017/w07/")
    # ties (two outlets, two articles) go to the newest story
    assert story_links(week) == [FIRST_STORY, SECOND_STORY, WIRE_STORY]
    day = page(site, "digest/2017/02/13/")
    assert story_links(day) == [FIRST_STORY, WIRE_STORY]
    sections = day.select("section")
    assert "top-stories" in sections[0]["class"] and "digest-section" in sections[1]["class"]


def test_a_week_without_stories_lists_its_headlines_under_each_day(site: Path) -> None:
    week = page(site, LONE_WEEK)
    assert week.select_one(".top-stories") is None
    days = week.select(".week-days .day-headlines")
    assert [day.h3.a["href"].lstrip("./") for day in days] == [
        "digest/2017/03/08/",
        "digest/2017/03/10/",
    ]
    assert [[(li.a.get_text(), li.select_one(".outlet").get_text()) for li in day("li")]
            for day in days] == [
        [("Zealandia named a continent", "BBC")],
        [('Spring <i>tides</i> & "king" waves', "RNZ")],
    ]  # fmt: skip
    assert days[0].li.a["href"].lstrip("./") == "2017/03/08/lone-march/"
    # a scraped headline is text: its markup is escaped, never parsed
    html = (site / LONE_WEEK / "index.html").read_text(encoding="utf-8")
    assert "Spring &lt;i&gt;tides&lt;/i&gt; &amp; &#34;king&#34; waves" in html


def test_a_week_with_stories_lists_the_other_headlines_beneath_them(site: Path) -> None:
    week = page(site, "digest/2017/w07/")
    headlines = [a.get_text() for a in week.select(".week-days .day-headlines li > a")]
    assert headlines == ["Adele sweeps the Grammys", "Tesco workers strike over contracts"]
    more = week.select_one(".week-days .day-headlines .more a")  # Monday: 3 of 4 in stories
    assert more.get_text() == "All 4 articles of 13 February"


def test_headline_only_article_has_its_page_and_no_story(site: Path) -> None:
    headline = page(site, "2017/02/13/grammys-headline/")
    assert headline.h1.get_text() == "Adele sweeps the Grammys"
    assert headline.select_one(".story-link") is None
    member = page(site, "2017/02/13/un-condemns-nk-missile/")
    assert member.select_one(".story-link a")["href"].lstrip("./") == FIRST_STORY


def test_one_outlet_s_two_items_of_a_day_need_more_in_common_than_two_outlets(
    tmp_path: Path,
) -> None:
    """Two items of one day on an agency's beat ("Russia's biggest"): from one outlet they
    need BROADSHEET_STORY_OUTLET_LINK (here above their similarity) to be a story, from two
    they are one."""
    beat = [
        article("media-group", "2017-02-15T09:00:00+03:00",
                "Russia's biggest media group to expand abroad", "TASS",
                "Its first channels in Asia open next year.", places=["Moscow", "Asia"]),
        article("bank-unit", "2017-02-15T11:00:00+03:00",
                "Russia's biggest bank to sell Ukrainian unit", "TASS",
                "A consortium of investors is buying it.", places=["Moscow", "Ukraine"]),
    ]  # fmt: skip
    other = ({**beat[1][0], "source": "RIA"}, beat[1][1])
    for name, articles, stories in (("one", beat, []), ("two", [beat[0], other], ["media-group"])):
        root = tmp_path / name
        support.write_articles(root / "content", [*articles, *ARTICLES[:3]])
        out = support.build(root / "content", root / "output", root / "cache", search=False,
                            BROADSHEET_STORY_OUTLET_LINK=0.5)  # fmt: skip
        assert [p.name[11:] for p in (out / "stories").glob("2017-02-15-*")] == stories


def test_stories_index_lists_every_story(site: Path) -> None:
    assert story_links(page(site, "stories/")) == [FIRST_STORY, SECOND_STORY, WIRE_STORY]


def test_slugs_are_kept_when_a_story_grows(site: Path, tmp_path: Path) -> None:
    """A new article joins the first story: its URL stays; the stories file says so."""
    root = tmp_path / "grown"
    build(root, ARTICLES)
    stored = json.loads((root / "content" / "registry" / "stories.json").read_text())
    assert {s["slug"] for s in stored} == {
        "2017-02-12-nk-fires-missile", "2017-02-13-oroville-abc", "2017-02-19-nk-fires-missile-again",
    }  # fmt: skip
    grown = build(root, [*ARTICLES, JOINS_FIRST])
    outlets = [o.get_text() for o in page(grown, FIRST_STORY).select(".story-coverage .outlet")]
    assert outlets == ["Yonhap", "BBC", "Al Jazeera"]
    stored = json.loads((root / "content" / "registry" / "stories.json").read_text())
    first = next(s for s in stored if s["slug"] == "2017-02-12-nk-fires-missile")
    assert "2017/02/14/nk-missile-reaction/" in first["articles"]


def test_related_articles_come_from_other_stories_first() -> None:
    story, other = object(), object()
    same = SimpleNamespace(story=story, title="same story")
    elsewhere = SimpleNamespace(story=other, title="another story")
    alone = SimpleNamespace(story=None, title="no story")
    article = SimpleNamespace(story=story, related=[same, elsewhere, alone])
    prefer_other_stories(article)
    assert [a.title for a in article.related] == ["another story", "no story", "same story"]


def test_a_dateline_summary_gives_way_to_the_body_as_the_lead() -> None:
    body = "<p>The Syrian army continues its offensive on Palmyra, the ministry said.</p>"
    dateline = SimpleNamespace(
        title="Army advances", metadata={"summary": "MOSCOW, February 13."}, _content=body
    )
    assert lead_text(dateline) == (
        "Army advances. The Syrian army continues its offensive on Palmyra, the ministry said."
    )
    no_body = SimpleNamespace(title="Army advances", metadata={"summary": "MOSCOW."}, _content="")
    assert lead_text(no_body) == "Army advances. MOSCOW."
