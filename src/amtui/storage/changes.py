"""What changed in a table since a moment one knows: read from the audit, not the file.

Each audit line names the save (``after``, a ``tx``) that wrote the table's file it changed,
when amtui wrote it as it was, and each lock file the save that wrote its data file last. So
from a version of a file that amtui wrote (a :class:`Mark`) to the one on disk, the saves in
between can be followed in the audit, one after the other, and the records they changed are
the ones to read again. When they cannot (an editor, a restored backup, a migration, a save
that failed half-way, too much written since), the answer is None: read everything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import orjson

from amtui.storage.errors import StorageError

NO_FILE = "-"
"""What an audit line's ``after`` (and a mark) says of a table whose file was not there yet."""

CATCH_UP_MOST = 2000
"""More records changed than this since a copy was made: it is made again from the file."""
CATCH_UP_BYTES = 16 * 1024**2
"""More audit than this written since a copy was made: it is made again from the file."""


AuditPlace = tuple[int, int]
"""A place in the audit: the file's inode and an offset (a line's start) in it."""


def audit_size(root: Path) -> AuditPlace | None:
    """Where the audit ends now (None if it cannot be read)."""
    # cycle: datafile and workspace import this module
    from amtui.storage.datafile import open_data
    from amtui.storage.workspace import AUDIT_NAME

    try:
        with open_data(root, root / AUDIT_NAME) as handle:
            status = os.fstat(handle.fileno())
            return status.st_ino, status.st_size
    except FileNotFoundError:
        return 0, 0
    except (OSError, StorageError):
        return None


def audit_since(root: Path, start: AuditPlace, table: str, saved_by: str,
                last: str) -> tuple[list[str], AuditPlace] | None:
    """The ids of ``table`` the saves after ``start`` in the audit changed, and where they
    end: if the saves to ``table`` there follow each other from the one that wrote
    ``saved_by``'s version to ``last`` with no gap (each names the transaction that wrote
    the file it changed) and each is read from its first line. None when they do not, or
    when the audit cannot be read, was replaced, or is shorter than ``start`` (lines of a
    save that failed are taken back)."""
    # cycle: datafile and workspace import this module
    from amtui.storage.datafile import open_data
    from amtui.storage.workspace import AUDIT_NAME

    inode, offset = start
    try:
        with open_data(root, root / AUDIT_NAME) as handle:
            status = os.fstat(handle.fileno())
            if (inode and status.st_ino != inode) or status.st_size < offset \
                    or status.st_size - offset > CATCH_UP_BYTES:
                return None
            handle.seek(max(offset - 1, 0))
            tail = handle.read(status.st_size - max(offset - 1, 0))
    except FileNotFoundError:
        return None if offset else ([], start)
    except (OSError, StorageError):
        return None
    if offset:
        if tail[:1] != b"\n":  # not where a line starts
            return None
        tail = tail[1:]
    ids: list[str] = []
    follows, reached = saved_by, (status.st_ino, offset)
    if follows == last:
        return ids, reached
    begun: set[str] = set()
    """Saves whose first line is after ``start``: only those are read whole."""
    for line in tail.split(b"\n")[:-1]:  # a torn last line is not read
        offset += len(line) + 1
        try:
            change = orjson.loads(line)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(change, dict):
            return None
        tx = change.get("tx")
        if change.get("n") == 0 and isinstance(tx, str):
            begun.add(tx)
        if change.get("table") != table:
            continue
        if tx != follows:  # the first line of the next save to this table
            if follows == last:
                break  # a save under way (its file not written yet): caught up with the rest
            if change.get("after") != follows or tx not in begun:
                return None
            follows = tx
        ids.append(str(change.get("id")))
        reached = (status.st_ino, offset)
    return (ids, reached) if follows == last else None


@dataclass(frozen=True)
class Mark:
    """Where a table was when it was read: its file's signature (inode, size, modification
    time), the save that wrote it (if amtui did, as it is), and how long the audit was."""

    signature: tuple[int, int, int] | None
    saved_by: str | None
    audit_at: AuditPlace | None
