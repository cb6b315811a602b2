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


def audit_size(root: Path) -> int | None:
    """How long the audit is now (None if it cannot be read)."""
    # cycle: datafile and workspace import this module
    from amtui.storage.datafile import open_data
    from amtui.storage.workspace import AUDIT_NAME

    try:
        with open_data(root, root / AUDIT_NAME) as handle:
            return os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return 0
    except (OSError, StorageError):
        return None


def audit_since(root: Path, start: int, table: str, saved_by: str,
                last: str) -> tuple[list[str], int] | None:
    """The ids of ``table`` the saves after ``start`` in the audit changed, and where the
    audit ends: if the saves to ``table`` there follow each other from the one that wrote
    ``saved_by``'s version to ``last`` with no gap (each names the transaction that wrote
    the file it changed). None when they do not, or when the audit cannot be read."""
    # cycle: datafile and workspace import this module
    from amtui.storage.datafile import open_data
    from amtui.storage.workspace import AUDIT_NAME

    try:
        with open_data(root, root / AUDIT_NAME) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < start or size - start > CATCH_UP_BYTES:
                return None
            handle.seek(start)
            tail = handle.read(size - start)
    except (OSError, StorageError):
        return None
    needle = b'"table":' + orjson.dumps(table) + b","
    ids: list[str] = []
    follows, reached = saved_by, start
    if follows == last:
        return ids, reached
    offset = start
    for line in tail.split(b"\n")[:-1]:  # a torn last line is not read
        offset += len(line) + 1
        if needle not in line:
            continue
        try:
            change = orjson.loads(line)
        except orjson.JSONDecodeError:
            return None
        tx = change.get("tx")
        if tx != follows:  # the first line of the next save to this table
            if follows == last:
                break  # a save under way (its file not written yet): caught up with the rest
            if change.get("after") != follows:
                return None
            follows = tx
        ids.append(str(change.get("id")))
        reached = offset
    return (ids, reached) if follows == last else None



@dataclass(frozen=True)
class Mark:
    """Where a table was when it was read: its file's signature (inode, size, modification
    time), the save that wrote it (if amtui did, as it is), and how long the audit was."""

    signature: tuple[int, int, int] | None
    saved_by: str | None
    audit_at: int | None
