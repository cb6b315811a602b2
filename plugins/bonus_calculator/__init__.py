"""Salary and bonus calculator: compensation plans per member or role, and a monthly
statement computed from the workspace's deals, inbox and clients — exact, and explained line
by line.

Importing this module is cheap (amtui imports it before the first screen): the models, the
calculation and the pane are imported by the hooks that need them.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from amtui.api import CliCommand, CommandSpec, PaneSpec, SettingsSection, TableSpec, hookimpl

from .i18n import _

if TYPE_CHECKING:
    from amtui.api import Event, Workspace

__version__ = "0.1.0"

PANE_ID = "bonus"


@hookimpl
def amtui_register_tables(register: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .plan import PLANS_TABLE, Plan
    from .records import STATEMENTS_TABLE, TIME_TABLE, LockedStatement, TimeEntry

    register(TableSpec(PLANS_TABLE, Plan))
    register(TableSpec(TIME_TABLE, TimeEntry, indexed=("member_id", "day")))
    register(TableSpec(STATEMENTS_TABLE, LockedStatement))


@hookimpl
def amtui_register_settings(register: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .market import SECTION, BonusSettings

    register(SettingsSection(SECTION, BonusSettings))


@hookimpl
def amtui_register_panes(register: Any) -> None:
    register(PaneSpec(PANE_ID, _("Bonus"), make_pane, order=130))


def make_pane() -> Any:
    from .pane import BonusPane  # lazy: Textual, only when the pane opens

    return BonusPane()


def _on_pane(action: str) -> Any:
    def run(app: Any) -> None:
        app.action_pane(PANE_ID)
        app.call_after_refresh(lambda: app.screen.run_action(action))

    return run


@hookimpl
def amtui_register_commands(register: Any) -> None:
    register(CommandSpec(_("bonus: open statements"), _("Your pay this month, line by line"),
                         lambda app: app.action_pane(PANE_ID)))
    register(CommandSpec(_("bonus: what if…"), _("Try another deal amount, quota or rate; nothing "
                         "is saved"), _on_pane("what_if")))
    register(CommandSpec(_("bonus: log hours"), _("Hours worked; outside working hours they are "
                         "paid as overtime"), _on_pane("log_hours")))


@hookimpl
def amtui_register_cli(register: Any) -> None:
    register(CliCommand("bonus", _("pay statements, plans, locking, hours"), configure, run))


def configure(parser: argparse.ArgumentParser) -> None:
    # lazy: the plugin's CLI, kept out of the app start
    from .cli import configure as configure_bonus

    configure_bonus(parser)


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    # lazy: the plugin's CLI, kept out of the app start
    from .cli import run as run_bonus

    return run_bonus(args, workspace)


@hookimpl
def amtui_agenda(workspace: Workspace, now: datetime, add: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .views import agenda_entries

    for entry in agenda_entries(workspace, now):
        add(entry)


@hookimpl
def amtui_client_sections(workspace: Workspace, client: Any, add: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .views import worth_section

    section = worth_section(workspace, client.id)
    if section is not None:
        add(section)


@hookimpl
def amtui_event(workspace: Workspace | None, event: Event) -> None:
    facts = sys.modules.get(f"{__name__}.facts")  # not imported yet: nothing kept to forget
    if facts is not None and event.kind in ("record_saved", "record_deleted"):
        facts.forget_recent(event.table)


@hookimpl
def amtui_demo(workspace: Workspace, size: str, seed: int, say: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .demo import fill_demo

    fill_demo(workspace, size, seed, say)
