"""Rebuilding into the same output folder: unchanged files are left alone, the result is the
same as a fresh build."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from pathlib import Path

import pytest
from pelican.writers import FileOverwriteFailedError

from ..writer import FEED_STAMPS, UnchangedFilesWriter
from .site import ARTICLES, NEW_ARTICLE, build, write_content

OLD = 1_000_000_000  # an mtime no build could give a file it writes


def age_every_file(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        os.utime(path, (OLD, OLD))
    return files


@pytest.fixture
def built(site: Path, tmp_path: Path) -> Path:
    """A copy of the fixture site with its content and cache, to rebuild in place."""
    for name in ("content", "output", "cache"):
        shutil.copytree(site.parent / name, tmp_path / name)
    return tmp_path


def test_a_rebuild_with_nothing_new_rewrites_no_page(built: Path) -> None:
    files = age_every_file(built / "output")
    build(built / "content", built / "output", built / "cache")
    pages = [p for p in files if p.suffix in (".html", ".xml") and p.name != "sitemap.xml"]
    assert len(pages) > 50
    assert [p for p in pages if p.stat().st_mtime != OLD] == []
    [stamps_file] = (built / "cache").glob(f"*/{FEED_STAMPS}")  # build_site's cache folder
    stamps = json.loads(stamps_file.read_text())
    assert "people/kim-jong-un/feed.atom.xml" in stamps  # so feeds were not even rendered


def test_a_rebuild_after_a_new_article_equals_a_fresh_build(built: Path, tmp_path: Path) -> None:
    files = age_every_file(built / "output")
    write_content(built / "content", [NEW_ARTICLE])
    build(built / "content", built / "output", built / "cache")

    fresh = tmp_path / "fresh"  # the same articles (and stories file), built from scratch
    write_content(fresh / "content", [*ARTICLES, NEW_ARTICLE])
    stories = Path("registry") / "stories.json"
    shutil.copy(built / "content" / stories, fresh / "content" / stories)
    build(fresh / "content", fresh / "output", fresh / "cache")
    names = [p.relative_to(fresh / "output") for p in (fresh / "output").rglob("*") if p.is_file()]
    _, mismatch, errors = filecmp.cmpfiles(fresh / "output", built / "output", names, False)
    assert mismatch == [] and errors == []

    changed = {p.relative_to(built / "output").as_posix() for p in files
               if p.stat().st_mtime != OLD}  # fmt: skip
    assert "people/kim-jong-un/index.html" in changed  # the new article is listed there
    assert "people/kim-jong-un/feed.atom.xml" in changed
    assert "people/miguel-diaz-canel/index.html" not in changed  # he is not in it
    assert "people/miguel-diaz-canel/feed.atom.xml" not in changed


def test_a_rebuild_after_an_edit_equals_a_fresh_build(built: Path, tmp_path: Path) -> None:
    meta, body = ARTICLES[0]
    edited = [({**meta, "title": "Kim writes to Havana"}, body), *ARTICLES[1:]]
    write_content(built / "content", edited[:1])
    build(built / "content", built / "output", built / "cache")

    fresh = tmp_path / "fresh"
    write_content(fresh / "content", edited)
    # the stories file is content (story slugs and members stay as they were)
    stories = Path("registry") / "stories.json"
    shutil.copy(built / "content" / stories, fresh / "content" / stories)
    build(fresh / "content", fresh / "output", fresh / "cache")
    names = [p.relative_to(fresh / "output") for p in (fresh / "output").rglob("*") if p.is_file()]
    _, mismatch, errors = filecmp.cmpfiles(fresh / "output", built / "output", names, False)
    assert mismatch == [] and errors == []
    feed = (built / "output" / "people" / "miguel-diaz-canel" / "feed.atom.xml").read_text()
    assert "Kim writes to Havana" in feed


def test_writing_one_file_twice_in_a_build_still_fails(tmp_path: Path) -> None:
    writer = UnchangedFilesWriter(str(tmp_path), settings={})
    with writer._open_w(str(tmp_path / "a.html"), "utf-8") as out:
        out.write("one")
    with pytest.raises(FileOverwriteFailedError):
        writer._open_w(str(tmp_path / "a.html"), "utf-8")
    with writer._open_w(str(tmp_path / "a.html"), "utf-8", override=True) as out:
        out.write("two")
    with writer._open_w(str(tmp_path / "a.html"), "utf-8") as out:
        out.write("three")  # skipped: the overriding write stands
    assert (tmp_path / "a.html").read_text() == "two"


def test_a_failed_render_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.html"
    target.write_text("old")
    writer = UnchangedFilesWriter(str(tmp_path), settings={})
    with pytest.raises(RuntimeError), writer._open_w(str(target), "utf-8") as out:
        out.write("half")
        raise RuntimeError("template error")
    assert target.read_text() == "old"
