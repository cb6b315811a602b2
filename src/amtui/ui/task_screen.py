"""One task: its fields, and its checklist ticked with the space bar."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from amtui.i18n import _
from amtui.models import Client, Task
from amtui.services.board import column_title
from amtui.ui.safe import content, line


class TaskScreen(ModalScreen[None]):
    """A task as the board holds it; ``space`` ticks the highlighted checklist item."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", _("Close"), id="task.close"),
        Binding("space", "toggle", _("Tick"), id="task.toggle",
                tooltip=_("Tick or untick the highlighted checklist item")),
    ]
    AUTO_FOCUS = "#task-checklist"

    def __init__(self, task_id: str) -> None:
        super().__init__()
        self.task_id = task_id
        self.task_record: Task | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="record-box"):
            yield Static("", id="task-title")
            yield Static("", id="task-fields")
            yield Static(Content(_("Checklist")).stylize("bold underline"), classes="related")
            yield OptionList(id="task-checklist")

    def on_mount(self) -> None:
        self.data_changed()

    def data_changed(self) -> None:
        """Read the task again (saved here, or by someone else)."""
        from amtui.ui.app import AmtuiApp

        app = self.app
        assert isinstance(app, AmtuiApp)
        task = app.workspace.repo(Task).find(self.task_id)
        if task is None:
            self.notify(_("This task is no longer there."), severity="warning")
            self.dismiss(None)
            return
        self.task_record = task
        client = app.workspace.repo(Client).find(task.client_id)
        self.query_one("#task-title", Static).update(line(task.title).stylize("bold"))
        rows = [
            (_("Client"), client.name if client else ""),
            (_("Column"), column_title(app.workspace.settings, task.column)),
            (_("Department"), task.department.replace("_", " ")),
            (_("Assignee"), task.assignee),
            (_("Due"), task.due.isoformat() if task.due else ""),
            (_("Waiting on the client since"),
             task.blocked_since.date().isoformat() if task.blocked_since else ""),
            (_("Done"), task.done_at.date().isoformat() if task.done_at else ""),
            (_("Description"), task.description),
        ]
        self.query_one("#task-fields", Static).update(Content("\n").join(
            Content.assemble((f"{label}: ", "bold"), content(value))
            for label, value in rows if value))
        checklist = self.query_one("#task-checklist", OptionList)
        highlighted = checklist.highlighted
        checklist.set_options(
            Option(Content.assemble("☑ " if item.done else "☐ ", line(item.text, 100)))
            for item in task.checklist)
        if not task.checklist:
            checklist.add_option(Option(Content(_("no checklist")).stylize("italic"),
                                        disabled=True))
        else:
            checklist.highlighted = min(highlighted or 0, len(task.checklist) - 1)

    def action_toggle(self) -> None:
        from amtui.services.board import toggle_checklist_item
        from amtui.ui.app import AmtuiApp

        app = self.app
        assert isinstance(app, AmtuiApp)
        task = self.task_record
        index = self.query_one("#task-checklist", OptionList).highlighted
        if task is None or index is None or not task.checklist:
            return
        workspace = app.workspace
        app.change(lambda: toggle_checklist_item(workspace, task, index)[1], _("Ticked"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle()

    def action_close(self) -> None:
        self.dismiss(None)
