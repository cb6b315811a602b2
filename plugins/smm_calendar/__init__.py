"""SMM content calendar: posts per client and channel on a month and a week grid, the approval
loop with its trail, content plan slots, and export to iCalendar and CSV.

Importing this package is cheap (no pydantic, no Textual): the hooks import what they need
when they are called, so amtui's first screen does not wait for the calendar.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from amtui.api import CliCommand, CommandSpec, PaneSpec, SettingsSection, TableSpec, hookimpl

from .i18n import _

__version__ = "1.0.0"

PANE_ID = "calendar"


@hookimpl
def amtui_register_tables(register: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .model import Post, SlotRule

    # what Today's "needs attention" asks of the record index
    register(TableSpec(Post.table, Post, open=open_post,
                       indexed=("status", "publish_at", "sent_for_approval_at")))
    register(TableSpec(SlotRule.table, SlotRule))


def open_post(app: Any, post_id: str) -> None:
    """Show a post chosen on Today or in the palette: in the calendar, on its own screen."""
    app.action_pane(PANE_ID)

    def show() -> None:
        pane = app.screen
        if getattr(pane, "PANE_ID", "") == PANE_ID:
            pane.open_post(post_id)

    app.call_after_refresh(show)


@hookimpl
def amtui_register_settings(register: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .model import PLUGIN, CalendarSettings

    register(SettingsSection(PLUGIN, CalendarSettings))


@hookimpl
def amtui_register_panes(register: Any) -> None:
    register(PaneSpec(PANE_ID, _("Calendar"), make_pane, order=10))


def make_pane() -> Any:
    from .pane import CalendarPane  # lazy: Textual, only when the pane opens

    return CalendarPane()


@hookimpl
def amtui_register_commands(register: Any) -> None:
    def open_then(action: str) -> Any:
        def run(app: Any) -> None:
            app.action_pane(PANE_ID)
            if action:
                app.call_after_refresh(lambda: app.screen.run_action(action))
        return run

    register(CommandSpec(_("calendar: open"), _("The content calendar (month, week, list)"),
                         open_then("")))
    register(CommandSpec(_("calendar: export to ics or csv"),
                         _("Write the month's posts to an .ics or .csv file"), open_then("export")))
    register(CommandSpec(_("calendar: content plan"), _("Filled and empty slots per client"),
                         open_then("plan")))


@hookimpl
def amtui_register_cli(register: Any) -> None:
    # lazy: the plugin's CLI, kept out of the app start
    from .cli import configure, run

    register(CliCommand("calendar", _("the content calendar: export, slots, plan"), configure,
                        run))


@hookimpl
def amtui_agenda(workspace: Any, now: datetime, add: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .agenda import agenda_entries

    for entry in agenda_entries(workspace, now):
        add(entry)


@hookimpl
def amtui_client_sections(workspace: Any, client: Any, add: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .agenda import client_section

    add(client_section(workspace, client, workspace.clock()))


@hookimpl
def amtui_demo(workspace: Any, size: str, seed: int, say: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .demo import fill_calendar

    fill_calendar(workspace, size, seed, say)
