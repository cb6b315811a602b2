"""The Team pane: the team's load, key-account identification, relationship stages and
portfolio KPIs, one view at a time (t, a, g, i), with a help line that defines the figure
under the cursor.

Everything is read and computed in a worker; a view draws only what is visible, and only
when it is shown.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import ValidationError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from amtui.api import InvalidRecord, describe_validation_error
from amtui.api.ui import PaneScreen, save_change

from .actions import set_key
from .i18n import N_, _, translate_keys
from .keyaccounts import key_accounts
from .snapshot import completed, read_team, with_load
from .widgets import TeamView

if TYPE_CHECKING:
    from collections.abc import Callable

    from .periods import Period
    from .snapshot import TeamFigures

VIEWS = (("load", "t", N_("Team")), ("accounts", "a", N_("Key accounts")),
         ("stages", "g", N_("Stages")), ("kpis", "i", N_("KPIs")))
"""(view id, key, title)."""
VIEW_CLASSES = {"load": "view_load:LoadView", "accounts": "view_accounts:AccountsView",
                "stages": "view_stages:StagesView", "kpis": "view_kpis:KpiView"}
"""Each view's class, imported when the view is first shown."""


def view_class(view_id: str) -> type[TeamView]:
    module, _colon, name = VIEW_CLASSES[view_id].partition(":")
    found: type[TeamView] = getattr(importlib.import_module(f".{module}", __package__), name)
    return found
REQUESTED = "kam_team_requested_view"
"""The app's attribute that names the view the palette asked for, until the pane shows it."""


class AccountsComputed(Message):
    """Key accounts (and KPIs) computed in a worker."""

    def __init__(self, figures: TeamFigures) -> None:
        super().__init__()
        self.figures = figures


class TeamPane(PaneScreen):
    PANE_ID = "team"
    TITLE_TEXT = N_("Team")
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
        translate_keys(self)
        self.current_view = "load"
        self.figures: TeamFigures | None = None
        self.accounts_period: Period | None = None
        """The period of the key-account list asked for (None: the default)."""
        self.view_states: dict[str, dict[str, Any]] = {}
        """What each view remembers while another one is shown."""

    def compose_body(self) -> ComposeResult:
        requested = getattr(self.app, REQUESTED, None)
        if requested in VIEW_CLASSES:
            setattr(self.app, REQUESTED, None)
            self.current_view = requested
        yield Static("", id="team-bar")
        with Vertical(id="team-views"):
            yield self._make(self.current_view)
        yield Static("", id="team-status")
        yield Static(Content(_("Reading the team's accounts…")), id="team-help")

    def _make(self, view_id: str) -> TeamView:
        self._shown = view_class(view_id)(self.view_states.setdefault(view_id, {}))
        return self._shown

    def on_mount(self) -> None:
        # (PaneScreen's own on_mount runs too: Textual calls each class's handler.)
        self._show_bar()
        self.on_screen_resume()

    def on_screen_resume(self) -> None:
        requested = getattr(self.app, REQUESTED, None)
        if requested:
            setattr(self.app, REQUESTED, None)
            self.action_view(requested)

    @property
    def current(self) -> TeamView:
        """The view shown (the only one in the pane)."""
        return self._shown

    def _show_bar(self) -> None:
        parts = []
        for view, key, title in VIEWS:
            style = "reverse bold" if view == self.current_view else ""
            parts.append(Content.assemble((f" {key} ", "bold"), (_(title), style), " "))
        self.query_one("#team-bar", Static).update(Content("").join(parts))

    def action_view(self, view_id: str) -> None:
        if view_id not in VIEW_CLASSES or view_id == self.current_view:
            return
        leaving = self.current
        leaving.remember()
        leaving.remove()
        self.current_view = view_id
        shown = self._make(view_id)
        self.query_one("#team-views").mount(shown)
        self._show_bar()

    # reading -----------------------------------------------------------------------------

    def read(self) -> TeamFigures:
        return with_load(read_team(self.amtui.workspace), self.accounts_period, self.figures)

    def show(self, payload: TeamFigures) -> None:
        self.figures = payload
        self.accounts_period = payload.accounts_period
        status = self.query_one("#team-status", Static)
        if not payload.data.history_written:
            status.update(Content(_("The account history could not be saved (the file is "
                                    "read-only); figures are as of now.")))
        status.set_class(not payload.data.history_written, "-shown")
        self.current.given(payload)
        self._complete()

    # (Workers take no figures as arguments: Textual describes each worker with the repr of
    # its arguments, which for 10,000 clients took half a second of the UI thread.)

    @work(thread=True, exclusive=True, group="team-compute")
    def _complete(self) -> None:
        """The key accounts and the KPIs, computed after the load is shown."""
        figures = self.figures
        if figures is None:
            return
        done = completed(figures)
        if not get_current_worker().is_cancelled:
            self.post_message(AccountsComputed(done))

    def recompute_accounts(self, period: Period) -> None:
        """The key-account list for another period, computed in a worker."""
        if self.figures is not None:
            self.accounts_period = period
            self._accounts_for(period)

    @work(thread=True, exclusive=True, group="team-accounts")
    def _accounts_for(self, period: Period) -> None:
        figures = self.figures
        if figures is None:
            return
        rows = key_accounts(figures.data, period)
        self.post_message(AccountsComputed(replace(figures, accounts_period=period,
                                                   accounts=rows)))

    def on_accounts_computed(self, message: AccountsComputed) -> None:
        current, new = self.figures, message.figures
        if current is None or new.data is not current.data:
            return  # computed from a read that a newer one replaced
        if new.accounts_period != self.accounts_period:  # another period was asked for since
            new = replace(new, accounts_period=current.accounts_period,
                          accounts=current.accounts)
        if new.months is None:
            new = replace(new, months=current.months, quarters=current.quarters)
        self.figures = new
        if self.current_view != "load":
            self.current.given(message.figures)

    # helpers for the views -----------------------------------------------------------------

    def explain(self, text: str | Content) -> None:
        """The help line: what the figure under the cursor means, or what the keys do."""
        shown = text if isinstance(text, Content) else Content(text)
        self.query_one("#team-help", Static).update(shown)

    def toggle_key(self, client_id: str) -> None:
        """Mark the account key, or not key: shown at once, saved in a worker."""
        if self.figures is None or client_id not in self.figures.data.clients:
            return

        client = self.figures.data.clients[client_id]
        key = not client.key
        workspace = self.amtui.workspace
        said = _("«{name}» marked key (u undoes)") if key \
            else _("«{name}» no longer key (u undoes)")
        self.change(lambda: set_key(workspace, client_id, key), said.format(name=client.name))
        self.figures.data.clients[client_id] = replace(client, key=key)
        toggled = None
        for index, row in enumerate(self.figures.accounts or []):
            if row.client_id == client_id:
                toggled = self.figures.accounts[index] = replace(  # type: ignore[index]
                    row, key=key, suggestion="", why="")
                break
        if toggled is not None:
            self.current.key_toggled(toggled)
        else:
            self.current.given(self.figures)

    def change(self, save: Callable[[], Any], done: str) -> None:
        """Save in a worker (a bad change is refused with a message; ``u`` undoes), then
        read again."""

        def checked() -> Any:
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
