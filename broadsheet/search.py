"""Search index for the built site: Pagefind over the article pages, plus an entity lookup.

Pagefind indexes only elements marked `data-pagefind-body` (the theme puts it on article bodies),
so listing pages stay out of the results. Entity pages are not indexed: a filter listing every
entity would be downloaded on each query and grows with the corpus. Instead the names of the
entities that have a page go to small JSON files, one per two-letter prefix of a normalised name
(`search/entities/<hex of the prefix>.json`); the search page fetches only the one it needs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html

PAGEFIND_DIR = "pagefind"
ENTITY_LOOKUP_DIR = "search/entities"
# URL folder of each entity kind (DESIGN.md) -> the kind shown beside a match
ENTITY_FOLDERS = {"people": "person", "organizations": "organization", "places": "place"}
MIN_KEY_CHARS = 3  # search.js looks up names from three characters on
# A shard over SHARD_BYTES splits by one more character. Fewer, bigger shards keep index.json
# small; measured on 17.5k entities: index.json 6.5 KB, shards 0.7 KB median, 22 KB at most.
SHARD_BYTES = 24_000
MAX_PREFIX_CHARS = 8
ALIAS_ATTRIBUTE = "data-entity-alias"  # marks an alias on an entity page (optional)
NO_BODY_LOG = "Did not find a data-pagefind-body element"  # Pagefind 1.5's log line


class SearchIndexError(RuntimeError):
    """Pagefind failed, or the site has nothing it could index."""


@dataclass(frozen=True)
class EntityName:
    """An entity that has a page: its display name, other names, kind and URL (site-relative)."""

    name: str
    url: str
    kind: str
    aliases: tuple[str, ...] = ()


def index_site(output: Path) -> None:
    """Write the search index of the built site in `output` (output/pagefind/, output/search/)."""
    run_pagefind(output)
    write_entity_lookup(output, read_entity_pages(output))


def run_pagefind(output: Path) -> None:
    """Run the Pagefind CLI over `output`; a failure raises SearchIndexError with its stderr."""
    if not output.is_dir():
        raise SearchIndexError(f"{output}: no built site here; run Pelican first")
    # stale chunks of an earlier build would linger: Pagefind names files by their content
    shutil.rmtree(output / PAGEFIND_DIR, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(output),
               "--output-subdir", PAGEFIND_DIR]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SearchIndexError(
            f"pagefind failed on {output} (exit {done.returncode}):\n{done.stderr.strip()}"
        )
    # without the marker Pagefind indexes whole pages, listings and all (its log says so)
    if NO_BODY_LOG in done.stdout:
        shutil.rmtree(output / PAGEFIND_DIR, ignore_errors=True)
        raise SearchIndexError(
            f"{output}: no page has a data-pagefind-body element, so Pagefind would index every "
            "page; the theme's article.html must mark the article body with it"
        )


def normalise(name: str) -> str:
    """Lower case, accents and punctuation dropped: "Kim Jong-un" -> "kim jong un".

    search.js applies the same steps to what the reader types; keep the two in step.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    words = re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", bare).lower())
    return " ".join(words.split())


def read_entity_pages(output: Path) -> list[EntityName]:
    """The entities that have a page in the built site, read from /people/<slug>/ and friends.

    The display name is the page's <h1>; aliases are elements carrying `data-entity-alias`.
    Redirect pages (renamed entities' old slugs) are skipped.
    """
    entities = []
    for folder, kind in ENTITY_FOLDERS.items():
        for page in sorted((output / folder).glob("*/index.html")):
            tree = lxml.html.parse(str(page)).getroot()
            if tree is None or tree.xpath("//meta[@http-equiv='refresh']"):
                continue
            headings = tree.xpath("//h1")
            if not headings:
                continue
            aliases = (el.text_content().strip() for el in tree.xpath(f"//*[@{ALIAS_ATTRIBUTE}]"))
            entities.append(
                EntityName(
                    name=" ".join(headings[0].text_content().split()),
                    url=f"{folder}/{page.parent.name}/",
                    kind=kind,
                    aliases=tuple(sorted({a for a in aliases if a})),
                )
            )
    return entities


def lookup_keys(entity: EntityName) -> Iterator[tuple[str, bool]]:
    """Each normalised name and alias from each of its words on, flagged when it is the whole
    name: ("kim jong un", True), ("jong un", False), ("un", False)."""
    for name in (entity.name, *entity.aliases):
        words = normalise(name).split()
        for start in range(len(words)):
            yield " ".join(words[start:]), start == 0


def shard_name(prefix: str) -> str:
    """File name of the shard of `prefix`: hex of its UTF-8 (URL-safe for any script)."""
    return prefix.encode().hex()


Row = tuple[str, int, str, str, str]  # key, whole name?, entity name, url, kind


def build_lookup(entities: Iterable[EntityName]) -> dict[str, dict[str, list]]:
    """Shards by prefix: prefix -> {"entities": [[name, url, kind], ...],
    "keys": [[key, entity, whole], ...]}, where `entity` indexes the shard's `entities` and
    `whole` is 1 when the key is a whole name or alias.

    Shards start at two characters; one that grows over SHARD_BYTES splits by one more
    character, keeping only the keys that equal its prefix. search.js reads the shard of the
    longest listed prefix of what the reader typed. Sorted lists: same entities, same bytes.
    """
    rows: set[Row] = set()
    for entity in entities:
        for key, whole in lookup_keys(entity):
            if len(key) >= MIN_KEY_CHARS:
                rows.add((key, int(whole), entity.name, entity.url, entity.kind))
    return dict(sorted(_split(sorted(rows), 2)))


def _split(rows: list[Row], length: int) -> Iterator[tuple[str, dict[str, list]]]:
    by_prefix: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_prefix[row[0][:length]].append(row)
    for prefix, group in by_prefix.items():
        shard = _shard(group)
        if len(json.dumps(shard)) <= SHARD_BYTES or length == MAX_PREFIX_CHARS:
            yield prefix, shard
            continue
        exact = [row for row in group if row[0] == prefix]
        if exact:
            yield prefix, _shard(exact)
        yield from _split([row for row in group if row[0] != prefix], length + 1)


def _shard(rows: list[Row]) -> dict[str, list]:
    listed = sorted({row[2:] for row in rows})
    index = {entity: i for i, entity in enumerate(listed)}
    keys: dict[tuple[str, int], int] = {}  # one row per key and entity; "whole" wins
    for key, whole, *entity in rows:
        slot = (key, index[tuple(entity)])
        keys[slot] = max(whole, keys.get(slot, 0))
    return {
        "entities": [list(entity) for entity in listed],
        "keys": [[key, i, whole] for (key, i), whole in sorted(keys.items())],
    }


def write_entity_lookup(output: Path, entities: Iterable[EntityName]) -> None:
    """Replace output/search/entities/ with the shards of `entities` (sorted keys: reproducible)."""
    folder = output / ENTITY_LOOKUP_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shards = build_lookup(entities)
    for prefix, data in shards.items():
        _write_json(folder / f"{shard_name(prefix)}.json", data)
    # the page fetches only shards listed here: a missing one would log a 404 in the console
    _write_json(folder / "index.json", {"shards": sorted(shards)})


def _write_json(path: Path, data: object) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
