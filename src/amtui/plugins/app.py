"""What a plugin may do with the app it is handed (a palette command's ``run(app)``, a table's
``open(app, record_id)``, a picker's ``create``): the part of amtui's app that is public.

Importing this module imports neither Textual nor the store: the types are for type checkers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

if TYPE_CHECKING:
    from textual.screen import Screen

    from amtui.storage import Workspace

Result = TypeVar("Result")


class PluginApp(Protocol):
    """The app, as a plugin sees it. Call these on the UI thread only (a palette command's
    ``run``, a pane's handlers); from a worker, use ``app.call_from_thread(...)``.

    Example, a palette command that opens the plugin's pane and asks for something there::

        def run(app: PluginApp) -> None:
            app.action_pane("followups")
            app.call_after_refresh(lambda: app.screen.run_action("new"))
    """

    @property
    def workspace(self) -> Workspace:
        """The open workspace (opened on first use: read it in a worker when it may be slow)."""

    @property
    def current_pane(self) -> str:
        """The id of the pane shown (or under the dialogs shown)."""

    @property
    def screen(self) -> Screen[object]:
        """The screen on top: the pane, or a dialog over it."""

    def action_pane(self, pane_id: str) -> None:
        """Show the pane ``pane_id`` (a :class:`PaneSpec`'s id, or amtui's ``today``,
        ``inbox``, ``clients``, ``board``, ``notes``)."""

    def open_record(self, table: str, record_id: str) -> None:
        """Show one record as Enter on it would: its table's ``open``, a client's card, …"""

    def change(self, save: Callable[[], object], done_message: str,
               overwrite: Callable[[], object] | None = None,
               then: Callable[[], None] | None = None) -> None:
        """Run ``save`` in a worker and read the panes again, as ``save_change`` does; an
        :class:`Undo` it returns is what ``u`` reverts; ``then`` runs on the UI thread once
        it is saved."""

    def notify(self, message: str, *, title: str = "",
               severity: Literal["information", "warning", "error"] = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Show a notification, always as text (control characters visible, no markup)."""

    def push_screen(self, screen: Screen[Result],
                    callback: Callable[[Result | None], None] | None = None) -> object:
        """Show a dialog (a :class:`FormScreen`, :class:`AskScreen`, …) over the pane;
        ``callback`` gets what it is dismissed with (None when cancelled)."""

    def call_after_refresh(self, callback: Callable[[], object]) -> bool:
        """Call ``callback`` once the screen has been drawn (after ``action_pane``, say)."""

    def call_from_thread(self, callback: Callable[[], Result]) -> Result:
        """Run ``callback`` on the UI thread from a worker and return what it returns."""
