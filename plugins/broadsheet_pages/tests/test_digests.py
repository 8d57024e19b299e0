"""Digest data: which articles a weekly digest lists under each day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..digests import Week, build_days, build_weeks, headlines, week_headlines
from ..stories import Story

MONDAY = date(2021, 4, 19)
WEDNESDAY = MONDAY + timedelta(days=2)


@dataclass(eq=False)  # by identity, as Pelican's articles
class Item:
    title: str
    date: datetime
    story: Story | None = None


def articles_of(day: date, count: int) -> list[Item]:
    """`count` articles of the day, newest first, as a day's digest holds them."""
    start = datetime.combine(day, datetime.min.time())
    return [Item(f"{day} #{n}", start + timedelta(hours=n)) for n in reversed(range(count))]


def week_of(days: dict[date, list[Item]]) -> Week:
    [week] = build_weeks(build_days(days, "d/{date}/"), "w/{year}/{week}/")
    return week


def story_of(slug: str, articles: list[Item], outlets: tuple[str, ...]) -> Story:
    story = Story(slug, f"stories/{slug}/", articles[::-1], articles[0], outlets)
    for article in articles:
        article.story = story
    return story


def test_week_headlines_are_each_day_s_newest_articles_up_to_the_limit() -> None:
    days = {MONDAY: articles_of(MONDAY, 7), WEDNESDAY: articles_of(WEDNESDAY, 2)}
    headlines = week_headlines(week_of(days), 3)
    assert [h.day.date for h in headlines] == sorted(days)
    assert [h.articles for h in headlines] == [tuple(days[MONDAY][:3]), tuple(days[WEDNESDAY])]


def test_week_headlines_leave_out_the_articles_of_the_week_s_stories() -> None:
    monday = articles_of(MONDAY, 4)
    week = week_of({MONDAY: monday})
    week.stories = [story_of("top", monday[:2], ("A", "B"))]
    [headlines] = week_headlines(week, 5)
    assert headlines.articles == (monday[2], monday[3])


def test_week_headlines_give_other_stories_one_headline_each_most_outlets_first() -> None:
    monday, wednesday = articles_of(MONDAY, 6), articles_of(WEDNESDAY, 2)
    story_of("small", [monday[0], monday[1]], ("A",))
    story_of("wide", [monday[3], monday[4], wednesday[1]], ("A", "B", "C"))
    headlines = week_headlines(week_of({MONDAY: monday, WEDNESDAY: wednesday}), 4)
    assert [h.articles for h in headlines] == [
        (monday[3], monday[0], monday[2], monday[5]),  # wide, small, then single articles
        (wednesday[0],),  # the wide story has its headline on Monday
    ]


def test_a_story_s_headline_is_its_lead_when_the_lead_is_of_the_day() -> None:
    monday = articles_of(MONDAY, 3)
    story_of("wide", [monday[2], monday[0]], ("A", "B"))  # the older article leads
    [headlines] = week_headlines(week_of({MONDAY: monday}), 5)
    assert headlines.articles == (monday[2], monday[1])


def test_a_day_s_headlines_skip_the_stories_already_told_and_leave_them_as_they_were() -> None:
    monday = articles_of(MONDAY, 4)
    told = {story_of("told", [monday[0], monday[1]], ("A", "B"))}
    story_of("new", [monday[2], monday[3]], ("A",))
    assert headlines(monday, 5, told) == [monday[2]]
    assert [story.slug for story in told] == ["told"]
