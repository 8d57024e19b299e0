"""Fault injection (issue 19): an ingest of 200 inputs killed (SIGKILL to its process group) at
five points; after each, running it again gives content/ byte-identical to a run that was never
interrupted: no article lost, doubled or orphaned."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet.files import FAULT_VARIABLE
from tests.support import ROOT

pytestmark = pytest.mark.slow  # eleven ingest runs

PEOPLE = ["Ann Smith", "Bo Lee", "Carla Diaz", "Dmitri Ivanov", "Emma Brown", "Farid Khan"]
PLACES = ["Rotterdam", "Hamburg", "Antwerp", "Lisbon", "Genoa", "Gdansk", "Marseille"]
GROUPS = ["the Dockers Union", "Port Authority", "Maersk", "the European Commission"]
INPUTS = 200


def record(n: int) -> dict:
    person, place = PEOPLE[n % len(PEOPLE)], PLACES[n % len(PLACES)]
    group = GROUPS[n % len(GROUPS)]
    text = (
        f"{person} of {group} said on day {n} that talks in {place} would go on. "
        f"Dock workers in {place} walked out over pay for the {n}th shift, and ships queued "
        f"outside the harbour. {person} told reporters that {group} wanted a deal by Friday. "
        f"Cargo number {n * 37} waited on the quay while officials from {PLACES[(n + 1) % 7]} "
        "watched the dispute closely."
    )
    return {
        "url": f"https://news.example.org/World/2017/03/{n % 28 + 1}/story-{n}",
        "title": f"Port talks in {place}, round {n}",
        "date": f"2017-03-{n % 28 + 1:02d}",
        "source": ["Example News", "Harbour Daily"][n % 2],
        "text": text,
    }


def make_inputs(src: Path) -> None:
    src.mkdir(parents=True)
    for n in range(INPUTS - 10):
        (src / f"{n:03d}.json").write_text(json.dumps(record(n)))
    # ten byte-identical copies of earlier inputs: duplicates, merged, never doubled
    for n in range(10):
        shutil.copy(src / f"{n * 7:03d}.json", src / f"copy-{n}.json")


def ingest(base: Path, kill_at: str | None = None) -> int:
    """One `invoke ingest`-like run in its own process group; its exit status."""
    code = (
        "from pathlib import Path; from broadsheet.pipeline import IngestOptions, run_ingest; "
        "run_ingest(IngestOptions(src=Path('scraped'), out=Path('content/articles'), workers=2,"
        " cache_dir=Path('.cache/broadsheet')), log=lambda line: None)"
    )
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    env.pop(FAULT_VARIABLE, None)
    if kill_at:
        env[FAULT_VARIABLE] = kill_at
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=base, env=env, start_new_session=True, timeout=900
    )
    return run.returncode


def content(base: Path) -> dict[str, bytes]:
    folder = base / "content"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in (".ingest-report.json", ".lock")
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    base = tmp_path_factory.mktemp("uninterrupted")
    make_inputs(base / "scraped")
    assert ingest(base) == 0
    files = content(base)
    assert sum(name.endswith(".md") for name in files) == INPUTS - 10
    return files


@pytest.mark.parametrize(
    "kill_at",
    [
        "map@60",  # during the per-file stage, 60 files in
        "corpus",  # before the corpus steps (entities, topics, duplicates) finish
        "write@80",  # mid-write: 79 articles written, the manifest not saved
        "save .manifest.json",  # the manifest written to its temporary file, not yet renamed
        "save topics.json",  # the entity registry saved, the topic registry not yet
    ],
)
def test_a_killed_ingest_run_again_equals_an_uninterrupted_one(reference, tmp_path, kill_at):
    make_inputs(tmp_path / "scraped")
    assert ingest(tmp_path, kill_at) == -signal.SIGKILL  # it was killed there
    assert ingest(tmp_path) == 0
    got = content(tmp_path)
    assert sorted(got) == sorted(reference)  # no file doubled, orphaned or missing
    assert got == reference
    leftovers = [p for p in (tmp_path / "content").rglob(".*.tmp")]
    assert leftovers == []
