"""Build the website from content/: Pelican with the project plugin, then the search index."""

from __future__ import annotations

from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from .search import index_site


def build_site(settings_file: Path, overrides: dict | None = None) -> Path:
    """Run Pelican with `settings_file` (plus `overrides`), then index the output for search.

    Returns the output folder.
    """
    settings = read_settings(str(settings_file), override=overrides or {})
    pelican = Pelican(settings)
    pelican.run()
    output = Path(settings["OUTPUT_PATH"])
    index_site(output)
    return output
