"""What the benchmarks share: where the shared data is, reading it, and measuring a run.

The shared corpora (read-only, in SHARED, ../shared; never tune on what is in SHARED / "bench"):

    NEWS_2017     corpora/newsarticles-2017.jsonl.gz  3,824 articles of 2017: url, title, date, text
    REUTERS_DEV   corpora/reuters21578-dev.jsonl.gz   11,000 wire stories of 1987, gold labels
    CONLL         ner/conll2003/                      CoNLL-2003 documents and gold entities

    records = read_jsonl(NEWS_2017, limit=500)          # parsed records, in file order
    lines = jsonl_lines(NEWS_2017, limit=500)           # the same, as the raw JSON lines
    docs, gold = read_conll("testa")                    # records, and gold entities by url

Measuring (wall seconds, CPU seconds of the process and its waited-for children, peak RSS):

    result, spent = measure(lambda: index(site))        # in this process
    spent = run_measured([sys.executable, "-c", code])  # a fresh process: its own peak
    print(f"{spent.wall:.1f} s wall {spent.cpu:.1f} s CPU {spent.peak_mib:.0f} MiB")

`measure` reports this process's peak so far (RSS is a high-water mark), so a stage whose peak
matters runs alone in a fresh process, through `run_measured` or a script that calls `measure`.
`run_measured` starts the command from a small launcher (so its peak is not its parent's; about
10 MiB is the least it reports) and stops the benchmark with the command's error if it fails.

The file's name starts with an underscore so that `invoke bench` does not run it.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout, or beside a folder above it (a git worktree may sit deeper)
SHARED = next(
    (folder / "shared" for folder in ROOT.parents if (folder / "shared").is_dir()),
    ROOT.parent / "shared",
)
NEWS_2017 = SHARED / "corpora" / "newsarticles-2017.jsonl.gz"
REUTERS_DEV = SHARED / "corpora" / "reuters21578-dev.jsonl.gz"
CONLL = SHARED / "ner" / "conll2003"
STDERR_TAIL = 3000  # characters of a failed command's stderr to show
T = TypeVar("T")


# ---- reading the shared data


def _open_text(path: Path) -> TextIO:
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open()


def jsonl_lines(path: Path, limit: int | None = None) -> list[str]:
    """The first `limit` (default: all) lines of a JSON-lines file, gzipped or not."""
    with _open_text(path) as lines:
        return list(itertools.islice(lines, limit))


def _record(path: Path, number: int, line: str) -> dict:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}:{number}: not a JSON record ({error})") from None


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    """The first `limit` (default: all) records of a JSON-lines file, gzipped or not."""
    with _open_text(path) as lines:
        return [_record(path, n, line) for n, line in enumerate(itertools.islice(lines, limit), 1)]


def read_conll(split: str = "testa") -> tuple[list[dict], dict[str, list[dict]]]:
    """A CoNLL-2003 split ("train" or "testa") as scraper records, and each document's gold
    entities (name, type, in_title) by the record's url; see ../shared/ner/README.md."""
    with gzip.open(CONLL / f"gold-{split}.json.gz", "rt", encoding="utf-8") as handle:
        gold = {doc["url"]: doc["entities"] for doc in json.load(handle).values()}
    return read_jsonl(CONLL / f"conll-{split}.jsonl.gz"), gold


# ---- measuring


@dataclass(frozen=True)
class Measure:
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and the children it waited for
    peak_mib: float  # peak resident set size: the process's or its largest child's


def _cpu_and_peak() -> tuple[float, float]:
    own, kids = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    return cpu, max(own.ru_maxrss, kids.ru_maxrss) / 1024  # Linux gives KiB


def measure(work: Callable[[], T]) -> tuple[T, Measure]:
    """Call `work()` and return its result with what it cost. The peak is this process's
    high-water mark so far, not the call's own: measure in a fresh process when it matters."""
    cpu_before, _ = _cpu_and_peak()
    start = time.perf_counter()
    result = work()
    wall = time.perf_counter() - start
    cpu_after, peak = _cpu_and_peak()
    return result, Measure(wall, cpu_after - cpu_before, peak)


# Started from a small Python of its own, a command's peak is its own: Linux carries a parent's
# high-water mark into the child it starts. Runs argv[2:], writes [status, wall, CPU, peak KiB]
# to argv[1]; wait4 gives the command's CPU with its children's and the larger of their peaks.
LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
_, status, usage = os.wait4(os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ), 0)
wall = time.perf_counter() - start
figures = [status, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss]
with open(sys.argv[1], "w") as report:
    json.dump(figures, report)
"""


def run_measured(command: Sequence[str], cwd: Path = ROOT, quiet: bool = False) -> Measure:
    """Run `command` to its end and measure it with its children. `quiet` drops its output
    and shows the end of its stderr only if it fails; a failure stops the benchmark."""
    with tempfile.TemporaryDirectory() as tmp:
        report, errors = Path(tmp) / "report.json", Path(tmp) / "stderr"
        with errors.open("wb") as stderr:  # a file, not a pipe: a chatty stderr cannot block
            subprocess.run(
                [sys.executable, "-S", "-c", LAUNCHER, str(report), *command],
                cwd=cwd,
                stdout=subprocess.DEVNULL if quiet else None,
                stderr=stderr if quiet else None,
            )
        if not report.exists():  # the launcher could not start the command
            raise SystemExit(f"{list(command)} did not start\n{errors.read_text()}".rstrip())
        status, wall, cpu, peak_kib = json.loads(report.read_text())
        if code := os.waitstatus_to_exitcode(status):
            tail = errors.read_text(errors="replace")[-STDERR_TAIL:] if quiet else ""
            raise SystemExit(f"{list(command)} failed with exit {code}\n{tail}".rstrip())
    return Measure(wall, cpu, peak_kib / 1024)
