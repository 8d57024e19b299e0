"""Checks applied to untrusted scraped values before they reach a page."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# ASCII control characters and DEL, which browsers ignore inside a URL's scheme (a regular
# expression: a character-by-character filter in Python cost as much as the URL's parse)
_IGNORED_CHARS = re.compile("[\x00-\x1f\x7f]+")


def safe_href(href: str | None, base: str | None = None) -> str | None:
    """An absolute http(s)/mailto URL for a scraped link, or None when it is unsafe or empty.

    `javascript:`, `data:`, `vbscript:` and friends are dropped, as are links that only
    make sense relative to a page we do not publish (unless `base` resolves them).
    """
    if not href:
        return None
    # browsers ignore ASCII control characters and whitespace inside the scheme
    cleaned = _IGNORED_CHARS.sub("", href.strip())
    if base:
        cleaned = urljoin(base, cleaned)
    parts = urlsplit(cleaned)
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return cleaned
