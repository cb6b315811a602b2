"""The one place amtui asks what time it is.

``AMTUI_NOW`` (an ISO 8601 moment such as ``2026-11-26T09:00:00+03:00``; without an offset it
is UTC) stops the clock at that moment for the whole program and every amtui process started
with it in the environment: tests, demos and screenshots then see the same day whatever the
machine's date.

Everything amtui dates comes from here: what is due, late, received or changed, and the names
of backup snapshots (kept in the order they were made even when the clock stands still or goes
back). Record ids and the "since" in a lock holder's line keep the machine's own time: ids
must be unique across processes, and the lock line tells people when a process really took it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from amtui.i18n import _

ENVIRONMENT_VARIABLE = "AMTUI_NOW"

_parsed: tuple[str, datetime] | None = None
"""The last value of ``AMTUI_NOW`` read, and the moment it names."""


class BadClockSetting(ValueError):
    """``AMTUI_NOW`` holds something that is not a moment."""


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date or moment as an aware datetime (UTC when no offset is given)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadClockSetting(
            _("{variable}={text!r} is not a moment: use an ISO 8601 time such as "
              "2026-11-26T09:00:00+03:00, or unset it to use the machine's clock").format(
                  variable=ENVIRONMENT_VARIABLE, text=text)
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def fixed_moment() -> datetime | None:
    """The moment ``AMTUI_NOW`` stops the clock at, or ``None`` when it is not set."""
    global _parsed
    text = os.environ.get(ENVIRONMENT_VARIABLE)
    if not text:
        return None
    if _parsed is None or _parsed[0] != text:
        _parsed = (text, parse_moment(text))
    return _parsed[1]


def now() -> datetime:
    """The current moment, in UTC: ``AMTUI_NOW`` if set, else the machine's clock."""
    fixed = fixed_moment()
    return datetime.now(UTC) if fixed is None else fixed.astimezone(UTC)
