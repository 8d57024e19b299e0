"""Broadsheet's pages: digests, entity/topic/source pages, related articles, feeds, redirects.

Signal handlers live at module level; `register()` only connects them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from broadsheet.enrich.registry import Registry, load
from broadsheet.records import ENTITY_KINDS

from .annotate import annotate
from .generator import CONTEXT_KEY, BroadsheetPagesGenerator
from .index import build_index
from .settings import setting
from .writer import UnchangedFilesWriter

log = logging.getLogger(__name__)


def index_articles(article_generator) -> None:
    """After the articles are read (and cached): index them and annotate each article."""
    settings = article_generator.settings
    folder = Path(article_generator.path) / setting(settings, "BROADSHEET_REGISTRY_PATH")
    entities = Registry.of(load(folder / "entities.json", strict=False))
    topics = Registry.of(load(folder / "topics.json", strict=False))
    index = build_index(article_generator.articles, settings, entities, topics)
    annotate(index, settings, article_generator.context["generated_content"])
    article_generator.context[CONTEXT_KEY] = index
    article_generator.context["ENTITY_KINDS"] = ENTITY_KINDS  # labels for every template


def get_generators(_pelican) -> type[BroadsheetPagesGenerator]:
    return BroadsheetPagesGenerator


def get_writer(_pelican) -> type[UnchangedFilesWriter]:
    return UnchangedFilesWriter


def register() -> None:
    signals.article_generator_finalized.connect(index_articles)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
