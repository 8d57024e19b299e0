from __future__ import annotations

from pathlib import Path

import pytest

from .site import ARTICLES, NEW_ARTICLE, build, write_content


def built_once(root: Path, articles: list[tuple[dict, str]]) -> Path:
    write_content(root / "content", articles)
    return build(root / "content", root / "output", root / "cache")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once (its cache is reused by the rebuild test)."""
    return built_once(tmp_path_factory.mktemp("site"), ARTICLES)


@pytest.fixture(scope="session")
def grown_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site and one more article, built from scratch once; tests only read it."""
    return built_once(tmp_path_factory.mktemp("grown"), [*ARTICLES, NEW_ARTICLE])
