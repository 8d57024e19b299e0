"""The theme in a real browser: every page type renders, is accessible, fits 320 px, is light."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from broadsheet.publish.audit import AUDITED_KINDS, PAGE_KINDS, find_page
from tests.support import ROOT

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 375, "height": 740}}
CSS = ROOT / "theme" / "static" / "css" / "broadsheet.css"


def open_kind(page: Page, site_url: str, site: Path, kind: str) -> list[str]:
    """Load the page of `kind`; returns the console errors, page errors and failed or foreign
    requests seen while it loads."""
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "request",
        lambda request: (
            request.url.startswith((site_url, "data:"))
            or problems.append(f"external request: {request.url}")
        ),
    )
    page.goto(site_url + find_page(site, kind), wait_until="networkidle")
    return problems


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_renders_with_landmarks_and_no_console_errors(
    page: Page, site_url: str, demo_site: Path, kind: str
) -> None:
    problems = open_kind(page, site_url, demo_site, kind)
    assert problems == []
    expect(page.locator("main#main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("header form[role=search] input[name=q]")).to_have_count(1)
    assert (page.locator("meta[name=description]").get_attribute("content") or "").strip()
    assert page.title().strip()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", AUDITED_KINDS)
def test_axe_finds_no_violations(
    page: Page, site_url: str, demo_site: Path, kind: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    open_kind(page, site_url, demo_site, kind)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_horizontal_scroll_at_320px(
    page: Page, site_url: str, demo_site: Path, kind: str
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    open_kind(page, site_url, demo_site, kind)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", AUDITED_KINDS)
def test_screenshot_saved(
    page: Page,
    site_url: str,
    demo_site: Path,
    screenshots_dir: Path,
    kind: str,
    scheme: str,
    viewport: str,
) -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(color_scheme=scheme)
    open_kind(page, site_url, demo_site, kind)
    path = screenshots_dir / f"{kind}-{scheme}-{viewport}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 5_000


def test_dark_scheme_changes_the_colours(page: Page, site_url: str, demo_site: Path) -> None:
    open_kind(page, site_url, demo_site, "article")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(background) != light


def test_article_page_weighs_under_50_kb(page: Page, site_url: str, demo_site: Path) -> None:
    sizes: dict[str, int] = {}
    page.on("response", lambda response: sizes.__setitem__(response.url, len(response.body())))
    open_kind(page, site_url, demo_site, "article")
    assert sizes and sum(sizes.values()) <= 50 * 1024, sizes


def test_stylesheet_is_under_20_kb() -> None:
    assert CSS.stat().st_size <= 20 * 1024


def test_article_has_search_index_attributes(page: Page, site_url: str, demo_site: Path) -> None:
    open_kind(page, site_url, demo_site, "article")
    body = page.locator("[data-pagefind-body]")
    expect(body).to_have_count(1)
    title = body.locator("h1")
    expect(title).to_have_attribute("data-pagefind-meta", "title")
    expect(title).to_have_attribute("data-pagefind-weight", "10")
    for key in ("section", "source", "year", "topic"):
        assert page.locator(f"[data-pagefind-filter^='{key}:']").count() >= 1, key
    for key in ("date", "source", "summary"):
        expect(page.locator(f"[data-pagefind-meta^='{key}:']")).to_have_count(1)
    expect(page.locator("[data-pagefind-sort^='date:']")).to_have_count(1)


def test_article_json_ld_is_a_news_article_matching_the_page(
    page: Page, site_url: str, demo_site: Path
) -> None:
    open_kind(page, site_url, demo_site, "article")
    data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == page.locator("h1").inner_text()
    published = page.locator(".dateline time").first.get_attribute("datetime")
    assert data["datePublished"].startswith(published[:10])


def test_article_has_breadcrumbs_and_social_meta(
    page: Page, site_url: str, demo_site: Path
) -> None:
    open_kind(page, site_url, demo_site, "article")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link", name="Home")).to_have_count(1)
    expect(crumbs.locator("[aria-current=page]")).to_have_count(1)
    expect(page.locator("meta[property='og:type']")).to_have_attribute("content", "article")
    expect(page.locator("meta[property='og:title']")).to_have_attribute(
        "content", page.locator("h1").inner_text()
    )
    expect(page.locator("meta[name='twitter:card']")).to_have_count(1)


def test_skip_link_is_first_and_moves_focus_to_main(
    page: Page, site_url: str, demo_site: Path
) -> None:
    open_kind(page, site_url, demo_site, "article")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_print_hides_navigation_and_search(page: Page, site_url: str, demo_site: Path) -> None:
    open_kind(page, site_url, demo_site, "article")
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator("header form[role=search]")).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()


def test_favicon_is_served(page: Page, site_url: str, demo_site: Path) -> None:
    open_kind(page, site_url, demo_site, "home")
    href = page.locator("link[rel=icon]").evaluate("link => link.href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("image/svg")
