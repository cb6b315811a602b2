"""The Team pane: the team's load, key-account identification, relationship stages and
portfolio KPIs, one view at a time (t, a, g, i), with a help line that defines the figure
under the cursor.

Everything is read and computed in a worker; a view draws only what is visible, and only
when it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import ContentSwitcher, Static

from amtui.api.ui import PaneScreen, save_change

from .view_accounts import AccountsView
from .view_kpis import KpiView
from .view_load import LoadView
from .view_stages import StagesView

if TYPE_CHECKING:
    from collections.abc import Callable

    from .periods import Period
    from .snapshot import TeamFigures
    from .widgets import TeamView

VIEWS = (("load", "t", "Team"), ("accounts", "a", "Key accounts"), ("stages", "g", "Stages"),
         ("kpis", "i", "KPIs"))
"""(view id, key, title)."""
REQUESTED = "kam_team_requested_view"
"""The app's attribute that names the view the palette asked for, until the pane shows it."""


class AccountsComputed(Message):
    def __init__(self, figures: TeamFigures) -> None:
        super().__init__()
        self.figures = figures


class TeamPane(PaneScreen):
    PANE_ID = "team"
    TITLE_TEXT = "Team"
    DEFAULT_CSS = """
    #team-views { height: 1fr; }
    #team-bar { height: 1; padding: 0 1; color: $text-muted; }
    #team-help {
        height: 3; padding: 0 1; color: $text-muted; border-top: solid $primary-darken-2;
    }
    #team-status { height: 1; padding: 0 1; color: $warning; display: none; }
    #team-status.-shown { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"view('{view}')", title, id=f"team.view_{view}")
          for view, key, title in VIEWS),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current_view = "load"
        self.figures: TeamFigures | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="team-bar")
        with Vertical(id="team-views"), ContentSwitcher(initial=f"view-{self.current_view}"):
            yield LoadView()
            yield AccountsView()
            yield StagesView()
            yield KpiView()
        yield Static("", id="team-status")
        yield Static(Content("Reading the team's accounts…"), id="team-help")

    def on_mount(self) -> None:
        # (PaneScreen's own on_mount runs too: Textual calls each class's handler.)
        self._show_bar()
        self.view(self.current_view).focus_view()
        self.on_screen_resume()

    def on_screen_resume(self) -> None:
        requested = getattr(self.app, REQUESTED, None)
        if requested:
            setattr(self.app, REQUESTED, None)
            self.action_view(requested)

    def view(self, view_id: str) -> TeamView:
        return self.query_one(f"#view-{view_id}")  # type: ignore[return-value]

    def _show_bar(self) -> None:
        parts = []
        for view, key, title in VIEWS:
            style = "reverse bold" if view == self.current_view else ""
            parts.append(Content.assemble((f" {key} ", "bold"), (title, style), " "))
        self.query_one("#team-bar", Static).update(Content("").join(parts))

    def action_view(self, view_id: str) -> None:
        if view_id not in {view for view, _key, _title in VIEWS}:
            return
        self.current_view = view_id
        self.query_one(ContentSwitcher).current = f"view-{view_id}"
        self._show_bar()
        shown = self.view(view_id)
        shown.draw_if_stale()
        shown.focus_view()
        shown.explain()

    # reading -----------------------------------------------------------------------------

    def read(self) -> TeamFigures:
        from .snapshot import compute, read_team

        period = self.figures.accounts_period if self.figures else None
        return compute(read_team(self.amtui.workspace), period)

    def show(self, payload: TeamFigures) -> None:
        self.figures = payload
        status = self.query_one("#team-status", Static)
        if not payload.data.history_written:
            status.update(Content("The account history could not be saved (the file is "
                                  "read-only); figures are as of now."))
        status.set_class(not payload.data.history_written, "-shown")
        for view, _key, _title in VIEWS:
            self.view(view).given(payload)
        self.view(self.current_view).explain()

    def recompute_accounts(self, period: Period) -> None:
        """The key-account list for another period, computed in a worker."""
        if self.figures is not None:
            self._accounts_for(self.figures, period)

    @work(thread=True, exclusive=True, group="team-accounts")
    def _accounts_for(self, figures: TeamFigures, period: Period) -> None:
        from dataclasses import replace

        from .keyaccounts import key_accounts

        rows = key_accounts(figures.data, period)
        self.post_message(AccountsComputed(replace(figures, accounts_period=period,
                                                   accounts=rows)))

    def on_accounts_computed(self, message: AccountsComputed) -> None:
        self.figures = message.figures
        self.view("accounts").given(message.figures)

    # helpers for the views -----------------------------------------------------------------

    def explain(self, text: str | Content) -> None:
        """The help line: what the figure under the cursor means, or what the keys do."""
        shown = text if isinstance(text, Content) else Content(text)
        self.query_one("#team-help", Static).update(shown)

    def toggle_key(self, client_id: str) -> None:
        """Mark the account key, or not key: shown at once, saved in a worker."""
        if self.figures is None or client_id not in self.figures.data.clients:
            return
        from dataclasses import replace

        from .actions import set_key

        client = self.figures.data.clients[client_id]
        key = not client.key
        workspace = self.amtui.workspace
        what = "marked key" if key else "no longer key"
        self.change(lambda: set_key(workspace, client_id, key), f"«{client.name}» {what} "
                                                                 "(u undoes)")
        self.figures.data.clients[client_id] = replace(client, key=key)
        self.figures.accounts = [
            replace(row, key=key, suggestion="", why="") if row.client_id == client_id else row
            for row in self.figures.accounts]
        for view, _key, _title in VIEWS:
            self.view(view).given(self.figures)

    def change(self, save: Callable[[], Any], done: str) -> None:
        """Save in a worker (a bad change is refused with a message; ``u`` undoes), then
        read again."""

        def checked() -> Any:
            from pydantic import ValidationError

            from amtui.api import InvalidRecord, describe_validation_error

            try:
                return save()
            except ValidationError as error:
                raise InvalidRecord(describe_validation_error(error)) from None
            except ValueError as error:
                raise InvalidRecord(str(error)) from None

        save_change(self.app, checked, done)


def open_view(app: Any, view: str) -> None:
    """Open the Team pane at one of its views (from the palette)."""
    if isinstance(app.screen, TeamPane):
        app.screen.action_view(view)
        return
    setattr(app, REQUESTED, view)
    app.action_pane(TeamPane.PANE_ID)
