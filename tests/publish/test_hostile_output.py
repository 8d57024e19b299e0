"""Nothing injected, nothing leaked (issue 19): what a built site may carry of scraped text,
and what the pre-deploy check must catch before a site is published."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from tests.support import build, write_articles

HOSTILE = '<script>alert("feed")</script><img src=x onerror=alert(1)> Talks <b>resume</b> & go'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    meta = {
        "title": "Harbour talks resume <script>alert(2)</script>",
        "slug": "harbour-talks-resume",
        "date": "2021-04-21",
        "category": "World",
        "source": "Example News",
        "summary": HOSTILE,
        "people": ["Ann Smith"],
        "scraped_from": "scraped/a.json",
    }
    other = meta | {"slug": "harbour-talks-again", "date": "2021-04-22", "title": "Again"}
    body = "Negotiators met again on Tuesday.\n"
    write_articles(base / "content", [(meta, body), (other, body)])
    return build(base / "content", base / "output", base / "cache", search=False)


def feeds(site: Path) -> list[Path]:
    return sorted(site.rglob("*.atom.xml"))


def test_a_scraped_script_in_a_summary_is_never_live_markup_in_a_feed(hostile_site: Path):
    found = feeds(hostile_site)
    assert any(path.name == "all.atom.xml" for path in found)
    checked = 0
    for path in found:
        for entry in feedparser.parse(path.read_bytes()).entries:
            # what a feed reader renders: the summary and content as HTML
            shown = [entry.get("summary", "")] + [c.value for c in entry.get("content", [])]
            for html in shown:
                assert not re.search(r"<\s*(script|img|b)\b", html, re.I), (path, html)
                if "alert" in html:
                    checked += 1
                    assert "&lt;script&gt;" in html  # the text itself is still shown
    assert checked >= 2  # the site feed and the person's summary-only feed


def test_the_raw_feed_escapes_the_summary_twice(hostile_site: Path):
    raw = (hostile_site / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "<script" not in raw
    assert "&amp;lt;script&amp;gt;" in raw  # escaped text inside an HTML summary
