"""Large JSON Lines exports are read in parts, a line at a time (issue 19): any size in bounded
memory, the same articles as reading the file whole, and only a single oversized record
refused."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from broadsheet.inputs import Part, plan_parts, read_part
from broadsheet.pipeline import IngestOptions, run_ingest


def lines(n: int) -> list[str]:
    return [
        json.dumps(
            {
                "url": f"https://news.example.org/World/2017/03/{k % 28 + 1}/story-{k}",
                "title": f"Harbour story number {k}",
                "date": f"2017-03-{k % 28 + 1:02d}",
                "text": f"Dock workers met on day {k} in Rotterdam. " * (1 + k % 5),
            }
        )
        for k in range(n)
    ]


def test_parts_cover_every_line_once_and_end_after_a_newline(tmp_path: Path):
    path = tmp_path / "big.jsonl"
    text = "\n".join(lines(500)) + "\n"
    path.write_text(text)
    parts = plan_parts(path, "big.jsonl", "0" * 64, size=4000)
    assert len(parts) > 10 and parts[0].start == 0 and parts[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in pairwise(parts))
    joined = b"".join(read_part(part)[0] for part in parts)
    assert joined == path.read_bytes()
    for part in parts:  # each part starts at the line its number says
        first = read_part(part)[0].split(b"\n")[0].decode()
        assert first == text.split("\n")[part.first_line]


def test_a_record_over_the_limit_is_left_out_and_reported(tmp_path: Path, monkeypatch):
    import broadsheet.inputs as inputs

    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 1000)  # a small limit for a small test
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(["{}", "x" * 5000, "{}"]) + "\n")
    part = Part("big.jsonl", path, "0" * 64, 0, 1, 0, path.stat().st_size, 0)
    data, refused = read_part(part)
    assert data == b"{}\n\n{}\n" and refused == [(1, 5001)]


@pytest.mark.slow
def test_a_file_read_in_parts_gives_the_same_articles_as_read_whole(tmp_path: Path, monkeypatch):
    trees = []
    for size in ("100000000", "3000"):  # whole; in parts of 3,000 bytes
        monkeypatch.setenv("BROADSHEET_PART_BYTES", size)
        base = tmp_path / size
        (base / "scraped").mkdir(parents=True)
        (base / "scraped" / "export.jsonl").write_text("\n".join([*lines(60), "{broken"]) + "\n")
        options = IngestOptions(
            src=base / "scraped", out=base / "content" / "articles", cache_dir=base / "cache"
        )
        report = run_ingest(options, log=lambda line: None)
        assert [str(f) for f in report.failures] == [
            "scraped/export.jsonl (record 60): invalid JSON on line 61: Expecting property name "
            "enclosed in double quotes (line 1, column 2)"
        ]
        trees.append(
            {
                p.relative_to(base).as_posix(): p.read_bytes()
                for p in sorted((base / "content").rglob("*"))
                if p.is_file() and p.name not in (".ingest-report.json", ".lock")
            }
        )
    assert len([name for name in trees[0] if name.endswith(".md")]) == 60
    assert trees[0] == trees[1]
