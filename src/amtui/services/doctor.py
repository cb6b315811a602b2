"""Check a workspace's files and say what is wrong; put a damaged file back from a backup."""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from amtui.i18n import N_, _, ngettext
from amtui.money import format_number
from amtui.storage import StorageError, Workspace
from amtui.storage.datafile import (
    DamagedFile,
    check_table_file,
    checked_record,
    data_files,
    open_data,
    read_table_file,
    readable_copies,
    snapshots,
)
from amtui.storage.errors import InvalidRecord, RecordNotFound
from amtui.storage.files import atomic_write, is_temp_file, walk_folder
from amtui.storage.index import INDEXED_TABLES
from amtui.storage.locks import FileLock
from amtui.storage.workspace import AUDIT_NAME


@dataclass
class Finding:
    level: str
    """"ok", "note" or "problem": the same in every language."""
    text: str

    @property
    def level_shown(self) -> str:
        """The level in the language in use."""
        return _(LEVELS[self.level])


LEVELS = {"ok": N_("ok"), "note": N_("note"), "problem": N_("problem")}
"""Each finding's level, as a reader sees it."""


SHOWN_INVALID = 20
"""Invalid records listed per file; the rest are counted."""


def check_workspace(workspace: Workspace) -> list[Finding]:
    if workspace.settings.store.backend != "files":
        raise StorageError(_("{what} does not work on a PostgreSQL workspace yet").format(
            what="amtui doctor"))
    findings: list[Finding] = _check_links(workspace)
    if findings:
        return findings  # reading on could mean following one of them
    known_ids: dict[str, set[str] | None] = {}
    for name in workspace.table_names:
        findings.extend(_check_table(workspace, name, known_ids))
    findings.extend(_check_unknown_tables(workspace))
    for folder, _subfolders, names in os.walk(workspace.root / "data"):
        for name in names:
            if is_temp_file(name):
                findings.append(Finding("note", _(
                    "leftover temp file {path} (removed at the next start if no save owns it)"
                ).format(path=os.path.join(folder, name))))
    findings.extend(_check_audit(workspace))
    findings.extend(_check_audit_covers_records(workspace))
    findings.extend(_check_index(workspace))
    if not os.access(workspace.root / "data", os.W_OK):
        findings.append(Finding("note", _("data/ is not writable for this user: read-only")))
    return findings


def _check_index(workspace: Workspace) -> list[Finding]:
    """Bring the record index up to date: the tables Today and the card ask, and any other
    it holds a copy of (a plugin's); it is made again from the data files whenever they
    changed without it."""
    index = workspace.index
    wanted = {*INDEXED_TABLES, *index.copied()}
    names = [name for name in workspace.table_names if name in wanted]
    files = [workspace.file(name) for name in names]
    if any(data_file.read_only_reason for data_file in files):
        return []  # said for each damaged file above; the index follows once it is mended
    rebuilt = index.renew(*files)
    where = index.location + (_(", for this run only") if index.temporary else "")
    if rebuilt:  # nothing is wrong: the index is made from the files whenever needed
        return [Finding("ok", _("record index of {tables} brought up to date from the data "
                                "files ({where})").format(tables=", ".join(rebuilt),
                                                          where=where))]
    return [Finding("ok", _("record index up to date ({where})").format(where=where))]


def _check_table(workspace: Workspace, name: str,
                 known_ids: dict[str, set[str] | None]) -> list[Finding]:
    """Check one table's file record by record (a large file is never held in memory)."""
    data_file = workspace.file(name)
    label = data_file.relative_name
    restore = f"amtui doctor --restore {data_file.spec.relative_path.removesuffix('.json')}"
    model = data_file.spec.model
    invalid: list[tuple[str, str]] = []
    invalid_count = records = 0
    dangling: dict[str, tuple[int, str]] = {}
    try:
        with open_data(workspace.root, data_file.path) as handle:
            version, stream = read_table_file(handle, data_file.spec.name)
            current = version == data_file.spec.version
            references = {field: known for field, table in model.references.items()
                          if (known := _ids_of(workspace, table, known_ids)) is not None}
            for record_id, record in stream:
                records += 1
                if current:
                    try:
                        checked_record(model, record)
                    except InvalidRecord as problem:
                        invalid_count += 1
                        if len(invalid) < SHOWN_INVALID:
                            invalid.append((record_id, str(problem)))
                for field, known in references.items():
                    value = record.get(field)
                    if value and value not in known:
                        count, first = dangling.get(field, (0, record_id))
                        dangling[field] = (count + 1, first)
    except FileNotFoundError:
        return [Finding("ok", _("{file}: no records yet").format(file=label))]
    except DamagedFile as damage:
        return [Finding("problem", _("{file}: {problem}; restore it with `{command}`").format(
            file=label, problem=damage, command=restore))]
    except OSError as error:
        return [Finding("problem", _("{file}: cannot be read ({reason})").format(
            file=label, reason=error.strerror))]
    except StorageError as error:  # a link, no permission
        return [Finding("problem", f"{label}: {error}")]
    findings = []
    if version > data_file.spec.version:
        findings.append(Finding("problem", _(
            "{file}: schema {version} is newer than this amtui knows ({known}); read-only"
        ).format(file=label, version=version, known=data_file.spec.version)))
    if invalid_count:
        findings.append(Finding("problem", ngettext(
            "{file}: {count} invalid record, left out of every view and keeping the table "
            "read-only; correct it in the file or restore it with `{command}`",
            "{file}: {count} invalid records, left out of every view and keeping the table "
            "read-only; correct them in the file or restore it with `{command}`",
            invalid_count).format(file=label, count=invalid_count, command=restore)))
        for record_id, problem in invalid:
            findings.append(Finding("problem", _("{file}: record {id}: {problem}").format(
                file=label, id=repr(record_id[:40]), problem=problem)))
        if invalid_count > len(invalid):
            more = invalid_count - len(invalid)
            findings.append(Finding("problem", ngettext(
                "{file}: … and {count} more invalid record", "{file}: … and {count} more "
                "invalid records", more).format(file=label, count=more)))
    for field, (count, first) in dangling.items():
        table = model.references[field]
        findings.append(Finding("note", ngettext(
            "{file}: {count} record points to a missing {table} record through {field} "
            "(first {first})",
            "{file}: {count} records point to a missing {table} record through {field} "
            "(first {first})", count).format(
                file=label, count=count, table=table, field=field, first=first)))
    if not findings:
        findings.append(Finding("ok", ngettext(
            "{file}: {count} record, schema {version}",
            "{file}: {count} records, schema {version}", records).format(
                file=label, count=format_number(records), version=version)))
    return findings


def _ids_of(workspace: Workspace, table: str,
            known_ids: dict[str, set[str] | None]) -> set[str] | None:
    """The ids stored in ``table`` (read once per check); None if its file is damaged (it is
    reported on its own, and what points into it cannot be checked)."""
    if table not in known_ids:
        data_file = workspace.file(table)
        try:
            data_file.refresh()
            unreadable = data_file.damage and not data_file.invalid
            known_ids[table] = (None if unreadable else
                                {raw["id"] for raw in data_file.scan()} | set(data_file.invalid))
        except StorageError:
            known_ids[table] = None
    return known_ids[table]


def _check_audit(workspace: Workspace) -> list[Finding]:
    path = workspace.root / AUDIT_NAME
    bad = lines = 0
    try:
        with open_data(workspace.root, path) as handle:
            for line in handle:  # a line at a time: the log only grows
                lines += 1
                try:
                    orjson.loads(line)
                except orjson.JSONDecodeError:
                    bad += 1
    except FileNotFoundError:
        return []
    except OSError as error:
        return [Finding("note", _("{file}: cannot be read ({reason})").format(
            file=AUDIT_NAME, reason=error.strerror))]
    except StorageError as error:
        return [Finding("note", f"{AUDIT_NAME}: {error}")]
    if bad:
        return [Finding("note", ngettext(
            "{file}: {count} unreadable line of {lines}",
            "{file}: {count} unreadable lines of {lines}", bad).format(
                file=AUDIT_NAME, count=bad, lines=lines))]
    return [Finding("ok", ngettext("{file}: {count} entry", "{file}: {count} entries",
                                   lines).format(file=AUDIT_NAME, count=format_number(lines)))]


def _check_links(workspace: Workspace) -> list[Finding]:
    """Links anywhere in the workspace: amtui refuses to follow them, so each is a problem."""
    findings = []
    for folder, _fd, entries in walk_folder(workspace.root, workspace.root):
        for entry in entries:
            if entry.is_symlink():
                findings.append(Finding("problem", _(
                    "{path} is a symbolic link; amtui follows no link inside a workspace: put "
                    "the real file or folder there, or remove the link").format(
                        path=folder / entry.name)))
    return findings


def _check_unknown_tables(workspace: Workspace) -> list[Finding]:
    """Data files of no table known now (a plugin that is not loaded): is each readable?"""
    known = {workspace.file(name).spec.relative_path for name in workspace.table_names}
    findings = []
    for relative in data_files(workspace.root):
        if relative in known:
            continue
        label = f"data/{relative}"
        try:
            with open_data(workspace.root, workspace.root / "data" / relative) as handle:
                check_table_file(handle, Path(relative).stem)
        except DamagedFile as damage:
            command = f"amtui doctor --restore {relative.removesuffix('.json')}"
            findings.append(Finding("problem", _(
                "{file}: {problem}; restore it with `{command}`").format(
                    file=label, problem=damage, command=command)))
        except (OSError, StorageError) as error:
            findings.append(Finding("problem", _("{file}: cannot be read ({reason})").format(
                file=label, reason=error)))
        else:
            findings.append(Finding("note", _(
                "{file}: readable; no plugin loaded now knows this table, so its records were "
                "not checked").format(file=label)))
    return findings


NO_REV = -1
"""A stored record's revision that is not a whole number (it cannot have an audit line)."""


class _Revisions:
    """The stored revision of each record of one table, by the hash of its id, in two sorted
    arrays (16 bytes a record). A revision is made negative (``-rev - 2``) once its audit line
    is seen."""

    def __init__(self, records: Callable[[], Iterator[dict[str, Any]]]) -> None:
        self.hashes = array("q", sorted(hash(record["id"]) for record in records()))
        self.states = array("q", bytes(8 * len(self.hashes)))
        for record in records():
            self.states[self._index(hash(record["id"]))] = _whole(record.get("rev"))

    def _index(self, key: int) -> int:
        index = bisect_left(self.hashes, key)
        return index if index < len(self.hashes) and self.hashes[index] == key else -1

    def get(self, key: int) -> int | None:
        index = self._index(key)
        return None if index < 0 else self.states[index]

    def cover(self, key: int) -> None:
        index = self._index(key)
        if index >= 0 and self.states[index] >= 0:
            self.states[index] = -self.states[index] - 2

    def uncovered(self) -> int:
        return sum(1 for state in self.states if state >= NO_REV)


def _check_audit_covers_records(workspace: Workspace) -> list[Finding]:
    """Every stored revision of a record should have its audit line (written before the data
    file, see docs/data-format.md); a logged change missing from the data was not saved.
    Memory follows the number of records (16 bytes each), not the length of the log; what is
    logged but not stored is kept only while it stays so (normally nothing)."""
    stored: dict[str, _Revisions] = {}
    for name in workspace.table_names:
        try:
            stored[name] = _Revisions(workspace.file(name).scan)
        except StorageError:
            continue  # damaged: said above
    ahead: set[tuple[str, int]] = set()
    """Records whose last logged change is not in the data: a newer revision, a removal of a
    record still there, or an addition of one that is not."""
    for entry in _audit_entries(workspace):
        table = str(entry.get("table"))
        revisions = stored.get(table)
        if revisions is None:
            continue  # a table not known now (a plugin not loaded)
        key = hash(str(entry.get("id")))
        if "rev" not in entry:  # logged by an amtui that did not log revisions: not judged
            revisions.cover(key)
            continue
        state = revisions.get(key)
        stored_rev = None if state is None else (state if state >= NO_REV else -state - 2)
        rev = entry["rev"] if isinstance(entry["rev"], int) else None
        if rev is not None and rev == state:
            revisions.cover(key)
        if _not_saved(rev, stored_rev):
            ahead.add((table, key))
        else:
            ahead.discard((table, key))
    findings = []
    for table, revisions in stored.items():
        missing = revisions.uncovered()
        if not missing:
            continue
        first_id, first_rev = next(
            (record["id"], record.get("rev")) for record in workspace.file(table).scan()
            if (revisions.get(hash(record["id"])) or 0) >= NO_REV)
        findings.append(Finding("problem", ngettext(
            "{file}: {count} record has no audit entry for its revision (first {id} rev "
            "{rev}): changed without amtui's audit log (by hand, by another program, or by an "
            "older amtui stopped mid-save)",
            "{file}: {count} records have no audit entry for their revision (first {id} rev "
            "{rev}): changed without amtui's audit log (by hand, by another program, or by an "
            "older amtui stopped mid-save)", missing).format(
                file=workspace.file(table).relative_name, count=missing, id=first_id,
                rev=first_rev)))
    unsaved = Counter(table for table, _key in ahead)
    if unsaved:
        total = sum(unsaved.values())
        tables = ", ".join(_("{count} in {table}").format(count=count, table=table)
                           for table, count in sorted(unsaved.items()))
        findings.append(Finding("note", ngettext(
            "{file}: {count} logged change was not saved ({tables}): a save that failed or "
            "was stopped; the data is as it was before it",
            "{file}: {count} logged changes were not saved ({tables}): a save that failed or "
            "was stopped; the data is as it was before each of them", total).format(
                file=AUDIT_NAME, count=total, tables=tables)))
    return findings


def _whole(rev: Any) -> int:
    """A stored revision as kept by the check: a whole number from 0, else NO_REV."""
    return rev if isinstance(rev, int) and not isinstance(rev, bool) and rev >= 0 else NO_REV


def _not_saved(logged: int | None, stored: int | None) -> bool:
    """Whether a record's last logged change is missing from the data: a removal of a record
    that is still there, or a revision newer than the stored one."""
    if logged is None:
        return stored is not None
    return stored is None or stored == NO_REV or stored < logged


def _audit_entries(workspace: Workspace) -> Iterator[dict[str, Any]]:
    """The audit log's readable entries, read a line at a time."""
    try:
        handle = open_data(workspace.root, workspace.root / AUDIT_NAME)
    except (OSError, StorageError):
        return
    with handle:
        for line in handle:
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(entry, dict):
                yield entry


def restore_table(workspace: Workspace, name: str) -> tuple[str, str]:
    """Replace a table's file with its copy in the newest backup that has a readable one.
    ``name``: a table (``tasks``, ``posts``) or a data file's path (``smm_calendar/posts``).
    Returns the file and the snapshot it came from, relative to the workspace.

    The current file, damaged or not, is first kept in a snapshot.
    """
    relative = _data_file_named(workspace, name)
    spec_name = next((table for table in workspace.table_names
                      if workspace.file(table).spec.relative_path == relative), None)
    root = workspace.root
    for snapshot in reversed(snapshots(root)):
        try:
            with open_data(root, snapshot / relative) as handle:
                check_table_file(handle, Path(relative).stem)
                handle.seek(0)
                content = handle.read()
        except (FileNotFoundError, DamagedFile):
            continue
        data_file = workspace.file(spec_name) if spec_name else None
        lock = data_file.lock if data_file else FileLock(
            root / ".locks" / f"{relative}.lock", workspace.file_mode, root=root)
        with lock:
            workspace.backup(reason=f"before-restoring-{Path(relative).stem}")
            atomic_write(root / "data" / relative, content, workspace.file_mode, within=root)
            if data_file:
                data_file.discard()
        return f"data/{relative}", str(snapshot.relative_to(root))
    raise StorageError(_("no backup in {value} has a readable data/{relative}").format(
        value=root / 'backups', relative=relative))


def _data_file_named(workspace: Workspace, name: str) -> str:
    """The data file (relative to ``data/``) of a table named by name or path."""
    spec = workspace.table_spec(name)
    if spec is not None:
        return spec.relative_path
    relative = name.removeprefix("data/").removesuffix(".json") + ".json"
    known = set(data_files(workspace.root))
    for snapshot in snapshots(workspace.root):
        known.update(readable_copies(workspace.root, snapshot))
    if relative in known and ".." not in Path(relative).parts:
        return relative
    names = sorted({*workspace.table_names,
                    *(path.removesuffix(".json") for path in known if "/" in path)})
    raise RecordNotFound(_("no table named {name!r} ({names})").format(
        name=name, names=", ".join(names)))

