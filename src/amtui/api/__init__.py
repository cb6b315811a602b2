"""Everything a plugin may import from amtui, and nothing else is public.

Importing this module is cheap and imports no Textual: the hook marker and the types a plugin
registers come from :mod:`amtui.plugins.specs`; record models, the store and the text helpers
are imported on first use of their name. The UI building blocks (a pane base class, tables,
forms) are in :mod:`amtui.api.ui`, which imports Textual: import it inside a pane's factory.

What is here is stable within a major version of amtui; anything imported from another
``amtui`` module may change without notice.
"""

from __future__ import annotations

import importlib
from typing import Any

from amtui.plugins.specs import (
    AgendaEntry,
    CliCommand,
    ClientSection,
    CommandSpec,
    Event,
    PaneSpec,
    SettingsSection,
    TableSpec,
    ThemeSpec,
    TimelineItem,
    hookimpl,
)

_LAZY = {
    # records
    **dict.fromkeys(
        ("Record", "Money", "Channel", "Priority", "Client", "Contact", "Message", "Task",
         "Note", "Deal", "Member", "NoteKind", "MessageStatus", "MessageKind", "Direction",
         "ClientStatus", "DealStatus", "Role", "Influence", "RelationshipStage", "ChecklistItem",
         "new_id", "describe_validation_error"),
        "amtui.models"),
    # field types for a plugin's own records: a UTC moment, a YYYY-MM-DD day, a non-empty name
    **dict.fromkeys(("Moment", "Day", "NonBlank"), "amtui.models.base"),
    # what a change returns so that ``u`` can revert it (see ``amtui.api.ui.save_change``)
    "Undo": "amtui.services.undo",
    # the store
    **dict.fromkeys(
        ("Workspace", "Repository", "StorageError", "ConflictError", "InvalidRecord",
         "RecordNotFound", "ReadOnlyError", "TrashBin", "os_user"),
        "amtui.storage"),
    # exports: a file written whole (temp file, fsync, rename)
    "write_text_file": "amtui.storage.files",
    # text and translation
    "visible": "amtui.text", "one_line": "amtui.text", "fold": "amtui.text",
    "_": "amtui.i18n",
}

__all__ = [
    "AgendaEntry", "CliCommand", "ClientSection", "CommandSpec", "Event", "PaneSpec",
    "SettingsSection", "TableSpec", "ThemeSpec", "TimelineItem", "hookimpl", *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"amtui.api has no {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

