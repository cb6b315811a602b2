"""A workspace: the folder of data files, its settings, and safe changes to it."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson
from pydantic import ValidationError

from amtui.clock import now as clock_now
from amtui.i18n import _
from amtui.identity import host_name, os_user
from amtui.models import CORE_RECORD_TYPES, Record, describe_validation_error
from amtui.models.workspace import WorkspaceSettings
from amtui.storage.datafile import DataFile, Snapshot, TableSpec, backup_snapshot, data_files
from amtui.storage.errors import DiskFullError, StorageError, WorkspaceNotFound
from amtui.storage.files import (
    Appended,
    append_line,
    file_mode_for,
    is_temp_file,
    make_folder,
    retract,
    temp_target,
    walk_folder,
)
from amtui.storage.index import RecordIndex
from amtui.storage.journal import JOURNAL_SPEC
from amtui.storage.trash import TRASH_SPEC

if TYPE_CHECKING:
    from amtui.storage.repository import Repository
    from amtui.storage.tables import StoredTable

R = TypeVar("R", bound=Record)
Clock = Callable[[], datetime]

CONFIG_NAME = "workspace.toml"
AUDIT_NAME = "audit.jsonl"


class Change:
    """One record changed in a transaction, for the audit log."""

    __slots__ = ("action", "fields", "record_id", "rev", "table")

    def __init__(self, action: str, table: str, record_id: str, fields: list[str],
                 rev: int | None = None) -> None:
        self.action, self.table, self.record_id, self.fields = action, table, record_id, fields
        self.rev = rev
        """The record's revision as saved; None when it was removed."""


class Transaction:
    """Changes to one or more tables, made under their locks and written together at the end:
    what ``with workspace.transaction("clients", "followups") as change:`` gives. Records are
    stored dicts; ``put`` a changed copy, never change one in place."""

    def __init__(self, workspace: Workspace, files: Mapping[str, StoredTable]) -> None:
        self.workspace = workspace
        self.files = files
        self.changes: list[Change] = []

    def get(self, table: str, record_id: str) -> dict[str, Any] | None:
        """A record as it is now, under the lock (staged changes included)."""
        return self.files[table].get(record_id)

    def scan(self, table: str) -> Iterator[dict[str, Any]]:
        """The table's records as they are now, under the lock."""
        return self.files[table].scan()

    def put(self, table: str, record: dict[str, Any], action: str, fields: list[str]) -> None:
        """Insert or replace one record."""
        self.files[table].put(record)
        self.changes.append(Change(action, table, record["id"], fields, record.get("rev")))

    def insert(self, table: str, records: list[dict[str, Any]]) -> None:
        """Add new records (their ids must be new)."""
        self.files[table].insert(records)
        self.changes.extend(Change("add", table, r["id"], [], r.get("rev")) for r in records)

    def remove(self, table: str, record_id: str, action: str = "delete") -> None:
        """Take one record out of its table (``action`` is what the audit says)."""
        self.files[table].remove(record_id)
        self.changes.append(Change(action, table, record_id, []))


class Workspace:
    """An open workspace folder. Everything that reads or changes stored data goes through it."""

    def __init__(self, root: Path, settings: WorkspaceSettings, clock: Clock = clock_now,
                 lock_timeout: float = 10.0) -> None:
        self.root = root
        """The workspace folder (absolute)."""
        self.settings = settings
        """``workspace.toml``, checked: ``name``, ``timezone``, ``currency``, ``columns``, …"""
        self.clock = clock
        """``workspace.clock()`` is the moment now (aware, UTC); tests freeze it."""
        self.lock_timeout = lock_timeout
        self.file_mode = file_mode_for(root)
        self._specs: dict[str, TableSpec] = {}
        self._files: dict[str, DataFile] = {}
        self._repositories: dict[str, Repository[Any]] = {}
        self.plugin_settings: dict[str, Any] = {}
        """Section of ``workspace.toml`` → a plugin's settings, checked by its model."""
        self.observers: list[Callable[[list[Change]], None]] = []
        """Called with the changes of each transaction once it is written and unlocked (the
        plugins' record events); what they raise does not undo the saved change."""
        self.index = RecordIndex(root)
        """The record index (see :mod:`amtui.storage.index`): ``workspace.index.fresh(
        workspace.file("tasks"))`` is a SQLite connection with the tasks' copy up to date."""
        for record_type in CORE_RECORD_TYPES:
            self.register_table(TableSpec(record_type.table, record_type))
        self.register_table(TRASH_SPEC)
        self.register_table(JOURNAL_SPEC)

    # opening and creating

    @classmethod
    def open(cls, root: Path | str, *, create: bool = False, clock: Clock = clock_now,
             lock_timeout: float = 10.0, name: str | None = None,
             timezone: str = "Europe/Moscow", currency: str = "RUB") -> Workspace:
        """Open the workspace at ``root``; with ``create``, make it if it does not exist
        (named ``name``, or after its folder, in the agency's ``timezone`` and ``currency``)."""
        root = Path(root).expanduser().absolute()
        config = root / CONFIG_NAME
        if not config.exists():
            if not create:
                raise WorkspaceNotFound(
                    _("no workspace at {root} (no {file}); make one by opening it in a "
                      "terminal (`amtui --workspace {root}`), with `amtui demo --workspace "
                      "{root}`, or by adding to it (`amtui add client ... --workspace {root}`)")
                    .format(root=root, file=CONFIG_NAME)
                )
            folder_name = os.fsencode(root.name).decode("utf-8", "replace")  # bytes not UTF-8
            cls._create(root, name or folder_name or "Workspace", timezone, currency)
        settings = read_settings(config)
        if settings.store.backend == "postgresql" and cls is Workspace:
            # lazy: psycopg, only for a workspace whose records are in PostgreSQL
            from amtui.storage.postgresql import PostgresWorkspace

            return PostgresWorkspace(root, settings, clock=clock, lock_timeout=lock_timeout)
        workspace = cls(root, settings, clock=clock, lock_timeout=lock_timeout)
        workspace.remove_stale_temp_files()
        return workspace

    @staticmethod
    def _create(root: Path, name: str, timezone: str, currency: str) -> None:
        make_folder(root, root.parent, inherit_group=False)
        for sub in ("data", ".locks", "backups"):
            make_folder(root / sub, root)
        # lazy: tomlkit, only when a TOML file is written
        import tomlkit

        # cycle: amtui.storage.toml_files imports this module
        from amtui.storage.toml_files import toml_value, write_toml_document

        settings = tomlkit.document()
        settings.add(tomlkit.comment("amtui workspace settings"))
        for key, value in (("name", name), ("currency", currency), ("locale", "ru_RU"),
                           ("timezone", timezone), ("answer_within_hours", 4),
                           ("disabled_plugins", [])):
            settings[key] = toml_value(value)
        target = root / CONFIG_NAME
        if not target.exists():
            write_toml_document(target, settings, file_mode_for(root), within=root)

    def remove_stale_temp_files(self) -> None:
        """Remove temp files a crashed save left behind; only those no live writer owns.
        The folders are walked without following a link, and only files are removed."""
        data = self.root / "data"
        try:
            for folder, folder_fd, entries in walk_folder(self.root, data):
                for entry in entries:
                    if is_temp_file(entry.name) and entry.is_file(follow_symlinks=False):
                        relative = (folder / temp_target(entry.name)).relative_to(data)
                        if not self._remove_if_unowned(relative.as_posix(), entry.name,
                                                       folder_fd):
                            return
        except OSError:
            return  # not readable here: left for a user who can clean up

    def _remove_if_unowned(self, relative: str, name: str, folder: int) -> bool:
        """Remove the temp file ``name`` of data file ``relative`` unless a save owns it
        (holds its lock); False if the lock cannot be taken at all (a read-only workspace)."""
        data_file = self._file_for_path(relative)
        if data_file is None:
            return True
        try:
            if not data_file.lock.try_acquire():
                return True
        except StorageError:
            return False
        try:
            os.unlink(name, dir_fd=folder)
        except OSError:
            pass
        finally:
            data_file.lock.release()
        return True

    # tables

    def register_table(self, spec: TableSpec) -> None:
        self._specs[spec.name] = spec
        self._files.pop(spec.name, None)
        self._repositories.pop(spec.name, None)

    @property
    def table_names(self) -> list[str]:
        """Every table the workspace knows: amtui's and the loaded plugins'."""
        return list(self._specs)

    def table_spec(self, table: str) -> TableSpec | None:
        """What ``table`` holds and where (None if the workspace has no such table)."""
        return self._specs.get(table)

    def file(self, table: str) -> StoredTable:
        """Where ``table``'s records are: read them here, change them in :meth:`transaction`."""
        return self._data_file(table)

    def _data_file(self, table: str) -> DataFile:
        try:
            return self._files[table]
        except KeyError:
            pass
        if table not in self._specs:
            raise StorageError(_("no table named {table!r}").format(table=table))
        data_file = DataFile(self.root, self._specs[table], self.file_mode)
        data_file.lock.timeout = self.lock_timeout
        data_file.index = self.index
        self._files[table] = data_file
        return data_file

    def _file_for_path(self, relative_path: str) -> DataFile | None:
        for spec in self._specs.values():
            if spec.relative_path == relative_path:
                return self._data_file(spec.name)
        return None

    def repo(self, record_type: type[R]) -> Repository[R]:
        """The repository of ``record_type``'s table: ``workspace.repo(Client).get(id)``."""
        # cycle: amtui.storage.repository imports this module
        from amtui.storage.repository import Repository

        repository = self._repositories.get(record_type.table)
        if repository is None:
            repository = Repository(self, record_type)
            self._repositories[record_type.table] = repository
        return repository

    # changes

    @contextmanager
    def transaction(self, *tables: str) -> Iterator[Transaction]:
        """Lock ``tables``, let the caller change them, then log the changes in the audit
        and write each changed file atomically. On any error before the writes nothing is
        written, and the audit lines are taken back.

        The audit comes first, made durable before any data file is replaced: a change that
        is stored always has its audit line, whatever stops the process. Locks are taken in
        name order, so two transactions never deadlock; files are written in the order
        given, so a change spanning files puts the safe half first (a deleted record reaches
        the trash before it leaves its table).
        """
        files = {name: self._data_file(name) for name in dict.fromkeys(tables)}
        with ExitStack() as locks:
            for name in sorted(files):
                files[name].lock.acquire()
                locks.callback(files[name].lock.release)
            transaction = Transaction(self, files)
            committed = 0
            logged: Appended | None = None
            tx = os.urandom(6).hex()
            try:
                yield transaction
                changed = [data_file for data_file in files.values() if data_file.has_changes()]
                for data_file in changed:
                    data_file.check_writable()
                logged = self._audit(transaction.changes, tx, files)
                for data_file in changed:
                    data_file.commit(tx, (logged.inode, logged.end) if logged else None)
                    committed += 1
            except BaseException:
                for data_file in files.values():
                    data_file.discard()
                if logged is not None and not committed:
                    retract(logged)
                raise
        if transaction.changes:
            for observer in self.observers:
                observer(transaction.changes)

    def _audit(self, changes: list[Change], transaction: str,
               files: dict[str, DataFile]) -> Appended | None:
        """Append the transaction's lines to the audit. Each also says which version of its
        table's file the change was made to (``after``: the transaction that wrote it, if
        amtui did as it is now), so that the record index can follow the audit from a
        version it knows (see :mod:`amtui.storage.index`)."""
        if not changes:
            return None
        at = self.clock().astimezone(UTC).isoformat(timespec="seconds")
        user, host = os_user(), host_name()
        after = {name: data_file.saved_by() for name, data_file in files.items()}
        lines = b"".join(
            orjson.dumps({
                "at": at, "user": user, "host": host, "action": change.action,
                "table": change.table, "id": change.record_id, "fields": change.fields,
                "rev": change.rev, "tx": transaction, "n": number,
                "after": after.get(change.table),
            }) + b"\n"
            for number, change in enumerate(changes)
        )
        try:
            return append_line(self.root / AUDIT_NAME, lines, self.file_mode, within=self.root)
        except DiskFullError:
            names = ", ".join(sorted({self._data_file(change.table).path.name
                                      for change in changes}))
            raise DiskFullError(
                _("the disk is full: {names} was not saved and is unchanged (its audit entry "
                  "did not fit); free some space and try again").format(names=names)
            ) from None

    def backup(self, reason: str = "on-demand") -> Snapshot:
        """Snapshot every data file into ``backups/``: every table, plugins' included,
        whether or not their plugin is loaded now."""
        stored = set(data_files(self.root))
        stored.update(spec.relative_path for spec in self._specs.values())
        return backup_snapshot(self.root, sorted(stored), reason)

    def read_only_tables(self) -> dict[str, str]:
        """Tables that cannot be changed now, with the reason."""
        reasons = {}
        for name in self._specs:
            data_file = self.file(name)
            data_file.refresh()
            if data_file.read_only_reason:
                reasons[name] = data_file.read_only_reason
        return reasons


def read_settings(path: Path) -> WorkspaceSettings:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise StorageError(_("{path} is not valid TOML: {error}").format(
            path=path, error=error)) from None
    except OSError as error:
        raise StorageError(_("cannot read {path}: {strerror}").format(
            path=path, strerror=error.strerror)) from None
    try:
        return WorkspaceSettings.model_validate(data)
    except (ValidationError, ValueError) as error:
        detail = describe_validation_error(error) if isinstance(error, ValidationError) else error
        raise StorageError(f"{path}: {detail}") from None
