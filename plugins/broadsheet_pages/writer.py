"""A Pelican Writer that renders a page only when what it is made from changed, replaces an
output file only when its content changed, and removes the pages of the last build that this
one no longer writes.

Pelican opens every output file for writing on every build. After a few new articles most
of a big archive's pages come out the same, and rewriting tens of thousands of identical
files is a large share of a rebuild. Leaving them alone also keeps their modification
times, so `rsync` and other mtime-based tools send only what changed; and a file that does
change is replaced atomically, so a server never sends half a page.

Pages and feeds go one step further. Each page's inputs (see inputs.py) and each feed's
entries and settings make a digest, kept in Pelican's cache folder with the files written; a
page or feed whose digest is the last build's, and whose file is there, is not rendered at all:
after a day's news most of an archive's pages are not. The digests are removed when a build
starts and saved when it ends, so an interrupted build leaves none to trust.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pelican import __version__ as pelican_version
from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from broadsheet.files import read_json_object, write_atomic, write_if_changed

from .feed_text import PlainSummary
from .inputs import (
    DERIVED,
    MISSING,
    Fingerprints,
    TemplateVariables,
    Unknown,
    settings_digest,
    templates_digest,
)
from .settings import setting

FEED_STAMPS = "broadsheet-feed-stamps.json"  # in CACHE_PATH
PAGE_STAMPS = "broadsheet-page-stamps.json"  # in CACHE_PATH: {page: [digest, files written]}
RENDER_REPORT = "broadsheet-rendered.json"  # in CACHE_PATH: pages rendered and skipped, by kind
log = logging.getLogger(__name__)
STAMP_FORMAT = 5  # bump when what a page or feed is made from changes
# settings a feed's XML depends on, besides its entries (pelican/writers.py)
FEED_SETTINGS = (
    "SITEURL", "FEED_DOMAIN", "SITENAME", "FEED_MAX_ITEMS", "FEED_APPEND_REF",
    "RSS_FEED_SUMMARY_ONLY", "SUMMARY_MAX_LENGTH", "SUMMARY_END_SUFFIX", "TIMEZONE",
)  # fmt: skip


class UnchangedFilesWriter(Writer):
    """Pelican's Writer, except that output goes through `write_if_changed`, a page or feed
    whose digest is the one of the last build is left as it is, and the pages and feeds of the
    last build that this one did not write are removed."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        settings = settings or {}
        cache = settings.get("CACHE_PATH")
        self._stamps_file = Path(cache) / FEED_STAMPS if cache else None
        self._pages_file = Path(cache) / PAGE_STAMPS if cache else None
        self._old_stamps = read_json_object(self._stamps_file)
        self._new_stamps: dict[str, str] = {}
        self._old_pages = read_json_object(self._pages_file)
        self._new_pages: dict[str, list] = {}
        self._entry_digests: dict[tuple[str, str], str] = {}
        self._fingerprints = Fingerprints()
        self._variables: dict[int, TemplateVariables] = {}  # per Jinja environment
        self._base: dict[int, str] = {}  # per Jinja environment: settings and templates
        self._skip = setting(settings, "BROADSHEET_SKIP_UNCHANGED")
        self.rendered: dict[str, int] = {}  # pages rendered (or skipped) by template
        self.skipped: dict[str, int] = {}
        self.removed: list[str] = []
        self._opened: list[str] | None = None  # the files the current write_file opens
        self._output_prefix = os.path.join(os.path.abspath(output_path), "")
        if self._stamps_file is not None:
            for stamps in (self._stamps_file, self._pages_file):
                stamps.unlink(missing_ok=True)  # an interrupted build leaves none to trust
            signals.finalized.connect(self._save_stamps, weak=False)

    def write_file(
        self,
        name: str,
        template: Any,
        context: dict[str, Any],
        relative_urls: bool = False,
        paginated: dict[str, Any] | None = None,
        template_name: str | None = None,
        override_output: bool = False,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        if not name or self._pages_file is None:
            return super().write_file(name, template, context, relative_urls, paginated,
                                      template_name, override_output, url, **kwargs)  # fmt: skip
        call = (name, relative_urls, template_name, override_output, url)
        digest = self._page_digest(call, template, context, paginated, kwargs)
        old = self._old_pages.get(name)
        kind = (template_name or getattr(template, "name", "") or "").removesuffix(".html")
        if digest is not None and old and old[0] == digest and self._all_there(old[1]):
            for file, *_ in old[1]:
                self._claim(sanitised_join(self.output_path, file), override_output)
            if signals.content_written.receivers:  # e.g. the sitemap lists every page written
                local = {**context, **kwargs, "output_file": name}
                for file, *_ in old[1]:
                    path = sanitised_join(self.output_path, file)
                    signals.content_written.send(path, context=local)
            self._new_pages[name] = old
            self.skipped[kind] = self.skipped.get(kind, 0) + 1
            return None
        self._opened = []
        try:
            super().write_file(name, template, context, relative_urls, paginated,
                               template_name, override_output, url, **kwargs)  # fmt: skip
            files = sorted({self._relative(f) for f in self._opened}) or [name]
        finally:
            self._opened = None
        self._new_pages[name] = [digest, [self._state(file) for file in files]]
        self.rendered[kind] = self.rendered.get(kind, 0) + 1
        return None

    def _page_digest(
        self,
        call: tuple,
        template: Any,
        context: dict[str, Any],
        paginated: dict[str, Any] | None,
        kwargs: dict[str, Any],
    ) -> str | None:
        """What the page is made from (inputs.py), or None to render it anyway."""
        env = getattr(template, "environment", None)
        name = getattr(template, "name", None)
        if not self._skip or env is None or name is None:
            return None
        if id(env) not in self._variables:
            self._variables[id(env)] = TemplateVariables(env)
            base = (STAMP_FORMAT, pelican_version, settings_digest(self.settings))
            self._base[id(env)] = repr((*base, templates_digest(env)))
        variables = self._variables[id(env)].of(name)
        if variables is None:
            return None
        if call[2] not in self.settings["PAGINATED_TEMPLATES"]:  # template_name
            paginated = {}  # as Writer.write_file: the lists are then only variables
        elif paginated is None:  # Pelican's default (Writer.write_file)
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        parts = [self._base[id(env)], repr(call), name]
        fingerprint = self._fingerprints.of
        try:
            for key in sorted(paginated):
                parts += [key, fingerprint(paginated[key])]
            for variable in sorted(variables - DERIVED):
                value = kwargs.get(variable, context.get(variable, MISSING))
                parts += [variable, fingerprint(value)]
        except Unknown:
            return None
        return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def _relative(self, filename: str) -> str:
        if filename.startswith(self._output_prefix):  # Pelican's paths: abspath-joined
            return filename[len(self._output_prefix) :].replace(os.sep, "/")
        return Path(filename).relative_to(os.path.abspath(self.output_path)).as_posix()

    def _state(self, file: str) -> list:
        """[file, size, mtime]: a file some other build or a person replaced is not trusted."""
        try:
            status = os.stat(sanitised_join(self.output_path, file))
        except FileNotFoundError:
            return [file, -1, -1]
        return [file, status.st_size, status.st_mtime_ns]

    def _all_there(self, states: list[list]) -> bool:
        return all(self._state(state[0]) == list(state) for state in states)

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
            target = sanitised_join(self.output_path, path)
            old = self._old_stamps.get(path)
            if old and old[0] == stamp and self._all_there([old[1]]):
                self._claim(target, override_output)
                self._new_stamps[path] = old
                self.skipped["feed"] = self.skipped.get("feed", 0) + 1
                return None  # the feed on disk is the one this build would write
            feed = super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
            self._new_stamps[path] = [stamp, self._state(path)]
            self.rendered["feed"] = self.rendered.get("feed", 0) + 1
            return feed
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
            # a summary-only entry shows the body only when the summary is cut from it
            summary_only = getattr(entry, "summary_only", False) and "summary" in entry.metadata
            shown = (
                *key, entry.url, entry.title, entry.metadata.get("summary"),
                None if summary_only else entry._content,
                entry.date.isoformat(), repr(getattr(entry, "modified", None)),
                [str(author) for author in getattr(entry, "authors", ())],
                str(getattr(entry, "category", "")),
                [str(tag) for tag in getattr(entry, "tags", ())],
            )  # fmt: skip
            self._entry_digests[key] = hashlib.sha256(repr(shown).encode()).hexdigest()
        return self._entry_digests[key]

    def _save_stamps(self, _pelican: Any) -> None:
        signals.finalized.disconnect(self._save_stamps)
        if not self.settings.get("WRITE_SELECTED"):  # a partial build removes nothing
            self._remove_stale()
        # no indent: json's C encoder (an indent takes its pure-Python one)
        write_atomic(self._stamps_file, json.dumps(self._new_stamps, sort_keys=True))
        write_atomic(self._pages_file, json.dumps(self._new_pages, sort_keys=True))
        report = {"rendered": self.rendered, "skipped": self.skipped, "removed": self.removed}
        write_atomic(self._pages_file.with_name(RENDER_REPORT), json.dumps(report, indent=1))
        log.info(
            "broadsheet_pages: %d pages and feeds rendered, %d unchanged, %d removed",
            sum(self.rendered.values()), sum(self.skipped.values()), len(self.removed),
        )  # fmt: skip

    def _remove_stale(self) -> None:
        """Remove the pages and feeds the last build wrote and this one did not (a deleted
        article's page, a listing that lost its page), and folders left empty."""
        written = {self._relative(f) for f in self._written_files}
        old = {state[0] for _, states in self._old_pages.values() for state in states}
        old.update(self._old_stamps)
        output = Path(self.output_path)
        for file in sorted(old - written):
            self.removed.append(file)
            path = Path(sanitised_join(self.output_path, file))
            path.unlink(missing_ok=True)
            for folder in path.parents:
                if folder == output or not folder.is_relative_to(output):
                    break
                if not folder.is_dir():  # a build into a fresh folder (the publish swap)
                    continue
                if any(folder.iterdir()):
                    break
                folder.rmdir()

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
        if self._opened is not None:
            self._opened.append(filename)
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
