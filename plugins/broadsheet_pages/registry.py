"""The entity and topic registries: stable slugs, display names, aliases and old slugs.

Ingest keeps `entities.json` and `topics.json` (README, "Registries"; an earlier version's
`.yml` files are read when there is no JSON yet); a name missing from them still gets a page,
under the slug Pelican would give it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from broadsheet.enrich.registry import parse, registry_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """One registered entity or topic."""

    slug: str
    name: str
    type: str  # person | organization | place | topic
    aliases: tuple[str, ...] = ()
    old_slugs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Registry:
    """Registered entries of one file, found by type and by any of their names."""

    by_name: dict[tuple[str, str], Entry]
    entries: tuple[Entry, ...]

    def lookup(self, kind: str, name: str) -> Entry | None:
        return self.by_name.get((kind, name.casefold()))


def build_registry(entries: Iterable[Entry]) -> Registry:
    entries = tuple(entries)
    by_name: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        for name in (entry.name, *entry.aliases):
            by_name.setdefault((entry.type, name.casefold()), entry)
    return Registry(by_name, entries)


def _entry(item: object, default_type: str | None) -> Entry:
    if not isinstance(item, dict) or not item.get("slug") or not item.get("name"):
        raise ValueError(f"an entry needs a slug and a name, got {item!r}")
    kind = str(item.get("type") or default_type or "")
    if not kind:
        raise ValueError(f"entry {item['slug']!r} has no type")
    return Entry(
        slug=str(item["slug"]),
        name=str(item["name"]),
        type=kind,
        aliases=tuple(str(a) for a in item.get("aliases") or ()),
        old_slugs=tuple(str(s) for s in item.get("old_slugs") or ()),
    )


def load_registry(path: Path, default_type: str | None = None) -> Registry:
    """Read one registry file; a missing file is an empty registry, a bad entry is skipped."""
    file = registry_file(path)
    if file is None:
        return build_registry(())
    try:
        items = parse(file)
    except (OSError, ValueError, yaml.YAMLError) as error:
        log.error("%s: cannot read the registry (%s); building without it", file, error)
        return build_registry(())
    if not isinstance(items, list):
        log.error("%s: the registry should be a list of entries; building without it", file)
        return build_registry(())
    entries = []
    for item in items:
        try:
            entries.append(_entry(item, default_type))
        except ValueError as error:
            log.error("%s: skipping a bad entry: %s", file, error)
    return build_registry(entries)
