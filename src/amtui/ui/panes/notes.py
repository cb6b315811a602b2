"""Notes: meeting notes, briefs, specs and the knowledge around each client.

Pinned notes come first, then the most recently changed. Typing in the search box ranks the
notes whose title or body hold every word typed, and marks the words in the title and in the
preview under the list.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Input, Static
from textual.worker import WorkerState

from amtui.i18n import N_, _
from amtui.services.finder import NameFinder
from amtui.text import one_line, visible
from amtui.ui.ask import PickScreen
from amtui.ui.panes.listing import MAX_ROWS, Column, ListPane
from amtui.ui.picker import client_picker
from amtui.ui.safe import cell
from amtui.ui.values import shown
from amtui.ui.widgets.table import RecordTable

if TYPE_CHECKING:
    from amtui.models import Note
    from amtui.services.finder import NameFinder
    from amtui.services.notes import NoteFilter, NoteIndex, NoteRow
    from amtui.services.templates import NoteTemplate

MATCH_STYLE = "bold underline"
"""How a searched word is marked (readable without colour too)."""

PREVIEW_LINES = 6


class NotesPane(ListPane):
    PANE_ID = "notes"
    TITLE_TEXT = N_("Notes")
    TABLE = "notes"
    DEFAULT_CSS = """
    #note-preview-box {
        height: 25%; min-height: 4; border-top: solid $primary; padding: 0 1; color: $text;
    }
    """
    COLUMNS: ClassVar[list[Column]] = [
        ("★", 1), (N_("Title"), 28), (N_("Client"), 14), (N_("Kind"), 9), ("✓", 5),
        (N_("Changed"), 10), (N_("Tags"), 20),
    ]
    """The first six fit 80 columns."""
    WIDE_COLUMNS: ClassVar[list[Column]] = [
        ("★", 1), (N_("Title"), 44), (N_("Client"), 24), (N_("Kind"), 9), ("✓", 5),
        (N_("Changed"), 10), (N_("Tags"), 20),
    ]
    """From 130 columns titles and clients get more room."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New"), id="notes.new",
                tooltip=N_("A new note, blank or from a template")),
        Binding("e", "open", N_("Edit"), id="notes.edit", tooltip=N_("Edit the selected note")),
        Binding("p", "pin", N_("Pin"), id="notes.pin",
                tooltip=N_("Pin the note to the top of the list, or unpin it")),
        Binding("x,delete", "delete", N_("Delete"), id="notes.delete",
                tooltip=N_("Move the note to the trash (u undoes)")),
        Binding("f", "filters", N_("Filters"), id="notes.filters",
                tooltip=N_("Show notes of one client, kind or tag")),
        Binding("F", "clear_filters", N_("Clear filters"), id="notes.clear_filters",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[NoteRow] = []
        self.index: NoteIndex | None = None
        self._by_id: dict[str, NoteRow] = {}
        self._row_cells: dict[str, list[Text]] = {}
        """Note id → its cells as drawn without marks (made when first shown)."""
        self.note_filter: NoteFilter | None = None
        self._finder: NameFinder | None = None
        self._query = ""

    def on_mount(self) -> None:
        if self.app.size.width >= 130:  # before ListPane's on_mount adds the columns
            self.COLUMNS = self.WIDE_COLUMNS

    def compose_body(self) -> ComposeResult:
        yield from super().compose_body()
        yield Static("", id="note-preview-box")

    def read(self) -> tuple[NoteIndex, NameFinder]:  # type: ignore[override]
        """The notes, and the clients a note's editor offers (indexed here, off the UI
        thread: for ten thousand clients it takes a tenth of a second)."""
        # lazy: pydantic, loaded on first use
        from amtui.services.notes import read_notes

        workspace = self.amtui.workspace
        finder = NameFinder(workspace.file("clients").scan())
        finder.warm()
        return read_notes(workspace), finder

    def show(self, payload: tuple[NoteIndex, NameFinder]) -> None:  # type: ignore[override]
        index, self._finder = payload
        self.index = index
        self.notes = index.rows
        self._by_id = {row.id: row for row in index.rows}
        self._row_cells = {}
        self.refilter()

    def refilter(self) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.services.notes import search_words

        table = self.query_one(RecordTable)
        query = self.query_one("#search", Input).value
        current = self.current_id()
        chosen = self.note_filter
        if self.index is None:
            return
        kept = [position for position, row in enumerate(self.notes)
                if chosen.keeps(row)] if chosen else None
        shown, found = self.index.search(query, kept, MAX_ROWS)
        words = search_words(query)
        table.show_rows(self._cells(hit.row, words) for hit in shown)
        self._shown_ids = [hit.row.id for hit in shown]
        self._query = query
        if current in self._shown_ids:
            table.move_cursor(row=self._shown_ids.index(current))
        note = _("{shown} of {total}").format(shown=found, total=len(self.notes))
        if chosen:
            note += " · " + _("filter: {what} (F clears)").format(what=chosen.describe())
        if found > MAX_ROWS:
            note += " · " + _("/ to search the list")
        self.say_count(Content(note))
        self._preview()

    def _cells(self, row: NoteRow, words: list[str]) -> list[Text]:
        """The row's cells; kept between keystrokes, but for a title with words marked."""
        # lazy: pydantic, loaded on first use
        from amtui.services.notes import spans_of

        cells = self._row_cells.get(row.id)
        if cells is None:
            ticked, total = row.checklist
            cells = [
                cell("★" if row.pinned else ""), cell(row.title, 80), cell(row.client_name, 40),
                cell(shown(row.kind)), cell(f"{ticked}/{total}" if total else ""),
                cell(changed_day(row.updated_at)), cell(", ".join(row.tags), 30),
            ]
            self._row_cells[row.id] = cells
        if not words:
            return cells
        title = cells[1].copy()
        for start, end in spans_of(row.title, words):
            title.stylize(MATCH_STYLE, start, end)
        return [cells[0], title, *cells[2:]]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._preview()

    def _preview(self) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.services.notes import snippet

        box = self.query_one("#note-preview-box", Static)
        note_id = self.current_id()
        row = self._by_id.get(note_id) if note_id else None
        if row is None:
            box.update(Content(_("No note here. n makes one.")).stylize("dim"))
            return
        # The list keeps no bodies: the note shown is read (a few ms even in a large file).
        body = str((self.amtui.workspace.file("notes").get(row.id) or {}).get("body", ""))
        if self._query.strip():
            text, spans = snippet(body, self._query, width=PREVIEW_LINES * 70)
            shown = Content(text)
            for start, end in spans:
                shown = shown.stylize(MATCH_STYLE, start, end)
        else:
            shown = Content("\n".join(visible(body[:PREVIEW_LINES * 200]).splitlines()
                                       [:PREVIEW_LINES]))
        box.update(shown)

    # Actions -----------------------------------------------------------------------------

    def finder(self) -> NameFinder:
        """The clients a note's editor offers: those read with the notes (kept while they are
        read again); before the first read, a finder that reads them when first searched and
        names one by its id meanwhile, so that the editor opens without waiting."""
        if self._finder is None:
            self._finder = client_picker(self.amtui.workspace).finder
        return self._finder

    def action_open(self) -> None:
        note_id = self.current_id()
        if note_id:
            open_note(self.amtui, note_id, self.finder())

    def action_new(self) -> None:
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.services.templates import load_templates
        from amtui.ui.note_forms import template_options

        templates, problems = load_templates(self.amtui.workspace)
        for problem in problems:
            self.notify(_("Template skipped: {problem}").format(problem=problem),
                        severity="warning", markup=False)
        by_key = {template.key: template for template in templates}

        def chosen(key: str | None) -> None:
            if key is not None:
                self.new_note(by_key.get(key))

        self.app.push_screen(PickScreen(_("New note from a template"),
                                        template_options(templates), ""), chosen)

    def new_note(self, template: NoteTemplate | None) -> None:
        """Open the editor on a new note (not saved until F2 or Esc), for the client the list
        is filtered by, if any."""
        # lazy: pydantic, loaded on first use
        from amtui.models import Note, NoteKind
        from amtui.services.templates import author

        client_id = self.note_filter.client_id if self.note_filter else ""
        client_name = self.note_filter.client_name if self.note_filter else ""
        if template is None:
            note = Note(title=_("Untitled"), client_id=client_id or None)
        else:
            today = self.amtui.workspace.clock().date()
            title, body = template.fill(client_name, today, author(self.amtui.workspace))
            note = Note(title=title, body=body, kind=NoteKind(template.kind),
                        client_id=client_id or None)
        # lazy: kept out of the app start
        from amtui.ui.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(note, self.finder(), new=True))

    def action_pin(self) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.services.notes import set_pinned

        row = self._current_row()
        if row is None:
            return
        workspace = self.amtui.workspace
        message = _("Pinned") if not row.pinned else _("Unpinned")
        self.amtui.change(lambda: set_pinned(workspace, row.id, not row.pinned), message)

    def action_delete(self) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.services.notes import delete_note

        row = self._current_row()
        if row is None:
            return
        workspace = self.amtui.workspace
        self.amtui.change(lambda: delete_note(workspace, row.id),
                          _("Note moved to the trash; u undoes"))

    def _current_row(self) -> NoteRow | None:
        note_id = self.current_id()
        return self._by_id.get(note_id) if note_id else None

    def action_filters(self) -> None:
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.services.notes import NoteFilter, all_tags
        from amtui.ui.note_forms import filter_form

        def chosen(new: NoteFilter | None) -> None:
            if new is not None:
                self.note_filter = new or None
                self.refilter()

        self.app.push_screen(filter_form(self.note_filter or NoteFilter(), self.finder(),
                                         all_tags(self.notes)), chosen)

    def action_clear_filters(self) -> None:
        self.note_filter = None
        self.refilter()


def open_note(app: Any, note_id: str, finder: NameFinder | None = None) -> None:
    """Open the stored note in the editor (from the list, a client's timeline, the palette).
    With a ``finder`` (the Notes pane's) the note is read at once, as its preview is; without
    one, the note and the clients it offers are read in a worker, and the editor opens when
    they are (a second open while one is being read is ignored). A file that cannot be read
    is reported."""
    # lazy: pydantic, loaded on first use
    from amtui.models import Note
    from amtui.storage import StorageError

    if finder is not None:
        try:
            note = app.workspace.repo(Note).find(note_id)
        except StorageError as error:
            app.notify(one_line(str(error)), severity="error", markup=False)
            return
        _show_note(app, note, finder)
        return
    if any(worker.group == "open-note" and worker.state in (WorkerState.PENDING,
                                                            WorkerState.RUNNING)
           for worker in app.workers):
        return
    app.run_worker(partial(_read_note, app, note_id), thread=True, group="open-note",
                   exit_on_error=False)


def _read_note(app: Any, note_id: str) -> None:
    """Read the note and the clients, then open the editor on it (in a worker)."""
    # lazy: pydantic, loaded on first use
    from amtui.models import Note
    from amtui.storage import StorageError

    try:
        workspace = app.workspace
        note = workspace.repo(Note).find(note_id)
        finder = NameFinder(workspace.file("clients").scan())
        finder.warm()
    except StorageError as error:
        app.call_from_thread(app.notify, one_line(str(error)), severity="error", markup=False)
        return
    app.call_from_thread(_show_note, app, note, finder)


def _show_note(app: Any, note: Note | None, finder: NameFinder) -> None:
    # lazy: kept out of the app start
    from amtui.ui.note_editor import NoteEditor

    if note is None:
        app.notify(_("That note is no longer there."), severity="warning", markup=False)
        return
    app.push_screen(NoteEditor(note, finder, new=False))


def changed_day(updated_at: str) -> str:
    """The day of a note's last change (stored as ISO) in numbers, as the other panes show
    days: «23.11.2026» (made without Babel, so that the first screen does not wait for it)."""

    return date.fromisoformat(updated_at[:10]).strftime("%d.%m.%Y") if updated_at else ""
