"""Today: answers overdue, tasks overdue or waiting on the client, updates due, remarketing."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from amtui.i18n import _
from amtui.ui.panes.base import PaneScreen
from amtui.ui.safe import line

SECTION_ROWS = 100
"""Items shown per section; the count says how many there are in all."""

if TYPE_CHECKING:
    from amtui.services.agenda import AgendaItem, AgendaSection


class TodayPane(PaneScreen):
    PANE_ID = "today"
    TITLE_TEXT = _("Today")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", _("Open"), id="today.open", show=False),
        Binding("d", "done", _("Done / contacted"), id="today.done",
                tooltip=_("Mark the message answered, the task done, or the client contacted")),
        Binding("r", "update", _("Daily update"), id="today.update",
                tooltip=_("Compose today's update for the client of the line")),
        Binding("s", "snooze", _("Snooze"), id="today.snooze",
                tooltip=_("Keep a late answer or a due update off Today for some days")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, AgendaItem] = {}

    def compose_body(self) -> ComposeResult:
        yield OptionList(Option(Content(_("Loading…")), disabled=True), id="agenda")

    def read(self) -> list[AgendaSection]:
        from amtui.services.agenda import build_agenda, plugin_sections

        workspace = self.amtui.workspace
        now = workspace.clock()
        return (build_agenda(workspace, now, limit=SECTION_ROWS)
                + plugin_sections(workspace, self.amtui.plugins, now, limit=SECTION_ROWS))

    def show(self, payload: list[AgendaSection]) -> None:
        self.amtui.show_plugin_failures()
        agenda = self.query_one("#agenda", OptionList)
        highlighted = agenda.highlighted_option.id if agenda.highlighted_option else None
        self.items = {}
        options: list[Option] = []
        for section in payload:
            heading = Content.assemble((f"{section.title} ", "bold"), f"({section.total})")
            options.append(Option(heading, disabled=True))
            if not section.items:
                options.append(Option(Content(f"  {section.empty}").stylize("italic"),
                                      disabled=True))
            for item in section.items[:SECTION_ROWS]:
                option_id = f"{section.key}:{item.table}:{item.record_id}"
                if option_id in self.items:  # a plugin's lines may point at no record
                    option_id += f":{len(self.items)}"
                self.items[option_id] = item
                client = (Content.assemble(" — ", line(item.client, 40))
                          if item.client and item.client != item.title else Content(""))
                options.append(Option(
                    Content.assemble("  ", line(item.title, 60), client, " · ",
                                     line(item.detail).stylize("$text-muted")),
                    id=option_id,
                ))
            hidden = section.total - len(section.items[:SECTION_ROWS])
            if hidden > 0:
                options.append(Option(Content(
                    "  " + _("… and {count} more").format(count=hidden)).stylize("italic"),
                    disabled=True))
        agenda.set_options(options)
        if highlighted and highlighted in self.items:
            agenda.highlighted = agenda.get_option_index(highlighted)
        elif self.items:
            agenda.highlighted = agenda.get_option_index(next(iter(self.items)))

    def _current(self) -> AgendaItem | None:
        option = self.query_one("#agenda", OptionList).highlighted_option
        return self.items.get(option.id) if option and option.id else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        item = self._current()
        if item is not None and item.table and item.record_id:
            self.amtui.open_record(item.table, item.record_id)

    def action_done(self) -> None:
        item = self._current()
        if item is None:
            return
        from amtui.services.actions import log_contact, mark_message_done, mark_task_done

        workspace = self.amtui.workspace
        if item.table == "messages":
            self.amtui.change(lambda: mark_message_done(workspace, item.record_id),
                              _("Marked answered"))
        elif item.table == "tasks":
            self.amtui.change(lambda: mark_task_done(workspace, item.record_id),
                              _("Task done"))
        elif item.table == "clients":
            self.amtui.change(lambda: log_contact(workspace, item.record_id),
                              _("Contact logged"))
        elif item.table == "contacts" and item.client_id:
            client_id = item.client_id
            self.amtui.change(
                lambda: log_contact(workspace, client_id, contact_id=item.record_id),
                _("Contact logged"),
            )

    def action_update(self) -> None:
        item = self._current()
        if item is None or not item.client_id:
            self.notify(_("This line is not about a client."), severity="warning")
            return
        from amtui.ui.update_screen import UpdateScreen

        self.app.push_screen(UpdateScreen(item.client_id))

    def action_snooze(self) -> None:
        item = self._current()
        if item is None or item.table not in ("messages", "clients"):
            self.notify(_("Only late answers and due updates can be snoozed."), markup=False)
            return
        from amtui.services.actions import snooze
        from amtui.ui.ask import AskScreen, check_days

        workspace = self.amtui.workspace

        def chosen(answer: str | None) -> None:
            if answer:
                days = int(answer)
                self.amtui.change(
                    lambda: snooze(workspace, item.table, item.record_id, days),
                    _("Snoozed for {days} days").format(days=days),
                )

        self.app.push_screen(AskScreen(_("Snooze for how many days?"), "1", check_days),
                             chosen)
