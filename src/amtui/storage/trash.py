"""Deleted records, kept for 30 days so they can be restored."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from amtui.models import Record
from amtui.models.base import Moment
from amtui.storage.datafile import TableSpec

KEEP_DAYS = 30


class TrashEntry(Record):
    """A deleted record and who deleted it when."""

    table = "trash"

    source_table: str
    record_id: str
    title: str = ""
    """The deleted record's name or title, to find it in the trash."""
    record: dict[str, Any] = Field(default_factory=dict)
    deleted_at: Moment
    deleted_by: str
    unlinked: dict[str, list[str]] = Field(default_factory=dict)
    """Records that pointed to this one and were unlinked when it was deleted, linked again
    when it is restored: ``"table.field"`` → their ids (``"tasks.message_id"``)."""


TRASH_SPEC = TableSpec("trash", TrashEntry)
