"""Streaming benchmark: reading a large JSON Lines export in parts, against reading it whole.

Makes a JSONL file of --size-mb megabytes from the 2017 news corpus (its records repeated, each
with its own URL) and reads it into articles (decode, parse, extract: the per-file stage without
NER) twice, each in a fresh process: as ingest does, in parts of about 8 MiB read a line at a
time (`broadsheet.inputs.plan_parts`, `read_part`), and, as the baseline, whole (the file's bytes
decoded at once and parsed in one go, as before issue 19). Prints records/s and the peak RSS of
each: the parts' peak stays flat whatever the size, the baseline's grows with the file.

    python bench/stream_records.py [--size-mb 200] [--keep FILE]   # the issue's case: 2048

(Timings on a shared two-core machine move with the load; the peaks do not.)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import NEWS_2017, ROOT, jsonl_lines, run_measured

READ = """
import sys, time
from pathlib import Path
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_records import read_records
from broadsheet.inputs import decode, plan_parts, read_part
from broadsheet.records import InputFile
path, how = Path(sys.argv[1]), sys.argv[2]
publishers = Publishers.load(None)
count = 0
if how == "parts":
    for part in plan_parts(path, "big.jsonl", "0" * 64):
        text, encoding = decode(read_part(part)[0])
        file = InputFile("big.jsonl", "records", text, "0" * 64, encoding)
        count += len(read_records(file, publishers=publishers, first_line=part.first_line).articles)
else:
    text, encoding = decode(path.read_bytes())
    count = len(read_records(InputFile("big.jsonl", "records", text, "0" * 64, encoding),
                             publishers=publishers).articles)
print(count)
"""


def make_file(path: Path, size_mb: int) -> int:
    lines = jsonl_lines(NEWS_2017)
    written = records = 0
    with path.open("w", encoding="utf-8") as out:
        while written < size_mb * 2**20:
            for line in lines:
                record = json.loads(line)
                record["url"] = f"{record.get('url', 'https://example.org/a')}?copy={records}"
                text = json.dumps(record, ensure_ascii=False) + "\n"
                out.write(text)
                written += len(text.encode())
                records += 1
                if written >= size_mb * 2**20:
                    break
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="make the file here (and keep it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "big.jsonl"
        records = make_file(path, args.size_mb)
        print(f"{path.stat().st_size / 2**20:,.0f} MiB, {records:,} records")
        for how, label in (("whole", "baseline: read whole"), ("parts", "in parts (ingest)")):
            spent = run_measured([sys.executable, "-c", READ, str(path), how], cwd=ROOT, quiet=True)
            print(
                f"{label:22} {records / spent.wall:9,.0f} records/s  "
                f"peak RSS {spent.peak_mib:7,.0f} MiB  ({spent.wall:.0f} s wall)"
            )


if __name__ == "__main__":
    main()
