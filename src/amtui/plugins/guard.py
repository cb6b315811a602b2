"""Running a plugin's code so that it cannot hold amtui up or write into amtui's output.

Each call runs in a thread of its own that amtui waits for up to a time limit: a hook that
sleeps or loops makes its plugin fail after the limit instead of freezing the app or a
command. What plugin code prints goes to stderr, so that stdout carries only amtui's own
output (``today --json``, ``plugins --json``, the id printed by ``add``).
"""

from __future__ import annotations

import contextvars
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

from amtui.i18n import _

T = TypeVar("T")

LIMIT_VARIABLE = "AMTUI_PLUGIN_SECONDS"
"""Overrides both time limits below (seconds), e.g. for a slow machine or a test."""

REGISTER_SECONDS = 5.0
"""How long a plugin may take to import or to register what it offers (tables, panes, …)."""

WORK_SECONDS = 20.0
"""How long a hook that does work may take (a Today section, a client-card section, an event)."""

_in_plugin = threading.local()


class PluginTimeout(Exception):
    """A plugin's code did not return within its time limit."""


def limit(default: float) -> float:
    """``default``, unless ``AMTUI_PLUGIN_SECONDS`` says otherwise."""
    value = os.environ.get(LIMIT_VARIABLE, "")
    try:
        chosen = float(value)
    except ValueError:
        return default
    return chosen if chosen > 0 else default


class _RoutedStdout:
    """``sys.stdout`` that sends what plugin threads print to stderr."""

    def __init__(self, stdout: TextIO) -> None:
        self._stdout = stdout

    def _target(self) -> TextIO:
        return sys.stderr if getattr(_in_plugin, "active", False) else self._stdout

    def write(self, text: str) -> int:
        return self._target().write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)


def _route_stdout() -> None:
    if not isinstance(sys.stdout, _RoutedStdout) and sys.stdout is not None:
        sys.stdout = _RoutedStdout(sys.stdout)


def run_plugin_code(function: Callable[[], T], seconds: float | None) -> T:
    """``function()``, run in a plugin thread; waits at most ``seconds`` (``None``: as long as
    it takes). Raises what it raised, or :class:`PluginTimeout`. A call that timed out goes on
    in the background, where nothing it does is waited for."""
    _route_stdout()
    outcome: dict[str, Any] = {}

    def target() -> None:
        _in_plugin.active = True
        try:
            outcome["result"] = function()
        except BaseException as error:  # handed to the caller, whatever it is
            outcome["error"] = error

    thread = threading.Thread(target=contextvars.copy_context().run, args=(target,),
                              name="amtui-plugin", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise PluginTimeout(_("did not return within {seconds:g} s").format(seconds=seconds))
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]  # type: ignore[no-any-return]
