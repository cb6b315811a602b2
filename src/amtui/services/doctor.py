"""Check a workspace's files and say what is wrong; put a damaged file back from a backup."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from amtui.models import describe_validation_error
from amtui.storage import StorageError, Workspace
from amtui.storage.datafile import (
    DamagedFile,
    check_table_file,
    data_files,
    open_data,
    parse_table_file,
    readable_copies,
    snapshots,
)
from amtui.storage.errors import RecordNotFound
from amtui.storage.files import atomic_write, is_temp_file, walk_folder
from amtui.storage.locks import FileLock
from amtui.storage.workspace import AUDIT_NAME


@dataclass
class Finding:
    level: str
    """"ok", "note" or "problem"."""
    text: str


def check_workspace(workspace: Workspace) -> list[Finding]:
    findings: list[Finding] = _check_links(workspace)
    if findings:
        return findings  # reading on could mean following one of them
    for name in workspace.table_names:
        findings.extend(_check_table(workspace, name))
    findings.extend(_check_unknown_tables(workspace))
    for folder, _subfolders, names in os.walk(workspace.root / "data"):
        for name in names:
            if is_temp_file(name):
                findings.append(Finding("note", f"leftover temp file {os.path.join(folder, name)}"
                                        " (removed at the next start if no save owns it)"))
    findings.extend(_check_audit(workspace))
    findings.extend(_check_audit_covers_records(workspace))
    if not os.access(workspace.root / "data", os.W_OK):
        findings.append(Finding("note", "data/ is not writable for this user: read-only"))
    return findings


def _check_table(workspace: Workspace, name: str) -> list[Finding]:
    data_file = workspace.file(name)
    label = data_file.relative_name
    try:
        content = data_file.path.read_bytes()
    except FileNotFoundError:
        return [Finding("ok", f"{label}: no records yet")]
    except OSError as error:
        return [Finding("problem", f"{label}: cannot be read ({error.strerror})")]
    try:
        version, records = parse_table_file(content, name)
    except DamagedFile as damage:
        return [Finding("problem", f"{label}: {damage}; restore it with "
                        f"`amtui doctor --restore {name}`")]
    findings = []
    if version > data_file.spec.version:
        findings.append(Finding("problem", f"{label}: schema {version} is newer than this "
                                f"amtui knows ({data_file.spec.version}); read-only"))
    invalid = 0
    first_problem = ""
    model = data_file.spec.model
    for record in records.values():
        try:
            model.model_validate(record)
        except ValidationError as error:
            invalid += 1
            first_problem = first_problem or (f"{record.get('id')}: "
                                              f"{describe_validation_error(error)}")
    if invalid:
        findings.append(Finding("problem", f"{label}: {invalid} invalid record(s), first "
                                f"{first_problem}"))
    for field, table in model.references.items():
        known = {raw["id"] for raw in workspace.file(table).scan()}
        dangling = [r["id"] for r in records.values() if r.get(field) and r[field] not in known]
        if dangling:
            findings.append(Finding("note", f"{label}: {len(dangling)} record(s) point to a "
                                    f"missing {table} record through {field} (first "
                                    f"{dangling[0]})"))
    if not findings:
        findings.append(Finding("ok", f"{label}: {len(records):,} records, schema {version}"))
    return findings


def _check_audit(workspace: Workspace) -> list[Finding]:
    path = workspace.root / AUDIT_NAME
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return []
    bad = 0
    for line in lines:
        try:
            orjson.loads(line)
        except orjson.JSONDecodeError:
            bad += 1
    if bad:
        return [Finding("note", f"{AUDIT_NAME}: {bad} unreadable line(s) of {len(lines)}")]
    return [Finding("ok", f"{AUDIT_NAME}: {len(lines):,} entries")]


def _check_links(workspace: Workspace) -> list[Finding]:
    """Links anywhere in the workspace: amtui refuses to follow them, so each is a problem."""
    findings = []
    for folder, _fd, entries in walk_folder(workspace.root, workspace.root):
        for entry in entries:
            if entry.is_symlink():
                findings.append(Finding("problem", f"{folder / entry.name} is a symbolic link; "
                                        "amtui follows no link inside a workspace: put the real "
                                        "file or folder there, or remove the link"))
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
            findings.append(Finding("problem", f"{label}: {damage}; restore it with `amtui "
                                    f"doctor --restore {relative.removesuffix('.json')}`"))
        except (OSError, StorageError) as error:
            findings.append(Finding("problem", f"{label}: cannot be read ({error})"))
        else:
            findings.append(Finding("note", f"{label}: readable; no plugin loaded now knows "
                                    "this table, so its records were not checked"))
    return findings


def _check_audit_covers_records(workspace: Workspace) -> list[Finding]:
    """Every stored revision of a record should have its audit line (written before the data
    file, see docs/data-format.md); a logged change missing from the data was not saved.
    Memory follows the number of records, not the length of the log."""
    stored: dict[tuple[str, str], Any] = {}
    for name in workspace.table_names:
        try:
            stored.update({(name, record["id"]): record.get("rev")
                           for record in workspace.file(name).scan()})
        except StorageError:
            continue  # damaged: said above
    covered: set[tuple[str, str]] = set()
    last: dict[tuple[str, str], int | None] = {}
    for entry in _audit_entries(workspace):
        key = (str(entry.get("table")), str(entry.get("id")))
        if "rev" not in entry:
            covered.add(key)  # logged by an amtui that did not log revisions: not judged
            continue
        rev = entry["rev"] if isinstance(entry["rev"], int) else None
        if rev is not None and stored.get(key) == rev:
            covered.add(key)
        last[key] = rev
    findings = []
    missing: dict[str, list[tuple[str, Any]]] = {}
    for (table, record_id), rev in stored.items():
        if (table, record_id) not in covered:
            missing.setdefault(table, []).append((record_id, rev))
    for table, records in missing.items():
        first_id, first_rev = records[0]
        findings.append(Finding(
            "problem", f"{workspace.file(table).relative_name}: {len(records)} record(s) have "
            f"no audit entry for their revision (first {first_id} rev {first_rev}): changed "
            "without amtui's audit log (by hand, by another program, or by an older amtui "
            "stopped mid-save)"))
    unsaved = Counter(table for (table, record_id), rev in last.items()
                      if workspace.table_spec(table) is not None
                      and _not_saved(rev, stored.get((table, record_id))))
    if unsaved:
        tables = ", ".join(f"{count} in {table}" for table, count in sorted(unsaved.items()))
        findings.append(Finding("note", f"{AUDIT_NAME}: {sum(unsaved.values())} logged change(s) "
                                f"were not saved ({tables}): a save that failed or was "
                                "stopped; the data is as it was before each of them"))
    return findings


def _not_saved(logged: int | None, stored: int | None) -> bool:
    """Whether a record's last logged change is missing from the data: a removal of a record
    that is still there, or a revision newer than the stored one."""
    if logged is None:
        return stored is not None
    return not isinstance(stored, int) or stored < logged


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
    raise StorageError(f"no backup in {root / 'backups'} has a readable data/{relative}")


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
    raise RecordNotFound(f"no table named {name!r} ({', '.join(names)})")

