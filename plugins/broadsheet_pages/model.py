"""What the plugin knows about the site after one pass over the articles."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from broadsheet.records import ENTITY_KINDS

# front-matter key -> entity type; the key is also the URL's first segment (DESIGN.md)
ENTITY_KEYS = {kind.key: kind.type for kind in ENTITY_KINDS}
ENTITY_PLURALS = {kind.type: kind.key for kind in ENTITY_KINDS}

Article = Any  # pelican.contents.Article; typed loosely, Pelican is untyped


@dataclass(eq=False)
class Listing:
    """An entity, topic or source with its articles, newest first."""

    kind: str  # person | organization | place | topic | source
    slug: str
    name: str
    url: str
    registered: bool = False  # the name comes from a registry, not from the spellings seen
    aliases: tuple[str, ...] = ()
    old_urls: tuple[str, ...] = ()  # of earlier display names: they redirect here
    articles: list[Article] = field(default_factory=list)
    spellings: Counter[str] = field(default_factory=Counter)
    has_page: bool = False

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class Copy:
    """Another publisher's copy of an article ("also published by")."""

    source: str | None
    url: str | None  # checked: http(s) only
    scraped_from: str | None
    source_page: Listing | None


@dataclass(frozen=True)
class ArchivePage:
    """A full page of a listing's articles, counted from its oldest: a page, once full, never
    changes when newer articles arrive."""

    number: int  # 1 holds the oldest articles
    url: str
    articles: list[Article]  # newest first

    @property
    def first(self) -> datetime:
        return self.articles[-1].date

    @property
    def last(self) -> datetime:
        return self.articles[0].date


@dataclass
class SiteIndex:
    """Every article indexed by entity, topic, source and day, in one pass."""

    articles: list[Article]  # newest first
    entities: dict[tuple[str, str], Listing]  # (kind, slug)
    topics: dict[str, Listing]
    sources: dict[str, Listing]
    days: dict[date, list[Article]]  # newest first within the day

    def listings(self) -> list[Listing]:
        return [*self.entities.values(), *self.topics.values(), *self.sources.values()]
