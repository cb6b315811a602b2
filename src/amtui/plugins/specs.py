"""The hooks a plugin implements, and what it hands to their ``register`` callbacks.

Every hook receives a ``register`` (or ``add``) callback rather than returning a value, so that
new arguments can be given to hooks later without breaking plugins. Importing this module
imports neither Textual nor the store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import argparse

    from pydantic import BaseModel

    from amtui.models import Record
    from amtui.storage import Workspace

PROJECT = "amtui"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Mark a plugin's function as the implementation of a hook: ``@hookimpl``."""


# What plugins register ---------------------------------------------------------------------

@dataclass(frozen=True)
class TableSpec:
    """A table the plugin stores, in ``data/<plugin>/<name>.json``."""

    name: str
    model: type[Record]
    version: int = 1
    migrations: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = field(
        default_factory=dict)
    """``{n: function}`` turns a record of version ``n`` into version ``n + 1``."""
    open: Callable[[Any, str], None] | None = None
    """Shows one record (Enter on a Today line, the palette): called with the app and the
    record's id. Without it a record is shown as its fields."""


@dataclass(frozen=True)
class PaneSpec:
    """A pane: opened with its number key, ``--pane ID`` and the palette."""

    id: str
    title: str
    factory: Callable[[], Any]
    """Makes the pane's screen (an :class:`amtui.api.ui.PaneScreen`); called on first visit."""
    order: int = 100
    """Panes are shown after the core ones, by order, then title."""


@dataclass(frozen=True)
class CommandSpec:
    """A command palette entry: ``"calendar: export to ics"``."""

    title: str
    help: str
    run: Callable[[Any], None]
    """Called with the app when chosen."""


@dataclass(frozen=True)
class CliCommand:
    """``amtui NAME …``: a subcommand of the command line (it must not import Textual)."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    """Adds the subcommand's arguments."""
    run: Callable[[argparse.Namespace, Workspace], int | None]
    """Runs it with the parsed arguments and the open workspace; returns the exit status."""


@dataclass(frozen=True)
class ThemeSpec:
    """A colour theme, as the fields of a theme file (see ``docs/themes.md``)."""

    values: Mapping[str, Any]


@dataclass(frozen=True)
class EntryAction:
    """What ``d`` or ``s`` does on a plugin's Today line: ``EntryAction("Approve",
    approve)``. The key bar and help name it by ``label`` while the line is highlighted."""

    label: str
    """What the key does, in a word or two, in the plugin's language ("Approve")."""
    run: Callable[[Workspace], Any]
    """Makes the change: called off the UI thread with the workspace, as amtui's own saves
    are. It may return an :class:`amtui.api.Undo` (then ``u`` reverts it); a ``ValueError``
    is shown as bad input, and nothing else happens."""
    done_message: str = ""
    """Shown once the change is saved ("Post approved")."""


@dataclass(frozen=True)
class AgendaEntry:
    """A line a plugin adds to Today, in its own section."""

    section: str
    """The section's title ("Posts waiting for client approval")."""
    title: str
    detail: str = ""
    client_id: str | None = None
    table: str = ""
    """The table and record the line is about (opened with Enter), if any."""
    record_id: str = ""
    fact: str = ""
    """What matters about it, said first and lined up like the facts of amtui's own lines:
    "due today", "2 d late", "waiting 6 d"."""
    done: EntryAction | None = None
    """What ``d`` does on the line; without it ``d`` is shown greyed out there."""
    snooze: EntryAction | None = None
    """What ``s`` does on the line; without it ``s`` is shown greyed out there."""


@dataclass(frozen=True)
class TimelineItem:
    """Something a plugin's record adds to a client's timeline."""

    at: datetime
    kind: str
    text: str
    table: str = ""
    record_id: str = ""


@dataclass(frozen=True)
class ClientSection:
    """A section a plugin adds to the client card."""

    title: str
    lines: list[str] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)


@dataclass(frozen=True)
class SettingsSection:
    """A ``[section]`` of ``workspace.toml`` that belongs to the plugin, checked by a model."""

    name: str
    model: type[BaseModel]


@dataclass(frozen=True)
class Event:
    """Something that happened: ``record_saved``, ``record_deleted``, ``startup``,
    ``shutdown``."""

    kind: str
    table: str = ""
    record_id: str = ""
    fields: tuple[str, ...] = ()


EVENT_KINDS = ("record_saved", "record_deleted", "startup", "shutdown")


# The hooks ---------------------------------------------------------------------------------

@hookspec
def amtui_register_tables(register: Callable[[TableSpec], None]) -> None:
    """Register the plugin's tables."""


@hookspec
def amtui_register_panes(register: Callable[[PaneSpec], None]) -> None:
    """Register the plugin's panes."""


@hookspec
def amtui_register_commands(register: Callable[[CommandSpec], None]) -> None:
    """Register command palette entries."""


@hookspec
def amtui_register_cli(register: Callable[[CliCommand], None]) -> None:
    """Register ``amtui`` subcommands."""


@hookspec
def amtui_register_themes(register: Callable[[ThemeSpec], None]) -> None:
    """Register colour themes."""


@hookspec
def amtui_register_settings(register: Callable[[SettingsSection], None]) -> None:
    """Register the plugin's sections of ``workspace.toml``."""


@hookspec
def amtui_agenda(workspace: Workspace, now: datetime,
                 add: Callable[[AgendaEntry], None]) -> None:
    """Add lines to Today's agenda (runs in a worker; read, don't change)."""


@hookspec
def amtui_client_sections(workspace: Workspace, client: Record,
                          add: Callable[[ClientSection], None]) -> None:
    """Add sections (and timeline entries) to a client's card (runs in a worker)."""


@hookspec
def amtui_demo(workspace: Workspace, size: str, seed: int,
               say: Callable[[str], None]) -> None:
    """Fill the plugin's tables with demo data (``amtui demo``), after amtui's own records
    exist; ``size`` is small or large, the same ``seed`` gives the same data; ``say`` reports
    progress."""


@hookspec
def amtui_event(workspace: Workspace | None, event: Event) -> None:
    """Something happened; called after a save is complete, so raising cannot undo it."""
