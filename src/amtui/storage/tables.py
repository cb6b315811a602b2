"""What a stored table offers, whichever store keeps it: ``workspace.file(table)``.

The file store's :class:`~amtui.storage.datafile.DataFile` and the PostgreSQL store's
``PostgresTable`` both are one. Code outside ``storage/`` reads records through this (or
through repositories) and changes them only in ``workspace.transaction``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from amtui.storage.datafile import TableSpec
    from amtui.storage.index import Lookup


class StoredTable(Protocol):
    """One table's records: read them, and (in a transaction) stage changes to them."""

    spec: TableSpec
    read_only_reason: str | None
    """Why the table cannot be changed now, or None."""
    damage: str | None
    invalid: dict[str, str]
    """Records the model does not accept (id → what is wrong), left out of every read."""
    loaded: bool
    """Whether this process has read the table (and so may be showing its records)."""

    @property
    def name(self) -> str: ...

    @property
    def relative_name(self) -> str:
        """How messages name the table (``data/tasks.json``, ``tasks``)."""
        ...

    def records(self) -> dict[str, dict[str, Any]]: ...

    def scan(self) -> Iterator[dict[str, Any]]: ...

    def stored(self) -> Iterator[dict[str, Any]]: ...

    def candidates(self, lookups: Sequence[Lookup]) -> Iterator[dict[str, Any]]:
        """The stored records that may match ``lookups`` (every one that does, in the order
        stored; perhaps others): what a query reads through when no index answers it."""
        ...

    def get(self, record_id: str) -> dict[str, Any] | None: ...

    def stored_many(self, record_ids: Iterable[str]) -> dict[str, dict[str, Any] | None]: ...

    def contains(self, record_id: str) -> bool: ...

    def count(self) -> int: ...

    def count_where(self, field: str, value: str) -> int: ...

    def refresh(self) -> None: ...

    def version_on_disk(self) -> Any:
        """A value that differs after every save to the table, by any process."""
        ...

    def changed_on_disk(self) -> bool: ...

    def mark(self) -> Any:
        """Where the table is now, to ask :meth:`changed_since` later (take it before
        reading)."""
        ...

    def changed_since(self, mark: Any) -> list[str] | None:
        """The ids saved since ``mark``; None when the store cannot say (read all again)."""
        ...

    def check_writable(self) -> None: ...

    def insert(self, new_records: list[dict[str, Any]]) -> None: ...

    def put(self, record: dict[str, Any]) -> None: ...

    def remove(self, record_id: str) -> None: ...
