"""Pytest fixtures for testing amtui plugins. In a plugin's ``conftest.py``::

    pytest_plugins = ["amtui.testing"]

Fixtures:

- ``amtui_clock``: a clock that stands still at 2026-11-26 09:00 UTC until ``advance(...)``.
- ``amtui_workspace``: an empty workspace in a temporary folder, on that clock.
- ``register_plugin``: ``register_plugin(module)`` loads a plugin module (or any object with
  ``@hookimpl`` functions) the way amtui loads an installed one, gives the workspace its tables,
  and returns the :class:`~amtui.plugins.host.PluginHost`.
- ``run_app``: ``async with run_app(host, pane="id") as pilot:`` runs the app on the workspace
  with the plugin, headless, and waits until the pane has shown its data.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from amtui.plugins.host import Candidate, PluginHost, bundled_folder, import_from_path
from amtui.storage import Workspace

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


class StillClock:
    """A clock that moves only when told: ``clock.advance(days=1)``."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def amtui_clock() -> StillClock:
    return StillClock()


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
        from amtui.ui.app import AmtuiApp

        app = AmtuiApp(amtui_workspace, pane=pane, plugins=host)
        async with app.run_test(size=size) as pilot:
            for _attempt in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            yield pilot

    yield run
