"""What the plugin knows about articles, entities and sections reaches the reader as links."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from broadsheet.publish.audit import serve
from tests.support import SEED, SEED_BODY, MarkdownArticle, build, write_articles, write_registries

pytestmark = pytest.mark.browser


def _story(
    slug: str, title: str, date: str, category: str, source: str, **extra
) -> MarkdownArticle:
    body = (
        f"{title}. Officials said on Tuesday that talks would continue next week, "
        "while analysts warned that the outcome remained uncertain.\n\n"
        "The announcement followed weeks of speculation in the region about the timing "
        "and the scope of the measures."
    )
    meta = {
        "title": title,
        "slug": slug,
        "date": date,
        "category": category,
        "source": source,
        "summary": f"{title}, officials said.",
        "lang": "en",
        **extra,
    }
    return meta, body


# around the seed: articles of its days that share its people, places and topics
SAMPLE_ARTICLES: list[MarkdownArticle] = [
    _story(
        "kim-inspects-farm",
        "Kim Jong-un inspects a farm in South Pyongan",
        "2021-04-21T15:10:00+09:00",
        "North Korea",
        "Yonhap",
        authors=["Park Boram"],
        people=["Kim Jong-un"],
        places=["North Korea"],
        topics=["North Korea diplomacy"],
    ),
    _story(
        "seoul-markets-rise",
        "Seoul shares close higher on chip rally",
        "2021-04-21T16:00:00+09:00",
        "Business",
        "The Korea Herald",
        authors=["Kim Yoon-kyung"],
        places=["Seoul"],
        topics=["Markets"],
    ),
    _story(
        "cuba-party-congress",
        "Cuba's Communist Party names Diaz-Canel first secretary",
        "2021-04-20T08:00:00+00:00",
        "World",
        "Reuters",
        people=["Miguel Diaz-Canel"],
        places=["Cuba"],
        topics=["North Korea diplomacy"],
    ),
    _story(
        "pyongyang-envoy",
        "North Korea sends envoy to Cuban embassy in Pyongyang",
        "2021-04-20T11:30:00+09:00",
        "National",
        "Yonhap",
        people=["Kim Jong-un", "Kim Song-nam"],
        places=["Pyongyang", "Cuba"],
        topics=["North Korea diplomacy"],
    ),
    _story(
        "won-steady",
        "Won holds steady against the dollar",
        "2021-04-19",
        "Business",
        "Reuters",
        places=["Seoul"],
        topics=["Markets"],
    ),
]
COPY_URL = "https://en.yna.co.kr/view/AEN20210421000451325"
SEED_URL = "/2021/04/21/nk-leader-stresses-special-relations-with-cuba/"
# The seed, republished by Yonhap (a source with a page of its own)
SEED_WITH_COPY = {
    **SEED,
    "topics": [*SEED["topics"], "Party congresses"],
    "also_published_by": [{"source": "Yonhap", "url": COPY_URL, "scraped_from": "yna.html"}],
}
REGISTRY = [
    {
        "slug": "kim-jong-un",
        "name": "Kim Jong-un",
        "type": "person",
        "aliases": ["Kim Jong Un", "Kim Jong-eun"],
    }
]


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("links")
    content = root / "content"
    write_articles(content, [(SEED_WITH_COPY, SEED_BODY), *SAMPLE_ARTICLES])
    write_registries(content, {"entities.json": REGISTRY})
    with serve(build(content, root / "output", root / "cache")) as url:
        yield url


def hrefs(page: Page, selector: str) -> list[str]:
    """The hrefs under `selector`, resolved to site paths."""
    return page.eval_on_selector_all(
        f"{selector} a[href]", "els => els.map(a => a.href.replace(location.origin, ''))"
    )


def test_article_links_entities_with_a_page_and_names_the_others(
    page: Page, sample_url: str
) -> None:
    page.goto(sample_url + SEED_URL)
    story = page.locator(".in-this-story")
    expect(story.get_by_role("link", name="Kim Jong-un", exact=True)).to_have_attribute(
        "href", "../../../../people/kim-jong-un/"
    )
    expect(story.get_by_role("link", name="North Korea diplomacy")).to_have_count(1)
    # named in the seed only: below the page threshold, so plain text
    expect(story.get_by_role("link", name="Workers' Party of Korea")).to_have_count(0)
    expect(story.locator(".also-named").first).to_contain_text("Workers' Party of Korea")


def test_article_footer_links_source_digest_copies_and_original(
    page: Page, sample_url: str
) -> None:
    page.goto(sample_url + SEED_URL)
    footer = hrefs(page, ".story-foot")
    assert "/sources/the-korea-herald/" in footer
    assert "/digest/2021/04/21/" in footer
    assert "/sources/yonhap/" in footer and COPY_URL in footer
    expect(
        page.get_by_role("link", name="Read the original at The Korea Herald")
    ).to_have_attribute("href", SEED["original_url"])
    related = hrefs(page, ".related")
    assert related and SEED_URL not in related


def test_daily_digest_shows_the_other_outlets_beneath_a_story(page: Page, sample_url: str) -> None:
    page.goto(sample_url + "/digest/2021/04/21/")
    item = page.locator("li.digest-item", has=page.locator(f"h3 a[href$='{SEED_URL[1:]}']"))
    expect(item.locator(".coverage")).to_contain_text("Also published by Yonhap")
    expect(item.locator(".coverage a")).to_have_attribute("href", COPY_URL)


def test_entity_page_marks_each_alias_and_leads_with_counts(page: Page, sample_url: str) -> None:
    page.goto(sample_url + "/people/kim-jong-un/")
    expect(page.locator("h1")).to_have_text("Kim Jong-un")
    aliases = page.locator("[data-entity-alias]")
    expect(aliases).to_have_text(["Kim Jong Un", "Kim Jong-eun"])
    expect(page.locator(".listing-timeline p").first).to_contain_text("3 articles, first seen")
    expect(page.locator(".listing-co-mentions li").first).to_contain_text("2")
    dates = page.eval_on_selector_all(
        ".listing-articles time", "els => els.map(t => t.getAttribute('datetime'))"
    )
    assert dates == sorted(dates, reverse=True) and len(dates) == 3


def test_section_page_lists_its_most_mentioned_entities(page: Page, sample_url: str) -> None:
    page.goto(sample_url + "/sections/national/")
    aside = page.get_by_role("complementary")
    expect(aside.get_by_role("heading", name="Most mentioned")).to_have_count(1)
    expect(aside.get_by_role("link", name="Kim Jong-un")).to_have_count(1)


@pytest.mark.parametrize("index", ["/entities/", "/topics/"])
def test_indexes_link_pages_and_fold_the_names_without_one(
    page: Page, sample_url: str, index: str
) -> None:
    page.goto(sample_url + index)
    folded = page.locator("details.also-named")
    expect(folded.locator("a")).to_have_count(0)
    assert page.locator(".letters a").count() >= 1
    expect(folded.locator("summary")).to_be_visible()
    expect(folded.locator("li").first).to_be_hidden()  # closed until the reader opens it


def test_page_without_time_of_day_shows_no_midnight(page: Page, sample_url: str) -> None:
    page.goto(sample_url + "/digest/2021/04/19/")
    expect(page.locator("li.digest-item")).to_have_count(1)
    expect(page.locator("li.digest-item .meta")).not_to_contain_text("00:00")
