"""What every pane shares: the workspace header, the pane bar, the footer, loading in a worker,
and the notice shown when the terminal is too small."""

from __future__ import annotations

import gc
import sys
import threading
import weakref
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.compose import compose
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from amtui.i18n import N_, _
from amtui.identity import os_user
from amtui.text import one_line
from amtui.ui.safe import line
from amtui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.widget import Widget

    from amtui.ui.app import AmtuiApp

MIN_WIDTH, MIN_HEIGHT = 60, 16
"""Below this the panes cannot be used; a notice says so instead."""


def release_free_memory() -> None:
    """Hand memory freed by reading a large workspace back to the system (glibc keeps it
    otherwise, and the next pane's reading would start from the higher mark)."""
    global _trim
    if _trim is None:
        try:
            # lazy: kept out of the app start
            import ctypes

            _trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _trim = False
    if _trim:
        _trim(0)


_trim: Any = None


def put_text(static: Static, text: str | Content) -> None:
    """Put ``text`` in ``static`` unless it shows that already: an update lays the whole
    screen out again, which a pane read again with nothing new should not cost."""
    if static.content != text:
        static.update(text)


def release_off_thread(objects: dict[str, Any]) -> None:
    """Drop the references in ``objects`` in a thread of its own: whatever only they kept
    alive (what a pane read last time, tens of thousands of rows on a large workspace) is
    freed there a piece at a time, not on the UI thread between two frames (measured:
    20-60 ms); then the memory freed is handed back to the system."""
    threading.Thread(target=_let_go_of, args=(objects,), name="amtui-release",
                     daemon=True).start()


def _let_go_of(objects: dict[str, Any]) -> None:
    while objects:
        _let_go(objects.popitem()[1], depth=4)
    release_free_memory()


def _let_go(value: Any, depth: int) -> None:
    """Drop ``value``. Freeing a large list at once is one call that holds the interpreter
    lock throughout; so a list or dict held nowhere else is emptied an item at a time (its
    items, and those of a plain object's attributes, let go of likewise, ``depth`` levels
    down), letting the UI thread take the lock between any two."""
    if not depth or sys.getrefcount(value) > 2:  # 2: this call's own references
        return
    holders: list[Any] = []
    if isinstance(value, (list, dict)):
        holders.append(value)
    if getattr(type(value), "__del__", None) is None and not weakref.getweakrefcount(value):
        holders.append(getattr(value, "__dict__", None) or {})  # nothing else can see it
    for holder in holders:
        while holder:
            _let_go(holder.popitem()[1] if isinstance(holder, dict) else holder.pop(),
                    depth - 1)


class PaneBar(Static):
    """The panes, with their number keys; the current one highlighted. When the titles do not
    fit (Russian ones at 80 columns), the gaps between the panes narrow to one space; when
    they still do not fit, the other panes' titles are shortened alike, never the current
    one's nor a number key."""

    def __init__(self, current: str) -> None:
        super().__init__(id="pane-bar")
        self.current = current
        self._drawn_for: tuple[int, list[tuple[str, str]]] | None = None

    def on_mount(self) -> None:
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        """Draw the bar, unless it shows this already (at this width, these panes)."""
        width = self.size.width or self.app.size.width
        app: AmtuiApp = self.app  # type: ignore[assignment]
        titles = list(app.pane_titles())
        if (width, titles) == self._drawn_for:
            return
        self._drawn_for = (width, titles)

        def bar(longest: int, roomy: bool) -> Content:
            parts: list[Content] = []
            for pane_id, title in titles:
                current = pane_id == self.current
                if not current and len(title) > longest:
                    title = title[:longest - 1] + "…"
                key = app.pane_keys.get(pane_id, "")  # panes from the tenth on have none
                parts.append(Content.assemble(  # roomy " 1 Today  2 Inbox ", else one space
                    (f" {key} " if key else " ", "bold"),
                    (title, "reverse bold" if current else ""), " " if roomy else ""))
            return Content("").join(parts)

        longest = max((len(title) for _pane, title in titles), default=0)
        shown = bar(longest, roomy=True)
        if shown.cell_length > width:
            shown = bar(longest, roomy=False)
        while shown.cell_length > width and longest > 3:
            longest -= 1
            shown = bar(longest, roomy=False)
        self.update(shown)


class Loaded(Message):
    """A worker finished reading what the pane shows."""

    def __init__(self, payload: Any, damaged: dict[str, str] | None = None) -> None:
        super().__init__()
        self.payload = payload
        self.damaged = damaged or {}
        """Damaged data files the reading came across: file → why it is read-only."""


class LoadFailed(Message):
    """A worker could not read what the pane shows (the store said why)."""

    def __init__(self, problem: str, damaged: dict[str, str]) -> None:
        super().__init__()
        self.problem = problem
        self.damaged = damaged


SHOWN_DAMAGED_FILES = 3
"""Damaged files the notice above a pane names; the rest are counted."""


class PaneScreen(Screen[None]):
    """A pane: subclasses compose the body and say how to load and show their data."""

    PANE_ID: ClassVar[str] = ""
    """The pane's id, as its :class:`PaneSpec` gives it (the pane bar marks it current)."""
    TITLE_TEXT: ClassVar[str] = ""
    """The title in the header."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r,f5", "reload", N_("Reload"), id="pane.reload", show=False),
    ]

    plugin: str = ""
    """The plugin whose pane this is ("" for amtui's own): what it raises fails that plugin
    and shows in the pane, instead of ending the app."""

    def __init__(self) -> None:
        super().__init__()
        self.styled_with = getattr(self.app, "styles_version", 0)
        """The app's :attr:`~amtui.ui.app.AmtuiApp.styles_version` this screen's widgets were
        last styled with: a new screen is styled with the stylesheet as it is."""

    @property
    def amtui(self) -> AmtuiApp:
        """The app (see :class:`amtui.api.PluginApp`): ``self.amtui.workspace`` in
        :meth:`read`, ``self.amtui.push_screen(...)`` in a key's action."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(("amtui", "bold"), " · ", line(self.amtui.workspace_name, 50),
                             " · ", os_user()),
            id="workspace-header",
        )
        yield PaneBar(self.PANE_ID)
        yield Static("", id="damage-notice")
        with Vertical(id="pane-body"):
            yield from self._guarded(lambda: compose(self, self.compose_body()))
        yield Static(_("The terminal is too small for amtui: make it at least "
                       "{width}×{height}.").format(width=MIN_WIDTH, height=MIN_HEIGHT),
                     id="too-small")
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        """The pane's own widgets, between the pane bar and the key bar (none by default)."""
        yield from ()

    def on_mount(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)
        # Paint the pane first; reading a large workspace would hold the first frame back.
        self.call_after_refresh(self.first_load)

    def first_load(self) -> None:
        """Read what the pane shows for the first time (after its first frame)."""
        self.load()

    def on_resize(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)

    def _fit(self, width: int, height: int) -> None:
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")

    def _guarded(self, make: Callable[[], list[Widget]]) -> list[Widget]:
        """The widgets ``make`` returns; for a plugin's pane, a notice of the failure instead
        if it raises (the plugin is then marked failed)."""
        if not self.plugin:
            return make()
        try:
            return make()
        except Exception as error:
            return [self._fail(error)]

    def _fail(self, error: Exception) -> Widget:
        # cycle: amtui.ui.panes.failed imports this module
        from amtui.ui.panes.failed import failure_notice

        self.amtui.plugins.fail(self.plugin, error, hook="pane")
        self.amtui.show_plugin_failures()
        return failure_notice(self.plugin, self.amtui.plugins.plugins[self.plugin].error)

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Read what the pane shows, off the UI thread, noting the damaged files read."""
        # lazy: pydantic, loaded after the first paint
        from amtui.storage import StorageError
        from amtui.storage.damage import damaged_files_read

        with damaged_files_read() as damaged:
            try:
                payload = None if self._plugin_failed() else self.read()
            except StorageError as error:
                self.post_while_current(LoadFailed(str(error), damaged))
                return
            except Exception as error:
                if not self.plugin:
                    raise
                if not get_current_worker().is_cancelled:
                    self.app.call_from_thread(self._replace_body, error)
                return
        self.post_while_current(Loaded(payload, damaged))

    def post_while_current(self, message: Message) -> None:
        """Post what the load worker read, unless a newer load has cancelled this one: what
        it read is out of date, and could arrive after the newer load's."""
        if not get_current_worker().is_cancelled:
            self.post_message(message)

    def _plugin_failed(self) -> bool:
        return bool(self.plugin) and self.amtui.plugins.plugins[self.plugin].status == "failed"

    def _replace_body(self, error: Exception) -> None:
        body = self.query_one("#pane-body")
        body.remove_children()
        body.mount(self._fail(error))

    def read(self) -> Any:
        """Runs in a worker: read from the store, touch no widget."""
        return None

    loads_shown: int = 0
    """How many times the pane has shown what it read (tests wait for the first)."""

    def on_loaded(self, message: Loaded) -> None:
        # What the pane held before: what show() replaces is then referenced only here.
        held = dict(vars(self))
        if not self._plugin_failed():
            try:
                self.show(message.payload)
            except Exception as error:
                if not self.plugin:
                    raise
                self._replace_body(error)
        self._show_damage(list(message.damaged.values()))
        self.loads_shown += 1
        # What a pane holds of a large workspace is hundreds of thousands of small objects.
        # Left to the cycle collector, each full collection walks all of them (measured:
        # 140 ms, landing on some key press). After the pane's first read, what exists is
        # moved out of its reach (the pane's data has no reference cycles, so reference
        # counting still frees it). Only then: anything frozen that later becomes garbage in
        # a cycle is never collected, so freezing after every read would leak a little each
        # time (measured: 0.5-1 MB per save on the Board).
        if self.loads_shown == 1:
            gc.collect(1)  # recent garbage is not frozen (a full collection would pause)
            gc.freeze()
        release_off_thread(held)

    def show(self, payload: Any) -> None:
        """Runs on the UI thread with what :meth:`read` returned."""

    def on_load_failed(self, message: LoadFailed) -> None:
        self._show_damage([message.problem, *message.damaged.values()])
        self.loads_shown += 1

    def _show_damage(self, problems: list[str]) -> None:
        """Above the pane, what is wrong with the files it read (it shows what it could read
        of them): which file, and how to restore it. Hidden when all is well."""
        notice = self.query_one("#damage-notice", Static)
        shown = list(dict.fromkeys(problems))[:SHOWN_DAMAGED_FILES]
        lines = [f"⚠ {one_line(problem)}" for problem in shown]
        if len(problems) > len(shown):
            lines.append(_("… and {count} more: run `amtui doctor`").format(
                count=len(problems) - len(shown)))
        put_text(notice, Content("\n".join(lines)))
        notice.display = bool(lines)

    stale: bool = False
    """Something was saved while another pane was shown: read again when shown."""

    def on_screen_resume(self) -> None:
        """Shown again: read again if something was saved meanwhile. (A pane with a resume
        handler of its own, the Board's, decides for itself.)"""
        for bar in self.query(PaneBar):  # a plugin's pane may have been switched off since
            bar.draw()
        stale, self.stale = self.stale, False
        if (stale and self.loads_shown
                and type(self).on_screen_resume is PaneScreen.on_screen_resume):
            self.data_changed()

    def action_reload(self) -> None:
        self.load()

    def data_changed(self) -> None:
        """Another process changed the workspace: read again, keeping the cursor."""
        self.load()
