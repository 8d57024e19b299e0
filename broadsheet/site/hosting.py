"""Make a built site ready for static hosting: fingerprinted CSS/JS names, robots.txt, and the
`_headers` / `_redirects` files that Netlify and Cloudflare Pages read.

`register()` makes this module a Pelican plugin (publishconf.py lists it in PLUGINS). It runs on
pelican-granular-signals' "optimize" signal: after Pelican and the sitemap plugin have written
everything, before pelican-precompress (signal "compress") writes the .gz/.br copies, so that the
compressed copies match the rewritten pages. Everything else here is plain functions of the
output folder.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from broadsheet.site.pages import Site, read_page

DEFAULT_FINGERPRINT_FOLDERS = ("theme",)  # Pagefind's files keep their names: its JS loads them
ASSET_SUFFIXES = (".css", ".js")
FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.(css|js)$")
IMMUTABLE = "public, max-age=31536000, immutable"
SITE_HEADERS = (
    "X-Content-Type-Options: nosniff",
    "Referrer-Policy: strict-origin-when-cross-origin",
)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)["']?\s*\)|@import\s+["']([^"']+)["']""")


def css_urls(css: str) -> list[str]:
    """Every URL a stylesheet names in url(...) or @import "..."."""
    return [match.group(1) or match.group(2) for match in CSS_URL.finditer(css)]


def fingerprint_names(root: Path, folders: Iterable[str]) -> dict[str, str]:
    """{current path: fingerprinted path} for every CSS/JS file below `folders` of `root`.

    One fingerprint covers the whole set, so that a stylesheet that imports another one gets a
    new name too when only the imported one changed.
    """
    assets = sorted(
        path.relative_to(root).as_posix()
        for folder in folders
        for path in (root / folder).rglob("*")
        if path.suffix in ASSET_SUFFIXES and path.is_file() and not FINGERPRINTED.search(path.name)
    )
    digest = hashlib.sha256()
    for asset in assets:
        digest.update(asset.encode() + b"\0" + (root / asset).read_bytes() + b"\0")
    version = digest.hexdigest()[:10]
    return {asset: re.sub(r"(\.\w+)$", rf".{version}\1", asset) for asset in assets}


def rewrite_references(site: Site, path: str, text: str, renamed: Mapping[str, str]) -> str:
    """`text` of file `path` with every reference to a renamed asset pointing to its new name."""
    names = sorted({Path(old).name for old in renamed}, key=len, reverse=True)
    if not any(name in text for name in names):
        return text
    # a quoted or url()-wrapped URL whose last segment is one of the assets' names
    alternatives = "|".join(map(re.escape, names))
    pattern = re.compile(rf"""(?<=["'(])([^"'()\s<>]*?(?<![\w.-])(?:{alternatives}))(?=[?#"')])""")

    def swap(match: re.Match[str]) -> str:
        link = match.group(1)
        target = None if site.is_external(link) else site.target(link, path)
        if target not in renamed:
            return link
        return link[: -len(Path(target).name)] + Path(renamed[target]).name

    return pattern.sub(swap, text)


def remove_stale_fingerprints(root: Path, folders: Iterable[str]) -> None:
    """Delete fingerprinted files (and their compressed copies) left by an earlier build."""
    for path in [p for folder in folders for p in (root / folder).rglob("*")]:
        if FINGERPRINTED.search(path.name.removesuffix(".gz").removesuffix(".br")):
            path.unlink()


def fingerprint_assets(site: Site, folders: Iterable[str]) -> dict[str, str]:
    """Rename CSS/JS files to fingerprinted names and point every page and stylesheet at them."""
    root = site.root
    renamed = fingerprint_names(root, folders)
    for old, new in renamed.items():
        (root / old).rename(root / new)
        for compressed in (root / f"{old}.gz", root / f"{old}.br"):
            compressed.unlink(missing_ok=True)
    referrers = [p for p in site.files if p.endswith(".html")]
    referrers += [renamed.get(p, p) for p in site.files if p.endswith(".css")]
    for path in sorted(referrers):
        text = (root / path).read_text("utf-8")
        new_text = rewrite_references(site, path, text, renamed)
        if new_text != text:
            (root / path).write_text(new_text, "utf-8")
    return renamed


def robots_txt(site_url: str) -> str:
    lines = ["User-agent: *", "Disallow:"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"


def headers_file(immutable: Iterable[str]) -> str:
    """Netlify/Cloudflare `_headers`: safe defaults, long caching for the fingerprinted files."""
    blocks = ["/*\n" + "".join(f"  {header}\n" for header in SITE_HEADERS)]
    blocks += [f"/{path}\n  Cache-Control: {IMMUTABLE}\n" for path in sorted(immutable)]
    return "".join(blocks)


def redirects(site: Site) -> list[tuple[str, str]]:
    """(from, to) URL paths for each redirect stub page (a <meta http-equiv=refresh> page)."""
    found = []
    for path in sorted(p for p in site.files if p.endswith(".html")):
        if b"refresh" not in (site.root / path).read_bytes().lower():
            continue  # not a redirect stub: skip parsing it
        target = read_page(site.root, path).refresh
        if target is None:
            continue
        source = "/" + path.removesuffix("index.html")
        if site.is_external(target):
            found.append((source, target))
        elif (resolved := site.target(target, path)) is not None and site.resolve(resolved):
            found.append((source, "/" + resolved))
    return found


def redirects_file(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f"{source} {target} 301\n" for source, target in pairs)


def prepare_for_hosting(root: Path, site_url: str, folders: Iterable[str]) -> None:
    """Fingerprint assets, then write robots.txt, _headers and (when needed) _redirects."""
    folders = tuple(folders)
    remove_stale_fingerprints(root, folders)
    renamed = fingerprint_assets(Site.scan(root, site_url), folders)
    (root / "robots.txt").write_text(robots_txt(site_url), "utf-8")
    (root / "_headers").write_text(headers_file(renamed.values()), "utf-8")
    pairs = redirects(Site.scan(root, site_url))
    if pairs:
        (root / "_redirects").write_text(redirects_file(pairs), "utf-8")


def _on_optimize(pelican) -> None:
    settings = pelican.settings
    prepare_for_hosting(
        Path(settings["OUTPUT_PATH"]),
        settings.get("SITEURL", ""),
        settings.get("BROADSHEET_FINGERPRINT_FOLDERS", DEFAULT_FINGERPRINT_FOLDERS),
    )


def register() -> None:
    """Pelican plugin entry point: run `prepare_for_hosting` before pelican-precompress."""
    import blinker
    from pelican.plugins import granular_signals

    granular_signals.register()
    blinker.signal("optimize").connect(_on_optimize)
