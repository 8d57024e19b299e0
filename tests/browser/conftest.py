"""Fixtures for the browser tests: Debian's Chromium, a built demo site, a local HTTP server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from broadsheet.publish.audit import serve

from .sitebuild import (
    ROOT,
    SAMPLE_ARTICLES,
    build_site,
    copy_site_pages,
    ingest_into,
    write_articles,
)

CHROMIUM = "/usr/bin/chromium"
SCRAPED = ROOT / "scraped"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends "
            "chromium fonts-liberation"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ],
    }


def _has_pipeline() -> bool:
    try:
        import broadsheet.pipeline  # noqa: F401
    except ImportError:  # not written yet: the sample articles stand in
        return False
    return True


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site: the bundled scraped/ samples through ingest when both exist, else the
    sample Markdown articles of sitebuild.py."""
    root = tmp_path_factory.mktemp("demo")
    content = root / "content"
    if _has_pipeline() and any(p.is_file() for p in SCRAPED.rglob("*")):
        ingest_into(SCRAPED, content)
    else:
        write_articles(content, SAMPLE_ARTICLES)
    copy_site_pages(content)
    return build_site(content, root / "output", root / "cache")


@pytest.fixture(scope="session")
def site_url(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as url:
        yield url


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    folder = ROOT / "test-artifacts" / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
