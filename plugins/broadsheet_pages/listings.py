"""What an entity, topic or source page shows: counts, chart, co-mentions, archive pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, groupby
from typing import Any

from markupsafe import Markup

from .charts import month_chart, month_counts
from .model import ArchivePage, Article, Listing
from .settings import setting


@dataclass(frozen=True)
class Details:
    """The computed parts of a listing's page."""

    latest: list[Article]  # the newest articles, with summaries, on the front page
    recent: list[Article]  # the others not on a full archive page yet, listed more briefly
    archive: list[ArchivePage]  # newest first
    chart: Markup
    co_mentions: list[tuple[Listing, int]]  # other entities in its articles
    topics: list[tuple[Listing, int]]
    feed_url: str | None


def top_counts(
    groups: Iterable[Iterable[Listing]], limit: int, exclude: Listing | None = None
) -> list[tuple[Listing, int]]:
    """The listings named most often across the groups, with counts; ties by name."""
    # one count over all the groups: Counter.update's Python overhead, once per group, was
    # most of an archive's co-mention counts
    counts: Counter[Listing] = Counter(chain.from_iterable(groups))
    counts.pop(exclude, None)
    candidates = counts.items()
    if len(counts) > limit > 0:  # only the listings named at least as often as the limit-th
        least = sorted(counts.values(), reverse=True)[limit - 1]  # (C sorts: no key per item)
        candidates = [(listing, n) for listing, n in candidates if n >= least]
    return sorted(candidates, key=lambda kv: (-kv[1], kv[0].name.casefold()))[: max(limit, 0)]


def archive_pages(listing: Listing, settings: Mapping[str, Any]) -> list[ArchivePage]:
    """The listing's full pages of articles, counted from the oldest; newest page first."""
    size = setting(settings, "BROADSHEET_ARCHIVE_PAGE_SIZE")
    pattern = setting(settings, "BROADSHEET_ARCHIVE_PAGE_URL")
    oldest_first = listing.articles[::-1]
    pages = []
    for number in range(len(oldest_first) // size, 0, -1):
        chunk = oldest_first[(number - 1) * size : number * size]
        pages.append(
            ArchivePage(number, pattern.format(base=listing.url, number=number), chunk[::-1])
        )
    return pages


def feed_url(listing: Listing, settings: Mapping[str, Any]) -> str | None:
    pattern = setting(settings, "BROADSHEET_FEED_URL")
    return pattern.format(base=listing.url) if pattern else None


def details(listing: Listing, settings: Mapping[str, Any]) -> Details:
    latest_count = setting(settings, "BROADSHEET_LATEST") or settings["DEFAULT_PAGINATION"]
    limit = setting(settings, "BROADSHEET_TOP_ENTITIES")
    articles = listing.articles
    archive = archive_pages(listing, settings)
    unarchived = len(articles) - sum(len(page.articles) for page in archive)
    counts = month_counts(a.date.date() for a in articles)
    return Details(
        latest=articles[:latest_count],
        recent=articles[latest_count:unarchived],
        archive=archive,
        chart=month_chart(counts, f"Articles per month mentioning {listing.name}"),
        co_mentions=top_counts((a.entity_links for a in articles), limit, exclude=listing),
        topics=top_counts((a.topic_links for a in articles), limit, exclude=listing),
        feed_url=feed_url(listing, settings),
    )


def letter_groups(listings: Iterable[Listing]) -> list[tuple[str, list[Listing]]]:
    """A-Z groups by display name; names not starting with a letter go under "#"."""

    def letter(listing: Listing) -> str:
        first = listing.name[:1].upper()
        return first if first.isalpha() else "#"

    ordered = sorted(
        listings,
        key=lambda item: (letter(item) == "#", letter(item), item.name.casefold(), item.slug),
    )
    return [(key, list(group)) for key, group in groupby(ordered, key=letter)]
