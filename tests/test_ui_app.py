"""The full-screen app, driven by the keys a user presses (Textual's Pilot)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static

from amtui.models import Client, Message, MessageStatus, Note, Task
from amtui.storage import Workspace
from amtui.testing import StillClock, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.client_card import ClientCard
from amtui.ui.confirm import ConfirmScreen
from amtui.ui.help import HelpScreen
from conftest import run_cli

HOSTILE = "[@click=app.quit]x[/] \x1b[31mred\x1b[0m"


@pytest.fixture
def filled(workspace: Workspace, clock: StillClock) -> Workspace:
    """A client with a late message, an overdue task, and a client with a hostile name."""
    clients = workspace.repo(Client)
    romashka = clients.add(Client(name="ООО «Ромашка»", cadence="weekly"))
    clients.add(Client(name=HOSTILE))
    now = clock()
    workspace.repo(Message).add(Message(
        client_id=romashka.id, text="Когда будет готов макет?", status="waiting_on_us",
        received_at=now - timedelta(hours=10), answer_by=now - timedelta(hours=2),
    ))
    workspace.repo(Task).add(Task(
        title="Тексты для лендинга", client_id=romashka.id, department="copywriting",
        due=date(2026, 11, 20), column="in_progress",
    ))
    return workspace


def agenda_text(app: AmtuiApp) -> str:
    agenda = app.screen.query_one("#agenda", OptionList)
    return "\n".join(str(agenda.get_option_at_index(i).prompt)
                     for i in range(agenda.option_count))


def table_cells(app: AmtuiApp) -> list[list[str]]:
    table = app.screen.query_one("#records", DataTable)
    return [[cell.plain if isinstance(cell, Text) else str(cell)
             for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_today_shows_the_agenda_with_counts(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = agenda_text(app)
        assert "Answers overdue (1)" in text
        assert "Когда будет готов макет?" in text
        assert "Tasks overdue (1)" in text
        assert "Тексты для лендинга" in text
        assert "Clear: Urgent · Due today · Waiting on the client" in text


async def test_number_keys_switch_panes(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert app.current_pane == "inbox"
        assert any("Когда будет готов макет?" in cell for row in table_cells(app)
                   for cell in row)
        await pilot.press("3")
        await settle(pilot)
        assert app.current_pane == "clients"
        assert sorted(row[0] for row in table_cells(app))[0].startswith("[@click")
        await pilot.press("1")
        assert app.current_pane == "today"


async def test_d_marks_a_late_message_answered(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#agenda", OptionList).highlighted_option.id.startswith(
            "late_answers:messages:")
        await pilot.press("d")
        await settle(pilot)
        (message,) = filled.repo(Message).all()
        assert message.status == MessageStatus.DONE
        assert "Answers overdue (" not in agenda_text(app)


async def test_d_on_an_overdue_task_moves_it_to_done(filled: Workspace,
                                                     clock: StillClock) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "down", "d")  # the next section's first line
        await settle(pilot)
        (task,) = filled.repo(Task).all()
        assert task.column == "done"
        assert task.done_at == clock()
        assert "Tasks overdue (" not in agenda_text(app)


async def test_hostile_names_show_literally_and_do_nothing(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        names = [row[0] for row in table_cells(app)]
        assert "[@click=app.quit]x[/] \\x1b[31mred\\x1b[0m" in names
        table = app.screen.query_one("#records", DataTable)
        row = names.index("[@click=app.quit]x[/] \\x1b[31mred\\x1b[0m")
        table.move_cursor(row=row)
        await pilot.click(table, offset=(2, row + 1))
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, ClientCard)
        shown = "\n".join(str(static.render()) for static in app.screen.query(Static))
        assert "[@click=app.quit]x[/]" in shown
        assert "\x1b" not in shown


async def test_typing_filters_the_clients(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(table_cells(app)) == 2
        await pilot.press("slash", *"ромаш")
        await settle(pilot)
        assert [row[0] for row in table_cells(app)] == ["ООО «Ромашка»"]
        assert "1 of 2" in str(app.screen.query_one("#list-status", Static).render())


async def settled_status(app: AmtuiApp, pilot: Any) -> str:
    """The list's status line once the search for similar names (a worker) is over."""

    def status() -> str:
        return str(app.screen.query_one("#list-status", Static).render())

    await wait_until(pilot, lambda: "looking for" not in status(),
                     "the search for similar names to finish")
    return status()


async def test_a_typo_in_the_client_search_offers_similar_names(filled: Workspace) -> None:
    filled.repo(Client).add(Client(name="Северный ветер"))
    app = AmtuiApp(filled, pane="clients")
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ромашко")
        assert "no exact match" in await settled_status(app, pilot)
        assert [row[0] for row in table_cells(app)] == ["ООО «Ромашка»"]
        await pilot.press(*["backspace"] * 7, *"сверный")
        await settled_status(app, pilot)
        assert [row[0] for row in table_cells(app)] == ["Северный ветер"]
        await pilot.press(*["backspace"] * 7, *"zzzz")
        assert "no exact match; similar names: 0" in await settled_status(app, pilot)
        assert table_cells(app) == []


async def test_help_lists_the_pane_and_global_keys(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(static.render()) for static in app.screen.query(Static))
        assert "Done / contacted" in shown
        assert "Help" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_lists_the_panes_own_keys_then_the_global_ones_then_the_widgets(
        filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#records", DataTable).focus()
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("n", "New") in help_screen.pane_keys
        assert ("?, f1", "Help") in help_screen.global_keys
        assert ("↑", "Cursor up") in help_screen.widget_keys
        assert not any(description == "Cursor up" for _key, description in
                       help_screen.pane_keys + help_screen.global_keys)
        shown = "\n".join(str(static.render()) for static in help_screen.query(Static))
        assert (shown.index("Clients") < shown.index("Everywhere")
                < shown.index("In lists and text boxes"))
        assert shown.index("New") < shown.index("Quit") < shown.index("Cursor up")
        assert shown.index("Search") < shown.index("Down")  # the pane's, then its list's


@pytest.mark.parametrize("pane", ["today", "inbox", "clients", "board", "notes"])
async def test_the_key_bar_keeps_help_and_the_palette_at_80_columns(filled: Workspace,
                                                                   pane: str) -> None:
    from amtui.ui.widgets.keybar import KeyBar

    app = AmtuiApp(filled, pane=pane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = str(app.screen.query_one(KeyBar).render())
        assert len(shown) <= 80
        assert shown.endswith("? Help  ^p Palette "), shown
        keys = {binding.description for binding in app.screen.BINDINGS
                if isinstance(binding, Binding) and binding.show}
        assert any(f" {description} " in shown for description in keys), shown  # a pane key


async def test_the_palette_has_one_theme_command(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert [title for title in titles if "theme" in title.casefold()] == ["theme: switch"]


async def test_a_change_from_another_process_appears(filled: Workspace, workspace_path: Path,
                                                     clock: StillClock) -> None:
    app = AmtuiApp(filled, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        other = Workspace.open(workspace_path, clock=clock)
        other.repo(Client).add(Client(name="Added elsewhere"))
        app.look_for_changes()
        await settle(pilot)
        assert "Added elsewhere" in [row[0] for row in table_cells(app)]


async def test_too_small_terminal_says_so(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(50, 12)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-too-small")
        assert app.screen.query_one("#too-small").display
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not app.screen.has_class("-too-small")


def test_unknown_pane_is_bad_input(workspace: Workspace) -> None:
    result = run_cli("--pane", "nowhere", workspace=workspace.root)
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "today" in result.stderr


async def test_u_undoes_the_last_change(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert filled.repo(Message).all()[0].status == MessageStatus.DONE
        await pilot.press("u")
        await settle(pilot)
        (message,) = filled.repo(Message).all()
        assert message.status == MessageStatus.WAITING_ON_US
        assert message.rev == 3
        assert "Answers overdue (1)" in agenda_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert filled.repo(Message).all()[0].rev == 3


async def test_u_pressed_while_a_change_is_saved_undoes_that_change(
        workspace: Workspace) -> None:
    """A change still in its worker when u is pressed is the one undone, once it is saved;
    never the change before it."""
    import threading

    from amtui.services.undo import Undo

    happened: list[str] = []
    release = threading.Event()

    def change(name: str, wait: bool = False) -> Any:
        def save() -> Undo:
            if wait:
                release.wait(60)
            happened.append(name)
            return Undo(name, lambda: happened.append(f"undo {name}"))
        return save

    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.change(change("first"), "")
        await settle(pilot)
        app.change(change("second", wait=True), "")
        await pilot.press("u")  # the second is still being saved
        assert happened == ["first"]
        release.set()
        await wait_until(pilot, lambda: happened[-1:] == ["undo second"], "the second undone")
        await settle(pilot)
        assert happened == ["first", "second", "undo second"]


async def test_u_pressed_twice_at_once_undoes_the_last_two_changes(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second u, pressed before the first has found what to undo, undoes the change
    before."""
    import threading

    from amtui.services import journal
    from amtui.services.undo import Undo

    happened: list[str] = []
    release = threading.Event()
    newer_change = journal.newer_change

    def held(*args: Any) -> Any:
        release.wait(60)
        return newer_change(*args)

    monkeypatch.setattr(journal, "newer_change", held)

    def change(name: str) -> Any:
        def save() -> Undo:
            happened.append(name)
            return Undo(name, lambda: happened.append(f"undo {name}"))
        return save

    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.change(change("first"), "")
        await settle(pilot)
        app.change(change("second"), "")
        await settle(pilot)
        await pilot.press("u", "u")
        release.set()
        await wait_until(pilot, lambda: happened[-1:] == ["undo first"], "both undone")
        await settle(pilot)
        assert happened == ["first", "second", "undo second", "undo first"]


async def test_undo_from_another_pane_names_it_asks_and_every_pane_shows_the_result(
        filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")  # on Today: the late message answered
        await settle(pilot)
        assert "Answers overdue (" not in agenda_text(app)  # listed as clear
        await pilot.press("2")
        await settle(pilot)
        assert table_cells(app)[0][2] == "done"
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "made in Today" in question and "Когда будет готов макет?" in question
        await pilot.press("n")  # kept
        await settle(pilot)
        assert filled.repo(Message).all()[0].status == MessageStatus.DONE
        await pilot.press("u", "y")
        await settle(pilot)
        assert filled.repo(Message).all()[0].status == MessageStatus.WAITING_ON_US
        assert table_cells(app)[0][2] != "done"  # the Inbox shows the undo at once
        await pilot.press("1")  # Today, read before the undo, shows it too (no ctrl+r)
        await settle(pilot)
        assert "Answers overdue (1)" in agenda_text(app)
        await pilot.press("d", "u")  # made here: undone without a question
        await settle(pilot)
        assert filled.repo(Message).all()[0].status == MessageStatus.WAITING_ON_US
        assert "Answers overdue (1)" in agenda_text(app)


async def test_trash_restores_a_deleted_record(filled: Workspace) -> None:
    (task,) = filled.repo(Task).all()
    filled.repo(Task).delete(task.id)
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await settle(pilot)
        rows = app.screen.query_one("#trash-table", DataTable)
        assert rows.row_count == 1
        assert "Тексты для лендинга" in rows.get_row_at(0)[3].plain
        await pilot.press("enter")
        await settle(pilot)
        assert [t.title for t in filled.repo(Task).all()] == ["Тексты для лендинга"]


async def test_palette_lists_the_panes_and_the_trash(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "go: Inbox" in titles and "trash: open" in titles and "edit: undo" in titles


async def test_the_palette_says_nothing_matched_in_the_language_in_use(
        filled: Workspace) -> None:
    """Textual's palette says "No matches found" in English; amtui's says it in Russian."""
    from amtui.i18n import use_locale
    from conftest import palette_lines

    use_locale("ru_RU")  # the autouse fixture makes it English again after the test
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"щщщзз")
        await wait_until(pilot, lambda: "Align" in palette_lines(app), "the palette's notice")
        (notice,) = app.screen.query(OptionList).only_one().options
        assert isinstance(notice.prompt, Align) and notice.disabled
        assert str(notice.prompt.renderable) == "Ничего не найдено"


async def test_the_palette_is_textuals_with_amtuis_list(filled: Workspace) -> None:
    """amtui's palette makes Textual's widgets, but its list (a test of the copy of
    CommandPalette.compose that lets it choose the list's class, at each Textual version)."""
    from textual.command import CommandList, CommandPalette

    from amtui.ui.app import Palette, PaletteList

    def widgets(screen: Screen[Any]) -> list[tuple[str, str | None, list[str]]]:
        return [("CommandList" if type(node) is PaletteList else type(node).__name__,
                 node.id, sorted(node.classes)) for node in screen.walk_children()]

    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(CommandPalette(placeholder="Find", id="--command-palette"))
        await settle(pilot)
        textuals = widgets(app.screen)
        app.pop_screen()
        await settle(pilot)
        await app.push_screen(Palette(placeholder="Find", id="--command-palette"))
        await settle(pilot)
        assert widgets(app.screen) == textuals
        assert type(app.screen.query_one(CommandList)) is PaletteList


async def test_a_pane_shown_the_first_time_or_again_is_not_styled_twice(
        filled: Workspace) -> None:
    """Textual styles every screen again when it shows a mode's screen for the first time;
    amtui's panes are styled once, as they are made, until the theme changes."""
    from amtui.ui.panes.base import PaneScreen

    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        styled = app.styles_version
        for key in "23451":
            await pilot.press(key)
            await settle(pilot)
        assert app.styles_version == styled
        app.theme = "amtui-light"
        await settle(pilot)
        assert app.styles_version > styled
        await pilot.press("3")  # made with the dark theme: styled again with the light one
        await settle(pilot)
        assert isinstance(app.screen, PaneScreen)
        assert app.screen.styled_with == app.styles_version
        light = app.get_css_variables()["background"]
        assert app.screen.styles.background.hex.upper() == light.upper()


async def test_s_snoozes_a_late_answer_for_the_days_typed(filled: Workspace,
                                                          clock: StillClock) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "number of days" in str(app.screen.query_one("#ask-problem", Static).render())
        assert filled.repo(Message).all()[0].snoozed_until is None
        await pilot.press("3", "enter")
        await settle(pilot)
        (message,) = filled.repo(Message).all()
        assert message.snoozed_until == clock() + timedelta(days=3)
        assert "Answers overdue (" not in agenda_text(app)
        clock.advance(days=4)
        app.screen.load()
        await settle(pilot)
        assert "Answers overdue (1)" in agenda_text(app)


async def test_the_key_bar_follows_the_pane_and_focus_and_a_click_presses_the_key(
        filled: Workspace) -> None:
    from amtui.ui.widgets.keybar import KeyBar

    app = AmtuiApp(filled)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Done / contacted" in str(app.screen.query_one(KeyBar).render())
        await pilot.press("3")
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        shown = str(bar.render())
        assert "Search" in shown and "Done / contacted" not in shown
        # A click on "? Help" presses ?, which opens the help.
        column = shown.index("? Help")
        await pilot.click(KeyBar, offset=(column + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_a_theme_change_redraws_a_table_shown_before(filled: Workspace) -> None:
    """The table keeps its drawn cells across pane switches, but not across a new look."""
    app = AmtuiApp(filled)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one("#records", DataTable)

        def background() -> object:
            """The colours of the header line and of the cursor's row."""
            return [next(iter(table.render_line(y))).style.bgcolor  # type: ignore[union-attr]
                    for y in (0, 1)]

        await pilot.press("1", "3")
        await settle(pilot)
        dark = background()
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await settle(pilot)
        assert background() != dark


@pytest.mark.parametrize(("pane", "key", "command_done"), [
    ("inbox", "d", lambda workspace: workspace.repo(Message).all()[0].status == "done"),
    ("notes", "p", lambda workspace: workspace.repo(Note).all()[0].pinned),
    ("clients", "x", lambda workspace: workspace.repo(Client).count() == 1),  # to the trash
])
async def test_on_a_list_letters_are_commands_and_slash_goes_to_the_search_box(
        filled: Workspace, pane: str, key: str, command_done: Any) -> None:
    """The search box says how to reach it and what its keys do; a letter typed in it
    searches and changes nothing stored; the same letter on the list is the pane's
    command."""
    from textual.widgets import Input

    from amtui.ui.widgets.keybar import KeyBar
    from conftest import snapshot_files

    filled.repo(Note).add(Note(title="Встреча с Ромашкой"))
    app = AmtuiApp(filled, pane=pane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        search = app.screen.query_one("#search", Input)
        bar = app.screen.query_one(KeyBar)
        assert app.screen.query_one("#records", DataTable).has_focus
        assert search.placeholder == "/ to search the list"
        assert "/ Search" in str(bar.render())
        await pilot.press("slash")
        assert search.has_focus
        assert search.placeholder == "Type to search…  (Enter or Esc: back to the list)"
        await settle(pilot)
        assert "Back to the list" in str(bar.render()) and "/ Search" not in str(bar.render())
        files = snapshot_files(filled.root)
        await pilot.press(key)
        await settle(pilot)
        assert search.value == key
        assert snapshot_files(filled.root) == files  # a search, not the command
        await pilot.press("backspace", "escape")
        await settle(pilot)
        assert app.screen.query_one("#records", DataTable).has_focus
        assert search.placeholder == "/ to search the list"
        await pilot.press(key)  # on the list: the command
        await wait_until(pilot, lambda: command_done(filled), "the command done")
