"""Build the website from content/: Pelican with the project plugin, then the search index."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from broadsheet import __version__
from broadsheet.files import recover_swap, swap_in
from broadsheet.site.search import index_site

SEARCH_STAMPS = "search-stamps.json"  # in Pelican's cache folder: see search.index_site


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
    pelican = Pelican(settings)
    pelican.run()
    return settings


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
