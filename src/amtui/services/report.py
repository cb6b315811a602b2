"""The daily client update: what was done, what is in progress, what we need from the client.

The profession's first rule is that a client hears from us every day. The update is composed
from the board, the messages and the notes as Markdown the account manager edits before
sending; sending it logs an outgoing message, which resets the client's cadence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from amtui.dates import (
    DAY_MONTH,
    DAY_MONTH_YEAR,
    LONG_DAY,
    TIME,
    day_in_words,
    format_day,
    format_moment,
)
from amtui.i18n import _, writing_in
from amtui.language import ENGLISH, normalised
from amtui.models import Client, Direction, Message, MessageKind, MessageStatus
from amtui.services import undo
from amtui.services.board import APPROVAL_COLUMN, column_title
from amtui.text import one_line

if TYPE_CHECKING:
    from amtui.storage import Workspace


@dataclass(frozen=True)
class DailyUpdate:
    client: Client
    since: datetime
    markdown: str
    locale: str = ENGLISH
    """The locale the update is written in: the client's language (see :func:`client_locale`)."""


def client_locale(workspace: Workspace, client: Client) -> str:
    """The locale a text to ``client`` is written in: the client's ``language``, else the
    workspace's ``locale``, else English."""
    return normalised(client.language) or normalised(workspace.settings.locale) or ENGLISH


def last_update_sent(messages: Iterable[dict[str, Any]]) -> datetime | None:
    """When the client of ``messages`` was last sent an update (an outgoing message of kind
    update)."""
    latest: datetime | None = None
    for raw in messages:
        if (raw.get("direction") == "outgoing" and raw.get("kind") == "update"
                and raw.get("received_at")):
            moment = datetime.fromisoformat(raw["received_at"])
            latest = moment if latest is None or moment > latest else latest
    return latest


def compose_daily_update(workspace: Workspace, client_id: str, since: datetime | None = None,
                         now: datetime | None = None) -> DailyUpdate:
    """The update for a client: done since ``since`` (default: the last update sent, or a
    day ago), in progress with expected dates, and what we need from the client.

    It is written to the client: in the client's language (:func:`client_locale`), whatever
    the screens speak, with days and times in the client's time zone."""
    now = now or workspace.clock()
    client = workspace.repo(Client).get(client_id)
    messages = [raw for raw in workspace.file(Message.table).scan()
                if raw.get("client_id") == client_id]
    if since is None:
        since = last_update_sent(messages) or now - timedelta(days=1)
    locale = client_locale(workspace, client)
    with writing_in(locale):
        markdown = _update_text(workspace, client, messages, since, now)
    return DailyUpdate(client, since, markdown, locale)


def _update_text(workspace: Workspace, client: Client, messages: list[dict[str, Any]],
                 since: datetime, now: datetime) -> str:
    zone = ZoneInfo(client.timezone)
    today = now.astimezone(zone).date()

    def day_of(moment: str) -> str:
        return day_in_words(datetime.fromisoformat(moment).astimezone(zone).date(), today)

    settings = workspace.settings
    done_column = settings.columns[-1]
    done: list[tuple[str, str]] = []
    in_progress: list[tuple[str, str]] = []
    needed: list[tuple[str, str]] = []
    for task in workspace.file("tasks").scan():
        if task.get("client_id") != client.id:
            continue
        title = one_line(str(task.get("title", "")), 120)
        column = str(task.get("column", ""))
        if column == done_column:
            done_at = task.get("done_at")
            if done_at and datetime.fromisoformat(done_at) >= since:
                done.append((done_at, f"- {title}"))
            continue
        if task.get("blocked_by_client") or column == APPROVAL_COLUMN:
            waiting = task.get("blocked_since")
            when = (_(" (we asked on {date})").format(date=day_of(waiting)) if waiting else "")
            needed.append((waiting or "", f"- {title}{when}"))
            continue
        if column == settings.columns[0]:
            continue  # the backlog is not news for the client
        due = task.get("due")
        expected = ""
        if due:
            day = day_in_words(date.fromisoformat(due), today)
            expected = (_(", running late (planned for {date})") if due < today.isoformat()
                        else _(", expected by {date}")).format(date=day)
        in_progress.append((due or "9999", f"- {title} — {one_line(column_title(settings, column))}"
                                           f"{expected}"))
    questions = [
        (raw.get("received_at") or "",
         f"- {one_line(str(raw.get('text', '')), 160)}")
        for raw in messages if raw.get("status") == "waiting_on_client"
    ]
    local_since = since.astimezone(zone)
    lines = [
        "# " + _("Update for {client}").format(client=one_line(client.name, 120))
        + f" — {format_day(today, LONG_DAY)}",
        "",
        "## " + _("Done since {date}").format(date=format_moment(
            local_since, f"{DAY_MONTH if local_since.year == today.year else DAY_MONTH_YEAR} "
                         f"{TIME}")),
        *_listed(done, _("Nothing finished since then.")),
        "",
        "## " + _("In progress"),
        *_listed(in_progress, _("Nothing in progress right now.")),
        "",
        "## " + _("What we need from you"),
        *_listed(needed + questions, _("Nothing: everything is with us.")),
        "",
    ]
    return "\n".join(lines)


def _listed(items: list[tuple[str, str]], empty: str) -> list[str]:
    return [line for _key, line in sorted(items)] if items else [empty]


def log_update_sent(workspace: Workspace, client_id: str, text: str) -> undo.Undo:
    """Record that the update was sent: an outgoing message, which counts as contact (the
    client's cadence starts again)."""
    now = workspace.clock()
    client = workspace.repo(Client).get(client_id)
    message = Message(client_id=client_id, text=text, direction=Direction.OUTGOING,
                      kind=MessageKind.UPDATE, status=MessageStatus.DONE,
                      channel=client.preferred_channel, received_at=now)
    return undo.add(workspace, message, _("update to {client} logged").format(
        client=one_line(client.name, 40)))[1]
