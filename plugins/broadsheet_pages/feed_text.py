"""Feed entries' summaries. A summary from the front-matter is scraped plain text, but feeds
carry summaries as HTML (`<summary type="html">`): a feed reader would run a scraped
`<script>`. So it goes to the feed as the HTML that shows that text."""

from __future__ import annotations

from html import escape
from typing import Any


def summary_html(item: Any) -> str | None:
    """The entry's summary as HTML: the front-matter's text escaped, or Pelican's own summary
    (cut from the rendered body, which ingest escaped) when the front-matter gives none."""
    text = getattr(item, "metadata", {}).get("summary")
    return escape(text, quote=False) if isinstance(text, str) else item.summary


class PlainSummary:
    """An article (or a feed's wrapper of one) whose `summary` is safe HTML for a feed."""

    def __init__(self, item: Any):
        self._item = item

    def __getattr__(self, name: str) -> Any:
        return getattr(self._item, name)

    @property
    def summary(self) -> str | None:
        return summary_html(self._item)
