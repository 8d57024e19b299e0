"""Invoke tasks: each parses its options and calls into the broadsheet package.

Run `invoke --list` for the list, `invoke --help TASK` for a task's options.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from invoke import Context, Exit, task

ROOT = Path(__file__).parent


@task(
    help={
        "src": "folder of scraped files, read recursively (default: scraped)",
        "out": "folder for the Markdown articles (default: content/articles)",
        "workers": "parallel processes (default: the number of cores)",
        "force": "overwrite Markdown files even where a person edited them",
    }
)
def ingest(
    c: Context,
    src: str = "scraped",
    out: str = "content/articles",
    workers: int = 0,
    force: bool = False,
) -> None:
    """Turn scraped pages (.txt dumps, .html, .json/.jsonl) into Markdown articles."""
    from broadsheet.pipeline import IngestOptions, run_ingest

    options = IngestOptions(
        src=Path(src), out=Path(out), workers=workers or os.cpu_count() or 1, force=force
    )
    report = run_ingest(options)
    if not report.ok:
        raise Exit(
            f"ingest finished with {len(report.failures)} failure(s); "
            f"details in {report.report_path}",
            code=1,
        )


@task(help={"settings": "Pelican settings file (default: pelicanconf.py)"})
def build(c: Context, settings: str = "pelicanconf.py") -> None:
    """Ingest scraped/, then build the site into output/ with Pelican."""
    ingest(c)
    c.run(f"{sys.executable} -m pelican content -s {settings}", pty=False)


@task(help={"port": "port on 127.0.0.1 (default: 8000)"})
def serve(c: Context, port: int = 8000) -> None:
    """Serve output/ at http://127.0.0.1:8000/ for reading locally."""
    c.run(f"{sys.executable} -m http.server {port} --bind 127.0.0.1 --directory output")


@task
def clean(c: Context) -> None:
    """Remove the built site (output/) and build caches; never touches content/ or scraped/."""
    import shutil

    for folder in ("output", ".cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)


@task(help={"browser": "also run the browser tests (default: yes)"})
def test(c: Context, browser: bool = True) -> None:
    """Run the test suite (pytest)."""
    marker = "" if browser else " -m 'not browser'"
    c.run(f"{sys.executable} -m pytest{marker}", pty=False)


@task
def bench(c: Context) -> None:
    """Run every benchmark in bench/ and print its figures beside its baseline."""
    for script in sorted((ROOT / "bench").glob("[!_]*.py")):
        print(f"== {script.name}", flush=True)
        c.run(f"{sys.executable} {script}", pty=False)
