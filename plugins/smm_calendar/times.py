"""Days and times as people type them, and moments in a client's time zone.

A post's publish time is typed and shown in its client's time zone and stored as a UTC moment.
A local time the clock skips when summer time starts (01:30 on the night it jumps from 01:00
to 02:00) moves forward by the gap; a local time that happens twice when it ends is the first.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from amtui.api import (
    TIME,
    WEEKDAY_DAY_MONTH_YEAR,
    BadDate,
    format_moment,
    parse_date as read_date,
    zone_city,
)

from .i18n import _, ngettext
from .model import Refused

MAX_PERIOD_DAYS = 366


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The time zone named (UTC for a name this machine does not know)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def moment_at(day: date, at: time, zone_name: str) -> datetime:
    """The UTC moment of ``at`` o'clock on ``day`` in the zone."""
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone(zone_name))
    return local.astimezone(UTC)


def local(moment: datetime, zone_name: str) -> datetime:
    """A UTC moment as the wall clock in the zone shows it."""
    return moment.astimezone(zone(zone_name))


def parse_date(text: str, what: str = "date", today: date | None = None) -> date:
    """A day as amtui reads every typed day (10.12.2026, 2026-12-10, tomorrow, fri, +3d),
    counted from ``today``; Refused saying plainly what is wrong."""
    try:
        return read_date(text, today)
    except BadDate as error:
        raise Refused(f"{what}: {error}") from None


def parse_time(text: str, what: str = "time") -> time:
    """HH:MM (24-hour); Refused saying plainly what is wrong."""
    cleaned = text.strip()
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", cleaned)
    if match:
        hours, minutes = int(match[1]), int(match[2])
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
        raise Refused(_("{what}: {time} is not a time of day (00:00–23:59)").format(
            what=what, time=cleaned))
    raise Refused(_("{what}: {time!r} is not a time: use HH:MM, e.g. 10:00").format(
        what=what, time=cleaned))


def check_period(start: date, end: date) -> None:
    if end < start:
        raise Refused(_("the period ends ({end}) before it starts ({start})").format(
            end=f"{end:%d.%m.%Y}", start=f"{start:%d.%m.%Y}"))
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise Refused(_("the period {start} – {end} is longer than a year: choose a shorter "
                        "one").format(start=f"{start:%d.%m.%Y}", end=f"{end:%d.%m.%Y}"))


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of the month ``day`` is in."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day if it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    first = date(year, month + 1, 1)
    return first.replace(day=min(day.day, month_bounds(first)[1].day))


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


@lru_cache(maxsize=64)
def month_weeks(first: date) -> tuple[date, ...]:
    """The Mondays of the weeks the month of ``first`` touches (4 to 6 of them)."""
    start = week_start(first)
    last = month_bounds(first)[1]
    weeks = []
    while start <= last:
        weeks.append(start)
        start += timedelta(days=7)
    return tuple(weeks)


def describe_moment(moment: datetime, zone_name: str, with_zone: bool = False) -> str:
    """"Fri 27 Nov 2026 10:00" («пт 27 нояб. 2026 10:00») in the zone (and the zone's city
    after it, in the language in use: «(Владивосток)»)."""
    text = format_moment(local(moment, zone_name), f"{WEEKDAY_DAY_MONTH_YEAR} {TIME}")
    return f"{text} ({zone_city(zone_name)})" if with_zone else text


def in_words(delta: timedelta) -> str:
    """"2 days", "5 hours", "20 minutes" («2 дня», «5 часов»): the largest unit that fits,
    rounded."""
    seconds = abs(delta.total_seconds())
    if seconds >= 86_400:
        count = round(seconds / 86_400)
        return ngettext("{count} day", "{count} days", count).format(count=count)
    if seconds >= 3600:
        count = round(seconds / 3600)
        return ngettext("{count} hour", "{count} hours", count).format(count=count)
    count = round(seconds / 60)
    return ngettext("{count} minute", "{count} minutes", count).format(count=count)
