"""The sanitiser every path to the terminal uses: what it makes visible, and what it keeps."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

from amtui.text import one_line, visible
from hostile_text import raw_controls


@pytest.mark.parametrize(("text", "shown"), [
    ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
    ("\x1b[6n", "\\x1b[6n"),
    ("\x00\x08\x0b\x0c\x1f", "\\x00\\x08\\x0b\\x0c\\x1f"),
    ("\x7f\x80\x85\x9b\x9f", "\\u007f\\u0080\\u0085\\u009b\\u009f"),
    ("\u202ecod.exe\u202c \u2066\u2069\u200e\u200f\u061c",
     "\\u202ecod.exe\\u202c \\u2066\\u2069\\u200e\\u200f\\u061c"),
    ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
    ("over\rwrite", "over\\x0dwrite"),
    ("line\r\nend\n\tindented", "line\r\nend\n\tindented"),
    ("Ромашка «ё» 😀 👨‍👩‍👧 [bold]x[/] $accent \\x1b",
     "Ромашка «ё» 😀 👨‍👩‍👧 [bold]x[/] $accent \\x1b"),
], ids=["osc", "dsr", "c0", "del-c1", "bidi", "separators", "carriage-return", "line-ends",
        "text"])
def test_visible_shows_what_a_terminal_acts_on_as_escapes(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_a_lone_surrogate_is_shown_as_an_escape() -> None:
    """It cannot be written at all (the comparison is of bytes: a report of the failure must
    be writable too)."""
    shown = visible("lone \ud83d surrogate").encode("utf-8", "replace")
    assert shown == b"lone \\ud83d surrogate"


def test_one_line_flattens_lines_and_shows_the_rest() -> None:
    assert one_line("a\nb\tc\r\nd\u2028e\x1b") == "a b c  d\\u2028e\\x1b"
    assert one_line("\x1b]0;long title", 8) == "\\x1b]0;…"


@given(st.text())
def test_nothing_a_terminal_acts_on_is_left(text: str) -> None:
    shown = visible(text)
    assert not raw_controls(shown)
    assert visible(shown) == shown  # made visible twice is made visible once
    flat = one_line(text)
    assert not raw_controls(flat) and "\n" not in flat and "\t" not in flat


@given(st.recursive(st.text() | st.none(), lambda inner: st.lists(inner)
                    | st.dictionaries(st.text(), inner)))
def test_json_made_visible_is_the_same_json(data: object) -> None:
    text = json.dumps(data, ensure_ascii=False)
    try:
        text.encode()
    except UnicodeEncodeError:
        return  # lone surrogates: not JSON a program writes
    assert json.loads(visible(text)) == data
