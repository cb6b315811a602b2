"""One task: its fields, and its checklist: ticked with the space bar, items added, renamed
and removed by keyboard; the task itself moved to the trash."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from amtui.dates import agency_zone, day_and_time, day_in_words
from amtui.i18n import N_, _
from amtui.models import Client, Task
from amtui.models.work import department
from amtui.services import actions
from amtui.services.board import (
    add_checklist_item,
    column_title,
    remove_checklist_item,
    rename_checklist_item,
    toggle_checklist_item,
)
from amtui.text import one_line
from amtui.ui.app import AmtuiApp
from amtui.ui.ask import AskScreen
from amtui.ui.confirm import ask_to_delete
from amtui.ui.safe import content, line
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.light import LightScreen

if TYPE_CHECKING:
    from amtui.services.undo import Undo
    from amtui.storage import Workspace

Save = Callable[[Callable[[], "tuple[Task, Undo]"], str], None]
"""Runs a change of the task in a worker; the second argument says what it was."""


class TaskScreen(LightScreen, ModalScreen[None]):
    """A task as the board holds it; ``space`` ticks the highlighted checklist item."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Close"), id="task.close"),
        Binding("space", "tick", N_("Tick"), id="task.toggle",
                tooltip=N_("Tick or untick the highlighted checklist item")),
        Binding("a", "add_item", N_("Add item"), id="task.add_item",
                tooltip=N_("Add a checklist item below the highlighted one")),
        Binding("e", "rename_item", N_("Rename"), id="task.rename_item",
                tooltip=N_("Change the words of the highlighted checklist item")),
        Binding("x,delete", "remove_item", N_("Remove"), id="task.remove_item",
                tooltip=N_("Take the highlighted item off the checklist (u undoes)")),
        Binding("X", "delete", N_("Delete task"), id="task.delete",
                tooltip=N_("Move the task to the trash (u undoes)")),
        Binding("u,ctrl+z", "app.undo", N_("Undo"), id="task.undo",
                tooltip=N_("Revert the last change made since amtui was opened")),
    ]
    AUTO_FOCUS = "#task-checklist"

    def __init__(self, task_id: str, save: Save | None = None,
                 delete: Callable[[Task], None] | None = None) -> None:
        """``save``: how to save a change, and ``delete``: how to move the task to the trash
        (the board's own ways, which show it without reading the board again); the app's by
        default."""
        super().__init__()
        self.task_id = task_id
        self.task_record: Task | None = None
        self.save = save
        self.delete = delete
        self._highlight: int | None = None
        """The checklist item to highlight once the task is read again (one just added)."""
        self._reads = 0
        """Reads of the task started; only the last one's result is shown."""
        self._saving = 0
        """Changes made here and not saved yet."""
        self._read_after_save = False
        """The task is being read again after a change made here."""
        self._waiting: list[Callable[[], None]] = []
        """Checklist keys pressed while a change was being saved: run once it is read."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="record-box"):
            yield Static("", id="task-title")
            yield Static("", id="task-fields")
            yield Static(Content(_("Checklist")).stylize("bold underline"), classes="related")
            yield OptionList(id="task-checklist")
        yield KeyBar()

    class Read(Message):
        """The task and its client as the worker read them (None: the task is gone)."""

        def __init__(self, task: Task | None, client: Client | None, number: int) -> None:
            super().__init__()
            self.task = task
            self.client = client
            self.number = number

    class Saved(Message):
        """A change made here was saved (or failed): read the task again."""

    def on_mount(self) -> None:
        self.data_changed()

    def data_changed(self) -> None:
        """Read the task again (saved here, or by someone else)."""
        self._reads += 1
        self._read(self._reads)

    @work(thread=True, exclusive=True, group="task-screen")
    def _read(self, number: int) -> None:
        """Runs in a worker: finding one task in a large workspace reads its file."""
        app = self.app
        assert isinstance(app, AmtuiApp)
        task = app.workspace.repo(Task).find(self.task_id)
        client = app.workspace.repo(Client).find(task.client_id) if task else None
        self.post_message(self.Read(task, client, number))

    def on_task_screen_read(self, message: Read) -> None:
        app = self.app
        assert isinstance(app, AmtuiApp)
        if message.number != self._reads:
            return  # a later read, started after a change, shows the task
        self._read_after_save = False
        task, client = message.task, message.client
        if task is None:
            self.notify(_("This task is no longer there."), severity="warning")
            self.dismiss(None)
            return
        self.task_record = task
        workspace = app.workspace
        now = workspace.clock().astimezone(agency_zone(workspace.settings.timezone))
        self.query_one("#task-title", Static).update(line(task.title).stylize("bold"))
        rows = [
            (_("Client"), client.name if client else ""),
            (_("Column"), column_title(app.workspace.settings, task.column)),
            (_("Department"), department(task.department)),
            (_("Assignee"), task.assignee),
            (_("Due"), day_in_words(task.due, now.date()) if task.due else ""),
            (_("Waiting on the client since"),
             day_and_time(task.blocked_since, now) if task.blocked_since else ""),
            (_("Done"), day_and_time(task.done_at, now) if task.done_at else ""),
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
            wanted = (highlighted or 0) if self._highlight is None else self._highlight
            checklist.highlighted = min(wanted, len(task.checklist) - 1)
        self._highlight = None
        while self._waiting and not self._saving:
            self._waiting.pop(0)()
            if self.app.screen is not self:  # it asks something: the other keys are dropped
                self._waiting.clear()

    def _wait_for_save(self, action: Callable[[], None]) -> bool:
        """While a change made here is being saved, run ``action`` (a key pressed) once the
        task is read again, so that it acts on the item the user sees highlighted then."""
        if self._saving or self._read_after_save:
            self._waiting.append(action)
            return True
        return False

    def on_task_screen_saved(self, message: Saved) -> None:
        self._saving -= 1
        self._read_after_save = True
        self.data_changed()

    def _item(self, action: Callable[[], None]) -> tuple[Task, int] | None:
        """The task and the index of the highlighted checklist item, if there is one (None
        too while a change is saved: ``action`` runs once it is)."""
        if self._wait_for_save(action):
            return None
        task = self.task_record
        index = self.query_one("#task-checklist", OptionList).highlighted
        if task is None or index is None or not task.checklist:
            return None
        return task, index

    def _change(self, change: Callable[[], tuple[Task, Undo]], done: str) -> None:
        """Save a change of the task the board's way, or the app's; then read it again."""
        self._saving += 1

        def save() -> tuple[Task, Undo]:
            try:
                return change()
            finally:
                self.post_message(self.Saved())

        if self.save is not None:
            self.save(save, done)
            return
        app = self.app
        assert isinstance(app, AmtuiApp)
        app.change(lambda: save()[1], done)

    def action_tick(self) -> None:
        item = self._item(self.action_tick)
        if item is None:
            return
        task, index = item
        workspace = self._workspace()
        self._change(lambda: toggle_checklist_item(workspace, task, index),
                     _("Unticked") if task.checklist[index].done else _("Ticked"))

    def action_add_item(self) -> None:
        if self._wait_for_save(self.action_add_item):
            return
        task = self.task_record
        if task is None:
            return
        item = self._item(self.action_add_item)
        after = item[1] if item else None
        workspace = self._workspace()

        def typed(text: str | None) -> None:
            if text is None:
                return
            self._highlight = len(task.checklist) if after is None else after + 1
            self._change(lambda: add_checklist_item(workspace, task, text, after),
                         _("Checklist item added"))

        self.app.push_screen(AskScreen(_("New checklist item:"), check=check_item), typed)

    def action_rename_item(self) -> None:
        item = self._item(self.action_rename_item)
        if item is None:
            return
        task, index = item
        workspace = self._workspace()

        def typed(text: str | None) -> None:
            if text is not None and text != task.checklist[index].text:
                self._change(lambda: rename_checklist_item(workspace, task, index, text),
                             _("Checklist item renamed"))

        self.app.push_screen(AskScreen(_("Checklist item:"), task.checklist[index].text,
                                       check=check_item), typed)

    def action_remove_item(self) -> None:
        item = self._item(self.action_remove_item)
        if item is None:
            return
        task, index = item
        workspace = self._workspace()
        self._change(lambda: remove_checklist_item(workspace, task, index),
                     _("Checklist item removed; u undoes"))

    def action_delete(self) -> None:
        task = self.task_record
        if task is None:
            return

        def delete() -> None:
            if self.delete is not None:
                self.delete(task)
            else:
                workspace = self._workspace()
                app = self.app
                assert isinstance(app, AmtuiApp)
                app.change(lambda: actions.delete(workspace, Task.table, task.id),
                           _("«{name}» moved to the trash; u undoes").format(
                               name=one_line(task.title, 40)))
            self.dismiss(None)

        ask_to_delete(self.app, _("Move the task «{title}» to the trash?").format(
            title=one_line(task.title, 60)), delete)

    def _workspace(self) -> Workspace:
        app = self.app
        assert isinstance(app, AmtuiApp)
        return app.workspace

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) only highlights an item: space ticks it, as the key bar says."""
        event.stop()

    def action_close(self) -> None:
        self.dismiss(None)


def check_item(text: str) -> str | None:
    """What is wrong with ``text`` as a checklist item (None: nothing)."""
    if not text.strip():
        return _("Type the item's words (Esc cancels).")
    if len(" ".join(text.split())) > 500:
        return _("At most 500 characters.")
    return None
