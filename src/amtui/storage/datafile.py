"""One table's data file: one record per line, read as a stream, held in memory only when small.

A data file is JSON that any tool reads, written with one record per line::

    {"_meta":{"schema":1,"table":"tasks"},"tasks":{
    "01M8B…":{"id":"01M8B…","rev":3,…},
    "01M8C…":{"id":"01M8C…","rev":1,…}
    }}

so that a large table can be read record by record (never the whole file in memory), a record
found by searching for its line, and a save can replace a few lines without touching the rest.
Files up to :data:`CACHE_BYTES` are parsed once and kept until they change on disk; larger ones
are read from disk whenever they are needed, and only what the caller keeps stays in memory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson
from pydantic import ValidationError

from amtui.clock import now as clock_now
from amtui.i18n import _
from amtui.models.base import RECORD_RULES, describe_validation_error
from amtui.models.ids import claim_fresh
from amtui.storage.changes import (
    CATCH_UP_MOST,
    NO_FILE,
    AuditPlace,
    Mark,
    audit_since,
    audit_size,
)
from amtui.storage.damage import note_damaged
from amtui.storage.errors import InvalidRecord, ReadOnlyError, StorageError, UnsafePathError
from amtui.storage.files import (
    atomic_patch,
    atomic_write,
    file_mode_for,
    is_temp_file,
    link_refused,
    open_folder,
    open_in,
    walk_folder,
)
from amtui.storage.locks import FileLock
from amtui.storage.patch import (
    Found,
    confirmed_lines,
    encode_entry,
    plan_edits,
    search_lines,
)

if TYPE_CHECKING:
    from amtui.models import Record
    from amtui.storage.index import Lookup, RecordIndex

RawRecords = dict[str, dict[str, Any]]
Entry = tuple[str, dict[str, Any]]
"""A record's id and the record."""
Migration = Callable[[RawRecords], RawRecords]
Signature = tuple[int, int, int]

META_KEY = "_meta"
MAX_FILE_BYTES = 2 * 1024**3
CACHE_BYTES = 512 * 1024
"""Data files up to this size are kept parsed in memory; larger ones are read when needed.
Parsed, a file takes three to four times its size: the plugins' files of a large workspace
(surveys, statements, account plans: 0.6-1.7 MB each) kept so would hold 15 MB, for lookups
the record index answers and reads that take a few milliseconds."""
FOOTER = b"}}"
_BLOCK = 1 << 20
_MISSING = object()


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
    indexed: tuple[str, ...] = ()
    """Fields kept as columns of the table's copy in the record index, so that
    ``Repository.query`` and ``count`` look them up in SQL (``client_id`` always is)."""

    def __post_init__(self) -> None:
        if self.indexed:
            # lazy: the index, only for a table that names columns
            from amtui.storage.index import field_column

            for name in self.indexed:
                field_column(self.model, name)  # ValueError for a field that cannot be one

    @property
    def relative_path(self) -> str:
        return f"{self.folder}/{self.name}.json" if self.folder else f"{self.name}.json"


class DamagedFile(StorageError):
    pass


def parse_table_file(content: bytes, table: str) -> tuple[int, RawRecords]:
    """Parse and check a whole data file's bytes; raises DamagedFile saying what is wrong."""
    if not content.strip(b" \t\r\n"):
        raise DamagedFile(_("the file is empty"))
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError as error:
        raise DamagedFile(_("it is not valid JSON ({error})").format(error=error)) from None
    if not isinstance(data, dict):
        raise DamagedFile(_("it does not hold a JSON object"))
    version = _schema(data)
    records = data.get(table, {})
    if not isinstance(records, dict):
        raise DamagedFile(_("its {table!r} entry is not an object of records").format(table=table))
    for record_id, record in records.items():
        _check_record(record_id, record)
    return version, records


def _schema(data: dict[str, Any]) -> int:
    meta = data.get(META_KEY)
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int):
        raise DamagedFile(_("its {key}.schema version is missing").format(key=META_KEY))
    return int(meta["schema"])


def _check_record(record_id: str, record: Any) -> None:
    if not isinstance(record, dict) or record.get("id") != record_id:
        raise DamagedFile(_("record {record_id!r} is malformed").format(record_id=record_id[:40]))


def file_header(table: str, version: int) -> bytes:
    """The first line of a data file, without its newline."""
    meta = orjson.dumps({"schema": version, "table": table})
    return b'{"' + META_KEY.encode() + b'":' + meta + b"," + orjson.dumps(table) + b":{"


def encoded_blocks(table: str, version: int,
                   records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A data file's bytes, in blocks of about a megabyte, one record per line."""
    block = [file_header(table, version), b"\n"]
    size = 0
    previous: bytes | None = None
    for record in records:
        if previous is not None:
            block.append(previous + b",\n")
            size += len(previous)
            if size >= _BLOCK:
                yield b"".join(block)
                block, size = [], 0
        previous = encode_entry(record["id"], record)
    if previous is not None:
        block.append(previous + b"\n")
    block.append(FOOTER)
    yield b"".join(block)


def encode_table_file(table: str, version: int, records: RawRecords) -> bytes:
    return b"".join(encoded_blocks(table, version, records.values()))


def parse_line(line: bytes) -> tuple[str, dict[str, Any]]:
    """The record on one line of a data file (without the line's comma and newline)."""
    try:
        entry = orjson.loads(b"{" + line + b"}")
    except orjson.JSONDecodeError as error:
        raise DamagedFile(_("a record is not valid JSON ({error})").format(error=error)) from None
    if len(entry) != 1:
        raise DamagedFile(_("a line holds more than one record"))
    ((record_id, record),) = entry.items()
    _check_record(record_id, record)
    return record_id, record


def read_table_file(handle: BinaryIO, table: str) -> tuple[int, Iterator[Entry]]:
    """The schema version of an open data file and its records, one at a time: a file in the
    one-record-per-line layout is read a record at a time (never whole), any other layout is
    parsed whole. Raises DamagedFile saying what is wrong, also while iterating."""
    first = handle.readline(4096)
    version = _line_form_version(first, table)
    if version is None:
        handle.seek(0)
        version, records = parse_table_file(handle.read(), table)
        return version, iter(records.items())
    return version, record_lines(handle)


def _line_form_version(first: bytes, table: str) -> int | None:
    """The schema version if ``first`` is the header line of the line layout, else None."""
    if not first.endswith(b":{\n"):
        return None
    try:
        head = orjson.loads(first[:-1] + FOOTER)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(head, dict) or list(head) != [META_KEY, table]:
        return None
    version = _schema(head)
    if first[:-1] != file_header(table, version):
        return None
    return version


def record_lines(handle: BinaryIO) -> Iterator[Entry]:
    """Parse the record lines that follow the header, checking the file's shape."""
    for line in handle:
        if line.endswith(b",\n"):
            yield parse_line(line[:-2])
        elif line == FOOTER:
            if handle.read(1):
                raise DamagedFile(_("something follows the end of the records"))
            return
        elif line.endswith(b"\n"):
            yield parse_line(line[:-1])
        else:
            raise DamagedFile(_("it ends before its records do (cut short?)"))
    raise DamagedFile(_("it ends before its records do (cut short?)"))


def checked_record(model: type[Record], record: dict[str, Any]) -> Record:
    """``record`` as ``model`` reads it; InvalidRecord saying what is wrong if it does not."""
    try:
        return model.model_validate(record)
    except ValidationError as error:
        raise InvalidRecord(describe_validation_error(error)) from None
    except (ValueError, TypeError, ArithmeticError, RecursionError) as error:
        raise InvalidRecord(f"{type(error).__name__}: {error}"[:300]) from None


def line_id(line: bytes) -> str:
    """The id a record's line starts with, read without parsing the record."""
    end = line.find(b'"', 1)
    raw = line[1:end]
    if end < 0 or b"\\" in raw:
        return parse_line(line.rstrip(b",\n"))[0]
    return raw.decode()


class DataFile:
    """A table's JSON file with its lock, its cache, its staged changes and its state."""

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
        self.loaded = False
        """Whether this process has read the file (and so may be showing its records)."""
        self._signature: Signature | None = None
        """The file as last examined: (inode, size, mtime); None if it did not exist."""
        self._examined = False
        self._cache: RawRecords | None = None
        """All records of the file as ``_signature`` says it is, when the file is small."""
        self._lines = False
        """Whether the file is in the one-record-per-line form (else it is parsed whole)."""
        self._version = spec.version
        self._changes: dict[str, dict[str, Any] | None] = {}
        """Staged in a transaction: new or replaced records by id, None for removed ones."""
        self._added: set[str] = set()
        """Ids staged as new records (checked to be new when the file is written)."""
        self._fresh: set[str] = set()
        """New ids just made by this process: nothing stored can have them."""
        self._found: Found = {}
        """Lines found by :meth:`get` in the file as ``_signature`` says it is (a save of
        the record then need not search for it again)."""
        self.index: RecordIndex | None = None
        """The workspace's record index, kept along with each save and asked for single
        records of a large file."""
        self.invalid: dict[str, str] = {}
        """Records of the file that its model does not accept: id → what is wrong. They are
        left out of every read (and the table is read-only while there are any)."""
        self._normalize = False
        """Whether records read from a large file must be checked one by one as they are
        read: the file was not written by amtui, and some of its records are invalid or not
        in the form amtui writes (``"rev": "3"``, a field left out)."""

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def relative_name(self) -> str:
        return f"data/{self.spec.relative_path}"

    # reading

    def records(self) -> RawRecords:
        """All records as a dict by id, staged changes included. For small tables and for
        whole-table work (migrations, checks); panes and services should :meth:`scan`."""
        self._examine()
        if self._cache is not None and not self._changes:
            return self._cache
        return {record["id"]: record for record in self.scan()}

    def scan(self) -> Iterator[dict[str, Any]]:
        """Every record, in file order, staged changes included; large files are read record
        by record, so only what the caller keeps stays in memory."""
        self._examine()
        changes = dict(self._changes)
        seen: set[str] = set()
        for record in self._stored():
            record_id = record["id"]
            if record_id in changes:
                seen.add(record_id)
                replacement = changes[record_id]
                if replacement is not None:
                    yield replacement
                continue
            yield record
        for record_id, staged in changes.items():
            if staged is not None and record_id not in seen:
                yield staged

    def stored(self) -> Iterator[dict[str, Any]]:
        """Every record as the file holds it, in file order, without the changes a
        transaction has staged (for copies kept elsewhere, such as the record index)."""
        self._examine()
        return self._stored()

    def candidates(self, lookups: Sequence[Lookup]) -> Iterator[dict[str, Any]]:
        """Every stored record (the caller tests each against ``lookups``)."""
        return self.stored()

    def get(self, record_id: str) -> dict[str, Any] | None:
        """One record by id, or None; found without parsing the rest of a large file."""
        if record_id in self._changes:
            return self._changes[record_id]
        self._examine()
        if self._cache is not None:
            return self._cache.get(record_id)
        if record_id in self.invalid:
            return None
        if self.index is not None and not self._normalize:
            indexed = self.index.get(self, record_id)
            if indexed is not False:
                return indexed  # type: ignore[return-value]
        line = self._find_line(record_id)
        if line is None:
            return None
        record = parse_line(line)[1]
        return self._as_model_reads(record) if self._normalize else record

    def mark(self) -> Mark:
        """Where the table is now, to ask :meth:`changed_since` later (take it before
        reading)."""
        audit_at = audit_size(self.root)
        signature = self.version_on_disk()
        return Mark(signature, self.version_name(signature, *self.lock.peek_record()),
                    audit_at)

    @staticmethod
    def version_name(signature: Signature | None, written: str | None,
                     saved_by: str | None) -> str | None:
        """What the audit calls the file with this signature, given what its lock file says
        (it ``written`` by the save ``saved_by``): that save's ``tx``; for a file amtui wrote
        before it named its saves, its signature; :data:`NO_FILE` when there is none; None
        when amtui did not write it as it is."""
        if signature is None:
            return NO_FILE
        if written != _fingerprint_of(signature):
            return None
        return saved_by or "file {} {} {}".format(*signature)

    def changed_since(self, mark: Mark) -> list[str] | None:
        """The ids of the records saved (added, changed, removed) since ``mark``, read from
        the audit; None when the audit cannot say (see :mod:`amtui.storage.changes`): then
        read the table again."""
        signature = self.version_on_disk()
        if signature == mark.signature:
            return []
        if signature is None or mark.saved_by is None or mark.audit_at is None:
            return None
        last = self.version_name(signature, *self.lock.peek_record())
        if last is None:
            return None
        changed = audit_since(self.root, mark.audit_at, self.name, mark.saved_by, last)
        if changed is None or len(changed[0]) > CATCH_UP_MOST:
            return None
        return list(dict.fromkeys(changed[0]))

    def stored_many(self, record_ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        """Several records as the file holds them (None for those it does not), found in one
        pass over a large file; staged changes left out."""
        wanted = list(dict.fromkeys(record_ids))
        self._examine()
        if self._cache is not None:
            return {record_id: self._cache.get(record_id) for record_id in wanted}
        found: dict[str, dict[str, Any] | None] = dict.fromkeys(wanted)
        with self._open() as handle:
            if _signature(os.fstat(handle.fileno())) != self._signature:
                raise StorageError(_("{relative_name} keeps changing while it is read; try "
                                     "again").format(relative_name=self.relative_name))
            for record_id, (_start, line) in search_lines(handle, wanted).items():
                if record_id in self.invalid:
                    continue
                record = parse_line(line.rstrip(b"\n").removesuffix(b","))[1]
                found[record_id] = self._as_model_reads(record) if self._normalize else record
        return found

    def contains(self, record_id: str) -> bool:
        """Whether a record with this id is stored (or staged)."""
        if record_id in self._changes:
            return self._changes[record_id] is not None
        self._examine()
        if self._cache is not None:
            return record_id in self._cache
        return record_id not in self.invalid and self._find_line(record_id) is not None

    def count(self) -> int:
        """How many records the table holds, counted without parsing a large file."""
        self._examine()
        if self._changes:
            return sum(1 for _record in self.scan())
        if self._cache is not None:
            return len(self._cache)
        newlines = 0
        with self._open() as handle:
            while chunk := handle.read(_BLOCK):
                newlines += chunk.count(b"\n")
        return max(newlines - 1 - len(self.invalid), 0)

    def refresh(self) -> None:
        """Look at the file again if it changed on disk: its version, whether it is damaged."""
        self._examine()

    def count_where(self, field: str, value: str) -> int:
        """How many records have ``field`` equal to the string ``value`` (staged changes not
        included), counted in the file's bytes without parsing a large file."""
        self._examine()
        if self._cache is not None:
            return sum(1 for record in self._cache.values() if record.get(field) == value)
        pattern = orjson.dumps(field) + b":" + orjson.dumps(value)
        count = 0
        with self._open() as handle:
            carry = b""
            for block in _blocks_of(handle):
                window = carry + block
                count += window.count(pattern)
                # The tail that could begin a match cut by the block's end (too short to hold
                # a whole one, so nothing is counted twice).
                carry = window[-(len(pattern) - 1):]
        return count

    def changed_on_disk(self) -> bool:
        """Whether another process has saved the file since we last read it."""
        return self._stat_signature() != self._signature

    def version_on_disk(self) -> Signature | None:
        """The file as it is on disk now, (inode, size, mtime), or None if there is none:
        different after every save, by this process or another."""
        return self._stat_signature()

    # changing (inside a transaction)

    def insert(self, new_records: list[dict[str, Any]]) -> None:
        """Stage new records; their ids must not be stored yet (checked when written, so a
        quick capture never reads a large table). Each must be valid: a file amtui wrote is
        trusted when read."""
        self._check_locked()
        for record in new_records:
            checked_record(self.spec.model, record)
            record_id = record["id"]
            if record_id in self._changes and self._changes[record_id] is not None:
                raise InvalidRecord(_("a record with id {record_id} is already there").format(
                    record_id=record_id))
            self._changes[record_id] = record
            self._added.add(record_id)
            if claim_fresh(record_id):
                self._fresh.add(record_id)

    def put(self, record: dict[str, Any]) -> None:
        """Stage a new version of a record (or a record restored from the trash); it must be
        valid."""
        self._check_locked()
        self.check_writable()
        checked_record(self.spec.model, record)
        self._changes[record["id"]] = record
        self._added.discard(record["id"])
        self._fresh.discard(record["id"])

    def remove(self, record_id: str) -> None:
        self._check_locked()
        self.check_writable()
        self._changes[record_id] = None
        self._added.discard(record_id)
        self._fresh.discard(record_id)

    def has_changes(self) -> bool:
        """Whether changes are staged, to be written by :meth:`commit`."""
        return bool(self._changes)

    def _check_locked(self) -> None:
        if not self.lock.held:
            raise RuntimeError(f"{self.relative_name} changed outside a transaction")

    def check_writable(self) -> None:
        self._examine()
        if self.read_only_reason:
            raise ReadOnlyError(self.read_only_reason)

    def saved_by(self) -> str | None:
        """Under the lock: what the audit calls the file as it is now (see
        :meth:`version_name`)."""
        self._examine()
        return self.version_name(self._signature, self.lock.written(), self.lock.saved_by())

    def commit(self, tx: str | None = None, audit_end: AuditPlace | None = None) -> None:
        """Write staged changes: as edits of the changed lines when the file is as amtui wrote
        it, else by rewriting it record by record; either way atomically. ``tx``: the
        transaction's id in the audit, whose lines end at ``audit_end``."""
        if not self._changes:
            return
        try:
            self.check_writable()
            before = self._signature
            stat = self._patch_file()
            if stat is None:
                stat = atomic_write(
                    self.path, encoded_blocks(self.name, self.spec.version, self._merged()),
                    self.file_mode, within=self.root,
                )
        except BaseException:
            self.discard()
            raise
        changes = self._changes
        self._saved_as(stat, tx)
        if self.index is not None:
            self.index.saved(self, before, _signature(stat), changes, tx, audit_end)

    def _patch_file(self) -> os.stat_result | None:
        """Apply the staged changes as edits of the file; None if that cannot be done safely
        (the file is not as amtui wrote it, or too much changed)."""
        if (not self._lines or self._normalize or self._signature is None
                or self.changed_on_disk()):
            return None
        with self._open() as handle:
            edits = plan_edits(handle, self._signature[1], self._changes, self._added,
                               self._found, self._fresh)
        if edits is None:
            return None
        return atomic_patch(self.path, edits, self.file_mode, within=self.root)

    def _merged(self) -> Iterator[dict[str, Any]]:
        """The stored records with the staged changes, for a full rewrite; a new record whose
        id is stored already stops it (before the rename, so the file is left as it was)."""
        changes = self._changes
        seen: set[str] = set()
        for record in self._stored():
            record_id = record["id"]
            if record_id not in changes:
                yield record
                continue
            if record_id in self._added:
                raise InvalidRecord(_("a record with id {record_id} is already there").format(
                    record_id=record_id))
            seen.add(record_id)
            replacement = changes[record_id]
            if replacement is not None:
                yield replacement
        for record_id, staged in changes.items():
            if staged is not None and record_id not in seen:
                yield staged

    def _saved_as(self, stat: os.stat_result, tx: str | None = None) -> None:
        self.lock.record_written(_fingerprint(stat), tx)
        cache = self._cache
        if cache is not None and stat.st_size <= CACHE_BYTES:
            cache = dict(cache)  # never changed in place: other threads may be reading it
            for record_id, record in self._changes.items():
                if record is None:
                    cache.pop(record_id, None)
                else:
                    cache[record_id] = record
        else:
            cache = None
        self._changes, self._added, self._found, self._fresh = {}, set(), {}, set()
        self._cache = cache
        self._normalize = False
        self._signature = _signature(stat)
        self._lines, self._version, self._examined = True, self.spec.version, True
        if cache is None and stat.st_size <= CACHE_BYTES:
            self._examined = False  # read it back into the cache when next asked

    def discard(self) -> None:
        """Forget staged changes and cached data; the next read comes from disk."""
        self._changes, self._added, self._found, self._fresh = {}, set(), {}, set()
        self._cache = None
        self._signature = None
        self._examined = False

    # reading the file

    def _stat_signature(self) -> Signature | None:
        try:
            return _signature(self.path.stat())
        except FileNotFoundError:
            return None

    def _examine(self) -> None:
        """Bring what we know about the file up to date if it changed on disk; a damaged
        file is reported to whoever collects the damaged files read (see ``damage``)."""
        self._look_at_file()
        if self.damage and self.read_only_reason:
            note_damaged(self.relative_name, self.read_only_reason)

    def _look_at_file(self) -> None:
        signature = self._stat_signature()
        if self._examined and signature == self._signature:
            return
        self._cache, self._signature, self._examined = None, signature, True
        self._found = {}
        self.read_only_reason = self.damage = None
        self._version, self._lines = self.spec.version, False
        self.invalid, self._normalize = {}, False
        self.loaded = True
        if signature is None:
            self._cache = {}
            return
        try:
            with self._open() as handle:
                stat = os.fstat(handle.fileno())
                self._signature = _signature(stat)
                if stat.st_size > MAX_FILE_BYTES:
                    raise DamagedFile(_("it is {st_size} bytes, larger than any workspace").format(
                        st_size=stat.st_size))
                version = self._read_header(handle)
                trusted = self._written_by_amtui(stat)
                if version is None or stat.st_size <= CACHE_BYTES:
                    handle.seek(0)
                    self._version, self._cache = parse_table_file(handle.read(), self.name)
                    if not trusted and self._version == self.spec.version:
                        self._cache = self._valid_records(self._cache.values())
                elif not trusted and version == self.spec.version:
                    self._check_lines(handle)
                elif not trusted:
                    for _line in self._lines_of(handle):
                        pass  # check the file's shape once before trusting it
        except DamagedFile as damage:
            self._quarantine(str(damage))
            return
        except UnsafePathError as refusal:  # neither read nor copied: open empty, read-only
            self._cache, self._lines = {}, False
            self.damage = self.read_only_reason = str(refusal)
            return
        if self.invalid:
            first_id, first_problem = next(iter(self.invalid.items()))
            count = len(self.invalid)
            self._quarantine(
                f"{count} record{'s' if count > 1 else ''} in it {'are' if count > 1 else 'is'}"
                f" not valid (first {first_id[:40]!r}: {first_problem})", records_kept=True)
            return
        if self._version > self.spec.version:
            self.read_only_reason = (
                f"{self.relative_name} was written by a newer amtui (schema {self._version}; "
                f"this one knows {self.spec.version}); it is open read-only: upgrade amtui to "
                "change it"
            )
        elif self._version < self.spec.version:
            self._migrate()

    def _read_header(self, handle: BinaryIO) -> int | None:
        """The schema version from a file in line form (and notes that it is), else None."""
        version = _line_form_version(handle.readline(4096), self.name)
        if version is not None:
            self._lines, self._version = True, version
        return version

    def _written_by_amtui(self, stat: os.stat_result) -> bool:
        """Whether the lock file says amtui wrote the file exactly as it is now."""
        return self.lock.peek_written() == _fingerprint(stat)

    # records as the model reads them

    def _as_model_reads(self, record: dict[str, Any]) -> dict[str, Any] | None:
        """``record`` in the form amtui writes it (fields its model fills in added, values
        such as ``"rev": "3"`` made what the model says), unknown fields kept; None if the
        model does not accept it (noted in :attr:`invalid`)."""
        try:
            normal = checked_record(self.spec.model, record).model_dump(mode="json")
        except InvalidRecord as problem:
            self.invalid[record["id"]] = str(problem)
            return None
        if all(record.get(key, _MISSING) == value for key, value in normal.items()):
            return record
        return {**record, **normal}

    def _valid_records(self, records: Iterable[dict[str, Any]]) -> RawRecords:
        """The records the model accepts, by id, as it reads them."""
        valid = {}
        for record in records:
            checked = self._as_model_reads(record)
            if checked is not None:
                valid[checked["id"]] = checked
        return valid

    def _check_lines(self, handle: BinaryIO) -> None:
        """Check every record of a large file once (the file's shape and each record),
        noting the invalid ones; whether reads must then check each record again."""
        for _record_id, record in self._lines_of(handle):
            if self._as_model_reads(record) is not record:
                self._normalize = True

    def _stored(self) -> Iterator[dict[str, Any]]:
        """The records as the file holds them."""
        if self._cache is not None:
            yield from self._cache.values()
            return
        if self._signature is None:
            return
        for _attempt in range(5):
            handle = self._open()
            with handle:
                if _signature(os.fstat(handle.fileno())) != self._signature:
                    self._examine()  # replaced since we looked: look again, then read that
                    if self._cache is not None:
                        yield from self._cache.values()
                        return
                    continue
                handle.readline()
                try:
                    if self._normalize:
                        invalid = self.invalid
                        for record_id, record in self._lines_of(handle):
                            if record_id not in invalid:
                                normal = self._as_model_reads(record)
                                if normal is not None:
                                    yield normal
                        return
                    for _record_id, record in self._lines_of(handle):
                        yield record
                except DamagedFile as damage:
                    self._quarantine(str(damage))
                    raise StorageError(self.read_only_reason or str(damage)) from None
                return
        raise StorageError(_("{relative_name} keeps changing while it is read; try again").format(
            relative_name=self.relative_name))

    @staticmethod
    def _lines_of(handle: BinaryIO) -> Iterator[tuple[str, dict[str, Any]]]:
        """Parse the record lines that follow the header, checking the file's shape."""
        return record_lines(handle)

    def _find_line(self, record_id: str) -> bytes | None:
        """The line holding ``record_id`` (without comma and newline): where it was found
        last in this version of the file, else by searching the file."""
        with self._open() as handle:
            current = _signature(os.fstat(handle.fileno())) == self._signature
            found = confirmed_lines(handle, self._found, [record_id]) if current else {}
            if not found:
                found = search_lines(handle, [record_id])
                if current:
                    if len(self._found) > 64:
                        self._found = {}
                    self._found.update(found)
        if record_id not in found:
            return None
        return found[record_id][1].rstrip(b"\n").removesuffix(b",")

    def _open(self) -> BinaryIO:
        """The data file for reading, reached without following a link."""
        return open_data(self.root, self.path)

    def _quarantine(self, problem: str, records_kept: bool = False) -> None:
        """Keep a copy of a damaged file aside and open the table read-only; never overwrite.
        ``records_kept``: only some records are invalid, and the others can still be read."""
        if not records_kept:
            self._cache, self._lines, self._examined = {}, False, True
        self.damage = problem
        copy = ""
        try:
            with self._open() as source:
                digest = hashlib.sha256()
                for chunk in _blocks_of(source):
                    digest.update(chunk)
                target = self.root / "backups" / "quarantine" / (
                    f"{self.path.name}.{digest.hexdigest()[:12]}")
                if source.tell() and not _exists_in(self.root, target):
                    source.seek(0)
                    atomic_write(target, _blocks_of(source), self.file_mode, within=self.root)
            if _exists_in(self.root, target):
                copy = f"; a copy is kept at {target.relative_to(self.root)}"
        except UnsafePathError as error:
            copy = f"; no copy could be kept ({error})"
        except (OSError, StorageError):
            copy = ""
        restore = f"amtui doctor --restore {self.spec.relative_path.removesuffix('.json')}"
        if records_kept:
            self.read_only_reason = (
                f"{self.relative_name} is damaged: {problem}. They are not shown; the table "
                f"is open read-only and the file is left as it is{copy}. Correct them in the "
                f"file (`amtui doctor` lists them), or restore it with `{restore}` (latest "
                "backup)"
            )
        else:
            self.read_only_reason = (
                f"{self.relative_name} is damaged: {problem}. The table is open read-only and "
                f"the file is left as it is{copy}. Restore it with `{restore}` (latest "
                "backup) or move it aside to start the table empty"
            )
        note_damaged(self.relative_name, self.read_only_reason)

    def _migrate(self) -> None:
        """Bring an older file up to this version, under the lock, after a backup."""
        try:
            with self.lock:
                if self.changed_on_disk():
                    self._examined = False
                    self._examine()
                    return
                backup_snapshot(self.root, [self.spec.relative_path],
                                reason=f"before-migrating-{self.name}")
                records = self.records()
                for version in range(self._version, self.spec.version):
                    step = self.spec.migrations.get(version)
                    if step is None:
                        raise StorageError(
                            _("{file}: no migration from schema {version} to {next}").format(
                                file=self.relative_name, version=version, next=version + 1)
                        )
                    records = step(records)
                stat = atomic_write(
                    self.path, encoded_blocks(self.name, self.spec.version, records.values()),
                    self.file_mode, within=self.root,
                )
                self.lock.record_written(_fingerprint(stat))
                self._signature, self._version, self._lines = _signature(stat), \
                    self.spec.version, True
                self._cache = records if stat.st_size <= CACHE_BYTES else None
        except StorageError as error:
            self.read_only_reason = (
                f"{self.relative_name} uses schema {self._version} and could not be upgraded "
                f"to {self.spec.version} ({error}); it is open read-only"
            )


KEEP_SNAPSHOTS = 20
"""How many snapshots ``backups/`` keeps; older ones are removed, except those that hold the
last readable copy of a file."""
DAMAGED_SUFFIX = ".damaged"
"""A snapshot keeps a copy of a file that was damaged when it was taken under this suffix."""


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    damaged: dict[str, str]
    """Files (relative to ``data/``) that were damaged, with what is wrong: each kept in the
    snapshot as ``<name>.damaged``."""


def backup_snapshot(root: Path, files: Iterable[str], reason: str) -> Snapshot:
    """Copy data files (paths relative to ``data/``) into ``backups/<time>-<reason>/``, each
    checked: a damaged one is kept as ``<name>.damaged``, so that it never passes for a
    readable copy. Then prunes old snapshots, but never the one with the newest readable copy
    of a file."""
    mode = file_mode_for(root)
    folder = root / "backups" / f"{_next_stamp(root)}-{reason}"
    damaged = {}
    for relative in files:
        try:
            source = open_data(root, root / "data" / relative)
        except FileNotFoundError:
            continue
        with source:
            name = relative
            try:
                check_table_file(source, Path(relative).stem)
            except DamagedFile as damage:
                damaged[relative] = str(damage)
                name = relative + DAMAGED_SUFFIX
            source.seek(0)
            atomic_write(folder / name, _blocks_of(source), mode, within=root)
    _prune(root)
    return Snapshot(folder, damaged)


def _prune(root: Path) -> None:
    existing = snapshots(root)
    old = existing[:-KEEP_SNAPSHOTS]
    if not old:
        return
    keep: set[Path] = set()
    seen: set[str] = set()
    for snapshot in reversed(existing):
        for relative in readable_copies(root, snapshot):
            if relative not in seen:
                seen.add(relative)
                keep.add(snapshot)
    backups = open_folder(root, root / "backups")
    try:
        for snapshot in old:
            if snapshot not in keep:
                shutil.rmtree(snapshot.name, ignore_errors=True, dir_fd=backups)
    finally:
        os.close(backups)


def readable_copies(root: Path, snapshot: Path) -> list[str]:
    """The data files a snapshot holds a readable copy of, relative to its folder."""
    found = []
    for folder, _fd, entries in walk_folder(root, snapshot):
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and entry.name.endswith(".json"):
                found.append((folder / entry.name).relative_to(snapshot).as_posix())
    return found


def data_files(root: Path) -> list[str]:
    """Every data file in ``data/`` (plugins' folders included, registered or not), relative
    to ``data/``; a link there is refused."""
    data = root / "data"
    found = []
    for folder, _fd, entries in walk_folder(root, data):
        for entry in entries:
            path = folder / entry.name
            if entry.is_symlink():
                raise link_refused(path)
            if entry.is_file() and entry.name.endswith(".json") and not is_temp_file(entry.name):
                found.append(path.relative_to(data).as_posix())
    return sorted(found)


def check_table_file(handle: BinaryIO, table: str) -> None:
    """Raise DamagedFile saying what is wrong unless ``handle`` (at its start) holds a
    readable data file of ``table``; a file in line form is checked a record at a time."""
    if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
        raise DamagedFile(_("it is larger than any workspace"))
    if _line_form_version(handle.readline(4096), table) is not None:
        for _line in DataFile._lines_of(handle):
            pass
    else:
        handle.seek(0)
        parse_table_file(handle.read(), table)


def open_data(root: Path, path: Path) -> BinaryIO:
    """A workspace file for reading (a data file, a snapshot's copy), reached without
    following a link."""
    try:
        fd = open_in(root, path, os.O_RDONLY)
    except PermissionError:
        raise StorageError(_("cannot read {path}: permission denied").format(path=path)) from None
    return os.fdopen(fd, "rb")


def _exists_in(root: Path, path: Path) -> bool:
    """Whether something is at ``path`` inside ``root`` (a link counts, and is not followed)."""
    try:
        folder = open_folder(root, path.parent)
    except FileNotFoundError:
        return False
    try:
        os.stat(path.name, dir_fd=folder, follow_symlinks=False)
        return True
    except FileNotFoundError:
        return False
    finally:
        os.close(folder)


STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


def _next_stamp(root: Path) -> str:
    """The time for a new snapshot's name: now, or just after the newest snapshot if the clock
    says otherwise (it was set back, or stands still), so that names sort in the order made."""
    moment = clock_now()
    existing = snapshots(root)
    if existing:
        try:
            newest = datetime.strptime(existing[-1].name[:22], STAMP_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            newest = None
        if newest is not None and moment <= newest:
            moment = newest + timedelta(microseconds=1)
    return moment.strftime(STAMP_FORMAT)


def snapshots(root: Path) -> list[Path]:
    """Snapshot folders in ``backups/``, oldest first (a link there is no snapshot)."""
    try:
        fd = open_folder(root, root / "backups")
    except FileNotFoundError:
        return []
    try:
        with os.scandir(fd) as listing:
            names = sorted(entry.name for entry in listing
                           if entry.is_dir(follow_symlinks=False) and entry.name[:1].isdigit())
    finally:
        os.close(fd)
    return [root / "backups" / name for name in names]


def _blocks_of(handle: BinaryIO) -> Iterator[bytes]:
    while block := handle.read(_BLOCK):
        yield block


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _fingerprint(stat: os.stat_result) -> str:
    """The signature of a data file as text, as its lock file records it, with the version of
    the rules its records were checked by."""
    return _fingerprint_of(_signature(stat))


def _fingerprint_of(signature: Signature) -> str:
    return "written {} {} {} rules {}".format(*signature, RECORD_RULES)
