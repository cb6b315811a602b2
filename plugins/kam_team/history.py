"""Each client's account history: what it was (status, recurring revenue, cost to serve,
owner) from which day on.

amtui's client record holds only the present, so the plugin keeps the past: it compares the
clients with the last entry it has of each and adds an entry for every difference. It does so
when a client is saved in amtui (the ``amtui_event`` hook: dated that day) and whenever the
team view reads (catching changes made with the plugin switched off, dated when seen). A
client seen for the first time gets an entry dated the day it was created.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from amtui.api import Client

from .models import HISTORY, AccountHistory, HistoryEntry, history_id

if TYPE_CHECKING:
    from amtui.api import Workspace

Raw = dict[str, Any]
T = TypeVar("T")
TRACKED = frozenset({"status", "monthly_revenue", "cost_to_serve", "owner_id"})
"""The client fields the history keeps."""


@dataclass(frozen=True, slots=True)
class State:
    """A client on one day."""

    on: date
    status: str
    revenue: Decimal
    cost: Decimal
    owner_id: str | None

    @property
    def active(self) -> bool:
        return self.status == "active"


Timeline = list[State]
"""A client's states, oldest first (several on one day: the last one holds at its end)."""


def decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def current_entry(client: Raw, on: date) -> HistoryEntry:
    """What ``client`` (a stored client record) is now, as an entry from ``on``."""
    return HistoryEntry(on=on, status=client.get("status", "active"),
                        revenue=decimal(client.get("monthly_revenue")),
                        cost=decimal(client.get("cost_to_serve")),
                        owner_id=client.get("owner_id"))


def created_on(client: Raw, today: date) -> date:
    created = client.get("created_at")
    day = datetime.fromisoformat(created).date() if created else today
    return min(day, today)


def state_at(timeline: Timeline, day: date) -> State | None:
    """The client's state at the end of ``day``; None if it did not exist yet."""
    found = None
    for state in timeline:
        if state.on > day:
            break
        found = state
    return found


class Shared:
    """Hands back one object for equal values read from many records (a status, an owner's
    id, an amount, a day): ten thousand clients' timelines hold a few thousand distinct ones."""

    def __init__(self) -> None:
        self._made: dict[tuple[Callable[[Any], Any], type, Any], Any] = {}

    def __call__(self, make: Callable[[Any], T], value: Any) -> T:
        """``make(value)``, made once for equal values (None stays None)."""
        if value is None:
            return None  # type: ignore[return-value]
        key = (make, type(value), value)
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = make(value)
        return found  # type: ignore[no-any-return]


def timeline_of(entries: Iterable[Raw | HistoryEntry], shared: Shared | None = None
                ) -> Timeline:
    one = shared or Shared()
    states = []
    for entry in entries:
        if isinstance(entry, HistoryEntry):
            states.append(State(entry.on, str(entry.status), entry.revenue, entry.cost,
                                entry.owner_id))
        else:
            states.append(State(one(date.fromisoformat, entry["on"]), one(str, entry["status"]),
                                one(decimal, entry["revenue"] or 0),
                                one(decimal, entry["cost"] or 0),
                                one(str, entry.get("owner_id"))))
    states.sort(key=lambda state: state.on)  # stable: same-day entries keep their order
    return states


@dataclass
class Catching:
    """What the history lacks: records to add and records to extend."""

    new: list[AccountHistory]
    extended: list[tuple[Raw, HistoryEntry]]
    """(the stored history record, the entry to append)."""

    def __bool__(self) -> bool:
        return bool(self.new or self.extended)


def missing_entries(clients: Iterable[Raw], stored: dict[str, Raw], today: date) -> Catching:
    """Compare the clients with the stored histories (client id → raw history record)."""
    catching = Catching([], [])
    for client in clients:
        record = stored.get(client["id"])
        if record is None or not record.get("entries"):
            entry = current_entry(client, created_on(client, today))
            catching.new.append(AccountHistory(id=history_id(client["id"]),
                                               client_id=client["id"], entries=[entry]))
            continue
        last = record["entries"][-1]
        if _values(last, "status", "revenue", "cost") != _values(
                client, "status", "monthly_revenue", "cost_to_serve"):
            catching.extended.append((record, current_entry(client, today)))
    return catching


def _values(raw: Raw, status: str, revenue: str, cost: str) -> tuple[Any, ...]:
    return (raw.get(status, "active"), decimal(raw.get(revenue)), decimal(raw.get(cost)),
            raw.get("owner_id"))


def timelines(clients: Iterable[Raw], stored: dict[str, Raw], catching: Catching,
              shared: Shared | None = None) -> dict[str, Timeline]:
    """Every client's timeline: what is stored plus what is being caught up."""
    shared = shared or Shared()
    added = {history.client_id: history.entries for history in catching.new}
    extra: dict[str, list[HistoryEntry]] = {}
    for record, entry in catching.extended:
        extra.setdefault(record["client_id"], []).append(entry)
    result: dict[str, Timeline] = {}
    for client in clients:
        client_id = client["id"]
        if client_id in added:
            result[client_id] = timeline_of(added[client_id], shared)
            continue
        entries: list[Raw | HistoryEntry] = list(stored.get(client_id, {}).get("entries", []))
        entries.extend(extra.get(client_id, []))
        result[client_id] = timeline_of(entries, shared)
    return result


def stored_histories(workspace: Workspace) -> dict[str, Raw]:
    return {raw["client_id"]: raw for raw in workspace.repo(AccountHistory).scan()}


def write(workspace: Workspace, catching: Catching) -> None:
    """Store what was caught up, in one transaction (someone else's newer save wins: the next
    read compares again)."""
    if not catching:
        return
    now = workspace.clock().isoformat()
    with workspace.transaction(HISTORY) as tx:
        for history in catching.new:
            if tx.get(HISTORY, history.id) is None:
                raw = history.model_dump(mode="json")
                raw.update(rev=1, created_at=now, updated_at=now)
                tx.put(HISTORY, raw, "add", [])
        for record, entry in catching.extended:
            current = tx.get(HISTORY, record["id"])
            if current is None or current.get("rev") != record.get("rev"):
                continue
            extended = {**current, "entries": [*current["entries"],
                                               entry.model_dump(mode="json")],
                        "rev": current["rev"] + 1, "updated_at": now}
            tx.put(HISTORY, extended, "update", ["entries"])


_quiet: ContextVar[bool] = ContextVar("kam_team_recording_itself", default=False)
"""A context variable, not a thread-local: amtui runs each event hook in a thread of its own,
with the context of the code whose save raised the event."""


@contextmanager
def recording_itself() -> Iterator[None]:
    """While the plugin writes the history along with a change of its own, the change's
    events need not be compared again."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def follow_client_change(workspace: Workspace, client_id: str) -> None:
    """A client was saved with a tracked field changed: note its new state, dated today."""
    if _quiet.get():
        return
    client = workspace.repo(Client).stored(client_id)
    if client is None:
        return
    record = workspace.repo(AccountHistory).stored(history_id(client_id))
    stored = {client_id: record} if record is not None else {}
    write(workspace, missing_entries([client], stored, workspace.clock().date()))


def history_puts(tx: Any, changes: Iterable[tuple[Raw, date]], now: str) -> None:
    """Within a transaction that also holds the history table: append each client's new state
    (the client records as they are being saved) to its history."""
    changes = list(changes)
    ids = {history_id(client["id"]) for client, _on in changes}
    found = ({raw["id"]: raw for raw in tx.scan(HISTORY) if raw["id"] in ids}
             if len(ids) > 20 else {})  # one pass, not one search per client
    for client, on in changes:
        record = found.get(history_id(client["id"])) or tx.get(HISTORY, history_id(client["id"]))
        entry = current_entry(client, on).model_dump(mode="json")
        if record is None:
            history = AccountHistory(id=history_id(client["id"]), client_id=client["id"],
                                     entries=[current_entry(client, on)])
            raw = history.model_dump(mode="json")
            raw.update(rev=1, created_at=now, updated_at=now)
            tx.put(HISTORY, raw, "add", [])
        else:
            tx.put(HISTORY, {**record, "entries": [*record["entries"], entry],
                             "rev": record["rev"] + 1, "updated_at": now},
                   "update", ["entries"])
