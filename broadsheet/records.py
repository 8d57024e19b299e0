"""Typed records passed between the ingest stages.

read (inputs.py) -> InputFile -> extract (read_*.py) -> Article -> enrich -> dedupe -> write.
Every stage takes records and returns records; only inputs.py and markdown_out.py touch files.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

InputKind = Literal["text", "html", "records"]


@dataclass(frozen=True)
class EntityKind:
    """A kind of named entity, named here once for ingest, the site plugin, search and theme."""

    type: str  # in registries and listings: "person"
    key: str  # the front-matter key, also the first segment of its pages' URLs: "people"
    label: str  # a heading over several: "People"
    singular: str  # "Person"


ENTITY_KINDS = (
    EntityKind("person", "people", "People", "Person"),
    EntityKind("organization", "organizations", "Organizations", "Organization"),
    EntityKind("place", "places", "Places", "Place"),
)


@dataclass(frozen=True)
class InputFile:
    """One scraped file, decompressed and decoded."""

    path: str  # relative to the source folder, POSIX separators
    kind: InputKind
    text: str  # decoded content (gzip removed, encoding detected)
    sha256: str  # of the raw bytes on disk
    encoding: str  # the encoding the text was decoded from


@dataclass(frozen=True)
class Span:
    """A run of inline text; `href` makes it a link (already checked to be safe)."""

    text: str
    href: str | None = None


BlockKind = Literal["p", "h2", "h3", "li", "oli", "quote"]


@dataclass(frozen=True)
class Block:
    """One block of an article body. Consecutive `li` (bulleted) or `oli` (numbered)
    blocks form one list."""

    kind: BlockKind
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    @classmethod
    def paragraph(cls, text: str) -> Block:
        return cls("p", (Span(text),))


@dataclass(frozen=True)
class Article:
    """One news article, as extracted and then enriched.

    `published`/`modified` are aware datetimes when the page gave a time and the zone
    is known, a plain `date` when only the day is known, and None when no date was
    found (the article is then written as a draft).
    """

    title: str
    body: tuple[Block, ...]
    scraped_from: str  # InputFile.path
    scraped_sha256: str  # InputFile.sha256
    record: int | None = None  # index of the record inside a JSON/JSONL file
    published: datetime | date | None = None
    modified: datetime | date | None = None
    section: str | None = None
    source: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    lang: str | None = None
    captions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # the publisher's own subject tags (article:tag, keywords)
    # filled by enrich
    summary: str | None = None
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    # filled by dedupe: other copies of this story (source names and URLs)
    also_published_by: tuple[DuplicateCopy, ...] = ()

    @property
    def body_text(self) -> str:
        return "\n\n".join(block.text for block in self.body)

    @property
    def input_id(self) -> str:
        """Identifies the input this article came from: a file, or a record in a file."""
        return self.scraped_from if self.record is None else f"{self.scraped_from}#{self.record}"

    def evolve(self, **changes) -> Article:
        return replace(self, **changes)


@dataclass(frozen=True)
class DuplicateCopy:
    """Another scraped copy of the same story, recorded on the article that was kept."""

    source: str | None
    url: str | None
    scraped_from: str


@dataclass(frozen=True)
class Failure:
    """An input (or one record of it) that could not become an article."""

    path: str
    reason: str
    record: int | None = None

    def __str__(self) -> str:
        where = self.path if self.record is None else f"{self.path} (record {self.record})"
        return f"{where}: {self.reason}"


@dataclass
class ExtractResult:
    """What a reader returns for one input file: articles and/or failures."""

    articles: list[Article] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
