"""Working time: which days are worked (weekdays, public holidays, the workspace's own days off)
and working-hours arithmetic in the client's own time zone.

Public holidays come from the ``holidays`` package for the workspace's ``country``. It is
imported on first use, not at start-up, and each (country, year) is computed once and kept in
this user's cache folder.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import orjson

from amtui.i18n import _, current_locale
from amtui.models import WorkingHours
from amtui.storage.errors import StorageError
from amtui.storage.files import atomic_write
from amtui.storage.index import private_folder
from amtui.text import fold, one_line

if TYPE_CHECKING:
    from amtui.models.workspace import WorkspaceSettings

_DAY_WORDS = (
    ("monday", "понедельник", "пн"),
    ("tuesday", "вторник", "вт"),
    ("wednesday", "среда", "ср"),
    ("thursday", "четверг", "чт"),
    ("friday", "пятница", "пт"),
    ("saturday", "суббота", "сб"),
    ("sunday", "воскресенье", "вс"),
)


def _day(word: str) -> int:
    """The day a word names: an English or Russian name or its start (two letters at least:
    "mo", "mon", "пон"), or a Russian abbreviation ("пн")."""
    for day, (english, russian, short) in enumerate(_DAY_WORDS):
        if word == short or (len(word) >= 2 and (english.startswith(word)
                                                 or russian.startswith(word))):
            return day
    raise ValueError(_("unknown day «{word}»: use Mon Tue Wed Thu Fri Sat Sun or пн вт ср чт "
                       "пт сб вс, or a range such as Mon-Fri").format(word=one_line(word, 20)))


def parse_weekdays(text: str) -> list[int]:
    """Days of the week as typed, in English or Russian whatever the interface language:
    "Mon-Fri", "mon, wed, fri", "Mon/Wed/Fri", "пн–пт", "Sat-Mon" → numbers from 0 (Monday)
    to 6, sorted; ValueError naming a word that is not a day. Empty text gives no days."""
    days: set[int] = set()
    for part in re.split(r"[\s,/;]+", fold(text).replace("–", "-").replace("—", "-")):
        if not part:
            continue
        first, dash, last = part.partition("-")
        begin = _day(first)
        finish = _day(last) if dash else begin
        days.update(range(begin, finish + 1) if finish >= begin
                    else [*range(begin, 7), *range(finish + 1)])
    return sorted(days)


def describe_weekdays(days: list[int]) -> str:
    """Days of the week by their short names in the current language, as
    :func:`parse_weekdays` reads them back: "Mon-Fri", "Mon,Wed,Fri"; "пн-пт" in Russian."""
    # lazy: Babel, loaded when a locale formats something
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=current_locale())
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[days[0]]}-{names[days[-1]]}"
    return ",".join(str(names[day]) for day in days)


@lru_cache(maxsize=64)
def _public_calendar(country: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, weekend days made working) of a country in a year; none for a country
    the ``holidays`` package does not know. Kept in this user's cache (``holidays.json``) once
    computed: importing the package and computing a year take a few hundred ms."""
    key = f"{country} {year} {_holidays_release()}"
    kept = _kept_calendars()
    if key in kept:
        holidays_off, workdays = kept[key]
        return (frozenset(map(date.fromisoformat, holidays_off)),
                frozenset(map(date.fromisoformat, workdays)))
    import holidays  # lazy: a few hundred ms with a year's computing, only when not kept

    try:
        calendar: Any = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        found: tuple[frozenset[date], frozenset[date]] = frozenset(), frozenset()
    else:
        found = frozenset(calendar), frozenset(getattr(calendar, "weekend_workdays", ()))
    _keep_calendar(key, found)
    return found


def _holidays_release() -> str:
    """What changes when the ``holidays`` package is upgraded (its version file's size and
    time), found without importing it."""
    # lazy: only when a calendar is needed
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return "none"
    try:
        stat = os.stat(os.path.join(os.path.dirname(spec.origin), "version.py"))
    except OSError:
        return "unknown"
    return f"{stat.st_size}.{stat.st_mtime_ns}"


def _calendars_file() -> Path | None:
    try:
        return private_folder("holidays") / "calendars.json"
    except OSError:
        return None


def _kept_calendars() -> dict[str, list[list[str]]]:
    path = _calendars_file()
    if path is None:
        return {}
    try:
        kept = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _keep_calendar(key: str, found: tuple[frozenset[date], frozenset[date]]) -> None:
    """Add one year's calendar to the kept ones (written atomically, as the store writes)."""
    path = _calendars_file()
    if path is None:
        return
    kept = _kept_calendars()
    kept[key] = [sorted(day.isoformat() for day in days) for days in found]
    with contextlib.suppress(OSError, StorageError):  # kept only to be quicker next time
        atomic_write(path, orjson.dumps(kept), 0o600, within=path.parent)


@dataclass(frozen=True)
class WorkingDays:
    """Which days are worked: a client's weekdays, less the country's public holidays (moved
    days off included) and the workspace's ``days_off``, plus the weekends the country makes
    working and the workspace's ``working_days``."""

    country: str = ""
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()

    @classmethod
    def of(cls, settings: WorkspaceSettings) -> WorkingDays:
        """The calendar of a workspace's settings (``country``, ``days_off``, ``working_days``)."""
        return cls(settings.country, frozenset(settings.days_off),
                   frozenset(settings.working_days))

    def holiday(self, day: date) -> bool:
        """Whether ``day`` is a public holiday or a day off of the workspace, whatever the
        weekday."""
        if day in self.working_days:
            return False
        if day in self.days_off:
            return True
        return bool(self.country) and day in _public_calendar(self.country, day.year)[0]

    def works(self, day: date, weekdays: Collection[int]) -> bool:
        """Whether ``day`` is worked by someone who works on ``weekdays`` (Monday = 0)."""
        if day in self.working_days:
            return True
        if self.holiday(day):
            return False
        if day.weekday() in weekdays:
            return True
        return bool(self.country) and day in _public_calendar(self.country, day.year)[1]


WEEKDAYS_ONLY = WorkingDays()
"""A calendar of weekdays only: no public holidays, no days off."""


def add_working_hours(start: datetime, hours: float, hours_of_work: WorkingHours,
                      timezone: str, calendar: WorkingDays) -> datetime:
    """The moment ``hours`` working hours after ``start``, counting only the client's working
    time (its working days by ``calendar``, between its start and end time, in its time
    zone)."""
    zone = ZoneInfo(timezone)
    moment = start.astimezone(zone)
    remaining = timedelta(hours=hours)
    if not hours_of_work.weekdays:
        return start + remaining
    while True:
        day_start = datetime.combine(moment.date(), hours_of_work.start, zone)
        day_end = datetime.combine(moment.date(), hours_of_work.end, zone)
        if not calendar.works(moment.date(), hours_of_work.weekdays) or moment >= day_end:
            moment = datetime.combine(moment.date() + timedelta(days=1), hours_of_work.start, zone)
            continue
        moment = max(moment, day_start)
        available = day_end - moment
        if remaining <= available:
            return (moment + remaining).astimezone(start.tzinfo)
        remaining -= available
        moment = day_end


def on_working_day(due: datetime, weekdays: Collection[int], start: time, timezone: str,
                   calendar: WorkingDays) -> datetime:
    """``due`` if it falls on a working day in the time zone; otherwise the start of the
    working hours (``start``) of the next working day: an update due on a holiday or a
    weekend is due when the client is back at work."""
    zone = ZoneInfo(timezone)
    day = due.astimezone(zone).date()
    if not weekdays or calendar.works(day, weekdays):
        return due
    for _offset in range(366):
        day += timedelta(days=1)
        if calendar.works(day, weekdays):
            return datetime.combine(day, start, zone).astimezone(due.tzinfo)
    return due
