"""Make untrusted text safe to show: control characters become visible, nothing is interpreted.

Everything from the workspace (names, messages, notes) or from a plugin or an imported file goes
through :func:`visible` (or :func:`one_line`) before it reaches a terminal, so that escape
sequences, C1 controls and bidi overrides show as the literal characters they are. What is
made visible, each shown as an escape: ``\\x1b`` for a C0 control, ``\\u009b`` (``\\u202e``)
for the others, as Python writes them, and as JSON does for the latter:

- C0 controls but tab and newline (and a carriage return that ends a line, ``\\r\\n``): ESC
  starts every escape sequence (window title, clipboard, hyperlinks, device status reports);
  BEL, backspace and a lone carriage return rewrite what is already on the screen;
- DEL, and the C1 controls U+0080–U+009F (CSI, OSC, DCS, NEL… in one character);
- the bidi controls U+061C, U+200E, U+200F, U+202A–U+202E and U+2066–U+2069, which reorder
  what is shown (``txt.exe`` that reads as ``exe.txt``);
- the line and paragraph separators U+2028 and U+2029 (a line break to some programs, an
  invisible character to others);
- lone surrogates, which cannot be written at all.

JSON text made visible is still JSON, meaning the same: its encoder escapes C0 controls
itself, and the others come out in JSON's own ``\\u`` escapes.
"""

from __future__ import annotations

import re

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEPARATORS = "\u2028\u2029"
_SURROGATES = "\ud800-\udfff"
_NOT_C0 = f"\x7f-\x9f{_BIDI_CONTROLS}{_SEPARATORS}{_SURROGATES}"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_NOT_C0}]")  # one class: scanned fast
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f{_NOT_C0}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def _escape_but_line_ends(match: re.Match[str]) -> str:
    if match.group() == "\r" and match.string.startswith("\n", match.end()):
        return "\r"
    return _escape(match)


def visible(text: str) -> str:
    """``text`` with every control character but newline and tab shown as an escape."""
    return _UNSAFE.sub(_escape_but_line_ends, text)


def one_line(text: str, width: int | None = None) -> str:
    """``text`` made visible on a single line (newlines and tabs become spaces), clipped."""
    flat = _UNSAFE_ONE_LINE.sub(lambda m: " " if m.group() in "\n\t\r" else _escape(m), text)
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)] + "…"
    return flat


def fold(text: str) -> str:
    """Text as search compares it: case-folded (Cyrillic too), and ё read as е."""
    return text.casefold().replace("ё", "е")
