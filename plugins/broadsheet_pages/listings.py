"""What an entity, topic or source page shows: counts, chart, co-mentions, months."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

from markupsafe import Markup

from .charts import month_chart, month_counts
from .model import Article, Listing, MonthLink
from .settings import setting

ENTITY_KINDS = ("person", "organization", "place")


@dataclass(frozen=True)
class Details:
    """The computed parts of a listing's page."""

    latest: list[Article]  # the newest articles, on the front page
    months: list[MonthLink]  # newest first; empty when every article is on the front page
    chart: Markup
    co_mentions: list[tuple[Listing, int]]  # other entities in its articles
    topics: list[tuple[Listing, int]]
    feed_url: str | None


def top_counts(
    groups: Iterable[Iterable[Listing]], limit: int, exclude: Listing | None = None
) -> list[tuple[Listing, int]]:
    """The listings named most often across the groups, with counts; ties by name."""
    counts: Counter[Listing] = Counter()
    for group in groups:
        counts.update(group)
    counts.pop(exclude, None)
    return heapq.nsmallest(limit, counts.items(), key=lambda kv: (-kv[1], kv[0].name.casefold()))


def month_groups(articles: list[Article]) -> list[tuple[date, list[Article]]]:
    """Articles (newest first) grouped by their own calendar month, newest month first."""
    groups: dict[date, list[Article]] = {}
    for article in articles:
        groups.setdefault(article.date.date().replace(day=1), []).append(article)
    return sorted(groups.items(), key=lambda item: item[0], reverse=True)


def month_url(listing: Listing, month: date, settings: Mapping[str, Any]) -> str:
    return setting(settings, "BROADSHEET_MONTH_URL").format(base=listing.url, date=month)


def feed_url(listing: Listing, settings: Mapping[str, Any]) -> str | None:
    pattern = setting(settings, "BROADSHEET_FEED_URL")
    return pattern.format(base=listing.url) if pattern else None


def details(listing: Listing, settings: Mapping[str, Any]) -> Details:
    latest_count = setting(settings, "BROADSHEET_LATEST") or settings["DEFAULT_PAGINATION"]
    limit = setting(settings, "BROADSHEET_TOP_ENTITIES")
    articles = listing.articles
    months = []
    if len(articles) > latest_count:
        months = [
            MonthLink(month, len(group), month_url(listing, month, settings))
            for month, group in month_groups(articles)
        ]
    counts = month_counts(a.date.date() for a in articles)
    return Details(
        latest=articles[:latest_count],
        months=months,
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
