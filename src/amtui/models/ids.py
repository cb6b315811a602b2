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


def new_id() -> str:
    """A new unique id, ordered by creation time."""
    return encode_ulid(time.time_ns() // 1_000_000, os.urandom(10))
