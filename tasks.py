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
        "scheduler": "run the per-file stage on a Dask cluster (tcp://HOST:8786)",
        "prune": "remove the articles of inputs deleted from --src (kept otherwise)",
    }
)
def ingest(
    c: Context,
    src: str = "scraped",
    out: str = "content/articles",
    workers: int = 0,
    force: bool = False,
    scheduler: str = "",
    prune: bool = False,
) -> None:
    """Turn scraped pages (.txt dumps, .html, .json/.jsonl) into Markdown articles."""
    from broadsheet.pipeline import IngestOptions, run_ingest

    options = IngestOptions(
        src=Path(src),
        out=Path(out),
        workers=workers or os.cpu_count() or 1,
        force=force,
        scheduler=scheduler or None,
        prune=prune,
    )
    report = run_ingest(options)
    if not report.ok:
        raise Exit(
            f"ingest finished with {len(report.failures)} failure(s); "
            f"details in {report.report_path}",
            code=1,
        )


@task(
    help={
        "settings": "Pelican settings file (default: pelicanconf.py)",
        "workers": "parallel ingest processes (default: the number of cores)",
    }
)
def build(c: Context, settings: str = "pelicanconf.py", workers: int = 0) -> None:
    """Ingest scraped/, build the site into output/ with Pelican, index it for search."""
    from broadsheet.pipeline import IngestOptions, run_ingest
    from broadsheet.site.build import build_site

    report = run_ingest(IngestOptions(workers=workers or os.cpu_count() or 1))
    output = build_site(ROOT / settings)
    print(f"site built in {output}/ - read it with `invoke serve`")
    if not report.ok:
        raise Exit(f"{len(report.failures)} input(s) failed; see {report.report_path}", code=1)


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
    # the slowest tests are listed, so that a slow one is seen before CI runs over its time
    c.run(f"{sys.executable} -m pytest --durations=20{marker}", pty=False)


@task
def bench(c: Context) -> None:
    """Run every benchmark in bench/ and print its figures beside its baseline."""
    # train_*.py scripts fit the shipped models: run by hand, never as a benchmark
    for script in sorted((ROOT / "bench").glob("[!_]*.py")):
        if script.name.startswith("train_"):
            continue
        print(f"== {script.name}", flush=True)
        c.run(f"{sys.executable} {script}", pty=False)


@task(
    help={
        "site": "built site to audit (default: output; run `invoke build` first)",
        "chrome": "Chromium binary for Lighthouse (default: /usr/bin/chromium)",
    }
)
def audit(c: Context, site: str = "output", chrome: str = "/usr/bin/chromium") -> None:
    """Lighthouse scores (performance, accessibility, best practices, SEO) per page type."""
    from broadsheet.publish.audit import audit_site, format_row, header

    print(header(), flush=True)
    for row in audit_site(ROOT / site, ROOT / ".tools", chrome=chrome):
        print(format_row(row), flush=True)


@task(
    help={
        "to": "a target named in deploy.toml, or directory:PATH, rsync:DEST or git:REPOSITORY "
        "(default: deploy.toml's `default`)",
        "dry_run": "build and check, then print what would change; publish nothing",
        "skip_build": "publish output/ as it is (built earlier with publishconf.py)",
    }
)
def deploy(c: Context, to: str = "", dry_run: bool = False, skip_build: bool = False) -> None:
    """Build with publishconf.py, check the site, then publish output/ (settings: deploy.toml)."""
    from broadsheet.publish.deploy import DeployError
    from broadsheet.publish.deploy import deploy as deploy_site
    from broadsheet.publish.settings import SettingsError, load_settings

    try:
        settings = load_settings(ROOT / "deploy.toml")
        target = settings.target(to or None)
    except SettingsError as error:
        raise Exit(str(error), code=2) from error
    if not skip_build:
        build(c, settings="publishconf.py")
    try:
        deploy_site(
            ROOT / "output", target, settings, cache=ROOT / ".cache" / "deploy", dry_run=dry_run
        )
    except DeployError as error:
        raise Exit(str(error), code=1) from error


@task(help={"site": "built site to check (default: output)"})
def check(c: Context, site: str = "output") -> None:
    """Run the pre-deploy checks on a built site and list every problem found."""
    from broadsheet.publish.checks import PREVIEW_SKIPS, SECRETS_SCAN_CACHE, check_site, is_preview
    from broadsheet.publish.settings import load_settings

    settings = load_settings(ROOT / "deploy.toml")
    scan_cache = ROOT / ".cache" / "deploy" / SECRETS_SCAN_CACHE
    root = ROOT / site
    problems = check_site(root, settings.site_url, settings.secrets(), scan_cache, preview=True)
    if (root / "index.html").is_file() and is_preview(root):
        print(f"{site}/: {PREVIEW_SKIPS}")
    for problem in problems:
        print(problem)
    if problems:
        raise Exit(f"{len(problems)} problem(s) in {site}/: nothing may be published", code=1)
    print(f"{site}/: all checks passed")
