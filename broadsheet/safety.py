"""Checks applied to untrusted scraped values before they reach a page."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_href(href: str | None, base: str | None = None) -> str | None:
    """An absolute http(s)/mailto URL for a scraped link, or None when it is unsafe or empty.

    `javascript:`, `data:`, `vbscript:` and friends are dropped, as are links that only
    make sense relative to a page we do not publish (unless `base` resolves them).
    """
    if not href:
        return None
    # browsers ignore ASCII control characters and whitespace inside the scheme
    cleaned = "".join(ch for ch in href.strip() if ch >= " " and ch != "\x7f")
    if base:
        cleaned = urljoin(base, cleaned)
    parts = urlsplit(cleaned)
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return cleaned
