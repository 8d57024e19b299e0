"""Structured metadata that publishers put in a page: JSON-LD, OpenGraph, <meta>, and the
visible headline and byline elements.

It is more reliable than guesses from the text, so read_html prefers it for dates, section,
authors and the publisher. Everything is read from the one lxml tree that trafilatura and
htmldate also get (parse_page). Values come back as whitespace-normalised text; read_html
turns them into dates and display names, and titles.py picks the headline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial

import lxml.html
import trafilatura
import trafilatura.metadata
import trafilatura.utils
from lxml import etree
from lxml.html import HtmlElement

from broadsheet.extract.bylines import people

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


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None  # <title>, as written (often with the site's name)
    headline: str | None = None  # JSON-LD headline, else og:title
    og_title: str | None = None  # og:title, else twitter:title
    h1s: tuple[str, ...] = ()  # the page's first <h1> headings, as shown
    published: str | None = None
    modified: str | None = None
    authors: tuple[str, ...] = ()  # from JSON-LD or <meta>
    section: str | None = None
    site_name: str | None = None  # og:site_name, else the JSON-LD publisher's name
    publisher: str | None = None  # the JSON-LD publisher's name
    url: str | None = None
    lang: str | None = None
    captions: tuple[str, ...] = ()
    article_body: str | None = None  # JSON-LD articleBody: a fallback for script-built pages
    tags: tuple[str, ...] = ()  # article:tag, JSON-LD keywords, news_keywords (comma-separated)
    shown_lines: tuple[str, ...] = ()  # short texts the page prints: where its headline may be
    stated_times: tuple[str, ...] = ()  # dates with a time of day in <meta>, as written
    # reads the names in the page's visible byline: only when asked for (`bylines`), as
    # most pages name their authors in their data, and trafilatura's search is costly
    read_bylines: Callable[[], tuple[str, ...]] = field(default=tuple, repr=False, compare=False)

    @cached_property
    def bylines(self) -> tuple[str, ...]:
        """Names in the page's visible byline elements, or in a "By Jane Roe" line."""
        return self.read_bylines()


_HTML_LANG = re.compile(r"[A-Za-z]{2,3}")
# elements that hold a visible byline: rel/itemprop author, or a class or id naming the
# author or byline in a few languages (case-insensitive)
_NAMES_AUTHOR = re.compile("author|byline|autor|auteur|writer|posted-by|verfasser")
_NOT_BYLINE_TAGS = frozenset({"script", "style", "img", "meta", "link"})
# an element that names the headline by its class (case-sensitive) or microdata
_NAMES_HEADLINE = re.compile("headline|entry-title|post-title|article-title|story-title")
_NOT_HEADLINE_TAGS = frozenset({"meta", "script", "a"})
_MAX_HEADLINE_CHARS = 300
_LINE_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "a", "b", "strong", "font", "span", "td", "p")
_BY_ALONE = re.compile(r"\s*by:?\s*", re.IGNORECASE)
_BY_LINE = re.compile(r"\s*by:?\s+\S", re.IGNORECASE)
_MAX_BYLINE_WORDS = 12
_MAX_BYLINE_CHARS = 120  # longer text under an author class is a bio, not a byline
_MAX_HEADINGS = 5
_INVISIBLE = ("script", "style", "template")
_CLOCK = re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d")  # "2022-03-10T16:59:41"
_MAX_TIME_CHARS = 40
_NAMED = etree.XPath(".//*[@itemprop='name']")
_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)
_JSONLD = "//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]"
# what an element that trafilatura's byline search (its extract_author XPaths, which are
# case-sensitive) reads has in its class or id
_TRAFILATURA_AUTHOR_MARKS = re.compile(
    "uthor|yline|byl|BBL|username|screenname|writer|channel-name|submitted-by|posted-by"
    "|journalist-name|zuozhe|bianji|xiaobian"
)


@dataclass(frozen=True)
class _Marked:
    """The body's elements that mark themselves as a byline or a headline (by class, id,
    rel or itemprop), in page order: found in one walk over the body, as an XPath over
    every element's lower-cased class costs more than the rest of the page's reading."""

    bylines: tuple[HtmlElement, ...]
    headlines: tuple[HtmlElement, ...]


def _marked(tree: HtmlElement) -> _Marked:
    bylines, headlines = [], []
    for body in _bodies(tree):
        for element in body.iter(etree.Element):
            if element is body:
                continue
            attributes = element.attrib
            if not attributes:
                continue
            tag = element.tag
            classes = attributes.get("class", "")
            itemprop = attributes.get("itemprop")
            named = f"{classes} {attributes.get('id', '')}".lower()
            if tag not in _NOT_BYLINE_TAGS and (
                itemprop == "author"
                or attributes.get("rel") == "author"
                or _NAMES_AUTHOR.search(named)
            ):
                bylines.append(element)
            if tag not in _NOT_HEADLINE_TAGS and (
                itemprop == "headline" or _NAMES_HEADLINE.search(classes)
            ):
                headlines.append(element)
    return _Marked(tuple(bylines), tuple(headlines))


def _bodies(tree: HtmlElement) -> list[HtmlElement]:
    """The <body> elements not inside another one (broken pages may nest them)."""
    return [body for body in tree.iter("body") if next(body.iterancestors("body"), None) is None]


# trafilatura's parser (its utils.HTML_PARSER), less lxml.html's element class lookup:
# that one is Python code, run for every element object any walk over the tree or its
# copies makes (trafilatura's own walks included), a tenth of a page's reading time; the
# C-level default gives the same HtmlElement (only no form-field classes, which nothing
# here uses)
_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse_page(html: str) -> HtmlElement | None:
    """The page's tree, parsed once and handed to every step that reads it (trafilatura,
    htmldate, the metadata): as trafilatura.load_html parses a text, with its repairs and
    its test of a document, but with `_PARSER`."""
    beginning = html[:50].lower()
    html = trafilatura.utils.repair_faulty_html(html, beginning)
    try:
        tree = lxml.html.fromstring(html, parser=_PARSER)
    except (ValueError, etree.LxmlError):  # ValueError: a text that declares its encoding
        tree = None
    if tree is None or len(tree) < 1:
        tree = _parsed_bytes(html)
    if tree is not None and trafilatura.utils.is_dubious_html(beginning) and len(tree) < 2:
        return None  # not a document: a fragment or plain text
    return tree


def _parsed_bytes(html: str) -> HtmlElement | None:
    try:
        return lxml.html.fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.LxmlError, ValueError):
        return None


def read_metadata(tree: HtmlElement) -> PageMetadata:
    """Everything the page states about itself in structured form."""
    article = _jsonld_article(tree)
    meta = _meta_values(tree)
    site_name = meta.get("og:site_name")
    publisher = _name_of(article.get("publisher"))
    title = tree.find(".//title")
    marked = _marked(tree)
    texts = _text_nodes(tree)
    return PageMetadata(
        title=_text(title.text_content()) if title is not None else None,
        headline=_text(article.get("headline")) or meta.get("og:title"),
        og_title=meta.first("og:title", "twitter:title"),
        h1s=_headings(tree, marked.headlines),
        published=_text(article.get("datePublished"))
        or meta.first(
            "article:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "dc.date.issued",
            "dcterms.date",
            "sailthru.date",
            "parsely-pub-date",
        )
        or _time_element(tree, "datePublished"),
        modified=_text(article.get("dateModified"))
        or meta.first("article:modified_time", "og:updated_time", "datemodified")
        or _time_element(tree, "dateModified"),
        authors=_authors(article.get("author"))
        or _authors([a for a in meta.getall("article:author") if not _is_url(a)])
        or _authors(
            meta.getall("author")
            or meta.getall("dc.creator")
            or meta.getall("parsely-author")
            or meta.getall("sailthru.author")
        ),
        read_bylines=partial(_shown_bylines, tree, marked.bylines, texts),
        section=_first_text(article.get("articleSection")) or meta.get("article:section"),
        site_name=site_name or publisher,
        publisher=publisher,
        url=meta.get("og:url") or _canonical(tree) or _url_of(article),
        lang=_lang(tree, article),
        captions=_unique(
            caption for tag in tree.iter("figcaption") if (caption := _text(tag.text_content()))
        ),
        article_body=_text(article.get("articleBody")),
        tags=_tags(
            [*meta.getall("article:tag"), article.get("keywords"), meta.get("news_keywords")]
        ),
        shown_lines=_shown_lines(tree, texts),
        stated_times=_unique(
            value
            for values in meta.values.values()
            for value in values
            if len(value) <= _MAX_TIME_CHARS and _CLOCK.search(value)
        ),
    )


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


def _meta_values(tree: HtmlElement) -> _MetaValues:
    values = _MetaValues()
    for tag in tree.iter("meta"):
        # some pages put it in `value` (<meta itemprop="datePublished" value="...">)
        content = _text(tag.get("content") or tag.get("value"))
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = tag.get(attribute)
            if key and key.strip():
                values.add(key.strip(), content)
    return values


def _jsonld_article(tree: HtmlElement) -> dict:
    """The first JSON-LD item typed as an article, with @id references resolved."""
    items: list[dict] = []
    for script in tree.xpath(_JSONLD):
        try:
            data = json.loads(script.text or "", strict=False)
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
        return people(value)
    if isinstance(value, dict):
        name = _name_of(value)
        return people(name) if name else ()
    if isinstance(value, list):
        return _unique(name for entry in value for name in _authors(entry))
    return ()


def _shown_bylines(
    tree: HtmlElement, elements: Iterable[HtmlElement], texts: list[str]
) -> tuple[str, ...]:
    return _bylines(tree, elements) or _printed_byline(texts)


def _bylines(tree: HtmlElement, elements: Iterable[HtmlElement]) -> tuple[str, ...]:
    """Names in the first visible byline element (of `elements`) that names anyone."""
    for element in elements:
        named = _NAMED(element)
        # the parts' text apart: "<span>Author</span>Andreas Kalt" is not "AuthorAndreas"
        text = _text(" ".join((named[0] if named else element).itertext()))
        if text and len(text) <= _MAX_BYLINE_CHARS and (names := people(text)):
            return names
    # trafilatura's byline search knows more page layouts ("posted by", author boxes)
    found = trafilatura.metadata.extract_author(tree) if _may_name_author(tree) else None
    return people(found.replace(";", ",")) if found else ()


def _may_name_author(tree: HtmlElement) -> bool:
    """Whether trafilatura's byline search can find anything: most pages that reach it
    have no element it reads, and it costs a copy of the whole tree and regular
    expressions over every element (a walk here costs a fraction of that)."""
    for element in tree.iter(etree.Element):
        attributes = element.attrib
        if element.tag in ("author", "rel"):
            return True
        if not attributes:
            continue
        marked = f"{attributes.get('class', '')} {attributes.get('id', '')}"
        if (
            _TRAFILATURA_AUTHOR_MARKS.search(marked)
            or "author" in attributes.get("rel", "")
            or "author" in attributes.get("itemprop", "")
            or "uthor" in attributes.get("data-testid", "")
            or "Byline" in attributes.get("data-component", "")
        ):
            return True
    return False


def _printed_byline(lines: list[str]) -> tuple[str, ...]:
    """The names of the first "By Jane Roe" line the page prints (a "By" of its own joins
    the line after it: "By <a>Jane Roe</a>")."""
    for i, line in enumerate(lines):
        if _BY_ALONE.fullmatch(line) and i + 1 < len(lines):
            line = f"{line} {lines[i + 1]}"
        short = len(line.split()) <= _MAX_BYLINE_WORDS
        if short and _BY_LINE.match(line) and (names := people(line)):
            return names
    return ()


def _text_nodes(tree: HtmlElement) -> list[str]:
    """The body's texts in page order, less what no reader sees: script, style and
    template content (an old page's body is full of `document.write(...)`); <noscript>
    stays, as some pages put their whole text in one."""
    body = tree.find(".//body")
    if body is None:
        return []
    texts = []
    for text in _visible_texts(body):
        if words := text.split():
            texts.append(" ".join(words))
    return texts


def _visible_texts(element: HtmlElement) -> list[str]:
    # the element's text nodes in page order (as its itertext(), which makes an object for
    # every element it passes), less the texts of invisible elements (a script's is its own)
    hidden = {tag.text for tag in element.iter(*_INVISIBLE) if tag.text}
    texts = _TEXT_NODES(element)
    return [text for text in texts if text not in hidden] if hidden else texts


def _visible_text(element: HtmlElement, holders: Container[HtmlElement]) -> str | None:
    """An element's text, less any script or style inside it (`holders`: the elements that
    hold one)."""
    if element not in holders:
        return _text(element.text_content())
    return _text("".join(_visible_texts(element)))


def _headings(tree: HtmlElement, headlines: Iterable[HtmlElement]) -> tuple[str, ...]:
    """The page's <h1> headings, then the elements that call themselves its headline."""
    found = [_text(h1.text_content()) for h1 in tree.iter("h1")]
    found += [_text(element.text_content()) for element in headlines]
    texts = (text for text in found if text and len(text) <= _MAX_HEADLINE_CHARS)
    return _unique(texts)[:_MAX_HEADINGS]


def _shown_lines(tree: HtmlElement, texts: list[str]) -> tuple[str, ...]:
    """Short texts of the page's body: each of its text nodes (`texts`), and each small
    inline or cell element (a headline may be split by markup: "<b>Jewell</b> close to
    striker move")."""
    body = tree.find(".//body")
    if body is None:
        return ()
    # in page order; a long text keeps its start, which finds the article's first paragraph
    found = [text[:_MAX_HEADLINE_CHARS] for text in texts]
    holders = {holder for tag in body.iter(*_INVISIBLE) for holder in tag.iterancestors()}
    elements = (_visible_text(element, holders) for element in body.iter(*_LINE_TAGS))
    found += [text for text in elements if text and len(text) <= _MAX_HEADLINE_CHARS]
    return tuple(found)


def _name_of(value: object) -> str | None:
    if isinstance(value, list):
        return next((name for entry in value if (name := _name_of(entry))), None)
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _url_of(article: dict) -> str | None:
    page = article.get("mainEntityOfPage")
    return _text(article.get("url")) or _text(page.get("@id") if isinstance(page, dict) else page)


def _time_element(tree: HtmlElement, itemprop: str) -> str | None:
    """<time itemprop="datePublished" datetime="..."> (microdata)."""
    for tag in tree.xpath("//*[@itemprop=$name]", name=itemprop):
        if value := _text(tag.get("datetime") or tag.get("content")):
            return value
    return None


def _canonical(tree: HtmlElement) -> str | None:
    for link in tree.xpath("//link[@rel='canonical']"):
        href = _text(link.get("href"))
        # a relative canonical ("8003098") cannot be resolved reliably without a page URL
        return href if href and href.startswith(("http://", "https://")) else None
    return None


def _lang(tree: HtmlElement, article: dict) -> str | None:
    """The primary language subtag of <html lang> or the JSON-LD inLanguage."""
    code = tree.getroottree().getroot().get("lang") or _text(article.get("inLanguage"))
    primary = re.split(r"[-_]", code.strip())[0].lower() if code else ""
    return primary if _HTML_LANG.fullmatch(primary) else None


def _tags(values: list[object]) -> tuple[str, ...]:
    """Tags from strings ("a, b"), lists of strings, or both."""
    found = []
    for value in values:
        for entry in value if isinstance(value, list) else [value]:
            text = _text(entry)
            found += [tag.strip() for tag in text.split(",")] if text else []
    return _unique(tag for tag in found if tag)


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


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())
