"""Daily and weekly digests and the calendar of all of them."""

from __future__ import annotations

import calendar
import itertools
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .model import Article
from .stories import Story


@dataclass(eq=False)
class Section:
    name: str
    category: Any  # Pelican Category, for its page's URL; None when the article has none
    articles: list[Article]


@dataclass(eq=False)
class Day:
    date: date
    url: str
    articles: list[Article]  # newest first
    sections: list[Section]
    stories: list[Story] = field(default_factory=list)  # most covered first
    headlines: list[Article] = field(default_factory=list)  # a few, as a front page lists it
    week: Week | None = None
    previous: Day | None = None
    next: Day | None = None

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(eq=False)
class Week:
    year: int  # ISO year and week
    number: int
    url: str
    start: date  # Monday
    days: list[Day] = field(default_factory=list)  # oldest first
    stories: list[Story] = field(default_factory=list)
    headlines: list[Headlines] = field(default_factory=list)  # a Headlines per day
    previous: Week | None = None
    next: Week | None = None

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def count(self) -> int:
        return sum(day.count for day in self.days)

    @property
    def articles(self) -> list[Article]:
        return [article for day in reversed(self.days) for article in day.articles]


@dataclass(frozen=True)
class Headlines:
    """A day of a weekly digest, by a few of its articles that none of the week's stories
    holds (`week_headlines`): the week always shows headlines, even when it has no story."""

    day: Day
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class CalendarWeek:
    week: Week | None
    cells: tuple[tuple[date, Day | None] | None, ...]  # None outside the month


@dataclass(frozen=True)
class Month:
    date: date  # first day
    weeks: tuple[CalendarWeek, ...]
    count: int


def _sections(articles: Sequence[Article]) -> list[Section]:
    groups: dict[str, Section] = {}
    for article in articles:
        category = getattr(article, "category", None)
        name = str(category) if category is not None else ""
        groups.setdefault(name, Section(name, category, [])).articles.append(article)
    return sorted(groups.values(), key=lambda s: (-len(s.articles), s.name.casefold()))


def _link(items: Sequence[Day] | Sequence[Week]) -> None:
    for older, newer in itertools.pairwise(items):
        older.next, newer.previous = newer, older


def build_days(days: Mapping[date, list[Article]], day_url: str) -> list[Day]:
    """One digest per day that has articles, oldest first, linked to their neighbours."""
    result = [Day(d, day_url.format(date=d), days[d], _sections(days[d])) for d in sorted(days)]
    _link(result)
    return result


def build_weeks(days: Sequence[Day], week_url: str) -> list[Week]:
    """ISO weeks of the days (oldest first); each day learns its week."""
    weeks: dict[tuple[int, int], Week] = {}
    for day in days:
        year, number, weekday = day.date.isocalendar()
        week = weeks.get((year, number))
        if week is None:
            week = Week(
                year,
                number,
                week_url.format(year=year, week=number),
                day.date - timedelta(days=weekday - 1),
            )
            weeks[year, number] = week
        week.days.append(day)
        day.week = week
    result = list(weeks.values())
    _link(result)
    return result


def _coverage(article: Article) -> tuple[int, int, bool]:
    """An article's story's standing (distinct outlets, then articles), as stories are ranked,
    and the story's lead before its other articles; an article of no story is one outlet's
    one article."""
    story = getattr(article, "story", None)
    if story is None:
        return (-1, -1, False)
    return (-len(story.sources), -story.count, article is not story.lead)


def headlines(
    articles: Sequence[Article], limit: int, told: Collection[Story] = ()
) -> list[Article]:
    """At most `limit` of a day's articles, as a front page lists them: one for each story not
    in `told`, the most covered first, by its lead when the lead is of the day, then the
    articles of no story, newest first."""
    picked: list[Article] = []
    listed = set(told)
    for article in sorted(articles, key=_coverage):  # stable: newest first otherwise
        if len(picked) == limit:
            break
        story = getattr(article, "story", None)
        if story not in listed:
            picked.append(article)
            if story is not None:
                listed.add(story)
    return picked


def week_headlines(week: Week, limit: int) -> list[Headlines]:
    """Each day of the week (oldest first) with its headlines that none of the week's stories
    holds (the page lists those above them), nor any story already listed on a day before."""
    told = set(week.stories)
    result = []
    for day in week.days:
        picked = headlines(day.articles, limit, told)
        told.update(story for a in picked if (story := getattr(a, "story", None)) is not None)
        result.append(Headlines(day, tuple(picked)))
    return result


def build_calendar(days: Sequence[Day]) -> list[Month]:
    """Months that have digests, newest first, as Monday-first weeks of days."""
    by_date = {day.date: day for day in days}
    months: dict[date, int] = defaultdict(int)
    for day in days:
        months[day.date.replace(day=1)] += day.count
    cal = calendar.Calendar(firstweekday=0)
    result = []
    for first in sorted(months, reverse=True):
        weeks = []
        for row in cal.monthdatescalendar(first.year, first.month):
            cells = tuple((d, by_date.get(d)) if d.month == first.month else None for d in row)
            week = next((by_date[d].week for d in row if d in by_date), None)
            weeks.append(CalendarWeek(week, cells))
        result.append(Month(first, tuple(weeks), months[first]))
    return result
