"""The ingest stage end to end: scraped files in, Markdown articles out.

find inputs -> skip unchanged -> learn site templates -> read + extract + NER (in parallel)
-> per article: park it in a spool, keep its enrich analysis and duplicate fingerprint
-> across the corpus: resolve entities and topics, find duplicates
-> stream the articles back from the spool and write them -> manifest + report
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from broadsheet.files import fault_point, read_json_object, remove_leftovers, write_if_changed
from broadsheet.inputs import (
    InputStamps,
    Part,
    input_name,
    is_streamed,
    kind_of,
    label_root,
    plan_parts,
    readable_inputs,
    scan_inputs,
    text_dumps,
)
from broadsheet.manifest import FileState, Manifest, WrittenArticle, settings_fingerprint
from broadsheet.records import Article, Failure
from broadsheet.report import IngestReport
from broadsheet.spool import ArchiveStore, StoredInput, StoreWriter

if TYPE_CHECKING:  # what reads and analyses inputs is imported once there are some to read
    from broadsheet.extract.boilerplate import Templates
    from broadsheet.per_file import MapContext


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


LOCK_NAME = ".lock"
WRITTEN_STAMPS = "written.json"  # in the cache folder: what each article file was made of
INPUT_STAMPS = "inputs.json"  # in the cache folder: each input's sha256 by size and time
TEMPLATES_MEMO = "templates.json"  # in the cache folder: what each source's records taught


def run_ingest(options: IngestOptions, log: Callable[[str], None] = print) -> IngestReport:
    """Ingest every changed input under options.src into options.out; returns the report.

    One run at a time writes to an articles folder: a second waits for the lock
    `<out>/.lock` (and says so), then finds the first one's work done."""
    options.out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(options.out / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log(f"another ingest is writing to {options.out}/ (it holds {lock.lock_file}); waiting")
        lock.acquire()
    try:
        return _run_locked(options, log)
    finally:
        lock.release()


def _run_locked(options: IngestOptions, log: Callable[[str], None]) -> IngestReport:
    report = IngestReport(out=options.out, pending=options.cache_dir / "kept-edits")
    for folder in (options.out, options.content / "registry"):
        remove_leftovers(folder)  # of a run that was killed: this one holds the lock
    manifest = Manifest.load(options.out)
    if manifest.problem:
        report.notes.append(f"{manifest.problem}; rebuilt from the articles' front-matter")
    settings = settings_fingerprint(options.content)
    root = label_root(options.src)
    store = ArchiveStore(options.cache_dir / "archive")
    code = "/" + code_fingerprint()  # what the archive holds was made by this very code

    paths, report.skipped = scan_inputs(options.src, root)
    names = {path: input_name(path, root) for path in paths}
    hashes = {}
    stamps = InputStamps(options.cache_dir / INPUT_STAMPS)
    for path in list(paths):
        try:
            hashes[path] = stamps.sha256(path, names[path])
        except OSError as error:  # unreadable: reported, the others still read
            reason = f"cannot read file ({error.strerror or error})"
            report.failures.append(Failure(names[path], reason))
            paths.remove(path)
    stamps.save()
    present = set(names.values())
    stored = {}
    for path in paths:
        if not options.force and manifest.is_unchanged(
            names[path], hashes[path], settings, options.out
        ):
            stored[path] = store.get(names[path], hashes[path], settings + code)
    changed = [path for path in paths if stored.get(path) is None]
    gone = sorted(set(manifest.inputs) - present)
    if not changed and not (options.prune and gone):  # nothing new: nothing to do
        report.unchanged = len(paths)
        report.kept_edits = [p for p in manifest.kept_edits if (options.out / p).is_file()]
        return _finish(report, options, log)
    # spaCy, LightGBM, datasketch take seconds to import: only now that there is work for them
    from broadsheet.extract.boilerplate import learn_templates
    from broadsheet.extract.publishers import Publishers
    from broadsheet.extract.read_records import record_texts
    from broadsheet.markdown_out import prune_missing
    from broadsheet.per_file import MapContext

    # site templates: lines repeated across dumps, lines and phrases across a source's records;
    # an input extracted with other templates than these is read again
    records = (
        text for file in readable_inputs(paths, root, "records") for text in record_texts(file)
    )
    known = read_json_object(options.cache_dir / TEMPLATES_MEMO)
    sources = known.get("sources", {}) if known.get("code") == code else {}
    templates = learn_templates(text_dumps(paths, root), records=records, known=sources)
    write_if_changed(
        options.cache_dir / TEMPLATES_MEMO,
        json.dumps({"code": code, "sources": sources}, sort_keys=True) + "\n",
    )
    learned = templates_fingerprint(templates)
    for path, entry in stored.items():
        if entry is not None and kind_of(path) != "html" and entry.templates != learned:
            changed.append(path)
    order = {path: n for n, path in enumerate(paths)}
    changed.sort(key=order.__getitem__)
    report.unchanged, report.read = len(paths) - len(changed), len(changed)
    # the archive the corpus steps run over: every input read now or stored from before,
    # including those gone from the source folder unless they are pruned
    again = set(changed)
    archive = [stored[path] for path in paths if path not in again]
    if options.prune:
        prune_missing(manifest, present, options.out, report)
        for name in gone:
            store.remove(name)
    else:
        for name in gone:
            state = manifest.inputs[name]
            if (entry := store.get(name, state.sha256, state.settings + code)) is not None:
                archive.append(entry)
    publishers = Publishers.load(options.content / "sources.yml")
    context = MapContext(root, publishers, templates, options.cache_dir / "ner")
    read = {path: (names[path], hashes[path]) for path in changed}
    files, written = _ingest(
        context, read, archive, store, settings + code, learned, options, manifest, report
    )
    for name, (sha256, state) in files.items():
        manifest.record(name, sha256, settings, state, written)
    manifest.kept_edits = sorted(set(report.kept_edits) - set(report.kept_gone))
    manifest.save(options.out)
    return _finish(report, options, log)


def _finish(report: IngestReport, options: IngestOptions, log: Callable[[str], None]):
    report.failures.sort(key=lambda failure: (failure.path, failure.record or -1))
    report.save(options.out)
    for line in report.lines():
        log(line)
    return report


NOT_INGEST = ("site", "publish")  # subpackages ingest never imports (the build's, deploy's)


def code_fingerprint(package: Path = Path(__file__).parent) -> str:
    """A hash of the package's code and data: an archive entry made by other code (its
    pickled records may have other fields) is not used. The site and publish code make no
    entry: a change to them leaves the archive as it is."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.relative_to(package).parts[0] in NOT_INGEST:
            continue
        if path.is_file() and path.suffix in (".py", ".json", ".yml", ".txt", ".sha256"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def templates_fingerprint(templates: Templates) -> str:
    digest = hashlib.sha256()
    for line in sorted(templates.lines):
        digest.update(b"L" + line.encode() + b"\0")
    for phrase in sorted(templates.phrases):
        digest.update(b"P" + phrase.encode() + b"\0")
    return digest.hexdigest()[:16]


@contextmanager
def _collector_leaving_the_archive_alone() -> Iterator[Callable[[], None]]:
    """The archive's analyses and fingerprints (millions of objects) are loaded, and the corpus
    steps make as many again, all of them kept until the articles are written: the garbage
    collector waits until the corpus steps are done (the callable it gives), instead of going
    over all of them so far in each of its collections (seconds at 5,000 articles, more than
    proportionally more on a larger archive); then they are frozen: it leaves them alone."""

    def corpus_done() -> None:
        gc.freeze()
        gc.enable()

    gc.disable()
    try:
        yield corpus_done
    finally:
        gc.enable()
        gc.unfreeze()


def _ingest(
    context: MapContext,
    read: dict[Path, tuple[str, str]],
    archive: list[StoredInput],
    store: ArchiveStore,
    settings: str,
    templates: str,
    options: IngestOptions,
    manifest: Manifest,
    report: IngestReport,
) -> tuple[dict[str, tuple[str, FileState]], dict[str, WrittenArticle]]:
    """Map the per-file stage over the inputs to `read`, storing each one's articles with
    their analysis and fingerprint in the archive; reduce across the whole archive (inputs
    read now and before); then stream the articles from the archive to the writer."""
    from broadsheet.dedupe import find_duplicates, fingerprint, record_copies
    from broadsheet.enrich.corpus import CorpusEnricher, Rules, analyse
    from broadsheet.markdown_out import Pending, drop_replaced, write_articles
    from broadsheet.parallel import map_files
    from broadsheet.per_file import cache_ner, enrich_view

    rules = Rules.load(options.content)
    corpus = CorpusEnricher(options.content, rules)
    prints = []
    files: dict[str, tuple[str, FileState]] = {}
    where: dict[str, StoredInput] = {}  # input_id -> the archive entry that holds it
    hashes = dict(read.values())
    # a large JSON Lines file is read in parts, each its own task; its entry grows part by part
    tasks: list[Path | Part] = []
    for path, (name, sha256) in read.items():
        tasks += plan_parts(path, name, sha256) if is_streamed(path) else [path]
    writers: dict[str, StoreWriter] = {}
    seen: dict[str, tuple[list[str], bool]] = {}  # input -> its article ids so far, failed

    def keep(entry: StoredInput, items: list[tuple]) -> None:
        for analysis, printed in items:
            where[analysis.input_id] = entry
            corpus.add(analysis)
            prints.append(printed)

    for outcome in map_files(
        context,
        tasks,
        workers=options.workers,
        scheduler=options.scheduler,
        progress=options.progress,
    ):
        if options.scheduler:  # local workers share the NER cache already; a cluster's do not
            cache_ner(outcome, options.cache_dir / "ner")
        report.failures += outcome.result.failures
        report.notes += outcome.notes
        name, (number, count) = outcome.name, outcome.part
        if number == 0:
            used = "" if kind_of(Path(name)) == "html" else templates
            writers[name] = store.writer(name, hashes[name], settings, used)
            seen[name] = ([], False)
        items = [
            (article, found, analyse(enrich_view(article), found, rules), fingerprint(article))
            for article, found in zip(outcome.result.articles, outcome.ner, strict=True)
        ]
        fault_point("map")
        writers[name].add(items)
        for _article, _found, analysis, printed in items:
            corpus.add(analysis)
            prints.append(printed)
        ids, failed = seen[name]
        ids += [article.input_id for article in outcome.result.articles]
        seen[name] = (ids, failed or bool(outcome.result.failures))
        if number == count - 1:
            ids, failed = seen.pop(name)
            entry = writers.pop(name).commit(failed)
            where.update(dict.fromkeys(ids, entry))
            files[name] = (hashes[name], FileState(tuple(sorted(set(ids))), failed))
    with _collector_leaving_the_archive_alone() as corpus_done:
        for entry in archive:
            files.setdefault(entry.name, (entry.sha256, FileState(entry.article_ids, entry.failed)))
            keep(entry, store.corpus(entry))
        fault_point("corpus")
        enrichments = corpus.resolve()
        duplicates = find_duplicates(prints)
        corpus_done()
        report.duplicates = duplicates.groups
        kept = sorted(set(enrichments) - duplicates.dropped)

        def load(i: str) -> Article:
            fault_point("write")
            article = enrichments[i].apply(store.article(where[i], i))
            return record_copies(article, duplicates.copies.get(i, ()))

        def made_of(i: str) -> str:
            entry = where[i]
            made = (entry.name, entry.sha256, entry.settings, entry.templates, i, enrichments[i])
            return hashlib.sha256(repr((made, duplicates.copies.get(i, ()))).encode()).hexdigest()

        drop_replaced(manifest, duplicates.dropped, options.out, report)
        written = write_articles(
            (Pending(i, made_of(i), partial(load, i)) for i in kept),
            kept,
            manifest,
            options.out,
            report,
            options.force,
            report.pending,
            options.cache_dir / WRITTEN_STAMPS,
        )
    return files, written
