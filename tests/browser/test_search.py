"""Search: the entity lookup written by broadsheet/search.py, and the /search/ page in Chromium."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from broadsheet.publish.audit import serve
from broadsheet.site.search import (
    BUNDLE_LIST,
    MAX_PREFIX_CHARS,
    SHARD_BYTES,
    EntityName,
    SearchIndexError,
    Shard,
    build_lookup,
    index_site,
    normalise,
    plan_shards,
    read_entity_pages,
    write_entity_lookup,
)

OLD = 1_000_000_000  # an mtime no run could give a file it writes
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
    (output / url).mkdir(parents=True, exist_ok=True)
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


def test_a_site_without_article_pages_is_a_clear_error(tmp_path: Path) -> None:
    _page(tmp_path, "about", "<html><body><h1>About</h1></body></html>")
    with pytest.raises(SearchIndexError, match="no article page to index"):
        index_site(tmp_path)


def test_articles_without_a_search_body_are_a_clear_error(tmp_path: Path) -> None:
    _page(tmp_path, "2021/04/21/story", "<html><body><h1>Story</h1></body></html>")
    with pytest.raises(SearchIndexError, match="has a data-pagefind-body element"):
        index_site(tmp_path)
    assert not (tmp_path / "pagefind").exists()


def test_a_missing_site_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="no built site here"):
        index_site(tmp_path / "output")


# ---- shards: one Pagefind run per group of date folders (no browser, except the last)


def test_a_small_archive_is_one_shard() -> None:
    days = {"2019/12/31": 2, "2020/01/02": 3, "2021/05/06": 4}
    assert plan_shards(days, max_pages=100) == [Shard(("2019", "2020", "2021"), 9)]


def test_a_year_over_the_limit_splits_into_months_packed_in_date_order() -> None:
    days = {"2019/06/01": 4, "2020/01/02": 3, "2020/02/10": 3, "2020/03/01": 2, "2020/03/09": 2}
    assert plan_shards(days, max_pages=6) == [  # 2020 has 10 pages: its months are packed
        Shard(("2019",), 4),
        Shard(("2020/01", "2020/02"), 6),
        Shard(("2020/03",), 4),
    ]


def test_a_day_over_the_limit_is_a_shard_of_its_own() -> None:
    days = {"2020/01/01": 1, "2020/01/02": 9, "2020/01/03": 1}
    shards = plan_shards(days, max_pages=5)
    assert shards == [
        Shard(("2020/01/01",), 1),
        Shard(("2020/01/02",), 9),
        Shard(("2020/01/03",), 1),
    ]
    assert shards[1].name == "2020-01-02"


@pytest.mark.parametrize("max_pages", [1, 3, 10, 40, 1000])
def test_shards_cover_every_day_once_in_date_order_within_the_limit(max_pages: int) -> None:
    days = {f"{2015 + n // 40}/{n % 12 + 1:02d}/{n % 28 + 1:02d}": n % 7 + 1 for n in range(200)}
    shards = plan_shards(days, max_pages)
    owners = [[s for s in shards if any(day.startswith(f) for f in s.folders)] for day in days]
    assert all(len(owner) == 1 for owner in owners)
    order = [shards.index(owner[0]) for _, owner in sorted(zip(days, owners, strict=True))]
    assert order == sorted(order)
    for shard in shards:
        in_shard = [n for day, n in days.items() if any(day.startswith(f) for f in shard.folders)]
        assert shard.pages == sum(in_shard)
        assert shard.pages <= max_pages or len(in_shard) == 1


def test_shard_names_and_globs_follow_their_date_folders() -> None:
    shard = Shard(("2016/12", "2017"), 5)
    assert shard.name == "2016-12_2017"
    assert shard.glob == "{2016/12,2017}/**/*.html"
    assert Shard(("2017",), 5).name == "2017"


def _article(output: Path, day: str, slug: str, word: str) -> None:
    body = f"<article data-pagefind-body><h1>{slug}</h1><p>{word} {slug}</p></article>"
    _page(output, f"{day}/{slug}", f"<html lang='en'><body>{body}</body></html>")


def test_each_shard_gets_a_bundle_and_every_article_is_in_one(tmp_path: Path) -> None:
    for n, day in enumerate(["2019/03/01", "2020/01/05", "2020/02/07", "2020/02/08", "2021/09/09"]):
        _article(tmp_path, day, f"story-{n}", "harbour")
    _page(tmp_path, "drafts/unpublished", "<html><body><article data-pagefind-body>x</article>")
    index_site(tmp_path, max_shard_pages=2)
    bundles = json.loads((tmp_path / BUNDLE_LIST).read_text())["bundles"]
    assert bundles == [  # newest first; the newest is the primary bundle
        {"name": "2021", "path": "pagefind/"},
        {"name": "2020-02", "path": "pagefind/shards/2020-02/"},
        {"name": "2019_2020-01", "path": "pagefind/shards/2019_2020-01/"},
    ]
    counts = []
    for bundle in bundles:
        entry = json.loads((tmp_path / bundle["path"] / "pagefind-entry.json").read_text())
        counts.append(sum(language["page_count"] for language in entry["languages"].values()))
    assert counts == [1, 2, 2]  # the draft, outside the date folders, is not searchable
    index_site(tmp_path)  # rebuilt in one shard: the old shards go
    assert not (tmp_path / "pagefind" / "shards").exists()


def test_a_rebuild_indexes_again_only_the_shards_whose_pages_changed(tmp_path: Path) -> None:
    site, stamps = tmp_path / "output", tmp_path / "cache" / "stamps.json"
    for n, day in enumerate(["2019/03/01", "2019/04/05", "2021/02/07", "2021/02/08"]):
        _article(site, day, f"story-{n}", "harbour")
    index_site(site, max_shard_pages=2, stamps=stamps)
    entries = {name: site / path / "pagefind-entry.json"
               for name, path in (("2021", "pagefind"), ("2019", "pagefind/shards/2019"))}  # fmt: skip
    for entry in entries.values():
        os.utime(entry, (OLD, OLD))

    index_site(site, max_shard_pages=2, stamps=stamps)
    assert all(entry.stat().st_mtime == OLD for entry in entries.values())

    _article(site, "2019/04/05", "story-1", "lighthouse")  # an older article, changed
    index_site(site, max_shard_pages=2, stamps=stamps)
    assert entries["2021"].stat().st_mtime == OLD
    assert entries["2019"].stat().st_mtime != OLD
    fragments = site / "pagefind" / "shards" / "2019" / "fragment"
    texts = [gzip.decompress(f.read_bytes()) for f in fragments.iterdir()]
    assert any(b"lighthouse" in text for text in texts)
    assert not any(b"harbour story-1" in text for text in texts)  # the old version is gone
    assert json.loads(stamps.read_text()).keys() == {"pagefind/", "pagefind/shards/2019/"}


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


# A shard with no word starting with a query term answers with Pagefind's fallback, the longest
# indexed word the term starts with ("c" for "cuba"): weak extra matches. Each shard ranks by its
# own word frequencies, so only a clear winner is sure to stay first.
@pytest.mark.browser
@pytest.mark.parametrize("query", ["?q=Cuba", "?q=Korea", "?q=Kim+Jong-un"])
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
