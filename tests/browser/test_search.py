"""Search: the entity lookup written by broadsheet/search.py, and the /search/ page in Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from broadsheet.search import (
    MAX_PREFIX_CHARS,
    SHARD_BYTES,
    EntityName,
    SearchIndexError,
    build_lookup,
    index_site,
    normalise,
    read_entity_pages,
    write_entity_lookup,
)

SEED_TITLE = "NK leader stresses 'special' relations with Cuba"
DONE = "#search-app[data-state=done]"
HITS = "#search-results .search-hit"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


# ---- the entity lookup (no browser)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Kim Jong-un", "kim jong un"),
        ("Miguel Díaz-Canel", "miguel diaz canel"),
        ("Workers' Party of Korea", "workers party of korea"),
        ("  U.S.  Congress ", "u s congress"),
        ("Ÿoung_Ünïcode", "young unicode"),
        ("김정은", "김정은"),
    ],
)
def test_names_normalise_to_lower_case_words_without_accents(name: str, key: str) -> None:
    assert normalise(name) == key


def test_every_word_of_a_name_leads_to_the_entity_in_the_shard_of_its_prefix() -> None:
    kim = EntityName("Kim Jong-un", "people/kim-jong-un/", "person", aliases=("Kim Jong Un",))
    shards = build_lookup([kim, EntityName("Cuba", "places/cuba/", "place")])
    assert sorted(shards) == ["cu", "jo", "ki"]  # "un" is shorter than a looked-up name
    assert shards["ki"] == {
        "entities": [["Kim Jong-un", "people/kim-jong-un/", "person"]],
        "keys": [["kim jong un", 0, 1]],  # the alias normalises to the same key: one row
    }
    assert shards["jo"]["keys"] == [["jong un", 0, 0]]


def _shard_of(key: str, listed: set[str]) -> str:
    """search.js's rule: the longest listed prefix of the typed key."""
    return next(key[:n] for n in range(len(key), 1, -1) if key[:n] in listed)


def test_a_crowded_prefix_splits_into_small_shards_that_still_find_every_key() -> None:
    people = [EntityName(f"Kim Jong {i:03d}", f"people/kim-{i}/", "person") for i in range(1000)]
    places = [EntityName("Kimchi Valley", "places/kimchi-valley/", "place")]
    shards = build_lookup(people + places)
    assert len(shards) > 3
    for prefix, shard in shards.items():
        assert len(json.dumps(shard)) <= SHARD_BYTES or len(prefix) == MAX_PREFIX_CHARS
    for prefix, shard in shards.items():
        for key, _, _ in shard["keys"]:
            assert _shard_of(key, set(shards)) == prefix
    # what a reader types finds its entities in a single shard
    typed = _shard_of("kimchi", set(shards))
    assert [row[0] for row in shards[typed]["entities"]] == ["Kimchi Valley"]


def test_lookup_files_are_byte_identical_whatever_the_order_of_entities(tmp_path: Path) -> None:
    entities = [
        EntityName("Kim Jong-un", "people/kim-jong-un/", "person"),
        EntityName("Kim Song-nam", "people/kim-song-nam/", "person"),
        EntityName("Korean Central News Agency", "organizations/kcna/", "organization"),
    ]
    write_entity_lookup(tmp_path / "a", entities)
    write_entity_lookup(tmp_path / "b", entities[::-1])
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.json"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.json"))
    assert files_a == files_b
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a
    )
    listed = json.loads((tmp_path / "a" / "search/entities/index.json").read_text())["shards"]
    written = sorted(f.name for f in files_a if f.name != "index.json")
    assert sorted(f"{prefix.encode().hex()}.json" for prefix in listed) == written


def _page(output: Path, url: str, html: str) -> None:
    (output / url).mkdir(parents=True)
    (output / url / "index.html").write_text(html, encoding="utf-8")


def test_entity_pages_are_read_from_the_built_site_without_redirects(tmp_path: Path) -> None:
    _page(
        tmp_path,
        "people/kim-jong-un",
        "<html><body><h1> Kim\n Jong-un </h1><li data-entity-alias>Kim Jong Un</li></body></html>",
    )
    _page(tmp_path, "places/cuba", "<html><body><h1>Cuba</h1></body></html>")
    _page(
        tmp_path,
        "people/kim-jong-il-old",
        '<html><head><meta http-equiv="refresh" '
        'content="0; url=/people/kim-jong-il/"></head><body><h1>Moved</h1></body></html>',
    )
    _page(tmp_path, "people/page/2", "<html><body><p>no heading</p></body></html>")
    assert read_entity_pages(tmp_path) == [
        EntityName("Kim Jong-un", "people/kim-jong-un/", "person", ("Kim Jong Un",)),
        EntityName("Cuba", "places/cuba/", "place"),
    ]


def test_a_site_without_searchable_pages_is_a_clear_error(tmp_path: Path) -> None:
    _page(tmp_path, "about", "<html><body><h1>About</h1></body></html>")
    with pytest.raises(SearchIndexError, match="no page has a data-pagefind-body"):
        index_site(tmp_path)


def test_a_missing_site_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="no built site here"):
        index_site(tmp_path / "output")


# ---- the search page in Chromium


@pytest.fixture(scope="module")
def search_url(demo_site: Path, site_url: str) -> str:
    if not (demo_site / "search" / "index.html").is_file():
        pytest.fail(
            "the demo site has no search/index.html: pelicanconf.py needs 'search' in "
            "DIRECT_TEMPLATES and SEARCH_SAVE_AS = 'search/index.html'"
        )
    if not (demo_site / "pagefind").is_dir():  # the build indexes the site; older fixtures did not
        index_site(demo_site)
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
