"""Search: the entity lookup and the sharded Pagefind index written by broadsheet/site/search.py
(no browser; the search page itself is tested in tests/browser/test_search.py)."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from broadsheet.site.search import (
    BUNDLE_LIST,
    MAX_PREFIX_CHARS,
    SHARD_BYTES,
    EntityName,
    SearchIndexError,
    Shard,
    build_lookup,
    index_site,
    normalise,
    plan_shards,
    read_entity_pages,
    write_entity_lookup,
)

OLD = 1_000_000_000  # an mtime no run could give a file it writes


# ---- the entity lookup (no browser)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Kim Jong-un", "kim jong un"),
        ("Miguel Díaz-Canel", "miguel diaz canel"),
        ("Workers' Party of Korea", "workers party of korea"),
        ("  U.S.  Congress ", "u s congress"),
        ("Ÿoung_Ünïcode", "young unicode"),
        ("김정은", "김정은"),
    ],
)
def test_names_normalise_to_lower_case_words_without_accents(name: str, key: str) -> None:
    assert normalise(name) == key


def test_every_word_of_a_name_leads_to_the_entity_in_the_shard_of_its_prefix() -> None:
    kim = EntityName("Kim Jong-un", "people/kim-jong-un/", "person", aliases=("Kim Jong Un",))
    shards = build_lookup([kim, EntityName("Cuba", "places/cuba/", "place")])
    assert sorted(shards) == ["cu", "jo", "ki"]  # "un" is shorter than a looked-up name
    assert shards["ki"] == {
        "entities": [["Kim Jong-un", "people/kim-jong-un/", "person"]],
        "keys": [["kim jong un", 0, 1]],  # the alias normalises to the same key: one row
    }
    assert shards["jo"]["keys"] == [["jong un", 0, 0]]


def _shard_of(key: str, listed: set[str]) -> str:
    """search.js's rule: the longest listed prefix of the typed key."""
    return next(key[:n] for n in range(len(key), 1, -1) if key[:n] in listed)


def test_a_crowded_prefix_splits_into_small_shards_that_still_find_every_key() -> None:
    people = [EntityName(f"Kim Jong {i:03d}", f"people/kim-{i}/", "person") for i in range(1000)]
    places = [EntityName("Kimchi Valley", "places/kimchi-valley/", "place")]
    shards = build_lookup(people + places)
    assert len(shards) > 3
    for prefix, shard in shards.items():
        assert len(json.dumps(shard)) <= SHARD_BYTES or len(prefix) == MAX_PREFIX_CHARS
    for prefix, shard in shards.items():
        for key, _, _ in shard["keys"]:
            assert _shard_of(key, set(shards)) == prefix
    # what a reader types finds its entities in a single shard
    typed = _shard_of("kimchi", set(shards))
    assert [row[0] for row in shards[typed]["entities"]] == ["Kimchi Valley"]


def test_lookup_files_are_byte_identical_whatever_the_order_of_entities(tmp_path: Path) -> None:
    entities = [
        EntityName("Kim Jong-un", "people/kim-jong-un/", "person"),
        EntityName("Kim Song-nam", "people/kim-song-nam/", "person"),
        EntityName("Korean Central News Agency", "organizations/kcna/", "organization"),
    ]
    write_entity_lookup(tmp_path / "a", entities)
    write_entity_lookup(tmp_path / "b", entities[::-1])
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.json"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.json"))
    assert files_a == files_b
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a
    )
    listed = json.loads((tmp_path / "a" / "search/entities/index.json").read_text())["shards"]
    written = sorted(f.name for f in files_a if f.name != "index.json")
    assert sorted(f"{prefix.encode().hex()}.json" for prefix in listed) == written


def test_a_new_entity_rewrites_only_the_lookup_files_it_changes(tmp_path: Path) -> None:
    kim = EntityName("Kim Jong-un", "people/kim-jong-un/", "person")
    cuba = EntityName("Cuba", "places/cuba/", "place")
    folder = tmp_path / "search/entities"
    write_entity_lookup(tmp_path, [kim, cuba])
    for path in folder.iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))
    write_entity_lookup(tmp_path, [kim, EntityName("Havana", "places/havana/", "place")])
    touched = {p.name for p in folder.iterdir() if p.stat().st_mtime != 1_000_000_000}
    assert touched == {"index.json", f"{b'ha'.hex()}.json"}  # Havana's shard, and the list
    assert not (folder / f"{b'cu'.hex()}.json").exists()  # Cuba's, gone
    assert (folder / f"{b'ki'.hex()}.json").is_file()


def _page(output: Path, url: str, html: str) -> None:
    (output / url).mkdir(parents=True, exist_ok=True)
    (output / url / "index.html").write_text(html, encoding="utf-8")


def test_entity_pages_are_read_from_the_built_site_without_redirects(tmp_path: Path) -> None:
    _page(
        tmp_path,
        "people/kim-jong-un",
        "<html><body><h1> Kim\n Jong-un </h1><li data-entity-alias>Kim Jong Un</li></body></html>",
    )
    _page(tmp_path, "places/cuba", "<html><body><h1>Cuba</h1></body></html>")
    _page(
        tmp_path,
        "people/kim-jong-il-old",
        '<html><head><meta http-equiv="refresh" '
        'content="0; url=/people/kim-jong-il/"></head><body><h1>Moved</h1></body></html>',
    )
    _page(tmp_path, "people/page/2", "<html><body><p>no heading</p></body></html>")
    assert read_entity_pages(tmp_path) == [
        EntityName("Kim Jong-un", "people/kim-jong-un/", "person", ("Kim Jong Un",)),
        EntityName("Cuba", "places/cuba/", "place"),
    ]


def test_a_site_without_article_pages_is_a_clear_error(tmp_path: Path) -> None:
    _page(tmp_path, "about", "<html><body><h1>About</h1></body></html>")
    with pytest.raises(SearchIndexError, match="no article page to index"):
        index_site(tmp_path)


def test_articles_without_a_search_body_are_a_clear_error(tmp_path: Path) -> None:
    _page(tmp_path, "2021/04/21/story", "<html><body><h1>Story</h1></body></html>")
    with pytest.raises(SearchIndexError, match="has a data-pagefind-body element"):
        index_site(tmp_path)
    assert not (tmp_path / "pagefind").exists()


def test_a_missing_site_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="no built site here"):
        index_site(tmp_path / "output")


# ---- shards: one Pagefind run per group of date folders


def test_a_small_archive_is_one_shard() -> None:
    days = {"2019/12/31": 2, "2020/01/02": 3, "2021/05/06": 4}
    assert plan_shards(days, max_pages=100) == [Shard(("2019", "2020", "2021"), 9)]


def test_a_year_over_the_limit_splits_into_months_packed_in_date_order() -> None:
    days = {"2019/06/01": 4, "2020/01/02": 3, "2020/02/10": 3, "2020/03/01": 2, "2020/03/09": 2}
    assert plan_shards(days, max_pages=6) == [  # 2020 has 10 pages: its months are packed
        Shard(("2019",), 4),
        Shard(("2020/01", "2020/02"), 6),
        Shard(("2020/03",), 4),
    ]


def test_a_day_over_the_limit_is_a_shard_of_its_own() -> None:
    days = {"2020/01/01": 1, "2020/01/02": 9, "2020/01/03": 1}
    shards = plan_shards(days, max_pages=5)
    assert shards == [
        Shard(("2020/01/01",), 1),
        Shard(("2020/01/02",), 9),
        Shard(("2020/01/03",), 1),
    ]
    assert shards[1].name == "2020-01-02"


@pytest.mark.parametrize("max_pages", [1, 3, 10, 40, 1000])
def test_shards_cover_every_day_once_in_date_order_within_the_limit(max_pages: int) -> None:
    days = {f"{2015 + n // 40}/{n % 12 + 1:02d}/{n % 28 + 1:02d}": n % 7 + 1 for n in range(200)}
    shards = plan_shards(days, max_pages)
    owners = [[s for s in shards if any(day.startswith(f) for f in s.folders)] for day in days]
    assert all(len(owner) == 1 for owner in owners)
    order = [shards.index(owner[0]) for _, owner in sorted(zip(days, owners, strict=True))]
    assert order == sorted(order)
    for shard in shards:
        in_shard = [n for day, n in days.items() if any(day.startswith(f) for f in shard.folders)]
        assert shard.pages == sum(in_shard)
        assert shard.pages <= max_pages or len(in_shard) == 1


def test_the_last_shard_is_planned_again_in_small_shards_that_new_days_leave_alone() -> None:
    days = {f"2020/{m:02d}/{d:02d}": 1 for m in range(1, 13) for d in (1, 11, 21)}  # 36 pages
    shards = plan_shards(days, max_pages=20, recent_pages=6)
    assert shards[0] == Shard(tuple(f"2020/{m:02d}" for m in range(1, 7)), 18)
    assert [s.pages for s in shards[1:]] == [6, 6, 6]  # 2020/07 .. 2020/12, two months each
    later = plan_shards({**days, "2020/12/30": 1}, max_pages=20, recent_pages=6)
    assert later[:3] == shards[:3]  # the new day is in the newest shard; the older ones stay
    assert later[3:] == [Shard(("2020/11",), 3), Shard(("2020/12",), 4)]


def test_shard_names_and_globs_follow_their_date_folders() -> None:
    shard = Shard(("2016/12", "2017"), 5)
    assert shard.name == "2016-12_2017"
    assert shard.glob == "{2016/12,2017}/**/*.html"
    assert Shard(("2017",), 5).name == "2017"


def _article(output: Path, day: str, slug: str, word: str) -> None:
    body = f"<article data-pagefind-body><h1>{slug}</h1><p>{word} {slug}</p></article>"
    _page(output, f"{day}/{slug}", f"<html lang='en'><body>{body}</body></html>")


def test_each_shard_gets_a_bundle_and_every_article_is_in_one(tmp_path: Path) -> None:
    for n, day in enumerate(["2019/03/01", "2020/01/05", "2020/02/07", "2020/02/08", "2021/09/09"]):
        _article(tmp_path, day, f"story-{n}", "harbour")
    _page(tmp_path, "drafts/unpublished", "<html><body><article data-pagefind-body>x</article>")
    index_site(tmp_path, max_shard_pages=2)
    bundles = json.loads((tmp_path / BUNDLE_LIST).read_text())["bundles"]
    assert bundles == [  # newest first; the newest is the primary bundle
        {"name": "2021", "path": "pagefind/"},
        {"name": "2020-02", "path": "pagefind/shards/2020-02/"},
        {"name": "2019_2020-01", "path": "pagefind/shards/2019_2020-01/"},
    ]
    counts = []
    for bundle in bundles:
        entry = json.loads((tmp_path / bundle["path"] / "pagefind-entry.json").read_text())
        counts.append(sum(language["page_count"] for language in entry["languages"].values()))
    assert counts == [1, 2, 2]  # the draft, outside the date folders, is not searchable
    index_site(tmp_path)  # rebuilt in one shard: the old shards go
    assert not (tmp_path / "pagefind" / "shards").exists()


def test_a_rebuild_indexes_again_only_the_shards_whose_pages_changed(tmp_path: Path) -> None:
    site, stamps = tmp_path / "output", tmp_path / "cache" / "stamps.json"
    for n, day in enumerate(["2019/03/01", "2019/04/05", "2021/02/07", "2021/02/08"]):
        _article(site, day, f"story-{n}", "harbour")
    index_site(site, max_shard_pages=2, stamps=stamps)
    entries = {name: site / path / "pagefind-entry.json"
               for name, path in (("2021", "pagefind"), ("2019", "pagefind/shards/2019"))}  # fmt: skip
    for entry in entries.values():
        os.utime(entry, (OLD, OLD))

    index_site(site, max_shard_pages=2, stamps=stamps)
    assert all(entry.stat().st_mtime == OLD for entry in entries.values())

    _article(site, "2019/04/05", "story-1", "lighthouse")  # an older article, changed
    index_site(site, max_shard_pages=2, stamps=stamps)
    assert entries["2021"].stat().st_mtime == OLD
    assert entries["2019"].stat().st_mtime != OLD
    fragments = site / "pagefind" / "shards" / "2019" / "fragment"
    texts = [gzip.decompress(f.read_bytes()) for f in fragments.iterdir()]
    assert any(b"lighthouse" in text for text in texts)
    assert not any(b"harbour story-1" in text for text in texts)  # the old version is gone
    assert json.loads(stamps.read_text()).keys() == {
        "pagefind/", "pagefind/shards/2019/", "pages", "entities", "digest"
    }  # fmt: skip


def test_a_rebuild_with_no_shard_changed_leaves_the_live_index_in_place(tmp_path: Path) -> None:
    site, stamps = tmp_path / "output", tmp_path / "cache" / "stamps.json"
    for n, day in enumerate(["2019/03/01", "2021/02/07"]):
        _article(site, day, f"story-{n}", "harbour")
    index_site(site, max_shard_pages=1, stamps=stamps)
    live = (site / "pagefind").stat().st_ino
    index_site(site, max_shard_pages=1, stamps=stamps)
    assert (site / "pagefind").stat().st_ino == live  # not staged and swapped in again
    index_site(site, max_shard_pages=2, stamps=stamps)  # the same pages in one shard
    assert (site / "pagefind").stat().st_ino != live
    assert not (site / "pagefind" / "shards").exists()


def test_an_entity_page_the_site_build_left_alone_is_not_read_again(tmp_path: Path) -> None:
    site, stamps = tmp_path / "output", tmp_path / "cache" / "stamps.json"
    _article(site, "2021/02/07", "port", "harbour")
    _page(site, "people/ada", "<html><body><h1>Ada Lee</h1></body></html>")
    index_site(site, stamps=stamps)
    page = site / "people" / "ada" / "index.html"
    written = page.stat().st_mtime_ns
    page.write_text("<html><body><h1>Ada Kim</h1></body></html>", encoding="utf-8")
    os.utime(page, ns=(written, written))  # as if untouched: the name read last time stays
    index_site(site, stamps=stamps)
    lookup = (site / "search" / "entities" / f"{b'ad'.hex()}.json").read_text()
    assert "Ada Lee" in lookup
    os.utime(page)  # the site build wrote it: read again
    index_site(site, stamps=stamps)
    lookup = (site / "search" / "entities" / f"{b'ad'.hex()}.json").read_text()
    assert "Ada Kim" in lookup and "Ada Lee" not in lookup


STORY = "<p>Ships dock at <a href='/places/port/'>the port</a>.</p><img src='/a.jpg' alt='Cranes'>"


def test_page_digests_of_another_format_are_not_reused(tmp_path: Path) -> None:
    """A stamps file from before a change to what the digest reads: each page is read again
    (else an untouched page would keep a digest no run of this version gives it)."""
    site, stamps = tmp_path / "output", tmp_path / "cache" / "stamps.json"
    _article(site, "2021/02/07", "port", "harbour")
    index_site(site, stamps=stamps)
    kept = json.loads(stamps.read_text())
    page = "2021/02/07/port/index.html"
    digest = kept["pages"][page][2]
    kept["pages"][page][2] = "0" * 64
    stamps.write_text(json.dumps({**kept, "digest": 1}))
    index_site(site, stamps=stamps)
    assert json.loads(stamps.read_text())["pages"][page][2] == digest


def _related_page(related: str, ignored: str, section: str, story: str = STORY) -> str:
    """An article page: its body (a byline part Pagefind ignores, with a section filter in
    it, then the story), and related articles after the body."""
    byline = (f"<div data-pagefind-ignore><p>{ignored}</p>"
              f"<span data-pagefind-filter='section'>{section}</span></div>")  # fmt: skip
    body = f"<article data-pagefind-body><h1>Port</h1>{byline}{story}</article>"
    return f"<html lang='en'><body>{body}<section>{related}</section></body></html>"


INDEXED_CHANGES = [
    ({"related": "Ferry strike"}, False),  # outside the body
    ({"ignored": "12 articles from 3 outlets"}, False),  # text of an ignored part
    ({"ignored": "<ul><li><a href='/people/ada/'>Ada Lee</a></li></ul>"}, False),  # now linked
    ({"story": STORY.replace("/places/port/", "/places/harbour/")}, False),  # a link's address
    ({"story": STORY.replace("<p>", "<p class='lead'>")}, False),  # a class
    ({"story": STORY.replace("<a href='/places/port/'>the port</a>", "the port")}, False),
    ({"story": STORY.replace("Ships", "<a href='/ships/'>Ships</a>")}, False),  # now linked
    ({"story": STORY.replace("Ships", "Sh<em>ips</em>")}, False),  # inline markup
    ({"ignored": "<h2 id='byline'>By Ada</h2>"}, False),  # an anchor in an ignored part
    ({"section": "Business"}, True),  # a filter's value, though in an ignored part
    ({"story": STORY.replace("<p>", "<p id='dock'>")}, True),  # an anchor
    ({"story": STORY.replace("Cranes", "Cranes at dusk")}, True),  # an image's alt text
    ({"story": STORY.replace("Ships", "Tankers")}, True),  # the text
    ({"story": STORY.replace("Ships", "<a id='ships'>Ships</a>")}, True),  # an inline anchor
]
PARTS = {"related": "Harbour news", "ignored": "9 articles from 2 outlets", "section": "World"}


@pytest.mark.parametrize(("change", "indexed_again"), INDEXED_CHANGES)
def test_a_rebuild_indexes_a_shard_again_only_when_its_indexed_text_changed(
    tmp_path: Path, change: dict[str, str], indexed_again: bool
) -> None:
    site, stamps = tmp_path / "output", tmp_path / "cache" / "stamps.json"
    _page(site, "2021/02/07/port", _related_page(**PARTS))
    index_site(site, stamps=stamps)
    entry = site / "pagefind" / "pagefind-entry.json"
    os.utime(entry, (OLD, OLD))
    _page(site, "2021/02/07/port", _related_page(**{**PARTS, **change}))  # rendered again
    index_site(site, stamps=stamps)
    assert (entry.stat().st_mtime != OLD) == indexed_again


def _bundle(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted((site / "pagefind").rglob("*")) if path.is_file()}  # fmt: skip


@pytest.mark.parametrize(("change", "indexed_again"), INDEXED_CHANGES)
def test_the_indexed_digest_changes_exactly_when_pagefinds_bundle_does(
    tmp_path: Path, change: dict[str, str], indexed_again: bool
) -> None:
    """Pagefind itself, run afresh on both versions of the page: the same bundle, byte for
    byte, where the digest (and so the rebuild) keeps the shard."""
    bundles = []
    for name, parts in (("before", PARTS), ("after", {**PARTS, **change})):
        site = tmp_path / name
        _page(site, "2021/02/07/port", _related_page(**parts))
        index_site(site)
        bundles.append(_bundle(site))
    assert (bundles[0] != bundles[1]) == indexed_again
