"""Read a saved HTML page into an Article.

trafilatura finds the main text (kept as structured XML: paragraphs, headings, lists,
quotes, links); the page's structured data (see structured.py) supplies the dates,
section, authors and publisher when it has them, since it beats guesses from the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence, Set
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from functools import partial

import trafilatura
from bs4 import BeautifulSoup
from htmldate import find_date
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.settings import Document

from broadsheet.extract.credits import is_caption
from broadsheet.extract.dates import DATE_TEXT, DateValue, day_of, find_dates, parse_date, zone
from broadsheet.extract.paragraphs import split_paragraphs
from broadsheet.extract.publishers import Publisher, Publishers, display_name_for_host, host_of
from broadsheet.extract.structured import PageMetadata, parse_page, read_metadata
from broadsheet.extract.titles import choose_headline, line_above
from broadsheet.records import Article, Block, ExtractResult, Failure, InputFile, Span
from broadsheet.safety import safe_href

# Saved article pages are under 5 million characters (the biggest sample, a CNN page, is
# 2.9 million, mostly scripts). Bigger files are refused at once rather than let one file
# hold a worker for minutes and gigabytes; trafilatura itself stops at 20 MB.
MAX_PAGE_CHARS = 20_000_000
# Above this, scripts, styles, comments and inline base64 data are cut before parsing:
# they are most of a big page's weight and none of its article.
LEAN_PAGE_CHARS = 2_000_000
# Fewer words of running text than this means there is no article (a menu, a gallery).
MIN_ARTICLE_WORDS = 25
_HEAVY_PARTS = (
    # scripts, except the JSON-LD blocks that structured.py reads
    re.compile(r"<script\b(?![^>]*ld\+json)[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL),
    re.compile(r"<(style|svg|noscript)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL),
    re.compile(r"data:[\w/+.-]+;base64,[\w+/=]+"),
)
# what trafilatura discards unread when it cleans the page, cut before its copies of the
# tree (it copies the whole page several times): scripts (not the JSON-LD, which tells it a
# forum thread), styles and <meta> (its metadata search is off). Not <link>: on broken
# pages the parser may put the article inside one.
_UNREAD = "//script[not(contains(@type, 'ld+json'))]|//style|//meta"
# control characters (not tab, newline, vertical tab, form feed or carriage return), as
# bytes: UTF-8 encodes nothing else below 0x20, so deleting them from the encoded sample
# counts them (bytes.translate is a plain C loop: a regex scan cost more than all the rest
# of this check); U+FFFD, the decoder's mark for an undecodable byte, is counted apart
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])
_MARKUP = re.compile(r"<\s*[a-zA-Z!]")
_HEADING_LEVEL = {"h1": "h2", "h2": "h2"}  # the page's own h1 is the title
_LIST_KINDS = {"ol": "oli"}
_TEXT_BLOCKS = ("p", "quote")
_LIST_ITEMS = ("li", "oli")
_DATELINE_CHARS = 60  # a longer line that holds a date is a sentence, not a dateline
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_NUMERIC_DAY = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_MAX_OFFSET = timedelta(hours=14)  # the widest zone offset (UTC+14)
_LEAD_WORDS = 8  # a paragraph this long is the article's text, not a kicker or byline
_UPDATE = re.compile(r"updated|modified|edited|revised", re.IGNORECASE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def read_html(file: InputFile, *, publishers: Publishers) -> ExtractResult:
    """The article in one saved page, or a Failure saying why there is none."""
    html, refusal = _checked_markup(file.text)
    tree = parse_page(html) if not refusal else None
    if tree is None:
        reason = refusal or "no HTML document could be parsed from the file"
        return ExtractResult(failures=[Failure(file.path, reason)])
    meta = read_metadata(tree)
    url = safe_href(meta.url)
    document = _extract(tree) or _extract(tree, comments=True)
    body = extract_blocks(document.body, url) if document is not None else []
    if _words_of_text(body) < MIN_ARTICLE_WORDS and meta.article_body:
        # pages built by script often carry their text only in JSON-LD
        body = [Block.paragraph(text) for text in split_paragraphs(meta.article_body)]
    source, publisher = _source(meta, url, publishers)
    own_names = _own_names(meta, source, publisher, url)
    first_paragraph = next((b.text for b in body if len(b.text.split()) >= _LEAD_WORDS), "")
    title = choose_headline(
        meta.h1s,
        (meta.headline, meta.og_title, meta.title),
        own_names,
        meta.shown_lines,
        line_above(meta.shown_lines, first_paragraph) if first_paragraph else None,
    )
    body = _without_repeats(body, {title, meta.headline, *meta.captions})
    kept, caught = [], []
    for block in body:
        (caught if is_caption(block.text) else kept).append(block)
    captions = meta.captions + tuple(block.text for block in caught)
    body = kept
    if _words_of_text(body) < MIN_ARTICLE_WORDS:
        return ExtractResult(
            failures=[Failure(file.path, "no article text found: the page has only navigation")]
        )
    if not title:
        return ExtractResult(failures=[Failure(file.path, "no title found in the page")])
    timezone = publisher.timezone if publisher else None
    lines = datelines(meta.shown_lines)
    printed = printed_days(lines)
    article = Article(
        title=title,
        body=tuple(body),
        scraped_from=file.path,
        scraped_sha256=file.sha256,
        published=_published(
            meta.published,
            partial(_page_date, tree, url, _date(meta.published, None), printed),
            timezone,
            lines,
            meta.stated_times,
            printed,
        ),
        modified=_date(meta.modified, timezone),
        section=section_name(meta.section) if meta.section else None,
        source=source,
        authors=_authors(meta, own_names),
        url=url,
        lang=meta.lang,
        captions=tuple(dict.fromkeys(captions)),
        tags=meta.tags,
    )
    return ExtractResult(articles=[article])


def extract_blocks(body: _Element, base_url: str | None) -> list[Block]:
    """Body blocks from trafilatura's XML body; links kept only when safe."""
    blocks: list[Block] = []
    for element in body:
        blocks.extend(_element_blocks(element, base_url))
    return blocks


def html_fragment_blocks(html: str, base_url: str | None) -> list[Block]:
    """Body blocks of an HTML fragment (a scraper record's `html` field)."""
    tree = parse_page(f"<html><body><article>{html}</article></body></html>")
    document = _extract(tree) if tree is not None else None
    if document is not None and (blocks := extract_blocks(document.body, base_url)):
        return blocks
    # too short for trafilatura to call it an article: keep its visible text
    soup = BeautifulSoup(html, "lxml")
    for invisible in soup(["script", "style", "noscript", "template"]):
        invisible.decompose()
    text = soup.get_text("\n")
    return [Block.paragraph(paragraph) for paragraph in split_paragraphs(text)]


def _checked_markup(text: str) -> tuple[str, str | None]:
    """The markup to parse, or why the file cannot be an HTML page."""
    if not text or text.isspace():
        return text, "empty file"
    sample = text[:65536]
    if _binary_chars(sample) > len(sample) // 100:
        return text, "binary data, not an HTML page"
    if not _MARKUP.search(sample):
        return text, "no HTML markup found (plain text saved as .html?)"
    if len(text) > MAX_PAGE_CHARS:
        return text, (
            f"page refused: {len(text) / 1e6:.1f} million characters "
            f"(limit {MAX_PAGE_CHARS / 1e6:.0f} million; an article page is rarely over 5)"
        )
    if len(text) > LEAN_PAGE_CHARS:
        for pattern in _HEAVY_PARTS:
            text = pattern.sub("", text)
    return text, None


def _binary_chars(text: str) -> int:
    """How many characters of `text` are control characters or U+FFFD."""
    encoded = text.encode("utf-8", "surrogatepass")
    controls = len(encoded) - len(encoded.translate(None, _CONTROL_BYTES))
    return controls + text.count("\ufffd")


def _extract(tree: HtmlElement, *, comments: bool = False) -> Document | None:
    """trafilatura's main text, as its XML body; the metadata is read by structured.py
    from the same tree. Comment sections are cut from the page first, unless `comments`:
    then trafilatura keeps them apart from the text (and they are left out), as a page
    whose article sits in an element named for comments ("CommentsItem") loses its whole
    text to the cut. No URL: trafilatura would resolve every link of the page against the
    site's root, where extract_blocks resolves the body's links against the page's own URL.
    "xml" only spares the plain-text rendering of the body, which is not read."""
    return trafilatura.bare_extraction(
        tree,
        output_format="xml",
        with_metadata=False,
        include_comments=comments,
        favor_precision=True,
        include_formatting=True,
        include_links=True,
        include_tables=True,
        prune_xpath=_UNREAD,
    )


def _page_date(
    tree: HtmlElement, url: str | None, stated: DateValue | None, printed: Set[date]
) -> str | None:
    """The publication day htmldate finds in the page: its metadata, then the visible page
    (the original date, not an update). Its extensive search (free text, through dateparser:
    most of a page's reading time, and seconds per process to load its languages) only runs
    when the structured data states no date and the quick search found none, or one the
    page never prints among the days its datelines print (`printed`): the quick search's
    last resort is any date-like string in the text."""
    found = find_date(tree, url=url, original_date=True, extensive_search=False)
    if stated:
        return found
    if found and (not printed or _iso_day(found) in printed):
        return found
    return find_date(tree, url=url, original_date=True, extensive_search=True)


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _published(
    stated: str | None,
    page_day: Callable[[], str | None],
    timezone: str | None,
    lines: Sequence[str],
    stated_times: Sequence[str],
    printed: Set[date],
) -> DateValue | None:
    """The structured data's date, else htmldate's day (`page_day` reads it: only when
    needed, as it is a search of the whole page), checked against the datelines the
    page prints (`lines`; `printed`, the days they print). A stated day the page never
    prints gives way to htmldate's when the page prints that one, or to the one day the
    page prints (the data's date is often a later edit or a re-publication).
    A UTC time takes the zone of the page's printed time of the same instant ("November 8,
    2023 at 6:09 p.m." for 01:09Z); without one, a UTC time whose day is next to the day
    htmldate reads gives way to that day: UTC is often the next day (or the one before)
    where the page was published, and the page prints its own day. A local time the page
    states in its <meta> (`stated_times`, "2022-03-10T16:59:41" for 00:59Z) gives the
    zone as a printed time does.
    With no structured date, a time stamp the page prints ("Written: 2023-11-07 15:03:30"),
    not an update's, before any line that prints htmldate's day beats that day (a day
    printed further down is a related story's)."""
    value = _date(stated, timezone)
    if value is None:
        day = _date(page_day(), None)
        return (_printed_stamp(lines, timezone, day) or day) if day else None
    shown = not printed or day_of(value) in printed
    in_utc = isinstance(value, datetime) and value.utcoffset() == timedelta(0)
    if shown and not in_utc:
        return value
    day = _date(page_day(), None)
    if day is None:
        return value
    if not shown:
        if day_of(day) in printed:
            return day
        if len(printed) == 1:
            return next(iter(printed))
    if not in_utc:
        return value
    if local := _as_printed(value, [*lines, *stated_times]):
        return local
    if abs((day_of(value) - day_of(day)).days) == 1:
        return day
    return value


def _printed_stamp(lines: Sequence[str], timezone: str | None, day: date) -> DateValue | None:
    """The first short line that prints a day with its time (not an update's, not a quoted
    value), if it comes before any line that prints `day`."""
    for line in dict.fromkeys(lines):
        if len(line) > _DATELINE_CHARS or not (match := DATE_TEXT.search(line)):
            continue
        if day in {day_of(value) for value in find_dates(line)}:
            return None
        before = line[: match.start()]
        if match.group("time") and not _UPDATE.search(before) and not before.endswith('"'):
            return parse_date(match.group(0), timezone)
    return None


def _as_printed(moment: datetime, lines: Sequence[str]) -> datetime | None:
    """`moment` in the zone of a printed dateline that shows the same instant in local
    time: the same minute, a whole number of quarter hours away, at most 14 hours."""
    for line in lines:
        if len(line) > _DATELINE_CHARS or not DATE_TEXT.search(line):
            continue
        clock = parse_date(line, "UTC")  # the printed clock, read as if it were UTC
        if not isinstance(clock, datetime):
            continue
        offset = clock.replace(second=0, microsecond=0) - moment.replace(second=0, microsecond=0)
        quarters, rest = divmod(offset, timedelta(minutes=15))
        if quarters and not rest and abs(offset) <= _MAX_OFFSET:
            return moment.astimezone(dt_timezone(offset))
    return None


def datelines(lines: Iterable[str]) -> list[str]:
    """The lines a page prints that may be datelines: short, with a date, each once."""
    return [
        line
        for line in dict.fromkeys(lines)  # a line may be both a text and its element's
        # every date has digits: the quick test spares the date pattern most lines
        if len(line) <= _DATELINE_CHARS and _DIGIT.search(line) and DATE_TEXT.search(line)
    ]


def printed_days(lines: Iterable[str]) -> frozenset[date]:
    """The days a page prints as datelines: short lines that are mostly a date ("November
    8, 2023", "Published: Monday, 6 January 2020 10:22")."""
    days = set()
    for line in datelines(lines):
        # "08/11/2023" may be either day: both count
        readings = {True, False} if _NUMERIC_DAY.search(line) else {False}
        days.update(day_of(value) for first in readings for value in find_dates(line, None, first))
    return frozenset(days)


def _element_blocks(element: _Element, base_url: str | None) -> list[Block]:
    tag = element.tag
    if tag == "head":
        kind = _HEADING_LEVEL.get(element.get("rend", ""), "h3")
        return _blocks_of(kind, element, base_url)
    if tag == "list":
        kind = _LIST_KINDS.get(element.get("rend", ""), "li")
        return [block for item in element for block in _item_blocks(kind, item, base_url)]
    if tag == "quote":
        if len(element) and all(child.tag == "p" for child in element):
            return [b for child in element for b in _blocks_of("quote", child, base_url)]
        return _blocks_of("quote", element, base_url)
    if tag == "table":
        return [_row_block(row, base_url) for row in element.iter("row")]
    if tag == "graphic":
        return []
    return _blocks_of("p", element, base_url)


def _item_blocks(kind: str, item: _Element, base_url: str | None) -> list[Block]:
    nested = [child for child in item if child.tag == "list"]
    for child in nested:  # nested lists are flattened after their parent item
        item.remove(child)
    blocks = _blocks_of(kind, item, base_url)
    return blocks + [block for child in nested for block in _element_blocks(child, base_url)]


def _row_block(row: _Element, base_url: str | None) -> Block:
    spans: list[Span] = []
    for cell in row:
        if spans:
            spans.append(Span(" | "))
        spans.extend(span for line in _lines(cell, base_url) for span in line)
    return Block("p", _normalised(spans))


def _blocks_of(kind: str, element: _Element, base_url: str | None) -> list[Block]:
    """One block per line of the element: <br> separates paragraphs on many sites."""
    blocks = []
    for line in _lines(element, base_url):
        spans = _normalised(line)
        if spans:
            blocks.append(Block(kind, spans))  # type: ignore[arg-type]
    return blocks


def _lines(element: _Element, base_url: str | None) -> list[list[Span]]:
    lines: list[list[Span]] = [[]]

    def walk(node: _Element, href: str | None) -> None:
        if node.text:
            lines[-1].append(Span(node.text, href))
        for child in node:
            if child.tag == "lb":
                lines.append([])
            elif child.tag == "ref":
                walk(child, href or safe_href(child.get("target"), base_url))
            elif child.tag != "graphic":
                walk(child, href)
            if child.tail:
                lines[-1].append(Span(child.tail, href))

    walk(element, None)
    return lines


def _normalised(spans: list[Span]) -> tuple[Span, ...]:
    """Collapse whitespace across spans, trim the ends, merge neighbours with one href."""
    merged: list[Span] = []
    for span in spans:
        text = _SPACES.sub(" ", span.text)
        if merged and (not merged[-1].text or merged[-1].text.endswith(" ")):
            text = text.lstrip(" ")
        if not text:
            continue
        if merged and merged[-1].href == span.href:
            merged[-1] = Span(merged[-1].text + text, span.href)
        else:
            merged.append(Span(text, span.href))
    if merged:
        merged[0] = Span(merged[0].text.lstrip(), merged[0].href)
        merged[-1] = Span(merged[-1].text.rstrip(), merged[-1].href)
    return tuple(span for span in merged if span.text)


def _without_repeats(body: list[Block], repeated: set[str | None]) -> list[Block]:
    """Drop blocks that repeat the title or a caption (trafilatura keeps both)."""
    folded = {" ".join(text.split()).casefold() for text in repeated if text}
    return [block for block in body if block.text.casefold() not in folded]


def _words_of_text(body: list[Block]) -> int:
    """Words of running text (paragraphs, quotes, and list items that are not links: a
    story told in a numbered list is text, a menu is not); two CJK characters count as
    one (those scripts put no spaces)."""
    text = " ".join(block.text for block in body if _is_text(block))
    return len(text.split()) + len(_CJK.findall(text)) // 2


def _is_text(block: Block) -> bool:
    if block.kind in _TEXT_BLOCKS:
        return True
    return block.kind in _LIST_ITEMS and not any(span.href for span in block.spans)


def _source(
    meta: PageMetadata, url: str | None, publishers: Publishers
) -> tuple[str | None, Publisher | None]:
    """The publisher's display name: a known publisher first, then what the page says,
    then the domain."""
    for name in (meta.site_name, meta.publisher):
        if publisher := publishers.by_name(name):
            return publisher.name, publisher
    if publisher := publishers.by_url(url):
        return publisher.name, publisher
    if name := meta.site_name or meta.publisher:
        return name, None
    host = host_of(url)
    return (display_name_for_host(host) if host else None), None


def _own_names(
    meta: PageMetadata, source: str | None, publisher: Publisher | None, url: str | None
) -> tuple[str, ...]:
    """The names the page's publisher goes by: never an author, cut from titles."""
    names = [source, meta.site_name, meta.publisher, host_of(url)]
    if publisher:
        names += [publisher.name, *publisher.marks, *publisher.domains]
    return tuple(dict.fromkeys(name for name in names if name))


def _date(text: str | None, timezone: str | None) -> DateValue | None:
    """A parsed date; an aware time is shown in the publisher's zone (same instant)."""
    value = parse_date(text, timezone) if text else None
    tz = zone(timezone)
    if isinstance(value, datetime) and tz is not None:
        return value.astimezone(tz)
    return value


def section_name(text: str) -> str:
    """'politics' -> 'Politics'; names with capitals are kept as the publisher wrote them."""
    text = " ".join(text.split())
    return text.title() if text.islower() else text


def _authors(meta: PageMetadata, own_names: tuple[str, ...]) -> tuple[str, ...]:
    """The people the page names as its authors: its structured data, else its visible
    byline; the page's own publisher ("CNN", "Condé Nast") is not an author. A first name
    alone in the data ("Stefanus") takes the full name the byline shows."""
    not_authors = {name.casefold() for name in own_names}
    stated = [name for name in meta.authors if name.casefold() not in not_authors]
    if stated and all(" " in name for name in stated):
        return tuple(dict.fromkeys(stated))  # the byline is not read: nothing to take from it
    shown = [name for name in meta.bylines if name.casefold() not in not_authors]
    fuller = {
        name: next((full for full in shown if name.casefold() in full.casefold().split()), name)
        for name in stated
        if " " not in name
    }
    return tuple(dict.fromkeys(fuller.get(name, name) for name in stated or shown))
