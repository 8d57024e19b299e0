"""Nothing lost, nothing doubled (issue 19): ingest in batches equals ingest at once; a lost,
corrupt or stale manifest is rebuilt from the front-matter; two ingests at once do one's work."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest

from broadsheet.pipeline import IngestOptions, run_ingest
from tests.support import ROOT

pytestmark = pytest.mark.slow  # ingest loads the NER model

SAMPLES = ROOT / "scraped"
BATCHES = [
    ["000_e7af64bebac15370.txt", "html/cleveland.com1.html", "html/cnn_001.html.gz"],
    ["html/cnn_article.html", "html/fox13now_001.html", "records/newsarticles-2017-a.jsonl"],
    ["html/time_001.html.gz", "html/wired_001.html.gz", "html/yna_co_kr.html",
     "records/newsarticles-2017-b.jsonl.gz", "records/north-korea-2017.json"],
]  # fmt: skip
# byte-identical copies that come in the last batch and sort before their originals, so that
# ingesting everything at once keeps the copy: a later batch must then replace the original
COPIES = {
    "0-copies/000_e7af64bebac15370.txt": "000_e7af64bebac15370.txt",
    "0-copies/cnn_article.html": "html/cnn_article.html",
    "0-copies/newsarticles-2017-a.jsonl": "records/newsarticles-2017-a.jsonl",
}


def project(base: Path) -> IngestOptions:
    (base / "scraped").mkdir(parents=True)
    return IngestOptions(
        src=base / "scraped", out=base / "content" / "articles", cache_dir=base / "cache"
    )


def add(options: IngestOptions, names: list[str]) -> None:
    for name in names:
        target = options.src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / COPIES.get(name, name), target)


def quiet(options: IngestOptions):
    return run_ingest(options, log=lambda line: None)


def content(options: IngestOptions) -> dict[str, bytes]:
    """Every file under content/ but the report of the last run and the lock."""
    folder = options.out.parent
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in (".ingest-report.json", ".lock")
    }


def articles(options: IngestOptions) -> list[str]:
    return sorted(p.relative_to(options.out).as_posix() for p in options.out.rglob("*.md"))


@pytest.fixture(scope="module")
def at_once(tmp_path_factory) -> IngestOptions:
    options = project(tmp_path_factory.mktemp("at-once"))
    add(options, [name for batch in BATCHES for name in batch] + list(COPIES))
    quiet(options)
    return options


def test_three_batches_give_byte_identical_content_to_one_run(at_once, tmp_path: Path):
    options = project(tmp_path)
    reports = []
    for n, batch in enumerate(BATCHES):
        add(options, batch + (list(COPIES) if n == 2 else []))
        reports.append(quiet(options))
    assert reports[2].pruned  # originals that the copies replaced
    assert not any(name.endswith("-2.md") for name in articles(options))
    assert_same_content(content(options), content(at_once))


def assert_same_content(got: dict[str, bytes], expected: dict[str, bytes]) -> None:
    """Byte-identical articles and manifest; the registries of slugs may hold more."""
    assert sorted(got) == sorted(expected)
    registries = [name for name in expected if name.startswith("registry/")]
    assert {n: got[n] for n in got if n not in registries} == {
        n: expected[n] for n in expected if n not in registries
    }
    # the registries also remember the URLs published after earlier runs (old_slugs), so
    # that they keep working: every entry of one run is there, with the same slug and name
    for name in registries:
        once, batched = (registry(files[name]) for files in (expected, got))
        assert once.items() <= batched.items()
        assert set(once.values()) == set(batched.values())


def registry(data: bytes) -> dict[str, str]:
    return {entry["slug"]: entry["name"] for entry in json.loads(data)}


def test_a_lost_manifest_is_rebuilt_and_nothing_is_doubled(at_once, tmp_path: Path):
    options = project(tmp_path / "p")
    add(options, [name for batch in BATCHES for name in batch] + list(COPIES))
    quiet(options)
    before = content(options)
    (options.out / ".manifest.json").unlink()
    shutil.rmtree(options.cache_dir)  # and nothing is left of the archive either
    report = quiet(options)
    assert report.written == [] and report.kept_edits == []
    assert_same_content(content(options), before)


def test_a_corrupt_manifest_is_reported_by_name_and_rebuilt(at_once, tmp_path: Path):
    options = project(tmp_path / "p")
    add(options, BATCHES[0])
    quiet(options)
    before = content(options)
    (options.out / ".manifest.json").write_text('{"version": 1, "inputs": {"x": ')
    lines = []
    run_ingest(options, log=lines.append)
    assert any(
        line.startswith(f"note: {options.out / '.manifest.json'}: unreadable") for line in lines
    )
    assert content(options) == before


def test_a_persons_edit_is_still_an_edit_when_the_manifest_is_lost(tmp_path: Path):
    options = project(tmp_path / "p")
    add(options, BATCHES[0])
    quiet(options)
    seed = next(p for p in options.out.rglob("*.md") if "000_e7af" in p.read_text("utf-8"))
    edited = seed.read_text("utf-8").replace("Kim sent several", "Kim (editor's note) sent several")
    seed.write_text(edited)
    (options.out / ".manifest.json").unlink()
    report = quiet(options)
    assert report.kept_edits == [seed.relative_to(options.out).as_posix()]
    assert seed.read_text("utf-8") == edited
    assert len(articles(options)) == len(set(articles(options)))
    again = quiet(options)  # reported again, on every run
    assert again.kept_edits == report.kept_edits
    forced = quiet(IngestOptions(**{**options.__dict__, "force": True}))
    assert "editor's note" not in seed.read_text("utf-8") and forced.kept_edits == []


def _ingest_in_process(options: IngestOptions, lines) -> None:
    report = run_ingest(options, log=lines.append)
    lines.append(f"done {report.read}")


def test_two_ingests_at_once_do_the_work_once(at_once, tmp_path: Path):
    options = project(tmp_path / "p")
    add(options, [name for batch in BATCHES for name in batch] + list(COPIES))
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager:
        logs = [manager.list(), manager.list()]
        runs = [spawn.Process(target=_ingest_in_process, args=(options, log)) for log in logs]
        for run in runs:
            run.start()
        for run in runs:
            run.join(timeout=600)
        logs = [list(log) for log in logs]
    assert [run.exitcode for run in runs] == [0, 0], logs
    waited = [log for log in logs if any("another ingest is writing" in line for line in log)]
    assert len(waited) == 1, logs
    assert waited[0][-1] == "done 0"  # the second found the first one's work done
    assert_same_content(content(options), content(at_once))
    manifest = json.loads((options.out / ".manifest.json").read_text())
    assert len(manifest["inputs"]) == len(COPIES) + sum(map(len, BATCHES))
