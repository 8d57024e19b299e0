"""Hostile and broken inputs found by probing the pipeline (issue 19): each is reproduced here,
and ingest must write what can be written, report the rest by name, and never stop."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from broadsheet.per_file import MAX_ENRICH_CHARS
from broadsheet.pipeline import IngestOptions, run_ingest
from tests.support import ROOT

pytestmark = pytest.mark.slow  # ingest loads the NER model

STORY = (
    "Dock workers in Rotterdam walked out on Tuesday over pay and shifts. Ships queued outside "
    "the harbour as talks between the unions and the port employers stalled again. "
)
GOOD = {
    "url": "https://www.example-news.com/World/2017/03/28/port-strike",
    "title": "Dock workers strike at the port",
    "date": "2017-03-28",
    "text": STORY * 3,
}


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def articles(out: Path) -> dict[str, dict]:
    return {p.relative_to(out).as_posix(): front_matter(p) for p in sorted(out.rglob("*.md"))}


def ingest(base: Path, **options):
    src = base / "scraped"
    opts = IngestOptions(src=src, out=base / "content" / "articles", cache_dir=base / "cache")
    opts = IngestOptions(**{**opts.__dict__, **options})
    return opts, run_ingest(opts, log=lambda line: None)


def test_a_record_of_one_and_a_half_million_characters_is_written_and_reported(tmp_path):
    src = tmp_path / "scraped"
    src.mkdir()
    huge = GOOD | {
        "title": "An endless report on the harbour",
        "url": "https://www.example-news.com/World/2017/03/29/endless",
        "date": "2017-03-29",
        "text": "\n\n".join(f"Paragraph {n}. " + STORY * 5 for n in range(1_800)),
    }
    assert len(huge["text"]) > 1_500_000
    (src / "feed.jsonl").write_text(json.dumps(huge) + "\n" + json.dumps(GOOD) + "\n")
    options, report = ingest(tmp_path)
    assert report.failures == []
    titles = {meta["title"] for meta in articles(options.out).values()}
    assert titles == {huge["title"], GOOD["title"]}
    written = next(options.out.rglob("an-endless-report-on-the-harbour.md")).read_text("utf-8")
    assert "Paragraph 1799." in written  # the article is whole; only NER read less of it
    [note] = report.notes
    assert note.startswith("scraped/feed.jsonl (record 0): ")
    assert f"first {MAX_ENRICH_CHARS:,}" in note
    again = run_ingest(options, log=lambda line: None)  # and later runs do not fail either
    assert again.failures == [] and again.unchanged == 1


def test_a_huge_text_dump_does_not_abort_the_run(tmp_path):
    src = tmp_path / "scraped"
    src.mkdir()
    lines = ["Home | World | Business", "Harbour strike enters its third week"]
    lines += [f"Line {n}: " + STORY for n in range(12_000)]
    (src / "dump.txt").write_text("\n".join(lines))
    assert (src / "dump.txt").stat().st_size > 1_500_000
    (src / "feed.json").write_text(json.dumps(GOOD))
    options, report = ingest(tmp_path)
    assert GOOD["title"] in {m["title"] for m in articles(options.out).values()}
    assert all(f.path == "scraped/dump.txt" for f in report.failures)
    assert len(articles(options.out)) == 2 - len(report.failures)


def test_a_record_with_no_text_is_a_reported_failure_not_an_empty_article(tmp_path):
    src = tmp_path / "scraped"
    src.mkdir()
    empty = {"title": "A headline and nothing else", "date": "2017-03-29", "text": "  "}
    (src / "feed.jsonl").write_text(json.dumps(GOOD) + "\n" + json.dumps(empty) + "\n")
    options, report = ingest(tmp_path)
    assert [m["title"] for m in articles(options.out).values()] == [GOOD["title"]]
    assert [str(f) for f in report.failures] == [
        "scraped/feed.jsonl (record 1): no article text (a title alone is no article)"
    ]


def test_stray_bytes_in_utf8_keep_the_file_utf8_counted_and_merged_with_the_clean_copy(tmp_path):
    src = tmp_path / "scraped"
    src.mkdir()
    text = "The union\u2019s leader said \u201cwe will not move\u201d as the strike went on. " * 12
    clean = GOOD | {"text": text, "url": "https://a.example.org/World/1", "source": "A"}
    stray = clean | {"url": "https://b.example.org/World/1", "source": "B"}
    (src / "a.json").write_text(json.dumps(clean, ensure_ascii=False), encoding="utf-8")
    raw = json.dumps(stray, ensure_ascii=False).encode("utf-8")
    raw = raw.replace("\u2019".encode(), b"\x92", 1)  # one quote pasted from a cp1252 page
    (src / "b.json").write_bytes(raw)
    options, report = ingest(tmp_path)
    assert report.failures == []
    assert report.notes == ["scraped/b.json: encoding utf-8, 1 stray byte read as cp1252"]
    [(path, meta)] = articles(options.out).items()  # one story: the copies were merged
    body = (options.out / path).read_text("utf-8")
    assert "union\u2019s leader" in body and "â€" not in body
    assert [c["scraped_from"] for c in meta.get("also_published_by", [])] == ["scraped/b.json#0"]


def test_skipped_files_are_listed_in_the_report(tmp_path):
    src = tmp_path / "scraped"
    (src / ".hidden").mkdir(parents=True)
    (src / "feed.json").write_text(json.dumps(GOOD))
    (src / "..name.txt").write_text("A hidden dump.\n" * 5)
    (src / ".hidden" / "x.txt").write_text("Hidden folder.\n")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Not for publishing.\n")
    (src / "link.txt").symlink_to(outside)
    options, report = ingest(tmp_path)
    assert [str(s) for s in report.skipped] == [
        "scraped/..name.txt: hidden file, not read",
        "scraped/.hidden: hidden folder, not read",
        "scraped/link.txt: link leading outside the source folder",
    ]
    saved = json.loads((options.out / ".ingest-report.json").read_text("utf-8"))
    assert len(saved["skipped"]) == 3


def test_an_unreadable_file_is_reported_and_the_others_written(tmp_path):
    """Run in a process that cannot read the file."""
    base = Path(tempfile.mkdtemp(prefix="unreadable-"))
    try:
        src = base / "scraped"
        (src / "locked").mkdir(parents=True)
        (src / "feed.json").write_text(json.dumps(GOOD))
        (src / "secret.json").write_text(json.dumps(GOOD | {"title": "Private"}))
        (src / "locked" / "inner.json").write_text(json.dumps(GOOD | {"title": "Inner"}))
        os.chmod(src / "secret.json", 0)
        os.chmod(src / "locked", 0)
        for folder in (base, src):
            os.chmod(folder, 0o777)
        # root reads every file: without the two capabilities that let it, it cannot
        drop = "-dac_override,-dac_read_search"
        setpriv = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}"]
        prefix = setpriv if os.geteuid() == 0 else []
        code = (
            "from pathlib import Path; from broadsheet.pipeline import IngestOptions, run_ingest;"
            "run_ingest(IngestOptions(src=Path('scraped'), out=Path('content/articles'),"
            "cache_dir=Path('cache')))"
        )
        env = os.environ | {"PYTHONPATH": str(ROOT), "HOME": str(base)}
        result = subprocess.run(
            [*prefix, sys.executable, "-c", code], cwd=base, capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stderr
        assert "failed: scraped/secret.json: cannot read file (Permission denied)" in result.stdout
        assert "skipped: scraped/locked: folder cannot be read (Permission denied)" in result.stdout
        titles = [m["title"] for m in articles(base / "content" / "articles").values()]
        assert titles == [GOOD["title"]]
    finally:
        os.chmod(base / "scraped" / "locked", 0o755)
        shutil.rmtree(base)
