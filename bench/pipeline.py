"""Whole-pipeline benchmark: ingest (with NER), the site (Pelican with the plugin), search index;
a cold build, then three rebuilds.

Builds archives of N scraped articles (replicated from ../shared/corpora with shifted dates and
varied names, so that replicas are neither duplicates nor the same entities), then times each
stage of `invoke build` in its own process: wall time, CPU time (the process and its children)
and peak RSS. Baselines measured in the same run: plain Pelican (plugin off) on the same
Markdown, and the cold site build rendering every page (BROADSHEET_SKIP_UNCHANGED off, i.e.
the build before rebuilds skipped unchanged pages). Then three rebuilds, each followed by
`invoke build`'s stages: nothing new; 20 new scraped articles spread over the last day of the
archive; one article's title edited in its Markdown file. For each site build the pages
rendered are counted by kind (from the build cache's broadsheet-rendered.json).

    python bench/pipeline.py                      # 20k articles (long)
    python bench/pipeline.py --sizes 2000 --keep  # quick look; keep the work folder
    python bench/pipeline.py --sizes 50000 --no-rebuild  # cold pipeline only
    python bench/pipeline.py --sizes 20000 --reuse /tmp/broadsheet-bench-x  # ingested before
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
from datetime import date, datetime, timedelta
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
            "CACHE_PATH": str(here / ".cache" / "{output}"),
            "PLUGINS": ["pelican.plugins.yaml_metadata"]}}
Pelican(read_settings("{root}/pelicanconf.py", override=override)).run()
"""
# the site as `invoke build` builds it (build_site without the search step), into `output`
SITE = """
from pathlib import Path
from broadsheet.site.build import build_pages
here = Path.cwd()
override = {{"PATH": str(here / "content"), "OUTPUT_PATH": str(here / "{output}"),
            "CACHE_PATH": str(here / ".cache" / "{output}"), **{extra}}}
build_pages(Path("{root}/pelicanconf.py"), override)
"""
SEARCH = """
from pathlib import Path
from broadsheet.site.search import index_site
from broadsheet.site.build import SEARCH_STAMPS
[cache] = Path(".cache/output").glob("*/")  # build_pages' cache of these settings
index_site(Path("output"), stamps=cache / SEARCH_STAMPS)  # as build_site does
"""
RENDER_REPORT = "broadsheet-rendered.json"  # plugins/broadsheet_pages/writer.py
SEARCH_STAMPS = "search-stamps.json"  # broadsheet/site/build.py


def run_stage(code: str, cwd: Path) -> Measure:
    """Run Python code in a fresh process and measure it, children (workers, pagefind) included."""
    return run_measured([sys.executable, "-c", code], cwd=cwd, quiet=True)


def vary(text: str, rng: random.Random, names: list[str]) -> str:
    """Swap about half the capitalised words for others from the corpus: new names, and
    shingles different enough that a replica is not a near-duplicate of its original."""
    return CAPITALISED.sub(lambda m: rng.choice(names) if rng.random() < 0.5 else m.group(0), text)


def replica_date(n: int, records: list[dict]) -> date:
    """The date of the n-th replicated article."""
    source = records[n % len(records)]
    return date.fromisoformat(source["date"][:10]) + timedelta(days=120 * (n // len(records)))


def write_scraped(
    folder: Path, size: int, records: list[dict], offset: int = 0, last_day: date | None = None
) -> None:
    """`size` scraped records from the n-th on; with `last_day`, dated over that day's hours."""
    names = sorted({m.group(0) for r in records[:500] for m in CAPITALISED.finditer(r["text"])})
    folder.mkdir(parents=True, exist_ok=True)
    batch: list[str] = []
    for n in range(offset, offset + size):
        source = records[n % len(records)]
        replica = n // len(records)
        rng = random.Random(n)
        day = replica_date(n, records).isoformat()
        if last_day is not None:
            hour = datetime.combine(last_day, datetime.min.time()) + timedelta(
                minutes=(n - offset) * 24 * 60 // size
            )
            day = hour.isoformat()
        record = {
            "url": source["url"] + (f"?r={replica}" if replica else ""),
            "title": vary(source["title"], rng, names),
            "date": day,
            "text": vary(source["text"], rng, names) if replica else source["text"],
        }
        batch.append(json.dumps(record))
        if len(batch) == RECORDS_PER_FILE or n == offset + size - 1:
            (folder / f"records-{n // RECORDS_PER_FILE:05d}.jsonl").write_text("\n".join(batch))
            batch = []


def row(label: str, measure: Measure, baseline: Measure | None = None, note: str = "") -> str:
    ratio = f"{measure.wall / baseline.wall:5.2f}x" if baseline else "     "
    figures = f"{measure.wall:8.1f} s {measure.cpu:8.1f} s {measure.peak_mib:8.0f} MiB"
    return f"  {label:<34} {figures} {ratio} {note}".rstrip()


def report_mtime(project: Path) -> int:
    reports = list((project / ".cache" / "output").glob(f"*/{RENDER_REPORT}"))
    return reports[0].stat().st_mtime_ns if reports else 0


def rendered(project: Path, before: int = -1) -> str:
    """Pages the last site build rendered, by kind, from the build cache; `before`: the
    report's mtime before the build (the same after it: Pelican did not run)."""
    [report] = (project / ".cache" / "output").glob(f"*/{RENDER_REPORT}")
    if report.stat().st_mtime_ns == before:
        return "Pelican not run: no input changed, output/ as the last build left it"
    counts = json.loads(report.read_text())
    done = counts["rendered"]
    total = sum(done.values()) + sum(counts["skipped"].values())
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(done.items(), key=lambda kv: -kv[1]))
    removed = f"; {len(counts['removed'])} removed" if counts["removed"] else ""
    return f"rendered {sum(done.values())} of {total}: {kinds or 'none'}{removed}"


def shard_stamps(project: Path) -> dict[str, str]:
    """Each search shard's stamp (by bundle path) from the last search run's stamps file."""
    found = list((project / ".cache" / "output").glob(f"*/{SEARCH_STAMPS}"))
    stamps = json.loads(found[0].read_text()) if found else {}
    return {path: stamp for path, stamp in stamps.items() if path.startswith("pagefind/")}


def reindexed(before: dict[str, str], after: dict[str, str]) -> str:
    """Shards Pagefind ran for: those whose stamp is new or changed."""
    again = [path for path, stamp in after.items() if before.get(path) != stamp]
    return f"re-indexed {len(again)} of {len(after)} shards"


def stages(project: Path, label: str) -> float:
    """`invoke build`'s three stages, each in its own process; prints a row each."""
    total = 0.0
    for stage, code in (
        ("ingest", INGEST),
        ("site", SITE.format(root=ROOT, output="output", extra="{}")),
        ("search", SEARCH),
    ):
        before, stamps = report_mtime(project), shard_stamps(project)
        spent = run_stage(code, project)
        total += spent.wall
        note = ""
        if stage == "site":
            note = rendered(project, before)
        elif stage == "search":
            note = reindexed(stamps, shard_stamps(project))
        print(row(f"{label}: {stage}", spent), flush=True)
        if note:
            print(f"      {note}", flush=True)
    print(f"  {label + ': total':<34} {total:8.1f} s", flush=True)
    return total


def edit_title(content: Path) -> Path:
    """Edit the title of one article of the middle of the archive, as a person would."""
    files = sorted((content / "articles").rglob("*.md"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'^title: "', 'title: "Edited: ', text, count=1, flags=re.M))
    return path


def bench_size(
    size: int, records: list[dict], work: Path, rebuild: bool, reuse: bool, cold_baseline: bool
) -> None:
    project = work / f"n{size}"
    print(f"\n{size} articles", flush=True)
    print(f"  {'stage':<34} {'wall':>10} {'cpu':>10} {'peak RSS':>12} ratio")
    kept = project / "cold"  # the ingested archive and ingest's cache, for --reuse
    if reuse and kept.is_dir():
        for folder in ("output", "plain", "baseline", ".cache", "content", "scraped/new"):
            shutil.rmtree(project / folder, ignore_errors=True)
        shutil.copytree(kept / "content", project / "content")
        shutil.copytree(kept / "cache", project / ".cache" / "broadsheet")
        print("  (articles ingested by an earlier run reused: no cold ingest)")
        ingest = None
    else:
        shutil.rmtree(project, ignore_errors=True)
        (project / "content").mkdir(parents=True)
        write_scraped(project / "scraped", size, records)
        ingest = run_stage(INGEST, project)
        print(row("cold: ingest (extract + NER)", ingest), flush=True)
        shutil.copytree(project / "content", kept / "content")
        shutil.copytree(project / ".cache" / "broadsheet", kept / "cache")
    plain = run_stage(PELICAN.format(root=ROOT, output="plain"), project)
    print(row("plain Pelican (baseline)", plain), flush=True)
    if cold_baseline:
        extra = '{"BROADSHEET_SKIP_UNCHANGED": False}'
        before = run_stage(SITE.format(root=ROOT, output="baseline", extra=extra), project)
        print(row("cold site, every page rendered", before, plain), flush=True)
        shutil.rmtree(project / "baseline", ignore_errors=True)
    site = run_stage(SITE.format(root=ROOT, output="output", extra="{}"), project)
    print(row("cold: site (Pelican + plugin)", site, plain), flush=True)
    if cold_baseline:
        change = site.wall / before.wall - 1
        print(f"      {change:+.1%} wall vs every page rendered (target <= +5%)")
    search = run_stage(SEARCH, project)
    print(row("cold: search index", search), flush=True)
    cold = (ingest.wall if ingest else 0) + site.wall + search.wall
    print(f"  {'cold: total':<34} {cold:8.1f} s", flush=True)
    if not rebuild:
        return
    nothing = stages(project, "nothing new")
    last_day = replica_date(size - 1, records)
    write_scraped(project / "scraped" / "new", 20, records, offset=size + 7, last_day=last_day)
    new = stages(project, "20 new (last day)")
    edited = edit_title(project / "content")
    print(f"  (edited {edited.relative_to(project)})")
    edit = stages(project, "1 title edited")
    print(f"  at {size}: 20 new {new:.1f} s, nothing new {nothing:.1f} s, edit {edit:.1f} s"
          " (targets at 20k: <= 60 s and <= 20 s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--reuse", type=Path, help="a work folder kept earlier: its ingested articles are reused"
    )
    parser.add_argument("--no-rebuild", action="store_true", help="skip the three rebuilds")
    parser.add_argument(
        "--no-cold-baseline",
        action="store_true",
        help="skip the cold site build rendering every page (the before figure)",
    )
    args = parser.parse_args()
    records = [r for r in read_jsonl(NEWS_2017) if r.get("title") and r.get("text")]
    work = args.reuse or Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            bench_size(
                size,
                records,
                work,
                rebuild=not args.no_rebuild,
                reuse=args.reuse is not None,
                cold_baseline=not args.no_cold_baseline,
            )
    finally:
        if args.keep or args.reuse:
            print(f"\nwork folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
