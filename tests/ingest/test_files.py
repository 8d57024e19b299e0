import os
import stat
from pathlib import Path

from broadsheet.files import write_atomic, write_if_changed


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path):
    target = tmp_path / "a" / "b.md"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["b.md"]


def test_written_files_are_readable_by_others_like_any_content_file(tmp_path: Path):
    target = tmp_path / "b.md"
    write_atomic(target, "one")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_file_already_holding_the_text_is_left_alone(tmp_path: Path):
    target = tmp_path / "page.html"
    assert write_if_changed(target, "<p>é</p>")
    os.utime(target, (1_000_000, 1_000_000))
    assert not write_if_changed(target, "<p>é</p>")
    assert target.stat().st_mtime == 1_000_000
    assert write_if_changed(target, "<p>e</p>")
    assert target.read_text(encoding="utf-8") == "<p>e</p>"
    assert target.stat().st_mtime != 1_000_000
