"""Pre-deploy checks: a built site is published only when none of them finds a problem.

Each check reads the output folder and returns `Problem`s; `check_site` runs them all. They hold
for any site that `invoke build --settings publishconf.py` writes, whatever the theme or plugins.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
from lxml import etree

from broadsheet.files import read_json_object, write_atomic
from broadsheet.site.pages import Page, Site, read_page

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED_SUFFIXES = (".atom", ".rss", ".atom.xml", ".rss.xml")
TEXT_SUFFIXES = frozenset({".html", ".xml", ".atom", ".rss", ".txt", ".css", ".js", ".json"})
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript"})
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "0.0.0.0"})
BUNDLE_LIST = "search/bundles.json"
SECRETS_SCAN_CACHE = "secrets.json"  # in the deploy cache folder: detect-secrets' findings
SEARCH_ENTRY = "pagefind/pagefind-entry.json"
LOCAL_BUILD = (
    "a local preview (no sitemap.xml or robots.txt); the checks are for what is published: "
    "build that with `invoke build --settings publishconf.py`, then check again"
)
PREVIEW_SKIPS = (
    "a local preview: sitemap.xml, robots.txt and the feeds' links are checked on what is "
    "published (`invoke build --settings publishconf.py && invoke check`)"
)


@dataclass(frozen=True, order=True)
class Problem:
    """One reason not to publish: which check, which output file, what is wrong."""

    check: str
    path: str
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.path}: {self.detail}"


def is_preview(root: Path) -> bool:
    """Whether `root` holds the local preview a plain `invoke build` makes (relative links,
    no sitemap.xml or robots.txt) rather than a publish build."""
    return not any((root / name).is_file() for name in ("sitemap.xml", "robots.txt"))


def check_site(
    root: Path,
    site_url: str = "",
    secrets: Iterable[str] = (),
    scan_cache: Path | None = None,
    *,
    preview: bool = False,
) -> list[Problem]:
    """Every problem found in the built site at `root`, sorted; empty when it may be published.

    `site_url` is the address the site is published at (links to it count as internal);
    `secrets` are values (tokens) that must appear nowhere in the output; `scan_cache` is a
    file keeping detect-secrets' findings per file, so that unchanged files are not scanned again.
    A local preview is a problem in itself (it is not for publishing) unless `preview`: then it
    gets the checks that hold for it too, all but the sitemap, robots.txt and feeds.
    """
    if not (root / "index.html").is_file():
        return [Problem("site", str(root), "no index.html: build the site first (invoke build)")]
    local = is_preview(root)
    if local and not preview:
        return [Problem("site", str(root), LOCAL_BUILD)]
    site = Site.scan(root, site_url)
    pages = [read_page(root, path) for path in sorted(site.files) if path.endswith(".html")]
    problems = [
        *check_pages(pages),
        *check_links(site, pages),
        *check_css_links(site),
        *check_search_index(site),
        *check_not_found_page(site),
        *check_leaks(site, machine_paths(root.resolve().parent), secrets, scan_cache),
    ]
    if not local:
        # a preview's feeds link relatively (no SITEURL): only a publish build's resolve
        problems += [*check_sitemap(site, pages), *check_robots(site), *check_feeds(site, pages)]
    return sorted(set(problems))


def check_pages(pages: Iterable[Page]) -> Iterator[Problem]:
    for page in pages:
        if not page.title:
            yield Problem("title", page.path, "the page has no <title>")
        if not page.lang:
            yield Problem("lang", page.path, "the page's <html> has no lang attribute")


def _link_problem(site: Site, link: str, source: str) -> Problem | None:
    parts = urlsplit(link.strip())
    scheme = parts.scheme.lower()
    if scheme in UNSAFE_SCHEMES:
        return Problem("unsafe link", source, f"{link[:60]} would run script")
    if scheme == "file":
        return Problem("local path", source, f"{link} points to this machine")
    if site.is_external(link):
        if parts.hostname in LOCAL_HOSTS:
            return Problem("local path", source, f"{link} points to this machine")
        return None
    target = site.target(link, source)
    if target is None or site.resolve(target):
        return None
    return Problem("broken link", source, f"{link} -> no file {target or 'index.html'}")


def check_links(site: Site, pages: Iterable[Page]) -> Iterator[Problem]:
    """Every internal link and asset of every page resolves to a file of the output."""
    seen: dict[tuple[str, str], Problem | None] = {}  # pages share most links (menus, assets)
    for page in pages:
        folder = page.path.rpartition("/")[0]
        for link in (*page.links, *page.feeds):
            key = (link, "" if link.startswith(("/", "http:", "https:")) else folder)
            if key not in seen:
                seen[key] = _link_problem(site, link, page.path)
            if seen[key]:
                yield Problem(seen[key].check, page.path, seen[key].detail)


def check_css_links(site: Site) -> Iterator[Problem]:
    """Fonts and images named by url() in the stylesheets exist."""
    from broadsheet.site.hosting import css_urls

    for path in sorted(p for p in site.files if p.endswith(".css")):
        for link in css_urls((site.root / path).read_text("utf-8", errors="replace")):
            problem = _link_problem(site, link, path)
            if problem:
                yield problem


def _listed_page(site: Site, url: str, redirects: frozenset[str]) -> str | None:
    """Why a sitemap URL is not a real page of the site, or None when it is one."""
    if site.site_url and not url.startswith(site.site_url + "/") and url != site.site_url:
        return f"{url} is not under the site's address {site.site_url}"
    found = site.resolve(site.target(url, "index.html") or "")
    if not found:
        return f"{url} -> no such page"
    if found == "404.html" or found in redirects:
        return f"{url} is {'the not-found page' if found == '404.html' else 'a redirect'}"
    return None


def check_sitemap(site: Site, pages: Iterable[Page]) -> Iterator[Problem]:
    """sitemap.xml exists, parses and lists only real pages (no 404, no redirect stubs)."""
    if "sitemap.xml" not in site.files:
        yield Problem("sitemap", "sitemap.xml", "missing: build with publishconf.py")
        return
    try:
        tree = etree.parse(site.root / "sitemap.xml")
    except etree.XMLSyntaxError as error:
        yield Problem("sitemap", "sitemap.xml", f"not valid XML: {error}")
        return
    redirects = frozenset(page.path for page in pages if page.refresh)
    locs = [(loc.text or "").strip() for loc in tree.iter(f"{SITEMAP_NS}loc")]
    if not locs:
        yield Problem("sitemap", "sitemap.xml", "lists no page")
    for url in locs:
        reason = _listed_page(site, url, redirects)
        if reason:
            yield Problem("sitemap", "sitemap.xml", reason)


def check_robots(site: Site) -> Iterator[Problem]:
    """robots.txt exists and names a sitemap of this site that exists."""
    if "robots.txt" not in site.files:
        yield Problem("robots", "robots.txt", "missing: build with publishconf.py")
        return
    lines = (site.root / "robots.txt").read_text("utf-8").splitlines()
    sitemaps = [
        line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")
    ]
    if not sitemaps:
        yield Problem("robots", "robots.txt", "has no Sitemap: line")
    for url in sitemaps:
        target = site.target(url, "index.html") if not site.is_external(url) else None
        if not (target and site.resolve(target)):
            yield Problem("robots", "robots.txt", f"Sitemap: {url} is not a file of this site")


def check_feeds(site: Site, pages: Iterable[Page]) -> Iterator[Problem]:
    """Every feed (linked from a page or named *.atom/*.rss) parses; its entries' links resolve."""
    feeds = {p for p in site.files if p.endswith(FEED_SUFFIXES)}
    for page in pages:
        for link in page.feeds:
            target = None if site.is_external(link) else site.target(link, page.path)
            if target and target in site.files:
                feeds.add(target)
    for path in sorted(feeds):
        parsed = feedparser.parse((site.root / path).read_bytes())
        if parsed.bozo or not parsed.version:
            reason = parsed.get("bozo_exception") or "not an Atom or RSS feed"
            yield Problem("feed", path, f"does not parse: {reason}")
            continue
        for entry in parsed.entries:
            problem = _link_problem(site, entry.get("link", ""), path)
            if problem:
                yield Problem("feed", path, f"entry {entry.get('title', '')!r}: {problem.detail}")


def check_search_index(site: Site) -> Iterator[Problem]:
    """Every Pagefind bundle the search page merges exists and holds pages."""
    bundles = [SEARCH_ENTRY.removesuffix("pagefind-entry.json")]
    if BUNDLE_LIST in site.files:
        try:
            listed = json.loads((site.root / BUNDLE_LIST).read_text("utf-8"))["bundles"]
            bundles = [bundle["path"] for bundle in listed]
        except (ValueError, KeyError, TypeError) as error:
            yield Problem("search", BUNDLE_LIST, f"unreadable: {error!r}")
            return
    for folder in bundles:
        yield from _check_bundle(site, folder)


def _check_bundle(site: Site, folder: str) -> Iterator[Problem]:
    entry = f"{folder}pagefind-entry.json"
    if entry not in site.files or f"{folder}pagefind.js" not in site.files:
        yield Problem("search", folder, "no Pagefind index: run the build's search step")
        return
    try:
        languages = json.loads((site.root / entry).read_text("utf-8"))["languages"]
    except (ValueError, KeyError) as error:
        yield Problem("search", entry, f"unreadable: {error!r}")
        return
    if not sum(language.get("page_count", 0) for language in languages.values()):
        yield Problem("search", entry, "the index holds no page")
    for language in languages.values():
        meta = f"{folder}pagefind.{language.get('hash')}.pf_meta"
        if meta not in site.files:
            yield Problem("search", entry, f"{meta} is missing")


def check_not_found_page(site: Site) -> Iterator[Problem]:
    if "404.html" not in site.files:
        yield Problem("404", "404.html", "missing: hosts serve it for unknown addresses")


# detect-secrets' detectors of real credentials (keys, tokens, private keys, passwords in URLs);
# its entropy, keyword and IP detectors would flag fingerprints, hashes and news text
SECRET_DETECTORS = (
    "AWSKeyDetector", "ArtifactoryDetector", "AzureStorageKeyDetector", "BasicAuthDetector",
    "CloudantDetector", "DiscordBotTokenDetector", "GitHubTokenDetector", "GitLabTokenDetector",
    "IbmCloudIamDetector", "IbmCosHmacDetector", "JwtTokenDetector", "MailchimpDetector",
    "NpmDetector", "OpenAIDetector", "PrivateKeyDetector", "PypiTokenDetector",
    "SendGridDetector", "SlackDetector", "SoftlayerDetector", "SquareOAuthDetector",
    "StripeDetector", "TelegramBotTokenDetector", "TwilioKeyDetector",
)  # fmt: skip


def machine_paths(project: Path) -> list[str]:
    """This machine's folders that a page must never name: the project's, the user's home,
    and every home folder (/home/*, /root)."""
    found = {str(project.resolve()), str(Path.home())}
    homes = Path("/home")
    if homes.is_dir():
        found.update(str(home) for home in homes.iterdir() if home.is_dir())
    found.add("/root")
    return sorted(path for path in found if path not in ("/", ""))


def _path_pattern(paths: Iterable[str]) -> re.Pattern | None:
    # a path as a path: not inside a URL or a longer word (example.com/root/ is not /root)
    alternatives = "|".join(re.escape(p) for p in sorted(set(paths), key=len, reverse=True))
    return re.compile(rf"(?<![\w.~%/:@-])(?:{alternatives})(?![\w.-])") if alternatives else None


def _scanner_id() -> str:
    """What a cached finding depends on besides the file: detect-secrets' version and detectors."""
    from importlib.metadata import version

    return f"detect-secrets {version('detect-secrets')}: {','.join(SECRET_DETECTORS)}"


def _cached_findings(entry: object, digest: str) -> list[tuple[int, str]] | None:
    """An entry's findings when it is well formed and for these bytes; None means scan again."""
    if not isinstance(entry, dict) or entry.get("sha256") != digest:
        return None
    found = entry.get("found")
    if not isinstance(found, list) or not all(
        isinstance(item, list)
        and len(item) == 2
        and isinstance(item[0], int)
        and isinstance(item[1], str)
        for item in found
    ):
        return None
    return [(line, kind) for line, kind in found]


def check_leaks(
    site: Site, local_paths: Iterable[str], secrets: Iterable[str], scan_cache: Path | None = None
) -> Iterator[Problem]:
    """No text file holds a local folder's absolute path, the value of a secret of the
    environment, or a credential detect-secrets recognises; each finding names file:line.

    detect-secrets is most of the checks' time, so its findings are kept in `scan_cache` by the
    file's sha256 and reused while the file, detect-secrets and its detectors are unchanged."""
    from detect_secrets.core import scan
    from detect_secrets.settings import transient_settings

    scanner = _scanner_id()
    kept = read_json_object(scan_cache)
    kept_files = kept.get("files") if kept.get("scanner") == scanner else None
    kept_files = kept_files if isinstance(kept_files, dict) else {}
    scanned: dict[str, dict] = {}
    pattern = _path_pattern(p for p in local_paths if p != "/")
    # a secret is named by its length only, so that the report does not leak it
    needles = [(s, f"a secret ({len(s)} characters)") for s in secrets if s]
    plugins = {"plugins_used": [{"name": name} for name in SECRET_DETECTORS]}
    with transient_settings(plugins):
        for path in sorted(site.files):
            if Path(path).suffix not in TEXT_SUFFIXES:
                continue
            data = (site.root / path).read_bytes()
            # as read_text reads it: universal newlines, so line numbers match an editor's
            text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
            found = [
                (match.start(), f"contains the local path {match.group()}")
                for match in (pattern.finditer(text) if pattern else ())
            ]
            for needle, shown in needles:
                at = text.find(needle)
                while at >= 0:
                    found.append((at, f"contains {shown}"))
                    at = text.find(needle, at + 1)
            lines = [text.count("\n", 0, at) + 1 for at, _ in found]
            for line, (_, shown) in zip(lines, found, strict=True):
                yield Problem("leak", f"{path}:{line}", shown)
            digest = hashlib.sha256(data).hexdigest()
            credentials = _cached_findings(kept_files.get(path), digest)
            if credentials is None:
                credentials = [
                    (secret.line_number, secret.type)
                    for secret in scan.scan_file(str(site.root / path))
                ]
            scanned[path] = {"sha256": digest, "found": [list(item) for item in credentials]}
            for line, kind in credentials:
                shown = f"contains a secret ({kind}, found by detect-secrets)"
                yield Problem("leak", f"{path}:{line}", shown)
    if scan_cache is not None:
        kept = {"scanner": scanner, "files": scanned}
        write_atomic(scan_cache, json.dumps(kept, sort_keys=True, separators=(",", ":")))
