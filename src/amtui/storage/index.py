"""The record index: a copy of the workspace's records in SQLite, for the questions that must
not read every record ever written (Today, a client's records, one record by id).

The data files are the source of truth; the index is derived from them and may be deleted at
any time. It is kept for one OS user (in their cache folder, ``amtui/index/``, readable by
them only: nothing a teammate can write is opened as a database), one file per workspace.

Each table's copy remembers the data file it was made from (inode, size, modification time,
the schema version and the record rules): it is used only while the data file is exactly
that. A save made by this user's amtui brings the copy along in the same step (under the data
file's lock, so in the order of the saves); any other change to the data file (a teammate's
save, an editor, a restored backup) makes the copy stale, and the next question rebuilds it
from the file. When the cache folder cannot be used, the index is kept in a temporary folder
of the process's own, removed when it ends.

Columns: each table has ``id``, ``body`` (the record as JSON) and the fields its questions
filter or sort by (:data:`COLUMNS`, and a plugin table's ``TableSpec.indexed``), moments as
microseconds since the epoch. :meth:`RecordIndex.select` answers a repository's
``query``/``count`` lookups (:class:`Lookup`) in SQL; :func:`select_in_python` gives the same
answer from a scan, for the fields that are not columns. A *derived* column
(Today's "urgent", which depends on the workspace's urgent words) is filled by the layer that
knows its rule, lazily: rows saved since are NULL until the next question fills them.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import operator
import os
import shutil
import tempfile
import threading
import time
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from stat import S_ISDIR
from typing import TYPE_CHECKING, Any

import orjson

from amtui.i18n import _
from amtui.storage.changes import CATCH_UP_MOST, AuditPlace, audit_since, audit_size
from amtui.storage.errors import StorageError

if TYPE_CHECKING:
    import sqlite3

    from amtui.models.base import Record
    from amtui.storage.datafile import DataFile
    from amtui.storage.tables import StoredTable

LAYOUT = 1
"""The index's own format; a copy made by another layout is rebuilt."""
KEEP_UNUSED_DAYS = 30
"""An index file not opened for this long (a workspace removed or moved) is deleted."""


@dataclass(frozen=True)
class Column:
    """One field of a table's records kept as a column of its copy."""

    name: str
    kind: str = "text"
    """``text`` (as stored), ``moment`` (microseconds since the epoch), ``flag`` (0 or 1),
    ``number`` (a float), ``folded`` (trimmed and case-folded text), ``since``
    (``column_since``, else ``updated_at``, as a moment), ``derived`` (filled by
    :meth:`RecordIndex.derive`)."""

    @property
    def sql_type(self) -> str:
        return {"moment": "INTEGER", "since": "INTEGER", "flag": "INTEGER",
                "derived": "INTEGER", "number": "REAL"}.get(self.kind, "TEXT")

    def value(self, record: Mapping[str, Any]) -> object:
        if self.kind == "since":
            return _epoch(record.get("column_since")) or _epoch(record.get("updated_at"))
        raw = record.get(self.name)
        if self.kind == "moment":
            return _epoch(raw)
        if self.kind == "flag":
            return 1 if raw else 0
        if self.kind == "number":
            return _number(raw)
        if self.kind == "folded":
            return str(raw or "").strip().casefold()
        if self.kind == "derived":
            return None
        return raw if raw is None or isinstance(raw, str | int | float) else str(raw)

    def param(self, value: object) -> object:
        """A lookup's value as this column holds it (as :meth:`value` holds a record's)."""
        if value is None:
            return None
        if self.kind in ("moment", "since"):
            if isinstance(value, datetime):
                return microseconds(value if value.tzinfo else value.replace(tzinfo=UTC))
            if isinstance(value, str) and _epoch(value) is not None:
                return _epoch(value)
            raise ValueError(_("{field} is a moment: look it up with a datetime, not "
                               "{value!r}").format(field=self.name, value=value))
        if self.kind == "flag":
            return 1 if value else 0
        if self.kind == "number":
            number = _number(value)
            if number is None:
                raise ValueError(_("{field} is a number, not {value!r}").format(
                    field=self.name, value=value))
            return number
        if self.kind == "folded":
            return str(value).strip().casefold()
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, date):
            return value.isoformat()
        return _stored_text(value)


def _number(raw: object) -> float | None:
    if raw is None or isinstance(raw, bool):
        return None
    try:
        return float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _stored_text(value: object) -> object:
    """A value as a TEXT column holds it: numbers become text there (SQLite's affinity)."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else value


def kind_of(annotation: object) -> str | None:
    """The kind of column a model field of this type is kept as: a datetime a ``moment``, a
    date, text or choice ``text``, a bool a ``flag``, an int, float or Decimal a ``number``;
    None for any other type (a list, a nested model), which cannot be one."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return kind_of(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = {kind_of(arg) for arg in typing.get_args(annotation) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    if origin is typing.Literal:
        choices = typing.get_args(annotation)
        return "text" if all(isinstance(choice, str) for choice in choices) else None
    if not isinstance(annotation, type):
        return None
    if issubclass(annotation, bool):
        return "flag"
    if issubclass(annotation, datetime):
        return "moment"
    if issubclass(annotation, date | str | Enum):
        return "text"
    if issubclass(annotation, int | float | Decimal):
        return "number"
    return None


def field_column(model: type[Record], name: str) -> Column:
    """The column a field of ``model`` is kept as (``id`` included); ValueError if the model
    has no such field or its type cannot be a column."""
    if name == "id":
        return Column("id")
    info = model.model_fields.get(name)
    if info is None:
        raise ValueError(_("{model} has no field {field!r}").format(
            model=model.__name__, field=name))
    kind = kind_of(info.annotation)
    if kind is None:
        raise ValueError(_("{model}.{field} cannot be looked up or indexed: it is not a "
                           "moment, a day, text, a choice, a flag or a number").format(
                               model=model.__name__, field=name))
    return Column(name, kind)


OPERATORS = {"exact": "=", "ne": "!=", "in": "IN", "lt": "<", "lte": "<=", "gt": ">",
             "gte": ">=", "isnull": "IS NULL"}
"""The lookups a repository's ``query`` and ``count`` take, after ``field__``."""
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge}


@dataclass(frozen=True)
class Lookup:
    """One condition of a query: ``field=value``, ``field__ne=value``, ``field__in=[...]``,
    ``field__lt=value`` (``lte``, ``gt``, ``gte``) or ``field__isnull=True``. A record whose
    field is empty (None) matches only ``isnull``, as in SQL; ``field=None`` means
    ``field__isnull=True``."""

    field: str
    operator: str
    value: object

    @classmethod
    def parse(cls, key: str, value: object) -> Lookup:
        field, separator, name = key.rpartition("__")
        if not separator or name not in OPERATORS:
            field, name = key, "exact"
        if name == "exact" and value is None:
            name, value = "isnull", True
        if name == "in":
            if isinstance(value, str | bytes) or not isinstance(value, Iterable):
                raise ValueError(_("{lookup}: give a list of values, not {value!r}").format(
                    lookup=key, value=value))
            value = tuple(value)
        elif name == "isnull":
            value = bool(value)
        elif value is None:
            raise ValueError(_("{lookup}: a value to compare with is needed, not "
                               "None").format(lookup=key))
        return cls(field, OPERATORS[name], value)

    def sql(self, column: Column) -> tuple[str, tuple[object, ...]]:
        """The condition as SQL, with its parameters (values are never put in the text)."""
        name = quoted(column.name)
        if self.operator == "IS NULL":
            return f"{name} IS {'' if self.value else 'NOT '}NULL", ()
        if self.operator == "IN":
            values = [value for value in self._params(column) if value is not None]
            return (f"{name} IN (SELECT value FROM json_each(?))",
                    (orjson.dumps(values).decode(),))
        return f"{name} {self.operator} ?", (column.param(self.value),)

    def test(self, column: Column) -> Callable[[Mapping[str, Any]], bool]:
        """The condition as a test of a stored record, with the same meaning as :meth:`sql`."""
        value_of = column.value if column.kind != "text" else (
            lambda record: _stored_text(column.value(record)))
        if self.operator == "IS NULL":
            empty = bool(self.value)
            return lambda record: (value_of(record) is None) is empty
        if self.operator == "IN":
            wanted = {value for value in self._params(column) if value is not None}
            return lambda record: (found := value_of(record)) is not None and found in wanted
        compare, param = _COMPARE[self.operator], column.param(self.value)
        return lambda record: (found := value_of(record)) is not None and compare(found, param)

    def _params(self, column: Column) -> list[object]:
        assert isinstance(self.value, tuple)
        return [column.param(value) for value in self.value]


COLUMNS: dict[str, tuple[Column, ...]] = {
    "clients": (Column("name"), Column("status"), Column("owner_id"), Column("cadence"),
                Column("update_snoozed_until", "moment")),
    "contacts": (Column("client_id"), Column("name"), Column("cadence")),
    "messages": (Column("client_id"), Column("contact_id"), Column("status"),
                 Column("received_at", "moment"), Column("answer_by", "moment"),
                 Column("snoozed_until", "moment"), Column("assignee_id"),
                 Column("urgent", "derived")),
    "deals": (Column("client_id"), Column("status"), Column("owner_id"), Column("signed_on"),
              Column("paid_on")),
    "tasks": (Column("client_id"), Column("column"), Column("due"), Column("priority"),
              Column("assignee", "folded"), Column("blocked_by_client", "flag"),
              Column("blocked_since", "moment"), Column("since", "since"),
              Column("done_at", "moment"), Column("position", "number")),
}
"""The columns of the core tables' copies; any other table's copy has ``client_id`` when its
records have one, and the fields its ``TableSpec.indexed`` names."""

INDEXED_TABLES = tuple(COLUMNS)
"""The tables whose copies Today asks (``amtui doctor`` keeps them up to date)."""

INDEXES: dict[str, tuple[str, ...]] = {
    "clients": ("status, owner_id", "owner_id"),
    "contacts": ("cadence, client_id", "client_id"),
    "deals": ("status, signed_on", "status, paid_on", "client_id", "owner_id"),
    "messages": ("client_id, received_at", "contact_id, received_at",
                 "status, answer_by, snoozed_until, urgent"),
    "tasks": ("client_id, \"column\", done_at, due, blocked_by_client",
              "due, \"column\", blocked_by_client, priority",
              "blocked_by_client, blocked_since, \"column\", due",
              "since, blocked_by_client, \"column\", due", "since", "assignee",
              "\"column\", position", "\"column\", done_at"),
}
"""The indexes of the core tables' copies: what Today's questions count and sort by (any
other table's copy has one on each of its columns)."""


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def microseconds(moment: datetime) -> int:
    """An aware moment as the whole microseconds since the epoch a moment column holds."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def moment_of(value: int) -> datetime:
    """A moment column's value as an aware moment (UTC)."""
    return EPOCH + timedelta(microseconds=value)


def _epoch(value: object) -> int | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return microseconds(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def quoted(name: str) -> str:
    """A table or column name as SQL reads it."""
    return '"' + name.replace('"', '""') + '"'


@functools.cache
def _layout() -> str:
    """The index's format: :data:`LAYOUT` and a digest of the columns and indexes, so that a
    copy made with other columns is never read."""
    digest = hashlib.sha256(repr((COLUMNS, INDEXES)).encode()).hexdigest()[:12]
    return f"{LAYOUT}.{digest}"


def fingerprint_of(signature: tuple[int, int, int] | None, schema: int, rules: int) -> str:
    """What a table's copy remembers of the data file it was made from."""
    made = "absent" if signature is None else "{} {} {}".format(*signature)
    return f"{made} schema {schema} rules {rules} layout {_layout()}"


COPIES = '"amtui:copies"'
"""The index's own table: what each table's copy was made from (no table is named so)."""


def _made_alike(fingerprint: str) -> str:
    """What a copy's fingerprint says of how it was made (schema, rules, layout, columns),
    without the file it was made from."""
    return fingerprint.partition(" schema ")[2]


class RecordIndex:
    """The index of one workspace for this process: one SQLite connection per thread."""

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        self.root = root
        self.folder = folder
        """Where index files are kept (None: this user's cache folder)."""
        self._local = threading.local()
        self.temporary = False
        """Whether the index is kept for this process only (no private cache folder)."""
        self._columns: dict[tuple[str, tuple[str, ...]], tuple[Column, ...]] = {}
        self._derived: dict[tuple[str, str], tuple[str, Callable[[dict[str, Any]], object]]] = {}

    # where it lives

    @functools.cached_property
    def location(self) -> str:
        """The database's file: in this user's cache folder, or in a folder of this process's
        own when that cannot be used."""
        return self._location(self.root, self.folder)

    def _location(self, root: Path, folder: Path | None) -> str:
        key_of = hashlib.sha256(os.fsencode(root))
        try:
            stat = os.stat(root)
            key_of.update(f"\0{stat.st_dev}\0{stat.st_ino}".encode())
        except OSError:
            pass
        key = key_of.hexdigest()
        name = f"{key[:24]}.sqlite"
        try:
            folder = private_folder("index") if folder is None else folder
            _check_private(folder)
            _prune(folder, keep=name)
            path = folder / name
            if path.exists():
                os.utime(path)  # in use: not pruned
            return str(path)
        except OSError:
            # a folder of this process's own, removed when it ends
            self.temporary = True
            own = tempfile.mkdtemp(prefix="amtui-index-")
            atexit.register(shutil.rmtree, own, True)
            return os.path.join(own, name)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection to the index."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            # lazy: a save to a workspace with no index never needs SQLite
            import sqlite3

            connection = sqlite3.connect(self.location, timeout=30, isolation_level=None,
                                         check_same_thread=True)
            os.chmod(self.location, 0o600)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {COPIES} (name TEXT PRIMARY KEY, fingerprint TEXT "
                "NOT NULL, saved_by TEXT, audit_file INTEGER, audit_at INTEGER, "
                "derived TEXT NOT NULL DEFAULT '{}')")
            self._local.connection = connection
        return connection

    # keeping copies up to date

    def columns(self, data_file: StoredTable) -> tuple[Column, ...]:
        """The columns of the table's copy (besides ``id`` and ``body``)."""
        name = data_file.name
        key = (name, data_file.spec.indexed)
        columns = self._columns.get(key)
        if columns is None:
            model = data_file.spec.model
            columns = COLUMNS.get(name) or (
                (Column("client_id"),) if "client_id" in model.model_fields else ())
            known = {column.name for column in columns} | {"id", "body"}
            columns += tuple(field_column(model, field) for field in
                             dict.fromkeys(data_file.spec.indexed) if field not in known)
            self._columns[key] = columns
        return columns

    def column_of(self, data_file: StoredTable, field: str) -> Column | None:
        """The column of the table's copy that holds ``field`` (``id`` too), or None."""
        if field == "id":
            return Column("id")
        return next((column for column in self.columns(data_file) if column.name == field),
                    None)

    def select(self, data_file: DataFile, lookups: Sequence[Lookup],
               order_by: str | None = None, descending: bool = False,
               limit: int | None = None) -> list[dict[str, Any]]:
        """The records that match every lookup (each on a column of the table's copy), in
        the order of ``order_by`` (then of the file), at most ``limit`` of them."""
        where, parameters = self._where(data_file, lookups)
        order = "rowid"
        if order_by is not None:
            column = self._known(data_file, order_by)
            order = f"{quoted(column.name)} {'DESC' if descending else 'ASC'}, rowid"
        cut = ""
        if limit is not None:
            cut, parameters = " LIMIT ?", (*parameters, limit)
        connection = self.fresh(data_file)
        return [orjson.loads(body) for (body,) in connection.execute(
            f"SELECT body FROM {quoted(data_file.name)}{where} ORDER BY {order}{cut}",
            parameters)]

    def count_by(self, data_file: DataFile, field: str, lookups: Sequence[Lookup]
                 ) -> dict[object, int]:
        """How many records match every lookup, per value of ``field`` (a column of the
        table's copy; records with it empty under None)."""
        where, parameters = self._where(data_file, lookups)
        column = quoted(self._known(data_file, field).name)
        connection = self.fresh(data_file)
        return {value: int(count) for value, count in connection.execute(
            f"SELECT {column}, count(*) FROM {quoted(data_file.name)}{where} GROUP BY {column}",
            parameters)}

    def count_where(self, data_file: DataFile, lookups: Sequence[Lookup]) -> int:
        """How many records match every lookup (each on a column of the table's copy)."""
        where, parameters = self._where(data_file, lookups)
        connection = self.fresh(data_file)
        (count,) = connection.execute(
            f"SELECT count(*) FROM {quoted(data_file.name)}{where}", parameters).fetchone()
        return int(count)

    def _known(self, data_file: DataFile, field: str) -> Column:
        column = self.column_of(data_file, field)
        if column is None:
            raise ValueError(f"the index of {data_file.name} has no column {field!r}")
        return column

    def _where(self, data_file: DataFile, lookups: Sequence[Lookup]
               ) -> tuple[str, tuple[object, ...]]:
        clauses: list[str] = []
        parameters: list[object] = []
        for lookup in lookups:
            clause, values = lookup.sql(self._known(data_file, lookup.field))
            clauses.append(clause)
            parameters.extend(values)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(parameters)

    def fingerprint(self, data_file: DataFile, signature: tuple[int, int, int] | None) -> str:
        # lazy: datafile imports this module
        from amtui.models.base import RECORD_RULES

        # the table's own columns (a plugin's ``TableSpec.indexed``): a copy made with other
        # columns is rebuilt
        columns = hashlib.sha256(repr(self.columns(data_file)).encode()).hexdigest()[:12]
        made = fingerprint_of(signature, data_file.spec.version, RECORD_RULES)
        return f"{made} columns {columns}"

    def fresh(self, *data_files: DataFile) -> sqlite3.Connection:
        """The connection, with each table's copy as its data file is now (rebuilt from the
        file if it is not)."""
        for data_file in data_files:
            if getattr(data_file, "lock", None) is None:  # a table of another store
                raise StorageError(_("{table}: {what} does not work on a PostgreSQL workspace "
                                     "yet").format(table=data_file.name,
                                                   what=_("the record index (Today, the board, "
                                                          "the client card)")))
        connection = self.connection()
        for data_file in data_files:
            for _attempt in range(5):
                data_file.refresh()
                signature = data_file.version_on_disk()
                if self._stored_fingerprint(connection, data_file.name) == self.fingerprint(
                        data_file, signature):
                    break
                if self._catch_up(connection, data_file, signature):
                    break
                if self._rebuild(connection, data_file, signature):
                    break
            else:
                raise StorageError(_("{relative_name} keeps changing while it is read; try "
                                     "again").format(relative_name=data_file.relative_name))
            self._fill_derived(connection, data_file.name)
        return connection

    def copied(self) -> list[str]:
        """The tables the index holds a copy of (up to date or not)."""
        if not self._exists():
            return []
        return [name for (name,) in self.connection().execute(
            f"SELECT name FROM {COPIES} ORDER BY name")]

    def renew(self, *data_files: DataFile) -> list[str]:
        """Bring the copies of these tables up to date (``amtui doctor``); the names of
        those that were missing or stale and were rebuilt."""
        stale = [data_file.name for data_file in data_files if not self.is_fresh(data_file)]
        self.fresh(*data_files)
        return stale

    def is_fresh(self, data_file: DataFile) -> bool:
        """Whether the table's copy is as its data file is now (nothing is rebuilt)."""
        if not self._exists():
            return False
        connection = self.connection()
        return self._stored_fingerprint(connection, data_file.name) == self.fingerprint(
            data_file, data_file.version_on_disk())

    def get(self, data_file: DataFile, record_id: str) -> dict[str, Any] | bool | None:
        """One record from a fresh copy; False when the copy is not fresh (read the file)."""
        if not self.is_fresh(data_file):
            return False
        row = self.connection().execute(
            f"SELECT body FROM {quoted(data_file.name)} WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            # the file may have changed between the check and the read: ask the file
            return None if self.is_fresh(data_file) else False
        result: dict[str, Any] = orjson.loads(row[0])
        return result

    def saved(self, data_file: DataFile, before: tuple[int, int, int] | None,
              after: tuple[int, int, int], changes: Mapping[str, dict[str, Any] | None],
              tx: str | None = None, audit_end: AuditPlace | None = None) -> None:
        """Bring the table's copy along with a save (called under the data file's lock):
        only if it was made from the file as it was before the save. ``tx``: the save's
        transaction, whose audit lines end at ``audit_end``."""
        if not self._exists():
            return
        # lazy: only when there is an index to keep
        import sqlite3

        try:
            connection = self.connection()
            connection.execute("BEGIN IMMEDIATE")
            try:
                if self._stored_fingerprint(connection, data_file.name) == self.fingerprint(
                        data_file, before):
                    self._apply(connection, data_file, changes)
                    self._remember(connection, data_file.name,
                                   self.fingerprint(data_file, after), tx, audit_end)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            self.forget(data_file)

    def forget(self, data_file: DataFile) -> None:
        """Mark the table's copy stale (rebuilt at the next question)."""
        # lazy: only when there is an index to keep
        import sqlite3

        with contextlib.suppress(sqlite3.Error):
            self.connection().execute(f"DELETE FROM {COPIES} WHERE name = ?",
                                      (data_file.name,))

    def derive(self, table: str, column: str, key: str,
               function: Callable[[dict[str, Any]], object]) -> None:
        """Say how a derived column is computed; ``key`` names the rule as it is now (the
        words it looks for): when it changes, the whole column is computed again."""
        self._derived[(table, column)] = (key, function)

    # inside

    def _exists(self) -> bool:
        return os.path.exists(self.location)

    @staticmethod
    def _stored_fingerprint(connection: sqlite3.Connection, name: str) -> str | None:
        row = connection.execute(f"SELECT fingerprint FROM {COPIES} WHERE name = ?",
                                 (name,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def _remember(connection: sqlite3.Connection, name: str, fingerprint: str,
                  saved_by: str | None, audit_at: AuditPlace | None) -> None:
        """What the table's copy is a copy of: the file (``fingerprint``), the transaction
        that wrote it (if amtui did), and where in the audit the saves after it begin."""
        audit_file, audit_offset = audit_at or (None, None)
        connection.execute(
            f"INSERT INTO {COPIES} (name, fingerprint, saved_by, audit_file, audit_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET fingerprint = "
            "excluded.fingerprint, saved_by = excluded.saved_by, audit_file = "
            "excluded.audit_file, audit_at = excluded.audit_at",
            (name, fingerprint, saved_by, audit_file, audit_offset))

    def _catch_up(self, connection: sqlite3.Connection, data_file: DataFile,
                  signature: tuple[int, int, int] | None) -> bool:
        """Bring a stale copy up to date from the audit instead of the whole file: only when
        every save since the copy was made is an amtui transaction that follows the last
        (each audit line says which transaction wrote the file it changed), the last of them
        wrote the file as it is now, and they changed few records. Whether it did."""
        row = connection.execute(
            f"SELECT saved_by, audit_file, audit_at, fingerprint FROM {COPIES} WHERE name = ?",
            (data_file.name,)).fetchone()
        if row is None or row[0] is None or row[2] is None or signature is None:
            return False
        saved_by, audit_file, audit_offset, made = row
        if _made_alike(made) != _made_alike(self.fingerprint(data_file, signature)):
            return False  # made by other rules or with other columns: made again
        last = data_file.version_name(signature, *data_file.lock.peek_record())
        if last is None:
            return False
        changed = audit_since(self.root, (audit_file, audit_offset), data_file.name,
                              saved_by, last)
        if changed is None:
            return False
        ids, audit_end = changed
        if len(ids) > CATCH_UP_MOST:
            return False
        try:
            records = data_file.stored_many(ids)
        except StorageError:  # saved again meanwhile: the caller looks again
            return False
        if data_file.version_on_disk() != signature:
            return False
        connection.execute("BEGIN IMMEDIATE")
        try:
            if self._stored_fingerprint(connection, data_file.name) != made:
                connection.execute("ROLLBACK")  # brought along by another process meanwhile
                return False
            self._apply(connection, data_file, records)
            self._remember(connection, data_file.name, self.fingerprint(data_file, signature),
                           last, audit_end)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return True

    def _rebuild(self, connection: sqlite3.Connection, data_file: DataFile,
                 signature: tuple[int, int, int] | None) -> bool:
        """Copy the table from its file (what is stored, never what a transaction of this
        process has staged); False if the file changed while it was read."""
        columns = self.columns(data_file)
        audit_at = audit_size(self.root)  # before the file is read: saves after it follow
        saved_by = data_file.version_name(signature, *data_file.lock.peek_record())
        rows = (self._row(record, columns) for record in data_file.stored())
        table = quoted(data_file.name)
        names = ", ".join(["id", "body", *(quoted(column.name) for column in columns)])
        marks = ", ".join("?" * (len(columns) + 2))
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(f"DROP TABLE IF EXISTS {table}")
            definition = ", ".join(["id TEXT PRIMARY KEY", "body BLOB NOT NULL",
                                    *(f"{quoted(column.name)} {column.sql_type}"
                                      for column in columns)])
            connection.execute(f"CREATE TABLE {table} ({definition})")
            connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            if data_file.version_on_disk() != signature:
                connection.execute("ROLLBACK")
                return False
            for number, indexed in enumerate(self._indexes(data_file.name, columns)):
                connection.execute(f"CREATE INDEX {quoted(f'{data_file.name}_{number}')} "
                                   f"ON {table} ({indexed})")
            self._remember(connection, data_file.name, self.fingerprint(data_file, signature),
                           saved_by, audit_at)
            connection.execute(f"UPDATE {COPIES} SET derived = '{{}}' WHERE name = ?",
                               (data_file.name,))
            connection.execute(f"ANALYZE {table}")  # what the questions' plans go by
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return True

    @staticmethod
    def _indexes(name: str, columns: tuple[Column, ...]) -> tuple[str, ...]:
        if name in INDEXES:
            return INDEXES[name]
        return tuple(quoted(column.name) for column in columns)

    @staticmethod
    def _row(record: Mapping[str, Any], columns: tuple[Column, ...]) -> tuple[object, ...]:
        return (record["id"], orjson.dumps(record), *(column.value(record)
                                                      for column in columns))

    def _apply(self, connection: sqlite3.Connection, data_file: DataFile,
               changes: Mapping[str, dict[str, Any] | None]) -> None:
        columns = self.columns(data_file)
        table = quoted(data_file.name)
        names = ["id", "body", *(quoted(column.name) for column in columns)]
        update = ", ".join(f"{name} = excluded.{name}" for name in names[1:])
        statement = (f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                     f"({', '.join('?' * len(names))}) ON CONFLICT(id) DO UPDATE SET {update}")
        removed = [(record_id,) for record_id, record in changes.items() if record is None]
        if removed:
            connection.executemany(f"DELETE FROM {table} WHERE id = ?", removed)
        kept = [self._row(record, columns) for record in changes.values() if record is not None]
        if kept:
            connection.executemany(statement, kept)

    def _fill_derived(self, connection: sqlite3.Connection, name: str) -> None:
        """Compute the derived columns of rows that have none, or of every row when the
        rule changed since they were computed."""
        rules = {column: rule for (table, column), rule in self._derived.items()
                 if table == name}
        if not rules:
            return
        table = quoted(name)
        for column, (key, function) in rules.items():
            # read and written in one transaction: a save between the two would otherwise
            # keep a value computed from the record before it
            connection.execute("BEGIN IMMEDIATE")
            try:
                row = connection.execute(f"SELECT derived FROM {COPIES} WHERE name = ?",
                                         (name,)).fetchone()
                done = orjson.loads(row[0]) if row else {}
                where = "" if done.get(column) != key else f" WHERE {quoted(column)} IS NULL"
                rows = connection.execute(f"SELECT id, body FROM {table}{where}").fetchall()
                values = [(_sql_value(function(orjson.loads(body))), record_id)
                          for record_id, body in rows]
                connection.executemany(
                    f"UPDATE {table} SET {quoted(column)} = ? WHERE id = ?", values)
                done[column] = key
                connection.execute(f"UPDATE {COPIES} SET derived = ? WHERE name = ?",
                                   (orjson.dumps(done).decode(), name))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise


def _sql_value(value: object) -> object:
    return int(value) if isinstance(value, bool) else value


def select_in_python(records: Iterable[dict[str, Any]], columns: Mapping[str, Column],
                     lookups: Sequence[Lookup], order_by: str | None = None,
                     descending: bool = False, limit: int | None = None
                     ) -> list[dict[str, Any]]:
    """What :meth:`RecordIndex.select` answers, from records read in the file's order:
    ``columns`` says how each field used is compared (its column, or
    :func:`field_column`)."""
    tests = [lookup.test(columns[lookup.field]) for lookup in lookups]
    found = [record for record in records if all(test(record) for test in tests)]
    if order_by is not None:
        column = columns[order_by]
        value_of = column.value if column.kind != "text" else (
            lambda record: _stored_text(column.value(record)))

        def key(record: Mapping[str, Any]) -> tuple[bool, Any]:
            value = value_of(record)
            return (value is not None, value)  # empty first, as SQL sorts NULL

        found.sort(key=key, reverse=descending)  # stable: ties keep the file's order
    return found if limit is None else found[:limit]


def private_folder(name: str) -> Path:
    """A folder of this user's amtui cache (``~/.cache/amtui/<name>``), made if missing, that
    only they can reach; OSError if it is not so (another owner, others may write it)."""
    # lazy: platformdirs, only when the cache is first used
    from platformdirs import user_cache_path

    ours = user_cache_path("amtui")
    ours.parent.mkdir(parents=True, exist_ok=True)
    _check_private(ours)  # nobody else may swap what is inside it
    folder = ours / name
    _check_private(folder)
    return folder


def _check_private(folder: Path) -> None:
    """Make ``folder`` (0700) if missing; PermissionError unless it is a folder (not a link)
    this user owns that nobody else may write in."""
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    stat = os.lstat(folder)
    if (not S_ISDIR(stat.st_mode) or stat.st_uid != os.getuid() or stat.st_mode & 0o022
            or not os.access(folder, os.W_OK)):
        raise PermissionError(folder)


def _prune(folder: Path, keep: str) -> None:
    """Delete index files of workspaces not opened for :data:`KEEP_UNUSED_DAYS`."""
    cutoff = time.time() - KEEP_UNUSED_DAYS * 86400
    try:
        with os.scandir(folder) as entries:
            old = [entry.name for entry in entries
                   if entry.is_file(follow_symlinks=False) and not entry.name.startswith(keep)
                   and entry.stat(follow_symlinks=False).st_mtime < cutoff]
    except OSError:
        return
    for name in old:
        with contextlib.suppress(OSError):
            os.unlink(folder / name)


def rows_of(connection: sqlite3.Connection, query: str,
            parameters: Iterable[object] = ()) -> Iterator[tuple[Any, ...]]:
    """The rows a query gives (a shorthand for the services' questions)."""
    return iter(connection.execute(query, tuple(parameters)))
