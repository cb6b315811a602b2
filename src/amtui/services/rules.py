"""The domain's facts, each decided in one place: which message waits for our answer, which is
late, what a snooze does, which task is overdue.

Today, the Inbox, the Board, the command line and the plugins ask these functions, so they
always agree. They work on the stored records as plain dicts (what ``scan()`` gives) and import
nothing heavy, so any layer may use them.

Decided once:

- A message waits for our answer while its status is ``new`` or ``waiting_on_us``.
- It is *late* when it waits, its answer-by time has passed, and it is not snoozed. A snooze
  takes a message off the late list until it ends; then it is late again (if still unanswered).
- A message has *no client yet* when it names none (mail from a sender no client had when
  it was imported). The messages *from a sender* are those with no client yet from the same
  address or, when the address is at a company's domain (not public mail), from anyone at
  that domain: a client made from the sender takes them all.
- A task *waits on the client* while it is marked blocked by the client: the next step is
  theirs. Such a task is never *overdue*: a task is overdue when it has a due day before today,
  is not in the done column and does not wait on the client.
- Each open task is in at most one of Today's task sections (:func:`task_section`), the most
  urgent that fits: waiting on the client (once it has waited ``push_client_after_days``, or
  at once when its due day has come: time to push the client, its due day shown), else
  overdue, else due today, else stuck with a department.
- A message is *urgent* when its priority is ``urgent`` or its text has one of the workspace's
  ``urgent_words`` as a word or with an ending of up to three letters (in any case, ё read
  as е: «упал» finds «Сайт упала», "down" does not find "download").
  Only ``urgent``, not ``high``: a busy inbox marks many messages high, and "urgent" must stay
  the few that cannot wait. An urgent message is answered within ``urgent_answer_minutes`` of
  working time instead of ``answer_within_hours``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from amtui.dates import parse_date
from amtui.i18n import _
from amtui.text import fold

if TYPE_CHECKING:
    from amtui.models.workspace import WorkspaceSettings
    from amtui.services.projection import View

Raw = Mapping[str, Any]

OPEN_MESSAGE_STATUSES = frozenset({"new", "waiting_on_us"})
"""Statuses of a message that waits for our answer."""

MAX_SNOOZE_DAYS = 365
"""The longest snooze, in days (of a message or a client's update)."""


def moment(value: object) -> datetime | None:
    """A stored moment (ISO text) as a datetime; None when absent."""
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def message_open(message: Raw | View) -> bool:
    """The message waits for our answer."""
    return message.get("status") in OPEN_MESSAGE_STATUSES


def snoozed(until: object, now: datetime) -> bool:
    """A snooze (``snoozed_until``, ``update_snoozed_until``) that has not ended at ``now``."""
    end = moment(until)
    return end is not None and end > now


def message_snoozed(message: Raw, now: datetime) -> bool:
    """Put off until a later moment (``snoozed_until``) that has not come yet."""
    return snoozed(message.get("snoozed_until"), now)


def message_late(message: Raw, now: datetime) -> bool:
    """Waiting for our answer past its answer-by time, and not snoozed."""
    if not message_open(message):
        return False
    answer_by = moment(message.get("answer_by"))
    return answer_by is not None and answer_by < now and not message_snoozed(message, now)


def message_without_client(message: Raw | View) -> bool:
    """No client yet: mail from a sender no client had when it came."""
    return not message.get("client_id")


def from_sender(message: Raw | View, address: str, domain: str = "") -> bool:
    """A message with no client yet from ``address`` or, given a company ``domain`` (not
    public mail: see :func:`amtui.services.importing.mail_domain`), from anyone at it."""
    if not message_without_client(message):
        return False
    sender = str(message.get("sender_address") or "").casefold()
    return bool(sender) and (sender == address.casefold()
                             or (bool(domain) and sender.rpartition("@")[2] == domain))


@functools.lru_cache(maxsize=8)
def _urgent_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern finding any of ``words`` as a word or with an ending of at most three letters
    («упал» finds «упала», "urgent" finds "urgently", "down" does not find "download"); None if
    there are none."""
    wanted = [r"\s+".join(map(re.escape, fold(word).split())) for word in words
              if word.strip()]
    return re.compile(r"(?<!\w)(?:" + "|".join(wanted) + r")\w{0,3}(?!\w)") if wanted else None


def message_urgent(message: Raw | View, settings: WorkspaceSettings) -> bool:
    """Marked urgent, or says one of the workspace's urgent words."""
    if message.get("priority") == "urgent":
        return True
    pattern = _urgent_pattern(tuple(settings.urgent_words))
    return pattern is not None and pattern.search(fold(str(message.get("text", "")))) \
        is not None


def answer_hours(message: Raw | View, settings: WorkspaceSettings) -> float:
    """Working hours within which a message just received must be answered."""
    if message_urgent(message, settings):
        return settings.urgent_answer_minutes / 60
    return settings.answer_within_hours


def task_open(task: Raw, done_column: str) -> bool:
    return task.get("column") != done_column


def task_waiting_on_client(task: Raw) -> bool:
    """Blocked by the client: the next step is theirs."""
    return bool(task.get("blocked_by_client"))


def task_overdue(task: Raw, today: date, done_column: str) -> bool:
    """Due before ``today``, not done and not waiting on the client."""
    due = task.get("due")
    return (bool(due) and str(due) < today.isoformat() and task_open(task, done_column)
            and not task_waiting_on_client(task))


TASK_SECTIONS = ("overdue_tasks", "due_today", "waiting_on_client", "stuck_with_department")
"""The keys of Today's task sections."""


def task_section(task: Raw, now: datetime, settings: WorkspaceSettings) -> str | None:
    """The one section of Today (of :data:`TASK_SECTIONS`) that lists ``task`` at ``now``;
    None for a task Today does not list."""
    columns = settings.columns
    if not task_open(task, columns[-1]):
        return None
    today = now.date().isoformat()
    due = str(task.get("due") or "")
    if task_waiting_on_client(task):
        since = moment(task.get("blocked_since"))
        pushed = since is not None and since <= now - timedelta(
            days=settings.push_client_after_days)
        return "waiting_on_client" if pushed or (due and due <= today) else None
    if due and due < today:
        return "overdue_tasks"
    if due == today:
        return "due_today"
    since = moment(task.get("column_since")) or moment(task.get("updated_at"))
    if task.get("column") != columns[0] and since is not None \
            and since <= now - timedelta(days=settings.stale_after_days):
        return "stuck_with_department"
    return None


def task_due_within(task: Raw, today: date, days: int, done_column: str) -> bool:
    """Not done and due by ``today + days`` (overdue ones included)."""
    due = task.get("due")
    return (bool(due) and str(due) <= (today + timedelta(days=days)).isoformat()
            and task_open(task, done_column))


def check_snooze_days(days: int) -> int:
    """``days`` if a snooze may last that long; else a ValueError that says why."""
    if not 1 <= days <= MAX_SNOOZE_DAYS:
        raise ValueError(_("snooze for 1 to {most} days, not {days}").format(
            most=MAX_SNOOZE_DAYS, days=days))
    return days


def parse_snooze_days(typed: str, today: date) -> int:
    """How many days a snooze typed in the app or on the command line asks for: a number of
    days ("3"), or the day it lasts until in any form :func:`amtui.dates.parse_date` reads
    ("tomorrow", "fri", "10.12", "+1w"), counted from ``today``. A ValueError says what is
    wrong."""
    text = typed.strip()
    if not text:
        raise ValueError(_("type a number of days (3) or a day (tomorrow, fri, 10.12)"))
    if text.isdigit():
        return check_snooze_days(int(text))
    return check_snooze_days((parse_date(text, today) - today).days)


def snooze_end(now: datetime, days: int) -> datetime:
    """When a snooze of ``days`` started at ``now`` ends (checked: 1 to MAX_SNOOZE_DAYS)."""
    return now + timedelta(days=check_snooze_days(days))
