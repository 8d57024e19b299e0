"""Incremental ingest at archive scale: removed inputs, pruning, and a Dask cluster."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from broadsheet.pipeline import IngestOptions, run_ingest
from tests.support import SEED_FILE

pytestmark = pytest.mark.slow  # every test here runs ingest, which loads the NER model

RECORDS = [
    {
        "url": f"https://www.example-news.com/World/2017/03/{day}/story-{day}",
        "title": f"Harbour talks resume on day {day}",
        "date": f"2017-03-{day}T08:00:00+00:00",
        "text": f"Negotiators from both port unions met again on March {day} in Rotterdam. "
        f"They said the talks on day {day} covered pay, shifts and the new cranes. "
        "A spokesman for the employers said progress was slow but real.",
    }
    for day in (20, 21, 22)
]


def make_project(base: Path) -> IngestOptions:
    src = base / "scraped"
    src.mkdir(parents=True)
    shutil.copy(SEED_FILE, src / "seed.txt")
    for record in RECORDS:
        (src / f"{record['title'][-2:]}.json").write_text(json.dumps(record))
    return IngestOptions(src=src, out=base / "content" / "articles", cache_dir=base / "cache")


def quiet(options: IngestOptions):
    return run_ingest(options, log=lambda line: None)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".ingest-report.json"
    }


def test_removed_input_keeps_its_article_unless_pruned(tmp_path: Path):
    options = make_project(tmp_path)
    quiet(options)
    articles = sorted(options.out.rglob("*.md"))
    (options.src / "21.json").unlink()
    assert quiet(options).pruned == []
    assert sorted(options.out.rglob("*.md")) == articles
    pruned = quiet(IngestOptions(**{**options.__dict__, "prune": True}))
    assert [Path(p).name for p in pruned.pruned] == ["harbour-talks-resume-on-day-21.md"]
    assert len(sorted(options.out.rglob("*.md"))) == len(articles) - 1


def test_pruning_never_deletes_a_persons_edit(tmp_path: Path):
    options = make_project(tmp_path)
    quiet(options)
    edited = next(options.out.rglob("harbour-talks-resume-on-day-22.md"))
    edited.write_text(edited.read_text() + "\nAn editor's addition.\n")
    (options.src / "22.json").unlink()
    report = quiet(IngestOptions(**{**options.__dict__, "prune": True}))
    assert report.pruned == [] and edited.is_file()
    assert report.kept_edits == [edited.relative_to(options.out).as_posix()]


def test_new_inputs_are_the_only_ones_read_again(tmp_path: Path):
    options = make_project(tmp_path)
    quiet(options)
    text = "Two new cranes arrived at the harbour on Thursday, a week late. They lift 60 tonnes."
    record = RECORDS[0] | {"title": "Cranes arrive at the harbour", "date": "2017-03-23"}
    record["text"] = text
    (options.src / "new.json").write_text(json.dumps(record))
    report = quiet(options)
    assert (report.read, report.unchanged) == (1, 4)
    assert [Path(p).name for p in report.written] == ["cranes-arrive-at-the-harbour.md"]


def test_dask_cluster_gives_byte_identical_articles(tmp_path: Path):
    distributed = pytest.importorskip("distributed")
    local = make_project(tmp_path / "local")
    quiet(local)
    on_dask = make_project(tmp_path / "dask")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        report = quiet(
            IngestOptions(**{**on_dask.__dict__, "scheduler": cluster.scheduler_address})
        )
    assert report.ok and len(report.written) == 4
    assert tree(on_dask.out) == tree(local.out)
    assert tree(on_dask.src.parent / "content" / "registry") == tree(
        local.src.parent / "content" / "registry"
    )
