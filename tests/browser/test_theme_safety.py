"""Hostile scraped text never runs in a reader's browser: no dialog, no script from content."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from broadsheet.publish.audit import serve
from tests.support import build, copy_site_pages, ingest_into, write_articles

pytestmark = pytest.mark.browser

# Each payload sets window.__pwned and opens a dialog if it ever runs.
SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__pwned=1;alert(2)">'
SVG = '"><svg onload="window.__pwned=1;alert(3)">'
CLOSE = "</script><script>window.__pwned=1;alert(4)</script>"
JS_URL = "javascript:window.__pwned=1;alert(5)"

HOSTILE_FRONT_MATTER = {
    "title": f"Headline {SCRIPT} {CLOSE}",
    "slug": "hostile",
    "date": "2021-04-21T09:46:00+09:00",
    "category": f"World {SVG}",
    "source": f"Evil Times {IMG}",
    "authors": [f"Reporter {IMG}", SVG],
    "original_url": JS_URL,
    "summary": f"Summary {IMG} {SCRIPT}",
    "people": [f"Kim {SCRIPT}"],
    "places": [CLOSE],
    "topics": [f"Topic {CLOSE}"],
    "captions": [f"Caption {IMG}"],
    "also_published_by": [{"source": f"Copy {SVG}", "url": JS_URL, "scraped_from": "x.txt"}],
}
# ingest escapes scraped body text before it becomes Markdown
HOSTILE_BODY = "Body text &lt;script&gt;alert(6)&lt;/script&gt; stays text."

HOSTILE_SCRAPED = {
    "dump.txt": f" date 2021-04-21  Back To Top\nWorld {SVG}\n\nHeadline {SCRIPT}\n\nBy {IMG}\n"
    "Published : Apr 21, 2021 - 09:46\n\n"
    f"First paragraph of the body {SCRIPT} with enough words to count as a paragraph here.\n\n"
    f"Second paragraph {IMG} continues the story with more words for the extractor.\n",
    "page.html": f"""<!doctype html><html><head><title>Headline {SCRIPT}</title>
<meta property="og:title" content='Headline {IMG}'>
<meta property="article:section" content='{SVG}'><meta name="author" content='{IMG}'>
<meta property="article:published_time" content="2021-04-20T08:00:00+00:00">
<meta property="og:url" content="{JS_URL}"></head><body><article><h1>Headline {SCRIPT}</h1>
<p>Body paragraph one {SCRIPT} goes on for a while so that it looks like an article body.</p>
<figure><img src=x onerror="window.__pwned=1;alert(7)"><figcaption>Caption {IMG}</figcaption>
</figure><p>Body paragraph two <a href="{JS_URL}">a link</a> and more words to extract.</p>
</article></body></html>""",
    "records.jsonl": json.dumps(
        {
            "url": JS_URL,
            "title": f"Record {SCRIPT}",
            "date": "2021-04-19",
            "section": SVG,
            "authors": [IMG],
            "source": f"Wire {IMG}",
            "text": f"Record body {SCRIPT} with words.\n\nAnd {IMG} a second paragraph of text.",
        }
    )
    + "\n",
}


def assert_no_content_script_runs(page: Page, base_url: str, output: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = sorted(output.rglob("*.html"))
    assert pages
    for html in pages:
        page.goto(f"{base_url}/{html.relative_to(output).as_posix()}")
        assert page.evaluate("window.__pwned") is None, html
        # the page's own scripts only: JSON-LD data and same-site files
        scripts = page.eval_on_selector_all(
            "script",
            "els => els.filter(s => s.type !== 'application/ld+json' && "
            "!(s.src && s.src.startsWith(location.origin))).map(s => s.outerHTML)",
        )
        assert scripts == [], html
        handlers = page.eval_on_selector_all(
            "*",
            "els => els.flatMap(e => [...e.attributes].map(a => a.name))"
            ".filter(n => n.startsWith('on'))",
        )
        assert handlers == [], html
        js_links = page.eval_on_selector_all(
            "[href], [src], [action]",
            "els => els.map(e => e.getAttribute('href') || "
            "e.getAttribute('src') || e.getAttribute('action'))"
            ".filter(u => /^\\s*javascript:/i.test(u))",
        )
        assert js_links == [], html
    assert dialogs == []


@pytest.fixture(scope="module")
def hostile_front_matter_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    root = tmp_path_factory.mktemp("hostile-md")
    write_articles(root / "content", [(HOSTILE_FRONT_MATTER, HOSTILE_BODY)])
    copy_site_pages(root / "content")
    output = build(root / "content", root / "output", root / "cache")
    with serve(output) as url:
        yield url, output


def test_hostile_front_matter_renders_as_text(page: Page, hostile_front_matter_site) -> None:
    url, output = hostile_front_matter_site
    assert_no_content_script_runs(page, url, output)
    page.goto(f"{url}/2021/04/21/hostile/")
    assert SCRIPT in page.locator("h1").inner_text()
    assert "Caption <img" in page.locator(".captions").inner_text()


def test_hostile_title_cannot_close_the_json_ld_script(
    page: Page, hostile_front_matter_site
) -> None:
    url, _ = hostile_front_matter_site
    page.goto(f"{url}/2021/04/21/hostile/")
    data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert data["headline"] == HOSTILE_FRONT_MATTER["title"]
    assert "isBasedOn" not in data
    assert page.locator("a[href^='javascript']").count() == 0


def test_hostile_scraped_inputs_run_no_script(
    page: Page, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pytest.importorskip("broadsheet.pipeline", reason="ingest pipeline not written yet")
    root = tmp_path_factory.mktemp("hostile-scraped")
    scraped = root / "scraped"
    scraped.mkdir()
    for name, text in HOSTILE_SCRAPED.items():
        (scraped / name).write_text(text, encoding="utf-8")
    ingest_into(scraped, root / "content")
    assert list((root / "content").rglob("*.md")), "ingest wrote no article"
    copy_site_pages(root / "content")
    output = build(root / "content", root / "output", root / "cache")
    with serve(output) as url:
        assert_no_content_script_runs(page, url, output)
