"""Body-extraction quality and ingest throughput on the ASB benchmark (measuring only).

Scores the body text of the 181 ASB pages with ../shared/bench/asb/score.py for: our
text-dump reader, the whole dump (baseline), our HTML reader and trafilatura (plain and
favor_precision), all run here; then times text dumps, HTML pages and JSONL records. Our HTML
reader's share of trafilatura's speed is also given from a run that times both on each page
in turn, which a shared machine's changing load does not skew.

    python bench/extraction.py [--asb ../shared/bench/asb] [--workers 2] [--bootstrap 200]

Nothing here is tuned to these pages; the extractors are trained on ../shared/train and
../shared/train2.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import trafilatura
from _support import NEWS_2017, SHARED, jsonl_lines, measure
from dateutil.parser import UnknownTimezoneWarning

from broadsheet.extract.boilerplate import Templates, learn_templates
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_text import read_text
from broadsheet.inputs import load_input
from broadsheet.records import ExtractResult, InputFile

JSONL_RECORDS = 1000
Reader = Callable[[InputFile], ExtractResult]


def load_scorer(asb: Path):
    spec = importlib.util.spec_from_file_location("asb_score", asb / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def optional_reader(module: str, name: str) -> Callable | None:
    """A reader another part of the project provides, or None while it is not there."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def body_of(result: ExtractResult) -> str:
    return result.articles[0].body_text if result.articles else ""


def page_id(file: InputFile) -> str:
    return Path(file.path).name.split(".")[0]


def run_text(file: InputFile, publishers: Publishers, templates: Templates) -> ExtractResult:
    return read_text(file, publishers=publishers, templates=templates)


def run_other(file: InputFile, publishers: Publishers, reader: Callable) -> ExtractResult:
    return reader(file, publishers=publishers)


def timed(reader: Reader, item) -> tuple[object, float]:
    """The reader's result and the CPU seconds this process spent on it."""
    start = time.process_time()
    result = reader(item)
    return result, time.process_time() - start


def throughput(reader: Reader, items: list, workers: int, units: int) -> tuple[float, float]:
    """Units (pages or records) per second over `items` with `workers` processes, once the
    pool is warm (started, libraries and models loaded): by wall clock, and by CPU time as
    `workers` dedicated cores would give it (the machine may be shared while this runs)."""
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(partial(timed, reader), items[: workers * 2]))  # warm-up
        chunksize = max(1, len(items) // (workers * 8))
        results, spent = measure(
            lambda: list(pool.map(partial(timed, reader), items, chunksize=chunksize))
        )
    cpu = sum(seconds for _, seconds in results)  # the workers' own: not this process's children
    return units / spent.wall, units * workers / cpu


def timed_pair(readers: tuple[Reader, Callable], item: tuple) -> tuple[float, float]:
    """The CPU seconds each of two readers spends on one page (given to each as it wants it),
    one right after the other in the same process."""
    return tuple(timed(reader, part)[1] for reader, part in zip(readers, item, strict=True))


def paired_share(ours: Reader, theirs: Callable, items: list[tuple], workers: int) -> float:
    """Their CPU time over ours, each page read by both in turn: the load of a shared
    machine, which drifts between two separate timed runs, weighs on both alike."""
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(partial(timed_pair, (ours, theirs)), items[: workers * 2]))  # warm-up
        chunksize = max(1, len(items) // (workers * 8))
        seconds = list(pool.map(partial(timed_pair, (ours, theirs)), items, chunksize=chunksize))
    return sum(theirs for _, theirs in seconds) / sum(ours for ours, _ in seconds)


def print_rate(name: str, rates: tuple[float, float], unit: str, target: str = "") -> None:
    wall, cpu = rates
    print(f"{name:<30} {wall:8.1f} {unit}/s wall  {cpu:8.1f} {unit}/s CPU   {target}")


def jsonl_files(count: int, per_file: int = 50) -> list[InputFile]:
    records = jsonl_lines(NEWS_2017, count)
    return [
        InputFile(f"news-{i}.jsonl", "records", "".join(records[i : i + per_file]), str(i), "utf-8")
        for i in range(0, len(records), per_file)
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asb", type=Path, default=SHARED / "bench" / "asb")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bootstrap", type=int, default=200)
    args = parser.parse_args(argv)

    # dateutil warns about each "ET"/"PST" it meets; the table is what this script is for
    warnings.filterwarnings("ignore", category=UnknownTimezoneWarning)
    score = load_scorer(args.asb)
    truth = {
        k: v["articleBody"]
        for k, v in json.loads((args.asb / "ground-truth.json").read_text("utf-8")).items()
    }
    publishers = Publishers.load()
    text_root, html_root = args.asb / "text", args.asb / "html"
    dumps = [load_input(p, text_root) for p in sorted(text_root.glob("*.txt"))]
    pages = [load_input(p, html_root) for p in sorted(html_root.glob("*.html.gz"))]
    templates = learn_templates(dumps)
    read_dump = partial(run_text, publishers=publishers, templates=templates)
    read_html = optional_reader("broadsheet.extract.read_html", "read_html")
    read_records = optional_reader("broadsheet.extract.read_records", "read_records")

    predictions: dict[str, dict[str, str] | None] = {
        "broadsheet text dumps": {page_id(f): body_of(read_dump(f)) for f in dumps},
        "whole dump (baseline)": {page_id(f): f.text for f in dumps},
        "broadsheet HTML": None,
        "trafilatura 2.3": {page_id(f): trafilatura.extract(f.text) or "" for f in pages},
        "trafilatura favor_precision": {
            page_id(f): trafilatura.extract(f.text, favor_precision=True) or "" for f in pages
        },
    }
    if read_html is not None:
        html_reader = partial(run_other, publishers=publishers, reader=read_html)
        predictions["broadsheet HTML"] = {page_id(f): body_of(html_reader(f)) for f in pages}

    print(f"ASB body text, {len(truth)} pages (score.py, {args.bootstrap} bootstrap resamples)")
    print(f"{'extractor':<30} {'F1':>13} {'precision':>10} {'recall':>7} {'empty':>6}")
    for name, predicted in predictions.items():
        if predicted is None:
            print(f"{name:<30} not available (broadsheet.extract.read_html not importable)")
            continue
        m = score.score_bodies(truth, predicted, n_bootstrap=args.bootstrap)
        print(
            f"{name:<30} {m['f1']:.3f} ± {m['f1_std']:.3f} {m['precision']:>10.3f} "
            f"{m['recall']:>7.3f} {m['n_empty_pred']:>6}"
        )

    print(f"\nthroughput, {args.workers} worker processes (warm pool)")
    print_rate(
        "text dumps",
        throughput(read_dump, dumps, args.workers, len(dumps)),
        "pages",
        "(target >= 100)",
    )
    texts = [f.text for f in pages]
    alone = throughput(trafilatura.extract, texts, args.workers, len(pages))
    if read_html is not None:
        html_reader = partial(run_other, publishers=publishers, reader=read_html)
        ours = throughput(html_reader, pages, args.workers, len(pages))
        paired = paired_share(
            html_reader, trafilatura.extract, list(zip(pages, texts, strict=True)), args.workers
        )
        share = (
            f"({ours[1] / alone[1]:.0%} of trafilatura's by CPU; {paired:.0%} timed page by "
            "page beside it; target >= 80%)"
        )
        print_rate("HTML (broadsheet)", ours, "pages", share)
    print_rate("HTML (trafilatura alone)", alone, "pages")
    if read_records is not None:
        records = jsonl_files(JSONL_RECORDS)
        reader = partial(run_other, publishers=publishers, reader=read_records)
        print_rate(
            "JSONL records", throughput(reader, records, args.workers, JSONL_RECORDS), "records"
        )
    else:
        print(
            f"{'JSONL records':<30} not available (broadsheet.extract.read_records not importable)"
        )


if __name__ == "__main__":
    main()
