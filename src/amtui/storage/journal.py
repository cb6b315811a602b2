"""The undo journal: the changes each user made that can still be undone, newest last.

The full-screen app and the ``amtui`` command both write it, so that ``u`` in the app and
``amtui undo`` take back the same change: the last one the user made, wherever it was made.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from amtui.models import Record
from amtui.models.base import Moment
from amtui.storage.datafile import TableSpec

KEEP_CHANGES = 50
"""How many of a user's last changes can be undone."""

FROM_COMMAND = "command"
""":attr:`JournalEntry.origin` of a change made by the ``amtui`` command."""
FROM_APP = "app"
""":attr:`JournalEntry.origin` of a change made in the full-screen app."""


class JournalEntry(Record):
    """One change a user made, and how to take it back: its steps as data (see
    :mod:`amtui.services.undo`)."""

    table = "undo"

    login: str
    """The OS user who made the change."""
    description: str
    made_at: Moment
    origin: str = ""
    """Where it was made: :data:`FROM_COMMAND` or :data:`FROM_APP` ("" in a journal written
    before amtui said)."""
    steps: list[dict[str, Any]] = Field(default_factory=list)

    def label(self) -> str:
        return self.description


JOURNAL_SPEC = TableSpec("undo", JournalEntry)
