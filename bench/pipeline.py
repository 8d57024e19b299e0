"""Whole-pipeline benchmark: ingest (with NER), Pelican with the plugin, search index.

Builds archives of N scraped articles (replicated from ../shared/corpora with shifted dates and
varied names, so that replicas are neither duplicates nor the same entities), then times each
stage in its own process: wall time, CPU time (the process and its children) and peak RSS.
Plain Pelican (plugin off) runs on the same Markdown in the same run as the baseline. Then 20
new scraped files are added and `invoke build`'s stages run again (incremental).

    python bench/pipeline.py                      # 5k, 20k and 50k articles (long)
    python bench/pipeline.py --sizes 2000 --keep  # quick look; keep the work folder
    python bench/pipeline.py --sizes 50000 --no-rebuild  # cold pipeline only
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from _support import NEWS_2017, ROOT, Measure, read_jsonl, run_measured

RECORDS_PER_FILE = 500
CAPITALISED = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}")

INGEST = """
from pathlib import Path
from broadsheet.pipeline import IngestOptions, run_ingest
run_ingest(IngestOptions(src=Path("scraped"), out=Path("content/articles"), workers=2,
                         progress=False), log=lambda line: None)
"""
PELICAN = """
from pathlib import Path
from pelican import Pelican
from pelican.settings import read_settings
here = Path.cwd()
override = {{"PATH": str(here / "content"), "OUTPUT_PATH": str(here / "{output}"),
            "CACHE_PATH": str(here / ".cache" / "{output}")}}
if {plain}:
    override["PLUGINS"] = ["pelican.plugins.yaml_metadata"]
Pelican(read_settings("{root}/pelicanconf.py", override=override)).run()
"""
SEARCH = """
from pathlib import Path
from broadsheet.site.search import index_site
from broadsheet.site.build import SEARCH_STAMPS
index_site(Path("output"), stamps=Path(".cache") / "output" / SEARCH_STAMPS)  # as build_site does
"""


def run_stage(code: str, cwd: Path) -> Measure:
    """Run Python code in a fresh process and measure it, children (workers, pagefind) included."""
    return run_measured([sys.executable, "-c", code], cwd=cwd, quiet=True)


def vary(text: str, rng: random.Random, names: list[str]) -> str:
    """Swap about half the capitalised words for others from the corpus: new names, and
    shingles different enough that a replica is not a near-duplicate of its original."""
    return CAPITALISED.sub(lambda m: rng.choice(names) if rng.random() < 0.5 else m.group(0), text)


def write_scraped(folder: Path, size: int, records: list[dict], offset: int = 0) -> None:
    names = sorted({m.group(0) for r in records[:500] for m in CAPITALISED.finditer(r["text"])})
    folder.mkdir(parents=True, exist_ok=True)
    batch: list[str] = []
    for n in range(offset, offset + size):
        source = records[n % len(records)]
        replica = n // len(records)
        rng = random.Random(n)
        day = date.fromisoformat(source["date"][:10]) + timedelta(days=120 * replica)
        record = {
            "url": source["url"] + (f"?r={replica}" if replica else ""),
            "title": vary(source["title"], rng, names),
            "date": day.isoformat(),
            "text": vary(source["text"], rng, names) if replica else source["text"],
        }
        batch.append(json.dumps(record))
        if len(batch) == RECORDS_PER_FILE or n == offset + size - 1:
            (folder / f"records-{n // RECORDS_PER_FILE:05d}.jsonl").write_text("\n".join(batch))
            batch = []


def row(label: str, measure: Measure, baseline: Measure | None = None) -> str:
    ratio = f"{measure.wall / baseline.wall:5.2f}x" if baseline else ""
    figures = f"{measure.wall:8.1f} s {measure.cpu:8.1f} s {measure.peak_mib:8.0f} MiB"
    return f"  {label:<28} {figures} {ratio}"


def bench_size(size: int, records: list[dict], work: Path, rebuild: bool) -> None:
    project = work / f"n{size}"
    shutil.rmtree(project, ignore_errors=True)
    (project / "content").mkdir(parents=True)
    write_scraped(project / "scraped", size, records)
    print(f"\n{size} articles", flush=True)
    print(f"  {'stage':<28} {'wall':>10} {'cpu':>10} {'peak RSS':>12} vs plain Pelican")
    ingest = run_stage(INGEST, project)
    print(row("ingest (extract + NER)", ingest), flush=True)
    plain = run_stage(PELICAN.format(root=ROOT, output="plain", plain=True), project)
    print(row("plain Pelican (baseline)", plain), flush=True)
    site = run_stage(PELICAN.format(root=ROOT, output="output", plain=False), project)
    print(row("Pelican + plugin", site, plain), flush=True)
    search = run_stage(SEARCH, project)
    print(row("search index", search), flush=True)
    cold = ingest.wall + site.wall + search.wall
    print(f"  {'cold pipeline':<28} {cold:8.1f} s", flush=True)
    if not rebuild:
        return

    write_scraped(project / "scraped" / "new", 20, records, offset=size + 7)
    again = [
        run_stage(INGEST, project),
        run_stage(PELICAN.format(root=ROOT, output="output", plain=False), project),
        run_stage(SEARCH, project),
    ]
    for label, measure in zip(
        ("ingest 20 new files", "Pelican + plugin", "search index"), again, strict=True
    ):
        print(row(f"rebuild: {label}", measure), flush=True)
    rebuilt = sum(m.wall for m in again)
    share = f"{rebuilt / cold:.0%} of cold (target <= 25%)"
    print(f"  {'incremental rebuild':<28} {rebuilt:8.1f} s = {share}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000,50000")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--no-rebuild", action="store_true", help="skip the incremental rebuild (20 new files)"
    )
    args = parser.parse_args()
    records = [r for r in read_jsonl(NEWS_2017) if r.get("title") and r.get("text")]
    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            bench_size(size, records, work, rebuild=not args.no_rebuild)
    finally:
        if args.keep:
            print(f"\nwork folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
