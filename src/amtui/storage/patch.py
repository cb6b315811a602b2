"""Plan a small change to a data file as byte edits, so a save rewrites only what changed.

A data file written by amtui holds one record per line (see :mod:`amtui.storage.datafile`):
a changed record's line is replaced, a removed one's line cut out, new ones go after the last
line. Whenever the file is not exactly as expected, the planner answers None and the caller
rewrites the whole file instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any, BinaryIO

import orjson

from amtui.i18n import _
from amtui.storage.errors import InvalidRecord
from amtui.storage.files import Edit

MAX_EDITS = 200
"""Past this many changed records, one full rewrite is simpler and about as fast."""
SEARCH_LIMIT = 16
"""Up to this many changed records are found by searching the file's bytes for their ids;
more, by reading it line by line."""
BLOCK = 1 << 20

Found = dict[str, tuple[int, bytes]]
"""Record id → where its line starts in the file, and the line (newline included)."""


def entry_key(record_id: str) -> bytes:
    """How the line of a record starts, newline before it included."""
    return b"\n" + orjson.dumps(record_id) + b":"


def search_lines(handle: BinaryIO, ids: Iterable[str]) -> Found:
    """The lines of the given records, found by searching the file in blocks (one pass)."""
    keys = {entry_key(record_id): record_id for record_id in ids}
    if not keys:
        return {}
    overlap = max(map(len, keys)) - 1
    starts: dict[str, int] = {}
    handle.seek(0)
    # One buffer, refilled in place: the last bytes of a block stay at its front, so a key
    # cut by a block boundary is still found.
    buffer = bytearray(overlap + BLOCK)
    view = memoryview(buffer)
    kept, offset = 0, 0
    while len(starts) < len(keys):
        read = handle.readinto(view[kept:])  # type: ignore[attr-defined]
        if not read:
            break
        filled = kept + read
        window = view[:filled]
        base = offset - kept
        for key, record_id in keys.items():
            if record_id not in starts and (at := buffer.find(key, 0, filled)) >= 0:
                starts[record_id] = base + at + 1
        offset += read
        kept = min(overlap, filled)
        buffer[:kept] = window[filled - kept:filled]
    found: Found = {}
    for record_id, start in starts.items():
        handle.seek(start)
        found[record_id] = (start, handle.readline())
    return found


def encode_entry(record_id: str, record: dict[str, Any]) -> bytes:
    return orjson.dumps(record_id) + b":" + orjson.dumps(record)


def plan_edits(handle: BinaryIO, size: int, changes: dict[str, dict[str, Any] | None],
               added: set[str], known: Found | None = None,
               fresh: frozenset[str] | set[str] = frozenset()) -> list[Edit] | None:
    """Edits that apply ``changes`` (new or replaced records by id, None for removed ones) to
    the file open as ``handle`` (``size`` bytes, in line form, as amtui wrote it). Ids in
    ``added`` must be new; those in ``fresh`` are known to be (see ``claim_fresh``) and are
    not looked for. ``known`` gives lines already found (checked again here)."""
    # cycle: amtui.storage.datafile imports this module
    from amtui.storage.datafile import FOOTER

    if len(changes) > MAX_EDITS:
        return None
    handle.seek(0)
    header = handle.readline()
    handle.seek(max(size - 3, 0))
    tail = handle.read(3)
    has_lines = size > len(header) + len(FOOTER)
    if not tail.endswith(b"\n" + FOOTER if has_lines else FOOTER):
        return None
    found = confirmed_lines(handle, known or {}, changes)
    missing = [record_id for record_id in changes
               if record_id not in found and record_id not in fresh]
    if len(missing) > SEARCH_LIMIT:
        every = _read_lines(handle, changes)
        if every is None:
            return None
        found = every
    else:
        found.update(search_lines(handle, missing))
    last_id = next((record_id for record_id, (start, line) in found.items()
                    if start + len(line) == size - len(FOOTER)), None)
    edits: list[Edit] = []
    new_entries: list[bytes] = []
    for record_id, record in changes.items():
        place = found.get(record_id)
        if place is None:
            if record is not None:
                new_entries.append(encode_entry(record_id, record))
            continue
        if record_id in added:
            raise InvalidRecord(_("a record with id {record_id} is already there").format(
                record_id=record_id))
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
        if not has_lines:
            edits.append((size - len(FOOTER), size - len(FOOTER),
                          b",\n".join(new_entries) + b"\n"))
        elif last_id is not None and changes[last_id] is None:
            return None  # the last line goes and lines come: simpler to rewrite
        else:
            at = size - len(FOOTER) - 1
            edits.append((at, at, b",\n" + b",\n".join(new_entries)))
    edits.sort(key=lambda edit: edit[0])
    for previous, following in itertools.pairwise(edits):
        if previous[1] > following[0]:
            return None
    return edits



def confirmed_lines(handle: BinaryIO, known: Found, wanted: Iterable[str]) -> Found:
    """The lines of ``known`` (of the wanted ids) that are still where they were."""
    confirmed: Found = {}
    for record_id in wanted:
        if record_id in known:
            start, line = known[record_id]
            handle.seek(start - 1)
            if handle.read(len(line) + 1) == b"\n" + line and line.startswith(
                    entry_key(record_id)[1:]):
                confirmed[record_id] = (start, line)
    return confirmed


def _read_lines(handle: BinaryIO, wanted: Iterable[str]) -> Found | None:
    """The lines of the wanted records, reading the file line by line; None if the file is
    not in line form."""
    # cycle: amtui.storage.datafile imports this module
    from amtui.storage.datafile import FOOTER, line_id

    ids = set(wanted)
    handle.seek(0)
    offset = len(handle.readline())
    found: Found = {}
    for line in handle:
        if line == FOOTER:
            return found
        record_id = line_id(line)
        if record_id in ids:
            found[record_id] = (offset, line)
        offset += len(line)
    return None
