"""Check a workspace's files and say what is wrong; put a damaged file back from a backup."""

from __future__ import annotations

import os
from dataclasses import dataclass

import orjson
from pydantic import ValidationError

from amtui.models import describe_validation_error
from amtui.storage import StorageError, Workspace
from amtui.storage.datafile import DamagedFile, parse_table_file, snapshots
from amtui.storage.errors import RecordNotFound
from amtui.storage.files import atomic_write, is_temp_file
from amtui.storage.workspace import AUDIT_NAME


@dataclass
class Finding:
    level: str
    """"ok", "note" or "problem"."""
    text: str


def check_workspace(workspace: Workspace) -> list[Finding]:
    findings: list[Finding] = []
    for name in workspace.table_names:
        findings.extend(_check_table(workspace, name))
    for folder, _subfolders, names in os.walk(workspace.root / "data"):
        for name in names:
            if is_temp_file(name):
                findings.append(Finding("note", f"leftover temp file {os.path.join(folder, name)}"
                                        " (removed at the next start if no save owns it)"))
    findings.extend(_check_audit(workspace))
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
