"""Read a built site: which files it holds, what each HTML page links to, where a link lands.

Shared by the pre-deploy checks (checks.py) and the hosting step (hosting.py), so that both
agree on what "a link to a file of the site" means.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

# URLs with these schemes never point into the output folder
EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data", "ftp", "irc", "sms"})
FEED_TYPES = frozenset({"application/atom+xml", "application/rss+xml"})


@dataclass(frozen=True)
class Page:
    """What the checks and the hosting step need to know about one HTML file."""

    path: str  # relative to the output folder, POSIX separators
    title: str
    lang: str
    links: tuple[str, ...]  # every href/src/srcset/action/url() as written in the page
    feeds: tuple[str, ...]  # <link rel=alternate> feed URLs
    refresh: str | None  # target of a <meta http-equiv=refresh>: the page is a redirect stub


def list_files(root: Path) -> frozenset[str]:
    """Every file below `root`, as POSIX paths relative to it."""
    return frozenset(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def read_page(root: Path, path: str) -> Page:
    doc = lxml.html.document_fromstring((root / path).read_bytes())
    links: list[str] = []
    refresh = None
    for element, attribute, link, _ in doc.iterlinks():
        if element.tag == "meta":
            refresh = link
        elif attribute != "srcset":
            links.append(link)
    # lxml does not read srcset: "a.jpg 1x, b.jpg 2x" -> a.jpg, b.jpg
    for element in doc.xpath("//*[@srcset]"):
        links += [part.split()[0] for part in element.get("srcset").split(",") if part.strip()]
    feeds = tuple(
        link.get("href", "")
        for link in doc.xpath("//link[@rel='alternate'][@href]")
        if link.get("type", "").lower() in FEED_TYPES
    )
    title = doc.findtext(".//title") or ""
    return Page(
        path, " ".join(title.split()), (doc.get("lang") or "").strip(), tuple(links), feeds, refresh
    )


@dataclass(frozen=True)
class Site:
    """The output folder as served at `site_url` (empty for a site with relative URLs only)."""

    root: Path
    files: frozenset[str]
    site_url: str = ""

    @classmethod
    def scan(cls, root: Path, site_url: str = "") -> Site:
        return cls(root, list_files(root), site_url.rstrip("/"))

    @cached_property
    def base_path(self) -> str:
        """URL path of the site's root, with a trailing slash ("/" or "/news/")."""
        return urlsplit(self.site_url).path.rstrip("/") + "/"

    @cached_property
    def netloc(self) -> str:
        return urlsplit(self.site_url).netloc

    def url_path(self, path: str) -> str:
        """URL path under which the file `path` is served."""
        return self.base_path + path

    def is_external(self, link: str) -> bool:
        parts = urlsplit(link)
        if parts.scheme.lower() in EXTERNAL_SCHEMES or parts.netloc:
            return not (self.site_url and parts.netloc == self.netloc)
        return False

    def target(self, link: str, source: str) -> str | None:
        """The output path that an internal `link` written in file `source` points to.

        None for a link that stays on the same page (`#top`, `?q=`). The path may name a
        missing file, or start with "../" when the link leaves the site: `resolve` tells.
        """
        parts = urlsplit(link.strip())
        if not parts.path:
            return None
        path = posixpath.join(posixpath.dirname(self.url_path(source)), unquote(parts.path))
        normal = posixpath.normpath(path)
        if path.endswith("/") and not normal.endswith("/"):
            normal += "/"
        if not normal.startswith(self.base_path):
            return "../" + normal.lstrip("/")
        return normal[len(self.base_path) :]

    def resolve(self, path: str) -> str | None:
        """The file a host serves for `path` (a folder serves its index.html), or None."""
        if path.startswith("../"):
            return None
        if path in self.files:
            return path
        index = posixpath.join(path, "index.html") if path else "index.html"
        return index if index in self.files else None
