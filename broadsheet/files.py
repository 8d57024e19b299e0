"""Writing files so that a reader (a person, a server, the next build) never sees half of one."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import tempfile
from pathlib import Path

FAULT_VARIABLE = "BROADSHEET_KILL_AT"
_FAULTS: dict[str, int] = {}


def fault_point(name: str) -> None:
    """Where the fault-injection tests kill a run: with BROADSHEET_KILL_AT=NAME@N set, the
    N-th time the run passes point NAME, its whole process group is killed (SIGKILL), as a
    power cut or the OOM killer would. Does nothing otherwise."""
    wanted = os.environ.get(FAULT_VARIABLE)
    if not wanted:
        return
    point, _, count = wanted.partition("@")
    if point == name:
        _FAULTS[name] = _FAULTS.get(name, 0) + 1
        if _FAULTS[name] >= int(count or 1):
            os.killpg(os.getpgid(0), signal.SIGKILL)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` through a temporary file in the same folder: readers see
    the old content or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        fault_point(f"save {path.name}")
        os.chmod(temp, 0o644)  # mkstemp makes the file private; what we write is not
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files that write_atomic left under `folder` when its process was
    killed; only safe while no other process writes there (ingest holds its lock)."""
    found = sorted(folder.rglob(".*.tmp")) if folder.is_dir() else []
    for path in found:
        path.unlink(missing_ok=True)
    return found


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` atomically unless `path` already holds it; True when it wrote.

    A file left alone keeps its modification time, so rsync, caches and the next build
    can tell what really changed.
    """
    try:
        if path.read_bytes() == text.encode("utf-8"):
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, text)
    return True


def read_json_object(path: Path | None) -> dict:
    """A JSON object kept between runs (stamps, caches); empty when there is none to trust:
    no path, no file, or not a JSON object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


RETIRED_PREFIX = ".retired-"  # a folder swapped out by swap_in, until it is removed
_RENAME_EXCHANGE = 2  # renameat2(2): swap two paths in one step (Linux 3.15+)
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically where the system can (Linux renameat2); False elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def swap_in(new: Path, live: Path) -> None:
    """Put the folder `new` in the place of `live`, at once where the system allows it (else
    by two renames, which recover_swap completes after a kill); the old folder is removed."""
    retired = live.with_name(RETIRED_PREFIX + live.name)
    shutil.rmtree(retired, ignore_errors=True)
    if not live.exists():
        os.rename(new, live)
    elif _exchange(new, live):
        os.rename(new, retired)
    else:
        os.rename(live, retired)
        os.rename(new, live)
    shutil.rmtree(retired, ignore_errors=True)


def recover_swap(live: Path) -> None:
    """After a kill between swap_in's two renames, put the old folder back."""
    retired = live.with_name(RETIRED_PREFIX + live.name)
    if not live.exists() and retired.is_dir():
        os.rename(retired, live)
