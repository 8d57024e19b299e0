"""A Pelican Writer that replaces an output file only when its content changed.

Pelican opens every output file for writing on every build. After a few new articles most
of a big archive's pages come out the same, and rewriting tens of thousands of identical
files is a large share of a rebuild. Leaving them alone also keeps their modification
times, so `rsync` and other mtime-based tools send only what changed; and a file that does
change is replaced atomically, so a server never sends half a page.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pelican.writers import FileOverwriteFailedError, Writer

from broadsheet.files import write_if_changed


class UnchangedFilesWriter(Writer):
    """Pelican's Writer, except that output goes through `write_if_changed`."""

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> io.StringIO:
        # Pelican's rules (Writer._open_w): a file is written once, unless one write says
        # override_output, and then that write's content is the one kept. Pelican's method
        # opens the file for writing (emptying it), so the rules are applied here.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f"{filename}: overridden twice")
            return io.StringIO()  # the overriding content stays
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f"{filename}: already written in this build (pass override_output=True)"
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _ReplaceOnClose(Path(filename))


class _ReplaceOnClose(io.StringIO):
    """Collects what Pelican writes; on a clean exit, writes it unless the file holds it."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        if kind is None:
            write_if_changed(self.path, self.getvalue())
        super().__exit__(kind, *rest)
