"""Stable record ids: ULIDs (time-ordered, 26 characters of Crockford base32)."""

from __future__ import annotations

import os
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def encode_ulid(milliseconds: int, randomness: bytes) -> str:
    """Encode a 48-bit timestamp and 80 random bits as a ULID string."""
    value = (milliseconds & ((1 << 48) - 1)) << 80 | int.from_bytes(randomness[:10], "big")
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


_fresh: set[str] = set()
"""Ids made by :func:`new_id` in this process and not yet stored."""


def new_id() -> str:
    """A new unique id, ordered by creation time."""
    record_id = encode_ulid(time.time_ns() // 1_000_000, os.urandom(10))
    _fresh.add(record_id)
    return record_id


def claim_fresh(record_id: str) -> bool:
    """Whether ``record_id`` was made here by :func:`new_id` and never claimed before: such
    an id (80 random bits) cannot be stored yet, so a store need not look for it. Each id is
    claimed once; a second store of the same id is checked like any other."""
    try:
        _fresh.remove(record_id)
    except KeyError:
        return False
    return True
