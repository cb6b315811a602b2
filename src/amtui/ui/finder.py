"""The command palette finds any client, task, note or message by name and opens it.

The index (:class:`~amtui.services.finder.FinderIndex`) is kept with the app, built by a worker
(in a child process) the first time the palette opens, and built again when the palette opens
after a data file changed; meanwhile the previous index answers. When a build ends while the
palette is open, the palette searches again.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

from textual.command import CommandPalette, Hit, Hits, Provider
from textual.content import Content
from textual.widgets import Input
from textual.worker import get_current_worker

from amtui.i18n import _
from amtui.services.finder import build_in_child, search_text
from amtui.services.finder_words import warm_up
from amtui.text import fold, one_line

if TYPE_CHECKING:
    from textual.app import App
    from textual.style import Style

    from amtui.services.finder import FinderIndex, Found
    from amtui.ui.app import AmtuiApp

TITLE_WIDTH = 70
"""Most characters of a title shown in the palette."""


def table_label(table: str) -> str:
    """What a record of the table is called in the palette: "client", "task", …"""
    return {"clients": _("client"), "tasks": _("task"), "notes": _("note"),
            "messages": _("message")}.get(table, table)


class FinderState:
    """The finder index of one app, and whether it is being built."""

    def __init__(self) -> None:
        self.index: FinderIndex | None = None
        self.building = False

    def refresh(self, app: AmtuiApp) -> None:
        """Build the index in a worker if there is none, or if the data changed since."""
        if self.building:
            return
        self.building = True
        loop = asyncio.get_running_loop()
        app.run_worker(partial(self._build, app, loop), name="finder index", group="finder",
                       thread=True, exit_on_error=False)

    def _build(self, app: AmtuiApp, loop: asyncio.AbstractEventLoop) -> None:
        rebuilt, problem = False, ""
        worker = get_current_worker()
        try:
            workspace = app.workspace
            if self.index is None or self.index.is_stale(workspace):
                index = build_in_child(workspace.root, lambda: worker.is_cancelled)
                if index is not None:  # None: the app is closing
                    warm_up()
                    self.index, rebuilt = index, True
        except Exception as error:  # the palette goes on without records, saying why
            problem = _("The finder could not read the workspace: {error}").format(error=error)
        finally:
            with suppress(RuntimeError):  # the app has closed
                loop.call_soon_threadsafe(self._built, app, rebuilt, problem)

    def _built(self, app: AmtuiApp, rebuilt: bool, problem: str) -> None:
        self.building = False
        if not app.is_running:
            return
        if problem:
            app.notify(one_line(problem), severity="error", markup=False)
        if (rebuilt or problem) and isinstance(app.screen, CommandPalette):
            # Search again for what is typed: the list shows the records now known (or no
            # longer says that they are being read).
            for typed in app.screen.query(Input):
                typed.post_message(Input.Changed(typed, typed.value))


_states: WeakKeyDictionary[App[Any], FinderState] = WeakKeyDictionary()


def finder_state(app: App[Any]) -> FinderState:
    """The app's finder state, made on first use."""
    state = _states.get(app)
    if state is None:
        state = _states[app] = FinderState()
    return state


def hit_display(found: Found, query: str, match_style: Style | str = "bold") -> Content:
    """"task: Макет главной" with the typed words marked, and below it the client and the
    record's state; all of it plain text, never markup."""
    title = one_line(found.title, TITLE_WIDTH)
    shown = Content(title)
    folded = fold(title)
    if len(folded) == len(title):
        for word in search_text(query).split():
            start = folded.find(word)
            if start >= 0:
                shown = shown.stylize(match_style, start, start + len(word))
    label = Content.styled(f"{table_label(found.table)}: ", "dim")
    first_line = label + shown
    if not found.detail:
        return first_line
    detail = Content.styled(one_line(found.detail, TITLE_WIDTH), "dim not bold")
    return Content("\n").join([first_line, detail])


class FinderProvider(Provider):
    """Clients, tasks, notes and messages whose name or title matches what is typed."""

    @property
    def _amtui(self) -> AmtuiApp:
        return cast("AmtuiApp", self.app)

    async def startup(self) -> None:
        finder_state(self.app).refresh(self._amtui)

    async def search(self, query: str) -> Hits:
        state = finder_state(self.app)
        index = state.index
        if index is None:
            if state.building:
                reading = _("find: reading the records…")
                yield Hit(0.0, Content(reading), self._still_reading, text=reading)
            return
        for found in index.search(query):
            display = hit_display(found, query, self.match_style or "bold")
            yield Hit(found.score, display,
                      partial(self._amtui.open_record, found.table, found.record_id),
                      text=f"{table_label(found.table)}: {one_line(found.title, TITLE_WIDTH)}")

    def _still_reading(self) -> None:
        self.app.notify(_("The finder is still reading the records; try again in a moment."),
                        markup=False)
