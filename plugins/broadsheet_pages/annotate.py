"""What article pages show besides the body: links, copies, related articles, linked mentions.

Everything is set as attributes of Pelican's Article objects after the content cache has been
saved, so cached articles stay as read and every build starts from the same state.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .index import unique
from .linking import LinkedBodies
from .model import Article, Copy, Listing, SiteIndex
from .related import related_indices
from .settings import setting

LINKED_BODIES = "broadsheet-linked-bodies.json"  # in CACHE_PATH: see linking.LinkedBodies


def checked_url(url: object) -> str | None:
    """A scraped URL fit for an href: absolute http(s) only (front-matter can be hand-edited)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in {"http", "https"} and parts.netloc else None


def copies(raw: object, sources: Mapping[str, Listing]) -> list[Copy]:
    """`also_published_by` front-matter entries as Copy records with their source's page."""
    by_name = {listing.name.casefold(): listing for listing in sources.values()}
    result = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, Copy):
            result.append(item)
        elif isinstance(item, dict):
            source = str(item["source"]) if item.get("source") else None
            scraped_from = str(item["scraped_from"]) if item.get("scraped_from") else None
            page = by_name.get(source.casefold()) if source else None
            result.append(Copy(source, checked_url(item.get("url")), scraped_from, page))
    return result


def mention_targets(article: Article) -> dict[str, Listing]:
    """Every name of the article's entities that have a page -> that entity."""
    targets: dict[str, Listing] = {}
    for listing in article.entity_links:
        if listing.has_page:
            for name in (listing.name, *listing.aliases, *listing.spellings):
                targets.setdefault(name, listing)
    return targets


def annotate(
    index: SiteIndex, settings: Mapping[str, Any], generated_content: MutableMapping[str, Any]
) -> None:
    """Set the attributes article.html uses (README lists them) on every article."""
    articles = index.articles
    features = [[*a.entity_links, *a.topic_links] for a in articles]
    related = related_indices(
        features,
        setting(settings, "BROADSHEET_RELATED"),
        setting(settings, "BROADSHEET_RELATED_WINDOW"),
    )
    key_count = setting(settings, "BROADSHEET_KEY_ENTITIES")
    cache = settings.get("CACHE_PATH")
    bodies = LinkedBodies(Path(cache) / LINKED_BODIES if cache else None)
    for article, others in zip(articles, related, strict=True):
        # Pelican formats article.url from the settings on every access, and the plugin's
        # pages use each URL dozens of times: freeze it, through Pelican's own override
        article.override_url = article.url
        article.related = [articles[i] for i in others]
        article.also_published_by = copies(
            getattr(article, "also_published_by", None), index.sources
        )
        article.original_url = checked_url(getattr(article, "original_url", None))
        article.key_entities = [e for e in article.entity_links if e.has_page][:key_count]
        targets = mention_targets(article)
        # "{filename}" links are resolved by Pelican per page and per feed (relative or not)
        hrefs = {name: "{filename}/" + listing.url for name, listing in targets.items()}
        article._content = bodies.link(article._content, hrefs)
        for listing in unique(targets.values()):
            generated_content.setdefault(listing.url, listing)
    bodies.save()
