"""The hooks a plugin implements, and what it hands to their ``register`` callbacks.

Every hook receives a ``register`` (or ``add``) callback rather than returning a value, so that
new arguments can be given to hooks later without breaking plugins. Importing this module
imports neither Textual nor the store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import argparse

    from pydantic import BaseModel
    from textual.screen import Screen

    from amtui.models import Record
    from amtui.plugins.app import PluginApp
    from amtui.services.undo import Undo
    from amtui.storage import Workspace

PROJECT = "amtui"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Mark a plugin's function as the implementation of a hook: ``@hookimpl`` above
``def amtui_agenda(workspace, now, add): ...``. The function's name says which hook it is."""


StoredRecord = dict[str, "JSONValue"]
"""A record as stored: its fields by name, in JSON's types."""
JSONValue = str | int | float | bool | None | list["JSONValue"] | dict[str, "JSONValue"]
"""A value in a stored record (a day or a moment is its ISO text)."""
ThemeValue = str | bool | float | Mapping[str, str]
"""A value in a theme: a colour or name, ``dark``, a number, or the ``variables`` table."""


# What plugins register ---------------------------------------------------------------------

@dataclass(frozen=True)
class TableSpec:
    """A table the plugin stores, in ``data/<plugin>/<name>.json``, with the same guarantees
    as amtui's own (atomic writes under a lock, revisions, trash, audit).

    Example: ``register(TableSpec("followups", FollowUp))``."""

    name: str
    """The table's name, as ``workspace.repo(Model)`` and ``Model.table`` know it."""
    model: type[Record]
    """The record model (a :class:`Record` subclass whose ``table`` is ``name``)."""
    version: int = 1
    """Raise it when old records no longer fit the model, and give ``migrations``."""
    migrations: Mapping[int, Callable[[dict[str, StoredRecord]], dict[str, StoredRecord]]] = field(
        default_factory=dict)
    """``{n: function}``: each function is given every record of version ``n`` (a dict of
    records by id) and returns them as version ``n + 1``; amtui backs the file up first and
    migrates it under the lock."""
    open: Callable[[PluginApp, str], None] | None = None
    """Shows one record (Enter on a Today line, the palette): called with the app and the
    record's id. Without it a record is shown as its fields."""
    indexed: tuple[str, ...] = ()
    """Fields kept as columns of the table's copy in the record index (``client_id`` always
    is), so that ``Repository.query`` and ``count`` ask SQLite for the records they match
    instead of reading the whole file: name those your Today lines and panes filter or sort
    by. A datetime is kept as a moment, a date, text or choice as text, a bool as a flag, an
    int, float or Decimal as a number; any other type cannot be a column. Changing the tuple
    makes the copy be made again from the file."""


@dataclass(frozen=True)
class PaneSpec:
    """A pane: opened with its number key, ``--pane ID`` and the palette."""

    id: str
    """The pane's id: ``amtui --pane ID``, ``app.action_pane(ID)``."""
    title: str
    """Shown in the pane bar and the palette ("go: Follow-ups")."""
    factory: Callable[[], Screen[None]]
    """Makes the pane's screen (an :class:`amtui.api.ui.PaneScreen`); called on first visit."""
    order: int = 100
    """Panes are shown after the core ones, by order, then title."""


@dataclass(frozen=True)
class CommandSpec:
    """A command palette entry: ``"calendar: export to ics"``."""

    title: str
    """What the palette lists and matches: ``"<plugin>: <what it does>"``."""
    help: str
    """One line under the title."""
    run: Callable[[PluginApp], None]
    """Called with the app (on the UI thread) when chosen."""


@dataclass(frozen=True)
class CliCommand:
    """``amtui NAME …``: a subcommand of the command line (it must not import Textual)."""

    name: str
    """The subcommand: ``amtui NAME``."""
    help: str
    """One line in ``amtui --help``."""
    configure: Callable[[argparse.ArgumentParser], None]
    """Adds the subcommand's arguments."""
    run: Callable[[argparse.Namespace, Workspace], int | None]
    """Runs it with the parsed arguments and the open workspace; returns the exit status."""


@dataclass(frozen=True)
class ThemeSpec:
    """A colour theme, as the fields of a theme file (see ``docs/themes.md``).

    Example: ``register(ThemeSpec({"name": "followups-dark", "dark": True,
    "primary": "#5fafff", "variables": {"amtui-stale": "#ffaf00"}}))``."""

    values: Mapping[str, ThemeValue]
    """``name`` (required), ``dark`` (true or false), the colours ``primary``, ``secondary``,
    ``accent``, ``warning``, ``error``, ``success``, ``foreground``, ``background``,
    ``surface``, ``panel``, ``boost`` (``"#rrggbb"``), ``luminosity_spread`` (a number) and
    ``variables`` (CSS variable name → value, amtui's own ``amtui-…`` among them)."""


@dataclass(frozen=True)
class EntryAction:
    """What ``d`` or ``s`` does on a plugin's Today line: ``EntryAction("Approve",
    approve)``. The key bar and help name it by ``label`` while the line is highlighted."""

    label: str
    """What the key does, in a word or two, in the plugin's language ("Approve")."""
    run: Callable[[Workspace], Undo | None]
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
    """The line itself (a post's title, a follow-up's text)."""
    detail: str = ""
    """Shown after the title, dimmed ("due 26.11", "3 days late")."""
    client_id: str | None = None
    """The client the line is about: its name is shown, and "mine" keeps only the lines of
    one's own clients."""
    table: str = ""
    """The table and record the line is about (opened with Enter), if any."""
    record_id: str = ""
    """The record's id in ``table``."""
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
    """When it happened or happens (aware: with a time zone)."""
    kind: str
    """A word for what it is ("post", "follow-up")."""
    text: str
    """The line on the timeline."""
    table: str = ""
    """The table and record Enter opens, if any."""
    record_id: str = ""
    """The record's id in ``table``."""


@dataclass(frozen=True)
class ClientSection:
    """A section a plugin adds to the client card."""

    title: str
    """The section's heading on the card."""
    lines: list[str] = field(default_factory=list)
    """Lines shown under the heading, as text (never markup)."""
    timeline: list[TimelineItem] = field(default_factory=list)
    """Entries the section adds to the client's timeline."""


@dataclass(frozen=True)
class SettingsSection:
    """A ``[section]`` of ``workspace.toml`` that belongs to the plugin, checked by a model."""

    name: str
    """The section's name: ``[name]`` in ``workspace.toml``, ``workspace.plugin_settings[name]``."""
    model: type[BaseModel]
    """A pydantic model that checks the section; its defaults apply when it is absent."""


@dataclass(frozen=True)
class Event:
    """Something that happened: ``record_saved``, ``record_deleted``, ``startup``,
    ``shutdown``."""

    kind: str
    """One of ``record_saved``, ``record_deleted``, ``startup``, ``shutdown``."""
    table: str = ""
    """The table of the record saved or deleted ("" for startup and shutdown)."""
    record_id: str = ""
    """The record's id."""
    fields: tuple[str, ...] = ()
    """The fields a save changed (empty for a new record or when not known)."""


EVENT_KINDS = ("record_saved", "record_deleted", "startup", "shutdown")


# The hooks ---------------------------------------------------------------------------------
# Each hook's docstring says when it is called and from which thread; docs/plugin-api.md shows
# them (tools/plugin_api.py).

@hookspec
def amtui_register_tables(register: Callable[[TableSpec], None]) -> None:
    """Register the plugin's tables: ``register(TableSpec("followups", FollowUp))``.

    Called in a thread of its own (5 s limit) whenever amtui gathers the tables: when a
    workspace is opened in the app or a command, before any of the plugin's records is read.
    Register the same tables every time; do no other work here."""


@hookspec
def amtui_register_panes(register: Callable[[PaneSpec], None]) -> None:
    """Register the plugin's panes: ``register(PaneSpec("followups", "Follow-ups",
    make_pane))``.

    Called when the app starts (not for command-line commands), in a thread of its own (5 s
    limit); the pane's ``factory`` is called later, on the UI thread, when the pane is first
    shown."""


@hookspec
def amtui_register_commands(register: Callable[[CommandSpec], None]) -> None:
    """Register command palette entries: ``register(CommandSpec("followups: open", "…",
    run))``.

    Called each time the command palette opens, in a thread of its own (5 s limit): register
    the same entries every time, quickly. Each ``run(app)`` is called on the UI thread when its
    entry is chosen."""


@hookspec
def amtui_register_cli(register: Callable[[CliCommand], None]) -> None:
    """Register ``amtui`` subcommands: ``register(CliCommand("followups", "…", configure,
    run))``.

    Called when the command line is parsed (not by the app), in a thread of its own (5 s
    limit);
    ``configure`` and ``run`` are called on the main thread, ``run`` only for its own
    subcommand."""


@hookspec
def amtui_register_themes(register: Callable[[ThemeSpec], None]) -> None:
    """Register colour themes: ``register(ThemeSpec({"name": "…", "primary": "#…"}))``.

    Called when the app starts (and when ``amtui --theme NAME`` is checked), in a thread of its
    own (5 s limit); the themes join amtui's in the palette's theme list."""


@hookspec
def amtui_register_settings(register: Callable[[SettingsSection], None]) -> None:
    """Register the plugin's sections of ``workspace.toml``:
    ``register(SettingsSection("followups", FollowUpSettings))``.

    Called in a thread of its own (5 s limit) when a workspace is opened, in the app or a
    command. Each section is checked by its model and put in ``workspace.plugin_settings``; a
    value the model refuses switches the plugin off, with the reason."""


@hookspec
def amtui_agenda(workspace: Workspace, now: datetime,
                 add: Callable[[AgendaEntry], None]) -> None:
    """Add lines to Today's agenda: ``add(AgendaEntry("Follow-ups due", item.text))``.

    Called each time Today is read (in the app's worker thread, off the UI thread) and by
    ``amtui today`` (main thread), with the workspace and the moment "now" (aware, UTC), in a
    thread of its own within 20 s. Read, don't change."""


@hookspec
def amtui_client_sections(workspace: Workspace, client: Record,
                          add: Callable[[ClientSection], None]) -> None:
    """Add sections (and timeline entries) to a client's card:
    ``add(ClientSection("Follow-ups", lines, timeline))``.

    Called each time a client's card is read, in the card's worker thread (a thread of its
    own, within 20 s), with the client (an :class:`amtui.api.Client`). Read, don't change."""


@hookspec
def amtui_demo(workspace: Workspace, size: str, seed: int,
               say: Callable[[str], None]) -> None:
    """Fill the plugin's tables with demo data (``amtui demo``), after amtui's own records
    exist; ``size`` is ``"small"`` or ``"large"``, the same ``seed`` gives the same data;
    ``say("writing 40 posts")`` reports progress.

    Called on the main thread of ``amtui demo``, with no time limit."""


@hookspec
def amtui_event(workspace: Workspace | None, event: Event) -> None:
    """Something happened (see :class:`Event`): a record saved or deleted (in any table),
    the app's start or end.

    Called after a save is complete, so raising cannot undo it: in a thread of its own
    (within 20 s) from the thread that saved, usually a worker; ``startup`` after the first
    screen is drawn, ``shutdown`` as the app ends (``workspace`` is None when it was never
    opened)."""
