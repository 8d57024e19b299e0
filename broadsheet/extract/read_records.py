"""Read scraper records (.json / .jsonl) into Articles, one per record.

Scrapers name their fields in many ways; we map the common names. A bad record becomes a
Failure with its index, and the good records of the same file still become articles.
Text is repaired where its bytes allow (mojibake such as "donâ€™t", by ftfy), and the
lines and phrases that recur across a source's records (a share bar, a sign-off; learned by
boilerplate.learn_templates from `record_texts`) leave the body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import ftfy

from broadsheet.extract.boilerplate import Templates
from broadsheet.extract.bylines import people
from broadsheet.extract.credits import is_caption
from broadsheet.extract.dates import DateValue, parse_date, zone
from broadsheet.extract.paragraphs import sentences, split_paragraphs
from broadsheet.extract.publishers import Publisher, Publishers, display_name_for_host, host_of
from broadsheet.extract.read_html import html_fragment_blocks, section_name
from broadsheet.records import Article, Block, ExtractResult, Failure, InputFile
from broadsheet.safety import safe_href

# Field names scrapers use, compared without case, "_" or "-" (pubDate = pub_date).
FIELDS: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "canonical_url", "permalink", "source_url"),
    "title": ("title", "headline"),
    "published": (
        "date",
        "published",
        "published_at",
        "publish_date",
        "published_date",
        "pubdate",
        "date_published",
        "datePublished",
        "created_at",
    ),
    "modified": (
        "modified",
        "updated",
        "updated_at",
        "modified_at",
        "date_modified",
        "last_modified",
    ),
    "text": ("text", "body", "content", "article", "article_text", "maintext", "full_text"),
    "html": ("html", "body_html", "content_html", "raw_html"),
    "section": ("section", "category", "categories", "article_section", "department"),
    "authors": ("authors", "author", "byline", "by", "creator"),
    "source": ("source", "site_name", "sitename", "publisher", "source_name", "outlet"),
    "lang": ("lang", "language"),
    "tags": ("tags", "keywords", "news_keywords"),
}
# Top-level keys under which a .json file may hold its list of records
LIST_KEYS = ("articles", "items", "records", "data")
# URL path words that are places in a site, not sections
# fmt: off
_NOT_SECTIONS = frozenset({
    "news", "article", "articles", "story", "stories", "view", "content", "entry", "post",
    "posts", "blog", "blogs", "amp", "index", "home", "en", "www", "epaper", "indepth",
    "features", "feature", "wirestory", "pressreview", "programmes", "html", "htm", "php",
    "aspx", "id", "page", "pages", "item", "items", "node", "a", "p", "s", "doc", "docs",
    "detail", "details",
})
# fmt: on
# one or two words; two letters only in capitals (US, UK), as "en" or "de" is a language
_SECTION_WORD = re.compile(r"(?:[A-Za-z]{3,20}|[A-Z]{2})(?:-[A-Za-z]{3,20})?")
_LOOKS_LIKE_HTML = re.compile(r"</?(?:p|div|br|a|h[1-6]|ul|ol|li|blockquote|span|article)\b", re.I)
_MAX_TITLE_CHARS = 120  # a title made from the first sentence, when the record has none
# ftfy's encoding repairs only: curly quotes, ligatures and full-width forms are the
# publisher's own writing and stay as they are
_REPAIR = ftfy.TextFixerConfig(
    uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False, normalization=None
)


def read_records(
    file: InputFile,
    *,
    publishers: Publishers,
    templates: Templates | None = None,
    first_line: int = 0,
) -> ExtractResult:
    """One Article per record of a .json (object, list, {"articles": [...]}) or .jsonl file;
    `templates` holds the boilerplate learned across records. `first_line` is the number of
    the file's first line when `file` holds a part of a large .jsonl (read part by part)."""
    result = ExtractResult()
    for index, record in _records(file, result, first_line):
        outcome = _article(record, index, file, publishers, templates or Templates())
        if isinstance(outcome, Article):
            result.articles.append(outcome)
        else:
            result.failures.append(Failure(file.path, outcome, record=index))
    if not result.articles and not result.failures and not first_line:
        result.failures.append(Failure(file.path, "no records in the file"))
    return result


def record_texts(file: InputFile) -> Iterator[tuple[str, str]]:
    """(source, text) of each record with a text, for learning a source's boilerplate; the
    source is the record's own, else its URL's host, else the file."""
    for _, record in _records(file, ExtractResult()):
        if isinstance(record, dict):
            fields = _fields(record)
            if text := _text(fields.get("text"), keep_lines=True):
                url = _text(fields.get("url"))
                yield _name(fields.get("source")) or host_of(url) or file.path, text


def section_from_url(url: str | None) -> str | None:
    """A section word from a URL path (/Politics/2017/... -> Politics), never an id,
    a year or the article's own slug."""
    if not url:
        return None
    segments = [unquote(s) for s in urlsplit(url).path.split("/") if s]
    for segment in segments[:-1]:  # the last segment names the article itself
        if _SECTION_WORD.fullmatch(segment) and segment.casefold() not in _NOT_SECTIONS:
            return section_name(segment.replace("-", " "))
    return None


def _records(
    file: InputFile, result: ExtractResult, first_line: int = 0
) -> Iterator[tuple[int, object]]:
    """(index, parsed value) for each record; unreadable lines go to result.failures."""
    text = file.text.lstrip("\ufeff")
    name = file.path.lower().removesuffix(".gz")
    if not name.endswith((".jsonl", ".ndjson")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            if not error.msg.startswith("Extra data"):  # else: JSON Lines named .json
                result.failures.append(Failure(file.path, f"invalid JSON: {_describe(error)}"))
                return
        else:
            yield from enumerate(_listed(data))
            return
    for index, line in enumerate(text.splitlines(), first_line):
        if not line.strip():
            continue
        try:
            yield index, json.loads(line)
        except json.JSONDecodeError as error:
            message = f"invalid JSON on line {index + 1}: {_describe(error)}"
            result.failures.append(Failure(file.path, message, record=index))


def _listed(data: object) -> list[object]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
    return [data]


def _describe(error: json.JSONDecodeError) -> str:
    return f"{error.msg} (line {error.lineno}, column {error.colno})"


def _article(
    record: object, index: int, file: InputFile, publishers: Publishers, templates: Templates
) -> Article | str:
    """The article of one record, or the reason there is none."""
    if not isinstance(record, dict):
        return f"a record must be a JSON object, not {_json_type(record)}"
    fields = _fields(record)
    url = safe_href(_text(fields.get("url")))
    body = _body(fields, url, templates)
    captions = tuple(block.text for block in body if is_caption(block.text))
    body = [block for block in body if not is_caption(block.text)]
    title = _text(fields.get("title")) or _title_from(body)
    if not title:
        return "the record has neither a title nor any text"
    source, publisher = _source(_name(fields.get("source")), url, publishers)
    timezone = publisher.timezone if publisher else None
    section = _name(fields.get("section"))
    return Article(
        title=title,
        body=tuple(body),
        scraped_from=file.path,
        scraped_sha256=file.sha256,
        record=index,
        published=_date(fields.get("published"), timezone),
        modified=_date(fields.get("modified"), timezone),
        section=section_name(section) if section else section_from_url(url),
        source=source,
        authors=_authors(fields.get("authors")),
        url=url,
        lang=_lang(_text(fields.get("lang"))),
        tags=_tags(fields.get("tags")),
        captions=captions,
    )


def _fields(record: dict) -> dict[str, object]:
    """The record's values under our names; the first non-empty alias wins."""
    folded = {_fold(key): value for key, value in record.items() if isinstance(key, str)}
    fields = {}
    for name, aliases in FIELDS.items():
        for alias in aliases:
            value = folded.get(_fold(alias))
            if value not in (None, "", [], {}):
                fields[name] = value
                break
    return fields


def _fold(key: str) -> str:
    return key.casefold().replace("_", "").replace("-", "")


def _body(fields: dict[str, object], url: str | None, templates: Templates) -> list[Block]:
    text = _text(fields.get("text"), keep_lines=True)
    html = _text(fields.get("html"), keep_lines=True)
    if text and not html and _LOOKS_LIKE_HTML.search(text):
        text, html = None, text  # a "content" field holding markup
    if text:
        text = _without_boilerplate(text, templates)
        return [Block.paragraph(paragraph) for paragraph in split_paragraphs(text)]
    if html:
        return html_fragment_blocks(html, url)
    return []


def _without_boilerplate(text: str, templates: Templates) -> str:
    """The text without its source's boilerplate lines and phrases (line breaks and indents,
    which mark wire copy's paragraphs, are kept)."""
    lines = text.split("\n")
    marks = templates.marks([line.strip() for line in lines])
    kept = [line for line, template in zip(lines, marks, strict=True) if not template]
    return templates.without_phrases("\n".join(kept))


def _title_from(body: list[Block]) -> str | None:
    """A title for a record without one: its first sentence, shortened if need be."""
    first = next((sentence for block in body for sentence in sentences(block.text)), None)
    if not first or len(first) <= _MAX_TITLE_CHARS:
        return first
    return first[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def _date(value: object, timezone: str | None) -> DateValue | None:
    tz = zone(timezone)
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return moment.astimezone(tz) if tz else moment
    text = _text(value)
    parsed = parse_date(text, timezone) if text else None
    if isinstance(parsed, datetime) and tz is not None:
        return parsed.astimezone(tz)  # same instant, in the publisher's zone
    return parsed


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        names = (name for entry in value for name in _authors(entry))
        return tuple(dict.fromkeys(names))
    name = _name(value)
    return people(name) if name else ()


def _name(value: object) -> str | None:
    """Text of a value that may be a string, {"name": ...} or a list of those."""
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list):
        return next((name for entry in value if (name := _name(entry))), None)
    return _text(value)


def _source(
    name: str | None, url: str | None, publishers: Publishers
) -> tuple[str | None, Publisher | None]:
    """The display name of the record's source, and the publisher settings that apply."""
    if name:
        known = publishers.by_name(name)
        return (known.name if known else name), known or publishers.by_url(url)
    known = publishers.by_url(url)
    if known:
        return known.name, known
    host = host_of(url)
    return (display_name_for_host(host) if host else None), None


def _tags(value: object) -> tuple[str, ...]:
    """A publisher's tags: a list of strings, or one comma-separated string."""
    entries = value if isinstance(value, list) else [value]
    tags = (tag.strip() for entry in entries if isinstance(entry, str) for tag in entry.split(","))
    return tuple(dict.fromkeys(tag for tag in tags if tag))


def _lang(code: str | None) -> str | None:
    """'en', 'en-US' -> 'en'; names such as 'English' are not codes and are dropped."""
    match = re.fullmatch(r"([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]+)*", code or "")
    return match.group(1).lower() if match else None


def _text(value: object, *, keep_lines: bool = False) -> str | None:
    """A value's text, mojibake repaired; whitespace collapsed unless `keep_lines`."""
    if not isinstance(value, str):
        return None
    if not value.isascii():  # mojibake is always made of non-ASCII characters
        value = ftfy.fix_text(value, _REPAIR)
    text = value.strip("\n\r") if keep_lines else " ".join(value.split())
    return text if text.strip() else None


def _json_type(value: object) -> str:
    names = {list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")
