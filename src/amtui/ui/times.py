"""Times as people read them: in the agency's time zone, saying whose zone it is when not."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from amtui.dates import zone_city
from amtui.i18n import _


def agency_zone(timezone: str) -> ZoneInfo:
    """The workspace's time zone (UTC if it names none known)."""
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
