"""Changes the plugin makes to the store: plans (by the head) and time entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .facts import Snapshot, read_snapshot
from .i18n import _
from .plan import Plan
from .plan_file import PlanFileError, read_plan
from .records import TimeEntry
from .statements import check_head, check_may_see

if TYPE_CHECKING:
    from amtui.api import Workspace

    from .plan import Plan
    from .records import TimeEntry


def _target(plan: Plan) -> tuple[str, str]:
    return ("member", plan.member_id) if plan.member_id else ("role", plan.role or "")


def check_currency(snapshot: Snapshot, plan: Plan) -> None:
    """A plan pays in the currency of the deals it pays on: refuse one that does not."""
    if plan.member_id:
        members = [plan.member_id]
    else:
        members = [member.id for member in snapshot.members.values()
                   if member.role == plan.role]
    for member_id in members:
        for deal in snapshot.deals.get(member_id, []):
            if deal.currency == plan.currency or deal.status == "lost":
                continue
            day = deal.signed_on or deal.paid_on
            if deal.status == "won" and day is not None and day < plan.valid_from:
                continue
            name = snapshot.members[member_id].name
            raise PlanFileError(
                _("currency: the plan pays in {currency} but the deal «{title}» of {name} is in "
                  "{currency2}; amtui does not convert currencies: give the plan the deals' "
                  "currency, or correct the deal").format(
                    currency=plan.currency, title=deal.title, name=name, currency2=deal.currency))


def save_plan(workspace: Workspace, text: str) -> tuple[Plan, bool]:
    """Store the plan in ``text`` (TOML): it replaces the plan for the same member or role
    from the same month, or is added. Returns the plan and whether it is new. Only the head
    may; a plan with any problem raises PlanFileError and nothing is stored."""
    people = read_snapshot(workspace, set())
    check_head(people, _("changes plans"))
    plan = read_plan(text, people.members)
    targets = {plan.member_id} if plan.member_id else {
        member.id for member in people.members.values() if member.role == plan.role}
    snapshot = read_snapshot(workspace, targets, with_inbox=False)
    check_currency(snapshot, plan)
    plans = workspace.repo(Plan)
    same = next((stored for stored in snapshot.plans
                 if _target(stored) == _target(plan) and stored.valid_from == plan.valid_from),
                None)
    if same is None:
        return plans.add(plan), True
    replaced = plan.model_copy(update={"id": same.id, "rev": same.rev,
                                       "created_at": same.created_at})
    return plans.update(replaced), False


def add_time_entry(workspace: Workspace, entry: TimeEntry) -> TimeEntry:
    """Store a time entry: a member logs their own hours; the head, anyone's."""
    snapshot = read_snapshot(workspace, {entry.member_id})
    check_may_see(snapshot, entry.member_id)
    return workspace.repo(TimeEntry).add(entry)
