"""The search index is swapped in whole (issue 19): a failed or killed Pagefind run never leaves
the site without search."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from broadsheet.files import recover_swap
from broadsheet.site.search import SearchIndexError, index_site
from tests.support import ROOT


def _site(output: Path, pages: int, marked: bool = True) -> None:
    for n in range(pages):
        day = f"2021/04/{n % 28 + 1:02d}"
        body = "data-pagefind-body" if marked else ""
        html = f"<html lang='en'><body><article {body}><h1>Story {n}</h1><p>harbour {n}</p>"
        (output / day / f"story-{n}").mkdir(parents=True, exist_ok=True)
        (output / day / f"story-{n}" / "index.html").write_text(html + "</article></body></html>")


def _pages_in_index(output: Path) -> int:
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def test_a_failed_pagefind_run_leaves_the_old_index_in_place(tmp_path: Path) -> None:
    _site(tmp_path, 3)
    index_site(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "pagefind").rglob("*"))
    _site(tmp_path, 4, marked=False)  # now Pagefind would index whole pages: refused
    with pytest.raises(SearchIndexError):
        index_site(tmp_path)
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "pagefind").rglob("*")) == before
    assert _pages_in_index(tmp_path) == 3


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_killing_the_index_run_never_leaves_the_site_without_search(tmp_path, delay) -> None:
    _site(tmp_path, 40)
    index_site(tmp_path)
    _site(tmp_path, 60)
    code = (
        "from pathlib import Path; from broadsheet.site.search import index_site; "
        f"index_site(Path({str(tmp_path)!r}))"
    )
    run = subprocess.Popen(
        [sys.executable, "-c", code],
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        start_new_session=True,  # its own process group: Pagefind is killed with it
    )
    time.sleep(delay)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    # whatever the moment: the old index or the new one, never none (the next run completes
    # a swap that was cut between its two steps)
    recover_swap(tmp_path / "pagefind")
    assert _pages_in_index(tmp_path) in (40, 60)
    index_site(tmp_path)
    assert _pages_in_index(tmp_path) == 60
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())
