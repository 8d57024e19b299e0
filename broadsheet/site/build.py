"""Build the website from content/: Pelican with the project plugin, then the search index."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican import __version__ as pelican_version
from pelican.settings import read_settings

from broadsheet import __version__
from broadsheet.files import read_json_object, recover_swap, swap_in, write_atomic
from broadsheet.site.search import BUNDLE_LIST, ENTITY_LOOKUP_DIR, PAGEFIND_DIR, index_site

SEARCH_STAMPS = "search-stamps.json"  # in Pelican's cache folder: see search.index_site
# in Pelican's cache folder: what the last run read and wrote (see unchanged_since_last_run)
BUILD_STAMP = "build-stamp.json"
SEARCH_OUTPUT = (PAGEFIND_DIR, ENTITY_LOOKUP_DIR, BUNDLE_LIST)  # written after Pelican
# in Pelican's cache folder: the content files the run itself wrote (the plugin's stories file),
# by path, with their size and modification time once written (see content_written)
CONTENT_WRITTEN = "content-written.json"
# endings of hidden files no Pelican reader reads: ingest's manifest, report, lock and the
# temporary files of its atomic writes (files.write_atomic)
HIDDEN_UNREAD = (".json", ".lock", ".tmp")


def build_pages(settings_file: Path, overrides: dict | None = None) -> dict:
    """Run Pelican with `settings_file` (plus `overrides`): the site without its search index.

    Returns the settings Pelican ran with (CACHE_PATH: the cache of these settings). Alone, it
    gives pages that two builds can compare byte for byte: Pagefind's index differs between runs.
    """
    settings = read_settings(str(settings_file), override=overrides or {})
    # Pelican's content cache notices changed files but not changed settings: keep one cache
    # per settings file and version, so that a settings change never serves stale pages
    stamp = hashlib.sha256(settings_file.read_bytes() + __version__.encode()).hexdigest()[:12]
    settings["CACHE_PATH"] = str(Path(settings["CACHE_PATH"]) / stamp)
    stamp_file = Path(settings["CACHE_PATH"]) / BUILD_STAMP
    seen: dict[str, tuple[int, int]] = {}  # the state of each input file, before the run
    described = described_settings(settings)  # before Pelican changes some in place
    inputs = inputs_stamp(settings_file, settings, described, seen=seen)
    if unchanged_since_last_run(stamp_file, inputs, Path(settings["OUTPUT_PATH"])):
        return settings
    stamp_file.unlink(missing_ok=True)  # an interrupted run leaves no stamp to trust
    written_file = Path(settings["CACHE_PATH"]) / CONTENT_WRITTEN
    written_file.unlink(missing_ok=True)
    pelican = Pelican(settings)
    pelican.run()
    # a content file the run wrote is an input of the next run as this run left it, so that
    # the next run, with nothing new, is not made to run again by it; any other input is
    # taken as the run read it
    written = {path: tuple(state) for path, state in read_json_object(written_file).items()}
    if written:
        inputs = inputs_stamp(settings_file, settings, described, {**seen, **written})
    output = tree_stamp(Path(settings["OUTPUT_PATH"]), skip=SEARCH_OUTPUT)
    write_atomic(stamp_file, json.dumps({"inputs": inputs, "output": output}) + "\n")
    return settings


def content_written(settings: Mapping[str, Any], paths: Iterable[Path]) -> None:
    """Record, for build_pages, the content files this Pelican run wrote (or kept as they
    were), as they are now; a file changed afterwards is an input that changed."""
    cache = settings.get("CACHE_PATH")
    if cache:
        states = {}
        for path in paths:
            status = os.stat(path)
            states[os.path.normpath(os.path.abspath(path))] = [status.st_size, status.st_mtime_ns]
        write_atomic(Path(cache) / CONTENT_WRITTEN, json.dumps(states, sort_keys=True) + "\n")


def tree_stamp(
    root: Path,
    skip: Iterable[str] = (),
    states: Mapping[str, tuple[int, int]] | None = None,
    seen: dict[str, tuple[int, int]] | None = None,
) -> str:
    """A digest of the path, size and modification time of every file under `root`, but for
    the files and folders `skip` names (relative to root), Python's bytecode caches, and
    the hidden files of ingest that Pelican does not read (HIDDEN_UNREAD: its manifest and
    report, rewritten on every run, and its lock, which every run touches). `states`: (size,
    mtime) to take for some files (by absolute path) instead of what they have now; `seen`
    receives the state taken for each file."""
    skipped = {str(root / name) for name in skip}
    states = states or {}
    digest = hashlib.sha256()
    base = os.path.normpath(os.path.abspath(root))

    def walk(folder: str, relative: str) -> None:
        """os.walk's order (a folder's files, then its folders, each by name), without its
        path arithmetic per file: the output holds tens of thousands of files."""
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            return
        folders = []
        for entry in entries:
            name, path = entry.name, entry.path
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if name != "__pycache__" and path not in skipped and not entry.is_symlink():
                    folders.append(entry)
                continue
            if path in skipped or (name.startswith(".") and name.endswith(HIDDEN_UNREAD)):
                continue
            file = relative + name
            key = os.path.join(base, file)
            known = states.get(key)
            if known is None:
                status = entry.stat()
                known = (status.st_size, status.st_mtime_ns)
            if seen is not None:
                seen[key] = known
            digest.update(f"{file}\t{known[0]}\t{known[1]}\n".encode("utf-8", "surrogateescape"))
        for entry in folders:
            walk(entry.path, relative + entry.name + os.sep)

    walk(os.fspath(root), "")
    return digest.hexdigest()


def described_settings(settings: Mapping[str, Any]) -> str:
    return repr(sorted((k, repr(v)) for k, v in settings.items() if _stable(v)))


def inputs_stamp(
    settings_file: Path,
    settings: dict,
    described: str,
    states: Mapping[str, tuple[int, int]] | None = None,
    seen: dict[str, tuple[int, int]] | None = None,
) -> str:
    """What a Pelican run reads: the settings (`described`: described_settings of them as
    read), the versions, and the files of the content, theme and plugin folders (by path,
    size and modification time; `states`, `seen`: see tree_stamp)."""
    folders = [settings["PATH"], settings["THEME"], *settings.get("PLUGIN_PATHS", [])]
    parts = [described]
    parts += [settings_file.read_text(encoding="utf-8"), __version__, pelican_version]
    base = settings_file.parent
    parts += [tree_stamp(base / folder, states=states, seen=seen) for folder in folders]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _stable(value: object) -> bool:
    return " at 0x" not in repr(value)  # an object's address differs from run to run


def unchanged_since_last_run(stamp_file: Path, inputs: str, output: Path) -> bool:
    """True when Pelican would write what it wrote last time: the same inputs, and the output
    as that run left it (the search index aside). Then the run is not needed."""
    last = read_json_object(stamp_file)
    return (
        last.get("inputs") == inputs
        and output.is_dir()
        and last.get("output") == tree_stamp(output, skip=SEARCH_OUTPUT)
    )


def build_site(settings_file: Path, overrides: dict | None = None) -> Path:
    """Run Pelican with `settings_file` (plus `overrides`), then index the output for search.

    Returns the output folder. A build that starts from an empty output folder (the publish
    settings' DELETE_OUTPUT_DIRECTORY) is made beside it, in `.<output>-next/`, and swapped in
    once it is complete and indexed: a kill never leaves the site without pages or search.
    """
    settings = read_settings(str(settings_file), override=overrides or {})
    output = Path(settings["OUTPUT_PATH"])
    if not settings.get("DELETE_OUTPUT_DIRECTORY"):
        settings = build_pages(settings_file, overrides)
        index_site(output, stamps=Path(settings["CACHE_PATH"]) / SEARCH_STAMPS)
        return output
    recover_swap(output)
    staging = output.with_name(f".{output.name}-next")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        settings = build_pages(settings_file, {**(overrides or {}), "OUTPUT_PATH": str(staging)})
        index_site(staging, stamps=Path(settings["CACHE_PATH"]) / SEARCH_STAMPS)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, output)
    return output
