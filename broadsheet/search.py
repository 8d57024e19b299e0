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
PREFIX_CHARS = 2  # a lookup shard holds the keys that start with these many characters
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


def shard_name(key: str) -> str:
    """File name of the shard holding `key`: hex of its first characters' UTF-8 (URL-safe)."""
    return key[:PREFIX_CHARS].encode().hex()


def build_lookup(entities: Iterable[EntityName]) -> dict[str, dict[str, list]]:
    """Shards: name -> {"entities": [[name, url, kind], ...], "keys": [[key, entity, whole], ...]}.

    `entity` indexes the shard's `entities`; `whole` is 1 when the key is a whole name or alias.
    Both lists are sorted, so the same entities always give the same bytes.
    """
    rows_by_shard: dict[str, set[tuple[str, int, str, str, str]]] = defaultdict(set)
    for entity in entities:
        for key, whole in lookup_keys(entity):
            row = (key, int(whole), entity.name, entity.url, entity.kind)
            rows_by_shard[shard_name(key)].add(row)
    shards = {}
    for shard, rows in sorted(rows_by_shard.items()):
        listed = sorted({row[2:] for row in rows})
        index = {row: i for i, row in enumerate(listed)}
        keys: dict[tuple[str, int], int] = {}  # one row per key and entity; "whole" wins
        for key, whole, *entity in rows:
            slot = (key, index[tuple(entity)])
            keys[slot] = max(whole, keys.get(slot, 0))
        shards[shard] = {
            "entities": [list(row) for row in listed],
            "keys": [[key, i, whole] for (key, i), whole in sorted(keys.items())],
        }
    return shards


def write_entity_lookup(output: Path, entities: Iterable[EntityName]) -> None:
    """Replace output/search/entities/ with the shards of `entities` (sorted keys: reproducible)."""
    folder = output / ENTITY_LOOKUP_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shards = build_lookup(entities)
    for shard, data in shards.items():
        _write_json(folder / f"{shard}.json", data)
    # the page fetches only shards listed here: a missing one would log a 404 in the console
    _write_json(folder / "index.json", {"shards": sorted(shards)})


def _write_json(path: Path, data: object) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
