from __future__ import annotations

from pathlib import Path

import pytest

from .site import ARTICLES, build, write_content


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once (its cache is reused by the rebuild test)."""
    root = tmp_path_factory.mktemp("site")
    write_content(root / "content", ARTICLES)
    return build(root / "content", root / "output", root / "cache")
