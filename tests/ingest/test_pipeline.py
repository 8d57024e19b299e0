"""`invoke ingest` end to end: a folder of good and bad scraped files in, articles out."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from broadsheet.pipeline import IngestOptions, run_ingest
from tests.support import ROOT, SEED_FILE

pytestmark = pytest.mark.slow  # every test here runs ingest, which loads the NER model

YNA = ROOT / "scraped" / "html" / "yna_co_kr.html"

GOOD_RECORDS = [
    {
        "url": "https://www.example-news.com/Politics/2017/03/27/budget-vote",
        "title": "Parliament passes the budget after a long night",
        "date": "2017-03-27T18:30:00+01:00",
        "text": "Members of parliament passed the budget early on Monday after a debate "
        "that lasted through the night. The finance minister said the vote showed "
        "confidence in the plan. Opposition leaders said they would keep pressing for "
        "changes to the health spending in the coming months.",
    },
    {
        "url": "https://www.example-news.com/World/2017/03/28/port-strike",
        "title": "Dock workers strike at the port",
        "date": "2017-03-28",
        "author": "By Ann Smith and Bo Lee",
        "text": "Dock workers walked out on Tuesday over pay. Ships queued outside the "
        "harbour as talks stalled.",
    },
]


def write_sources(src: Path) -> None:
    (src / "html").mkdir(parents=True)
    shutil.copy(SEED_FILE, src / "seed.txt")
    shutil.copy(YNA, src / "html" / "yna.html")
    lines = [json.dumps(GOOD_RECORDS[0]), "{not json", json.dumps(GOOD_RECORDS[1])]
    (src / "feed.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode(), mtime=0))
    (src / "empty.txt").write_bytes(b"")
    (src / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    (src / "sneaky..name...json").write_text(
        json.dumps(
            {
                "title": "../../../etc/passwd",
                "date": "2017-03-29",
                "url": "https://x.org/a",
                "text": "Path tricks in a title must not move the file. Slugs are words only.",
            }
        )
    )
    undated = SEED_FILE.read_text("utf-8").replace(" date 2021-04-21  Back To Top\n", "")
    undated = "\n".join(line for line in undated.splitlines() if "Published" not in line)
    (src / "undated.txt").write_text(undated.replace("Cuba", "Laos"))
    # the same wire story republished with another headline: a near-duplicate of the seed
    copy = SEED_FILE.read_text("utf-8").replace("NK leader stresses", "N. Korea's Kim stresses")
    copy = copy.replace("Apr 21, 2021 - 09:46", "Apr 21, 2021 - 11:02")  # published later
    (src / "copy-of-seed.txt").write_text(copy.replace("(Yonhap)", "(Yonhap) "))


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """One ingest run over a mixed folder, shared by the tests below (NER is slow to load:
    they are marked slow)."""
    base = tmp_path_factory.mktemp("project")
    src = base / "scraped"
    write_sources(src)
    before = tree(src)
    options = IngestOptions(
        src=src, out=base / "content" / "articles", workers=2, cache_dir=base / ".cache"
    )
    report = run_ingest(options, log=lambda line: None)
    return base, options, report, before


def articles_in(out: Path) -> dict[str, dict]:
    return {p.relative_to(out).as_posix(): front_matter(p) for p in sorted(out.rglob("*.md"))}


def test_good_files_are_written_and_bad_ones_reported_by_name(ingested):
    _base, options, report, _ = ingested
    assert not report.ok
    failed = {(f.path.rsplit("/", 1)[-1], f.record) for f in report.failures}
    assert ("empty.txt", None) in failed
    assert ("image.html", None) in failed
    assert ("feed.jsonl.gz", 1) in failed
    reasons = {f.path.rsplit("/", 1)[-1]: f.reason for f in report.failures}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["image.html"]
    titles = {meta["title"] for meta in articles_in(options.out).values()}
    assert (
        "NK leader stresses 'special' relations with Cuba in another congratulatory message to new ruling party chief"
        in titles
    )
    assert {r["title"] for r in GOOD_RECORDS} <= titles


def test_report_file_lists_every_failure(ingested):
    _, _, report, _ = ingested
    data = json.loads(report.report_path.read_text("utf-8"))
    assert len(data["failures"]) == len(report.failures)
    assert all(f["path"] and f["reason"] for f in data["failures"])
    assert data["summary"].startswith("read 8,")


def test_inputs_are_never_modified(ingested):
    base, _, _, before = ingested
    assert tree(base / "scraped") == before


def test_undated_dump_becomes_a_listed_draft(ingested):
    _, options, report, _ = ingested
    assert len(report.drafts) == 1 and report.drafts[0].startswith("undated/")
    meta = front_matter(options.out / report.drafts[0])
    assert meta["status"] == "draft" and meta["undated"] is True and "date" not in meta


def test_wire_copy_is_recorded_on_the_kept_article(ingested):
    _, options, report, _ = ingested
    copies = {copy for group in report.duplicates for copy in group.copies}
    assert any(c.endswith("copy-of-seed.txt") for c in copies)
    seed = next(
        m for m in articles_in(options.out).values() if m["scraped_from"].endswith("seed.txt")
    )
    assert [c["scraped_from"].rsplit("/", 1)[-1] for c in seed["also_published_by"]] == [
        "copy-of-seed.txt"
    ]


def test_hostile_file_names_and_titles_stay_inside_the_output_folder(ingested):
    base, options, _, _ = ingested
    out = options.out.resolve()
    written = [p.resolve() for p in base.rglob("*.md")]
    assert written and all(p.is_relative_to(out) for p in written)
    sneaky = [m for m in articles_in(options.out).values() if m["title"] == "../../../etc/passwd"]
    assert sneaky and sneaky[0]["slug"] == "etc-passwd"


def test_scraped_from_names_no_absolute_local_path(ingested):
    base, options, _, _ = ingested
    for meta in articles_in(options.out).values():
        assert not meta["scraped_from"].startswith("/")
        assert str(base) not in meta["scraped_from"]


def test_second_run_skips_unchanged_inputs(ingested):
    _, options, _, _ = ingested
    before = tree(options.out)
    again = run_ingest(options, log=lambda line: None)
    assert again.read == len(again.failures) == 3  # only the failed files are tried again
    assert again.written == []
    assert tree(options.out) == before


def copy_project(ingested, tmp_path: Path) -> IngestOptions:
    base, _options, _, _ = ingested
    shutil.copytree(base, tmp_path / "p", symlinks=True)
    moved = tmp_path / "p"
    return IngestOptions(
        src=moved / "scraped",
        out=moved / "content" / "articles",
        workers=1,
        cache_dir=moved / ".cache",
    )


def test_a_persons_edit_is_never_overwritten_without_force(ingested, tmp_path: Path):
    options = copy_project(ingested, tmp_path)
    seed_md = next(p for p in options.out.rglob("*.md") if "seed.txt" in p.read_text("utf-8"))
    edited = seed_md.read_text("utf-8").replace(
        "Kim sent several", "Kim (editor's note) sent several"
    )
    seed_md.write_text(edited)
    (options.src / "seed.txt").write_text((options.src / "seed.txt").read_text() + "\nchanged")
    report = run_ingest(options, log=lambda line: None)
    assert report.kept_edits == [seed_md.relative_to(options.out).as_posix()]
    assert seed_md.read_text("utf-8") == edited
    forced = run_ingest(IngestOptions(**{**options.__dict__, "force": True}), log=lambda line: None)
    assert seed_md.relative_to(options.out).as_posix() in forced.written
    assert "editor's note" not in seed_md.read_text("utf-8")


def test_an_article_keeps_its_file_name_when_its_title_changes(ingested, tmp_path: Path):
    options = copy_project(ingested, tmp_path)
    before = sorted(p.relative_to(options.out).as_posix() for p in options.out.rglob("*.md"))
    records = options.src / "sneaky..name...json"
    records.write_text(records.read_text().replace("../../../etc/passwd", "A new headline"))
    run_ingest(options, log=lambda line: None)
    after = sorted(p.relative_to(options.out).as_posix() for p in options.out.rglob("*.md"))
    assert after == before


def test_same_inputs_give_byte_identical_outputs(ingested, tmp_path: Path):
    base, options, _, _ = ingested
    again = IngestOptions(
        src=base / "scraped", out=tmp_path / "articles", workers=1, cache_dir=tmp_path / "c"
    )
    run_ingest(again, log=lambda line: None)
    assert tree(again.out) == tree(options.out)


def test_a_50_megabyte_file_does_not_stop_the_others(tmp_path: Path):
    src = tmp_path / "scraped"
    src.mkdir()
    paragraph = "<p>" + "Filler words about nothing in particular. " * 40 + "</p>\n"
    with (src / "huge.html").open("w") as handle:
        handle.write("<html><body><article><h1>Huge page</h1>")
        for _ in range(50 * 2**20 // len(paragraph)):
            handle.write(paragraph)
        handle.write("</article></body></html>")
    assert (src / "huge.html").stat().st_size >= 50 * 10**6
    (src / "feed.jsonl").write_text(json.dumps(GOOD_RECORDS[0]) + "\n")
    options = IngestOptions(src=src, out=tmp_path / "out", cache_dir=tmp_path / "c")
    report = run_ingest(options, log=lambda line: None)
    titles = {front_matter(p)["title"] for p in options.out.rglob("*.md")}
    assert GOOD_RECORDS[0]["title"] in titles
    assert report.failures == [] or report.failures[0].path.endswith("huge.html")


def test_invoke_ingest_exits_non_zero_and_prints_the_summary(ingested, tmp_path: Path):
    options = copy_project(ingested, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(ROOT), "ingest",
         "--src", str(options.src), "--out", str(options.out), "--workers", "1"],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert "failed 3" in result.stdout
    assert "empty.txt: file is empty" in result.stdout + result.stderr


def test_report_hash_matches_the_input_bytes(ingested):
    base, options, _, _ = ingested
    seed = next(
        m for m in articles_in(options.out).values() if m["scraped_from"].endswith("seed.txt")
    )
    assert (
        seed["scraped_sha256"]
        == hashlib.sha256((base / "scraped" / "seed.txt").read_bytes()).hexdigest()
    )
