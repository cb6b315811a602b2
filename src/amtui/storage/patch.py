"""Plan a small change to a data file as byte edits, so a save rewrites only what changed.

A data file written by amtui is ``{"_meta":{…},"<table>":{"<id>":{…},"<id>":{…}}}`` in orjson's
compact form, and orjson encodes a parsed record back to exactly the bytes it was read from. So
each changed record's old bytes can be found in the file and replaced; a new record goes before
the two closing braces. Whenever the file is not exactly as expected, the planner answers None
and the caller rewrites the whole file instead.
"""

from __future__ import annotations

import itertools
from typing import Any

import orjson

from amtui.storage.files import Edit

MAX_EDITS = 200
"""Past this many changed records, one full rewrite is simpler and about as fast."""


def encode_entry(record_id: str, record: dict[str, Any]) -> bytes:
    return orjson.dumps(record_id) + b":" + orjson.dumps(record)


def plan_edits(content: Any, header_length: int, before: dict[str, Any],
               after: dict[str, Any], changed: set[str]) -> list[Edit] | None:
    """Edits that turn ``content`` (the file holding ``before``) into the file for ``after``,
    where the records with ids in ``changed`` were added, replaced or removed."""
    if len(changed) > MAX_EDITS:
        return None
    size = len(content)
    edits: list[Edit] = []
    added: list[bytes] = []
    for record_id in sorted(changed):
        old, new = before.get(record_id), after.get(record_id)
        if old is None and new is None:
            continue
        if old is None:
            added.append(encode_entry(record_id, after[record_id]))
            continue
        entry = encode_entry(record_id, old)
        start = content.find(entry, header_length)
        if start < 0:
            return None
        end = start + len(entry)
        if new is not None:
            edits.append((start, end, encode_entry(record_id, new)))
        elif content[start - 1: start] == b",":
            edits.append((start - 1, end, b""))
        elif content[end: end + 1] == b",":
            edits.append((start, end + 1, b""))
        else:
            edits.append((start, end, b""))
    if added:
        separator = b"," if len(after) > len(added) else b""
        edits.append((size - 2, size - 2, separator + b",".join(added)))
    edits.sort(key=lambda edit: edit[0])
    for previous, following in itertools.pairwise(edits):
        if previous[1] > following[0]:
            return None
    return edits
