"""Dates as pages print them: any era from 1800, a day alone stays a day, zones only when known."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from broadsheet.extract.dates import (
    any_language_date,
    date_span,
    day_first,
    find_dates,
    parse_date,
    relative_date,
)

LONDON = "Europe/London"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26-FEB-1987", date(1987, 2, 26)),
        ("Published Jun 05, 2026", date(2026, 6, 5)),
        ("Tuesday, (08 Dec 2020)", date(2020, 12, 8)),
        ("January 18th, 2020", date(2020, 1, 18)),
        ("Sept. 5, 2019", date(2019, 9, 5)),
        ("4 March 1855", date(1855, 3, 4)),
        ("21st of March 2019", date(2019, 3, 21)),
        ("13/10/2020", date(2020, 10, 13)),
    ],
)
def test_a_day_without_a_time_is_a_date(text, expected):
    value = parse_date(text, LONDON)
    assert value == expected
    assert not isinstance(value, datetime)


@pytest.mark.parametrize("text", ["2019", "\u00a9 2009-2020", "Page 3 of 12", "Updated recently"])
def test_no_day_and_month_is_no_date(text):
    assert parse_date(text, LONDON) is None
    assert find_dates(text) == []


def test_a_twelve_hour_uk_time_is_placed_in_the_publishers_zone():
    value = parse_date("August 30, 2023 1:55 am", LONDON)
    assert value == datetime(2023, 8, 30, 1, 55, tzinfo=ZoneInfo(LONDON))
    assert value.utcoffset() == timedelta(hours=1)  # BST, not New York's -04:00


def test_a_time_without_a_known_zone_keeps_only_the_day():
    assert parse_date("August 30, 2023 1:55 pm") == date(2023, 8, 30)


def test_the_zone_the_page_prints_wins():
    value = parse_date("Updated: 12:30 PM EST, Mon March 2, 2020", LONDON)
    assert value == datetime(2020, 3, 2, 12, 30, tzinfo=ZoneInfo("America/New_York"))
    iso = parse_date("2021-04-21T09:46:00+09:00")
    assert iso.utcoffset() == timedelta(hours=9)
    rfc = parse_date("Thu, 26 Feb 1987 10:00:00 +0000")
    assert rfc == datetime(1987, 2, 26, 10, tzinfo=UTC)


def test_a_line_with_two_labelled_dates_gives_both():
    line = "Published : Apr 21, 2021 - 09:46       Updated : Apr 22, 2021 - 10:12"
    assert find_dates(line) == [date(2021, 4, 21), date(2021, 4, 22)]
    assert date_span(line) == "Apr 21, 2021 - 09:46"


def test_relative_dates_need_a_day_the_page_gives():
    scraped = date(2021, 4, 21)
    assert relative_date("Posted 2 hours ago", scraped) == scraped
    assert relative_date("3 days ago", scraped) == date(2021, 4, 18)
    assert relative_date("a week ago", scraped) == date(2021, 4, 14)
    assert relative_date("3 days ago", None) is None
    assert relative_date("Jun 05, 2026", scraped) is None


def test_numeric_dates_follow_the_pages_own_order():
    assert day_first("Posted 28/10/2023 and 08/11/2023") is True
    assert day_first("Posted 10/28/2023 and 11/08/2023") is False
    assert day_first("Posted 08/11/2023") is None
    assert parse_date("08/11/2023", dayfirst=True) == date(2023, 11, 8)
    assert parse_date("08/11/2023") == date(2023, 8, 11)
    assert parse_date("12/16/16 12:21pm") == date(2016, 12, 16)
    # a two-digit year needs a time beside it, or to open the text as a dateline does
    assert parse_date("Filed 12/16/16") is None


def test_a_day_followed_by_a_dot_before_its_month_is_read():
    assert find_dates("31. October, 2023") == [date(2023, 10, 31)]


def test_dotted_or_named_dates_settle_the_numeric_order():
    assert day_first("01.11.2023 06:06 PM") is True  # dots: the European way
    assert day_first("02/11/2023 02:00pm GMT ... November 2, 2023") is True
    assert day_first("11/02/2023 02:00pm EST ... November 2, 2023") is False
    assert day_first("08/11/2023 ... November 20, 2023") is None  # neither reading printed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mardi 5 juin 2018", date(2018, 6, 5)),
        ("Montag, 5. Juni 2018", date(2018, 6, 5)),
        ("martes 5 de junio de 2018", date(2018, 6, 5)),
        ("Chapter 5 Policy 2018", None),  # a number, a word and a year: no month's name
        ("3 Gründe 2018", None),
    ],
)
def test_a_day_with_its_months_name_in_another_language_is_read(text, expected):
    assert any_language_date(text) == expected


def test_a_two_digit_year_opening_a_block_is_a_dateline():
    assert parse_date("06-13-22 the future of work") == date(2022, 6, 13)
    assert find_dates("06/13/22") == [date(2022, 6, 13)]
    # inside a line, or dotted like a version number, it is no date
    assert parse_date("version 1.2.23 is out") is None
    assert parse_date("1.2.23") is None
    assert parse_date("see 06-13-22 notes") is None
