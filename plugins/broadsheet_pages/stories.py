"""Stories: one event and every outlet that covered it, each with a page at /stories/<slug>/.

The site's articles are grouped by `grouping.group` (headline and lead, entities, time). A
group of two articles or more, or an article that other outlets also published (wire copy that
ingest merged), is a story. Its slug is the slug of its first article when the story first
appears, and never changes: every build reads and writes the stories file (a content-side file,
`BROADSHEET_STORIES_FILE`, one story a line) with each story's slug and members' URLs, and the
grouping keeps those members together and never merges two stories of that file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import html

from broadsheet.files import write_if_changed

from .grouping import Item, Params, group
from .listings import top_counts
from .model import Article, Listing
from .settings import setting

log = logging.getLogger(__name__)
LEAD_WORDS = 60  # words of the body that stand for the lead when there is no summary
SUMMARY_WORDS = 8  # a shorter summary ("MOSCOW, February 13.", a dateline) is no lead
SETTLED_AFTER_DAYS = 7  # articles this much older than the stories file's newest are settled


@dataclass(eq=False)
class Story:
    slug: str
    url: str
    articles: list[Article]  # oldest first
    lead: Article  # the most central article: its headline and summary lead the page
    sources: tuple[str, ...]  # every publisher that ran it, copies included
    feed_url: str | None = None
    days: list[Any] = field(default_factory=list)  # digest Days it spans, oldest first
    weeks: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def others(self) -> list[Article]:
        """The articles other than the lead, newest first (the digest's river)."""
        return [a for a in reversed(self.articles) if a is not self.lead]

    @property
    def first(self) -> Any:
        return self.articles[0].date

    @property
    def last(self) -> Any:
        return self.articles[-1].date

    @property
    def newest_first(self) -> list[Article]:
        return self.articles[::-1]

    def entities(self, kind: str, limit: int) -> list[tuple[Listing, int]]:
        """The story's people, organisations or places with a page, most named first."""
        groups = ([e for e in a.entity_links if e.kind == kind and e.has_page] for a in self)
        return top_counts(groups, limit)

    def timeline(self) -> list[tuple[Any, list[Article]]]:
        """(day, articles of that day, oldest first) for each day the story has articles."""
        days: dict[Any, list[Article]] = {}
        for article in self.articles:
            days.setdefault(article.date.date(), []).append(article)
        return list(days.items())

    def __iter__(self):
        return iter(self.articles)


def lead_text(article: Article) -> str:
    """Headline and lead: the front-matter summary, else (none, or a dateline) the first words
    of the body."""
    summary = (getattr(article, "metadata", {}) or {}).get("summary") or ""
    if len(summary.split()) < SUMMARY_WORDS:
        body = getattr(article, "_content", "") or ""
        text = html.fromstring(body).text_content() if body.strip() else ""
        summary = " ".join(text.split()[:LEAD_WORDS]) or summary
    return f"{article.title}. {summary}"


def sources(articles: Iterable[Article]) -> tuple[str, ...]:
    names = []
    for article in articles:
        if article.source_page is not None:
            names.append(article.source_page.name)
        names.extend(copy.source for copy in article.also_published_by if copy.source)
    return tuple(sorted(set(names), key=str.casefold))


def outlet(article: Article) -> str | None:
    return article.source_page.name if article.source_page is not None else None


def read_stored(path: Path) -> dict[str, str]:
    """Article URL -> story slug, from the stories file (none when it is missing or broken)."""
    stored: dict[str, str] = {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return stored
    except (OSError, ValueError) as error:
        log.error("%s: unreadable (%s); story slugs start afresh", path, error)
        return stored
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("slug"), str):
            for url in entry.get("articles") or []:
                stored.setdefault(str(url), entry["slug"])
    return stored


def write_stored(path: Path, stories: Iterable[Story], stored: Mapping[str, str]) -> None:
    """Every story of this build, and those of earlier builds whose articles are all gone
    (their slugs stay taken), one a line, sorted by slug."""
    members: dict[str, set[str]] = {}
    for url, slug in stored.items():
        members.setdefault(slug, set()).add(url)
    for story in stories:
        members.setdefault(story.slug, set()).update(a.url for a in story.articles)
    lines = [
        json.dumps({"slug": slug, "articles": sorted(urls)}, ensure_ascii=False)
        for slug, urls in sorted(members.items())
    ]
    write_if_changed(path, "[\n" + ",\n".join(lines) + "\n]\n")


def _new_slug(article: Article, taken: set[str]) -> str:
    base = f"{article.date:%Y-%m-%d}-{article.slug}"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def params(settings: Mapping[str, Any]) -> Params:
    return Params(
        threshold=setting(settings, "BROADSHEET_STORY_THRESHOLD"),
        centroid=setting(settings, "BROADSHEET_STORY_CENTROID"),
        days=setting(settings, "BROADSHEET_STORY_DAYS"),
        entity_weight=setting(settings, "BROADSHEET_STORY_ENTITY_WEIGHT"),
        char_weight=setting(settings, "BROADSHEET_STORY_CHAR_WEIGHT"),
        burst_weight=setting(settings, "BROADSHEET_STORY_BURST_WEIGHT"),
        link=setting(settings, "BROADSHEET_STORY_LINK"),
        support=setting(settings, "BROADSHEET_STORY_SUPPORT"),
        cohesion=setting(settings, "BROADSHEET_STORY_COHESION"),
        centroid_core=setting(settings, "BROADSHEET_STORY_CENTROID_CORE"),
        outlet_link=setting(settings, "BROADSHEET_STORY_OUTLET_LINK"),
    )


def settled_day(items: Sequence[Item], fixed: Mapping[int, str]) -> int | None:
    """A week before the newest article in the stories file: the articles of the days before
    it were grouped by an earlier build (none: a first build groups every article). The week
    leaves room for late articles (a scraper catching up): one older than that joins no story
    of settled articles, only one with articles of the last week."""
    newest = max((items[i].day for i in fixed), default=None)
    return None if newest is None else newest - SETTLED_AFTER_DAYS


def build_stories(
    articles: Sequence[Article], settings: Mapping[str, Any], stored: Mapping[str, str]
) -> list[Story]:
    """The stories of the articles (any order); each member learns its `story`."""
    ordered = sorted(articles, key=lambda a: (a.date.timestamp(), a.source_path))
    items = [
        Item(lead_text(a), tuple(a.entity_links), a.date.date().toordinal(), outlet(a))
        for a in ordered
    ]
    fixed = {i: stored[a.url] for i, a in enumerate(ordered) if a.url in stored}
    grouping = group(items, params(settings), fixed, settled_day(items, fixed))
    taken = set(stored.values())
    url_pattern = setting(settings, "BROADSHEET_STORY_URL")
    feed_pattern = setting(settings, "BROADSHEET_FEED_URL")
    stories = []
    for members, lead in zip(grouping.groups, grouping.leads, strict=True):
        chosen = [ordered[i] for i in members]
        outlets = sources(chosen)
        if len(chosen) < 2 and len(outlets) < 2:
            chosen[0].story = None
            continue
        slug = next((fixed[i] for i in members if i in fixed), None)
        slug = slug or _new_slug(chosen[0], taken)
        url = url_pattern.format(slug=slug)
        story = Story(slug, url, chosen, ordered[lead], outlets)
        story.feed_url = feed_pattern.format(base=url) if feed_pattern else None
        for article in chosen:
            article.story = story
        stories.append(story)
    return stories


def ranked(stories: Iterable[Story], limit: int | None = None) -> list[Story]:
    """Most distinct outlets first, then most articles, then newest."""
    order = sorted(stories, key=lambda s: (-len(s.sources), -s.count, -s.last.timestamp(), s.slug))
    return order[:limit] if limit is not None else order


def stories_of(articles: Iterable[Article]) -> list[Story]:
    """The distinct stories of these articles, in first-seen order."""
    return list(dict.fromkeys(a.story for a in articles if getattr(a, "story", None)))


def prefer_other_stories(article: Article) -> None:
    """Related articles from other stories before those of the article's own story (which its
    story link already shows)."""
    story = getattr(article, "story", None)
    related = getattr(article, "related", None)
    if story is not None and related:
        article.related = sorted(related, key=lambda other: getattr(other, "story", None) is story)
