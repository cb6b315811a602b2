"""Working-hours arithmetic in the client's own time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from amtui.models import WorkingHours


def add_working_hours(start: datetime, hours: float, hours_of_work: WorkingHours,
                      timezone: str) -> datetime:
    """The moment ``hours`` working hours after ``start``, counting only the client's working
    time (its weekdays, between its start and end time, in its time zone)."""
    zone = ZoneInfo(timezone)
    moment = start.astimezone(zone)
    remaining = timedelta(hours=hours)
    if not hours_of_work.weekdays:
        return start + remaining
    while True:
        day_start = datetime.combine(moment.date(), hours_of_work.start, zone)
        day_end = datetime.combine(moment.date(), hours_of_work.end, zone)
        if moment.weekday() not in hours_of_work.weekdays or moment >= day_end:
            moment = datetime.combine(moment.date() + timedelta(days=1), hours_of_work.start, zone)
            continue
        moment = max(moment, day_start)
        available = day_end - moment
        if remaining <= available:
            return (moment + remaining).astimezone(start.tzinfo)
        remaining -= available
        moment = day_end
