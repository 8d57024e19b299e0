"""The build stamp's digest of a folder: what makes it change, and what it leaves out."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from broadsheet.site.build import tree_stamp


def make_tree(root: Path) -> None:
    for name in ("b.html", "a/x.html", "a/b/y.html", "a/__pycache__/m.pyc", "pagefind/p.js"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    (root / "a" / ".manifest.json").write_text("{}")  # ingest's, no input of Pelican's


def walked(root: Path, skip: set[str]) -> str:
    """The digest as builds before made it (os.walk): their stamps stay valid."""
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(
            f for f in folders if f != "__pycache__" and os.path.join(folder, f) not in skip
        )
        for name in sorted(files):
            path = os.path.join(folder, name)
            if path not in skip and not (name.startswith(".") and name.endswith(".json")):
                status = os.stat(path)
                line = f"{os.path.relpath(path, root)}\t{status.st_size}\t{status.st_mtime_ns}\n"
                digest.update(line.encode())
    return digest.hexdigest()


def test_the_stamp_is_the_one_earlier_builds_kept(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert tree_stamp(tmp_path, skip=["pagefind"]) == walked(tmp_path, {str(tmp_path / "pagefind")})


def test_a_file_changed_changes_the_stamp_and_what_is_left_out_does_not(tmp_path: Path) -> None:
    make_tree(tmp_path)
    before = tree_stamp(tmp_path, skip=["pagefind"])
    for left_out in ("pagefind/p.js", "a/__pycache__/m.pyc", "a/.manifest.json"):
        (tmp_path / left_out).write_text("changed")
    assert tree_stamp(tmp_path, skip=["pagefind"]) == before
    os.utime(tmp_path / "a" / "b" / "y.html", ns=(1, 1))
    assert tree_stamp(tmp_path, skip=["pagefind"]) != before


def test_states_stand_in_for_files_and_seen_gets_each_file_by_absolute_path(
    tmp_path: Path,
) -> None:
    make_tree(tmp_path)
    seen: dict[str, tuple[int, int]] = {}
    before = tree_stamp(tmp_path, seen=seen)
    target = str((tmp_path / "a" / "x.html").resolve())
    assert target in seen and len(seen) == 4  # b, x, y and pagefind's p (not skipped here)
    os.utime(target, ns=(1, 1))
    assert tree_stamp(tmp_path, states={target: seen[target]}) == before
