"""Clients: finding them, what their card shows, and turning typed form values into records.

Shared by the Clients pane and anything else that needs it; no Textual here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, available_timezones

import orjson
from pydantic import ValidationError
from pydantic_core import InitErrorDetails

from amtui.dates import BadDate, day_to_edit, parse_date
from amtui.i18n import _, shown as in_words
from amtui.models import (
    Client,
    ClientStatus,
    Contact,
    Deal,
    DealStatus,
    Member,
    Message,
    Note,
    Task,
    WorkingHours,
    in_own_words,
    problem_message,
)
from amtui.models.base import MONTHLY_PLACES
from amtui.models.words import field_word
from amtui.money import format_amount, parse_money
from amtui.services import undo
from amtui.services.hours import (
    WEEKDAYS_ONLY,
    WorkingDays,
    describe_weekdays,
    on_working_day,
    parse_weekdays,
)
from amtui.services.projection import Interner
from amtui.storage.workspace import AUDIT_NAME
from amtui.text import (
    fold,
    one_line,
)

if TYPE_CHECKING:
    from amtui.models import Record
    from amtui.storage import Workspace

Raw = dict[str, Any]
R = TypeVar("R", bound="Record")

# Finding clients


def search_words(query: str) -> list[str]:
    """The words of a search; a client matches when it holds all of them, in any order."""
    return fold(query).split()


LEGAL_FORMS = frozenset({"ооо", "оао", "зао", "пао", "ао", "ип", "гк", "нко", "llc", "ltd",
                         "inc", "jsc", "plc", "gmbh"})
"""Legal forms written around a client's name, which do not tell two clients apart."""
_NAME_WORDS = re.compile(r"[\W_]+")


def client_name_key(name: str) -> str:
    """What two clients' names share when they name the same client: case, quotes, punctuation
    and legal forms set aside (``ООО «Ромашка»`` and ``ромашка`` give ``ромашка``)."""
    words = [word for word in _NAME_WORDS.split(fold(name)) if word]
    return " ".join(word for word in words if word not in LEGAL_FORMS) or " ".join(words)


def same_name_clients(names: Iterable[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    """The (id, name) pairs of ``names`` whose name names the same client as ``name``."""
    key = client_name_key(name)
    longest = max(key.split(), key=len, default="")  # a quick look first: most names lack it
    return [(client_id, other) for client_id, other in names
            if longest in fold(other) and client_name_key(other) == key]


def duplicates_of(workspace: Workspace, name: str) -> list[tuple[str, str]]:
    """The stored clients (id, name) whose name names the same client as ``name``: asked
    before a new client is added, to warn (not refuse: two clients may share a name)."""
    return same_name_clients(((str(raw["id"]), str(raw.get("name", "")))
                              for raw in workspace.file("clients").scan()), name)


@dataclass(frozen=True, slots=True)
class ClientSummary:
    """One line of the client list, with what the filters and the search look at."""

    id: str
    name: str
    status: str
    kind: str
    key_account: bool
    owner_id: str
    owner_name: str
    tags: tuple[str, ...]
    monthly_revenue: Decimal
    cadence: str
    searchable: str
    """Name, owner, industry, tags and contact names, folded for searching."""


def summarise_clients(clients: Iterable[Raw], members: Mapping[str, Raw],
                      contacts: Iterable[Raw] = ()) -> list[ClientSummary]:
    """The clients sorted by name, from the stored records (read one by one; only the
    summaries are kept)."""
    shared = Interner()
    contact_names: dict[str, list[str]] = {}
    for contact in contacts:
        contact_names.setdefault(shared(str(contact.get("client_id"))), []).append(
            str(contact.get("name", "")))
    summaries = []
    amounts: dict[str, Decimal] = {}
    for client in clients:
        owner_id = shared(str(client.get("owner_id") or ""))
        owner_name = str(members.get(owner_id, {}).get("name", ""))
        tags = tuple(shared(str(tag)) for tag in client.get("tags", []))
        words = [str(client.get("name", "")), owner_name, str(client.get("industry", "")),
                 *tags, *contact_names.pop(client["id"], [])]
        summaries.append(ClientSummary(
            id=client["id"], name=str(client.get("name", "")),
            status=shared(str(client.get("status", ""))),
            kind=shared(str(client.get("kind", ""))),
            key_account=bool(client.get("key_account")), owner_id=owner_id,
            owner_name=shared(owner_name), tags=tags,
            monthly_revenue=_amount(amounts, str(client.get("monthly_revenue", 0))),
            cadence=shared(str(client.get("cadence", ""))), searchable=fold(" ".join(words)),
        ))
    summaries.sort(key=lambda summary: fold(summary.name))
    return summaries


def _amount(amounts: dict[str, Decimal], text: str) -> Decimal:
    """The amount ``text`` says, one object for equal texts (many clients pay the same)."""
    found = amounts.get(text)
    if found is None:
        found = amounts[text] = Decimal(text)
    return found


NOBODY = "-"
"""The owner filter value for clients nobody owns."""


@dataclass(frozen=True)
class ClientFilter:
    """What the client list is narrowed to; an empty value lets every client through."""

    status: str = ""
    owner_id: str = ""
    """A member's id, or :data:`NOBODY`."""
    kind: str = ""
    key_account: str = ""
    """``"yes"``, ``"no"`` or empty."""
    tag: str = ""

    @property
    def active(self) -> bool:
        return any((self.status, self.owner_id, self.kind, self.key_account, self.tag))

    def accepts(self, client: ClientSummary) -> bool:
        owner = client.owner_id or NOBODY
        return ((not self.status or client.status == self.status)
                and (not self.owner_id or owner == self.owner_id)
                and (not self.kind or client.kind == self.kind)
                and (not self.key_account or client.key_account == (self.key_account == "yes"))
                and (not self.tag or fold(self.tag) in map(fold, client.tags)))


def matching(clients: Iterable[ClientSummary], query: str,
             client_filter: ClientFilter | None = None) -> list[ClientSummary]:
    """The clients the filter lets through that hold every word of ``query``.

    One pass per word, each a plain comprehension: fast enough to run on every keystroke
    over ten thousand clients.
    """
    found = list(clients)
    if client_filter and client_filter.active:
        found = [client for client in found if client_filter.accepts(client)]
    for word in search_words(query):
        found = [client for client in found if word in client.searchable]
    return found


SIMILAR_SCORE = 80
"""How alike (0-100) a name must be to a search with no exact match to be offered."""


def similar(clients: Iterable[ClientSummary], query: str,
            client_filter: ClientFilter | None = None, limit: int = 200,
            ) -> list[ClientSummary]:
    """Clients whose name is like ``query`` though not exactly (a typo, a missed letter:
    "ромашко" finds "Ромашка"), most alike first. For when :func:`matching` finds nothing."""
    wanted = fold(query.strip())
    if not wanted:
        return []
    # lazy: rapidfuzz, only for fuzzy search
    from rapidfuzz import fuzz, process

    candidates = [client for client in clients
                  if not (client_filter and client_filter.active)
                  or client_filter.accepts(client)]
    names = [fold(client.name) for client in candidates]
    found = process.extract(wanted, names, scorer=fuzz.partial_ratio,
                            score_cutoff=SIMILAR_SCORE, limit=limit)
    return [candidates[index] for _name, _score, index in found]


def all_tags(clients: Iterable[ClientSummary]) -> list[str]:
    """Every tag in use, once (the first spelling seen), sorted."""
    seen: dict[str, str] = {}
    for client in clients:
        for tag in client.tags:
            seen.setdefault(fold(tag), tag)
    return sorted(seen.values(), key=fold)


# The client card


@dataclass(frozen=True)
class LocalTime:
    """The client's clock now, and whether it is within their working hours."""

    now: datetime
    """Now, in the client's time zone."""
    hours: WorkingHours
    working: bool


def local_time(client: Client, now: datetime) -> LocalTime:
    there = now.astimezone(ZoneInfo(client.timezone))
    hours = client.working_hours
    working = (there.weekday() in hours.weekdays
               and hours.start <= there.time() < hours.end)
    return LocalTime(there, hours, working)


@dataclass(frozen=True)
class UpdateDue:
    """When the client next expects to hear from us, by their cadence."""

    last_contact: datetime | None
    due: datetime | None
    """None when no update is due: no fixed cadence, or the client is not active."""
    overdue: bool = False


def next_update(client: Client, last_contact: datetime | None, now: datetime,
                calendar: WorkingDays = WEEKDAYS_ONLY) -> UpdateDue:
    """Due one cadence after the last contact (now, if never contacted), moved to the client's
    next working day if that falls on a weekend, a holiday or a day off (by ``calendar``), not
    before a snooze ends; the same rule Today uses."""
    days = client.cadence.days
    if days is None or client.status != ClientStatus.ACTIVE:
        return UpdateDue(last_contact, None)
    due = now
    if last_contact:
        hours = client.working_hours
        due = on_working_day(last_contact + timedelta(days=days), hours.weekdays, hours.start,
                             client.timezone, calendar)
    if client.update_snoozed_until and client.update_snoozed_until > due:
        due = client.update_snoozed_until
    return UpdateDue(last_contact, due, overdue=due <= now)


DealTotals = dict[str, dict[str, Decimal]]
"""Deal status (or ``"all"``) → currency → total amount."""


def deal_totals(deals: Iterable[Deal]) -> DealTotals:
    """Sums per status, in the order deals move, then ``"all"``; per currency, sorted."""
    totals: DealTotals = {}
    overall: dict[str, Decimal] = {}
    for deal in deals:
        by_currency = totals.setdefault(deal.status.value, {})
        currency = deal.amount.currency
        by_currency[currency] = by_currency.get(currency, Decimal(0)) + deal.amount.amount
        overall[currency] = overall.get(currency, Decimal(0)) + deal.amount.amount
    ordered: DealTotals = {status.value: dict(sorted(totals[status.value].items()))
                           for status in DealStatus if status.value in totals}
    if overall:
        ordered["all"] = dict(sorted(overall.items()))
    return ordered


def revenue_to_cost(client: Client) -> Decimal | None:
    """Monthly revenue per unit of cost to serve; None when no cost is recorded."""
    if not client.cost_to_serve:
        return None
    return client.monthly_revenue / client.cost_to_serve


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened with the client."""

    at: datetime
    kind: str
    """message, task, task_done, note, deal or change."""
    table: str
    record_id: str
    text: str
    """What it was: the message, the task's title, the changed fields…"""
    facts: tuple[str, ...] = ()
    """Short words that say more about what happened then, in the language in use: direction,
    kind and channel of a message (and the contact who wrote it); the department of a task;
    the kind of a note; for a change: the action, the changed fields and the OS user. Never
    the record's state now (a deal's status, a task's column): the line would change."""


@dataclass
class ClientDetails:
    """Everything the client card shows."""

    client: Client
    owner: Member | None
    contacts: list[Contact]
    deals: list[Deal]
    local: LocalTime
    update: UpdateDue
    totals: DealTotals
    ratio: Decimal | None
    timeline: list[TimelineEntry]
    older: int = 0
    """Timeline entries left out beyond the limit."""


def records_of(workspace: Workspace, record_type: type[R], client_id: str) -> list[R]:
    """The client's records of one type, in the order stored (asked of the record index:
    the tables can be large)."""
    return workspace.repo(record_type).query(client_id=client_id)


def client_details(workspace: Workspace, client_id: str, now: datetime | None = None,
                   timeline_limit: int = 300) -> ClientDetails:
    """Read the client and everything linked to it (raises RecordNotFound)."""
    now = now or workspace.clock()
    client = workspace.repo(Client).get(client_id)
    contacts = sorted(records_of(workspace, Contact, client_id),
                      key=lambda contact: fold(contact.name))
    deals = sorted(records_of(workspace, Deal, client_id),
                   key=lambda deal: deal.created_at, reverse=True)
    messages = records_of(workspace, Message, client_id)
    last = max((message.received_at for message in messages), default=None)
    timeline = client_timeline(workspace, client, contacts, deals, messages)
    return ClientDetails(
        client=client, owner=workspace.repo(Member).find(client.owner_id),
        contacts=contacts, deals=deals, local=local_time(client, now),
        update=next_update(client, last, now, WorkingDays.of(workspace.settings)),
        totals=deal_totals(deals),
        ratio=revenue_to_cost(client), timeline=timeline[:timeline_limit],
        older=max(len(timeline) - timeline_limit, 0),
    )


def client_timeline(workspace: Workspace, client: Client, contacts: list[Contact],
                    deals: list[Deal], messages: list[Message]) -> list[TimelineEntry]:
    """Messages, tasks, notes, deals and the audit's changes for the client, newest first."""
    entries: list[TimelineEntry] = []
    people = {contact.id: contact.name for contact in contacts}
    for message in messages:
        facts: tuple[str, ...] = (in_words(message.direction), in_words(message.kind),
                                  in_words(message.channel))
        if message.contact_id in people:
            facts += (people[message.contact_id],)
        entries.append(TimelineEntry(message.received_at, "message", Message.table,
                                     message.id, message.text, facts))
    for task in records_of(workspace, Task, client.id):
        entries.append(TimelineEntry(task.created_at, "task", Task.table, task.id, task.title,
                                     (task.department,)))
        if task.done_at:
            entries.append(TimelineEntry(task.done_at, "task_done", Task.table, task.id,
                                         task.title, (task.department,)))
    for note in records_of(workspace, Note, client.id):
        entries.append(TimelineEntry(note.created_at, "note", Note.table, note.id, note.title,
                                     (in_words(note.kind),)))
    for deal in deals:
        # Its status and amount now are not what they were then: changes to them are the
        # audit's lines.
        entries.append(TimelineEntry(deal.created_at, "deal", Deal.table, deal.id, deal.title))
    shown = {entry.record_id for entry in entries}
    labels = {record.id: record.label() for record in [client, *contacts]}
    labels.update({entry.record_id: entry.text for entry in entries})
    labels.update(_trashed_labels(workspace, client.id))
    for change in audit_changes(workspace, set(labels)):
        if change.get("action") == "add" and change["id"] in shown:
            continue
        fields = ", ".join(field_word(str(name), str(change.get("table", "")))
                           for name in change.get("fields", []))
        entries.append(TimelineEntry(
            datetime.fromisoformat(change["at"]), "change", str(change.get("table", "")),
            change["id"], labels.get(change["id"]) or str(change["id"]),
            (str(change.get("action", "")), fields, str(change.get("user", "")))))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _trashed_labels(workspace: Workspace, client_id: str) -> dict[str, str]:
    """Records of the client now in the trash (and the client itself, if it was): id → name."""
    labels = {}
    for entry in workspace.file("trash").scan():
        record = entry.get("record", {})
        if client_id in (record.get("client_id"), record.get("id")):
            labels[str(entry.get("record_id"))] = str(entry.get("title", ""))
    return labels


def audit_changes(workspace: Workspace, ids: set[str]) -> list[Raw]:
    """The audit log's lines about any of ``ids``, oldest first; unreadable lines skipped.

    The log grows with every change, so it is searched in one pass for the ids, and only
    the lines that name one are parsed.
    """
    if not ids:
        return []
    try:
        log = (workspace.root / AUDIT_NAME).read_bytes()
    except FileNotFoundError:
        return []
    wanted = b"|".join(re.escape(orjson.dumps(record_id)) for record_id in sorted(ids))
    found = []
    for match in re.finditer(b'"id":(?:' + wanted + b")", log):
        start = log.rfind(b"\n", 0, match.start()) + 1
        end = log.find(b"\n", match.end())
        try:
            change = orjson.loads(log[start:end if end >= 0 else len(log)])
            datetime.fromisoformat(change["at"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            continue
        if isinstance(change, dict) and change.get("id") in ids:
            found.append(change)
    return found


# Typed form values


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, spaces trimmed, each once (first spelling kept)."""
    tags: dict[str, str] = {}
    for tag in text.split(","):
        tag = " ".join(tag.split())
        if tag:
            tags.setdefault(fold(tag), tag)
    return list(tags.values())


def known_timezone(text: str) -> str:
    """The IANA name as typed, or its proper spelling when only the case differs
    ("europe/moscow" → "Europe/Moscow"); anything else is returned for the model to reject."""
    name = text.strip()
    try:
        ZoneInfo(name)
        return name
    except (ValueError, KeyError, OSError):
        pass
    spellings = {zone.casefold(): zone for zone in available_timezones()}
    return spellings.get(name.casefold(), name)


_HOURS = re.compile(r"\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*,?\s*(.*)",
                    re.DOTALL)


def format_hours(hours: WorkingHours) -> str:
    """Working hours as the form shows them: "10:00-19:00 Mon-Fri"."""
    return f"{hours.start:%H:%M}-{hours.end:%H:%M} {describe_weekdays(hours.weekdays)}".strip()


def parse_hours(text: str) -> WorkingHours:
    """Working hours as typed: "10:00-19:00 Mon-Fri", "9:30–18:00 пн-пт",
    "10:00-16:00 mon,wed,fri"; without days, Monday to Friday."""
    match = _HOURS.fullmatch(text)
    if not match:
        raise ValueError(f"«{one_line(text.strip(), 40)}» is not working hours: type e.g. "
                         "10:00-19:00 Mon-Fri")
    start_hour, start_minute, end_hour, end_minute, day_text = match.groups()
    try:
        start = time(int(start_hour), int(start_minute))
        end = time(int(end_hour), int(end_minute))
    except ValueError:
        raise ValueError(f"«{one_line(text.strip(), 40)}» names a time that does not "
                         "exist") from None
    weekdays = parse_weekdays(day_text)
    return WorkingHours(start=start, end=end, weekdays=weekdays or [0, 1, 2, 3, 4])


CLIENT_TEXT_FIELDS = ("name", "industry", "timezone")
CLIENT_CHOICE_FIELDS = ("kind", "legal_form", "status", "owner_id", "stage",
                        "preferred_channel", "cadence")


def client_form_values(client: Client | None, owner_id: str = "") -> dict[str, str]:
    """What a client form starts with: the client's values, or a new client's defaults."""
    shown = client or Client(name="-", owner_id=owner_id or None)
    values = {name: str(getattr(getattr(shown, name), "value", getattr(shown, name)) or "")
              for name in (*CLIENT_TEXT_FIELDS, *CLIENT_CHOICE_FIELDS)}
    values.update(
        name=client.name if client else "",
        key_account="yes" if shown.key_account else "no",
        monthly_revenue=format_amount(shown.monthly_revenue) if client else "",
        cost_to_serve=format_amount(shown.cost_to_serve) if client else "",
        tags=", ".join(shown.tags),
        working_hours=format_hours(shown.working_hours),
        language=shown.language,
    )
    return values


def _problem(name: str, typed: str, message: str) -> InitErrorDetails:
    return InitErrorDetails(type="value_error", loc=(name,), input=typed,
                            ctx={"error": ValueError(message)})


def client_from_form(values: Mapping[str, str], base: Client | None = None,
                     currency: str = "RUB") -> Client:
    """The client the form describes (``base`` with the typed values, when editing); monthly
    figures are money in ``currency``, the workspace's.

    Raises a ValidationError naming every field that is wrong, all at once.
    """
    data: dict[str, Any] = base.model_dump() if base else {}
    problems: list[InitErrorDetails] = []
    for name in CLIENT_TEXT_FIELDS:
        data[name] = values.get(name, "").strip()
    if not data["name"]:
        problems.append(_problem("name", "", _("type the client's name")))
    if data["timezone"]:
        data["timezone"] = known_timezone(data["timezone"])
    else:
        problems.append(_problem("timezone", "", _("type a time zone, e.g. Europe/Moscow")))
    for name in CLIENT_CHOICE_FIELDS:
        data[name] = values.get(name) or None
    data["key_account"] = values.get("key_account") == "yes"
    data["language"] = values.get("language", "")
    data["tags"] = parse_tags(values.get("tags", ""))
    for name in ("monthly_revenue", "cost_to_serve"):
        try:
            typed = values.get(name, "")
            amount = (parse_money(typed, currency, places=MONTHLY_PLACES) if typed.strip()
                      else Decimal(0))
            if base is None or amount != getattr(base, name):  # 1200 and 1200.00: unchanged
                data[name] = amount
        except ValueError as error:
            problems.append(_problem(name, values.get(name, ""), str(error)))
            data.pop(name, None)
    try:
        data["working_hours"] = parse_hours(values.get("working_hours", ""))
    except (ValueError, ValidationError) as error:
        message = str(error)
        if isinstance(error, ValidationError):
            message = problem_message(error.errors()[0])
        problems.append(_problem("working_hours", values.get("working_hours", ""), message))
        data.pop("working_hours", None)
    data = {name: value for name, value in data.items() if value is not None
            or name in ("owner_id", "stage")}
    reported = {str(problem["loc"][0]) for problem in problems}
    try:
        client = Client.model_validate(data)
    except ValidationError as error:
        problems.extend(
            InitErrorDetails(type=problem["type"], loc=problem["loc"], input=problem["input"],
                             ctx=problem.get("ctx", {}))
            for problem in in_own_words(error).errors()
            if str(problem["loc"][0]) not in reported)
    if problems:
        raise ValidationError.from_exception_data(Client.__name__, problems)
    return client


CONTACT_FIELDS = ("name", "role", "influence", "email", "phone", "messenger")


def contact_form_values(contact: Contact) -> dict[str, str]:
    """What the contact form starts with when editing ``contact``."""
    return {name: str(getattr(getattr(contact, name), "value", getattr(contact, name)))
            for name in CONTACT_FIELDS}


def contact_from_form(values: Mapping[str, str], client_id: str,
                      base: Contact | None = None) -> Contact:
    """The contact of the client the typed values describe: a new one, or ``base`` with them
    (raises ValidationError)."""
    data: dict[str, Any] = {name: values.get(name, "").strip() for name in CONTACT_FIELDS}
    if not data["name"]:
        raise ValidationError.from_exception_data(
            Contact.__name__, [_problem("name", "", _("type the person's name"))])
    data["influence"] = data["influence"] or None
    kept = {name: value for name, value in data.items() if value is not None}
    try:
        if base is not None:
            return Contact.model_validate({**base.model_dump(), **kept})
        return Contact.model_validate({"client_id": client_id, **kept})
    except ValidationError as error:
        raise in_own_words(error) from None


DEAL_FIELDS = ("title", "amount", "currency", "status", "owner_id", "signed_on", "paid_on")


def deal_form_values(deal: Deal | None, currency: str, owner_id: str = "") -> dict[str, str]:
    """What the deal form starts with: the deal's values, or a new deal's defaults."""
    if deal is None:
        return {"title": "", "amount": "", "currency": currency,
                "status": DealStatus.PROPOSAL.value, "owner_id": owner_id,
                "signed_on": "", "paid_on": ""}
    return {"title": deal.title, "amount": format_amount(deal.amount.amount),
            "currency": deal.amount.currency, "status": deal.status.value,
            "owner_id": deal.owner_id or "",
            "signed_on": day_to_edit(deal.signed_on) if deal.signed_on else "",
            "paid_on": day_to_edit(deal.paid_on) if deal.paid_on else ""}


def deal_from_form(values: Mapping[str, str], client_id: str, base: Deal | None = None,
                   today: date | None = None) -> Deal:
    """The deal the form describes (``base`` with the typed values, when editing).

    Raises a ValidationError naming every field that is wrong, all at once: the amount is
    typed as people type money ("1 200 000,50"), not negative, with no more digits after the
    point than the currency has; dates as :func:`amtui.dates.parse_date` reads them (counted
    from ``today``), the payment not before the signing.
    """
    data: dict[str, Any] = base.model_dump() if base else {"client_id": client_id}
    problems: list[InitErrorDetails] = []
    data["title"] = values.get("title", "").strip()
    if not data["title"]:
        problems.append(_problem("title", "", _("type what the deal is for")))
    currency = values.get("currency", "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        problems.append(_problem("currency", currency,
                                 _("type a three-letter currency code, e.g. RUB")))
        currency = "XXX"  # ISO's "no currency": the amount is still checked
    typed_amount = values.get("amount", "")
    try:
        if not typed_amount.strip():
            raise ValueError(_("type the deal's amount, e.g. {example}")
                             .format(example=format_amount(Decimal(150_000))))
        amount = parse_money(typed_amount, currency)
        if base is not None and amount == base.amount.amount:
            amount = base.amount.amount  # 1200 and 1200.00: unchanged
        data["amount"] = {"amount": amount, "currency": currency}
    except ValueError as error:
        problems.append(_problem("amount", typed_amount, str(error)))
        data.pop("amount", None)
    data["status"] = values.get("status") or DealStatus.PROPOSAL.value
    data["owner_id"] = values.get("owner_id") or None
    for name in ("signed_on", "paid_on"):
        typed = values.get(name, "").strip()
        try:
            data[name] = parse_date(typed, today) if typed else None
        except BadDate as error:
            problems.append(_problem(name, typed, str(error)))
            data[name] = None
    if data["status"] == DealStatus.WON.value and not values.get("signed_on", "").strip():
        # Commission and KPIs count a won deal from the day it was signed.
        problems.append(_problem("signed_on", "", _("type the day a won deal was signed")))
    reported = {str(problem["loc"][0]) for problem in problems}
    try:
        deal = Deal.model_validate(data)
    except ValidationError as error:
        for problem in in_own_words(error).errors():
            location = problem["loc"] or ("paid_on",)  # only the dates are checked together
            if str(location[0]) in reported:
                continue
            reported.add(str(location[0]))
            problems.append(InitErrorDetails(
                type=problem["type"], loc=location[:1], input=problem["input"],
                ctx=problem.get("ctx", {"error": ValueError(problem["msg"])})))
    if problems:
        raise ValidationError.from_exception_data(Deal.__name__, problems)
    return deal


# Changes (each returns how to undo it)


def add_client(workspace: Workspace, client: Client) -> undo.Undo:
    return undo.add(workspace, client, _("client «{name}» created").format(
        name=one_line(client.name, 40)))[1]


def save_client(workspace: Workspace, client: Client) -> undo.Undo:
    """Save an edited client; ConflictError if someone saved it since it was read."""
    return undo.update(workspace, client, _("client «{name}» edited").format(
        name=one_line(client.name, 40)))[1]


def overwrite_client(workspace: Workspace, client: Client) -> undo.Undo:
    """Save an edited client over a newer version someone else saved."""
    return undo.overwrite(workspace, client, _("client «{name}» edited").format(
        name=one_line(client.name, 40)))[1]


def delete_client(workspace: Workspace, client_id: str) -> undo.Undo:
    """Move the client to the trash; its contacts, deals and messages stay, and are its
    again when it is restored."""
    client = workspace.repo(Client).get(client_id)
    return undo.delete(workspace, Client, client_id, _("client «{name}» deleted").format(
        name=one_line(client.name, 40)))


def add_contact(workspace: Workspace, contact: Contact) -> undo.Undo:
    return undo.add(workspace, contact,
                    _("contact «{name}» added").format(name=one_line(contact.name, 40)))[1]


def save_contact(workspace: Workspace, contact: Contact) -> undo.Undo:
    """Save an edited contact; ConflictError if someone saved it since it was read."""
    return undo.update(workspace, contact, _("contact «{name}» edited").format(
        name=one_line(contact.name, 40)))[1]


def overwrite_contact(workspace: Workspace, contact: Contact) -> undo.Undo:
    return undo.overwrite(workspace, contact,
                          _("contact «{name}» edited").format(name=one_line(contact.name, 40)))[1]


def add_deal(workspace: Workspace, deal: Deal) -> undo.Undo:
    return undo.add(workspace, deal, _("deal «{title}» added").format(
        title=one_line(deal.title, 40)))[1]


def save_deal(workspace: Workspace, deal: Deal) -> undo.Undo:
    """Save an edited deal; ConflictError if someone saved it since it was read."""
    return undo.update(workspace, deal, _("deal «{title}» edited").format(
        title=one_line(deal.title, 40)))[1]


def overwrite_deal(workspace: Workspace, deal: Deal) -> undo.Undo:
    return undo.overwrite(workspace, deal, _("deal «{title}» edited").format(
        title=one_line(deal.title, 40)))[1]
