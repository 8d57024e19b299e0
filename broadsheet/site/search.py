"""Search index for the built site: Pagefind over the article pages, plus an entity lookup.

Pagefind indexes only elements marked `data-pagefind-body` (the theme puts it on article bodies),
so listing pages stay out of the results. Entity pages are not indexed: a filter listing every
entity would be downloaded on each query and grows with the corpus. Instead the names of the
entities that have a page go to small JSON files, one per two-letter prefix of a normalised name
(`search/entities/<hex of the prefix>.json`); the search page fetches only the one it needs.

Pagefind holds every page of a run in memory (about 230 KB a page: 6.5 GB at 30k pages), so a
big archive is indexed in shards: runs over consecutive date folders of at most MAX_SHARD_PAGES
articles, each into its own bundle. The newest shard is the primary bundle (`pagefind/`), the
others go to `pagefind/shards/<name>/`; `search/bundles.json` lists them newest first and the
search page merges them with Pagefind's `mergeIndex`. Shards never overlap in dates, which lets
the page sort "newest first" across them by taking the shards in that order. The newest pages
(the last, still growing, shard) are split again into shards of at most RECENT_SHARD_PAGES, so
that a day's new articles send only a small shard to Pagefind again.

Given a stamps file (the build keeps one in its cache), a rebuild runs Pagefind again only for
the shards whose indexed text changed: each shard's stamp covers, for every page, its path and
a digest of what Pagefind reads of it (the `data-pagefind-body` element without the text of its
`data-pagefind-ignore` parts, the elements carrying metadata, filters or sort keys, the
language; of the body's elements only their tags, ids, images and text). An old article
rendered again only because its related articles or its story's count changed (shown outside
the body, or in an ignored part), or because its links point elsewhere (a name it mentions
now has a page), keeps its shard's bundle. A page's digest is kept beside its size and
modification time, so that only the pages the site build rewrote are read again; so are the
names read from entity pages. When no shard changed, the live index is left as it is (nothing
is staged or swapped).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from itertools import groupby
from pathlib import Path

import lxml.html

from broadsheet.files import read_json_object, recover_swap, swap_in, write_atomic, write_if_changed
from broadsheet.records import ENTITY_KINDS

PAGEFIND_VERSION = version("pagefind")
PAGEFIND_DIR = "pagefind"  # the primary bundle; search.html points the page at it
SHARDS_DIR = "pagefind/shards"
STAGING_DIR = ".pagefind-next"  # the next index, written beside the live one, then swapped in
BUNDLE_LIST = "search/bundles.json"
# Article pages by their URL (ARTICLE_SAVE_AS in pelicanconf.py, DESIGN.md): year/month/day/slug
ARTICLE_PAGES = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"
# 10k pages take Pagefind about 2.3 GB: well under the build's 8 GB while leaving room for the
# rest of the machine; fewer, bigger shards mean fewer files per query.
MAX_SHARD_PAGES = 10_000
# the last shard, where new articles land, in runs of at most this many pages: a day's news
# indexes about a thousand pages again, not ten thousand
RECENT_SHARD_PAGES = 1_000
ENTITY_LOOKUP_DIR = "search/entities"
# URL folder of each entity kind (DESIGN.md) -> the kind shown beside a match
ENTITY_FOLDERS = {kind.key: kind.type for kind in ENTITY_KINDS}
MIN_KEY_CHARS = 3  # search.js looks up names from three characters on
# A shard over SHARD_BYTES splits by one more character. Fewer, bigger shards keep index.json
# small; measured on 17.5k entities: index.json 6.5 KB, shards 0.7 KB median, 22 KB at most.
SHARD_BYTES = 24_000
MAX_PREFIX_CHARS = 8
ALIAS_ATTRIBUTE = "data-entity-alias"  # marks an alias on an entity page (optional)
NO_BODY_LOG = "Did not find a data-pagefind-body element"  # Pagefind 1.5's log line
# attributes whose element Pagefind reads, even in an ignored part (its default "index"
# ignore keeps metadata and filters): such elements go whole into a page's indexed digest
SEARCH_DATA = frozenset(
    f"data-pagefind-{name}"
    for name in ("meta", "filter", "sort", "weight", "index-attrs", "default-meta")
)
# attributes of the body's elements that Pagefind reads: anchors (id), the default image and
# its alt text (the first <img>); links' addresses, classes, ARIA and the rest it does not
INDEXED_ATTRIBUTES = frozenset({"id", "src", "alt"})
# elements Pagefind reads as running text (measured against its bundles: a word wrapped in one
# indexes as before); any other element's tag counts, as a block may part words
INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
     "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}
)  # fmt: skip
PAGES_KEY = "pages"  # in the stamps file: [size, mtime_ns, indexed digest] by page path
DIGEST_KEY = "digest"  # in the stamps file: DIGEST_FORMAT, that of the pages' digests
DIGEST_FORMAT = 2  # bump when indexed_digest reads pages otherwise: the last run's are not kept
ENTITIES_KEY = "entities"  # in the stamps file: [size, mtime_ns, entity or None] by page path


class SearchIndexError(RuntimeError):
    """Pagefind failed, or the site has nothing it could index."""


@dataclass(frozen=True)
class EntityName:
    """An entity that has a page: its display name, other names, kind and URL (site-relative)."""

    name: str
    url: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shard:
    """One Pagefind run: consecutive date folders ("2016/12", "2017") and their page count."""

    folders: tuple[str, ...]
    pages: int

    @property
    def name(self) -> str:
        """Its bundle's folder name: "2017", "2016-12_2017"."""
        first, last = (folder.replace("/", "-") for folder in (self.folders[0], self.folders[-1]))
        return first if first == last else f"{first}_{last}"

    @property
    def glob(self) -> str:
        """Pagefind's --glob for the pages of its folders."""
        return f"{{{','.join(self.folders)}}}/**/*.html"


def index_site(
    output: Path, *, max_shard_pages: int = MAX_SHARD_PAGES, stamps: Path | None = None
) -> None:
    """Write the search index of the built site in `output` (output/pagefind/, output/search/).

    Shards hold at most `max_shard_pages` articles, unless one day alone has more. With
    `stamps` (a JSON file kept between builds), a shard whose pages are as they were keeps
    its bundle.
    """
    if not output.is_dir():
        raise SearchIndexError(f"{output}: no built site here; run Pelican first")
    recover_swap(output / PAGEFIND_DIR)
    recent = min(max_shard_pages, RECENT_SHARD_PAGES)
    shards = plan_shards(count_articles(output), max_shard_pages, recent)
    if not shards:
        raise SearchIndexError(
            f"{output}: no article page to index (looked for {ARTICLE_PAGES}); build the site "
            "with Pelican first"
        )
    bundles = bundle_list(shards)
    previous = read_json_object(stamps)
    if stamps is not None:
        stamps.unlink(missing_ok=True)  # an interrupted run leaves no stamp to trust
    known = previous.get(PAGES_KEY, {}) if previous.get(DIGEST_KEY) == DIGEST_FORMAT else {}
    pages: dict[str, list] = {}
    planned = {
        bundle["path"]: shard_stamp(output, shard, bundle["path"], known, pages)
        for shard, bundle in zip(reversed(shards), bundles["bundles"], strict=True)
    }
    unchanged = {
        path
        for path, stamp in planned.items()
        if previous.get(path) == stamp and (output / path / "pagefind-entry.json").is_file()
    }
    last_bundles = {key for key in previous if key not in (PAGES_KEY, ENTITIES_KEY, DIGEST_KEY)}
    if unchanged != set(planned) or last_bundles != unchanged:
        _index_shards(output, shards, bundles, unchanged)
    (output / BUNDLE_LIST).parent.mkdir(parents=True, exist_ok=True)
    _write_json(output / BUNDLE_LIST, bundles)
    entities: dict[str, list] = {}
    write_entity_lookup(output, read_entity_pages(output, previous.get(ENTITIES_KEY), entities))
    if stamps is not None:
        kept = {**planned, PAGES_KEY: pages, ENTITIES_KEY: entities, DIGEST_KEY: DIGEST_FORMAT}
        # no indent: json's C encoder (an indent takes its pure-Python one)
        write_atomic(stamps, json.dumps(kept, sort_keys=True) + "\n")


def _index_shards(
    output: Path, shards: list[Shard], bundles: dict[str, list[dict[str, str]]], unchanged: set
) -> None:
    """Run Pagefind for the shards not `unchanged` (bundle paths) into a new index."""
    # the new index is written beside the live one and swapped in whole: a reader (or a kill)
    # never finds the site without search; bundles kept as they were are hard-linked over
    staging = output / STAGING_DIR
    shutil.rmtree(staging, ignore_errors=True)
    for shard, bundle in zip(reversed(shards), bundles["bundles"], strict=True):
        live = bundle["path"].rstrip("/")
        staged = STAGING_DIR + live.removeprefix(PAGEFIND_DIR)
        if bundle["path"] in unchanged:
            skip = shutil.ignore_patterns("shards") if live == PAGEFIND_DIR else None
            shutil.copytree(output / live, output / staged, ignore=skip, copy_function=os.link)
        else:
            run_pagefind(output, staged, shard.glob)
    swap_in(staging, output / PAGEFIND_DIR)


def shard_stamp(
    output: Path,
    shard: Shard,
    bundle: str,
    known: Mapping[str, list] | None = None,
    pages: dict[str, list] | None = None,
) -> str:
    """What a shard's bundle is made from: Pagefind's version, where the bundle goes, and
    the path and indexed content (`indexed_digest`) of every page it indexes.

    `known`: [size, mtime_ns, digest] by page path from the last run, the digest reused for a
    page of the same size and modification time; `pages` receives this run's."""
    known = known or {}
    digest = hashlib.sha256(f"{PAGEFIND_VERSION}\n{bundle}\n{shard.glob}\n".encode())
    for folder in shard.folders:
        for page in sorted((output / folder).rglob("*.html")):
            name = page.relative_to(output).as_posix()
            status = page.stat()
            state = [status.st_size, status.st_mtime_ns]
            last = known.get(name)
            content = last[2] if last and last[:2] == state else indexed_digest(page)
            if pages is not None:
                pages[name] = [*state, content]
            digest.update(f"{name}\t{content}\n".encode())
    return digest.hexdigest()


def indexed_digest(page: Path) -> str:
    """A digest of what Pagefind reads of a page: the same digest, the same index entry.

    That is the page's language and title, every element with a `data-pagefind-*` attribute
    (metadata, filters, sort keys, weights) in full, and each `data-pagefind-body` element's
    tags with the attributes Pagefind reads (INDEXED_ATTRIBUTES; INLINE_TAGS only with such
    an attribute) and its text, less its `data-pagefind-ignore` parts (Pagefind indexes
    neither their text nor their anchors; the metadata and filters there are in the elements
    above). So a name in the text or in an ignored part now linked to its page, or a link
    whose address changed, leaves the digest as it was. A page with no body element is
    digested whole."""
    tree = lxml.html.parse(str(page)).getroot()
    bodies = tree.xpath("//*[@data-pagefind-body]") if tree is not None else []
    if not bodies:
        return hashlib.sha256(page.read_bytes()).hexdigest()
    parts = [tree.get("lang") or "", *tree.xpath("//title/text()")]
    for element in tree.xpath("//*[@*[starts-with(name(), 'data-pagefind-')]]"):
        if set(element.attrib) & SEARCH_DATA:
            parts.append(lxml.html.tostring(element, encoding="unicode", with_tail=False))
    for body in bodies:
        parts.append("".join(_indexed_parts(body)))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _indexed_parts(element: lxml.html.HtmlElement) -> Iterator[str]:
    """`element`'s tag with the attributes Pagefind reads, and its text, unless it is an
    ignored part (Pagefind reads neither its text nor its anchors). An inline element with
    no such attribute adds no tag: a name in the text now linked to its page reads the same."""
    if "data-pagefind-ignore" in element.attrib:
        yield "\x1f<ignored>\x1f"  # where it is: it may part the words around it
        return
    read = sorted((k, v) for k, v in element.attrib.items() if _indexed_attribute(k))
    tagged = bool(read) or element.tag not in INLINE_TAGS
    if tagged:
        yield f"\x1f<{element.tag} {read}>\x1f"
    yield element.text or ""
    for child in element:
        if isinstance(child.tag, str):  # comments and processing instructions: not read
            yield from _indexed_parts(child)
        yield child.tail or ""
    if tagged:
        yield f"\x1f</{element.tag}>\x1f"


def _indexed_attribute(name: str) -> bool:
    return name in INDEXED_ATTRIBUTES or name.startswith("data-pagefind-")


def count_articles(output: Path) -> Counter[str]:
    """Article pages per day folder of the built site: {"2021/04/21": 3, ...}."""
    return Counter(page.parent.parent.relative_to(output).as_posix()
                   for page in output.glob(ARTICLE_PAGES))  # fmt: skip


def plan_shards(
    days: Mapping[str, int], max_pages: int = MAX_SHARD_PAGES, recent_pages: int | None = None
) -> list[Shard]:
    """Shards of at most `max_pages` pages, oldest first, from page counts per "YYYY/MM/DD";
    with `recent_pages`, the last shard (the one new articles grow) is planned again in shards
    of at most that many.

    A year over the limit is split into months, a month into days; then consecutive parts are
    packed while they fit. Packing from the oldest keeps old shards as they were when new
    articles arrive.
    """
    shards = _pack(sorted(days.items()), max_pages)
    if shards and recent_pages is not None and shards[-1].pages > recent_pages:
        last = tuple(f"{folder}/" for folder in shards[-1].folders)
        newest = [(day, n) for day, n in sorted(days.items()) if f"{day}/".startswith(last)]
        shards[-1:] = _pack(newest, recent_pages)
    return shards


def _pack(days: list[tuple[str, int]], max_pages: int) -> list[Shard]:
    shards: list[Shard] = []
    folders: list[str] = []
    pages = 0
    for folder, count in _parts(days, 1, max_pages):
        if folders and pages + count > max_pages:
            shards.append(Shard(tuple(folders), pages))
            folders, pages = [], 0
        folders.append(folder)
        pages += count
    if folders:
        shards.append(Shard(tuple(folders), pages))
    return shards


def _parts(days: list[tuple[str, int]], depth: int, max_pages: int) -> Iterator[tuple[str, int]]:
    """Date folders of `depth` parts (1: year), split one level deeper when over `max_pages`."""
    for folder, group in groupby(days, key=lambda day: "/".join(day[0].split("/")[:depth])):
        members = list(group)
        pages = sum(count for _, count in members)
        if pages <= max_pages or depth == 3:
            yield folder, pages
        else:
            yield from _parts(members, depth + 1, max_pages)


def bundle_list(shards: list[Shard]) -> dict[str, list[dict[str, str]]]:
    """What search.js merges, newest first: the primary bundle, then the others.

    Each bundle's `name` becomes its `bundle` filter value in the browser (Pagefind's
    mergeFilter), which picks one shard's results when sorting by date.
    """
    newest_first = shards[::-1]
    paths = [f"{PAGEFIND_DIR}/"] + [f"{SHARDS_DIR}/{shard.name}/" for shard in newest_first[1:]]
    return {
        "bundles": [
            {"name": shard.name, "path": path}
            for shard, path in zip(newest_first, paths, strict=True)
        ]
    }


def run_pagefind(output: Path, bundle: str, glob: str) -> None:
    """Run the Pagefind CLI over the pages of `output` matching `glob`, writing the bundle
    folder `bundle` (relative to `output`); a failure raises SearchIndexError with its stderr."""
    command = [sys.executable, "-m", "pagefind", "--site", str(output), "--glob", glob,
               "--output-subdir", bundle]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SearchIndexError(
            f"pagefind failed on {output} (exit {done.returncode}):\n{done.stderr.strip()}"
        )
    # without the marker Pagefind indexes whole pages (its log says so)
    if NO_BODY_LOG in done.stdout:
        shutil.rmtree(output / bundle, ignore_errors=True)
        raise SearchIndexError(
            f"{output}: no page in {glob} has a data-pagefind-body element, so Pagefind would "
            "index whole pages; the theme's article.html must mark the article body with it"
        )


def normalise(name: str) -> str:
    """Lower case, accents and punctuation dropped: "Kim Jong-un" -> "kim jong un".

    search.js applies the same steps to what the reader types; keep the two in step.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    words = re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", bare).lower())
    return " ".join(words.split())


def read_entity_pages(
    output: Path, known: Mapping[str, list] | None = None, pages: dict[str, list] | None = None
) -> list[EntityName]:
    """The entities that have a page in the built site, read from /people/<slug>/ and friends.

    The display name is the page's <h1>; aliases are elements carrying `data-entity-alias`.
    Redirect pages (renamed entities' old slugs) are skipped. `known`: [size, mtime_ns,
    entity fields or None] by page path from the last run, reused for a page of the same size
    and modification time (a site build leaves an unchanged page alone); `pages` receives
    this run's.
    """
    known = known or {}
    entities = []
    for folder, kind in ENTITY_FOLDERS.items():
        for page in sorted((output / folder).glob("*/index.html")):
            name = page.relative_to(output).as_posix()
            status = page.stat()
            state = [status.st_size, status.st_mtime_ns]
            last = known.get(name)
            if last and last[:2] == state:
                fields = last[2]
            else:
                entity = _entity_page(page, f"{folder}/{page.parent.name}/", kind)
                fields = None if entity is None else [*dataclasses.astuple(entity)]
            if pages is not None:
                pages[name] = [*state, fields]
            if fields is not None:
                name_, url, kind_, aliases = fields
                entities.append(EntityName(name_, url, kind_, tuple(aliases)))
    return entities


def _entity_page(page: Path, url: str, kind: str) -> EntityName | None:
    tree = lxml.html.parse(str(page)).getroot()
    if tree is None or tree.xpath("//meta[@http-equiv='refresh']"):
        return None
    headings = tree.xpath("//h1")
    if not headings:
        return None
    aliases = (el.text_content().strip() for el in tree.xpath(f"//*[@{ALIAS_ATTRIBUTE}]"))
    return EntityName(
        name=" ".join(headings[0].text_content().split()),
        url=url,
        kind=kind,
        aliases=tuple(sorted({a for a in aliases if a})),
    )


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
    """Make output/search/entities/ hold the shards of `entities` (sorted keys: reproducible).
    A shard that comes out the same is left alone (a rebuild rewrites only what changed, and
    uploads only that); shards no longer needed are removed."""
    folder = output / ENTITY_LOOKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    shards = build_lookup(entities)
    names = {f"{shard_name(prefix)}.json" for prefix in shards} | {"index.json"}
    for stale in folder.iterdir():
        if stale.name not in names:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    for prefix, data in shards.items():
        _write_json(folder / f"{shard_name(prefix)}.json", data)
    # the page fetches only shards listed here: a missing one would log a 404 in the console
    _write_json(folder / "index.json", {"shards": sorted(shards)})


def _write_json(path: Path, data: object) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    write_if_changed(path, text + "\n")
