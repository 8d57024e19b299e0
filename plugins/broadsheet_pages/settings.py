"""The plugin's settings: defaults in one place, read where they are used."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    # an entity or topic needs this many articles for a page (and a feed) of its own
    "BROADSHEET_MIN_ARTICLES": 2,
    # registries of entity/topic slugs, relative to PATH (README: "Registries")
    "BROADSHEET_REGISTRY_PATH": "registry",
    # URLs; the page is saved as URL + index.html
    "BROADSHEET_DAY_URL": "digest/{date:%Y}/{date:%m}/{date:%d}/",
    "BROADSHEET_WEEK_URL": "digest/{year}/w{week:02d}/",
    "BROADSHEET_ARCHIVE_URL": "digest/",
    "BROADSHEET_ENTITY_URL": "{kind}/{slug}/",  # kind: people, organizations, places
    "BROADSHEET_ENTITIES_URL": "entities/",
    "BROADSHEET_TOPIC_URL": "topics/{slug}/",
    "BROADSHEET_TOPICS_URL": "topics/",
    "BROADSHEET_SOURCE_URL": "sources/{slug}/",
    "BROADSHEET_SOURCES_URL": "sources/",
    # a listing's archive pages, counted from its oldest article so that a new article never
    # moves an older one; the front page shows every article not yet on a full archive page
    "BROADSHEET_ARCHIVE_PAGE_URL": "{base}archive/{number}/",
    "BROADSHEET_ARCHIVE_PAGE_SIZE": 100,
    # Atom feed of each entity, topic and source page; None turns them off
    "BROADSHEET_FEED_URL": "{base}feed.atom.xml",
    "BROADSHEET_FEED_MAX_ITEMS": 20,
    # newest articles on a listing's front page (None: DEFAULT_PAGINATION)
    "BROADSHEET_LATEST": None,
    "BROADSHEET_RELATED": 5,  # related articles per article
    "BROADSHEET_RELATED_WINDOW": 6,  # nearest-in-time articles per shared entity/topic
    "BROADSHEET_KEY_ENTITIES": 5,  # entities shown beside an article in digests
    "BROADSHEET_TOP_ENTITIES": 10,  # co-mentions and top entities on listing pages
    # stories (README: "Stories"): one event, every outlet; a page and a feed each
    "BROADSHEET_STORY_URL": "stories/{slug}/",
    "BROADSHEET_STORIES_URL": "stories/",
    # each story's slug and articles, relative to PATH: slugs never change once given
    "BROADSHEET_STORIES_FILE": "registry/stories.json",
    # how stories are grouped (plugins/broadsheet_pages/grouping.py)
    "BROADSHEET_STORY_THRESHOLD": 0.15,  # mean similarity of a story's article pairs
    "BROADSHEET_STORY_CENTROID": 0.2,  # cosine of two groups' centroids that joins them
    "BROADSHEET_STORY_DAYS": 3,  # articles further apart are compared through others only
    "BROADSHEET_STORY_ENTITY_WEIGHT": 0.3,  # share of the similarity from shared entities
    "BROADSHEET_STORY_CHAR_WEIGHT": 0.4,  # share of the text's from pieces of words
    "BROADSHEET_STORY_BURST_WEIGHT": 0.15,  # share from words that burst in the article's days
    "BROADSHEET_STORY_LINK": 0.12,  # similarity of two articles that counts as a link
    "BROADSHEET_STORY_SUPPORT": 0.5,  # share of linked cross pairs two merging groups need
    "BROADSHEET_STORY_COHESION": 0.6,  # centroid merges: cross pairs vs the looser group's
    "BROADSHEET_STORY_CENTROID_CORE": 4,  # centroid merges: articles in the bigger group
    "BROADSHEET_STORY_OUTLET_LINK": 0.22,  # two lone articles of one outlet and day need this
    "BROADSHEET_TOP_STORIES": 10,  # stories leading a weekly digest
    "BROADSHEET_DAY_STORIES": 5,  # stories leading a daily digest
    "BROADSHEET_HOME_DAYS": 7,  # days before the latest one listed on the home page
    # headlines of a day under the home page's days before the latest (the newest) and under
    # each day of a weekly digest (besides its stories); the rest are on the day's page
    "BROADSHEET_DAY_HEADLINES": 5,
    # a rebuild renders only the pages whose inputs changed (README: "Rebuilds"); False
    # renders every page (the writer still leaves files that come out the same alone)
    "BROADSHEET_SKIP_UNCHANGED": True,
}


def setting(settings: Mapping[str, Any], name: str) -> Any:
    """A plugin setting: the user's value, else the default; a bad type falls back loudly."""
    default = DEFAULTS[name]
    value = settings.get(name, default)
    expected = (int, float) if isinstance(default, float) else type(default)
    if default is not None and value is not None and not isinstance(value, expected):
        log.error(
            "%s should be a %s, not %r; using %r", name, type(default).__name__, value, default
        )
        return default
    return value


def save_as(url: str) -> str:
    """Where a page with this URL is written (URLs end with a slash)."""
    return url + "index.html" if url.endswith("/") else url
