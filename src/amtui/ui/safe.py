"""Show untrusted text: sanitised, and never parsed as markup.

Text boxes (``Input``, ``TextArea``) draw their value as it is, so stored text goes into them
through :func:`editable`, which makes control characters visible; :func:`kept` turns what the
box holds back into what to save: the stored text itself while the box still shows it
unchanged, so that opening and saving a form never rewrites a field nobody touched.
"""

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
    """One line of text for a label: control characters visible, no markup, newlines
    flattened, cut to ``width`` with an ellipsis."""
    return Content(one_line("" if value is None else str(value), width))


def editable(stored: str, *, lines: bool = False) -> str:
    """Stored text as a text box shows it: control characters visible, on one line for an
    ``Input`` (``lines`` for a ``TextArea``, which keeps newlines and tabs)."""
    return visible(stored) if lines else one_line(stored)


def kept(stored: str, typed: str, *, lines: bool = False) -> str:
    """What to save from a box that was filled with ``editable(stored)``: ``stored`` while the
    box still shows it unchanged, else what was typed (escapes shown are then saved as the
    text they are)."""
    return stored if typed == editable(stored, lines=lines) else typed
