"""The daily client update, composed and edited before it is sent."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from amtui.i18n import N_, _
from amtui.text import visible
from amtui.ui.app import AmtuiApp, language_name
from amtui.ui.confirm import close_unless_kept
from amtui.ui.safe import line

if TYPE_CHECKING:
    from amtui.services.report import DailyUpdate


def update_file(root: Path, client_name: str, day: str) -> Path:
    """Where a saved update goes: ``exports/updates/<day>-<client>.md`` in the workspace
    (``-2``, ``-3``… for later ones the same day, so none is overwritten)."""
    slug = re.sub(r"[^\w]+", "-", client_name.casefold()).strip("-")[:60] or "client"
    folder = root / "exports" / "updates"
    target, number = folder / f"{day}-{slug}.md", 1
    while target.exists():  # a second update the same day gets its own file
        number += 1
        target = folder / f"{day}-{slug}-{number}.md"
    return target


class UpdateScreen(ModalScreen[None]):
    """Edit the update; F2 copies it (through the terminal) and logs it as sent, F3 saves it
    as a file and logs it as sent. Either way the client's cadence starts again. The update
    is in the client's language; the screen around it in the user's."""

    DEFAULT_CSS = """
    UpdateScreen { align: center middle; }
    #update-box { width: 95%; max-width: 120; height: 95%; border: round $primary;
                  background: $surface; padding: 0 1; }
    #update-text { height: 1fr; }
    #update-hint { height: 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="update.cancel"),
        Binding("f2,ctrl+s", "send", N_("Copy and log as sent"), id="update.send"),
        Binding("f3", "save", N_("Save as a file and log as sent"), id="update.save"),
    ]

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_name = ""
        self.composed = ""
        """The update as composed, before any editing."""

    def compose(self) -> ComposeResult:
        with Vertical(id="update-box"):
            yield Static("", id="update-title")
            yield TextArea("", language="markdown", id="update-text", soft_wrap=True)
            yield Static(_("F2 copy and log as sent · F3 save as a file and log as sent · "
                           "Esc cancel"), id="update-hint")

    def on_mount(self) -> None:
        self.query_one("#update-title", Static).update(_("Composing the update…"))
        self._compose_update()

    @work(thread=True, exclusive=True, group="daily-update")
    def _compose_update(self) -> None:
        """Read the board and the messages off the UI thread (a large workspace takes a
        moment)."""
        # lazy: pydantic, loaded on first use
        from amtui.services.report import compose_daily_update

        app = self.app
        assert isinstance(app, AmtuiApp)
        update = compose_daily_update(app.workspace, self.client_id)
        app.call_from_thread(self._show, update)

    def _show(self, update: DailyUpdate) -> None:
        self.client_name = update.client.name
        written_in = _("in {language}").format(
            language=language_name(update.locale.partition("_")[0]))
        self.query_one("#update-title", Static).update(Content.assemble(
            (_("Daily update") + " · ", "bold"), line(update.client.name, 60),
            (f" · {written_in}", "$text-muted")))
        text = self.query_one("#update-text", TextArea)
        text.load_text(visible(update.markdown))
        self.composed = text.text
        text.move_cursor(text.document.end)  # what is typed first follows the composed text
        text.focus()

    def _composed(self) -> bool:
        if not self.client_name:
            self.notify(_("The update is still being composed."), severity="warning")
        return bool(self.client_name)

    def _log(self, done: str) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.services.report import log_update_sent

        app = self.app
        assert isinstance(app, AmtuiApp)
        workspace, client_id = app.workspace, self.client_id
        text = self.shown()
        app.change(lambda: log_update_sent(workspace, client_id, text), done)
        self.dismiss(None)

    def shown(self) -> str:
        """The update exactly as the editor shows it: what is copied, saved and logged."""
        return self.query_one("#update-text", TextArea).text

    def action_send(self) -> None:
        if not self._composed():
            return
        self.app.copy_to_clipboard(self.shown())
        self._log(_("Update copied and logged as sent"))

    def action_save(self) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.storage import StorageError
        from amtui.storage.files import atomic_write

        if not self._composed():
            return
        app = self.app
        assert isinstance(app, AmtuiApp)
        workspace = app.workspace
        target = update_file(workspace.root, self.client_name,
                             workspace.clock().date().isoformat())
        try:
            atomic_write(target, self.shown().encode(),
                         workspace.file_mode, within=workspace.root)
        except StorageError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self._log(_("Update saved to {path} and logged as sent").format(
            path=target.relative_to(workspace.root)))

    def unsaved_changes(self) -> bool:
        """The composed update was edited (Esc and ctrl+q ask before throwing that away)."""
        return bool(self.client_name) and self.shown() != self.composed

    def action_cancel(self) -> None:
        """Close; if the update was edited, only once the user agrees to lose the edits."""
        close_unless_kept(self, self.unsaved_changes(), _("Throw away your changes to the update?"))
