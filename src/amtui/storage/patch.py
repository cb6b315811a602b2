"""Plan a small change to a data file as byte edits, so a save rewrites only what changed.

A data file written by amtui holds one record per line (see :mod:`amtui.storage.datafile`):
a changed record's line is replaced, a removed one's line cut out, new ones go after the last
line. Whenever the file is not exactly as expected, the planner answers None and the caller
rewrites the whole file instead.
"""

from __future__ import annotations

import itertools
from typing import Any, BinaryIO

import orjson

from amtui.storage.errors import InvalidRecord
from amtui.storage.files import Edit

MAX_EDITS = 200
"""Past this many changed records, one full rewrite is simpler and about as fast."""


def encode_entry(record_id: str, record: dict[str, Any]) -> bytes:
    return orjson.dumps(record_id) + b":" + orjson.dumps(record)


def plan_edits(handle: BinaryIO, size: int, changes: dict[str, dict[str, Any] | None],
               added: set[str]) -> list[Edit] | None:
    """Edits that apply ``changes`` (new or replaced records by id, None for removed ones) to
    the file open as ``handle`` (``size`` bytes, in line form). Ids in ``added`` must be new.
    """
    from amtui.storage.datafile import FOOTER, line_id

    if len(changes) > MAX_EDITS:
        return None
    handle.seek(max(size - 3, 0))
    tail = handle.read(3)
    handle.seek(0)
    header = handle.readline()
    offset = len(header)
    found: dict[str, tuple[int, bytes]] = {}
    last_start, last_id = -1, ""
    for line in handle:
        if line == FOOTER:
            break
        record_id = line_id(line)
        if record_id in changes:
            found[record_id] = (offset, line)
        last_start, last_id = offset, record_id
        offset += len(line)
    else:
        return None
    if offset + len(FOOTER) != size or (last_start >= 0 and tail != b"\n" + FOOTER):
        return None
    edits: list[Edit] = []
    new_entries: list[bytes] = []
    for record_id, record in changes.items():
        place = found.get(record_id)
        if place is None:
            if record is not None:
                new_entries.append(encode_entry(record_id, record))
            continue
        if record_id in added:
            raise InvalidRecord(f"a record with id {record_id} is already there")
        start, line = place
        has_comma = line.endswith(b",\n")
        entry_end = start + len(line) - (2 if has_comma else 1)
        if record is not None:
            edits.append((start, entry_end, encode_entry(record_id, record)))
        elif has_comma or start == len(header):
            edits.append((start, start + len(line), b""))
        else:  # the last line: the line before it loses its comma
            edits.append((start - 2, entry_end, b""))
    if new_entries:
        if last_start < 0:
            edits.append((size - len(FOOTER), size - len(FOOTER),
                          b",\n".join(new_entries) + b"\n"))
        elif last_id in changes and changes[last_id] is None:
            return None  # the last line goes and lines come: simpler to rewrite
        else:
            at = size - len(FOOTER) - 1
            edits.append((at, at, b",\n" + b",\n".join(new_entries)))
    edits.sort(key=lambda edit: edit[0])
    for previous, following in itertools.pairwise(edits):
        if previous[1] > following[0]:
            return None
    return edits

