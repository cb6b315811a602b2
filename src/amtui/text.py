"""Make untrusted text safe to show: control characters become visible, nothing is interpreted.

Everything from the workspace (names, messages, notes) or from a plugin or an imported file goes
through :func:`visible` before it reaches a terminal, so escape sequences, C1 controls and bidi
overrides show as the literal characters they are.
"""

from __future__ import annotations

import re

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character except newline and tab shown as an escape."""
    return _UNSAFE.sub(_escape, text)


def one_line(text: str, width: int | None = None) -> str:
    """``text`` made visible on a single line (newlines and tabs become spaces), clipped."""
    flat = _UNSAFE_ONE_LINE.sub(lambda m: " " if m.group() in "\n\t\r" else _escape(m), text)
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)] + "…"
    return flat


def fold(text: str) -> str:
    """Text as search compares it: case-folded (Cyrillic too), and ё read as е."""
    return text.casefold().replace("ё", "е")
