"""One table's data file: parsed once, re-read only when it changed, checked, versioned."""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from amtui.storage.errors import InvalidRecord, ReadOnlyError, StorageError
from amtui.storage.files import atomic_patch, atomic_write, make_folder
from amtui.storage.locks import FileLock
from amtui.storage.patch import plan_edits

if TYPE_CHECKING:
    from amtui.models import Record

RawRecords = dict[str, dict[str, Any]]
Migration = Callable[[RawRecords], RawRecords]
Signature = tuple[int, int, int]

META_KEY = "_meta"
MAX_FILE_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class TableSpec:
    """What a table holds and how its file has changed over time."""

    name: str
    """Table name; also the file name, ``data/<path>.json``."""
    model: type[Record]
    version: int = 1
    """Schema version this amtui writes."""
    migrations: Mapping[int, Migration] = field(default_factory=dict)
    """``{n: function}`` turns the records of version ``n`` into version ``n + 1``."""
    folder: str = ""
    """Sub-folder of ``data/`` (a plugin's name) or empty for core tables."""

    @property
    def relative_path(self) -> str:
        return f"{self.folder}/{self.name}.json" if self.folder else f"{self.name}.json"


class DamagedFile(StorageError):
    pass


def parse_table_file(content: bytes, table: str) -> tuple[int, RawRecords]:
    """Parse and check a data file's bytes; raises DamagedFile saying what is wrong."""
    if not content.strip(b" \t\r\n"):
        raise DamagedFile("the file is empty")
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError as error:
        raise DamagedFile(f"it is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise DamagedFile("it does not hold a JSON object")
    meta = data.get(META_KEY)
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int):
        raise DamagedFile(f"its {META_KEY}.schema version is missing")
    records = data.get(table, {})
    if not isinstance(records, dict):
        raise DamagedFile(f"its {table!r} entry is not an object of records")
    for record_id, record in records.items():
        if not isinstance(record, dict) or record.get("id") != record_id:
            raise DamagedFile(f"record {record_id[:40]!r} is malformed")
    return meta["schema"], records


def encode_table_file(table: str, version: int, records: RawRecords) -> bytes:
    return orjson.dumps({META_KEY: {"schema": version, "table": table}, table: records})


def file_header(table: str, version: int) -> bytes:
    """The bytes every file written by :func:`encode_table_file` starts with."""
    meta = orjson.dumps({"schema": version, "table": table})
    return b'{"' + META_KEY.encode() + b'":' + meta + b"," + orjson.dumps(table) + b":{"


def _stored_key(record_id: str) -> bytes:
    """How a record starts in an encoded file: its id as key, then its own ``id`` field."""
    quoted = orjson.dumps(record_id)
    return quoted + b':{"id":' + quoted


class DataFile:
    """A table's JSON file with its lock, its cache and its state."""

    def __init__(self, root: Path, spec: TableSpec, file_mode: int) -> None:
        self.root = root
        self.spec = spec
        self.file_mode = file_mode
        self.path = root / "data" / spec.relative_path
        self.lock = FileLock(root / ".locks" / f"{spec.relative_path}.lock", file_mode, root=root)
        self.read_only_reason: str | None = None
        """Why the table cannot be changed now, or None."""
        self.damage: str | None = None
        """What is wrong with the file, if it could not be read."""
        self._records: RawRecords | None = None
        """The records as this process sees them, staged changes included."""
        self._saved: RawRecords | None = None
        """The records as the file holds them, when ``_signature`` says it is unchanged."""
        self._signature: Signature | None = None
        self._version = spec.version
        self._staged = False
        self._appended: RawRecords = {}
        """New records staged without reading the file (see :meth:`insert`)."""
        self._changed: set[str] = set()
        """Ids of the records staged changes added, replaced or removed."""

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def loaded(self) -> bool:
        """Whether this process holds the file's records in memory."""
        return self._records is not None

    @property
    def relative_name(self) -> str:
        return f"data/{self.spec.relative_path}"

    def records(self) -> RawRecords:
        """The table's records as stored, re-read only if the file changed since the last read."""
        if self._appended:
            self._merge_appended()
        if self._staged and self._records is not None:
            return self._records
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            stat = None
        signature = _signature(stat) if stat else None
        if self._records is None or signature != self._signature:
            self._load()
        assert self._records is not None
        return self._records

    def changed_on_disk(self) -> bool:
        """Whether another process has saved the file since we last read it."""
        try:
            signature: Signature | None = _signature(self.path.stat())
        except FileNotFoundError:
            signature = None
        return signature != self._signature

    def contains(self, record_id: str) -> bool:
        """Whether a record with this id is stored; answered without parsing the file when
        this process has not read it yet."""
        if self._records is not None and not self.changed_on_disk():
            return record_id in self._records
        header = file_header(self.name, self.spec.version)
        try:
            with open(self.path, "rb") as handle:
                if os.fstat(handle.fileno()).st_size > len(header):
                    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as content:
                        if (content[: len(header)] == header
                                and content.find(_stored_key(record_id)) >= 0):
                            return True
        except FileNotFoundError:
            return False
        return record_id in self.records()

    def insert(self, new_records: list[dict[str, Any]]) -> None:
        """Stage new records. Inside a transaction only.

        When this process holds no parsed copy of the file (a quick capture from the shell),
        the records are added to the file's bytes at commit without parsing the whole file.
        """
        if not self.lock.held:
            raise RuntimeError(f"{self.relative_name} changed outside a transaction")
        if self._records is None and not self._staged:
            for record in new_records:
                if record["id"] in self._appended:
                    raise InvalidRecord(f"a record with id {record['id']} is already there")
                self._appended[record["id"]] = record
            return
        self._add_to_records({record["id"]: record for record in new_records})

    def _merge_appended(self) -> None:
        appended, self._appended = self._appended, {}
        self._add_to_records(appended)

    def _add_to_records(self, new_records: RawRecords) -> None:
        records = dict(self.records())
        for record_id, record in new_records.items():
            if record_id in records:
                raise InvalidRecord(f"a record with id {record_id} is already there")
            records[record_id] = record
        self.stage(records, set(new_records))

    def stage(self, records: RawRecords, changed: set[str]) -> None:
        """Hold new records to be written at commit; ``changed`` names the ids added, replaced
        or removed. Only inside a transaction."""
        if not self.lock.held:
            raise RuntimeError(f"{self.relative_name} changed outside a transaction")
        self.check_writable()
        self._records = records
        self._changed |= changed
        self._staged = True

    def check_writable(self) -> None:
        self.records()
        if self.read_only_reason:
            raise ReadOnlyError(self.read_only_reason)

    def commit(self) -> None:
        """Write staged changes: as byte edits of the file when few records changed, else
        by rewriting it; either way atomically."""
        if not (self._staged or self._appended):
            return
        try:
            make_folder(self.path.parent, self.root)
            if self._patch_file():
                return
            if self._appended:
                self._merge_appended()
            assert self._records is not None
            stat = atomic_write(
                self.path, encode_table_file(self.name, self.spec.version, self._records),
                self.file_mode,
            )
        except BaseException:
            self.discard()
            raise
        self._saved_as(stat)

    def _patch_file(self) -> bool:
        """Apply the staged changes as edits of the file; False if that cannot be done safely
        (the file is not as amtui wrote it, or too much changed)."""
        header = file_header(self.name, self.spec.version)
        if not self.path.exists():
            return False
        with open(self.path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            if stat.st_size < len(header) + 2:
                return False
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as content:
                if content[: len(header)] != header or content[-2:] != b"}}":
                    return False
                if stat.st_size > len(header) + 2 and content[-3:] != b"}}}":
                    return False  # cut short, or something after it: not as amtui wrote it
                if self._appended:
                    if self.lock.written() != _fingerprint(stat):
                        return False  # not as amtui last wrote it: parse it first
                    if any(content.find(_stored_key(record_id)) >= 0
                           for record_id in self._appended):
                        raise InvalidRecord("a record with that id is already there")
                    edits = plan_edits(content, len(header), {}, self._appended,
                                       set(self._appended))
                    if edits and stat.st_size > len(header) + 2:
                        start, end, added = edits[0]
                        edits = [(start, end, b"," + added)]
                elif self._saved is not None and _signature(stat) == self._signature:
                    assert self._records is not None
                    edits = plan_edits(content, len(header), self._saved, self._records,
                                       self._changed)
                else:
                    return False
        if edits is None:
            return False
        new_stat = atomic_patch(self.path, edits, self.file_mode)
        if self._appended:
            self.discard()
            self.lock.record_written(_fingerprint(new_stat))
        else:
            self._saved_as(new_stat)
        return True

    def _saved_as(self, stat: os.stat_result) -> None:
        self.lock.record_written(_fingerprint(stat))
        self._saved = self._records
        self._signature = _signature(stat)
        self._version = self.spec.version
        self._staged = False
        self._changed = set()

    def discard(self) -> None:
        """Forget staged and cached data; the next read comes from disk."""
        self._records = None
        self._saved = None
        self._signature = None
        self._staged = False
        self._appended = {}
        self._changed = set()

    def _load(self) -> None:
        self.read_only_reason = self.damage = None
        try:
            with open(self.path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                if stat.st_size > MAX_FILE_BYTES:
                    raise DamagedFile(f"it is {stat.st_size} bytes, larger than any workspace")
                content = handle.read()
        except FileNotFoundError:
            self._records, self._signature, self._version = {}, None, self.spec.version
            self._saved = None
            return
        except PermissionError:
            raise StorageError(f"cannot read {self.path}: permission denied") from None
        except DamagedFile as damage:
            self._quarantine(b"", str(damage))
            return
        signature = _signature(stat)
        try:
            version, records = parse_table_file(content, self.name)
        except DamagedFile as damage:
            self._quarantine(content, str(damage))
            self._signature = signature
            return
        self._records, self._signature, self._version = records, signature, version
        self._saved = records
        if version > self.spec.version:
            self.read_only_reason = (
                f"{self.relative_name} was written by a newer amtui (schema {version}; this one "
                f"knows {self.spec.version}); it is open read-only: upgrade amtui to change it"
            )
        elif version < self.spec.version:
            self._migrate()

    def _quarantine(self, content: bytes, problem: str) -> None:
        """Keep a copy of a damaged file aside and open the table read-only; never overwrite."""
        self._records, self._saved = {}, None
        self.damage = problem
        copy = ""
        if content:
            import hashlib

            digest = hashlib.sha256(content).hexdigest()[:12]
            target = self.root / "backups" / "quarantine" / f"{self.path.name}.{digest}"
            try:
                if not target.exists():
                    make_folder(target.parent, self.root)
                    atomic_write(target, content, self.file_mode)
                copy = f"; a copy is kept at {target.relative_to(self.root)}"
            except StorageError:
                copy = ""
        self.read_only_reason = (
            f"{self.relative_name} is damaged: {problem}. The table is open read-only and the "
            f"file is left as it is{copy}. Restore it with `amtui doctor --restore "
            f"{self.spec.relative_path.removesuffix('.json')}` (latest backup) or move it aside "
            "to start the table empty"
        )

    def _migrate(self) -> None:
        """Bring an older file up to this version, under the lock, after a backup."""
        try:
            with self.lock:
                if self.changed_on_disk():
                    self.discard()
                    self.records()
                    return
                assert self._records is not None
                backup_snapshot(self.root, [self], reason=f"before-migrating-{self.name}")
                records = self._records
                for version in range(self._version, self.spec.version):
                    step = self.spec.migrations.get(version)
                    if step is None:
                        raise StorageError(
                            f"{self.relative_name}: no migration from schema {version} to "
                            f"{version + 1}"
                        )
                    records = step(records)
                self._records, self._staged = records, True
                self._changed = set(records)
                self.commit()
        except StorageError as error:
            self.read_only_reason = (
                f"{self.relative_name} uses schema {self._version} and could not be upgraded "
                f"to {self.spec.version} ({error}); it is open read-only"
            )


KEEP_SNAPSHOTS = 20
"""How many snapshots ``backups/`` keeps; older ones are removed."""


def backup_snapshot(root: Path, files: list[DataFile], reason: str) -> Path:
    """Copy data files into ``backups/<time>-<reason>/``; returns the snapshot folder."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    backups = root / "backups"
    folder = backups / f"{stamp}-{reason}"
    for data_file in files:
        try:
            content = data_file.path.read_bytes()
        except FileNotFoundError:
            continue
        target = folder / data_file.spec.relative_path
        make_folder(target.parent, root)
        atomic_write(target, content, data_file.file_mode)
    import shutil

    for old in snapshots(root)[:-KEEP_SNAPSHOTS]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def snapshots(root: Path) -> list[Path]:
    """Snapshot folders in ``backups/``, oldest first."""
    try:
        entries = sorted((root / "backups").iterdir())
    except FileNotFoundError:
        return []
    return [entry for entry in entries if entry.is_dir() and entry.name[:1].isdigit()]


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _fingerprint(stat: os.stat_result) -> str:
    """The signature of a data file as text, as its lock file records it."""
    return "written {} {} {}".format(*_signature(stat))
