"""Publisher settings: display names, domains, timezones and footer marks.

Loaded from the bundled `broadsheet/data/sources.yml`, then the project's editable
`content/sources.yml`, whose entries override bundled ones with the same name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import yaml


class PublisherSettingsError(ValueError):
    """A sources file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Publisher:
    name: str
    domains: tuple[str, ...] = ()
    timezone: str | None = None
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Publishers:
    entries: tuple[Publisher, ...]

    @classmethod
    def load(cls, project_file: Path | None = None) -> Publishers:
        bundled = resources.files("broadsheet") / "data" / "sources.yml"
        merged = {
            p.name: p for p in _parse(bundled.read_text("utf-8"), "broadsheet/data/sources.yml")
        }
        if project_file is not None and project_file.is_file():
            for publisher in _parse(project_file.read_text("utf-8"), str(project_file)):
                merged[publisher.name] = publisher
        return cls(tuple(merged.values()))

    def by_url(self, url: str | None) -> Publisher | None:
        """The publisher whose domain (or a parent of it) hosts `url`."""
        host = host_of(url)
        if not host:
            return None
        for publisher in self.entries:
            if any(host == d or host.endswith("." + d) for d in publisher.domains):
                return publisher
        return None

    def by_name(self, name: str | None) -> Publisher | None:
        """The publisher with this display name or mark (case-insensitive)."""
        if not name:
            return None
        wanted = name.strip().casefold()
        for publisher in self.entries:
            if wanted in (n.casefold() for n in (publisher.name, *publisher.marks)):
                return publisher
        return None

    def in_lines(self, lines: Iterable[str]) -> Publisher | None:
        """The publisher whose mark appears in the first of `lines` that mentions one
        (pass footer or copyright lines)."""
        for line in lines:
            if match := self._marks_pattern.search(line):
                return self._by_mark[match.group(0).casefold()]
        return None

    @cached_property
    def _by_mark(self) -> dict[str, Publisher]:
        marks: dict[str, Publisher] = {}
        for publisher in self.entries:
            for mark in (publisher.name, *publisher.marks):
                marks.setdefault(mark.casefold(), publisher)
        return marks

    @cached_property
    def _marks_pattern(self) -> re.Pattern[str]:
        # one pass per line: longest marks first so "The Korea Herald" beats "Korea Herald"
        marks = sorted(self._by_mark, key=len, reverse=True)
        alternatives = "|".join(re.escape(mark) for mark in marks) or "(?!)"
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def host_of(url: str | None) -> str | None:
    """The lower-case host of a URL without a leading `www.`."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.") or None


def display_name_for_host(host: str) -> str:
    """A readable name for an unknown publisher: its domain (`example-news.com`)."""
    return host.removeprefix("www.")


def _parse(text: str, where: str) -> list[Publisher]:
    data = yaml.safe_load(text) or []
    if not isinstance(data, list):
        raise PublisherSettingsError(
            f"{where}: expected a list of publishers, got {type(data).__name__}"
        )
    publishers = []
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise PublisherSettingsError(f"{where}: entry {index + 1} needs a 'name' string")
        publishers.append(
            Publisher(
                name=entry["name"],
                domains=tuple(str(d).lower() for d in entry.get("domains") or ()),
                timezone=entry.get("timezone"),
                marks=tuple(str(m) for m in entry.get("marks") or ()),
            )
        )
    return publishers
