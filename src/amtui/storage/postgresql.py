"""The PostgreSQL store: a workspace whose records live in a database (see docs/teams.md).

Imported only for a workspace whose ``workspace.toml`` says ``[store] backend =
"postgresql"``: the file store never loads psycopg. Each amtui table is a table of the
workspace's schema holding ``(id, rev, doc)``; ``amtui_tables`` keeps each one's schema version
and a count of its saves, ``amtui_audit`` the audit. A transaction is the database's own.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson
import psycopg
from psycopg import errors, sql
from psycopg.types.json import Jsonb, set_json_loads
from psycopg_pool import ConnectionPool

from amtui.clock import now as clock_now
from amtui.i18n import _
from amtui.identity import host_name, os_user
from amtui.storage.datafile import RawRecords, TableSpec, checked_record
from amtui.storage.errors import (
    InvalidRecord,
    LockTimeout,
    ReadOnlyError,
    StorageError,
)
from amtui.storage.workspace import Change, Transaction, Workspace

if TYPE_CHECKING:
    from amtui.models.workspace import StoreSettings, WorkspaceSettings
    from amtui.storage.index import Lookup

DATABASE_URL = "AMTUI_DATABASE_URL"
"""The environment variable with the connection (a URL or a libpq connection string)."""
TABLES = "amtui_tables"
AUDIT = "amtui_audit"
POOL_SIZE = 4
NARROWED = ("id", "client_id")
"""Fields whose lookups a query narrows in SQL (plain ids: the stored text is the value)."""
"""Connections a process keeps to one database at most."""

Connection = psycopg.Connection[Any]
T = TypeVar("T")

_pools: dict[str, ConnectionPool[Connection]] = {}
_pools_lock = threading.Lock()


def connection_info(store: StoreSettings) -> str:
    """The libpq connection string: ``AMTUI_DATABASE_URL``, else the ``[store]`` service,
    else libpq's environment (``PGSERVICE``, ``PGHOST``, …, ``~/.pgpass``)."""
    url = os.environ.get(DATABASE_URL, "")
    service = {"service": store.service} if store.service and not url else {}
    try:
        return psycopg.conninfo.make_conninfo(url, **service)
    except psycopg.ProgrammingError as error:
        raise StorageError(_("{variable} is not a connection string: {error}").format(
            variable=DATABASE_URL, error=_first_line(error))) from None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def database_error(error: psycopg.Error) -> StorageError:
    """What a database error means, in one line."""
    message = _first_line(error)
    if isinstance(error, errors.LockNotAvailable):
        return LockTimeout(_("another save held the records for too long; try again"))
    if isinstance(error, errors.DeadlockDetected | errors.SerializationFailure):
        return StorageError(_("another save changed the same records at the same moment; "
                              "nothing was saved, try again"))
    if isinstance(error, errors.InsufficientPrivilege):
        return StorageError(_("the database refused: {message}").format(message=message))
    if isinstance(error, psycopg.OperationalError):
        return StorageError(_("cannot reach the database: {message}").format(message=message))
    return StorageError(_("the database failed: {message}").format(message=message))


def _configure(connection: Connection) -> None:
    set_json_loads(orjson.loads, connection)


def _pool(conninfo: str) -> ConnectionPool[Connection]:
    """The process's pool of connections to the database (made on first use)."""
    with _pools_lock:
        pool = _pools.get(conninfo)
        if pool is None:
            try:  # one connection first, so that a wrong address is one clear line at once
                psycopg.connect(conninfo, connect_timeout=10).close()
            except psycopg.Error as error:
                raise database_error(error) from None
            pool = ConnectionPool(conninfo, min_size=1, max_size=POOL_SIZE, open=True,
                                  configure=_configure, name="amtui",
                                  kwargs={"application_name": "amtui"})
            _pools[conninfo] = pool
        return pool


_inherited: list[ConnectionPool[Connection]] = []
"""Pools a forked process inherited: never used there, and never closed or collected (that
would end the parent's sessions on the sockets they share)."""


def _forget_pools_after_fork() -> None:
    _inherited.extend(_pools.values())
    _pools.clear()


os.register_at_fork(after_in_child=_forget_pools_after_fork)


@atexit.register
def close_pools() -> None:
    """Close every pool this process opened (at exit, and between tests)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for listener in _listeners:
        listener.close()
    _listeners.clear()
    for pool in pools:
        pool.close()


def table_name(spec: TableSpec) -> str:
    """The database table of an amtui table: ``tasks``, ``smm_calendar__posts``."""
    return spec.relative_path.removesuffix(".json").replace("/", "__")


class PostgresWorkspace(Workspace):
    """A workspace whose records are in PostgreSQL; its folder keeps ``workspace.toml`` and
    the workspace's plugins."""

    def __init__(self, root: Path, settings: WorkspaceSettings, clock: Callable[[], datetime]
                 = clock_now, lock_timeout: float = 10.0) -> None:
        self._tables: dict[str, PostgresTable] = {}
        self._local = threading.local()
        super().__init__(root, settings, clock=clock, lock_timeout=lock_timeout)
        self.schema = settings.store.schema_name
        """The PostgreSQL schema that holds the workspace's tables."""
        self.conninfo = connection_info(settings.store)
        self.pool = _pool(self.conninfo)
        self.channel = f"amtui_{self.schema}"
        """What a save notifies (``table changes``) and a :class:`ChangeListener` hears."""
        self._listener: ChangeListener | None = None
        self._make_schema()

    def listener(self) -> ChangeListener | None:
        """The workspace's listener for saves (started on first use), or None when it
        cannot listen (then ask the database)."""
        if self._listener is None or not self._listener.alive:
            try:
                self._listener = ChangeListener(self)
            except psycopg.Error:
                self._listener = None
        return self._listener

    def _make_schema(self) -> None:
        schema = sql.Identifier(self.schema)
        statements = [
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema),
            sql.SQL("CREATE TABLE IF NOT EXISTS {}.{} (name text PRIMARY KEY, schema_version "
                    "integer NOT NULL, changes bigint NOT NULL DEFAULT 0)").format(
                        schema, sql.Identifier(TABLES)),
            sql.SQL("CREATE TABLE IF NOT EXISTS {}.{} (seq bigserial PRIMARY KEY, at "
                    "timestamptz NOT NULL, os_user text NOT NULL, db_user text NOT NULL "
                    "DEFAULT current_user, host text NOT NULL, action text NOT NULL, "
                    "table_name text NOT NULL, record_id text NOT NULL, fields jsonb NOT NULL, "
                    "rev integer, tx text NOT NULL, n integer NOT NULL)").format(
                        schema, sql.Identifier(AUDIT)),
        ]
        present = self.run(lambda connection: connection.execute(
            "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL",
            [f'"{self.schema}".{TABLES}', f'"{self.schema}".{AUDIT}']).fetchone())
        if present and present[0]:
            return
        self.run_ddl(statements)

    def run_ddl(self, statements: list[sql.Composed]) -> None:
        """Run ``CREATE … IF NOT EXISTS`` statements in one transaction; two processes doing
        it at once can collide in PostgreSQL's catalogue, so the loser tries again."""
        for attempt in range(3):
            try:
                with self.pool.connection() as connection:
                    for statement in statements:
                        connection.execute(statement)
                return
            except (errors.UniqueViolation, errors.DuplicateTable, errors.DuplicateObject,
                    errors.DuplicateSchema):
                if attempt == 2:
                    raise
            except psycopg.Error as error:
                raise database_error(error) from None

    def run(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` on the transaction under way in this thread, else on a
        connection of the pool (committed at the end)."""
        active: Connection | None = getattr(self._local, "connection", None)
        try:
            if active is not None:
                return work(active)
            with self.pool.connection() as connection:
                return work(connection)
        except psycopg.Error as error:
            raise database_error(error) from None

    def in_transaction(self) -> bool:
        return getattr(self._local, "connection", None) is not None

    # tables

    def register_table(self, spec: TableSpec) -> None:
        super().register_table(spec)
        self._tables.pop(spec.name, None)

    def file(self, table: str) -> PostgresTable:
        try:
            return self._tables[table]
        except KeyError:
            pass
        spec = self.table_spec(table)
        if spec is None:
            raise StorageError(_("no table named {table!r}").format(table=table))
        stored = self._tables[table] = PostgresTable(self, spec)
        return stored

    def read_only_tables(self) -> dict[str, str]:
        reasons = {}
        for name in self.table_names:
            stored = self.file(name)
            stored.refresh()
            if stored.read_only_reason:
                reasons[name] = stored.read_only_reason
        return reasons

    def remove_stale_temp_files(self) -> None:
        """Nothing to do: a database leaves no temp files behind."""

    # changes

    @contextmanager
    def transaction(self, *tables: str) -> Iterator[Transaction]:
        """One database transaction: records read in it are held (``FOR UPDATE``) until it
        ends; at the end the audit rows and each changed table's count of saves are written
        and it commits. On any error it is rolled back: nothing is stored."""
        if self.in_transaction():
            raise RuntimeError("a transaction is already under way in this thread")
        stored = {name: self.file(name) for name in dict.fromkeys(tables)}
        for table in stored.values():
            table.ready()
        try:
            connection = self.pool.getconn()
        except psycopg.Error as error:
            raise database_error(error) from None
        self._local.connection = connection
        transaction = Transaction(self, stored)
        try:
            connection.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(
                sql.Literal(f"{max(int(self.lock_timeout * 1000), 1)}ms")))
            yield transaction
            if transaction.changes:
                self._write_audit(connection, transaction.changes)
                for name in sorted({change.table for change in transaction.changes}):
                    row = connection.execute(
                        sql.SQL("UPDATE {}.{} SET changes = changes + 1 WHERE name = %s "
                                "RETURNING changes").format(sql.Identifier(self.schema),
                                                            sql.Identifier(TABLES)),
                        [name]).fetchone()
                    if row is not None:  # heard by every listener when this commits
                        connection.execute("SELECT pg_notify(%s, %s)",
                                           [self.channel, f"{name} {row[0]}"])
            connection.commit()
        except psycopg.Error as error:
            self._end(connection, failed=True)
            raise database_error(error) from None
        except BaseException:
            self._end(connection, failed=True)
            raise
        self._end(connection, failed=False)
        if transaction.changes:
            for observer in self.observers:
                observer(transaction.changes)

    def _end(self, connection: Connection, failed: bool) -> None:
        """Give the transaction's connection back to the pool (rolled back if it failed)."""
        self._local.connection = None
        try:
            if failed and not connection.closed:
                connection.rollback()
        except psycopg.Error:
            pass
        finally:
            self.pool.putconn(connection)

    def _write_audit(self, connection: Connection, changes: list[Change]) -> None:
        at = self.clock().astimezone(UTC)
        user, host = os_user(), host_name()
        tx = os.urandom(6).hex()
        with connection.cursor() as cursor:
            cursor.executemany(
                sql.SQL("INSERT INTO {}.{} (at, os_user, host, action, table_name, record_id, "
                        "fields, rev, tx, n) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
                .format(sql.Identifier(self.schema), sql.Identifier(AUDIT)),
                [(at, user, host, change.action, change.table, change.record_id,
                  Jsonb(change.fields), change.rev, tx, number)
                 for number, change in enumerate(changes)])

    def audit(self) -> list[dict[str, Any]]:
        """The audit, oldest first, as the file store's ``audit.jsonl`` lines say it (with
        ``db_user``, the database role, besides the OS ``user``)."""
        rows = self.run(lambda connection: connection.execute(
            sql.SQL("SELECT at, os_user, db_user, host, action, table_name, record_id, fields, "
                    "rev, tx, n FROM {}.{} ORDER BY seq").format(
                        sql.Identifier(self.schema), sql.Identifier(AUDIT))).fetchall())
        return [{"at": at.astimezone(UTC).isoformat(timespec="seconds"), "user": user,
                 "db_user": db_user, "host": host, "action": action, "table": table,
                 "id": record_id, "fields": fields, "rev": rev, "tx": tx, "n": n}
                for at, user, db_user, host, action, table, record_id, fields, rev, tx, n
                in rows]

    def backup(self, reason: str = "on-demand") -> Any:
        raise StorageError(_("the records of this workspace are in PostgreSQL: back them up "
                             "with `amtui export --all ARCHIVE.zip` or the database's own "
                             "backups"))


_listeners: list[ChangeListener] = []


class ChangeListener:
    """A connection of its own that ``LISTEN``s for the saves to a workspace's tables, made
    by any process on any host: ``latest`` holds each table's count of saves as last
    heard. Started after ``LISTEN``, it first reads every count, so nothing saved in between
    is missed."""

    def __init__(self, workspace: PostgresWorkspace) -> None:
        self.latest: dict[str, int] = {}
        self.alive = True
        self._stop = threading.Event()
        self._connection = psycopg.connect(workspace.conninfo, autocommit=True,
                                           connect_timeout=10)
        try:
            self._connection.execute(sql.SQL("LISTEN {}").format(
                sql.Identifier(workspace.channel)))
            for name, changes in self._connection.execute(
                    sql.SQL("SELECT name, changes FROM {}.{}").format(
                        sql.Identifier(workspace.schema), sql.Identifier(TABLES))):
                self.latest[name] = int(changes)
        except psycopg.Error:
            self._connection.close()
            raise
        _listeners.append(self)
        threading.Thread(target=self._hear, name="amtui-listen", daemon=True).start()

    def _hear(self) -> None:
        try:
            while not self._stop.is_set():
                for notice in self._connection.notifies(timeout=1.0):
                    table, _space, changes = notice.payload.rpartition(" ")
                    if changes.isdigit():
                        self.latest[table] = max(int(changes), self.latest.get(table, 0))
        except psycopg.Error:
            pass
        finally:
            self.alive = False
            self._connection.close()

    def close(self) -> None:
        self._stop.set()


class PostgresTable:
    """One amtui table in the database: what :class:`~amtui.storage.tables.StoredTable`
    says, answered with SQL."""

    def __init__(self, workspace: PostgresWorkspace, spec: TableSpec) -> None:
        self.workspace = workspace
        self.spec = spec
        self.read_only_reason: str | None = None
        self.damage: str | None = None
        self.invalid: dict[str, str] = {}
        """Always empty: every record is checked by its model before it is stored."""
        self.loaded = False
        self._ready = False
        self._seen: int | None = None
        """The table's count of saves when it was last read whole."""
        identifier = sql.Identifier(workspace.schema, table_name(spec))
        self._table = identifier

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def relative_name(self) -> str:
        return f"{self.workspace.schema}.{table_name(self.spec)}"

    # making the table, migrating it

    def ready(self) -> None:
        """Make the table if it is not there; bring an older one up to this version; note a
        newer one as read-only."""
        if self._ready:
            return
        version = self._schema_version()
        if version is None:
            self.workspace.run_ddl([
                sql.SQL("CREATE TABLE IF NOT EXISTS {} (id text PRIMARY KEY, rev integer NOT "
                        "NULL, doc jsonb NOT NULL, exact bytea, pos bigint GENERATED ALWAYS AS "
                        "IDENTITY)")
                .format(self._table),
                sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (pos)").format(
                    sql.Identifier(f"{table_name(self.spec)}_pos"), self._table),
                *([sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ((doc ->> 'client_id'))")
                   .format(sql.Identifier(f"{table_name(self.spec)}_client_id"), self._table)]
                  if "client_id" in self.spec.model.model_fields else []),
                sql.SQL("INSERT INTO {}.{} (name, schema_version) VALUES ({}, {}) ON CONFLICT "
                        "DO NOTHING").format(sql.Identifier(self.workspace.schema),
                                             sql.Identifier(TABLES), sql.Literal(self.name),
                                             sql.Literal(self.spec.version)),
            ])
            version = self._schema_version()
        if version is not None and version > self.spec.version:
            self.read_only_reason = (
                f"{self.relative_name} was written by a newer amtui (schema {version}; this "
                f"one knows {self.spec.version}); it is open read-only: upgrade amtui to "
                "change it")
        elif version is not None and version < self.spec.version:
            self._migrate()
        self._ready = True

    def _schema_version(self) -> int | None:
        row = self.workspace.run(lambda connection: connection.execute(
            sql.SQL("SELECT schema_version FROM {}.{} WHERE name = %s").format(
                sql.Identifier(self.workspace.schema), sql.Identifier(TABLES)),
            [self.name]).fetchone())
        return None if row is None else int(row[0])

    def _migrate(self) -> None:
        """Bring the table up to this version in one transaction that holds its row of
        ``amtui_tables``; another process doing the same waits, then finds it done."""
        def migrate(connection: Connection) -> None:
            row = connection.execute(
                sql.SQL("SELECT schema_version FROM {}.{} WHERE name = %s FOR UPDATE").format(
                    sql.Identifier(self.workspace.schema), sql.Identifier(TABLES)),
                [self.name]).fetchone()
            version = int(row[0]) if row else self.spec.version
            if version >= self.spec.version:
                return
            records: RawRecords = {doc["id"]: doc for doc in _docs(connection.execute(
                sql.SQL("SELECT doc, exact FROM {} ORDER BY pos").format(self._table)))}
            for step_from in range(version, self.spec.version):
                step = self.spec.migrations.get(step_from)
                if step is None:
                    raise StorageError(
                        _("{file}: no migration from schema {version} to {next}").format(
                            file=self.relative_name, version=step_from, next=step_from + 1))
                records = step(records)
            connection.execute(sql.SQL("DELETE FROM {}").format(self._table))
            self._insert(connection, list(records.values()))
            connection.execute(
                sql.SQL("UPDATE {}.{} SET schema_version = %s, changes = changes + 1 WHERE "
                        "name = %s").format(sql.Identifier(self.workspace.schema),
                                            sql.Identifier(TABLES)),
                [self.spec.version, self.name])

        try:
            self.workspace.run(migrate)
        except StorageError as error:
            self.read_only_reason = (
                f"{self.relative_name} could not be upgraded to schema {self.spec.version} "
                f"({error}); it is open read-only")

    # reading

    def _select(self, query: sql.Composed, params: Iterable[Any] = ()) -> list[Any]:
        self.ready()
        return self.workspace.run(
            lambda connection: connection.execute(query, list(params)).fetchall())

    def records(self) -> RawRecords:
        return {record["id"]: record for record in self.scan()}

    def scan(self) -> Iterator[dict[str, Any]]:
        """Every record, in the order added (read whole: the connection is not held while
        the caller goes through them)."""
        self.ready()

        def read(connection: Connection) -> list[dict[str, Any]]:
            self._seen = self._changes(connection)
            return list(_docs(connection.execute(
                sql.SQL("SELECT doc, exact FROM {} ORDER BY pos").format(self._table))))

        records = self.workspace.run(read)
        self.loaded = True
        return iter(records)

    def stored(self) -> Iterator[dict[str, Any]]:
        return self.scan()

    def candidates(self, lookups: Sequence[Lookup]) -> Iterator[dict[str, Any]]:
        """The records a query may find: narrowed in SQL by its lookups on ``id`` and
        ``client_id`` (``=`` and ``in``; ``client_id`` has an index), all when it has none."""
        conditions, params = [], []
        for lookup in lookups:
            if lookup.field not in NARROWED or lookup.operator not in ("=", "IN"):
                continue
            values = lookup.value if lookup.operator == "IN" else (lookup.value,)
            assert isinstance(values, tuple)
            conditions.append(sql.SQL("doc ->> {} = ANY(%s)").format(
                sql.Literal(lookup.field)))
            params.append([str(value) for value in values])
        if not conditions:
            return self.stored()
        return iter(list(_docs(self._select(
            sql.SQL("SELECT doc, exact FROM {} WHERE {} ORDER BY pos").format(
                self._table, sql.SQL(" AND ").join(conditions)), params))))

    def get(self, record_id: str) -> dict[str, Any] | None:
        """One record, or None; in a transaction it is held until the transaction ends."""
        lock = sql.SQL(" FOR UPDATE" if self.workspace.in_transaction() else "")
        rows = self._select(sql.SQL("SELECT doc, exact FROM {} WHERE id = %s{}").format(
            self._table, lock), [record_id])
        return next(_docs(rows), None)

    def stored_many(self, record_ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        wanted = list(dict.fromkeys(record_ids))
        found: dict[str, dict[str, Any] | None] = dict.fromkeys(wanted)
        for doc in _docs(self._select(
                sql.SQL("SELECT doc, exact FROM {} WHERE id = ANY(%s)").format(self._table),
                [wanted])):
            found[doc["id"]] = doc
        return found

    def contains(self, record_id: str) -> bool:
        return bool(self._select(sql.SQL("SELECT 1 FROM {} WHERE id = %s").format(
            self._table), [record_id]))

    def count(self) -> int:
        return int(self._select(sql.SQL("SELECT count(*) FROM {}").format(self._table))[0][0])

    def count_where(self, field: str, value: str) -> int:
        return int(self._select(sql.SQL("SELECT count(*) FROM {} WHERE doc -> %s = %s")
                                .format(self._table), [field, Jsonb(value)])[0][0])

    def refresh(self) -> None:
        self.ready()

    def _changes(self, connection: Connection) -> int | None:
        row = connection.execute(
            sql.SQL("SELECT changes FROM {}.{} WHERE name = %s").format(
                sql.Identifier(self.workspace.schema), sql.Identifier(TABLES)),
            [self.name]).fetchone()
        return int(row[0]) if row and row[0] else None

    def version_on_disk(self) -> int | None:
        """The table's count of saves: different after every save, by any process (None
        before the first, as a file store's table without a file)."""
        return self.workspace.run(self._changes)

    def changed_on_disk(self) -> bool:
        """Whether a save was made to the table since this process last read it whole:
        heard from the database (``LISTEN``), without asking it, while the workspace
        listens."""
        listener = self.workspace.listener()
        if listener is None:
            return self.version_on_disk() != self._seen
        heard = listener.latest.get(self.name)
        return heard is not None and (self._seen is None or heard > self._seen)

    def mark(self) -> int | None:
        return self.version_on_disk()

    def changed_since(self, mark: int | None) -> list[str] | None:
        return [] if self.version_on_disk() == mark else None

    # changing (inside a transaction)

    def check_writable(self) -> None:
        self.ready()
        if self.read_only_reason:
            raise ReadOnlyError(self.read_only_reason)

    def _connection(self) -> Connection:
        connection: Connection | None = getattr(self.workspace._local, "connection", None)
        if connection is None:
            raise RuntimeError(f"{self.relative_name} changed outside a transaction")
        return connection

    def insert(self, new_records: list[dict[str, Any]]) -> None:
        """Add new records; a record whose id is taken stops the transaction."""
        connection = self._connection()
        self.check_writable()
        for record in new_records:
            checked_record(self.spec.model, record)
        try:
            self._insert(connection, new_records)
        except psycopg.Error as error:
            raise database_error(error) from None

    def _insert(self, connection: Connection, new_records: list[dict[str, Any]]) -> None:
        if not new_records:
            return
        ids = [str(record["id"]) for record in new_records]
        encoded = [_encoded(record) for record in new_records]
        inserted = {record_id for (record_id,) in connection.execute(
            sql.SQL("INSERT INTO {} (id, rev, doc, exact) SELECT id, rev, doc::jsonb, exact "
                    "FROM unnest(%s::text[], %s::integer[], %s::text[], %s::bytea[]) AS "
                    "new (id, rev, doc, exact) ON CONFLICT (id) DO NOTHING RETURNING id")
            .format(self._table),
            [ids, [int(record.get("rev") or 0) for record in new_records],
             [doc for doc, _exact in encoded], [exact for _doc, exact in encoded]])}
        if len(inserted) < len(ids):
            # an id stored already, else one given twice
            taken = next((record_id for record_id in ids if record_id not in inserted),
                         None) or next(record_id for record_id in ids if ids.count(record_id) > 1)
            raise InvalidRecord(_("a record with id {record_id} is already there").format(
                record_id=taken))

    def put(self, record: dict[str, Any]) -> None:
        """Store a new version of a record (or a record restored from the trash)."""
        connection = self._connection()
        self.check_writable()
        checked_record(self.spec.model, record)
        try:
            connection.execute(
                sql.SQL("INSERT INTO {} (id, rev, doc, exact) VALUES (%s, %s, %s::jsonb, %s) "
                        "ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, doc = excluded.doc, "
                        "exact = excluded.exact").format(self._table),
                [record["id"], int(record.get("rev") or 0), *_encoded(record)])
        except psycopg.Error as error:
            raise database_error(error) from None

    def remove(self, record_id: str) -> None:
        connection = self._connection()
        self.check_writable()
        try:
            connection.execute(sql.SQL("DELETE FROM {} WHERE id = %s").format(self._table),
                               [record_id])
        except psycopg.Error as error:
            raise database_error(error) from None


NUL = b"\\u0000"
"""A NUL character as JSON writes it: text jsonb cannot hold."""


def _encoded(record: dict[str, Any]) -> tuple[str, bytes | None]:
    """A record as ``doc`` (jsonb, for lookups) and ``exact``: its JSON, kept only when jsonb
    cannot hold it as it is (a NUL character in a text, shown as ␀ in ``doc``)."""
    encoded = orjson.dumps(record)
    if NUL not in encoded:
        return encoded.decode(), None
    return encoded.replace(NUL, b"\\u2400").decode(), encoded


def _docs(rows: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The records of rows of ``(doc, exact)``."""
    for doc, exact in rows:
        yield orjson.loads(exact) if exact is not None else doc
