"""Finding scraped files and decoding them, whatever the encoding."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
from pathlib import Path

import pytest

from broadsheet.inputs import InputError, InputStamps, file_sha256, find_inputs, kind_of, load_input

KOREAN = "북한 김정은 위원장이 쿠바와의 특별한 관계를 강조했다. 조선중앙통신이 보도했다."
LATIN = "Café owners said the “special” relations were naïve, according to the résumé."


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "text"),
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.html.gz", "html"),
        ("a.json", "records"),
        ("a.jsonl.gz", "records"),
        ("a.pdf", None),
        ("a.gz", None),
    ],
)
def test_kind_comes_from_the_name(name, kind):
    assert kind_of(Path(name)) == kind


@pytest.mark.parametrize(
    ("data", "expected", "encoding"),
    [
        (LATIN.encode("utf-8"), LATIN, "utf-8"),
        (codecs.BOM_UTF8 + LATIN.encode("utf-8"), LATIN, "utf-8-sig"),
        (LATIN.encode("utf-16"), LATIN, "utf-16"),
        (LATIN.encode("cp1252"), LATIN, "cp1252"),
        (KOREAN.encode("euc-kr"), KOREAN, None),
        (KOREAN.encode("utf-8"), KOREAN, "utf-8"),
    ],
)
def test_encoding_is_detected_not_trusted(tmp_path: Path, data, expected, encoding):
    (tmp_path / "page.txt").write_bytes(data)
    loaded = load_input(tmp_path / "page.txt", tmp_path)
    assert loaded.text == expected
    if encoding:
        assert loaded.encoding == encoding


def test_gzipped_input_is_decompressed(tmp_path: Path):
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(b"<p>Hello</p>"))
    loaded = load_input(tmp_path / "page.html.gz", tmp_path)
    assert (loaded.kind, loaded.text) == ("html", "<p>Hello</p>")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("binary.html", random.Random(0).randbytes(4096), "binary"),
        ("png.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        ("broken.html.gz", b"\x1f\x8b\x08\x00broken", "gzip"),
    ],
    ids=["empty", "blank", "random-bytes", "png", "broken-gzip"],
)
def test_unreadable_inputs_say_why(tmp_path: Path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match=reason):
        load_input(tmp_path / name, tmp_path)


def test_mixed_encodings_decode_without_failing(tmp_path: Path):
    (tmp_path / "mixed.txt").write_bytes(LATIN.encode("utf-8") + b"\n" + LATIN.encode("cp1252"))
    loaded = load_input(tmp_path / "mixed.txt", tmp_path)
    assert "Café owners" in loaded.text


def test_find_inputs_is_recursive_sorted_and_skips_hidden_and_unknown(tmp_path: Path):
    for name in ["b/z.txt", "a.html", "b/c/d.jsonl", ".hidden/x.txt", "notes.pdf", "b/.x.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in find_inputs(tmp_path)]
    assert found == ["a.html", "b/c/d.jsonl", "b/z.txt"]


def test_links_leading_outside_the_source_folder_are_ignored(tmp_path: Path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    src = tmp_path / "src"
    src.mkdir()
    (src / "inside.txt").write_text("ok")
    (src / "link.txt").symlink_to(outside)
    assert [p.name for p in find_inputs(src)] == ["inside.txt"]


def test_inputs_are_never_modified(tmp_path: Path):
    page = tmp_path / "page.txt"
    page.write_bytes(LATIN.encode("cp1252"))
    before = (page.read_bytes(), page.stat().st_mtime_ns)
    load_input(page, tmp_path)
    assert (page.read_bytes(), page.stat().st_mtime_ns) == before


def test_an_input_of_the_same_size_and_time_is_not_hashed_again(tmp_path: Path):
    path, stamps = tmp_path / "a.txt", tmp_path / "cache" / "inputs.json"
    path.write_text("Harbour talks resume.")
    os.utime(path, ns=(10**18, 10**18))  # long settled
    first = InputStamps(stamps)
    sha = first.sha256(path, "a.txt")
    first.save()
    path.write_text("Harbour talks resumE.")  # same size; the time put back: taken as unchanged
    os.utime(path, ns=(10**18, 10**18))
    assert InputStamps(stamps).sha256(path, "a.txt") == sha
    os.utime(path, ns=(10**18, 10**18 + 1))  # another time: hashed again
    assert InputStamps(stamps).sha256(path, "a.txt") == file_sha256(path) != sha


def test_an_input_changed_a_moment_ago_gets_no_stamp(tmp_path: Path):
    path, stamps = tmp_path / "a.txt", tmp_path / "inputs.json"
    path.write_text("Harbour talks resume.")
    just_written = InputStamps(stamps)
    just_written.sha256(path, "a.txt")
    just_written.save()
    assert json.loads(stamps.read_text()) == {}  # its clock tick may not be over
