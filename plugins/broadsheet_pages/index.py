"""One pass over the articles: index them by entity, topic, source and day."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from pelican.utils import slugify

from broadsheet.enrich.registry import Registry

from .model import ENTITY_KEYS, ENTITY_PLURALS, Article, Listing, SiteIndex
from .settings import setting


def article_order(article: Article) -> tuple:
    """Newest first. Articles of one time (a date without a time, as many scrapers give) follow
    their file names, which are their headlines' slugs: A to Z, as a reader scans a list, and
    the same order in every build."""
    return (-article.date.timestamp(), article.source_path)


def safe_slug(slugify: Callable[[str], str], name: str) -> str:
    """Pelican's slug, or a stable hash when the name has no letters Pelican keeps."""
    return slugify(name) or "n-" + hashlib.sha1(name.encode()).hexdigest()[:10]


def _names(article: Article, key: str) -> list[str]:
    value = getattr(article, key, None) or []
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


class _Listings:
    """Finds or creates the listing for a name; names with the same slug share one."""

    def __init__(
        self,
        url_of: Callable[[str, str], str],
        slugify: Callable[[str], str],
        registry: Registry | None,
    ):
        self.by_key: dict[tuple[str, str], Listing] = {}
        self._url_of = url_of
        self._slugify = slugify
        self._registry = registry

    def get(self, kind: str, name: str) -> Listing:
        # topics are registered without a type
        typed = None if kind == "topic" else kind
        entry = self._registry.lookup(typed, name) if self._registry else None
        key = (kind, entry.slug if entry else safe_slug(self._slugify, name))
        listing = self.by_key.get(key)
        if listing is None:
            listing = Listing(
                kind=kind,
                slug=key[1],
                name=entry.name if entry else name,
                url=self._url_of(kind, key[1]),
                registered=entry is not None,
                aliases=entry.aliases if entry else (),
                old_urls=tuple(self._url_of(kind, old) for old in entry.old_slugs) if entry else (),
                about=entry.about if entry else None,
                iptc=entry.iptc if entry else None,
            )
            self.by_key[key] = listing
        listing.spellings[name] += 1
        return listing

    def finish(self, min_articles: int) -> None:
        """Display names for unregistered listings, and which listings get a page."""
        for listing in self.by_key.values():
            if not listing.registered:
                listing.name = min(listing.spellings, key=lambda s: (-listing.spellings[s], s))
            listing.has_page = listing.count >= min_articles


def unique(listings: Iterable[Listing]) -> list[Listing]:
    return list(dict.fromkeys(listings))


def pelican_slug(settings: Mapping[str, Any]) -> Callable[[str], str]:
    """Slugs made the way Pelican makes its own (categories, authors) with these settings."""
    return partial(
        slugify,
        regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
        use_unicode=settings["SLUGIFY_USE_UNICODE"],
    )


def build_index(
    articles: Iterable[Article],
    settings: Mapping[str, Any],
    entities: Registry,
    topics: Registry,
) -> SiteIndex:
    """Index the articles and annotate each with `entity_links`, `topic_links`, `source_page`."""
    make_slug = pelican_slug(settings)
    entity_url, topic_url, source_url = (
        setting(settings, f"BROADSHEET_{what}_URL") for what in ("ENTITY", "TOPIC", "SOURCE")
    )
    people = _Listings(
        lambda kind, slug: entity_url.format(kind=ENTITY_PLURALS[kind], slug=slug),
        make_slug,
        entities,
    )
    themes = _Listings(lambda _, slug: topic_url.format(slug=slug), make_slug, topics)
    outlets = _Listings(lambda _, slug: source_url.format(slug=slug), make_slug, None)
    days: dict[Any, list[Article]] = defaultdict(list)
    ordered = sorted(articles, key=article_order)
    for article in ordered:
        article.entity_links = unique(
            people.get(kind, name)
            for key, kind in ENTITY_KEYS.items()
            for name in _names(article, key)
        )
        article.topic_links = unique(
            themes.get("topic", name) for name in _names(article, "topics")
        )
        source = _names(article, "source")
        article.source_page = outlets.get("source", source[0]) if source else None
        for listing in (*article.entity_links, *article.topic_links, article.source_page):
            if listing is not None:
                listing.articles.append(article)
        days[article.date.date()].append(article)
    min_articles = setting(settings, "BROADSHEET_MIN_ARTICLES")
    people.finish(min_articles)
    themes.finish(min_articles)
    outlets.finish(1)  # every source gets its page
    topic_listings = {k[1]: v for k, v in themes.by_key.items()}
    return SiteIndex(
        ordered,
        people.by_key,
        topic_listings,
        {k[1]: v for k, v in outlets.by_key.items()},
        dict(days),
        retired_topic_urls(topics, topic_listings, lambda slug: topic_url.format(slug=slug)),
    )


def retired_topic_urls(
    registry: Registry, listings: Mapping[str, Listing], url_of: Callable[[str], str]
) -> tuple[str, ...]:
    """URLs of registered topics (and their old slugs) that no article has in this build (a
    topic in too few articles for a page is still listed on /topics/, and its URL left free).
    Merged and renamed topics redirect through the listing that took their slugs instead."""
    live = set(listings)
    return tuple(
        sorted(
            url_of(slug)
            for entry in registry.entries
            if entry.type is None and entry.slug not in live
            for slug in entry.slugs
        )
    )
