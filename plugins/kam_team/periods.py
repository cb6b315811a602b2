"""Periods the figures are computed over: a month (2026-10), a quarter (2026-Q4), a year
(2026), or the last N months."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .i18n import _

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_QUARTER_IN_LABEL = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    """The first day."""
    end: date
    """The last day (included)."""
    label: str
    """The period as it is typed and stored: ``2026-10``, ``2026-Q4``, ``2026``, or two of them
    joined by " – "."""

    @property
    def shown(self) -> str:
        """The label as a reader is told it in the language in use: ``2026-Q4`` is «4-й кв.
        2026» in Russian; months and years are numbers in every language."""
        return _QUARTER_IN_LABEL.sub(
            lambda found: _("{year}-Q{quarter}").format(year=found[1], quarter=found[2]),
            self.label)

    def months(self) -> list[Period]:
        """The calendar months of the period, in order."""
        found = []
        first = date(self.start.year, self.start.month, 1)
        while first <= self.end:
            found.append(month(first.year, first.month))
            first = found[-1].end + timedelta(days=1)
        return found

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def day_before(self) -> date:
        """The day whose end is the period's start: what was true then is "at the start"."""
        return self.start - timedelta(days=1)


def month(year: int, number: int) -> Period:
    start = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return Period(start, following - timedelta(days=1), f"{year}-{number:02d}")


def quarter(year: int, number: int) -> Period:
    first = month(year, 3 * number - 2)
    last = month(year, 3 * number)
    return Period(first.start, last.end, f"{year}-Q{number}")


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), str(number))


def month_of(day: date) -> Period:
    return month(day.year, day.month)


def quarter_of(day: date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def last_months(count: int, today: date) -> Period:
    """``count`` months up to and including the current one."""
    last = month_of(today)
    first = shift(last, -(count - 1))
    return Period(first.start, last.end, f"{first.label} – {last.label}")


def shift(period: Period, steps: int) -> Period:
    """The month, quarter or year ``steps`` before (negative) or after this one."""
    if _QUARTER.match(period.label):
        index = period.start.year * 4 + (period.start.month - 1) // 3 + steps
        return quarter(index // 4, index % 4 + 1)
    if _YEAR.match(period.label):
        return year(period.start.year + steps)
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month
    index = period.start.year * 12 + period.start.month - 1 + steps * (months + 1)
    first = month(index // 12, index % 12 + 1)
    if months == 0:
        return first
    last_index = index + months
    last = month(last_index // 12, last_index % 12 + 1)
    return Period(first.start, last.end, f"{first.label} – {last.label}")


def parse_period(text: str, today: date) -> Period:
    """``2026-10``, ``2026-Q4`` or ``2026``; a period that has not started yet is refused."""
    typed = text.strip()
    try:
        if found := _MONTH.match(typed):
            period = month(int(found[1]), int(found[2]))
        elif found := _QUARTER.match(typed):
            period = quarter(int(found[1]), int(found[2]))
        elif found := _YEAR.match(typed):
            period = year(int(found[1]))
        else:
            raise ValueError
    except ValueError:
        raise ValueError(_("period {typed!r}: use a month (2026-10), a quarter (2026-Q4) or a "
                           "year (2026)").format(typed=typed)) from None
    if period.start > today:
        raise ValueError(_("period {label} has not started yet (today is {today})").format(
            label=period.shown, today=today))
    return period


def recent_months(count: int, today: date) -> list[Period]:
    """The last ``count`` months, oldest first, the current one last."""
    current = month_of(today)
    return [shift(current, -back) for back in range(count - 1, -1, -1)]


def recent_quarters(count: int, today: date) -> list[Period]:
    current = quarter_of(today)
    return [shift(current, -back) for back in range(count - 1, -1, -1)]
