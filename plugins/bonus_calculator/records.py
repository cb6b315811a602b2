"""What the plugin stores besides plans: time entries, and statements locked once paid."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from pydantic import Field, model_validator

from amtui.api import Record

from .engine import Line
from .i18n import _

TIME_TABLE = "bonus_time_entries"
STATEMENTS_TABLE = "bonus_statements"


class TimeEntry(Record):
    """Hours a member worked on one day, from ``start`` to ``end`` (local time)."""

    table = TIME_TABLE
    references = {"member_id": "members", "client_id": "clients"}

    member_id: str
    day: date
    start: time
    end: time
    client_id: str | None = None
    """The client the hours were for, if any (billable to them)."""
    note: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _ends_after_start(self) -> TimeEntry:
        if self.end <= self.start:
            raise ValueError(_("the entry ends ({end:%H:%M}) before it starts ({start:%H:%M}); "
                               "log hours after midnight as an entry of the next day").format(
                end=self.end, start=self.start))
        return self


class LockedStatement(Record):
    """A member's statement for a month, locked once paid: it never changes again; later
    changes to what it was computed from become adjustments in the next month."""

    table = STATEMENTS_TABLE
    references = {"member_id": "members"}

    member_id: str
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    plan_id: str | None = None
    plan_name: str = ""
    lines: list[Line] = Field(default_factory=list)
    """The lines exactly as they were paid."""
    total: Decimal
    locked_at: datetime
    locked_by: str

    @model_validator(mode="after")
    def _total_is_the_sum(self) -> LockedStatement:
        if sum((line.amount for line in self.lines), Decimal(0)) != self.total:
            raise ValueError(_("the total is not the sum of the lines"))
        return self
