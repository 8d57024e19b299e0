"""Render an Article as Markdown with YAML front-matter and write it: the only module that
writes, places and removes articles.

Scraped text is untrusted. Every string in the front-matter is double-quoted YAML on one
line (so `NO`, `---` or `title: x` stay plain strings), and the body is Markdown in which
every character that could start markup or raw HTML is escaped, so the page shows the
scraped text literally.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import yaml
from slugify import slugify

from broadsheet.extract.dates import day_of, iso
from broadsheet.files import read_json_object, write_atomic, write_if_changed
from broadsheet.manifest import UNKNOWN, Manifest, WrittenArticle
from broadsheet.records import ENTITY_KINDS, Article, Block, Span
from broadsheet.report import IngestReport
from broadsheet.safety import safe_href

MAX_SLUG_LENGTH = 80
_WHITESPACE = re.compile(r"\s+")
# Characters Python-Markdown treats as markup anywhere in a line; a backslash makes them literal.
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")
# At the start of a block these begin lists, rules, fences or definitions (the other block
# markers are escaped inline); they are not backslash-escapable, so they become numeric
# character references.
_BLOCK_START = re.compile(r"^([-=~:])")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# control characters other than whitespace: invisible in a page, and Markdown drops them
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ORDERED_MARKER = re.compile(r"^(\d+)([.)])")
# Characters left as they are inside a link target; the rest (spaces, <, >, quotes) are %-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


class _Quoted(str):
    """A string the front-matter must write double-quoted."""


class _Plain(str):
    """A string written as-is (dates, which YAML then reads as timestamps)."""


class _FrontMatterDumper(yaml.SafeDumper):
    pass


_FrontMatterDumper.add_representer(
    _Quoted,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"'),
)
_FrontMatterDumper.add_representer(
    list, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, True)
)
_FrontMatterDumper.add_representer(
    _Plain, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
)


def clean_text(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) into single spaces."""
    return _WHITESPACE.sub(" ", text).strip()


def escape_inline(text: str) -> str:
    """Escape scraped text so Python-Markdown renders it literally inside a line."""
    text = _WHITESPACE.sub(" ", _CONTROL.sub("", text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def escape_block_start(line: str) -> str:
    """Keep an escaped line from starting a list, rule, fence or definition."""
    line = _ORDERED_MARKER.sub(r"\1\\\2", line)
    return _BLOCK_START.sub(lambda m: f"&#{ord(m.group(1))};", line)


def _render_span(span: Span) -> str:
    text = escape_inline(span.text)
    href = safe_href(span.href)
    if not href or not text.strip():
        return text
    # angle brackets keep spaces and parentheses in the URL from ending the link early
    return f"[{text}](<{quote(href, safe=_URL_SAFE)}>)"


def _render_inline(block: Block) -> str:
    # spans are joined first so that whitespace between them survives
    return escape_block_start(clean_text("".join(_render_span(span) for span in block.spans)))


_BLOCK_PREFIX = {"p": "", "h2": "## ", "h3": "### ", "quote": "> ", "li": "- "}


def render_body(blocks: Iterable[Block]) -> str:
    """Markdown for an article body: blocks separated by blank lines, list items kept together."""
    lines: list[str] = []
    previous: str | None = None
    number = 0
    for block in blocks:
        inline = _render_inline(block)
        if not inline:
            continue
        in_list = block.kind in ("li", "oli")
        if lines and not (in_list and block.kind == previous):
            lines.append("")
            if in_list and previous in ("li", "oli"):
                # Python-Markdown would merge two adjacent lists of different kinds
                lines += ["<!-- -->", ""]
        number = number + 1 if block.kind == "oli" and previous == "oli" else 1
        prefix = f"{number}. " if block.kind == "oli" else _BLOCK_PREFIX[block.kind]
        lines.append(prefix + inline)
        previous = block.kind
    return "\n".join(lines) + "\n" if lines else ""


def _date_value(value: datetime | date) -> _Plain:
    return _Plain(iso(value))


def _quoted(text: str) -> _Quoted:
    # written as the reader gave it (YAML escapes control characters), but lone surrogates,
    # which JSON can smuggle in, cannot be written as UTF-8
    return _Quoted(_SURROGATE.sub("\ufffd", text))


def _strings(values: Iterable[str]) -> list[_Quoted]:
    return [_quoted(v) for v in values if v.strip()]


def front_matter(article: Article, slug: str) -> dict[str, object]:
    """The front-matter fields for an article, in the documented order, empty ones left out."""
    fields: dict[str, object] = {
        "title": _quoted(article.title),
        "slug": _Quoted(slug),
    }
    if article.published is not None:
        fields["date"] = _date_value(article.published)
    if article.modified is not None:
        fields["modified"] = _date_value(article.modified)
    optional = {
        "category": article.section,
        "source": article.source,
        "original_url": safe_href(article.url),
        "lang": article.lang,
        "summary": article.summary,
    }
    for key, value in optional.items():
        if value and value.strip():
            fields[key] = _quoted(value)
    lists = {
        "authors": article.authors,
        **{kind.key: getattr(article, kind.key) for kind in ENTITY_KINDS},
        "topics": article.topics,
        "captions": article.captions,
    }
    for key, values in lists.items():
        if strings := _strings(values):
            fields[key] = strings
    if article.also_published_by:
        fields["also_published_by"] = [
            {
                key: _quoted(value)
                for key, value in (
                    ("source", copy.source),
                    ("url", safe_href(copy.url)),
                    ("scraped_from", copy.scraped_from),
                )
                if value
            }
            for copy in article.also_published_by
        ]
    fields["scraped_from"] = _Quoted(article.input_id)
    fields["scraped_sha256"] = _Quoted(article.scraped_sha256)
    if article.published is None:
        fields["status"] = _Quoted("draft")
        fields["undated"] = True
    return _reorder(fields)


_ORDER = (
    "title", "slug", "date", "modified", "category", "source", "authors", "original_url",
    "lang", "summary", *(kind.key for kind in ENTITY_KINDS), "topics", "captions",
    "also_published_by", "scraped_from", "scraped_sha256", "status", "undated",
)  # fmt: skip


def _reorder(fields: dict[str, object]) -> dict[str, object]:
    return {key: fields[key] for key in _ORDER if key in fields}


def render_article(article: Article, slug: str) -> str:
    """The whole Markdown file for an article."""
    header = yaml.dump(
        front_matter(article, slug),
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=2**31 - 1,  # one value per line: a wrapped line could read as `---`
    )
    return f"---\n{header}---\n\n{render_body(article.body)}"


def article_slug(article: Article) -> str:
    """A URL slug from the title; a hash of the input when the title has no usable letters."""
    slug = slugify(clean_text(article.title), max_length=MAX_SLUG_LENGTH, word_boundary=True)
    return slug or "article-" + hashlib.sha256(article.input_id.encode()).hexdigest()[:10]


def article_relpath(article: Article, slug: str) -> Path:
    """Where the article's Markdown goes under the articles folder."""
    if article.published is None:
        return Path("undated") / f"{slug}.md"
    day = day_of(article.published)
    return Path(f"{day:%Y}") / f"{day:%m}" / f"{day:%d}" / f"{slug}.md"


def content_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Pending:
    """An article to write: a digest of everything its text is made of (the stored input it
    came from, its enrichment, its copies), and how to load it, only when it must be rendered."""

    input_id: str
    made_of: str
    load: Callable[[], Article]


def write_articles(
    articles: Iterable[Pending],
    ids: Collection[str],
    manifest: Manifest,
    out: Path,
    report: IngestReport,
    force: bool = False,
    pending: Path | None = None,
    stamps: Path | None = None,
) -> dict[str, WrittenArticle]:
    """Write each article's Markdown under `out`, keeping slugs stable and people's edits intact
    (unless `force`); `ids` are the articles' input_ids, known before the articles stream in.
    When a person's edit is kept although ingest would now write something else, that goes to
    `pending`/<path> for them to compare, and the report lists the file.

    `stamps` (a cache file) keeps, for each file written, what it was made of, its sha256, size
    and modification time: an article made of the same as last time, whose file is as written
    then, is neither loaded nor rendered again."""
    previous = manifest.written_by_id()
    doubles: dict[str, list[WrittenArticle]] = {}
    for double in manifest.doubles():
        doubles.setdefault(double.input_id, []).append(double)
    known = read_json_object(stamps).get("files", {})
    made: dict[str, list] = {}
    written: dict[str, WrittenArticle] = {}
    taken = manifest.paths_in_use() - {previous[i].path for i in ids if i in previous}
    for item in articles:
        before = previous.get(item.input_id)
        if (
            before is not None
            and item.input_id not in doubles
            and known.get(before.path) == [item.made_of, before.sha256, *_stat(out / before.path)]
        ):
            taken.add(before.path)
            if before.path.startswith("undated/"):
                report.drafts.append(before.path)
            written[item.input_id] = before
            made[before.path] = known[before.path]
            continue
        article = item.load()
        slug, relpath = _place(article, before, taken, out)
        taken.add(relpath)
        text = render_article(article, slug)
        target = out / relpath
        for double in doubles.get(article.input_id, ()):  # a second file of this article
            if _holds(out / double.path, render_article(article, double.slug)):
                (out / double.path).unlink()
                report.pruned.append(double.path)
        if _edited_by_person(target, before, relpath, text) and not force:
            assert before is not None
            if before.sha256 != content_sha256(text):  # the edit stands; the update waits
                report.kept_edits.append(relpath)
                if pending is not None:
                    write_if_changed(pending / relpath, text)
            written[article.input_id] = before  # keep the old record: the file is still theirs
            continue
        if not target.is_file() or target.read_text("utf-8") != text:
            write_atomic(target, text)
            report.written.append(relpath)
        if before is not None and before.path != relpath:
            _remove_if_unedited(out / before.path, before)
        if article.published is None:
            report.drafts.append(relpath)
        written[article.input_id] = WrittenArticle(
            article.input_id, relpath, slug, content_sha256(text)
        )
        made[relpath] = [item.made_of, content_sha256(text), *_stat(target)]
    if stamps is not None:
        write_if_changed(stamps, json.dumps({"files": made}, sort_keys=True) + "\n")
    return written


def _stat(path: Path) -> tuple[int, int]:
    """(size, modification time in ns) of a file; (-1, -1) when there is none."""
    try:
        found = path.stat()
    except OSError:
        return -1, -1
    return found.st_size, found.st_mtime_ns


def prune_missing(manifest: Manifest, present: set[str], out: Path, report: IngestReport) -> None:
    """Forget inputs that are gone, removing the articles written from them (unless edited)."""
    for name in sorted(set(manifest.inputs) - present):
        for written in manifest.inputs.pop(name).articles:
            if _edited_by_person(out / written.path, written, written.path):
                report.kept_edits.append(written.path)
                report.kept_gone.append(written.path)
            elif (out / written.path).is_file():
                (out / written.path).unlink()
                report.pruned.append(written.path)


def drop_replaced(
    manifest: Manifest, dropped: Collection[str], out: Path, report: IngestReport
) -> None:
    """Remove the files of articles that are now copies of another (a better copy of the story
    came in a later run), as ingesting everything at once would never have written them, and
    forget them, so that their names are free again; a person's edit stays."""
    dropped = set(dropped)
    for state in manifest.inputs.values():
        for written in [w for w in state.articles if w.input_id in dropped]:
            path = out / written.path
            if _edited_by_person(path, written, written.path):
                report.kept_edits.append(written.path)
                continue
            if path.is_file():
                path.unlink()
                report.pruned.append(written.path)
            state.articles.remove(written)


def _place(
    article: Article, before: WrittenArticle | None, taken: set[str], out: Path
) -> tuple[str, str]:
    """The slug and file for an article: its old slug if it had one (URLs are stable), else a
    fresh one, numbered when another article or a person's own file already has the name."""
    base = before.slug if before is not None else article_slug(article)
    for number in range(1, 10_000):
        slug = base if number == 1 else f"{base}-{number}"
        relpath = article_relpath(article, slug).as_posix()
        ours = before is not None and before.path == relpath
        if ours or (relpath not in taken and not (out / relpath).exists()):
            return slug, relpath
    raise RuntimeError(f"no free file name for {article.input_id}")


def _edited_by_person(
    target: Path, before: WrittenArticle | None, relpath: str, text: str | None = None
) -> bool:
    """Whether a person changed the file since ingest wrote it. A recovered file (what ingest
    wrote there is unknown) counts as edited unless it holds `text`, what ingest writes now."""
    if not target.is_file() or before is None or before.path != relpath:
        return False
    if before.sha256 == UNKNOWN:
        return text is None or not _holds(target, text)
    return content_sha256(target.read_text("utf-8")) != before.sha256


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _remove_if_unedited(path: Path, before: WrittenArticle) -> None:
    if path.is_file() and content_sha256(path.read_text("utf-8")) == before.sha256:
        path.unlink()
