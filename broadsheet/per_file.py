"""The per-file stage: one scraped file in, its articles and their NER results out.

It runs in worker processes or on a Dask cluster (broadsheet.parallel), so everything it needs
besides the file travels in one MapContext, and every error becomes a Failure naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from broadsheet.enrich import ner
from broadsheet.enrich.corpus import ner_text, uses_english_models
from broadsheet.extract.boilerplate import Templates
from broadsheet.extract.language import with_language
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_html import read_html
from broadsheet.extract.read_records import read_records
from broadsheet.extract.read_text import read_text
from broadsheet.inputs import InputError, input_from_bytes, input_name, load_input
from broadsheet.records import ExtractResult, Failure, InputFile


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


def process_file(source: Path | tuple[str, bytes], context: MapContext) -> FileOutcome:
    """Read, extract, detect the language and run NER (English text only) on one input.

    `source` is a local path, or (name, raw bytes) when the stage runs on a cluster that does
    not share the client's disk. Any error becomes a Failure naming the file.
    """
    name, result = extract_file(source, context)
    result.articles = [with_language(article) for article in result.articles]
    english = [uses_english_models(article) for article in result.articles]
    texts = [ner_text(a).text for a, en in zip(result.articles, english, strict=True) if en]
    found = iter(ner.run_ner(texts, cache_dir=context.ner_cache) if texts else [])
    nothing = ner.NerResult((), ())
    return FileOutcome(name, result, tuple(next(found) if en else nothing for en in english))


def cache_ner(outcome: FileOutcome, cache_dir: Path) -> None:
    """Keep a cluster's NER results in the local cache (local workers share it already)."""
    cache = ner.NerCache(cache_dir, ner.choose_model().cache_id)
    for article, found in zip(outcome.result.articles, outcome.ner, strict=True):
        if uses_english_models(article):
            cache.put(ner.text_key(ner_text(article).text), found)


def extract_file(
    source: Path | tuple[str, bytes], context: MapContext
) -> tuple[str, ExtractResult]:
    """Read one input file into articles; any error becomes a Failure naming the file."""
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
    try:
        return name, _read(file, context.publishers, context.templates)
    except Exception as error:  # a reader's bug must not stop the other files
        return name, ExtractResult(
            failures=[Failure(name, f"could not extract: {type(error).__name__}: {error}")]
        )


def _read(file: InputFile, publishers: Publishers, templates: Templates | None) -> ExtractResult:
    if file.kind == "text":
        return read_text(file, publishers=publishers, templates=templates)
    if file.kind == "html":
        return read_html(file, publishers=publishers)
    return read_records(file, publishers=publishers, templates=templates)
