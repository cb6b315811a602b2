"""Show untrusted text: sanitised, and never parsed as markup."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from amtui.text import one_line, visible


def cell(value: object, width: int | None = None, style: str = "") -> Text:
    """A table cell: one line, control characters visible, no markup."""
    return Text(one_line("" if value is None else str(value), width), style=style,
                no_wrap=True, overflow="ellipsis")


def content(value: object) -> Content:
    """A block of text for a Static or a label: control characters visible, no markup."""
    return Content(visible("" if value is None else str(value)))


def line(value: object, width: int | None = None) -> Content:
    return Content(one_line("" if value is None else str(value), width))
