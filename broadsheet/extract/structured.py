"""Structured metadata that publishers put in a page's head: JSON-LD, OpenGraph, <meta>.

It is more reliable than guesses from the visible text, so read_html prefers it for dates,
section, authors and the publisher. Values come back as raw, whitespace-normalised text;
read_html turns them into dates and display names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, SoupStrainer, Tag

# schema.org types that describe the article itself (not the site or a breadcrumb)
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "AnalysisNewsArticle",
        "BackgroundNewsArticle",
        "OpinionNewsArticle",
        "ReportageNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
    }
)
# "Site Name | Section" separators in <title>
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|--|\u2013|\u2014|::|\u00bb|\u00b7)\s+")
_SUFFIX_MAX_WORDS = 4  # "| Yonhap News Agency", "-- Puppet Masters", "| CNN Politics"
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|written by|reporting by|from)\s+", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None  # <title> without the site-name suffix
    headline: str | None = None  # JSON-LD headline, else og:title
    published: str | None = None
    modified: str | None = None
    authors: tuple[str, ...] = ()
    section: str | None = None
    site_name: str | None = None  # og:site_name, else the JSON-LD publisher's name
    publisher: str | None = None  # the JSON-LD publisher's name
    url: str | None = None
    lang: str | None = None
    captions: tuple[str, ...] = ()
    article_body: str | None = None  # JSON-LD articleBody: a fallback for script-built pages
    tags: tuple[str, ...] = ()  # article:tag, JSON-LD keywords, news_keywords (comma-separated)


# Only these tags are built into a tree: a full tree of a big page costs more than
# trafilatura's whole extraction.
_WANTED_TAGS = SoupStrainer(["title", "meta", "link", "script", "figcaption"])
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


def read_metadata(html: str) -> PageMetadata:
    """Everything the page states about itself in structured form."""
    soup = BeautifulSoup(html, "lxml", parse_only=_WANTED_TAGS)
    article = _jsonld_article(soup)
    meta = _meta_values(soup)
    site_name = meta.get("og:site_name")
    publisher = _name_of(article.get("publisher"))
    authors = (
        _authors(article.get("author"))
        or _authors([a for a in meta.getall("article:author") if not _is_url(a)])
        or _authors(meta.getall("author"))
    )
    return PageMetadata(
        title=_title_without_site(_text(soup.title.get_text()) if soup.title else None),
        headline=_text(article.get("headline")) or meta.get("og:title"),
        published=_text(article.get("datePublished"))
        or meta.first("article:published_time", "datepublished", "pubdate", "date", "dc.date")
        or _time_element(soup, "datePublished"),
        modified=_text(article.get("dateModified"))
        or meta.first("article:modified_time", "og:updated_time", "datemodified")
        or _time_element(soup, "dateModified"),
        authors=authors,
        section=_first_text(article.get("articleSection")) or meta.get("article:section"),
        site_name=site_name or publisher,
        publisher=publisher,
        url=meta.get("og:url") or _canonical(soup) or _url_of(article),
        lang=_lang(html, article),
        captions=_captions(soup),
        article_body=_text(article.get("articleBody")),
        tags=_tags(
            [*meta.getall("article:tag"), article.get("keywords"), meta.get("news_keywords")]
        ),
    )


def split_byline(text: str) -> tuple[str, ...]:
    """Names in a byline: "By Jane Roe, John Doe and Kim Lee" -> three names."""
    text = _BYLINE_PREFIX.sub("", " ".join(text.split()))
    names = (name.strip(" .") for name in _BYLINE_SPLIT.split(text))
    return _unique(name for name in names if name and not _is_url(name))


class _MetaValues:
    """<meta> contents by lower-cased property/name/itemprop, in page order."""

    def __init__(self) -> None:
        self.values: dict[str, list[str]] = {}

    def add(self, key: str, value: str) -> None:
        self.values.setdefault(key.lower(), []).append(value)

    def get(self, key: str) -> str | None:
        found = self.values.get(key)
        return found[0] if found else None

    def getall(self, key: str) -> list[str]:
        return self.values.get(key, [])

    def first(self, *keys: str) -> str | None:
        return next((value for key in keys if (value := self.get(key))), None)


def _meta_values(soup: BeautifulSoup) -> _MetaValues:
    values = _MetaValues()
    for tag in soup.find_all("meta"):
        content = _text(tag.get("content"))
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = tag.get(attribute)
            if isinstance(key, str) and key.strip():
                values.add(key.strip(), content)
    return values


def _jsonld_article(soup: BeautifulSoup) -> dict:
    """The first JSON-LD item typed as an article, with @id references resolved."""
    items: list[dict] = []
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.IGNORECASE)):
        try:
            data = json.loads(script.string or "", strict=False)
        except (json.JSONDecodeError, RecursionError):
            continue  # a broken block does not spoil the others
        items.extend(_items(data))
    by_id = {item["@id"]: item for item in items if isinstance(item.get("@id"), str)}
    for item in items:
        types = item.get("@type")
        types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        if ARTICLE_TYPES.intersection(t for t in types if isinstance(t, str)):
            return {key: _resolve(value, by_id) for key, value in item.items()}
    return {}


def _items(data: object) -> Iterator[dict]:
    """Dicts of a JSON-LD block: top level, lists, and @graph members."""
    if isinstance(data, list):
        for entry in data:
            yield from _items(entry)
    elif isinstance(data, dict):
        yield data
        yield from _items(data.get("@graph"))


def _resolve(value: object, by_id: dict[str, dict]) -> object:
    """Replace {"@id": ...} references (common in @graph blocks) by the item they name."""
    if isinstance(value, list):
        return [_resolve(entry, by_id) for entry in value]
    if isinstance(value, dict) and set(value) == {"@id"}:
        return by_id.get(value["@id"], value)
    return value


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_byline(value)
    if isinstance(value, dict):
        name = _name_of(value)
        return split_byline(name) if name else ()
    if isinstance(value, list):
        return _unique(name for entry in value for name in _authors(entry))
    return ()


def _name_of(value: object) -> str | None:
    if isinstance(value, list):
        return next((name for entry in value if (name := _name_of(entry))), None)
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _url_of(article: dict) -> str | None:
    page = article.get("mainEntityOfPage")
    return _text(article.get("url")) or _text(page.get("@id") if isinstance(page, dict) else page)


def _time_element(soup: BeautifulSoup, itemprop: str) -> str | None:
    """<time itemprop="datePublished" datetime="..."> (microdata)."""
    tag = soup.find(attrs={"itemprop": itemprop})
    return _text(tag.get("datetime") or tag.get("content")) if isinstance(tag, Tag) else None


def _canonical(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    href = _text(link.get("href")) if isinstance(link, Tag) else None
    # a relative canonical ("8003098") cannot be resolved reliably without a page URL
    return href if href and href.startswith(("http://", "https://")) else None


def _lang(html: str, article: dict) -> str | None:
    """The primary language subtag of <html lang> or the JSON-LD inLanguage."""
    match = _HTML_LANG.search(html, 0, 20_000)
    code = match.group(1) if match else _text(article.get("inLanguage"))
    primary = re.split(r"[-_]", code)[0].lower() if code else ""
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _tags(values: list[object]) -> tuple[str, ...]:
    """Tags from strings ("a, b"), lists of strings, or both."""
    found = []
    for value in values:
        for entry in value if isinstance(value, list) else [value]:
            text = _text(entry)
            found += [tag.strip() for tag in text.split(",")] if text else []
    return _unique(tag for tag in found if tag)


def _captions(soup: BeautifulSoup) -> tuple[str, ...]:
    return _unique(
        caption for tag in soup.find_all("figcaption") if (caption := _text(tag.get_text(" ")))
    )


def _title_without_site(title: str | None) -> str | None:
    """'Headline | Section | Site' -> 'Headline': drop short trailing parts."""
    while title:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            break
        last = separators[-1]
        head, tail = title[: last.start()], title[last.end() :]
        if not head.strip() or len(tail.split()) > _SUFFIX_MAX_WORDS:
            break
        title = head
    return title


def _first_text(value: object) -> str | None:
    if isinstance(value, list):
        return next((text for entry in value if (text := _text(entry))), None)
    return _text(value)


def _text(value: object) -> str | None:
    """Whitespace-normalised text of a scalar value, or None when empty or not text."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _is_url(text: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)", text.strip(), re.IGNORECASE))


def _unique(names: Iterator[str] | list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())
