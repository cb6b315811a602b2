"""Changes the team view makes: reassigning accounts, marking key accounts, moving stages,
and what the plugin keeps per account. Each returns an :class:`amtui.api.Undo`; each change
is checked before anything is written and recorded in the audit by the store."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from amtui.api import (
    Client,
    ConflictError,
    Contact,
    InvalidRecord,
    Member,
    Record,
    RecordNotFound,
    RelationshipStage,
    Undo,
    describe_validation_error,
    one_line,
    os_user,
)

from .history import history_puts, recording_itself
from .i18n import _, ngettext
from .models import (
    HISTORY,
    AccountPlan,
    Criterion,
    Purpose,
    Specialist,
    StageMove,
    StakeholderView,
    Survey,
    plan_id,
)
from .words import word

if TYPE_CHECKING:
    from amtui.api import RelationshipStage, Workspace


def _quoted(text: str) -> str:
    return f"«{one_line(text, 40)}»"


OPEN_MESSAGES = frozenset({"new", "waiting_on_us", "waiting_on_client"})


def reassign(workspace: Workspace, client_ids: Iterable[str], from_member: str | None,
             to_member: str | None) -> Undo:
    """Give the accounts of ``from_member`` (None: nobody's) to ``to_member``, with the
    accounts' open messages assigned to ``from_member``, in one transaction: everything moves,
    or nothing (if an account changed owner meanwhile, nothing is written). The history notes
    each account's new owner."""
    wanted = list(dict.fromkeys(client_ids))
    if not wanted:
        raise InvalidRecord(_("no accounts chosen to reassign"))
    if to_member == from_member:
        raise InvalidRecord(_("the accounts already belong to that member"))
    target = workspace.repo(Member).get(to_member) if to_member else None
    messages = _move(workspace, wanted, None, from_member, to_member)
    who = target.name if target else _("nobody")
    description = ngettext("{count} account reassigned to {name}",
                           "{count} accounts reassigned to {name}", len(wanted)).format(
        count=len(wanted), name=one_line(who, 40))
    return Undo(description,
                lambda: _move(workspace, wanted, messages, to_member, from_member))


def _move(workspace: Workspace, client_ids: list[str], message_ids: list[str] | None,
          from_member: str | None, to_member: str | None) -> list[str]:
    """Move the clients (and their open messages of ``from_member``, or exactly
    ``message_ids``) to ``to_member``; returns the ids of the messages moved."""
    now = workspace.clock()
    stamp = now.isoformat()
    with recording_itself(), workspace.transaction("clients", "messages", HISTORY) as tx:
        moved = []
        wanted = set(client_ids)
        found = ({raw["id"]: raw for raw in tx.scan("clients") if raw["id"] in wanted}
                 if len(client_ids) > 20 else {})  # one pass, not one search per client
        for client_id in client_ids:
            stored = found.get(client_id) or tx.get("clients", client_id)
            if stored is None:
                raise RecordNotFound(_("a client to reassign "
                                       "is no longer there ({client_id})").format(
                    client_id=client_id))
            if stored.get("owner_id") != from_member:
                raise ConflictError(
                    _("{quoted} changed owner meanwhile; nothing was reassigned: look again and "
                      "retry").format(quoted=_quoted(stored.get('name', ''))), None)
            changed = {**stored, "owner_id": to_member, "rev": int(stored.get("rev", 0)) + 1,
                       "updated_at": stamp}
            _check(Client, changed)
            tx.put("clients", changed, "update", ["owner_id"])
            moved.append((changed, now.date()))
        history_puts(tx, moved, stamp)
        if message_ids is None:
            message_ids = [raw["id"] for raw in tx.scan("messages")
                           if raw.get("client_id") in wanted
                           and raw.get("status") in OPEN_MESSAGES
                           and raw.get("assignee_id") == from_member and from_member]
        for message_id in message_ids:
            stored = tx.get("messages", message_id)
            if stored is None or stored.get("assignee_id") != from_member:
                continue  # answered and reassigned by someone meanwhile: theirs to keep
            tx.put("messages", {**stored, "assignee_id": to_member,
                                "rev": int(stored.get("rev", 0)) + 1, "updated_at": stamp},
                   "update", ["assignee_id"])
    return message_ids


def _check(record_type: type[Record], raw: dict[str, Any]) -> None:
    try:
        record_type.model_validate(raw)
    except ValidationError as error:
        raise InvalidRecord(describe_validation_error(error)) from None


def _update_client(workspace: Workspace, client_id: str, rev: int | None,
                   change: Callable[[Any], None], description: str) -> Undo:
    """Change a client read earlier at revision ``rev`` (None: as it is now); undo puts back
    what it was, unless someone changed it again since."""
    clients = workspace.repo(Client)
    before = clients.get(client_id)
    if rev is not None and before.rev != rev:
        raise ConflictError(_("{quoted} was changed by someone else meanwhile; look again and "
                              "retry").format(quoted=_quoted(before.name)), before)
    edited = before.model_copy()
    change(edited)
    saved = clients.update(edited)

    def revert() -> Any:
        current = clients.get(client_id)
        if _content(current) != _content(saved):
            raise ConflictError(_("{quoted} was changed again since; it was not undone").format(
                quoted=_quoted(current.name)), current)
        return clients.update(before.model_copy(update={"rev": current.rev}))

    return Undo(description, revert)


def _content(record: Any) -> dict[str, Any]:
    """A record without its bookkeeping: what a person would call its content."""
    return record.model_dump(exclude={"rev", "updated_at"})  # type: ignore[no-any-return]


def set_key(workspace: Workspace, client_id: str, key: bool, rev: int | None = None) -> Undo:
    """Mark the client a key account (or not)."""
    name = workspace.repo(Client).get(client_id).name
    what = _("marked key") if key else _("no longer key")
    return _update_client(workspace, client_id, rev,
                          lambda client: setattr(client, "key_account", key),
                          f"{_quoted(name)} {what}")


def move_stage(workspace: Workspace, client_id: str, to_stage: RelationshipStage | str | None,
               reason: str, rev: int | None = None, on: date | None = None) -> Undo:
    """Move the account to another relationship stage; the move is kept with the day, the
    reason and who made it. The reason is required."""
    to_stage = RelationshipStage(to_stage) if to_stage else None
    client = workspace.repo(Client).get(client_id)
    if client.stage == to_stage:
        raise InvalidRecord(_("{quoted} is already at that stage").format(
            quoted=_quoted(client.name)))
    move = StageMove(client_id=client_id, on=on or workspace.clock().date(),
                     from_stage=client.stage, to_stage=to_stage, reason=reason, by=os_user())
    undo_client = _update_client(workspace, client_id, rev,
                                 lambda record: setattr(record, "stage", to_stage), "")
    saved = workspace.repo(StageMove).add(move)

    def revert() -> None:
        undo_client.revert()
        workspace.repo(StageMove).discard(saved.id)

    target = word(to_stage.value) if to_stage else _("no stage")
    return Undo(_("{quoted} moved to {target}").format(
        quoted=_quoted(client.name), target=target), revert)


def _plan(workspace: Workspace, client_id: str) -> AccountPlan:
    workspace.repo(Client).get(client_id)  # the client must exist
    found = workspace.repo(AccountPlan).find(plan_id(client_id))
    return found if found is not None else AccountPlan(id=plan_id(client_id),
                                                       client_id=client_id)


def save_plan(workspace: Workspace, plan: AccountPlan, description: str) -> Undo:
    """Store an account's plan (new or changed); undo puts back what it was."""
    plans = workspace.repo(AccountPlan)
    if plan.rev == 0:
        saved = plans.add(plan)
        return Undo(description, lambda: plans.discard(saved.id))
    before = plans.get(plan.id)
    saved = plans.update(plan)

    def revert() -> Any:
        current = plans.get(saved.id)
        if _content(current) != _content(saved):
            raise ConflictError(_("the account was changed again since; it was not undone"),
                                current)
        return plans.update(before.model_copy(update={"rev": current.rev}))

    return Undo(description, revert)


def _name(workspace: Workspace, client_id: str) -> str:
    return _quoted(workspace.repo(Client).get(client_id).name)


def set_purpose(workspace: Workspace, client_id: str, purpose: Purpose | None) -> Undo:
    plan = _plan(workspace, client_id)
    plan.purpose = purpose
    label = word(purpose.value) if purpose else _("none")
    return save_plan(workspace, plan, _("purpose of {name}: {label}").format(
        name=_name(workspace, client_id), label=label))


def score(workspace: Workspace, client_id: str, scores: dict[Criterion, int]) -> Undo:
    """Score the checklist (criteria left out are not scored)."""
    plan = _plan(workspace, client_id)
    plan.scores = dict(scores)
    plan.scored_on = workspace.clock().date()
    return save_plan(workspace, plan, _("criteria of {name} scored").format(
        name=_name(workspace, client_id)))


def set_stakeholder(workspace: Workspace, client_id: str, view: StakeholderView) -> Undo:
    contact = workspace.repo(Contact).stored(view.contact_id)
    if contact is None or contact.get("client_id") != client_id:
        raise RecordNotFound(_("that contact is not one of the client's"))
    plan = _plan(workspace, client_id)
    plan.stakeholders = [*(kept for kept in plan.stakeholders
                           if kept.contact_id != view.contact_id), view]
    who = _quoted(str(contact.get("name", "")))
    return save_plan(workspace, plan, _("{who}: {value}, strength {value2}").format(
        who=who, value=word(view.attitude.value), value2=view.strength or "—"))


def set_team(workspace: Workspace, client_id: str, kam_id: str | None,
             assistant_id: str | None, specialists: list[Specialist]) -> Undo:
    for member_id in (kam_id, assistant_id):
        if member_id:
            workspace.repo(Member).get(member_id)
    plan = _plan(workspace, client_id)
    plan.kam_id, plan.assistant_id, plan.specialists = kam_id, assistant_id, specialists
    return save_plan(workspace, plan, _("team of {name} set").format(
        name=_name(workspace, client_id)))


def add_survey(workspace: Workspace, survey: Survey) -> Undo:
    surveys = workspace.repo(Survey)
    saved = surveys.add(survey)
    return Undo(_("survey of {name} added").format(name=_name(workspace, survey.client_id)),
                lambda: surveys.discard(saved.id))


def parse_specialists(text: str) -> list[Specialist]:
    """``Лена (copywriting), Stas (seo)`` → specialists with their departments."""
    found = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, _open, rest = part.partition("(")
        department = rest.rstrip(")").strip() if _open else ""
        if not name.strip():
            raise ValueError(_("{part!r}: a name is missing before the department").format(
                part=part))
        found.append(Specialist(name=name.strip(), department=department))
    return found
