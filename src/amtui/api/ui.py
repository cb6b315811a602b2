"""The UI building blocks a plugin may use (imports Textual: import this inside a pane's
factory, not at the top of a plugin that also offers command-line commands).

- :class:`PaneScreen`: a pane with amtui's header, pane bar and key bar; override
  ``compose_body``, ``read`` (runs in a worker) and ``show`` (runs on the UI thread).
- :class:`ListPane`: a pane listing records in a table, filtered as you type.
- :class:`RecordTable`: the table the lists use.
- :class:`FormScreen` and :class:`FormField`: a modal form checked by a record's model.
- :func:`cell`, :func:`line`, :func:`content`: untrusted text made safe to show.
- :func:`editable` and :func:`kept`: stored text into a text box (``Input``, ``TextArea``)
  with control characters visible, and back unchanged unless it was edited.
- :func:`save_change`: run a change to the store off the UI thread, as amtui's panes do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from amtui.ui.forms import FormField, FormScreen
from amtui.ui.panes.base import PaneScreen
from amtui.ui.panes.listing import ListPane
from amtui.ui.safe import cell, content, editable, kept, line
from amtui.ui.widgets.table import RecordTable

__all__ = ["FormField", "FormScreen", "ListPane", "PaneScreen", "RecordTable", "cell",
           "content", "editable", "kept", "line", "save_change"]


def save_change(app: Any, save: Callable[[], Any], done_message: str = "") -> None:
    """Run ``save`` (a function that changes the store) in a worker, then make the pane and
    any screen above it read again. A storage error (bad input, a locked or read-only file)
    is shown as a message and nothing is changed; a conflict says someone saved first. If
    ``save`` returns an :class:`amtui.api.Undo`, ``u`` reverts it. ``done_message`` is shown
    once it is saved (none if empty)."""
    app.change(save, done_message)
