"""A Pelican Writer that replaces an output file only when its content changed, and does not
render a feed again when nothing it shows has changed.

Pelican opens every output file for writing on every build. After a few new articles most
of a big archive's pages come out the same, and rewriting tens of thousands of identical
files is a large share of a rebuild. Leaving them alone also keeps their modification
times, so `rsync` and other mtime-based tools send only what changed; and a file that does
change is replaced atomically, so a server never sends half a page.

Feeds go one step further. A feed is made from its entries and a few settings only (no
template), so a stamp of those, kept in Pelican's cache folder, tells that an entity's
feed is the same as last time without building it: most of an archive's feeds are.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from broadsheet.files import read_json_object, write_atomic, write_if_changed

from .feed_text import PlainSummary

FEED_STAMPS = "broadsheet-feed-stamps.json"  # in CACHE_PATH
STAMP_FORMAT = 2  # bump when what a feed is made from changes
# settings a feed's XML depends on, besides its entries (pelican/writers.py)
FEED_SETTINGS = (
    "SITEURL", "FEED_DOMAIN", "SITENAME", "FEED_MAX_ITEMS", "FEED_APPEND_REF",
    "RSS_FEED_SUMMARY_ONLY", "SUMMARY_MAX_LENGTH", "SUMMARY_END_SUFFIX", "TIMEZONE",
)  # fmt: skip


class UnchangedFilesWriter(Writer):
    """Pelican's Writer, except that output goes through `write_if_changed`, and a feed whose
    stamp is the one of the last build is left as it is."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        cache = (settings or {}).get("CACHE_PATH")
        self._stamps_file = Path(cache) / FEED_STAMPS if cache else None
        self._old_stamps = read_json_object(self._stamps_file)
        self._new_stamps: dict[str, str] = {}
        self._entry_digests: dict[tuple[str, str], str] = {}
        if self._stamps_file is not None:
            signals.finalized.connect(self._save_stamps, weak=False)

    def write_feed(
        self,
        elements: Sequence[Any],
        context: dict[str, Any],
        path: str | None = None,
        url: str | None = None,
        feed_type: str = "atom",
        override_output: bool = False,
        feed_title: str | None = None,
    ) -> Any:
        if path and self._stamps_file is not None:
            stamp = self._feed_stamp(elements, context, (path, url, feed_type, feed_title))
            self._new_stamps[path] = stamp
            target = sanitised_join(self.output_path, path)
            if self._old_stamps.get(path) == stamp and Path(target).is_file():
                self._claim(target, override_output)
                return None  # the feed on disk is the one this build would write
        return super().write_feed(
            elements, context, path, url, feed_type, override_output, feed_title
        )

    def _add_item_to_the_feed(self, feed: Any, item: Any) -> None:
        # a scraped summary is plain text; feeds carry it as HTML (issue 19)
        super()._add_item_to_the_feed(feed, PlainSummary(item))

    def _feed_stamp(self, elements: Sequence[Any], context: dict[str, Any], call: tuple) -> str:
        settings = (repr(context.get(name, self.settings.get(name))) for name in FEED_SETTINGS)
        stamp = hashlib.sha256(repr((STAMP_FORMAT, *call, *settings)).encode())
        for entry in elements[: self.settings.get("FEED_MAX_ITEMS")]:
            stamp.update(self._entry_digest(entry).encode())
        return stamp.hexdigest()

    def _entry_digest(self, entry: Any) -> str:
        """What a feed shows of an entry (an Article, or a plugin's summary-only wrapper)."""
        key = (type(entry).__name__, entry.source_path)
        if key not in self._entry_digests:
            shown = (
                *key, entry.url, entry.title, entry.metadata.get("summary"), entry._content,
                entry.date.isoformat(), repr(getattr(entry, "modified", None)),
                [str(author) for author in getattr(entry, "authors", ())],
                str(getattr(entry, "category", "")),
                [str(tag) for tag in getattr(entry, "tags", ())],
            )  # fmt: skip
            self._entry_digests[key] = hashlib.sha256(repr(shown).encode()).hexdigest()
        return self._entry_digests[key]

    def _save_stamps(self, _pelican: Any) -> None:
        signals.finalized.disconnect(self._save_stamps)
        write_atomic(self._stamps_file, json.dumps(self._new_stamps, sort_keys=True, indent=0))

    def _claim(self, filename: str, override: bool) -> bool:
        """Pelican's rules (Writer._open_w): a file is written once, unless one write says
        override_output, and then that write's content is the one kept. False when this
        write is to be dropped. (Pelican's method also opens the file for writing, emptying
        it, so the rules are applied here.)"""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f"{filename}: overridden twice")
            return False  # the overriding content stays
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f"{filename}: already written in this build (pass override_output=True)"
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return True

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> io.StringIO:
        if not self._claim(filename, override):
            return io.StringIO()
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
