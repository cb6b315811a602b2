"""Check a workspace's files and say what is wrong; put a damaged file back from a backup."""

from __future__ import annotations

import os
from dataclasses import dataclass

import orjson

from amtui.storage import StorageError, Workspace
from amtui.storage.datafile import (
    DamagedFile,
    checked_record,
    parse_table_file,
    read_table_file,
    snapshots,
)
from amtui.storage.errors import InvalidRecord, RecordNotFound
from amtui.storage.files import atomic_write, is_temp_file
from amtui.storage.workspace import AUDIT_NAME


@dataclass
class Finding:
    level: str
    """"ok", "note" or "problem"."""
    text: str


SHOWN_INVALID = 20
"""Invalid records listed per file; the rest are counted."""


def check_workspace(workspace: Workspace) -> list[Finding]:
    findings: list[Finding] = []
    known_ids: dict[str, set[str] | None] = {}
    for name in workspace.table_names:
        findings.extend(_check_table(workspace, name, known_ids))
    for folder, _subfolders, names in os.walk(workspace.root / "data"):
        for name in names:
            if is_temp_file(name):
                findings.append(Finding("note", f"leftover temp file {os.path.join(folder, name)}"
                                        " (removed at the next start if no save owns it)"))
    findings.extend(_check_audit(workspace))
    if not os.access(workspace.root / "data", os.W_OK):
        findings.append(Finding("note", "data/ is not writable for this user: read-only"))
    return findings


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
        with open(data_file.path, "rb") as handle:
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
        return [Finding("ok", f"{label}: no records yet")]
    except DamagedFile as damage:
        return [Finding("problem", f"{label}: {damage}; restore it with `{restore}`")]
    except OSError as error:
        return [Finding("problem", f"{label}: cannot be read ({error.strerror})")]
    findings = []
    if version > data_file.spec.version:
        findings.append(Finding("problem", f"{label}: schema {version} is newer than this "
                                f"amtui knows ({data_file.spec.version}); read-only"))
    if invalid_count:
        findings.append(Finding(
            "problem", f"{label}: {invalid_count} invalid record(s), left out of every view "
            f"and keeping the table read-only; correct them in the file or restore it with "
            f"`{restore}`"))
        for record_id, problem in invalid:
            findings.append(Finding("problem", f"{label}: record {record_id[:40]!r}: {problem}"))
        if invalid_count > len(invalid):
            findings.append(Finding("problem", f"{label}: … and {invalid_count - len(invalid)} "
                                    "more invalid record(s)"))
    for field, (count, first) in dangling.items():
        table = model.references[field]
        findings.append(Finding("note", f"{label}: {count} record(s) point to a missing "
                                f"{table} record through {field} (first {first})"))
    if not findings:
        findings.append(Finding("ok", f"{label}: {records:,} records, schema {version}"))
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
        with open(path, "rb") as handle:
            for line in handle:  # a line at a time: the log only grows
                lines += 1
                try:
                    orjson.loads(line)
                except orjson.JSONDecodeError:
                    bad += 1
    except FileNotFoundError:
        return []
    except OSError as error:
        return [Finding("note", f"{AUDIT_NAME}: cannot be read ({error.strerror})")]
    if bad:
        return [Finding("note", f"{AUDIT_NAME}: {bad} unreadable line(s) of {lines}")]
    return [Finding("ok", f"{AUDIT_NAME}: {lines:,} entries")]


def restore_table(workspace: Workspace, name: str) -> str:
    """Replace a table's file with its copy in the newest backup that has a readable one.

    The current file, damaged or not, is first kept in ``backups/quarantine/``.
    """
    if name not in workspace.table_names:
        raise RecordNotFound(f"no table named {name!r} ({', '.join(workspace.table_names)})")
    data_file = workspace.file(name)
    for snapshot in reversed(snapshots(workspace.root)):
        candidate = snapshot / data_file.spec.relative_path
        try:
            content = candidate.read_bytes()
            parse_table_file(content, name)
        except (OSError, DamagedFile):
            continue
        with data_file.lock:
            if data_file.path.exists():
                workspace.backup(reason=f"before-restoring-{name}")
            atomic_write(data_file.path, content, workspace.file_mode)
            data_file.discard()
        return str(snapshot.relative_to(workspace.root))
    raise StorageError(f"no backup in {workspace.root / 'backups'} has a readable {name} file")
