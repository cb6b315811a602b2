"""The note editor: Markdown in a text area, a live preview beside it (or instead of it on a
narrow terminal), the note's title, client, kind and tags above.

F2 (or ctrl+s) saves and stays in the editor; Esc closes it, asking first, when something is not
saved, whether to save it, discard it or keep editing. F3 shows or hides the preview; F4 ticks
the checklist item on the cursor's line.

The note's text is the workspace's, so the preview shows it made visible (control characters as
escapes) and follows no link in it: a link clicked shows its address, nothing is opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Markdown, Static, TextArea

from amtui.i18n import N_, _
from amtui.models import Note, problem_field, problem_message
from amtui.services import notes as service
from amtui.storage import StorageError
from amtui.text import one_line, visible
from amtui.ui.picker import Picker, PickerField, create_client
from amtui.ui.safe import editable, kept, line
from amtui.ui.values import shown
from amtui.ui.widgets.choice import Choice
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.light import LightScreen

if TYPE_CHECKING:
    from amtui.services.finder import NameFinder
    from amtui.ui.app import AmtuiApp

PREVIEW_DELAY = 0.3
"""Seconds of quiet typing before the preview is drawn again."""

SIDE_BY_SIDE_WIDTH = 100
"""From this width the preview sits beside the text; below it, it takes the text's place."""


class NoteEditor(LightScreen, Screen[None]):
    """Edit one note (``note`` is the stored version, or a new note not yet saved)."""

    DEFAULT_CSS = """
    NoteEditor #note-head { height: 1; padding: 0 1; background: $boost; }
    NoteEditor .note-row { height: auto; }
    NoteEditor .note-row > * { margin: 0 1 0 0; }
    NoteEditor .note-label { width: 7; color: $text-muted; text-align: right; }
    NoteEditor #note-title { width: 1fr; }
    NoteEditor #note-kind { width: 20; }
    NoteEditor PickerField { width: 1fr; }
    NoteEditor #note-tags { width: 1fr; }
    NoteEditor #note-panes { height: 1fr; }
    NoteEditor #note-body { width: 1fr; height: 1fr; }
    NoteEditor #note-preview {
        width: 1fr; height: 1fr; display: none; border-left: vkey $primary; padding: 0 1;
        overflow-y: auto;
    }
    NoteEditor.-preview #note-preview { display: block; }
    NoteEditor.-preview.-narrow #note-body { display: none; }
    NoteEditor #note-error { height: auto; color: $error; padding: 0 1; display: none; }
    NoteEditor #note-error.-shown { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", N_("Close"), id="note.leave",
                tooltip=N_("Close the editor; with changes not saved, asks whether to save "
                           "them, discard them or keep editing")),
        Binding("f2,ctrl+s", "save", N_("Save (stay)"), id="note.save",
                tooltip=N_("Check the fields and save the note; the editor stays open")),
        Binding("f3", "preview", N_("Preview"), id="note.preview",
                tooltip=N_("Show or hide the Markdown preview")),
        Binding("f4", "tick", N_("Tick"), id="note.tick",
                tooltip=N_("Tick or untick the checklist item on the cursor's line")),
        Binding("ctrl+q", "quit", N_("Save and quit"), id="note.quit", show=False),
    ]
    AUTO_FOCUS = "#note-body"

    def __init__(self, note: Note, finder: NameFinder, *, new: bool) -> None:
        super().__init__()
        self.note = note
        """The note as last saved (or as made from a template, when new)."""
        self.finder = finder
        self.new = new
        self.saved_values = self._values_of(note) if not new else None
        """What the fields held at the last save (None: never saved)."""

    @property
    def amtui(self) -> AmtuiApp:
        return self.app  # type: ignore[return-value]

    @staticmethod
    def _values_of(note: Note) -> dict[str, object]:
        return {"title": note.title, "body": note.body, "client_id": note.client_id,
                "kind": note.kind.value, "tags": list(note.tags)}

    def compose(self) -> ComposeResult:
        note = self.note
        head = _("New note") if self.new else _("Note")
        yield Static(Content.assemble((head, "bold"), " · ", line(note.title, 60)),
                     id="note-head")
        client_id = note.client_id or ""
        with Horizontal(classes="note-row"):
            yield Label(_("Title"), classes="note-label")
            yield Input(editable(note.title), placeholder=_("Title"), id="note-title",
                        compact=True, select_on_focus=False)
            yield Label(_("Kind"), classes="note-label")
            yield Choice([(shown(kind), kind) for kind in service.NOTE_KINDS], note.kind.value,
                         title=_("Kind"), id="note-kind", compact=True)
        with Horizontal(classes="note-row"):
            yield Label(_("Client"), classes="note-label")
            yield PickerField(Picker(self.finder, _("client"), create_client),
                              one_line(self.finder.name(client_id)), "note-client",
                              _("client (optional): type part of the name"),
                              record_id=client_id, compact=True)
            yield Label(_("Tags"), classes="note-label")
            yield Input(editable(", ".join(note.tags)), placeholder=_("tags, comma separated"),
                        id="note-tags", compact=True, select_on_focus=False)
        yield Static("", id="note-error")
        with Horizontal(id="note-panes"):
            yield TextArea(editable(note.body, lines=True), id="note-body",
                           soft_wrap=True)  # Tab leaves, Esc closes
            yield Markdown("", id="note-preview", open_links=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self.set_class(self.app.size.width < SIDE_BY_SIDE_WIDTH, "-narrow")

    # The preview -------------------------------------------------------------------------

    def action_preview(self) -> None:
        self.toggle_class("-preview")
        if self.has_class("-preview"):
            self._draw_preview()
        else:
            self.query_one("#note-body", TextArea).focus()

    @on(TextArea.Changed, "#note-body")
    def _typed(self) -> None:
        if self.has_class("-preview"):
            self.set_timer(PREVIEW_DELAY, self._draw_preview, name="preview")

    def _draw_preview(self) -> None:
        body = self.query_one("#note-body", TextArea).text
        self.query_one("#note-preview", Markdown).update(
            service.preview_markdown(visible(body)))

    @on(Markdown.LinkClicked, "#note-preview")
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        self.notify(_("Link (not opened): {address}").format(address=one_line(event.href, 200)),
                    markup=False)

    # Checklist ---------------------------------------------------------------------------

    def action_tick(self) -> None:
        area = self.query_one("#note-body", TextArea)
        row, column = area.cursor_location
        changed = service.toggle_checkbox(area.text, row)
        if changed is None:
            self.notify(_("The cursor's line is not a checklist item (- [ ] …)."),
                        markup=False)
            return
        old_line = area.document.get_line(row)
        new_line = changed.split("\n")[row]
        area.replace(new_line, (row, 0), (row, len(old_line)))
        area.cursor_location = (row, column)

    # Saving ------------------------------------------------------------------------------

    def typed(self) -> dict[str, object]:
        """What the fields hold (a field not edited: the stored text, exactly)."""
        field = self.query_one(PickerField)
        note = self.note
        client_text = self.query_one("#note-client", Input).value.strip()
        tags = [tag.strip() for tag in kept(", ".join(note.tags),
                                            self.query_one("#note-tags", Input).value).split(",")]
        return {
            "title": kept(note.title, self.query_one("#note-title", Input).value),
            "body": kept(note.body, self.query_one("#note-body", TextArea).text, lines=True),
            "client_id": field.record_id if client_text else None,
            "kind": self.query_one("#note-kind", Choice).value,
            "tags": [tag for tag in tags if tag],
        }

    def changed(self) -> bool:
        return self.typed() != (self.saved_values or self._values_of(self.note))

    def _checked(self) -> Note | None:
        """The note as the fields say, or None with the problem shown."""
        values = self.typed()
        field = self.query_one(PickerField)
        if field.optional_choice() is None:
            self._problem(field.problem())
            self.query_one("#note-client", Input).focus()
            return None
        try:
            note = Note.model_validate({**self.note.model_dump(), **values})
        except ValidationError as problem:
            first = problem.errors()[0]
            self._problem(f"{problem_field(first)}: {problem_message(first)}")
            return None
        self._problem("")
        return note

    def action_save(self) -> bool:
        """Check the fields and save; False (with the problem shown) if they are wrong."""
        note = self._checked()
        if note is None:
            return False
        if self.new or self.changed():
            self._store(note)
        return True

    def _problem(self, text: str) -> None:
        error = self.query_one("#note-error", Static)
        error.update(Content(text))
        error.set_class(bool(text), "-shown")

    def _store(self, note: Note) -> None:
        workspace = self.amtui.workspace
        new = self.new
        self.new = False
        self.saved_values = self.typed()
        self.note = note

        def save() -> object:
            done = service.add_note(workspace, note) if new else service.save_note(
                workspace, note)
            self.note = workspace.repo(Note).get(note.id)  # the next save builds on this rev
            return done

        def overwrite() -> object:
            done = service.overwrite_note(workspace, note)
            self.note = workspace.repo(Note).get(note.id)
            return done

        self.query_one("#note-head", Static).update(
            Content.assemble((_("Note"), "bold"), " · ", line(note.title, 60)))
        self.amtui.change(save, _("Note «{title}» saved").format(title=one_line(note.title, 40)),
                          overwrite=None if new else overwrite)

    def action_leave(self) -> None:
        """Close; with changes not saved, only once the user has chosen to save them (and
        they are saved) or to discard them."""
        if not self.changed():
            self.dismiss(None)
            return
        # lazy: kept out of the app start
        from amtui.ui.confirm import DISCARD, SAVE, UnsavedScreen

        def answered(answer: str | None) -> None:
            if answer == DISCARD or (answer == SAVE and self.action_save()):
                self.dismiss(None)

        self.app.push_screen(UnsavedScreen(_("The note has changes that are not saved.")),
                             answered)

    def action_quit(self) -> None:
        """Quit amtui, saving the note first (here, not in a worker that quitting would
        stop); a note that cannot be saved keeps the app open."""
        if self.changed():
            note = self._checked()
            if note is None:
                return
            try:
                if self.new:
                    service.add_note(self.amtui.workspace, note)
                else:
                    service.save_note(self.amtui.workspace, note)
            except StorageError as error:
                self._problem(one_line(str(error)))
                return
        self.app.exit()

    def data_changed(self) -> None:
        """Someone saved the workspace; the editor keeps what is typed (a save over a newer
        version asks whether to overwrite)."""

