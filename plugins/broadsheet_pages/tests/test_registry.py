"""Reading the registries ingest keeps: JSON, or the YAML of an earlier version."""

from __future__ import annotations

import json
from pathlib import Path

from broadsheet.enrich.registry import Registry, load


def load_registry(path: Path) -> Registry:
    """As the plugin reads a registry: tolerant of a bad file."""
    return Registry.of(load(path, strict=False))


ENTRY = {"slug": "kim-jong-un", "name": "Kim Jong-un", "type": "person", "aliases": ["Kim Jong Un"]}


def test_names_and_aliases_find_the_registered_entry(tmp_path: Path):
    (tmp_path / "entities.json").write_text(json.dumps([ENTRY]), encoding="utf-8")
    registry = load_registry(tmp_path / "entities.json")
    assert registry.lookup("person", "kim jong un").slug == "kim-jong-un"
    assert registry.lookup("place", "Kim Jong-un") is None


def test_a_yaml_registry_of_an_earlier_version_is_read_when_there_is_no_json(tmp_path: Path):
    (tmp_path / "topics.yml").write_text('- slug: "trade"\n  name: "Trade"\n', encoding="utf-8")
    registry = load_registry(tmp_path / "topics.json")
    assert registry.lookup(None, "Trade").slug == "trade"


def test_a_broken_registry_builds_the_site_without_it(tmp_path: Path, caplog):
    (tmp_path / "entities.json").write_text("[{", encoding="utf-8")
    assert load_registry(tmp_path / "entities.json").entries == ()
    assert "entities.json" in caplog.text
