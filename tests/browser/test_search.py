"""Search: the /search/ page in Chromium, over one index and over a sharded one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from broadsheet.publish.audit import serve
from broadsheet.site.search import BUNDLE_LIST, index_site

SEED_TITLE = "NK leader stresses 'special' relations with Cuba"
DONE = "#search-app[data-state=done]"
HITS = "#search-results .search-hit"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


# ---- the search page in Chromium


@pytest.fixture(scope="module")
def search_url(demo_site: Path, site_url: str) -> str:
    if not (demo_site / "search" / "index.html").is_file():
        pytest.fail(
            "the demo site has no search/index.html: pelicanconf.py needs 'search' in "
            "DIRECT_TEMPLATES and SEARCH_SAVE_AS = 'search/index.html'"
        )
    return f"{site_url}/search/"


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def open_search(page: Page, url: str, refine: bool = False) -> None:
    page.goto(url)
    page.wait_for_selector(DONE)
    if refine:  # facet counts load when the reader opens the panel
        page.click("#search-refine summary")
        page.wait_for_selector(f"{DONE} .facet-value")


def status_count(page: Page) -> int:
    text = page.locator("#search-status").inner_text()
    match = re.match(r"(\d+) articles?", text)
    assert match, f"no count in the status line: {text!r}"
    return int(match[1])


@pytest.mark.browser
def test_cuba_finds_the_seed_article_first_with_highlighted_terms(
    page: Page, search_url: str, console_errors: list[str]
) -> None:
    open_search(page, f"{search_url}?q=Cuba")
    first = page.locator(HITS).first
    expect(first.locator("h3 a")).to_contain_text(SEED_TITLE)
    expect(first.locator(".meta")).to_contain_text("21 April 2021")
    expect(first.locator(".search-excerpt mark").first).to_have_text(re.compile("cuba", re.I))
    assert console_errors == []


@pytest.mark.browser
def test_a_name_shows_its_entity_page_first(
    page: Page, search_url: str, console_errors: list[str]
) -> None:
    open_search(page, f"{search_url}?q=Kim+Jong-un")
    first_link = page.locator("#search-entities a, #search-results a").first
    expect(first_link).to_have_text(re.compile(r"^Kim Jong[- ]Un$", re.I))
    assert first_link.get_attribute("href").endswith("/people/kim-jong-un/")
    first_link.click()
    expect(page).to_have_url(re.compile(r"/people/kim-jong-un/$"))
    assert console_errors == []


@pytest.mark.browser
def test_a_query_fetches_one_entity_shard_and_facet_counts_only_on_demand(
    page: Page, search_url: str, console_errors: list[str]
) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    open_search(page, f"{search_url}?q=Kim+Jong-un")
    lookups = [url.rsplit("/", 1)[1] for url in fetched if "/search/entities/" in url]
    assert len(lookups) == 2 and "index.json" in lookups  # the list of shards, then one shard
    assert not [url for url in fetched if "/pagefind/filter/" in url]
    expect(page.locator("#search-refine")).not_to_have_attribute("open", "")
    page.click("#search-refine summary")
    page.wait_for_selector(f"{DONE} .facet-value")
    assert [url for url in fetched if "/pagefind/filter/" in url]
    assert console_errors == []


@pytest.mark.browser
def test_a_filter_narrows_the_results_to_its_count(
    page: Page, search_url: str, console_errors: list[str]
) -> None:
    open_search(page, f"{search_url}?q=Korea", refine=True)
    total = status_count(page)
    facet = page.locator("[data-facet=section][aria-pressed=false]").first
    value = facet.get_attribute("data-value")
    count = int(facet.locator(".facet-count").inner_text())
    assert 0 < count < total
    facet.click()
    page.wait_for_function("location.search.includes('section=')")
    page.wait_for_selector(DONE)
    expect(page.locator(f"[data-facet=section][data-value='{value}']")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert status_count(page) == count
    expect(page.locator(HITS)).to_have_count(min(count, 10))
    for meta in page.locator(f"{HITS} .meta").all():
        expect(meta).to_contain_text(value)
    assert console_errors == []


@pytest.mark.browser
def test_a_deep_link_restores_query_filters_and_sort(
    page: Page, search_url: str, console_errors: list[str]
) -> None:
    open_search(page, f"{search_url}?q=cuba&section=National&sort=newest")
    expect(page.locator("#search-q")).to_have_value("cuba")
    expect(page.locator("#search-sort")).to_have_value("newest")
    selected = page.locator("[data-facet=section][aria-pressed=true]")
    expect(selected).to_have_attribute("data-value", "National")
    assert status_count(page) == page.locator(HITS).count() > 0
    dates = [t.get_attribute("datetime") for t in page.locator(f"{HITS} time").all()]
    assert dates == sorted(dates, reverse=True)
    assert console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("submit", [True, False], ids=["enter", "search-as-you-type"])
def test_the_back_button_returns_to_the_previous_search(
    page: Page, search_url: str, console_errors: list[str], submit: bool
) -> None:
    open_search(page, f"{search_url}?q=Cuba")
    first_title = page.locator(f"{HITS} h3").first.inner_text()
    box = page.locator("#search-q")
    if submit:
        box.fill("Seoul")
        box.press("Enter")
    else:  # two pauses in the typing: two searches, one history entry
        box.fill("")
        box.press_sequentially("Seo")
        page.wait_for_function("location.search === '?q=Seo'")
        box.press_sequentially("ul")
    page.wait_for_function("location.search === '?q=Seoul'")
    page.wait_for_selector(DONE)
    expect(page.locator(f"{HITS} h3").first).not_to_have_text(first_title)
    page.go_back()
    page.wait_for_function("location.search === '?q=Cuba'")
    expect(page.locator("#search-q")).to_have_value("Cuba")
    expect(page.locator(f"{HITS} h3").first).to_have_text(first_title)
    assert console_errors == []


@pytest.mark.browser
def test_facets_and_sort_work_from_the_keyboard(
    page: Page, search_url: str, console_errors: list[str]
) -> None:
    open_search(page, f"{search_url}?q=Korea", refine=True)
    facet = page.locator("[data-facet=source]").first
    value = facet.get_attribute("data-value")
    facet.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('source=')")
    page.wait_for_selector(DONE)
    # the facets were redrawn; focus stays on the button the reader pressed
    focused = page.evaluate(
        "[document.activeElement.dataset.value, document.activeElement.ariaPressed]"
    )
    assert focused == [value, "true"]
    page.keyboard.press("Space")  # pressing it again clears the filter
    page.wait_for_function("!location.search.includes('source=')")
    page.locator("#search-sort").select_option("newest")
    page.wait_for_function("location.search.includes('sort=newest')")
    assert console_errors == []


# Pagefind answers a word no indexed word starts with by the longest indexed word that the query
# starts with: the demo's 2017 records index a "q", which "qjzvwk" must not find
@pytest.mark.browser
def test_no_match_says_so_in_the_live_region(
    page: Page, search_url: str, console_errors: list[str]
) -> None:
    open_search(page, f"{search_url}?q=qjzvwk")
    status = page.locator("#search-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("No articles found for “qjzvwk”.")
    expect(page.locator("#search-empty a")).to_have_attribute("href", re.compile("archives/$"))
    expect(page.locator(HITS)).to_have_count(0)
    expect(page.locator("#search-more")).to_be_hidden()
    assert console_errors == []


@pytest.mark.browser
def test_without_javascript_the_page_links_to_the_archive(browser, search_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{search_url}?q=Cuba")
    expect(page.locator("main a[href$='archives/']").first).to_be_visible()
    expect(page.locator("#search-app")).to_be_hidden()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_page_has_no_accessibility_violations(
    page: Page, search_url: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    open_search(page, f"{search_url}?q=Korea", refine=True)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()


# ---- the search page over a sharded index: the demo site in shards of a day or so each


@pytest.fixture(scope="module")
def sharded_url(demo_site: Path, search_url: str, tmp_path_factory: pytest.TempPathFactory):
    site = tmp_path_factory.mktemp("sharded") / "output"
    shutil.copytree(demo_site, site)
    index_site(site, max_shard_pages=1)
    bundles = json.loads((site / BUNDLE_LIST).read_text())["bundles"]
    assert len(bundles) >= 3, f"the demo site should span several days: {bundles}"
    with serve(site) as url:
        yield f"{url}/search/"


def every_hit(page: Page) -> list[tuple[str, str]]:
    """(title, date) of every result, pressing "Show more" until all are shown."""
    more = page.locator("#search-more")
    while more.is_visible():
        shown = page.locator(HITS).count()
        more.click()
        expect(page.locator(HITS)).not_to_have_count(shown)
    return [
        (hit.locator("h3").inner_text(), hit.locator("time").get_attribute("datetime") or "")
        for hit in page.locator(HITS).all()
    ]


def answer(page: Page, url: str) -> tuple[str, list[tuple[str, str]], dict[str, str]]:
    """Status line, results and facet counts the page shows for `url`."""
    open_search(page, url)
    if page.locator("#search-refine[open]").count() == 0:  # a filter in the URL opens it
        page.click("#search-refine summary")
    page.wait_for_selector(f"{DONE} .facet-value")
    counts = {
        f"{button.get_attribute('data-facet')}={button.get_attribute('data-value')}": (
            button.locator(".facet-count").inner_text()
        )
        for button in page.locator(".facet-value").all()
    }
    return page.locator("#search-status").inner_text(), every_hit(page), counts


@pytest.mark.browser
@pytest.mark.parametrize("query", ["?section=National", "?year=2017", "?q=Korea&year=2021"])
def test_shards_list_what_one_index_lists_with_the_same_counts(
    page: Page, search_url: str, sharded_url: str, console_errors: list[str], query: str
) -> None:
    status, hits, counts = answer(page, f"{search_url}{query}")
    sharded_status, sharded_hits, sharded_counts = answer(page, f"{sharded_url}{query}")
    assert hits and counts
    assert (sharded_status, sorted(sharded_hits), sharded_counts) == (status, sorted(hits), counts)
    assert console_errors == []


# Each shard ranks by its own word frequencies (a one-page shard gives every word the lowest
# weight), so only a clear winner is sure to stay first.
@pytest.mark.browser
@pytest.mark.parametrize(
    "query",
    [
        pytest.param(
            "?q=Cuba",
            marks=pytest.mark.xfail(
                reason="the seed's Cuba article is alone in its shard, where every word weighs "
                "least, so articles from bigger shards rank above it: not fixed yet",
                strict=False,
            ),
        ),
        "?q=Korea",
        "?q=Kim+Jong-un",
    ],
)
def test_shards_find_every_match_of_one_index(
    page: Page, search_url: str, sharded_url: str, console_errors: list[str], query: str
) -> None:
    _, hits, _ = answer(page, f"{search_url}{query}")
    _, sharded_hits, _ = answer(page, f"{sharded_url}{query}")
    assert hits and set(hits) <= set(sharded_hits)
    if query == "?q=Cuba":
        assert sharded_hits[0][0] == hits[0][0]
        assert hits[0][0].startswith(SEED_TITLE)
    assert console_errors == []


@pytest.mark.browser
def test_a_shard_without_the_word_adds_no_fallback_matches(
    page: Page, sharded_url: str, console_errors: list[str]
) -> None:
    # shards without "cuba" answer it with Pagefind's fallback "c" ("vitamin C", "Area C")
    open_search(page, f"{sharded_url}?q=Cuba")
    assert every_hit(page)
    marked = page.locator(f"{HITS} .search-excerpt mark").all_inner_texts()
    assert len(marked) >= 3
    assert [word for word in marked if not word.strip("[(\"',.").lower().startswith("cub")] == []
    assert console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("query", ["?q=Korea&sort=newest", "?year=2017&sort=newest"])
def test_newest_first_runs_across_shards(
    page: Page, search_url: str, sharded_url: str, console_errors: list[str], query: str
) -> None:
    _, hits, _ = answer(page, f"{search_url}{query}")
    _, sharded_hits, _ = answer(page, f"{sharded_url}{query}")
    dates = [day for _, day in sharded_hits]
    assert len(set(dates)) >= 2, "the query should find articles of several days (shards)"
    assert dates == sorted(dates, reverse=True) == [day for _, day in hits]
    assert sorted(sharded_hits) == sorted(hits)
    assert console_errors == []
