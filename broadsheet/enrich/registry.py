"""Stable slugs for entities and topics: content/registry/{entities,topics}.json.

A registry only grows. An entry's slug is never given to anything else: when its display name
changes, the entry takes the new name's slug and keeps the earlier one in `old_slugs`, so that old
URLs can redirect; when two entries merge, the survivor keeps the other's slugs in `old_slugs`.

The files are JSON, one entry a line: a registry grows to tens of thousands of entries and is
read on every run, and JSON reads a hundred times faster than YAML. A registry of an earlier
version (the same name with .yml) is still read, and replaced by JSON on the next write.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from broadsheet.files import write_if_changed

log = logging.getLogger(__name__)


class RegistryError(ValueError):
    """A registry file that cannot be read."""


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    type: str | None = None  # person | organization | place; None for topics
    aliases: tuple[str, ...] = ()
    old_slugs: tuple[str, ...] = ()
    about: str | None = None  # what a topic covers, in one line, for its page
    iptc: str | None = None  # a topic's IPTC Media Topic qcode ("medtop:20000204")

    @property
    def slugs(self) -> tuple[str, ...]:
        return (self.slug, *self.old_slugs)


@dataclass(frozen=True)
class Group:
    """One entity or topic as found in this run, to be matched with the registry."""

    name: str
    type: str | None
    forms: frozenset[str]  # every name it went by, the display name included
    members: tuple[int, ...] = field(default=())  # indexes of registry entries merged into it


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower().replace("'", "")).strip("-") or "x"


def registry_file(path: Path) -> Path | None:
    """The file to read for the registry `path`: itself, else an earlier version's YAML file
    beside it; None when there is neither yet."""
    for candidate in (path, path.with_suffix(".yml")):
        if candidate.is_file():
            return candidate
    return None


def parse(file: Path) -> Any:
    """The data of a registry file, JSON or (an earlier version's) YAML, by its suffix.
    Raises OSError, ValueError or yaml.YAMLError."""
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=_YAML_LOADER) or []


def load(path: Path, strict: bool = True) -> list[Entry]:
    """The entries of a registry file ([] when it does not exist yet).

    A file or entry that cannot be read raises RegistryError; with `strict` False (the site
    build, which must not stop for it) the error is logged and the file or entry skipped.
    """
    file = registry_file(path)
    if file is None:
        return []
    try:
        items = parse(file)
        if not isinstance(items, list):
            raise ValueError("the file holds no list")
    except (OSError, ValueError, yaml.YAMLError) as error:
        if strict and isinstance(error, OSError):
            raise
        _refuse(file, error, strict, "going on without the registry")
        return []
    entries = []
    for item in items:
        try:
            entries.append(_entry(item))
        except ValueError as error:
            _refuse(file, error, strict, "skipping the entry")
    return entries


def _refuse(file: Path, error: Exception, strict: bool, instead: str) -> None:
    if strict:
        raise RegistryError(
            f"{file}: not a registry list of {{slug, name, ...}} ({error})"
        ) from error
    log.error("%s: cannot read the registry (%s); %s", file, error, instead)


def _entry(item: object) -> Entry:
    if not isinstance(item, dict) or not item.get("slug") or not item.get("name"):
        raise ValueError(f"an entry needs a slug and a name, got {item!r}")
    try:
        return Entry(
            slug=str(item["slug"]),
            name=str(item["name"]),
            type=item.get("type"),
            aliases=tuple(str(alias) for alias in item.get("aliases") or ()),
            old_slugs=tuple(str(slug) for slug in item.get("old_slugs") or ()),
            about=str(item["about"]) if item.get("about") else None,
            iptc=str(item["iptc"]) if item.get("iptc") else None,
        )
    except TypeError as error:  # aliases or old_slugs that are not lists
        raise ValueError(f"entry {item['slug']!r}: {error}") from error


@dataclass(frozen=True)
class Registry:
    """Entries found by type and by any of their names, case-folded: how the site turns
    front-matter names into slugs. Topics have the type None."""

    entries: tuple[Entry, ...]
    by_name: dict[tuple[str | None, str], Entry]

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Registry:
        entries = tuple(entries)
        by_name: dict[tuple[str | None, str], Entry] = {}
        for entry in entries:
            for name in (entry.name, *entry.aliases):
                by_name.setdefault((entry.type, name.casefold()), entry)
        return cls(entries, by_name)

    def lookup(self, type: str | None, name: str) -> Entry | None:
        return self.by_name.get((type, name.casefold()))


# libyaml's loader when PyYAML was built with it (older registries only)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# characters escaped as \uXXXX so that the file stays valid, plainly readable UTF-8
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def dump(entries: Sequence[Entry]) -> str:
    """The registry as JSON text, one entry a line: by slug, aliases and old slugs sorted."""
    lines = []
    for entry in sorted(entries, key=lambda e: e.slug):
        item = {"slug": entry.slug, "name": entry.name}
        if entry.type is not None:
            item["type"] = entry.type
        item |= {"aliases": sorted(entry.aliases), "old_slugs": sorted(entry.old_slugs)}
        item |= {key: value for key in ("about", "iptc") if (value := getattr(entry, key))}
        line = json.dumps(item, ensure_ascii=False)
        lines.append(_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", line))
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


def save(path: Path, entries: Sequence[Entry]) -> None:
    """Write the registry (atomically), replacing an earlier version's YAML file."""
    write_if_changed(path, dump(entries))
    path.with_suffix(".yml").unlink(missing_ok=True)


def _free_slug(wanted: str, taken: set[str]) -> str:
    slug, n = wanted, 1
    while slug in taken:
        n += 1
        slug = f"{wanted}-{n}"
    return slug


def _renamed(entry: Entry, name: str, taken: set[str]) -> Entry:
    """The entry under a new display name: the new name's slug if free, the old one kept."""
    wanted = slugify(name)
    if wanted == entry.slug:
        return entry
    if wanted in entry.old_slugs:
        old = (*(s for s in entry.old_slugs if s != wanted), entry.slug)
        return Entry(wanted, name, entry.type, entry.aliases, old)
    if wanted in taken:
        return entry  # the name's slug belongs to another entry: keep ours
    taken.add(wanted)
    return Entry(wanted, name, entry.type, entry.aliases, (*entry.old_slugs, entry.slug))


def reconcile(entries: Sequence[Entry], groups: Iterable[Group]) -> tuple[list[Entry], list[str]]:
    """The grown registry and the slug of each group (in the groups' order).

    Entries that no group mentions are kept unchanged; groups with no entry get a new slug.
    """
    taken = {slug for entry in entries for slug in entry.slugs}
    result: dict[int, Entry] = dict(enumerate(entries))
    new: list[Entry] = []
    slugs = []
    for group in groups:
        members = sorted(group.members, key=lambda i: entries[i].slug)
        if not members:
            entry = Entry(_free_slug(slugify(group.name), taken), group.name, group.type)
            taken.add(entry.slug)
        else:
            wanted = slugify(group.name)
            keep = next((i for i in members if wanted in entries[i].slugs), members[0])
            entry = entries[keep]
            merged = [entries[i] for i in members if i != keep]
            for i in members:
                result.pop(i, None)
            old = set(entry.old_slugs).union(*(m.slugs for m in merged))
            entry = Entry(entry.slug, entry.name, entry.type, entry.aliases, tuple(old))
            entry = _renamed(entry, group.name, taken)
        aliases = set(entry.aliases) | {entry.name} | group.forms
        aliases |= {name for i in members for name in (entries[i].name, *entries[i].aliases)}
        aliases.discard(group.name)
        entry = Entry(entry.slug, group.name, group.type, tuple(sorted(aliases)), entry.old_slugs)
        new.append(entry)
        slugs.append(entry.slug)
    return [*result.values(), *new], slugs
