"""Parse the many ways pages write dates into aware datetimes or plain dates.

A datetime is aware only when the zone is known (given in the text, or the publisher's
timezone setting). A bare day stays a `date`. Nothing here ever invents a date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

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
_EARLIEST = date(1800, 1, 1)  # archives go back to 1800; i15-dumps owns the parser


def zone(name: str | None) -> ZoneInfo | None:
    """The ZoneInfo for an IANA name, or None when the name is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_date(text: str, timezone: str | None = None) -> DateValue | None:
    """Read a date from `text`.

    Returns an aware datetime when the text has a time of day and either an explicit
    offset or a known `timezone`; a plain `date` when it has only a day (or a time but
    no zone to place it in); None when no plausible date is found.
    """
    cleaned = text.strip()
    if not cleaned or not _HAS_YEAR.search(cleaned):
        return None
    try:
        parsed = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        parsed = _parse_loose(cleaned)
    if parsed is None or not _plausible(parsed.date()):
        return None
    has_time = bool(_HAS_TIME.search(cleaned))
    if parsed.tzinfo is not None:
        return parsed if has_time else parsed.date()
    tz = zone(timezone)
    if has_time and tz is not None:
        return parsed.replace(tzinfo=tz)
    return parsed.date()


def _parse_loose(text: str) -> datetime | None:
    # " - " between day and time ("Apr 21, 2021 - 09:46") reads as a minus sign to dateutil
    text = _NOISE.sub(" ", text).replace(" - ", " ").strip(" :|,")
    try:
        return dateutil_parser.parse(
            text, fuzzy=True, default=datetime(1900, 1, 1), tzinfos=_TZINFOS
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
