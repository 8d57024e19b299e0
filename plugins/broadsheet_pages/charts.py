"""Mentions per month as an inline SVG bar chart: no JavaScript, readable by screen readers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from markupsafe import Markup, escape

BAR, GAP, HEIGHT = 8, 2, 48


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from `first` to `last`, both included."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_counts(dates: Iterable[date]) -> Counter[date]:
    return Counter(d.replace(day=1) for d in dates)


def month_chart(counts: Counter[date], label: str) -> Markup:
    """A bar for each month with articles, spaced over every month from the first to the last;
    each bar has a tooltip title.

    Built with plain formatting (it runs for every listing): the numbers are ints and the
    only text, titles and label, is escaped.
    """
    if not counts:
        return Markup("")
    months = months_between(min(counts), max(counts))
    peak = max(counts.values())
    bars = []
    for position, month in enumerate(months):
        count = counts.get(month, 0)
        if not count:  # a gap in the row of bars says "none" well enough
            continue
        height = max(1, round(HEIGHT * count / peak))
        title = escape(f"{month:%B %Y}: {count} article{'s' if count > 1 else ''}")
        bars.append(
            f'<rect x="{position * (BAR + GAP)}" y="{HEIGHT - height}" width="{BAR}" '
            f'height="{height}"><title>{title}</title></rect>'
        )
    width = len(months) * (BAR + GAP)
    return Markup(
        f'<svg class="month-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}" '
        f'aria-label="{escape(label)}">{"".join(bars)}</svg>'
    )
