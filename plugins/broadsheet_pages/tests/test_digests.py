"""Digest data: which articles a weekly digest lists under each day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..digests import build_days, build_weeks, week_headlines
from ..stories import Story

MONDAY = date(2021, 4, 19)
WEDNESDAY = MONDAY + timedelta(days=2)


@dataclass(eq=False)  # by identity, as Pelican's articles
class Item:
    title: str
    date: datetime


def articles_of(day: date, count: int) -> list[Item]:
    """`count` articles of the day, newest first, as a day's digest holds them."""
    start = datetime.combine(day, datetime.min.time())
    return [Item(f"{day} #{n}", start + timedelta(hours=n)) for n in reversed(range(count))]


def test_week_headlines_are_each_day_s_newest_articles_up_to_the_limit() -> None:
    days = {MONDAY: articles_of(MONDAY, 7), WEDNESDAY: articles_of(WEDNESDAY, 2)}
    [week] = build_weeks(build_days(days, "d/{date}/"), "w/{year}/{week}/")
    headlines = week_headlines(week, 3)
    assert [h.day.date for h in headlines] == sorted(days)
    assert [h.articles for h in headlines] == [
        tuple(days[MONDAY][:3]),
        tuple(days[WEDNESDAY]),
    ]


def test_week_headlines_leave_out_the_articles_of_the_week_s_stories() -> None:
    monday = articles_of(MONDAY, 4)
    [week] = build_weeks(build_days({MONDAY: monday}, "d/{date}/"), "w/{year}/{week}/")
    story = Story("s", "stories/s/", [monday[1], monday[0]], monday[0], ("A", "B"))
    week.stories = [story]
    [headlines] = week_headlines(week, 5)
    assert headlines.articles == (monday[2], monday[3])
