"""TinyDB tables over amtui's data files: TinyDB's document model and queries, our storage."""

from __future__ import annotations

from typing import Any

from tinydb import Storage
from tinydb.table import Table

from amtui.storage.datafile import DataFile


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
        self.data_file.stage(data[self.data_file.name])


class RecordTable(Table):
    """A TinyDB table whose document ids are the records' own string ids."""

    document_id_class = str  # type: ignore[assignment]


def tinydb_table(data_file: DataFile) -> RecordTable:
    # No query cache: another process may change the file between two queries.
    return RecordTable(DataFileStorage(data_file), data_file.name, cache_size=0)
