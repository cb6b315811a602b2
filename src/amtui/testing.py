"""Pytest fixtures and helpers for testing amtui and its plugins.

This module is a pytest plugin, registered by amtui's ``pytest11`` entry point: installing
amtui next to pytest is all a plugin's tests need for the fixtures below (amtui itself never
imports this module, nor pytest). A plugin's test imports only ``amtui.api`` and this module.

Fixtures:

- ``amtui_clock``: a clock that stands still at 2026-11-26 09:00 UTC until ``advance(...)``.
  While the test runs, ``AMTUI_NOW`` says the same moment, so an ``amtui`` the test starts in a
  subprocess, and a workspace opened without a clock, see the same day as the test.
- ``amtui_workspace``: an empty workspace in a temporary folder, on that clock.
- ``register_plugin``: ``register_plugin(module)`` loads a plugin module (or any object with
  ``@hookimpl`` functions) the way amtui loads an installed one, gives the workspace its tables,
  and returns the :class:`~amtui.plugins.host.PluginHost`.
- ``run_app``: ``async with run_app(host, pane="id") as pilot:`` runs the app on the workspace
  with the plugin, headless, and waits until the pane has shown its data.

Helpers:

- ``plugin_sections(workspace, host)``: Today's sections the plugins add, as ``amtui today``
  shows them (each with ``title`` and ``items``, an item with ``title``, ``client``,
  ``detail``).
- ``table_rows(pilot)``: the text of each row of the table the pane shows.
- ``with speaking("ru_RU"):``: the interface (amtui's and every plugin's catalogue) in that
  language inside the block.

For Textual's ``Pilot``, waiting for a state, never for a length of time:

- ``await settle(pilot)``: until the app has nothing left to do (no worker running, every
  message handled, the pane's data shown).
- ``await wait_until(pilot, condition, "what")``: until ``condition()`` is true.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, MutableMapping
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from amtui.clock import ENVIRONMENT_VARIABLE as NOW_VARIABLE
from amtui.i18n import current_locale, use_locale
from amtui.plugins.host import Candidate, PluginHost, bundled_folder, import_from_path
from amtui.services.agenda import plugin_sections
from amtui.storage import Workspace

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

__all__ = ["START", "StillClock", "import_bundled", "load_plugin", "plugin_sections", "settle",
           "speaking", "table_rows", "wait_until"]

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
"""The moment the test's clock shows first: 2026-11-26 09:00 UTC, a Thursday."""


class StillClock:
    """A clock that moves only when told: ``clock.advance(days=1)``.

    Given an ``environ`` (``os.environ``), it keeps ``AMTUI_NOW`` there at its own time, so
    that amtui processes started with that environment agree with it.
    """

    def __init__(self, now: datetime = START,
                 environ: MutableMapping[str, str] | None = None) -> None:
        self._environ = environ
        self.now = now

    @property
    def now(self) -> datetime:
        return self._now

    @now.setter
    def now(self, moment: datetime) -> None:
        self._now = moment
        if self._environ is not None:
            self._environ[NOW_VARIABLE] = moment.isoformat()

    def __call__(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def amtui_clock(monkeypatch: pytest.MonkeyPatch) -> StillClock:
    """The test's clock; ``AMTUI_NOW`` follows it and is put back after the test."""
    monkeypatch.setenv(NOW_VARIABLE, START.isoformat())
    return StillClock(environ=os.environ)


@pytest.fixture
def amtui_workspace(tmp_path: Path, amtui_clock: StillClock) -> Workspace:
    return Workspace.open(tmp_path / "workspace", create=True, clock=amtui_clock)


def import_bundled(name: str) -> ModuleType:
    """One of amtui's bundled plugins imported as the package ``name`` (once per process),
    so that a test reaches its modules: ``importlib.import_module(f"{name}.models")``."""
    if name not in sys.modules:
        import_from_path(name, bundled_folder() / name)
    return sys.modules[name]


def load_plugin(module: ModuleType | Any, workspace: Workspace | None = None,
                name: str | None = None) -> PluginHost:
    """A host with just ``module`` loaded (as amtui loads an installed plugin)."""
    plugin_name = name or getattr(module, "__name__", "plugin").rsplit(".", 1)[-1]
    host = PluginHost()
    host.load_all([Candidate(plugin_name, "test", repr(module), lambda: module)])
    if workspace is not None:
        host.attach(workspace)
    return host


@pytest.fixture
def register_plugin(amtui_workspace: Workspace) -> Callable[..., PluginHost]:
    def register(module: ModuleType | Any, name: str | None = None) -> PluginHost:
        return load_plugin(module, amtui_workspace, name)

    return register


@pytest.fixture
def run_app(amtui_workspace: Workspace) -> Iterator[Callable[..., Any]]:
    @asynccontextmanager
    async def run(host: PluginHost | None = None, pane: str = "today",
                  size: tuple[int, int] = (100, 30)) -> AsyncIterator[Any]:
        # lazy: Textual, not loaded for the CLI
        from amtui.ui.app import AmtuiApp

        app = AmtuiApp(amtui_workspace, pane=pane, plugins=host)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            yield pilot

    yield run


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """The interface in ``locale`` ("ru_RU") inside the block, as ``--lang`` would make it;
    the language before it afterwards."""
    before = current_locale()
    use_locale(locale)
    try:
        yield
    finally:
        use_locale(before)


def table_rows(pilot: Pilot[Any]) -> list[list[str]]:
    """The text of each row of the first table on the screen shown (a list pane's list),
    cell by cell, as the user reads it."""
    from textual.widgets import DataTable  # lazy: Textual, only for a UI test

    table = pilot.app.screen.query_one(DataTable)
    return [[getattr(value, "plain", str(value)) for value in table.get_row_at(index)]
            for index in range(table.row_count)]


WAIT_LIMIT = 120.0
"""Seconds after which a wait gives up and fails the test. Only a hung app reaches it: a busy
machine makes a wait longer, never wrong."""


def _busy(app: App[Any]) -> str:
    """What the app still has to do, or "" when it has nothing left."""
    running = [worker.name for worker in app.workers if not worker.is_finished]
    if running:
        return f"workers running: {', '.join(running)}"
    screen = app.screen
    pumps = [app, *screen.walk_children(with_self=True)]
    queued = [type(pump).__name__ for pump in pumps if pump.message_queue_size]
    if queued:
        return f"messages waiting in: {', '.join(queued)}"
    if getattr(screen, "loads_shown", None) == 0:
        return f"{type(screen).__name__} has not shown its data yet"
    return ""


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the app has nothing left to do: no worker running, every message handled,
    what was queued for after the next refresh run, and the pane shown has shown its data,
    twice in a row (a handler may start more work)."""
    app = pilot.app
    quiet_rounds = 0
    deadline = time.monotonic() + WAIT_LIMIT
    while quiet_rounds < 2:
        # Not wait_for: cancelling the wait would cancel the workers it waits for.
        waiting = asyncio.ensure_future(app.workers.wait_for_complete())
        done, _pending = await asyncio.wait({waiting}, timeout=max(deadline - time.monotonic(),
                                                                     0.001))
        if not done:
            raise AssertionError(f"the app never settled ({_busy(app)})")
        # Whatever was queued for after the next refresh (call_after_refresh) runs before this.
        # (Not once the app is told to exit: its screen is refreshed no more.)
        refreshed = asyncio.Event()
        if app.return_code is not None or not app.screen.call_after_refresh(refreshed.set):
            refreshed.set()
        await pilot.pause()
        busy = _busy(app) or ("" if refreshed.is_set()
                              else "callbacks waiting for the next refresh")
        quiet_rounds = 0 if busy else quiet_rounds + 1
        if busy and time.monotonic() > deadline:
            raise AssertionError(f"the app never settled ({busy})")


async def wait_until(pilot: Pilot[Any], condition: Callable[[], object],
                     what: str = "the condition") -> None:
    """Let the app run until ``condition()`` is true; fail naming ``what`` if it never is.
    Workers are not waited for, so this also serves while one is held back on purpose."""
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited in vain for {what}")
        await pilot.pause()
