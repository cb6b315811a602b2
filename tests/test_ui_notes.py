"""The Notes pane and editor, driven by the keys a user presses: search with highlights,
filters, pin, delete, templates, the editor's save and close keys, preview and checklist, and the
client timeline opening a note."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Markdown, OptionList, Static, TextArea

from amtui.models import Client, Note
from amtui.services.finder import FinderIndex
from amtui.storage import Repository, StorageError, TrashBin, Workspace
from amtui.testing import WAIT_LIMIT, StillClock, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.ask import PickScreen
from amtui.ui.client_card import ClientCard
from amtui.ui.confirm import UnsavedScreen
from amtui.ui.forms import FilterForm
from amtui.ui.note_editor import NoteEditor
from amtui.ui.panes.notes import MATCH_STYLE, NotesPane
from amtui.ui.widgets.choice import Choice
from amtui.ui.widgets.keybar import KeyBar
from conftest import palette_lines, snapshot_files

HOSTILE = "[@click=app.quit]x[/] \x1b[31mred"


@pytest.fixture
def base(workspace: Workspace, clock: StillClock) -> Workspace:
    clients = workspace.repo(Client)
    romashka = clients.add(Client(name="ООО «Ромашка»"))
    clients.add(Client(name="Atlas Fitness"))
    repo = workspace.repo(Note)
    repo.add(Note(title="Встреча с Ромашкой", client_id=romashka.id, kind="meeting",
                  body="Обсудили бюджет на SEO.\n\n- [ ] Прислать отчёт", tags=["seo"]))
    clock.advance(minutes=5)
    repo.add(Note(title="Бриф: зелёный сайт", client_id=romashka.id, kind="brief",
                  body="Цель: заявки.", tags=["важное"]))
    clock.advance(minutes=5)
    repo.add(Note(title="Brand book", kind="knowledge", body="Fonts and colours " + HOSTILE,
                  pinned=True))
    return workspace


def titles(app: AmtuiApp) -> list[str]:
    table = app.screen.query_one("#records", DataTable)
    return [table.get_row_at(row)[1].plain for row in range(table.row_count)]


def stored(workspace: Workspace) -> dict[str, Note]:
    return {note.title: note for note in workspace.repo(Note).all()}


async def paste(pilot: Pilot[None], widget: Input | TextArea, text: str) -> None:
    widget.focus()
    widget.post_message(events.Paste(text))
    await settle(pilot)


async def test_list_pinned_first_then_newest(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert titles(app) == ["Brand book", "Бриф: зелёный сайт", "Встреча с Ромашкой"]
        table = app.screen.query_one("#records", DataTable)
        assert table.get_row_at(0)[0].plain == "★"
        assert table.get_row_at(2)[4].plain == "0/1"  # checklist progress
        preview = str(app.screen.query_one("#note-preview-box", Static).render())
        assert "\\x1b[31mred" in preview and "[@click=app.quit]" in preview  # shown, not run


async def test_search_ranks_and_highlights_russian_text(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ЗЕЛЕНЫЙ")
        await settle(pilot)
        assert titles(app) == ["Бриф: зелёный сайт"]
        title = app.screen.query_one("#records", DataTable).get_row_at(0)[1]
        assert isinstance(title, Text)
        marked = [title.plain[span.start:span.end] for span in title.spans
                  if span.style == MATCH_STYLE]
        assert marked == ["зелёный"]
        search = app.screen.query_one("#search", Input)
        search.value = ""
        await paste(pilot, search, "бюджет")
        assert titles(app) == ["Встреча с Ромашкой"]  # found in the body
        preview = app.screen.query_one("#note-preview-box", Static).render()
        assert "бюджет" in str(preview)
        assert any(str(preview)[span.start:span.end] == "бюджет" for span in preview.spans)
        assert "1 of 3" in str(app.screen.query_one("#list-status", Static).render())


async def test_filter_by_client_kind_and_tag(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FilterForm)
        await paste(pilot, app.screen.query_one("#field-client", Input), "Ромаш")
        await pilot.press("enter")  # takes the client from the list
        app.screen.query_one("#field-kind").focus()
        await pilot.press("b")
        assert app.screen.query_one("#field-kind", Choice).value == "brief"
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, NotesPane)
        assert titles(app) == ["Бриф: зелёный сайт"]
        assert "filter: client ООО «Ромашка», kind brief" in str(
            app.screen.query_one("#list-status", Static).render())
        await pilot.press("F")
        await settle(pilot)
        assert len(titles(app)) == 3
        await pilot.press("f")
        app.screen.query_one("#field-tag").focus()
        await pilot.press("s")
        assert app.screen.query_one("#field-tag", Choice).value == "seo"
        await pilot.press("f2")
        await settle(pilot)
        assert titles(app) == ["Встреча с Ромашкой"]


async def test_pin_and_delete_then_undo(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#records", DataTable).move_cursor(row=2)
        await pilot.press("p")
        await settle(pilot)
        assert stored(base)["Встреча с Ромашкой"].pinned
        assert titles(app)[:2] == ["Встреча с Ромашкой", "Brand book"]  # newest pinned first
        app.screen.query_one("#records", DataTable).move_cursor(
            row=titles(app).index("Бриф: зелёный сайт"))
        await pilot.press("x")
        await settle(pilot)
        assert "Бриф: зелёный сайт" not in stored(base)
        assert "Бриф: зелёный сайт" not in titles(app)
        assert any(entry.source_table == "notes" for entry in TrashBin(base).entries())
        await pilot.press("u")
        await settle(pilot)
        assert "Бриф: зелёный сайт" in stored(base)


async def test_new_note_from_the_checklist_template_tick_and_save(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, PickScreen)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt)
                  for i in range(options.option_count)]
        options.highlighted = next(i for i, label in enumerate(labels)
                                   if label.startswith("Anti-disaster"))
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        area = editor.query_one("#note-body", TextArea)
        first_item = next(i for i, text in enumerate(area.text.split("\n"))
                          if text.startswith("- [ ]"))
        area.cursor_location = (first_item, 0)
        await pilot.press("f4")
        assert area.text.split("\n")[first_item].startswith("- [x]")
        assert base.repo(Note).count() == 3  # nothing stored before a save
        await pilot.press("f2")
        await settle(pilot)
        note = stored(base)["Anti-disaster checklist"]
        assert note.kind.value == "checklist"
        assert note.body.count("- [x]") == 1 and note.body.count("- [ ]") == 9
        await pilot.press("f4")  # untick, then leave: Esc asks, s saves
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, NotesPane)
        assert stored(base)["Anti-disaster checklist"].body.count("- [x]") == 0
        assert base.repo(Note).count() == 4  # saved twice, stored once
        assert "Anti-disaster checklist" in titles(app)


async def test_edit_client_kind_and_tags_and_live_preview(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#records", DataTable).move_cursor(row=0)  # Brand book
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        client = editor.query_one("#note-client", Input)
        await paste(pilot, client, "atlas")
        await pilot.press("enter")
        editor.query_one("#note-kind").focus()
        await pilot.press("s")
        assert editor.query_one("#note-kind", Choice).value == "spec"
        await paste(pilot, editor.query_one("#note-tags", Input), "design, web")
        await pilot.press("f3")
        assert editor.has_class("-preview")
        area = editor.query_one("#note-body", TextArea)
        await paste(pilot, area, "\n# Heading typed\n- [x] done")
        preview = editor.query_one("#note-preview", Markdown)
        await wait_until(pilot, lambda: "Heading typed" in preview.source, "the preview")
        assert "☑ done" in preview.source
        await pilot.press("f2")
        await settle(pilot)
        note = stored(base)["Brand book"]
        atlas = base.repo(Client).resolve("Atlas Fitness")
        assert note.client_id == atlas.id
        assert note.kind.value == "spec" and note.tags == ["design", "web"]
        assert "# Heading typed" in note.body


async def test_tab_into_the_title_keeps_it_and_types_after_it(base: Workspace) -> None:
    """Tab into a field never selects its text: the next key adds to it, not replaces it."""
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#records", DataTable).move_cursor(row=0)  # Brand book
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        title = editor.query_one("#note-title", Input)
        before = title.value
        editor.query_one("#note-kind").focus()
        await pilot.press("shift+tab")
        assert title.has_focus
        await pilot.press("2")
        assert title.value == before + "2"


async def test_blank_title_is_refused_and_esc_leaves_without_saving_once_told_to(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = {title: note.rev for title, note in stored(base).items()}
        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one("#note-title", Input).value = "   "
        await pilot.press("f2")
        await settle(pilot)
        error = editor.query_one("#note-error", Static)
        assert "title" in str(error.render()) and error.display
        await pilot.press("escape", "s")  # save: refused again, the editor stays
        await settle(pilot)
        assert app.screen is editor and error.display
        await pilot.press("escape", "d")  # discard
        await settle(pilot)
        assert isinstance(app.screen, NotesPane)
        assert {title: note.rev for title, note in stored(base).items()} == before


async def test_unknown_client_is_refused(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        client = editor.query_one("#note-client", Input)
        client.value = "Nobody at all"
        await pilot.press("f2")
        await settle(pilot)
        assert "no client matches" in str(editor.query_one("#note-error", Static).render())
        assert app.screen is editor


async def test_a_note_appears_on_its_clients_timeline_and_opens_by_id(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        romashka = base.repo(Client).resolve("ООО «Ромашка»")
        app.open_record("clients", romashka.id)
        await settle(pilot)
        assert isinstance(app.screen, ClientCard)
        timeline = str(app.screen.query_one("#card-timeline", Static).render())
        assert "Бриф: зелёный сайт" in timeline and "Встреча с Ромашкой" in timeline
        assert "Brand book" not in timeline  # no client
        app.open_record("notes", stored(base)["Бриф: зелёный сайт"].id)
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-title", Input).value == "Бриф: зелёный сайт"


async def test_the_palette_offers_the_panes_keys_as_commands(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#records", DataTable).move_cursor(row=2)
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "notes: pin" in commands and "notes: new" in commands
        assert not any("cursor" in title for title in commands)  # the table's own keys
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"notes: pin")
        await wait_until(pilot, lambda: palette_lines(app).startswith("notes: pin"),
                         "the palette to offer the command")
        await pilot.press("enter")
        await settle(pilot)
        assert stored(base)["Встреча с Ромашкой"].pinned


async def test_quitting_from_the_editor_saves_the_note_first(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Brand book
        assert isinstance(app.screen, NoteEditor)
        await paste(pilot, app.screen.query_one("#note-body", TextArea), "Typed just now. ")
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert "Typed just now. " in stored(base)["Brand book"].body


async def test_quitting_from_the_kinds_list_saves_the_note_first(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "enter")  # a blank note
        assert isinstance(app.screen, NoteEditor)
        editor = app.screen
        title = editor.query_one("#note-title", Input)
        title.value = "Заметка перед выходом"
        editor.query_one("#note-kind").focus()
        await pilot.press("enter")  # the list of kinds, over the editor
        await settle(pilot)
        assert app.screen is not editor
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert "Заметка перед выходом" in stored(base)


async def test_a_new_note_saved_unchanged_with_f2(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "enter")  # a blank note
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("f2")
        await settle(pilot)
        assert "Untitled" in stored(base)
        await pilot.press("escape")
        await settle(pilot)
        assert base.repo(Note).count() == 4


async def test_the_workspace_keymap_remaps_a_key(base: Workspace) -> None:
    app = AmtuiApp(base, pane="notes", keymap={"notes.pin": "P"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#records", DataTable).move_cursor(row=2)
        await pilot.press("p")  # no longer the key
        await settle(pilot)
        assert not stored(base)["Встреча с Ромашкой"].pinned
        await pilot.press("P")
        await settle(pilot)
        assert stored(base)["Встреча с Ромашкой"].pinned


@pytest.mark.parametrize("width, title_width", [(80, 28), (140, 44)])
async def test_wide_terminals_give_titles_more_room(base: Workspace, width: int,
                                                    title_width: int) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        columns = list(app.screen.query_one("#records", DataTable).columns.values())
        assert columns[1].width == title_width


async def test_a_note_opened_while_the_list_is_read_again_indexes_no_client_on_the_ui_thread(
        base: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    indexed_on: list[threading.Thread] = []
    index_of = FinderIndex.of

    def noted(table: str, records: list[dict[str, Any]]) -> FinderIndex:
        indexed_on.append(threading.current_thread())
        return index_of(table, records)

    monkeypatch.setattr(FinderIndex, "of", noted)
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, NotesPane)
        read, reading, go_on = pane.read, threading.Event(), threading.Event()

        def held() -> Any:
            reading.set()
            go_on.wait(WAIT_LIMIT)
            return read()

        monkeypatch.setattr(pane, "read", held)
        pane.query_one("#records", DataTable).move_cursor(row=1)  # Бриф: зелёный сайт
        await pilot.press("p")  # pinned: the list is read again (held back here)
        await wait_until(pilot, reading.is_set, "the list read again")
        assert stored(base)["Бриф: зелёный сайт"].pinned
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor), "the editor")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one("#note-client", Input).value == "ООО «Ромашка»"
        go_on.set()
        await settle(pilot)
        assert threading.main_thread() not in indexed_on


async def test_a_note_that_cannot_be_read_is_reported_and_opens_once(
        base: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note_id = stored(base)["Встреча с Ромашкой"].id
        app.open_record("notes", note_id)  # from the palette, pressed twice
        app.open_record("notes", note_id)
        await settle(pilot)
        assert [type(screen) for screen in app.screen_stack].count(NoteEditor) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, NotesPane)

        def damaged(repository: Repository[Any], record_id: str | None) -> None:
            raise StorageError("note 'x' in data/notes.json is not valid")

        monkeypatch.setattr(Repository, "find", damaged)
        await pilot.press("enter")
        await settle(pilot)
        app.open_record("notes", note_id)
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, NotesPane)
        assert [note.message for note in app._notifications
                if note.severity == "error"] == ["note 'x' in data/notes.json is not valid"] * 2


async def test_pinning_and_its_undo_are_said_in_russian(base: Workspace) -> None:
    from amtui.i18n import use_locale

    use_locale("ru_RU")  # the autouse fixture makes it English again after the test
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#records", DataTable).move_cursor(row=2)
        await pilot.press("p")
        await settle(pilot)
        assert stored(base)["Встреча с Ромашкой"].pinned
        await pilot.press("u")
        await settle(pilot)
        assert not stored(base)["Встреча с Ромашкой"].pinned
        told = [str(note.message) for note in app._notifications]
        assert "Отменено: заметка «Встреча с Ромашкой» закреплена" in told, told


async def test_the_palette_names_the_pane_and_says_no_match_in_russian(base: Workspace) -> None:
    from amtui.i18n import use_locale

    use_locale("ru_RU")
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert any(title.startswith("заметки: ") for title in commands), commands
        assert not any(title.startswith("notes: ") for title in commands)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"щщщщщ")
        await wait_until(pilot, lambda: "Ничего не найдено" in palette_lines(app),
                         "the palette to say nothing matches")


async def test_the_day_a_note_changed_is_shown_the_russian_way(base: Workspace,
                                                               clock: StillClock) -> None:
    from amtui.i18n import use_locale

    use_locale("ru_RU")
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#records", DataTable)
        changed = {table.get_row_at(row)[5].plain for row in range(table.row_count)}
    assert changed == {clock().strftime("%d.%m.%Y")}, changed


async def test_the_editor_saves_with_ctrl_s_and_stays_and_esc_asks_before_losing_changes(
        base: Workspace) -> None:
    """ctrl+s saves and keeps the editor open (its key bar says so); Esc with changes asks:
    keep editing, discard (nothing written) or save; Esc with none closes at once."""
    app = AmtuiApp(base, pane="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Brand book
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert "Save (stay)" in str(editor.query_one(KeyBar).render())
        area = editor.query_one("#note-body", TextArea)
        await pilot.press("end", "exclamation_mark")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(base)["Brand book"].body.endswith("!")
        assert app.screen is editor
        await pilot.press("escape")  # nothing more changed: closes
        await settle(pilot)
        assert isinstance(app.screen, NotesPane)

        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        area = editor.query_one("#note-body", TextArea)
        await paste(pilot, area, "черновик ")
        files = snapshot_files(base.root)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen)
        question = str(app.screen.query_one("#unsaved-question", Static).render())
        assert question == "The note has changes that are not saved."
        await pilot.press("k")  # keep editing: the text is still there
        await settle(pilot)
        assert app.screen is editor and "черновик " in area.text
        await pilot.press("escape", "d")  # discard
        await settle(pilot)
        assert isinstance(app.screen, NotesPane)
        assert snapshot_files(base.root) == files
        assert "черновик" not in stored(base)["Brand book"].body

        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        await paste(pilot, editor.query_one("#note-body", TextArea), "итог ")
        await pilot.press("escape", "s")  # save and close
        await settle(pilot)
        assert isinstance(app.screen, NotesPane)
        assert stored(base)["Brand book"].body.startswith("итог ")
