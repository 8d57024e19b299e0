"""Map the per-file stage over the inputs, in order: in this process, in a pool of worker
processes, or on a Dask cluster. At most a few files per worker are in flight, so memory
stays flat whatever the number of inputs."""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path

from tqdm import tqdm

from broadsheet.enrich import ner
from broadsheet.inputs import Part, input_name, read_part
from broadsheet.per_file import FileOutcome, MapContext, Source, process_file

FILES_PER_WORKER = 4  # in flight at once


def map_files(
    context: MapContext,
    paths: list[Path] | list[Path | Part],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> Iterator[FileOutcome]:
    """process_file over `paths`, outcomes in the order of `paths`. `progress` None shows a
    progress bar only on a terminal."""
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=len(paths), unit="file", disable=not show, desc="ingest") as bar:
        if scheduler:
            outcomes = _map_on_dask(context, paths, scheduler)
        elif workers <= 1 or len(paths) < 2:
            outcomes = (process_file(path, context) for path in paths)
        else:
            outcomes = _map_on_pool(context, paths, workers)
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
            lambda path: pool.submit(process_file, path, context),
            paths,
            workers * FILES_PER_WORKER,
        )


def _map_on_dask(context: MapContext, paths: list[Path], address: str) -> Iterator[FileOutcome]:
    """Ship each file's bytes to the cluster; workers need Broadsheet installed, not our disk."""
    from distributed import Client

    with Client(address) as client:
        shipped = client.scatter(context, broadcast=True)
        workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
        submit = partial(_submit_bytes, client, shipped, context.root)
        yield from _bounded(submit, paths, workers * FILES_PER_WORKER)


def _submit_bytes(client, context, root: Path, path: Path | Part) -> Future:
    try:
        if isinstance(path, Part):  # a part of a large file: its lines travel
            source: Source = replace(path, data=read_part(path)[0])
        else:
            source = (input_name(path, root), path.read_bytes())
    except OSError:
        source = path  # the worker reports the error with the file's name
    return client.submit(process_file, source, context, pure=False)
