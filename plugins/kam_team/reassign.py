"""Reassigning accounts: choose who takes them, then save them all in one go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from amtui.api.ui import PickScreen, line

from .actions import reassign
from .i18n import N_, _, ngettext
from .load import ROLE_ORDER

if TYPE_CHECKING:
    from .load import MemberLoad
    from .view_load import LoadView

ROLE_NAMES = {"head": N_("head"), "kam": N_("KAM"), "account_manager": N_("account manager"),
              "assistant": N_("assistant")}


def ask_reassign(view: LoadView, source: MemberLoad, client_ids: list[str]) -> None:
    """Ask which member takes ``client_ids`` (accounts of ``source``), then reassign them."""
    figures = view.figures
    if figures is None:
        return
    load = {row.member_id: row for row in figures.load}
    members = sorted((member for member in figures.data.members
                      if member.id != source.member_id),
                     key=lambda member: (ROLE_ORDER.get(member.role, 9), member.name.casefold()))
    if not members:
        view.app.notify(_("There is nobody else on the team to take the accounts."), markup=False)
        return
    options = []
    for member in members:
        row = load.get(member.id)
        carried = ngettext("{accounts} account, {key} key", "{accounts} accounts, {key} key",
                           row.accounts).format(accounts=row.accounts, key=row.key) \
            if row else _("no accounts")
        options.append((Content.assemble(line(member.name, 40), (
            f"  {_(ROLE_NAMES.get(member.role, member.role))} · {carried}", "dim")), member.id))
    names = [figures.data.clients[client_id].name for client_id in client_ids[:3]
             if client_id in figures.data.clients]
    more = _(" and {count} more").format(
        count=len(client_ids) - len(names)) if len(client_ids) > len(names) else ""
    context = f"{source.name}: {', '.join(names)}{more}"
    title = ngettext("Reassign {count} account to…", "Reassign {count} accounts to…",
                     len(client_ids)).format(count=len(client_ids))

    def chosen(member_id: str | None) -> None:
        if not member_id:
            return

        workspace = view.pane.amtui.workspace
        target = next(member.name for member in members if member.id == member_id)
        view.marked = set()
        view.pane.change(lambda: reassign(workspace, client_ids, source.member_id, member_id),
                         ngettext("{count} account of {name} reassigned to {target} (u undoes)",
                                  "{count} accounts of {name} reassigned to {target} (u undoes)",
                                  len(client_ids)).format(
                             count=len(client_ids), name=source.name, target=target))

    view.app.push_screen(PickScreen(title, options, context=context, search=True),
                         chosen)
