"""The ingest stage end to end: scraped files in, Markdown articles out.

find inputs -> skip unchanged -> learn site templates -> read + extract + NER (in parallel)
-> per article: park it in a spool, keep its enrich analysis and duplicate fingerprint
-> across the corpus: resolve entities and topics, find duplicates
-> stream the articles back from the spool and write them -> manifest + report
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from broadsheet.dedupe import find_duplicates, fingerprint, record_copies
from broadsheet.enrich.corpus import CorpusEnricher, Rules, analyse
from broadsheet.extract.boilerplate import learn_templates
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_records import record_texts
from broadsheet.inputs import (
    file_sha256,
    find_inputs,
    input_name,
    kind_of,
    label_root,
    readable_inputs,
    text_dumps,
)
from broadsheet.manifest import FileState, Manifest, WrittenArticle, settings_fingerprint
from broadsheet.markdown_out import prune_missing, write_articles
from broadsheet.parallel import map_files
from broadsheet.per_file import MapContext, cache_ner
from broadsheet.report import IngestReport
from broadsheet.spool import ArticleSpool


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


def run_ingest(options: IngestOptions, log: Callable[[str], None] = print) -> IngestReport:
    """Ingest every changed input under options.src into options.out; returns the report."""
    report = IngestReport()
    options.out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(options.out)
    settings = settings_fingerprint(options.content)
    root = label_root(options.src)

    paths = find_inputs(options.src)
    names = {path: input_name(path, root) for path in paths}
    hashes = {path: file_sha256(path) for path in paths}
    changed = [
        path
        for path in paths
        if options.force
        or not manifest.is_unchanged(names[path], hashes[path], settings, options.out)
    ]
    report.unchanged, report.read = len(paths) - len(changed), len(changed)

    # site templates: lines repeated across dumps, lines and phrases across a source's records
    learns = any(kind_of(path) in ("text", "records") for path in changed)
    records = (
        text for file in readable_inputs(paths, root, "records") for text in record_texts(file)
    )
    templates = learn_templates(text_dumps(paths, root), records=records) if learns else None
    publishers = Publishers.load(options.content / "sources.yml")
    context = MapContext(root, publishers, templates, options.cache_dir / "ner")
    files, written = _ingest(context, changed, options, manifest, report)
    for path in changed:
        manifest.record(names[path], hashes[path], settings, files[names[path]], written)
    if options.prune:
        prune_missing(manifest, set(names.values()), options.out, report)
    manifest.save(options.out)

    report.save(options.out)
    for line in report.lines():
        log(line)
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
    prints = []
    files: dict[str, FileState] = {}
    with ArticleSpool(options.cache_dir) as spool:
        for outcome in map_files(
            context,
            paths,
            workers=options.workers,
            scheduler=options.scheduler,
            progress=options.progress,
        ):
            if options.scheduler:  # local workers share the NER cache already; a cluster's do not
                cache_ner(outcome, options.cache_dir / "ner")
            report.failures += outcome.result.failures
            files[outcome.name] = FileState.of(outcome.result)
            for article, found in zip(outcome.result.articles, outcome.ner, strict=True):
                spool.add(article)
                corpus.add(analyse(article, found, rules))
                prints.append(fingerprint(article))
        enrichments = corpus.resolve()
        duplicates = find_duplicates(prints)
        report.duplicates = duplicates.groups
        kept = sorted(set(enrichments) - duplicates.dropped)
        articles = (
            record_copies(enrichments[i].apply(spool.get(i)), duplicates.copies.get(i, ()))
            for i in kept
        )
        written = write_articles(articles, kept, manifest, options.out, report, options.force)
    return files, written
