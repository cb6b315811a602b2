"""The Notes pane's dialogs: which notes to show, and which template a new note starts from.
Imported when first needed (it loads the models)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from amtui.i18n import _
from amtui.services.inbox import ClientFinder
from amtui.services.notes import NOTE_KINDS, NoteFilter
from amtui.services.templates import NoteTemplate
from amtui.text import one_line
from amtui.ui.inbox_forms import ClientField
from amtui.ui.safe import line

BLANK = ""
"""The template choice for a note that starts empty."""


def template_options(templates: list[NoteTemplate]) -> list[tuple[Content, str]]:
    """Choices for :class:`~amtui.ui.inbox_forms.ChoiceScreen`: a blank note, then the
    templates (the workspace's own marked as such)."""
    options = [(Content(_("Blank note")), BLANK)]
    for template in templates:
        own = _(" (this workspace)") if template.source == "workspace" else ""
        options.append((Content.assemble(line(template.name, 50), (own, "dim"),
                                         (f"  {template.kind}", "dim")), template.key))
    return options


class NoteFilterScreen(ModalScreen[NoteFilter | None]):
    """Which notes the list shows: by client, kind and tag."""

    DEFAULT_CSS = """
    NoteFilterScreen { align: center middle; }
    #note-filter-box {
        width: 90%; max-width: 72; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    #note-filter-box .filter-row { height: auto; }
    #note-filter-box .filter-label { width: 10; padding: 1 1 0 0; }
    #note-filter-box Select, #note-filter-box ClientField { width: 1fr; }
    #note-filter-error { color: $error; height: auto; }
    #note-filter-buttons { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="note_filter.cancel"),
        Binding("ctrl+s,f2", "apply", _("Apply"), id="note_filter.apply"),
        Binding("f3", "clear", _("Clear all"), id="note_filter.clear"),
    ]

    def __init__(self, current: NoteFilter, finder: ClientFinder, tags: list[str]) -> None:
        super().__init__()
        self.current = current
        self.finder = finder
        self.tags = tags

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="note-filter-box"):
            yield Static(Content(_("Show notes")).stylize("bold"))
            with Horizontal(classes="filter-row"):
                yield Label(_("Client"), classes="filter-label")
                yield ClientField(self.finder, one_line(self.current.client_name),
                                  "note-filter-client", _("any client; type part of the name"),
                                  client_id=self.current.client_id)
            with Horizontal(classes="filter-row"):
                yield Label(_("Kind"), classes="filter-label")
                yield Select([(_("any"), ""), *((kind, kind) for kind in NOTE_KINDS)],
                             value=self.current.kind, allow_blank=False, id="note-filter-kind")
            tags = [tag for tag in self.tags if tag]
            if self.current.tag and self.current.tag not in tags:
                tags.append(self.current.tag)
            with Horizontal(classes="filter-row"):
                yield Label(_("Tag"), classes="filter-label")
                yield Select([(_("any"), ""), *((one_line(tag, 30), tag) for tag in tags)],
                             value=self.current.tag, allow_blank=False, id="note-filter-tag")
            yield Static("", id="note-filter-error")
            with Horizontal(id="note-filter-buttons"):
                yield Button(_("Apply (F2)"), variant="primary", id="note-filter-apply")
                yield Button(_("Clear all (F3)"), id="note-filter-clear")
                yield Button(_("Cancel (Esc)"), id="note-filter-cancel")

    def on_mount(self) -> None:
        self.query_one("#note-filter-client", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions: dict[str | None, Callable[[], None]] = {
            "note-filter-apply": self.action_apply, "note-filter-clear": self.action_clear,
        }
        actions.get(event.button.id, self.action_cancel)()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        field = self.query_one(ClientField)
        chosen = field.optional_choice()
        if chosen is None:
            self.query_one("#note-filter-error", Static).update(Content(field.problem()))
            self.query_one("#note-filter-client", Input).focus()
            return
        client_id, client_name = chosen
        self.dismiss(NoteFilter(
            client_id=client_id, client_name=client_name,
            kind=str(self.query_one("#note-filter-kind", Select).value),
            tag=str(self.query_one("#note-filter-tag", Select).value),
        ))

    def action_clear(self) -> None:
        self.dismiss(NoteFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)
