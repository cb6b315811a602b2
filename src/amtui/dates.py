"""Days as people type them, and days, times and lengths of time as they read them.

:func:`parse_date` is the one reader of a day typed by a person, in every form and command of
the app and of its plugins (stored days are ISO strings, read with ``date.fromisoformat``).
Whatever the language of the screens, it understands:

- ISO: ``2026-12-10``;
- day and month with dots: ``10.12.2026``, ``10.12.26`` (20xx), and ``10.12`` — the nearest
  10 December: this year's, or next (last) year's when that one is less than half a year away
  (on 28 December ``05.01`` is in January to come; on 5 January ``20.12`` is last December);
- with slashes, in the order of the locale's short date: ``12/10/2026`` in en_US,
  ``10/12/2026`` where the day comes first;
- words, in English and Russian: ``today``/«сегодня», ``tomorrow``/«завтра»,
  ``yesterday``/«вчера», «послезавтра»/«позавчера», and a weekday (``fri``, ``friday``,
  «пт», «пятница», «пятницу») — the next such day after today (a week on when it is today);
- a number of days, weeks or months from today: ``+3d``, ``+2w``, ``+1m``, ``-7d``
  («+3д», «+2н», «+1м»); a month on from 31 January is the month's last day.

The shown forms are named here once (``DAY_MONTH``, ``MONTH_YEAR``…) and made by Babel for
:func:`amtui.i18n.current_locale`; Babel is imported on the first date shown with a name in
it, not when amtui starts.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from amtui.clock import now
from amtui.i18n import _, current_locale, ngettext

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from amtui.storage import Workspace


class BadDate(ValueError):
    """Text typed as a day that is not one; the message says what to type instead."""


WEEKDAY_WORDS: dict[str, int] = {
    **{word: day for day, words in enumerate((
        ("mon", "monday", "пн", "пон", "понедельник"),
        ("tue", "tues", "tuesday", "вт", "вторник"),
        ("wed", "wednesday", "ср", "среда", "среду"),
        ("thu", "thur", "thurs", "thursday", "чт", "четверг"),
        ("fri", "friday", "пт", "пятница", "пятницу"),
        ("sat", "saturday", "сб", "суббота", "субботу"),
        ("sun", "sunday", "вс", "воскресенье"),
    )) for word in words},
}
"""Weekday names and abbreviations, English and Russian, lower case: Monday is 0."""

DAY_WORDS: dict[str, int] = {
    "today": 0, "сегодня": 0, "tomorrow": 1, "завтра": 1, "послезавтра": 2,
    "yesterday": -1, "вчера": -1, "позавчера": -2,
}
"""Words for a day counted from today."""

_RELATIVE = re.compile(r"([+-])\s*(\d{1,4})\s*([dwmднм])")
_UNITS = {"d": "d", "д": "d", "w": "w", "н": "w", "m": "m", "м": "m"}
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str, today: date | None = None) -> date:
    """The day ``text`` names (see the module's list), counted from ``today`` (by default the
    day in UTC by :func:`amtui.clock.now`; a form or command passes :func:`today_of` its
    workspace).

    Raises :class:`BadDate` (a ``ValueError``) with a message for the person who typed it."""
    # lazy: pydantic, loaded on first use
    from amtui.models.base import check_day

    cleaned = " ".join(text.strip().lower().replace("ё", "е").split()).rstrip(".")
    if not cleaned:
        raise BadDate(_("type a date, e.g. 10.12.2026, tomorrow or +3d"))
    day = _read(cleaned, today or now().date())
    if day is None:
        raise BadDate(_("{text!r} is not a date: type e.g. 10.12.2026, 2026-12-10, tomorrow, "
                        "fri or +3d").format(text=text.strip()))
    try:
        return check_day(day)
    except ValueError as error:
        raise BadDate(str(error)) from None


def _read(text: str, today: date) -> date | None:
    """The day, or ``None`` when ``text`` has no form of one; BadDate for a day that does not
    exist."""
    if text in DAY_WORDS:
        return today + timedelta(days=DAY_WORDS[text])
    if text in WEEKDAY_WORDS:
        return today + timedelta(days=(WEEKDAY_WORDS[text] - today.weekday() - 1) % 7 + 1)
    if match := _RELATIVE.fullmatch(text):
        count = int(match[2]) * (-1 if match[1] == "-" else 1)
        unit = _UNITS[match[3]]
        if unit == "m":
            return _add_months(today, count)
        try:
            return today + timedelta(days=count * (7 if unit == "w" else 1))
        except OverflowError:
            return None
    if _ISO.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise BadDate(_("{text} is not a date that exists").format(text=text)) from None
    if match := _DOTTED.fullmatch(text):
        return _day(int(match[1]), int(match[2]), match[3], today, text)
    if match := _SLASHED.fullmatch(text):
        first, second = int(match[1]), int(match[2])
        day, month = (second, first) if _month_first() else (first, second)
        return _day(day, month, match[3], today, text)
    return None


def _day(day: int, month: int, year: str | None, today: date, text: str) -> date:
    """The day of a day and month typed with a year (two digits are 20xx), or the nearest."""
    if year is not None:
        try:
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        except ValueError:
            raise BadDate(_("{text} is not a date that exists").format(text=text)) from None
    candidates = []
    for offset in (-1, 0, 1):
        try:
            candidates.append(date(today.year + offset, month, day))
        except ValueError:
            continue
    if not candidates:
        raise BadDate(_("{text} is not a date that exists").format(text=text))
    return min(candidates, key=lambda candidate: (abs((candidate - today).days), candidate < today))


def _month_first() -> bool:
    """Whether the locale's short date puts the month before the day (en_US: 12/10/26)."""
    # lazy: Babel, loaded when a locale formats something
    from babel.dates import get_date_format

    pattern = get_date_format("short", locale=current_locale()).pattern
    return pattern.find("M") < pattern.find("d")


def _add_months(day: date, months: int) -> date | None:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        return None
    following = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (following - timedelta(days=1)).day))


def today_of(workspace: Workspace) -> date:
    """The day it is by the workspace's clock in its time zone (UTC if it names none known):
    what "today", "tomorrow" and "+3d" typed in it are counted from."""
    # lazy: zoneinfo, loaded when a time zone is needed
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(workspace.settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return workspace.clock().astimezone(zone).date()


# How days and times are shown: Babel patterns, in the current locale. Days as numbers
# ("03.12", "03.12.2026", "10:30") read the same in every language amtui speaks and are made
# without Babel, so that the first screen does not wait for it.

WEEKDAY = "EEE"
"""A weekday's short name: "Thu", «чт»."""
DAY_MONTH = "dd MMM"
"""Day and month: "10 Dec", «10 дек.»."""
DAY_MONTH_YEAR = "dd MMM y"
"""Day, month and year: "10 Dec 2026", «10 дек. 2026»."""
WEEKDAY_DAY = "EEE dd"
"""Weekday and day: "Thu 10", «чт 10»."""
WEEKDAY_DAY_MONTH = "EEE dd MMM"
"""Weekday, day and month: "Thu 10 Dec", «чт 10 дек.»."""
WEEKDAY_DAY_MONTH_YEAR = "EEE dd MMM y"
""""Thu 10 Dec 2026", «чт 10 дек. 2026»."""
LONG_DAY = "EEEE dd MMMM"
"""The whole day in words: "Thursday 10 December", «четверг 10 декабря»."""
MONTH_YEAR = "LLLL y"
"""A month as a calendar's title: "December 2026", «декабрь 2026»."""
MONTH = "LLL"
"""A month's short name on its own: "Dec", «дек.»."""
TIME = "HH:mm"
"""A time of day: "10:30"."""


def format_day(day: date, pattern: str) -> str:
    """``day`` in one of the patterns above, in the current locale."""
    # lazy: Babel, loaded when a locale formats something
    from babel.dates import format_date

    return format_date(day, pattern, locale=current_locale())


def format_moment(moment: datetime, pattern: str) -> str:
    """``moment`` (in its own time zone) in one of the patterns above, or ``TIME`` after one
    (``f"{WEEKDAY} {TIME}"``), in the current locale."""
    # lazy: Babel, loaded when a locale formats something
    from babel.dates import format_datetime

    return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=current_locale())


def day_in_words(day: date, today: date) -> str:
    """A day with its month's name, and its year when it is not ``today``'s: "01 Dec",
    "01 Dec 2027" («01 дек.»)."""
    return format_day(day, DAY_MONTH if day.year == today.year else DAY_MONTH_YEAR)


def day_to_edit(day: date) -> str:
    """A day as a form shows it to be edited: "31.12.2026", which :func:`parse_date` reads
    back in every language."""
    return day.strftime("%d.%m.%Y")


def weekday_names() -> tuple[str, ...]:
    """The short names of the days of the week, Monday first: "Mon"…, «пн»…."""
    return _weekday_names(current_locale())


@lru_cache(maxsize=8)
def _weekday_names(locale: str) -> tuple[str, ...]:
    monday = date(2024, 1, 1)
    return tuple(format_day(monday + timedelta(days=day), WEEKDAY) for day in range(7))


def zone_city(key: str) -> str:
    """The city a time zone is named after, in the current locale: "Asia/Yekaterinburg" is
    "Yekaterinburg", «Екатеринбург» (a zone Babel does not know: its key's last part)."""
    return _zone_city(key, current_locale())


@lru_cache(maxsize=64)
def _zone_city(key: str, locale: str) -> str:
    # lazy: Babel, loaded when a locale formats something
    from babel.dates import get_timezone_location

    try:
        return get_timezone_location(key, locale=locale, return_city=True)
    except LookupError:
        return key.rsplit("/", 1)[-1].replace("_", " ")


def agency_zone(timezone: str) -> ZoneInfo:
    """The workspace's time zone (UTC if it names none known)."""
    # lazy: zoneinfo, loaded when a time zone is needed
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def day_and_time(moment: datetime, now: datetime) -> str:
    """``moment`` in ``now``'s time zone: "today 10:30", "yesterday 10:30", "03.12 10:30",
    "03.12.2025 10:30"."""
    local = moment.astimezone(now.tzinfo)
    clock = local.strftime("%H:%M")
    if local.date() == now.date():
        return _("today {time}").format(time=clock)
    if local.date() == now.date() - timedelta(days=1):
        return _("yesterday {time}").format(time=clock)
    return local.strftime("%d.%m " if local.year == now.year else "%d.%m.%Y ") + clock


def zone_label(zone: ZoneInfo, at: datetime) -> str:
    """A time zone as its city (in the current locale) and offset at ``at``:
    "Yekaterinburg, UTC+5", «Екатеринбург, UTC+5»."""
    city = zone_city(zone.key)
    offset = at.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{city}, UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def elsewhere(moment: datetime, zone: ZoneInfo, now: datetime) -> str:
    """The time in another zone, saying whose: "10:30 (Yekaterinburg, UTC+5)"; "" when that
    zone keeps the agency's time (``now``'s)."""
    here = moment.astimezone(now.tzinfo)
    there = moment.astimezone(zone)
    if there.utcoffset() == here.utcoffset():
        return ""
    shown = there.strftime("%H:%M" if there.date() == here.date() else "%d.%m %H:%M")
    return f"{shown} ({zone_label(zone, moment)})"


def duration(delta: timedelta, *, compact: bool = False) -> str:
    """A length of time in the largest unit that reads well: "45 min", "5 h", "3 d"
    («45 мин», «5 ч», «3 дня»); under an hour it is at least a minute, under two days it is
    in hours. ``compact`` is for a narrow column: "2h05", "3d"."""
    minutes = int(abs(delta.total_seconds()) // 60)
    hours, rest = divmod(minutes, 60)
    if compact:
        if hours < 48:
            return _("{hours}h{minutes:02d}").format(hours=hours, minutes=rest)
        return _("{count}d").format(count=hours // 24)
    if minutes < 60:
        return _("{count} min").format(count=max(minutes, 1))
    if hours < 48:
        return _("{count} h").format(count=hours)
    return days(hours // 24)


def days(count: int) -> str:
    """Whole days: "1 d", "5 d" («1 день», «5 дней»)."""
    return ngettext("{count} d", "{count} d", count).format(count=count)
