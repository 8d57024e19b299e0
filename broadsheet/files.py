"""Writing files so that a reader (a person, a server, the next build) never sees half of one."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` through a temporary file in the same folder: readers see
    the old content or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temp, 0o644)  # mkstemp makes the file private; what we write is not
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


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
