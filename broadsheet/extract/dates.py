"""Parse the many ways pages write dates into aware datetimes or plain dates.

A datetime is aware only when the zone is known (given in the text, or the publisher's
timezone setting). A bare day stays a `date`. Nothing here ever invents a date: a text
must name a day, a month and a year ("Jun 05, 2026", "26-FEB-1987", "2021-04-21",
"13/10/2020"); a year alone ("© 2020") is no date. Any year from 1800 on is read.
"2 hours ago" is read only against a reference day the page also gives.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateparser import DateDataParser
from dateutil import parser as dateutil_parser
from htmldate.extractors import month_words

DateValue = datetime | date

# "2021-04-21", "2021/04/21", "Apr 21, 2021", "21 April 2021" with no time of day
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|\b\d{1,2}\s*[ap]\.?m\b|T\d{2}", re.IGNORECASE)
_HAS_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
# Words that pages put around dates and dateutil would choke on
_NOISE = re.compile(r"\b(published|updated|posted|last|modified|on|at|date)\b\s*:?", re.IGNORECASE)
# Zone abbreviations news pages print; dateutil knows none of these by itself
_ZONES = {
    **dict.fromkeys(("ET", "EST", "EDT"), "America/New_York"),
    **dict.fromkeys(("CT", "CST", "CDT"), "America/Chicago"),
    **dict.fromkeys(("MT", "MST", "MDT"), "America/Denver"),
    **dict.fromkeys(("PT", "PST", "PDT"), "America/Los_Angeles"),
    **dict.fromkeys(("GMT", "UTC", "Z"), "UTC"),
    "BST": "Europe/London",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "KST": "Asia/Seoul",
    "JST": "Asia/Tokyo",
}
_TZINFOS = {abbreviation: ZoneInfo(name) for abbreviation, name in _ZONES.items()}
_EARLIEST = date(1800, 1, 1)  # archives go back to 1800
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2\d\d\d)"
_CLOCK = (
    r"(?:[01]?\d|2[0-3])(?::[0-5]\d){1,2}(?:\.\d+)?(?:\s*[ap]\.?\s?m\b\.?)?"
    r"|(?:1[0-2]|0?[1-9])\s*[ap]\.?\s?m\b\.?"
)
_OFFSET = rf"(?:\s*(?:Z\b|[+-]\d{{2}}:?\d{{2}}\b|\(?(?:{'|'.join(_ZONES)})\b\)?))"
_DAY_TEXT = (
    rf"{_YEAR}-[01]?\d-[0-3]?\d(?=\b|T)|{_YEAR}/[01]?\d/[0-3]?\d\b|{_YEAR}\.[01]?\d\.[0-3]?\d\b"
    rf"|\b\d{{1,2}}[./-]\d{{1,2}}[./-]{_YEAR}\b"
    # a two-digit year only with a time after it: "12/16/16 12:21pm"
    r"|\b\d{1,2}/\d{1,2}/\d\d(?=,?\s+\d{1,2}:\d\d)"
    # ... or opening the text, as a dateline does ("06-13-22 the future of work"); not
    # dotted, which reads as a version ("1.2.23")
    r"|^\d{1,2}[/-]\d{1,2}[/-]\d\d(?!\S)"
    rf"|\b{_MONTH}\s*{_DAY},?\s*(?:,\s*)?{_YEAR}\b"
    rf"|\b{_DAY}\.?(?:\s+of)?[\s-]*{_MONTH},?[\s-]*{_YEAR}\b"
)
# a day, then optionally its time ("Apr 21, 2021 - 09:46", "2021-04-21T09:46:00+09:00")
DATE_TEXT = re.compile(
    rf"(?P<day>{_DAY_TEXT})(?:(?:T|[\s,|@\-\u2013\u2014]+(?:at\s+)?)(?P<time>{_CLOCK}){_OFFSET}?)?",
    re.IGNORECASE,
)
# ... or a time before its day ("12:30 PM EST, Mon March 2, 2020", "09:46, 21 April 2021")
_TIME_FIRST = re.compile(
    rf"(?P<time>{_CLOCK}){_OFFSET}?[\s,|\-\u2013\u2014]+(?:(?:on\s+)?[a-z]{{3,9}}\.?,?\s+)?"
    rf"(?P<day>{_DAY_TEXT})",
    re.IGNORECASE,
)
RELATIVE = re.compile(
    r"\b(?P<n>\d+|an?|one)\s+(?P<unit>second|sec|minute|min|hour|hr|day|week)s?\s+ago\b",
    re.IGNORECASE,
)
# a day with its month's name in any language: "mardi 5 juin 2018", "5. Juni 2018",
# "5 de junio de 2018", "juin 5, 2018" (the name checked against dateparser's locales)
_NAME = r"[^\W\d_]{3,}"
_ANY_LANGUAGE = re.compile(
    rf"\b{_DAY}\.?\s+(?:de\s+)?(?P<m1>{_NAME})\.?,?\s+(?:de\s+)?{_YEAR}\b"
    rf"|\b(?P<m2>{_NAME})\.?\s+{_DAY},?\s+{_YEAR}\b"
)
_UNITS = {"second": 0, "sec": 0, "minute": 0, "min": 0, "hour": 0, "hr": 0, "day": 1, "week": 7}


def zone(name: str | None) -> ZoneInfo | None:
    """The ZoneInfo for an IANA name, or None when the name is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


_NUMERIC = re.compile(rf"\b(\d{{1,2}})([./-])(\d{{1,2}})[./-]({_YEAR})\b")
# a day written with its month's name, to check a numeric date against: "November 2, 2023"
_NAMED = re.compile(
    rf"\b(?P<m1>{_MONTH})\s*(?P<d1>{_DAY}),?\s*(?P<y1>{_YEAR})\b"
    rf"|\b(?P<d2>{_DAY})\.?(?:\s+of)?[\s-]*(?P<m2>{_MONTH}),?[\s-]*(?P<y2>{_YEAR})\b",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def day_first(text: str) -> bool | None:
    """Whether a page writes its numeric dates day first ("28/10/2023"), as far as the page
    tells: a first number above 12 (or a second one), else dots ("01.11.2023", the
    European way), else one of them also written with its month's name ("02/11/2023" and
    "November 2, 2023"); None when nothing does."""
    ambiguous = []
    for match in _NUMERIC.finditer(text):
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
        ambiguous.append((first, match.group(2), second, int(match.group(4))))
    if any(separator == "." for _, separator, _, _ in ambiguous):
        return True
    named = _named_days(text) if ambiguous else set()
    for first, _, second, year in ambiguous:
        if first == second:
            continue
        if (year, second, first) in named:
            return True
        if (year, first, second) in named:
            return False
    return None


def _named_days(text: str) -> set[tuple[int, int, int]]:
    """(year, month, day) of each date `text` writes with the month's name."""
    out = set()
    for match in _NAMED.finditer(text):
        month = (match.group("m1") or match.group("m2"))[:3].lower()
        day = re.match(r"\d+", match.group("d1") or match.group("d2")).group(0)
        out.add((int(match.group("y1") or match.group("y2")), _MONTHS.index(month) + 1, int(day)))
    return out


def parse_date(
    text: str, timezone: str | None = None, dayfirst: bool | None = None
) -> DateValue | None:
    """Read a date from `text`.

    Returns an aware datetime when the text has a time of day and either an explicit
    offset or a known `timezone`; a plain `date` when it has only a day (or a time but
    no zone to place it in); None when no plausible date is found.
    """
    cleaned = text.strip()
    if not cleaned or not (_HAS_YEAR.search(cleaned) or DATE_TEXT.search(cleaned)):
        return None
    try:
        parsed = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        span = date_span(cleaned)
        if span is None:
            return None
        cleaned = span
        parsed = _parse_loose(cleaned, dayfirst)
    return _settle(parsed, cleaned, timezone)


def find_dates(
    text: str, timezone: str | None = None, dayfirst: bool | None = None
) -> list[DateValue]:
    """Every date `text` prints, in order (a line may give "Published ... Updated ...").
    `dayfirst` reads "08/11/2023" as 8 November (else as August 11, unless the first number
    is above 12)."""
    out = []
    for match in DATE_TEXT.finditer(text):
        value = _settle(_parse_loose(match.group(0), dayfirst), match.group(0), timezone)
        if value is not None:
            out.append(value)
    return out


def date_span(text: str) -> str | None:
    """The part of `text` that writes a date (with its time when one is next to it)."""
    match = _TIME_FIRST.search(text)
    if match is None or (
        (other := DATE_TEXT.search(text)) is not None and other.start("day") < match.start()
    ):
        match = DATE_TEXT.search(text)
    return match.group(0) if match else None


def relative_date(text: str, reference: date | None) -> date | None:
    """ "2 hours ago", "3 days ago": the day, counted back from a `reference` day the page
    gives (a scraper's header); without one, None (hours ago is no day of its own)."""
    match = RELATIVE.search(text)
    if match is None or reference is None:
        return None
    n = match.group("n").lower()
    count = 1 if n in ("a", "an", "one") else int(n)
    days = _UNITS[match.group("unit").lower()] * count
    return reference - timedelta(days=days) if days else reference


def any_language_date(text: str) -> date | None:
    """The day `text` writes with its month's name in any language dateparser knows
    ("mardi 5 juin 2018"); None when it writes none."""
    match = _ANY_LANGUAGE.search(text)
    if match is None or (match.group("m1") or match.group("m2")).lower() not in month_words():
        return None
    found = _date_parser().get_date_data(match.group(0)).date_obj
    return found.date() if found is not None and _plausible(found.date()) else None


@cache
def _date_parser() -> DateDataParser:
    # every locale, a whole date required: the gate above already found one's shape
    return DateDataParser(settings={"STRICT_PARSING": True, "PREFER_DATES_FROM": "past"})


def _settle(parsed: datetime | None, cleaned: str, timezone: str | None) -> DateValue | None:
    if parsed is None or not _plausible(parsed.date()):
        return None
    has_time = bool(_HAS_TIME.search(cleaned))
    if parsed.tzinfo is not None:
        return parsed if has_time else parsed.date()
    tz = zone(timezone)
    if has_time and tz is not None:
        return parsed.replace(tzinfo=tz)
    return parsed.date()


def _parse_loose(text: str, dayfirst: bool | None = None) -> datetime | None:
    # " - " between day and time ("Apr 21, 2021 - 09:46") reads as a minus sign to dateutil
    text = _NOISE.sub(" ", text).replace(" - ", " ").strip(" :|,")
    text = re.sub(r"[()|@\u2013\u2014]", " ", text)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(
        r"\bof\b|\bsept\b",
        lambda m: "sep" if m.group(0).lower() == "sept" else " ",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"([ap])\.\s?m\b\.?", r"\1m", text, flags=re.IGNORECASE)
    try:
        return dateutil_parser.parse(
            text,
            fuzzy=True,
            default=datetime(1900, 1, 1),
            tzinfos=_TZINFOS,
            dayfirst=bool(dayfirst),
        )
    except (ValueError, OverflowError):
        return None


def _plausible(day: date) -> bool:
    return _EARLIEST <= day <= date.today() + timedelta(days=2)


def day_of(value: DateValue) -> date:
    """The calendar day of a date value, in its own zone (the day the publisher printed)."""
    return value.date() if isinstance(value, datetime) else value


def iso(value: DateValue) -> str:
    """ISO 8601 text for the front-matter: with seconds and offset, or just the day."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()
