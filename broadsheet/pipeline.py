"""The ingest stage end to end: scraped files in, Markdown articles out.

find inputs -> skip unchanged -> learn site templates -> read + extract + NER (in parallel)
-> per article: park it in a spool, keep its enrich analysis and duplicate fingerprint
-> across the corpus: resolve entities and topics, find duplicates
-> stream the articles back from the spool: plan file names, write -> manifest + report
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from tqdm import tqdm

from broadsheet import __version__
from broadsheet.dedupe import (
    DuplicateGroup,
    Fingerprint,
    find_duplicates,
    fingerprint,
    record_copies,
)
from broadsheet.enrich import ner
from broadsheet.enrich.corpus import CorpusEnricher, Rules, analyse, ner_text
from broadsheet.extract.boilerplate import Templates, learn_templates
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_html import read_html
from broadsheet.extract.read_records import read_records
from broadsheet.extract.read_text import read_text
from broadsheet.files import write_atomic
from broadsheet.inputs import (
    InputError,
    file_sha256,
    find_inputs,
    input_from_bytes,
    kind_of,
    load_input,
)
from broadsheet.manifest import InputState, Manifest, WrittenArticle
from broadsheet.markdown_out import article_relpath, article_slug, content_sha256, render_article
from broadsheet.records import Article, ExtractResult, Failure, InputFile
from broadsheet.spool import ArticleSpool

REPORT_NAME = ".ingest-report.json"
EDITORS_FILES = ("sources.yml", "entities.yml", "topics.yml")


@dataclass(frozen=True)
class IngestOptions:
    src: Path = Path("scraped")
    out: Path = Path("content/articles")
    workers: int = 1
    force: bool = False
    content_dir: Path | None = None  # editors' files and registries; default: out's parent
    cache_dir: Path = Path(".cache/broadsheet")
    progress: bool | None = None  # None: a progress bar only on a terminal
    scheduler: str | None = None  # a Dask scheduler address: the per-file stage runs there
    prune: bool = False  # remove the articles of inputs that are gone from the source folder

    @property
    def content(self) -> Path:
        return self.content_dir if self.content_dir is not None else self.out.parent


@dataclass
class IngestReport:
    read: int = 0
    unchanged: int = 0
    written: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    duplicates: list[DuplicateGroup] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    report_path: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        copies = sum(len(group.copies) for group in self.duplicates)
        return (
            f"read {self.read}, written {len(self.written)}, unchanged {self.unchanged}, "
            f"drafts {len(self.drafts)}, duplicates {copies}, kept edits {len(self.kept_edits)}, "
            f"failed {len(self.failures)}" + (f", pruned {len(self.pruned)}" if self.pruned else "")
        )

    def to_json(self) -> str:
        data = {
            "summary": self.summary(),
            "failures": [asdict(f) | {"message": str(f)} for f in self.failures],
            "drafts": self.drafts,
            "duplicates": [asdict(group) for group in self.duplicates],
            "kept_edits": self.kept_edits,
            "written": self.written,
            "pruned": self.pruned,
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def run_ingest(options: IngestOptions, log: Callable[[str], None] = print) -> IngestReport:
    """Ingest every changed input under options.src into options.out; returns the report."""
    report = IngestReport()
    options.out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(options.out)
    settings = settings_fingerprint(options.content)
    root = label_root(options.src)
    publishers = Publishers.load(options.content / "sources.yml")

    paths = find_inputs(options.src)
    hashes = {path: file_sha256(path) for path in paths}
    changed = [
        path
        for path in paths
        if options.force
        or not manifest.is_unchanged(_name(path, root), hashes[path], settings, options.out)
    ]
    report.unchanged = len(paths) - len(changed)
    report.read = len(changed)

    templates = learn_templates(_text_dumps(paths, root)) if _any_text(changed) else None
    context = MapContext(root, publishers, templates, options.cache_dir / "ner")
    files, written = _ingest(context, changed, options, manifest, report)
    for path in changed:
        name = _name(path, root)
        manifest.inputs[name] = manifest_entry(hashes[path], settings, files[name], written)
    if options.prune:
        prune_missing(manifest, {_name(path, root) for path in paths}, options.out, report)
    manifest.save(options.out)

    report.report_path = options.out / REPORT_NAME
    write_atomic(report.report_path, report.to_json())
    log(report.summary())
    for failure in report.failures:
        log(f"failed: {failure}")
    for edited in report.kept_edits:
        log(f"kept edit: {edited} was changed by a person since ingest; use --force to overwrite")
    return report


def _ingest(
    context: MapContext,
    paths: list[Path],
    options: IngestOptions,
    manifest: Manifest,
    report: IngestReport,
) -> tuple[dict[str, FileState], dict[str, WrittenArticle]]:
    """Map the per-file stage over `paths`, parking each article in a spool and keeping only its
    analysis and fingerprint; reduce across the corpus; then stream the articles to the writer."""
    rules = Rules.load(options.content)
    corpus = CorpusEnricher(options.content, rules)
    prints: list[Fingerprint] = []
    files: dict[str, FileState] = {}
    with ArticleSpool(options.cache_dir) as spool:
        for outcome in _map(context, paths, options):
            if options.scheduler:  # local workers share the cache already; a cluster's do not
                _cache_ner(outcome, options.cache_dir / "ner")
            result = outcome.result
            report.failures += result.failures
            ids = tuple(sorted({article.input_id for article in result.articles}))
            files[outcome.name] = FileState(ids, bool(result.failures))
            for article, found in zip(result.articles, outcome.ner, strict=True):
                spool.add(article)
                corpus.add(analyse(article, found, rules))
                prints.append(fingerprint(article))
        enrichments = corpus.resolve()
        # duplicates and file names go by input: one fixed order
        order = sorted(range(len(prints)), key=lambda i: prints[i].input_id)
        duplicates = find_duplicates([prints[i] for i in order])
        report.duplicates = duplicates.groups
        kept = [
            (i, duplicates.copies.get(n, ()))
            for n, i in enumerate(order)
            if n not in duplicates.dropped
        ]
        articles = (record_copies(enrichments[i].apply(spool.get(i)), c) for i, c in kept)
        ids = [prints[i].input_id for i, _ in kept]
        written = write_articles(articles, ids, manifest, options, report)
    return files, written


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
    """The per-file stage: read, extract and run NER on one input.

    `source` is a local path, or (name, raw bytes) when the stage runs on a cluster that does
    not share the client's disk. Any error becomes a Failure naming the file.
    """
    name, result = extract_file(source, context)
    texts = [ner_text(article).text for article in result.articles]
    found = ner.run_ner(texts, cache_dir=context.ner_cache) if texts else []
    return FileOutcome(name, result, tuple(found))


def _cache_ner(outcome: FileOutcome, cache_dir: Path) -> None:
    cache = ner.NerCache(cache_dir, ner.choose_model().cache_id)
    for article, found in zip(outcome.result.articles, outcome.ner, strict=True):
        cache.put(ner.text_key(ner_text(article).text), found)


def extract_file(
    source: Path | tuple[str, bytes], context: MapContext
) -> tuple[str, ExtractResult]:
    """Read one input file into articles; any error becomes a Failure naming the file."""
    name = source[0] if isinstance(source, tuple) else _name(source, context.root)
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
    return read_records(file, publishers=publishers)


def write_articles(
    articles: Iterable[Article],
    ids: Collection[str],
    manifest: Manifest,
    options: IngestOptions,
    report: IngestReport,
) -> dict[str, WrittenArticle]:
    """Write each article's Markdown, keeping slugs stable and people's edits intact; `ids` are
    the articles' input_ids, known before the articles themselves stream in."""
    previous = manifest.written_by_id()
    written: dict[str, WrittenArticle] = {}
    taken = manifest.paths_in_use() - {previous[i].path for i in ids if i in previous}
    for article in articles:
        before = previous.get(article.input_id)
        slug, relpath = _place(article, before, taken, options.out)
        taken.add(relpath)
        text = render_article(article, slug)
        target = options.out / relpath
        if _edited_by_person(target, before, relpath) and not options.force:
            report.kept_edits.append(relpath)
            written[article.input_id] = before  # keep the old record: the file is still theirs
            continue
        if not target.is_file() or target.read_text("utf-8") != text:
            write_atomic(target, text)
            report.written.append(relpath)
        if before is not None and before.path != relpath:
            _remove_if_unedited(options.out / before.path, before)
        if article.published is None:
            report.drafts.append(relpath)
        written[article.input_id] = WrittenArticle(
            article.input_id, relpath, slug, content_sha256(text)
        )
    return written


def prune_missing(manifest: Manifest, present: set[str], out: Path, report: IngestReport) -> None:
    """Forget inputs that are gone, removing the articles written from them (unless edited)."""
    for name in sorted(set(manifest.inputs) - present):
        for written in manifest.inputs.pop(name).articles:
            if _edited_by_person(out / written.path, written, written.path):
                report.kept_edits.append(written.path)
            elif (out / written.path).is_file():
                (out / written.path).unlink()
                report.pruned.append(written.path)


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


def _edited_by_person(target: Path, before: WrittenArticle | None, relpath: str) -> bool:
    if not target.is_file() or before is None or before.path != relpath:
        return False
    return content_sha256(target.read_text("utf-8")) != before.sha256


def _remove_if_unedited(path: Path, before: WrittenArticle) -> None:
    if path.is_file() and content_sha256(path.read_text("utf-8")) == before.sha256:
        path.unlink()


@dataclass(frozen=True)
class FileState:
    """What the manifest needs of one input once it is read: its articles and whether it failed."""

    article_ids: tuple[str, ...]
    failed: bool


def manifest_entry(
    sha256: str, settings: str, state: FileState, written: dict[str, WrittenArticle]
) -> InputState:
    """What the manifest remembers of one input: its hash and the files written from it."""
    return InputState(
        sha256=sha256,
        settings=settings,
        articles=[written[i] for i in state.article_ids if i in written],
        failed=state.failed,
    )


def settings_fingerprint(content: Path) -> str:
    """Changes when the editors' files or Broadsheet's version change: every input is then
    processed again (NER comes from the cache)."""
    digest = hashlib.sha256(__version__.encode())
    for name in EDITORS_FILES:
        path = content / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b"-"))
    return digest.hexdigest()[:16]


def label_root(src: Path) -> Path:
    """The folder input names are relative to: the working directory when the source folder
    is inside it (`scraped/a.txt`), else the source folder's parent. No absolute local path
    ever reaches an article."""
    resolved = src.resolve()
    cwd = Path.cwd().resolve()
    return cwd if resolved.is_relative_to(cwd) else resolved.parent


def _name(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root).as_posix()


def _any_text(paths: Iterable[Path]) -> bool:
    return any(kind_of(path) == "text" for path in paths)


def _text_dumps(paths: Iterable[Path], root: Path) -> Iterator[InputFile]:
    for path in paths:
        if kind_of(path) == "text":
            try:
                yield load_input(path, root)
            except (InputError, OSError):
                continue  # reported when the file itself is extracted


def _map(context: MapContext, paths: list[Path], options: IngestOptions) -> Iterator[FileOutcome]:
    """process_file over `paths` in order: in this process, in a pool of worker processes, or
    on a Dask cluster. At most a few files per worker are in flight, so memory stays flat."""
    show = sys.stderr.isatty() if options.progress is None else options.progress
    with tqdm(total=len(paths), unit="file", disable=not show, desc="ingest") as bar:
        if options.scheduler:
            outcomes = _map_on_dask(context, paths, options.scheduler)
        elif options.workers <= 1 or len(paths) < 2:
            outcomes = (process_file(path, context) for path in paths)
        else:
            outcomes = _map_on_pool(context, paths, options.workers)
        for outcome in outcomes:
            bar.update()
            yield outcome


def _bounded(submit: Callable[[object], Future], items: Iterable, window: int) -> Iterator:
    """Results of submit(item) in order, with at most `window` futures pending."""
    pending: deque[Future] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _map_on_pool(context: MapContext, paths: list[Path], workers: int) -> Iterator[FileOutcome]:
    # spawn: a parent that has started LightGBM's or spaCy's threads must not be forked (the
    # workers would hang), and spawned workers are our children, so their CPU time is counted
    pool_context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=pool_context, initializer=ner.one_blas_thread
    ) as pool:
        yield from _bounded(
            lambda path: pool.submit(process_file, path, context), paths, workers * 4
        )


def _map_on_dask(context: MapContext, paths: list[Path], address: str) -> Iterator[FileOutcome]:
    """Ship each file's bytes to the cluster; workers need Broadsheet installed, not our disk."""
    from distributed import Client

    with Client(address) as client:
        shipped = client.scatter(context, broadcast=True)
        window = 4 * max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
        submit = partial(_submit_bytes, client, shipped, context.root)
        yield from _bounded(submit, paths, window)


def _submit_bytes(client, context, root: Path, path: Path) -> Future:
    try:
        source: Path | tuple[str, bytes] = (_name(path, root), path.read_bytes())
    except OSError:
        source = path  # the worker reports the error with the file's name
    return client.submit(process_file, source, context, pure=False)
