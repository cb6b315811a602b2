"""The handover dossier: one Markdown file with what a colleague needs to take an account over
during a holiday or after a departure."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.api import Client, one_line, os_user

from .fmt import NONE, money
from .history import decimal
from .i18n import _
from .keyaccounts import single_threaded_because
from .models import PLANS, STAGE_MOVES, SURVEYS, AccountPlan, StageMove, Survey, plan_id

if TYPE_CHECKING:
    from amtui.api import Workspace

Raw = dict[str, Any]
TIMELINE_DAYS = 30
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
OPEN_REQUESTS = ("new", "waiting_on_us", "waiting_on_client")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")


def md(value: object, width: int = 200) -> str:
    """Workspace text for a Markdown line or table cell: one line, control characters
    visible, Markdown's own characters escaped (a name stays a name)."""
    text = one_line("" if value is None else str(value), width)
    return _MARKDOWN.sub(r"\\\1", text) or NONE


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["None.", ""]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


@dataclass(frozen=True)
class Event:
    at: datetime
    what: str


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def dossier(workspace: Workspace, client_name_or_id: str) -> tuple[str, str]:
    """The dossier of a client named by id or exact name: (its Markdown, the client's name)."""
    client = workspace.repo(Client).resolve(client_name_or_id)
    now = workspace.clock()
    since = now - timedelta(days=TIMELINE_DAYS)
    members = {raw["id"]: raw for raw in workspace.file("members").scan()}

    def member(member_id: str | None) -> str:
        return md(members.get(member_id or "", {}).get("name")) if member_id else NONE

    plan_raw = workspace.file(PLANS).get(plan_id(client.id))
    plan = AccountPlan.model_validate(plan_raw) if plan_raw else None
    contacts = [raw for raw in workspace.file("contacts").scan()
                if raw.get("client_id") == client.id]
    moves = sorted((StageMove.model_validate(raw) for raw in workspace.file(STAGE_MOVES).scan()
                    if raw.get("client_id") == client.id), key=lambda move: move.on)
    surveys = sorted((Survey.model_validate(raw) for raw in workspace.file(SURVEYS).scan()
                      if raw.get("client_id") == client.id), key=lambda survey: survey.on)
    messages = [raw for raw in workspace.file("messages").scan()
                if raw.get("client_id") == client.id]
    tasks = [raw for raw in workspace.file("tasks").scan() if raw.get("client_id") == client.id]
    deals = [raw for raw in workspace.file("deals").scan() if raw.get("client_id") == client.id]
    notes = [raw for raw in workspace.file("notes").scan() if raw.get("client_id") == client.id]
    done_column = workspace.settings.columns[-1]
    currency = workspace.settings.currency

    out = [f"# Handover dossier: {md(client.name)}", "",
           f"Written {now:%Y-%m-%d %H:%M} UTC by {md(os_user())} from the workspace "
           f"{md(workspace.settings.name)}.", ""]
    hours = client.working_hours
    days = ", ".join(WEEKDAYS[day] for day in hours.weekdays)
    out += ["## Company", "", *_table(["", ""], [
        ["Name", md(client.name)], ["Kind", f"{client.kind.value}, {client.legal_form.value}"],
        ["Status", client.status.value], ["Industry", md(client.industry)],
        ["Owner", member(client.owner_id)], ["Key account", "yes" if client.key_account else "no"],
        ["Recurring revenue", f"{money(client.monthly_revenue)} {currency} a month"],
        ["Cost to serve", f"{money(client.cost_to_serve)} {currency} a month"],
        ["Preferred channel", client.preferred_channel.value],
        ["Time zone and hours", f"{md(client.timezone)}, {hours.start:%H:%M}–{hours.end:%H:%M}, "
                                f"{days}"],
        ["Update cadence", client.cadence.value], ["Tags", md(", ".join(client.tags))],
    ])]
    out += ["## Stage and purpose", "",
            f"- Relationship stage: {client.stage.value if client.stage else 'not set'}",
            f"- Purpose: {plan.purpose.value if plan and plan.purpose else 'not set'}", ""]
    for move in moves:
        was = move.from_stage.value if move.from_stage else "none"
        to = move.to_stage.value if move.to_stage else "none"
        out.append(f"- {move.on}: {was} → {to}, by {md(move.by)}: {md(move.reason)}")
    out += ["", "## Account team", ""]
    out += [f"- KAM: {member(plan.kam_id if plan and plan.kam_id else client.owner_id)}",
            f"- Assistant: {member(plan.assistant_id if plan else None)}"]
    for specialist in plan.specialists if plan else []:
        department = f" ({md(specialist.department)})" if specialist.department else ""
        out.append(f"- {md(specialist.name)}{department}")
    out += ["", "## Contacts and stakeholder map", ""]
    alone = single_threaded_because(len(contacts), plan, client.owner_id)
    if alone:
        out += [f"**Single-threaded:** {alone}; the relationship leaves with that person.", ""]
    rows = []
    for contact in sorted(contacts, key=lambda raw: str(raw.get("influence"))):
        view = plan.stakeholder(contact["id"]) if plan else None
        rows.append([md(contact.get("name")), md(contact.get("role")),
                     str(contact.get("influence", "")).replace("_", " "),
                     view.attitude.value if view else "not known",
                     f"{view.strength}/5" if view and view.strength else NONE,
                     md(contact.get("email")), md(contact.get("phone")),
                     md(contact.get("messenger"))])
    out += _table(["Name", "Role", "Influence", "Attitude", "Strength", "E-mail", "Phone",
                   "Messenger"], rows)
    open_requests = sorted((raw for raw in messages if raw.get("direction") != "outgoing"
                            and raw.get("status") in OPEN_REQUESTS),
                           key=lambda raw: raw.get("received_at", ""))
    out += ["## Open requests", "", *_table(["Received", "Status", "Kind", "Answer by", "Text"], [
        [str(raw.get("received_at", ""))[:16].replace("T", " "),
         str(raw.get("status", "")).replace("_", " "), str(raw.get("kind", "")),
         str(raw.get("answer_by") or "")[:16].replace("T", " ") or NONE, md(raw.get("text"))]
        for raw in open_requests])]
    open_tasks = sorted((raw for raw in tasks if raw.get("column") != done_column),
                        key=lambda raw: (raw.get("due") or "9999", raw.get("title", "")))
    out += ["## Open tasks", "", *_table(
        ["Task", "Department", "Column", "Due", "Assignee", "Blocked by client"], [
            [md(raw.get("title")), md(raw.get("department")),
             md(str(raw.get("column", "")).replace("_", " ")), raw.get("due") or NONE,
             md(raw.get("assignee")), "yes" if raw.get("blocked_by_client") else "no"]
            for raw in open_tasks])]
    out += ["## Deals and terms", "", *_table(["Deal", "Status", "Amount", "Signed", "Paid"], [
        [md(raw.get("title")), str(raw.get("status", "")),
         f"{money(decimal((raw.get('amount') or {}).get('amount')))} "
         f"{(raw.get('amount') or {}).get('currency', currency)}",
         raw.get("signed_on") or NONE, raw.get("paid_on") or NONE]
        for raw in sorted(deals, key=lambda raw: raw.get("signed_on") or "")])]
    if surveys:
        out += ["## Satisfaction", ""]
        out += [f"- {survey.on}: {survey.score} ({survey.scale.value})"
                + (f": {md(survey.comment)}" if survey.comment else "")
                for survey in surveys[-5:]]
        out.append("")
    events = _timeline(since, messages, tasks, deals, notes, moves, surveys)
    out += [f"## The last {TIMELINE_DAYS} days", ""]
    out += [f"- {event.at:%Y-%m-%d %H:%M} {event.what}" for event in events] or ["Nothing."]
    out.append("")
    return "\n".join(out), client.name


def _timeline(since: datetime, messages: list[Raw], tasks: list[Raw], deals: list[Raw],
              notes: list[Raw], moves: list[StageMove], surveys: list[Survey]) -> list[Event]:
    events: list[Event] = []

    def add(at: datetime | None, what: str) -> None:
        if at is not None and at >= since:
            events.append(Event(at, what))

    for raw in messages:
        direction = "from the client" if raw.get("direction") != "outgoing" else "to the client"
        add(_moment(raw.get("received_at")),
            f"message {direction} ({raw.get('kind', '')}, {raw.get('channel', '')}): "
            f"{md(raw.get('text'), 160)}")
    for raw in tasks:
        add(_moment(raw.get("created_at")),
            f"task handed to {md(raw.get('department'))}: {md(raw.get('title'))}")
        add(_moment(raw.get("done_at")), f"task done: {md(raw.get('title'))}")
    for raw in deals:
        add(_moment(raw.get("created_at")),
            f"deal {raw.get('status', '')}: {md(raw.get('title'))}")
    for raw in notes:
        add(_moment(raw.get("created_at")), f"note ({raw.get('kind', '')}): {md(raw.get('title'))}")
    for move in moves:
        add(move.created_at, f"stage {move.from_stage or 'none'} → {move.to_stage or 'none'}: "
                             f"{md(move.reason)}")
    for survey in surveys:
        add(survey.created_at, f"survey: {survey.score} ({survey.scale.value})")
    events.sort(key=lambda event: event.at, reverse=True)
    return events


def slug(name: str) -> str:
    """A file name part from a client's name: letters and digits, the rest as dashes."""
    return re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-").lower()[:60] or "client"


def write_file(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` whole or not at all (a temporary file renamed into place),
    readable by its owner only: it holds the contacts' details."""
    try:
        target = path.expanduser()
    except RuntimeError:  # ~user, and no such user
        raise ValueError(_("{path}: no user has that home folder").format(path=path)) from None
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(_("{folder} is not a folder that exists").format(folder=folder))
    if target.is_dir():
        raise ValueError(_("{target} is a folder; give a file name").format(target=target))
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/null): the rename would put a file in its place.
        raise ValueError(_("{target} is not a regular file; give a file name").format(
            target=target))
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".dossier-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
