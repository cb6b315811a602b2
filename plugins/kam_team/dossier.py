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

from amtui.api import (
    Client,
    Contact,
    Deal,
    Member,
    Message,
    Note,
    Record,
    Task,
    current_locale,
    format_money,
    one_line,
    os_user,
)

from .fmt import NONE
from .history import decimal
from .i18n import _, ngettext
from .keyaccounts import single_threaded_because
from .models import AccountPlan, StageMove, Survey, plan_id

if TYPE_CHECKING:
    from amtui.api import Workspace

Raw = dict[str, Any]
TIMELINE_DAYS = 30
OPEN_REQUESTS = ("new", "waiting_on_us", "waiting_on_client")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")


def md(value: object, width: int = 200) -> str:
    """Workspace text for a Markdown line or table cell: one line, control characters
    visible, Markdown's own characters escaped (a name stays a name)."""
    text = one_line("" if value is None else str(value), width)
    return _MARKDOWN.sub(r"\\\1", text) or NONE


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return [_("None."), ""]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


@dataclass(frozen=True)
class Event:
    at: datetime
    what: str


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _weekdays(days: list[int]) -> str:
    """Days of the week by their short names in the current language: "Mon, Tue", "пн, вт"."""
    # lazy: Babel, loaded when a locale formats something
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=current_locale())
    return ", ".join(str(names[day]) for day in days)


def dossier(workspace: Workspace, client_name_or_id: str) -> tuple[str, str]:
    """The dossier of a client named by id or exact name: (its Markdown, the client's name),
    written in the current language."""
    client = workspace.repo(Client).resolve(client_name_or_id)
    now = workspace.clock()
    since = now - timedelta(days=TIMELINE_DAYS)
    members = workspace.repo(Member).raw()

    def member(member_id: str | None) -> str:
        return md(members.get(member_id or "", {}).get("name")) if member_id else NONE

    plan = workspace.repo(AccountPlan).find(plan_id(client.id))

    def of_client(model: type[Record]) -> list[Raw]:
        return [raw for raw in workspace.repo(model).scan() if raw.get("client_id") == client.id]

    contacts = of_client(Contact)
    moves = sorted((StageMove.model_validate(raw) for raw in of_client(StageMove)),
                   key=lambda move: move.on)
    surveys = sorted((Survey.model_validate(raw) for raw in of_client(Survey)),
                     key=lambda survey: survey.on)
    messages = of_client(Message)
    tasks = of_client(Task)
    deals = of_client(Deal)
    notes = of_client(Note)
    done_column = workspace.settings.columns[-1]
    currency = workspace.settings.currency

    yes, no, not_set = _("yes"), _("no"), _("not set")
    out = ["# " + _("Handover dossier: {client}").format(client=md(client.name)), "",
           _("Written {moment} UTC by {me} from the workspace {workspace}.").format(
               moment=f"{now:%Y-%m-%d %H:%M}", me=md(os_user()),
               workspace=md(workspace.settings.name)), ""]
    hours = client.working_hours
    a_month = _("{amount} a month")
    out += ["## " + _("Company"), "", *_table(["", ""], [
        [_("Name"), md(client.name)],
        [_("Kind"), f"{client.kind.value}, {client.legal_form.value}"],
        [_("Status"), client.status.value], [_("Industry"), md(client.industry)],
        [_("Owner"), member(client.owner_id)],
        [_("Key account"), yes if client.key_account else no],
        [_("Recurring revenue"),
         a_month.format(amount=format_money(client.monthly_revenue, currency))],
        [_("Cost to serve"), a_month.format(amount=format_money(client.cost_to_serve, currency))],
        [_("Preferred channel"), client.preferred_channel.value],
        [_("Time zone and hours"), f"{md(client.timezone)}, {hours.start:%H:%M}–"
                                   f"{hours.end:%H:%M}, {_weekdays(hours.weekdays)}"],
        [_("Update cadence"), client.cadence.value], [_("Tags"), md(", ".join(client.tags))],
    ])]
    out += ["## " + _("Stage and purpose"), "",
            "- " + _("Relationship stage: {stage}").format(
                stage=client.stage.value if client.stage else not_set),
            "- " + _("Purpose: {purpose}").format(
                purpose=plan.purpose.value if plan and plan.purpose else not_set), ""]
    for move in moves:
        was = move.from_stage.value if move.from_stage else _("none")
        to = move.to_stage.value if move.to_stage else _("none")
        out.append(f"- {move.on}: " + _("{was} → {to}, by {who}: {reason}").format(
            was=was, to=to, who=md(move.by), reason=md(move.reason)))
    out += ["", "## " + _("Account team"), ""]
    out += ["- " + _("KAM: {member}").format(
                member=member(plan.kam_id if plan and plan.kam_id else client.owner_id)),
            "- " + _("Assistant: {member}").format(
                member=member(plan.assistant_id if plan else None))]
    for specialist in plan.specialists if plan else []:
        department = f" ({md(specialist.department)})" if specialist.department else ""
        out.append(f"- {md(specialist.name)}{department}")
    out += ["", "## " + _("Contacts and stakeholder map"), ""]
    alone = single_threaded_because(len(contacts), plan, client.owner_id)
    if alone:
        out += [_("**Single-threaded:** {why}; the relationship leaves with that person.").format(
            why=alone), ""]
    rows = []
    for contact in sorted(contacts, key=lambda raw: str(raw.get("influence"))):
        view = plan.stakeholder(contact["id"]) if plan else None
        rows.append([md(contact.get("name")), md(contact.get("role")),
                     str(contact.get("influence", "")).replace("_", " "),
                     view.attitude.value if view else _("not known"),
                     f"{view.strength}/5" if view and view.strength else NONE,
                     md(contact.get("email")), md(contact.get("phone")),
                     md(contact.get("messenger"))])
    out += _table([_("Name"), _("Role"), _("Influence"), _("Attitude"), _("Strength"),
                   _("E-mail"), _("Phone"), _("Messenger")], rows)
    open_requests = sorted((raw for raw in messages if raw.get("direction") != "outgoing"
                            and raw.get("status") in OPEN_REQUESTS),
                           key=lambda raw: raw.get("received_at", ""))
    out += ["## " + _("Open requests"), "", *_table(
        [_("Received"), _("Status"), _("Kind"), _("Answer by"), _("Text")], [
        [str(raw.get("received_at", ""))[:16].replace("T", " "),
         str(raw.get("status", "")).replace("_", " "), str(raw.get("kind", "")),
         str(raw.get("answer_by") or "")[:16].replace("T", " ") or NONE, md(raw.get("text"))]
        for raw in open_requests])]
    open_tasks = sorted((raw for raw in tasks if raw.get("column") != done_column),
                        key=lambda raw: (raw.get("due") or "9999", raw.get("title", "")))
    out += ["## " + _("Open tasks"), "", *_table(
        [_("Task"), _("Department"), _("Column"), _("Due"), _("Assignee"),
         _("Blocked by client")], [
            [md(raw.get("title")), md(raw.get("department")),
             md(str(raw.get("column", "")).replace("_", " ")), raw.get("due") or NONE,
             md(raw.get("assignee")), yes if raw.get("blocked_by_client") else no]
            for raw in open_tasks])]
    out += ["## " + _("Deals and terms"), "", *_table(
        [_("Deal"), _("Status"), _("Amount"), _("Signed"), _("Paid")], [
        [md(raw.get("title")), str(raw.get("status", "")),
         format_money(decimal((raw.get("amount") or {}).get("amount")),
                      str((raw.get("amount") or {}).get("currency", currency))),
         raw.get("signed_on") or NONE, raw.get("paid_on") or NONE]
        for raw in sorted(deals, key=lambda raw: raw.get("signed_on") or "")])]
    if surveys:
        out += ["## " + _("Satisfaction"), ""]
        out += [f"- {survey.on}: {survey.score} ({survey.scale.value})"
                + (f": {md(survey.comment)}" if survey.comment else "")
                for survey in surveys[-5:]]
        out.append("")
    events = _timeline(since, messages, tasks, deals, notes, moves, surveys)
    out += ["## " + ngettext("The last {count} day", "The last {count} days",
                             TIMELINE_DAYS).format(count=TIMELINE_DAYS), ""]
    out += [f"- {event.at:%Y-%m-%d %H:%M} {event.what}" for event in events] or [_("Nothing.")]
    out.append("")
    return "\n".join(out), client.name


def _timeline(since: datetime, messages: list[Raw], tasks: list[Raw], deals: list[Raw],
              notes: list[Raw], moves: list[StageMove], surveys: list[Survey]) -> list[Event]:
    events: list[Event] = []

    def add(at: datetime | None, what: str) -> None:
        if at is not None and at >= since:
            events.append(Event(at, what))

    for raw in messages:
        said = (_("message from the client ({kind}, {channel}): {text}")
                if raw.get("direction") != "outgoing"
                else _("message to the client ({kind}, {channel}): {text}"))
        add(_moment(raw.get("received_at")), said.format(
            kind=raw.get("kind", ""), channel=raw.get("channel", ""),
            text=md(raw.get("text"), 160)))
    for raw in tasks:
        add(_moment(raw.get("created_at")), _("task handed to {department}: {title}").format(
            department=md(raw.get("department")), title=md(raw.get("title"))))
        add(_moment(raw.get("done_at")), _("task done: {title}").format(
            title=md(raw.get("title"))))
    for raw in deals:
        add(_moment(raw.get("created_at")), _("deal {status}: {title}").format(
            status=raw.get("status", ""), title=md(raw.get("title"))))
    for raw in notes:
        add(_moment(raw.get("created_at")), _("note ({kind}): {title}").format(
            kind=raw.get("kind", ""), title=md(raw.get("title"))))
    for move in moves:
        add(move.created_at, _("stage {was} → {to}: {reason}").format(
            was=move.from_stage or _("none"), to=move.to_stage or _("none"),
            reason=md(move.reason)))
    for survey in surveys:
        add(survey.created_at, _("survey: {score} ({scale})").format(
            score=survey.score, scale=survey.scale.value))
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
