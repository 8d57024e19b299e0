"""Fixtures for the browser tests: Debian's Chromium, a built demo site, a local HTTP server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from broadsheet.publish.audit import serve
from tests.support import ROOT, build, copy_site_pages, ingest_into

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


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site: the bundled scraped/ samples through ingest, then the site's build."""
    root = tmp_path_factory.mktemp("demo")
    content = root / "content"
    ingest_into(SCRAPED, content)
    copy_site_pages(content)
    return build(content, root / "output", root / "cache")


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
