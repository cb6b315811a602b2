"""Each member's accounts and load."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .i18n import N_

if TYPE_CHECKING:
    from .snapshot import ClientRow, TeamData

ROLE_ORDER = {"head": 0, "kam": 1, "account_manager": 2, "assistant": 3}

LOAD_FIGURES: dict[str, tuple[str, str]] = {
    "member": (N_("Member"), N_("The person on our side (Enter: their accounts).")),
    "role": (N_("Role"), N_("head, KAM (key account manager), AM (account manager) or asst "
                            "(assistant).")),
    "accounts": (N_("Accounts"), N_("Clients the member owns, churned ones not counted.")),
    "key": (N_("Key"), N_("Of those, the key accounts.")),
    "revenue": (N_("Revenue"), N_("Recurring revenue per month of the member's active clients.")),
    "open": (N_("Open"), N_("Tasks of the member's clients not in the board's last column.")),
    "overdue": (N_("Overdue"), N_("Of those, the tasks whose due date has passed.")),
    "waiting": (N_("Waiting"), N_("Client messages waiting on us (new or waiting on us), assigned "
                                  "to the member or, unassigned, to the client's owner.")),
    "late": (N_("Late"), N_("Answers given late in the last 30 days: client messages answered "
                            "after their answer-by time; answered means our first message to the "
                            "client after it, or the message being closed, whichever came first.")),
}
"""Column key → (title, definition)."""


@dataclass(frozen=True)
class MemberLoad:
    member_id: str | None
    """None: the clients nobody owns."""
    name: str
    role: str
    accounts: int
    key: int
    revenue: Decimal
    open: int
    overdue: int
    waiting: int
    late: int

    def value(self, key: str) -> object:
        return self.name.casefold() if key == "member" else getattr(self, key)


def is_account(client: ClientRow) -> bool:
    """A client someone carries: anything but churned."""
    return client.status != "churned"


def member_accounts(data: TeamData, member_id: str | None) -> list[ClientRow]:
    """The member's accounts: key ones first, then by revenue and name."""
    owned = [client for client in data.clients.values()
             if client.owner_id == member_id and is_account(client)]
    owned.sort(key=lambda client: (not client.key, -client.revenue, client.name.casefold()))
    return owned


def team_load(data: TeamData) -> list[MemberLoad]:
    """One row per member (head first, then KAMs, account managers, assistants), and one for
    the accounts nobody owns if there are any."""
    known = {member.id for member in data.members}
    totals: dict[str | None, _Totals] = {}
    for client in data.clients.values():
        if not is_account(client):
            continue
        owner = client.owner_id if client.owner_id in known else None
        total = totals.setdefault(owner, _Totals())
        total.accounts += 1
        total.key += client.key
        if client.status == "active":
            total.revenue += client.revenue
        work = data.work.get(client.id)
        if work is not None:
            total.open += work.open_tasks
            total.overdue += work.overdue_tasks
    members = sorted(data.members, key=lambda member: (ROLE_ORDER.get(member.role, 9),
                                                        member.name.casefold()))
    people: list[tuple[str | None, str, str]] = [
        (member.id, member.name, member.role) for member in members]
    if None in totals:
        people.append((None, "(no owner)", ""))
    rows = []
    for member_id, name, role in people:
        total = totals.get(member_id, _Totals())
        rows.append(MemberLoad(member_id, name, role, total.accounts, total.key, total.revenue,
                               total.open, total.overdue,
                               data.waiting_by_member.get(member_id, 0),
                               data.late_answers.get(member_id, 0)))
    return rows


@dataclass
class _Totals:
    accounts: int = 0
    key: int = 0
    revenue: Decimal = Decimal(0)
    open: int = 0
    overdue: int = 0


def sort_load(rows: list[MemberLoad], key: str, descending: bool) -> list[MemberLoad]:
    return sorted(rows, key=lambda row: row.value(key), reverse=descending)  # type: ignore[arg-type, return-value]
