"""What a page's digest is made from: an article in a list by what a list shows of it."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from ..inputs import PAGE_ONLY, Fingerprints

THEME = Path(__file__).resolve().parents[3] / "theme" / "templates"
# the names the theme gives an article in a list, a story's lead, a copy's page
ARTICLE_NAMES = r"(?:article|other|lead|entry|story\.lead)"
# the attribute a template reads for each PAGE_ONLY one (Pelican's `content` is `_content`)
READ_AS = {name: name.removeprefix("_") for name in PAGE_ONLY}


def article(summary: str | None = "A short summary.", body: str = "<p>Body.</p>") -> Article:
    metadata = {"title": "A headline", "slug": "a-headline"}
    if summary is not None:
        metadata["summary"] = summary
    return Article(body, metadata=metadata, settings=dict(DEFAULT_CONFIG))


def listed(item: Article) -> str:
    return Fingerprints().of([item])


def test_a_listed_article_ignores_its_story_body_and_entity_links() -> None:
    item = article()
    before = listed(item)
    item.story = SimpleNamespace(url="stories/x/", count=99, sources=("A", "B"))
    item._content = "<p>Body, with <a href='{filename}/people/x/'>a link</a>.</p>"
    item.entity_links = [SimpleNamespace(name="X")]
    assert listed(item) == before


def test_an_article_page_sees_its_story_and_body() -> None:
    item = article()
    before = Fingerprints().of(item)
    item._content = "<p>Another body.</p>"
    assert Fingerprints().of(item) != before


def test_a_listed_article_changes_with_its_title_and_summary() -> None:
    item = article()
    before = listed(item)
    item.title = "Another headline"
    assert listed(item) != before
    assert listed(article(summary="Another summary.")) != listed(article())


def test_a_listed_article_without_a_summary_changes_with_its_body() -> None:
    assert listed(article(None, "<p>One.</p>")) != listed(article(None, "<p>Two.</p>"))


def test_no_list_in_the_theme_shows_what_only_an_article_page_shows() -> None:
    """article.html and its partials/article_* may read PAGE_ONLY attributes; no other
    template may read them of an article, or a list's digest would miss a change."""
    pattern = re.compile(rf"\b{ARTICLE_NAMES}\.({'|'.join(READ_AS.values())})\b")
    templates = [
        path
        for path in THEME.rglob("*.html")
        if path.name != "article.html" and not path.name.startswith("article_")
    ]
    assert len(templates) > 20
    found = {
        (path.name, match.group(1))
        for path in templates
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    }
    assert found == set()


def test_a_list_fingerprint_is_the_same_whether_its_items_were_met_before() -> None:
    one, two = article(), article(summary="Another summary.")
    mixed = [one, "text", 3, (two, 1), two, None]
    warm = Fingerprints()
    for met, brief in (([two], False), ([(one, 1)], True), (one, False)):
        warm.of(met, brief)  # memos filled in other orders
    assert warm.of(list(mixed)) == Fingerprints().of(list(mixed))
    assert warm.of([one, two]) != warm.of([two, one])
