"""The per-file stage: one scraped file in, its articles and their NER results out.

It runs in worker processes or on a Dask cluster (broadsheet.parallel), so everything it needs
besides the file travels in one MapContext, and every error becomes a Failure naming the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from broadsheet.enrich import ner
from broadsheet.enrich.corpus import ner_text, uses_english_models
from broadsheet.extract.boilerplate import Templates
from broadsheet.extract.language import with_language
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_html import read_html
from broadsheet.extract.read_records import read_records
from broadsheet.extract.read_text import read_text
from broadsheet.inputs import (
    MAX_INPUT_BYTES,
    InputError,
    Part,
    decode,
    input_from_bytes,
    input_name,
    load_input,
    read_part,
)
from broadsheet.records import Article, Block, ExtractResult, Failure, InputFile, Span

# NER and topics read at most this many characters of an article (spaCy refuses texts over
# 1,000,000 characters and needs about 1 GB of memory per 100,000); the article itself is
# written whole, and the report names it. BROADSHEET_MAX_ENRICH_CHARS sets another limit.
MAX_ENRICH_CHARS = int(os.environ.get("BROADSHEET_MAX_ENRICH_CHARS", "100000"))


@dataclass(frozen=True)
class MapContext:
    """What the per-file stage needs besides the file: shipped once to each worker."""

    root: Path
    publishers: Publishers
    templates: Templates | None
    ner_cache: Path  # read where the worker can see it; results also go back to the client


@dataclass(frozen=True)
class FileOutcome:
    name: str
    result: ExtractResult
    ner: tuple[ner.NerResult, ...]  # one per article of `result`, in the same order
    notes: list[str] = field(default_factory=list)  # what the report should say of the file
    part: tuple[int, int] = (0, 1)  # (number, count) when a large file is read in parts


Source = Path | tuple[str, bytes] | Part


def process_file(source: Source, context: MapContext) -> FileOutcome:
    """Read, extract, detect the language and run NER (English text only) on one input.

    `source` is a local path, or (name, raw bytes) when the stage runs on a cluster that does
    not share the client's disk. Any error, in any step, becomes a Failure naming the file.
    """
    notes: list[str] = []
    part = (source.number, source.count) if isinstance(source, Part) else (0, 1)
    name, result = extract_file(source, context, notes)
    try:
        outcome = _enrich_file(name, result, context, notes)
    except Exception as error:  # NER or language detection must not stop the other files
        reason = f"could not analyse: {type(error).__name__}: {error}"
        failures = [*result.failures, Failure(name, reason)]
        outcome = FileOutcome(name, ExtractResult(failures=failures), ())
    return replace(outcome, part=part)


def _enrich_file(
    name: str, result: ExtractResult, context: MapContext, notes: list[str]
) -> FileOutcome:
    kept = []
    for article in result.articles:
        if not article.body_text.strip():
            reason = "no article text (a title alone is no article)"
            result.failures.append(Failure(article.scraped_from, reason, article.record))
        else:
            kept.append(with_language(article))
    result.articles = kept
    english = [uses_english_models(article) for article in result.articles]
    texts = []
    for article, en in zip(result.articles, english, strict=True):
        if en:
            whole = len(ner_text(article).text)
            if whole > MAX_ENRICH_CHARS:
                notes.append(
                    f"{where(article)}: {whole:,} characters; names and topics "
                    f"come from the first {MAX_ENRICH_CHARS:,} (BROADSHEET_MAX_ENRICH_CHARS)"
                )
            texts.append(ner_text(enrich_view(article)).text)
    found = iter(ner.run_ner(texts, cache_dir=context.ner_cache) if texts else [])
    nothing = ner.NerResult((), ())
    outcomes = tuple(next(found) if en else nothing for en in english)
    return FileOutcome(name, result, outcomes, notes)


def enrich_view(article: Article, limit: int | None = None) -> Article:
    """The article as NER and topics see it: its title, body and captions cut to their first
    `limit` characters (MAX_ENRICH_CHARS). A shorter article is returned as it is."""
    limit = MAX_ENRICH_CHARS if limit is None else limit
    if len(ner_text(article).text) <= limit:
        return article
    title = article.title[:limit]
    left = max(0, limit - len(title) - 2)
    body = []
    for block in article.body:
        if left <= 0:
            break
        text = block.text
        body.append(block if len(text) <= left else Block(block.kind, (Span(text[:left]),)))
        left -= len(text) + 2
    captions = []
    for caption in article.captions:
        if left <= len(caption):
            break
        captions.append(caption)
        left -= len(caption) + 2
    return article.evolve(title=title, body=tuple(body), captions=tuple(captions))


def where(article: Article) -> str:
    """An article's input as the report names it: `file` or `file (record N)`."""
    record = "" if article.record is None else f" (record {article.record})"
    return article.scraped_from + record


def cache_ner(outcome: FileOutcome, cache_dir: Path) -> None:
    """Keep a cluster's NER results in the local cache (local workers share it already)."""
    cache = ner.NerCache(cache_dir, ner.choose_model().cache_id)
    for article, found in zip(outcome.result.articles, outcome.ner, strict=True):
        if uses_english_models(article):
            cache.put(ner.text_key(ner_text(enrich_view(article)).text), found)


def extract_file(
    source: Source, context: MapContext, notes: list[str] | None = None
) -> tuple[str, ExtractResult]:
    """Read one input file into articles; any error becomes a Failure naming the file. What the
    report should say of a file that was read (stray bytes in its encoding) goes to `notes`."""
    if isinstance(source, Part):
        return source.name, _read_part(source, context, notes)
    name = source[0] if isinstance(source, tuple) else input_name(source, context.root)
    try:
        if isinstance(source, tuple):
            file = input_from_bytes(*source)
        else:
            file = load_input(source, context.root)
    except InputError as error:
        return name, ExtractResult(failures=[Failure(name, str(error))])
    except OSError as error:
        return name, ExtractResult(failures=[Failure(name, f"cannot read file ({error})")])
    if notes is not None and "stray" in file.encoding:
        notes.append(f"{name}: encoding {file.encoding}")
    try:
        return name, _read(file, context.publishers, context.templates)
    except Exception as error:  # a reader's bug must not stop the other files
        return name, ExtractResult(
            failures=[Failure(name, f"could not extract: {type(error).__name__}: {error}")]
        )


def _read_part(part: Part, context: MapContext, notes: list[str] | None) -> ExtractResult:
    """One part of a large JSON Lines file: its records, numbered as lines of the whole file."""
    try:
        data, refused = read_part(part)
        text, encoding = decode(data) if data.strip() else ("", "utf-8")
    except InputError as error:
        return ExtractResult(failures=[Failure(part.name, f"{error} (part {part.number + 1})")])
    except OSError as error:
        return ExtractResult(failures=[Failure(part.name, f"cannot read file ({error})")])
    if notes is not None and "stray" in encoding:
        notes.append(f"{part.name} (part {part.number + 1}): encoding {encoding}")
    file = InputFile(part.name, "records", text, part.sha256, encoding)
    try:
        result = read_records(
            file, publishers=context.publishers, templates=context.templates,
            first_line=part.first_line,
        )  # fmt: skip
    except Exception as error:  # a reader's bug must not stop the other files
        reason = f"could not extract: {type(error).__name__}: {error}"
        result = ExtractResult(failures=[Failure(part.name, reason)])
    limit = f"the limit for one record is {MAX_INPUT_BYTES >> 20} MiB"
    result.failures += [
        Failure(part.name, f"the record is {size / 2**20:.0f} MiB; {limit}", line)
        for line, size in refused
    ]
    return result


def _read(file: InputFile, publishers: Publishers, templates: Templates | None) -> ExtractResult:
    if file.kind == "text":
        return read_text(file, publishers=publishers, templates=templates)
    if file.kind == "html":
        return read_html(file, publishers=publishers)
    return read_records(file, publishers=publishers, templates=templates)
