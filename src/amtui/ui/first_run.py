"""The first-run screen: a new workspace from a few answers.

Shown when amtui opens a folder that does not exist yet, or an empty one. Nothing is made until
the user chooses how to start; Esc leaves with nothing made. The store is imported by the
worker that makes the workspace, not before: the screen paints as fast as any pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from amtui.i18n import N_, _
from amtui.identity import machine_timezone, os_user, os_user_full_name
from amtui.text import one_line
from amtui.ui.safe import editable, line
from amtui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from pathlib import Path

    from amtui.plugins.host import PluginHost
    from amtui.storage import Workspace

FIELDS = (
    ("agency", N_("Agency name")),
    ("member_name", N_("Your name")),
    ("login", N_("Your login")),
    ("timezone", N_("Time zone")),
    ("currency", N_("Currency")),
)
"""The answers asked for: field name (as in :class:`NewWorkspace`) and label."""


class FirstRunScreen(Screen[None]):
    """Asks for the agency, its first member, time zone and currency, then makes the
    workspace, empty or with demo data."""

    DEFAULT_CSS = """
    FirstRunScreen {
        align: center top;
    }
    #first-run-box {
        width: 80;
        max-width: 100%;
        height: 1fr;
        padding: 1 2 0 2;
    }
    #first-run-title {
        text-style: bold;
    }
    #first-run-where, #first-run-hint {
        color: $text-muted;
        margin-bottom: 1;
    }
    .first-run-row {
        height: 1;
    }
    .first-run-row Label {
        width: 14;
    }
    .first-run-row Input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    .first-run-row Input:focus {
        border: none;
        background: $primary 30%;
    }
    .first-run-problem {
        display: none;
        color: $error;
        padding-left: 14;
    }
    .first-run-problem.-shown {
        display: block;
    }
    #first-run-buttons {
        height: 3;
        margin-top: 1;
    }
    #first-run-buttons Button {
        margin-right: 2;
    }
    #first-run-status {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "create(False)", N_("Start empty"), id="first_run.start_empty",
                tooltip=N_("Make the workspace with you as its only member")),
        Binding("f3", "create(True)", N_("Load demo data"), id="first_run.load_demo",
                tooltip=N_("Make the workspace with demo clients, tasks and messages to try")),
        Binding("escape", "leave", N_("Leave"), id="first_run.leave",
                tooltip=N_("Quit without making anything")),
    ]

    class Made(Message):
        """The workspace is made and open."""

        def __init__(self, workspace: Workspace) -> None:
            super().__init__()
            self.workspace = workspace

    def __init__(self, root: Path, plugins: PluginHost | None = None) -> None:
        """``root``: where to make the workspace; ``plugins``: the loaded plugins, given its
        tables (and their demo data)."""
        super().__init__()
        self.root = root
        self.plugins = plugins
        self.making = False
        """A worker is making the workspace: the keys that would start another wait."""

    def compose(self) -> ComposeResult:
        defaults = {
            "agency": editable(self.root.name),
            "member_name": editable(os_user_full_name()),
            "login": editable(os_user()),
            "timezone": machine_timezone(),
            "currency": "RUB",
        }
        with VerticalScroll(id="first-run-box"):
            yield Static(_("A new amtui workspace"), id="first-run-title")
            yield Static(Content.assemble(_("It will be made in "), line(self.root, 120)),
                         id="first-run-where")
            for name, label in FIELDS:
                with Horizontal(classes="first-run-row"):
                    yield Label(_(label))
                    yield Input(defaults[name], id=f"first-run-{name}", select_on_focus=False)
                yield Static("", id=f"first-run-problem-{name}", classes="first-run-problem")
            with Horizontal(id="first-run-buttons"):
                yield Button(_("Start empty (F2)"), variant="primary", id="first-run-empty")
                yield Button(_("Load demo data (F3)"), id="first-run-demo")
            yield Static(_("Esc leaves without making anything. Everything can be changed "
                           "later in workspace.toml."), id="first-run-hint")
            yield Static("", id="first-run-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#first-run-member_name" if not self._value("member_name")
                       else "#first-run-agency", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#first-run-{name}", Input).value

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        self.action_create(event.button.id == "first-run-demo")

    def action_leave(self) -> None:
        if not self.making:
            self.app.exit()

    def action_create(self, demo: bool) -> None:
        if self.making:
            return
        self.making = True
        for problem in self.query(".first-run-problem").results(Static):
            problem.update("")
            problem.remove_class("-shown")
        self._status(_("Making the workspace…") if not demo
                     else _("Making the workspace and its demo data…"))
        self._make({name: self._value(name) for name, _label in FIELDS}, demo)

    @work(thread=True, exclusive=True, group="first-run")
    def _make(self, typed: dict[str, str], demo: bool) -> None:
        """Check the answers and make the workspace, off the UI thread (which never imports
        the store for it)."""
        # lazy: pydantic, loaded on first use
        from amtui.services.new_workspace import (
            NewWorkspace,
            NewWorkspaceProblems,
            create_workspace,
        )
        from amtui.storage import StorageError

        try:
            answers = NewWorkspace(**typed, demo=demo).checked()
            workspace = create_workspace(self.root, answers, plugins=self.plugins)
        except NewWorkspaceProblems as error:
            self.app.call_from_thread(self._show_problems, error.problems)
            return
        except (StorageError, OSError, ValueError) as error:
            message = str(error)
            if isinstance(error, OSError) and error.strerror:
                message = f"{error.strerror}: {error.filename}" if error.filename else (
                    error.strerror)
            self.app.call_from_thread(self._failed, _("Nothing was made: {problem}").format(
                problem=one_line(message, 200)))
            return
        self.post_message(self.Made(workspace))

    def _show_problems(self, problems: dict[str, str]) -> None:
        self.making = False
        self._status("")
        for name, problem in problems.items():
            shown = self.query_one(f"#first-run-problem-{name}", Static)
            shown.update(line(problem))
            shown.add_class("-shown")
        first = next(name for name, _label in FIELDS if name in problems)
        self.query_one(f"#first-run-{first}", Input).focus()

    def _failed(self, message: str) -> None:
        self.making = False
        self._status(message)

    def _status(self, message: str) -> None:
        self.query_one("#first-run-status", Static).update(line(message))
