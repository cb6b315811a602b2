"""The UI building blocks a plugin may use (imports Textual: import this inside a pane's
factory, not at the top of a plugin that also offers command-line commands).

- :class:`PaneScreen`: a pane with amtui's header, pane bar and key bar; override
  ``compose_body``, ``read`` (runs in a worker) and ``show`` (runs on the UI thread).
- :class:`ListPane`: a pane listing records in a table, filtered as you type.
- :class:`RecordTable`: the table the lists use.
- :class:`FormScreen` and :class:`FormField`: a modal form checked by a record's model;
  :class:`FilterForm`: the same, to narrow a list (F3 clears it); :func:`field_problem`: a
  problem ``build`` shows next to a field.
- :func:`client_picker`, :func:`member_picker`: a form field's ``picker``, to choose a client
  (or make one: "new client…") or a member by typing part of the name, with suggestions.
- :class:`AskScreen` (one line typed) and :class:`PickScreen` (one of a short list).
- :func:`cell`, :func:`line`, :func:`content`: untrusted text made safe to show.
- :func:`editable` and :func:`kept`: stored text into a text box (``Input``, ``TextArea``)
  with control characters visible, and back unchanged unless it was edited.
- :func:`save_change`: run a change to the store off the UI thread, as amtui's panes do.
"""

from __future__ import annotations

from collections.abc import Callable

from amtui.plugins.app import PluginApp
from amtui.ui.ask import AskScreen, PickScreen
from amtui.ui.forms import FilterForm, FormField, FormScreen, field_problem
from amtui.ui.panes.base import PaneScreen
from amtui.ui.panes.listing import ListPane
from amtui.ui.picker import Picker, client_picker, member_picker
from amtui.ui.safe import cell, content, editable, kept, line
from amtui.ui.widgets.table import RecordTable

__all__ = ["AskScreen", "FilterForm", "FormField", "FormScreen", "ListPane", "PaneScreen",
           "PickScreen", "Picker", "RecordTable", "cell", "client_picker", "content",
           "editable", "field_problem", "kept", "line", "member_picker", "save_change"]


def save_change(app: PluginApp, save: Callable[[], object], done_message: str = "") -> None:
    """Run ``save`` (a function that changes the store) in a worker, then make the pane and
    any screen above it read again. A storage error (bad input, a locked or read-only file)
    is shown as a message and nothing is changed; a conflict says someone saved first. If
    ``save`` returns an :class:`amtui.api.Undo`, ``u`` reverts it. ``done_message`` is shown
    once it is saved (none if empty)."""
    app.change(save, done_message)
