"""TinyDB tables over amtui's data files: TinyDB's document model and queries, our storage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tinydb import Storage
from tinydb.table import Table

from amtui.storage.datafile import DataFile


class TrackedRecords(dict[str, Any]):
    """The records of a table being changed, noting which ids were set or removed."""

    def __init__(self, records: dict[str, Any]) -> None:
        super().__init__(records)
        self.changed: set[str] = set()

    def __setitem__(self, key: str, value: Any) -> None:
        self.changed.add(key)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.changed.add(key)
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        self.changed.add(key)
        return super().pop(key, *default)

    def _not_supported(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("change records one by one")

    update = setdefault = popitem = clear = _not_supported


class DataFileStorage(Storage):
    """A TinyDB storage reading the cached records of a data file and staging writes to it.

    Writes are staged, not written: the transaction writes the file once, atomically, when it
    commits.
    """

    def __init__(self, data_file: DataFile) -> None:
        self.data_file = data_file

    def read(self) -> dict[str, dict[str, Any]]:
        return {self.data_file.name: self.data_file.records()}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        records = data[self.data_file.name]
        if not isinstance(records, TrackedRecords):
            raise TypeError("tables change through RecordTable only")
        self.data_file.stage(dict(records), records.changed)


class RecordTable(Table):
    """A TinyDB table whose document ids are the records' own string ids.

    Changes replace whole documents and never modify a stored one in place, so a reader
    holding the records of an earlier read keeps a consistent view.
    """

    document_id_class = str  # type: ignore[assignment]

    def put_documents(self, documents: list[dict[str, Any]]) -> None:
        """Insert or replace documents, keyed by their ``id``."""

        def updater(table: dict[str, Any]) -> None:
            for document in documents:
                table[document["id"]] = document

        self._update_table(updater)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("records are replaced, not changed in place: use put_documents")

    update_multiple = upsert = update

    def remove_documents(self, document_ids: list[str]) -> None:
        def updater(table: dict[str, Any]) -> None:
            for document_id in document_ids:
                del table[document_id]

        self._update_table(updater)

    def _update_table(self, updater: Callable[[dict[Any, Any]], None]) -> None:
        # TinyDB converts every id to ``document_id_class`` and back on each change; the ids
        # are strings already, so a shallow copy is all that is needed.
        tables = self._storage.read() or {}
        table = TrackedRecords(tables.get(self.name, {}))
        updater(table)
        tables[self.name] = table
        self._storage.write(tables)
        self.clear_cache()


def tinydb_table(data_file: DataFile) -> RecordTable:
    # No query cache: another process may change the file between two queries.
    return RecordTable(DataFileStorage(data_file), data_file.name, cache_size=0)
