"""Pelican settings for publishing (what `invoke deploy` builds): absolute URLs, feeds, sitemap,
robots.txt, fingerprinted CSS/JS with _headers/_redirects, and gzip/brotli copies of text files.

The site's public address comes from `site_url` in deploy.toml, or BROADSHEET_SITE_URL.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # Pelican loads this file by path

from broadsheet.publish.settings import load_settings
from pelicanconf import *  # noqa: F403
from pelicanconf import PLUGINS

SITEURL = load_settings(Path(__file__).resolve().with_name("deploy.toml")).site_url
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/sections/{slug}.atom.xml"

# The published copy holds exactly this build (the build's search step re-indexes it), and
# never reuses content cached by a preview build made with other URLs.
DELETE_OUTPUT_DIRECTORY = True
CACHE_PATH = ".cache/pelican-publish"
# Undated articles are drafts until an editor dates them: they are not published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# Order matters only for readability: broadsheet.site.hosting runs on the "optimize" signal, after
# the sitemap is written and before precompress compresses the output.
PLUGINS = [
    *PLUGINS,
    "pelican.plugins.sitemap",
    "broadsheet.site.hosting",
    "pelican.plugins.precompress",
]
SITEMAP = {"format": "xml", "exclude": [r"^404\.html$"]}
BROADSHEET_FINGERPRINT_FOLDERS = ["theme"]
PRECOMPRESS_GZIP = True
PRECOMPRESS_BROTLI = True
PRECOMPRESS_ZSTANDARD = False  # no static host serves .zst copies
PRECOMPRESS_OVERWRITE = True
