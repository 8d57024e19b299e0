"""The Generator writing the plugin's page kinds: digests, listings, indexes, redirects, feeds."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from broadsheet.records import ENTITY_KINDS
from broadsheet.site.build import content_written

from .digests import build_calendar, build_days, build_weeks, headlines, week_headlines
from .feed_text import summary_html
from .listings import details, letter_groups, top_counts
from .model import Article, Page, SiteIndex, Unlisted
from .settings import DEFAULTS, save_as, setting
from .stories import (
    build_stories,
    prefer_other_stories,
    ranked,
    read_stored,
    stories_of,
    write_stored,
)

log = logging.getLogger(__name__)

CONTEXT_KEY = "broadsheet_index"  # the SiteIndex, shared by the signal handler
TEMPLATES = {
    "person": "entity",
    "organization": "entity",
    "place": "entity",
    "topic": "topic",
    "source": "source",
}


class SummaryEntry:
    """An article in an entity, topic or source feed: those feeds are many, so they carry the
    summary only; the site and section feeds carry the full text."""

    summary_only = True  # the writer's feed digest leaves out a body no entry shows

    def __init__(self, article: Article):
        self._article = article

    def __getattr__(self, name: str) -> Any:
        return getattr(self._article, name)

    def get_content(self, _siteurl: str) -> str:
        return summary_html(self._article)  # plain text, as the HTML that shows it


class BroadsheetPagesGenerator(Generator):
    """Daily and weekly digests, entity/topic/source pages and indexes, redirects, feeds."""

    def generate_context(self) -> None:
        for name in DEFAULTS:  # templates can use e.g. BROADSHEET_ENTITIES_URL
            self.context[name] = setting(self.settings, name)
        self.index: SiteIndex | None = self.context.get(CONTEXT_KEY)
        if self.index is None:
            log.warning("broadsheet_pages: no articles were indexed; writing no pages")
            return
        self._build_stories(self.index)
        self._build_digests(self.index)
        self.details = {
            listing: details(listing, self.settings)
            for listing in self.index.listings()
            if listing.has_page
        }
        limit = setting(self.settings, "BROADSHEET_TOP_ENTITIES")
        for category, articles in self.context.get("categories", []):
            category.top_entities = top_counts((a.entity_links for a in articles), limit)

    def _build_digests(self, index: SiteIndex) -> None:
        self.days = build_days(index.days, setting(self.settings, "BROADSHEET_DAY_URL"))
        self.weeks = build_weeks(self.days, setting(self.settings, "BROADSHEET_WEEK_URL"))
        week_limit = setting(self.settings, "BROADSHEET_TOP_STORIES")
        day_limit = setting(self.settings, "BROADSHEET_DAY_STORIES")
        headline_limit = setting(self.settings, "BROADSHEET_DAY_HEADLINES")
        for week in self.weeks:
            week.stories = ranked(stories_of(week.articles), week_limit)
            week.headlines = week_headlines(week, headline_limit)
        for day in self.days:
            day.stories = ranked(stories_of(day.articles), day_limit)
            day.headlines = headlines(day.articles, headline_limit)
            for article in day.articles:
                article.digest_day = day
            for story in stories_of(day.articles):
                story.days.append(day)  # days are oldest first
                if day.week not in story.weeks:
                    story.weeks.append(day.week)
        recent = setting(self.settings, "BROADSHEET_HOME_DAYS")
        self.context["digest_latest"] = self.days[-1] if self.days else None
        self.context["digest_recent"] = self.days[-2 : -2 - recent : -1]

    def _build_stories(self, index: SiteIndex) -> None:
        """Stories of the whole site; their slugs are kept in the stories file."""
        path = Path(self.path) / setting(self.settings, "BROADSHEET_STORIES_FILE")
        stored = read_stored(path)
        self.stories = ranked(build_stories(index.articles, self.settings, stored))
        write_stored(path, self.stories, stored)
        content_written(self.settings, [path])  # no change of content for the next build
        for article in index.articles:
            prefer_other_stories(article)

    def generate_output(self, writer: Any) -> None:
        if self.index is None:
            return
        write = partial(writer.write_file, relative_urls=self.settings["RELATIVE_URLS"])
        self.write_digests(write)
        self.write_stories(write)
        self.write_listings(write)
        self.write_indexes(write)
        self.write_redirects(write)
        self.write_feeds(writer)

    def _write(self, write: Callable[..., None], url: str, template: str, **kwargs: Any) -> None:
        write(save_as(url), self.get_template(template), self.context, url=url, **kwargs)

    def write_digests(self, write: Callable[..., None]) -> None:
        for day in self.days:
            self._write(write, day.url, "digest_day", day=day)
        for week in self.weeks:
            self._write(write, week.url, "digest_week", week=week)
        self._write(
            write,
            setting(self.settings, "BROADSHEET_ARCHIVE_URL"),
            "digest_archive",
            months=build_calendar(self.days),
            weeks=self.weeks[::-1],
        )

    def write_stories(self, write: Callable[..., None]) -> None:
        for story in self.stories:
            self._write(write, story.url, "story", story=story)
        self._write(
            write, setting(self.settings, "BROADSHEET_STORIES_URL"), "stories", stories=self.stories
        )

    def write_listings(self, write: Callable[..., None]) -> None:
        for listing, about in self.details.items():
            template = TEMPLATES[listing.kind]
            self._write(
                write,
                listing.url,
                template,
                listing=listing,
                details=about,
                entries=about.latest,
                archive=None,
            )
            for page in about.archive:
                self._write(
                    write,
                    page.url,
                    template,
                    listing=listing,
                    details=about,
                    entries=page.articles,
                    archive=page,
                )

    def write_indexes(self, write: Callable[..., None]) -> None:
        index = self.index
        kinds = [
            (kind.label, letter_groups(e for e in index.entities.values() if e.kind == kind.type))
            for kind in ENTITY_KINDS
        ]
        self._write(
            write, setting(self.settings, "BROADSHEET_ENTITIES_URL"), "entities", kinds=kinds
        )
        self._write(
            write,
            setting(self.settings, "BROADSHEET_TOPICS_URL"),
            "topics",
            groups=letter_groups(index.topics.values()),
        )
        self._write(
            write,
            setting(self.settings, "BROADSHEET_SOURCES_URL"),
            "sources",
            sources=sorted(index.sources.values(), key=lambda s: s.name.casefold()),
        )

    def write_redirects(self, write: Callable[..., None]) -> None:
        """Old slugs of renamed entities and topics keep working: a page pointing onwards; a
        topic that has no page any more points to the topics index."""
        taken = {listing.url for listing in self.index.listings() if listing.has_page}
        for listing in self.details:
            for old_url in listing.old_urls:
                if old_url in taken:
                    log.warning(
                        "%s: old URL %s is in use again; no redirect written", listing.name, old_url
                    )
                    continue
                taken.add(old_url)
                self._write(write, old_url, "redirect", target=listing, page=Unlisted(old_url))
        topics_index = Page("Topics", setting(self.settings, "BROADSHEET_TOPICS_URL"))
        for url in self.index.retired_topic_urls:
            if url not in taken:
                taken.add(url)
                self._write(write, url, "redirect", target=topics_index, page=Unlisted(url))

    def write_feeds(self, writer: Any) -> None:
        limit = setting(self.settings, "BROADSHEET_FEED_MAX_ITEMS")
        for story in self.stories:
            if story.feed_url:
                entries = [SummaryEntry(a) for a in story.newest_first[:limit]]
                writer.write_feed(
                    entries, self.context, story.feed_url, story.feed_url,
                    feed_title=story.lead.title,
                )  # fmt: skip
        for listing, about in self.details.items():
            if about.feed_url:
                entries = [SummaryEntry(a) for a in listing.articles[:limit]]
                writer.write_feed(
                    entries, self.context, about.feed_url, about.feed_url, feed_title=listing.name
                )
