"""A build that starts from an empty output folder (the publish settings) is made beside
output/ and swapped in (issue 19): a failed or killed build leaves the old site whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.site.search import SearchIndexError
from tests.support import build, write_articles

META = {
    "title": "Harbour talks resume",
    "slug": "harbour-talks-resume",
    "date": "2021-04-21",
    "category": "World",
    "source": "Example News",
    "scraped_from": "scraped/a.json",
}


def test_a_fresh_build_replaces_the_site_whole_and_a_failed_one_leaves_it(tmp_path: Path):
    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    write_articles(content, [(META, "Negotiators met again on Tuesday.\n")])
    build(content, output, cache, DELETE_OUTPUT_DIRECTORY=True)
    page = output / "2021" / "04" / "21" / "harbour-talks-resume" / "index.html"
    assert page.is_file() and (output / "pagefind" / "pagefind-entry.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "content", "output"]
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    # the next build fails in its search step (no article page left to index)
    for article in (content / "articles").rglob("*.md"):
        article.unlink()
    with pytest.raises(SearchIndexError):
        build(content, output, cache, DELETE_OUTPUT_DIRECTORY=True)
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    assert page.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "content", "output"]
