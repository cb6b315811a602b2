"""The Board pane, driven by the keys a user presses."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.color import Color
from textual.strip import Strip
from textual.theme import Theme
from textual.widgets import Input, OptionList, Static

from amtui.models import ChecklistItem, Client, Task
from amtui.storage import InvalidRecord, Workspace
from amtui.testing import WAIT_LIMIT, StillClock, settle
from amtui.text import visible
from amtui.ui.app import AmtuiApp
from amtui.ui.panes.board import BoardPane
from amtui.ui.task_screen import TaskScreen
from amtui.ui.widgets.cards import BoardView
from amtui.ui.widgets.choice import Choice

HOSTILE = "[@click=app.quit]x[/] \x1b[31mred"


@pytest.fixture
def filled(workspace: Workspace, clock: StillClock) -> Workspace:
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    tasks = workspace.repo(Task)
    tasks.add(Task(title="Тексты для лендинга", column="todo", position=1.0,
                   client_id=client.id, department="copywriting", assignee="Лена",
                   due=date(2026, 11, 20),
                   checklist=[ChecklistItem(text="Структура"), ChecklistItem(text="Черновик")]))
    tasks.add(Task(title="Метатеги", column="todo", position=2.0, department="seo"))
    tasks.add(Task(title=HOSTILE, column="review", position=1.0))
    return workspace


def view(app: AmtuiApp) -> BoardView:
    return app.screen.query_one(BoardView)


def cards(app: AmtuiApp, column: str) -> list[str]:
    return [entry.title for entry in view(app).column_of(column).entries if entry.card_id]


def details(app: AmtuiApp, column: str) -> list[str]:
    """Each card's second line, whole: whose work it is, then its facts."""
    return [" · ".join([*entry.who, *(part for part, _kind in entry.details or ())])
            for entry in view(app).column_of(column).entries if entry.card_id]


def drawn(app: AmtuiApp, column: str) -> list[Strip]:
    """The column's lines as drawn, its header first."""
    board = view(app)
    region = board.column_region(column)
    assert region is not None, f"{column} is not shown"
    return [board.render_line(y).crop(region.x, region.right)
            for y in range(board.size.height)]


def header(app: AmtuiApp, column: str) -> str:
    return drawn(app, column)[0].text.strip()


def shown(app: AmtuiApp, column: str) -> list[str]:
    """Every line of the column as drawn under its header (titles, details, headings, notes)."""
    return [strip.text for strip in drawn(app, column)[1:]]


def background(strip: Strip) -> Color | None:
    return next(iter(strip)).style.bgcolor  # type: ignore[union-attr]


def stored(workspace: Workspace, title: str) -> Task:
    return next(task for task in workspace.repo(Task).all() if task.title == title)


async def open_board(app: AmtuiApp, pilot: Any) -> BoardPane:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, BoardPane)
    return screen


async def test_the_board_shows_columns_and_cards(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(240, 40)) as pilot:
        await open_board(app, pilot)
        assert [header(app, "backlog"), header(app, "todo")] == ["Backlog 0", "To do 2"]
        assert cards(app, "todo") == ["Тексты для лендинга", "Метатеги"]
        card = details(app, "todo")[0]
        assert "ООО «Ромашка»" in card and "Лена" in card and "☑0/2" in card
        assert "!20.11" in card  # overdue
        assert shown(app, "todo")[1].rstrip() == "ООО «Ромашка» · copyw… !20.11 ☑0/2 Лена"
        # Shown as it is, not as markup; the escape character made visible.
        assert shown(app, "review")[0].rstrip() == visible(HOSTILE)
        assert cards(app, "review") == [HOSTILE]


async def test_number_key_four_opens_the_board(filled: Workspace) -> None:
    app = AmtuiApp(filled)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await open_board(app, pilot)
        assert app.current_pane == "board"


async def test_move_keys_move_the_task_and_the_cursor_follows(filled: Workspace,
                                                             clock: StillClock) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(app, pilot)
        await pilot.press("l")  # to do, on its first card
        await pilot.press("L")
        await settle(pilot)
        assert stored(filled, "Тексты для лендинга").column == "in_progress"
        assert cards(app, "in_progress") == ["Тексты для лендинга"]
        assert board.focused is view(app) and view(app).current_card_id == stored(
            filled, "Тексты для лендинга").id
        # The cursor's card is drawn in the cursor's colours, both its lines.
        cursor = view(app).look.cursor.bgcolor
        assert [background(line) for line in drawn(app, "in_progress")[1:3]] == [cursor] * 2
        await pilot.press("L", )
        await settle(pilot)
        await pilot.press("shift+right", )
        await settle(pilot)
        assert stored(filled, "Тексты для лендинга").blocked_by_client  # client approval
        await pilot.press("L")
        await settle(pilot)
        done = stored(filled, "Тексты для лендинга")
        assert (done.column, done.done_at) == ("done", clock())
        await pilot.press("u")  # undo the last move
        await settle(pilot)
        assert stored(filled, "Тексты для лендинга").column == "client_approval"
        await pilot.press("H")
        await settle(pilot)
        assert stored(filled, "Тексты для лендинга").column == "review"


async def test_the_boards_own_saves_are_shown_without_reading_it_again(
        filled: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.services import board as service

    move, calls, go_on = service.move, [], threading.Event()

    def held_first_move(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            assert go_on.wait(timeout=WAIT_LIMIT)  # the next moves must wait for this one
        return move(*args, **kwargs)

    monkeypatch.setattr(service, "move", held_first_move)
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(240, 40)) as pilot:
        board = await open_board(app, pilot)
        reads = board.loads_shown
        try:
            await pilot.press("l", "L", "L", "L")  # while the first is being saved
        finally:
            go_on.set()
        await settle(pilot)
        assert isinstance(app.screen, BoardPane)  # no conflict
        assert stored(filled, "Тексты для лендинга").column == "client_approval"
        # The task as saved: waiting on the client since the move.
        assert "⏸0d" in details(app, "client_approval")[0]
        await pilot.press("J")  # alone in its column: nothing to do
        await pilot.press("h", "J")
        await settle(pilot)
        assert cards(app, "review") == [HOSTILE]
        assert board.loads_shown == reads


async def test_a_save_noticed_before_it_is_done_does_not_read_the_board_again(
        filled: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.services import board as service

    move = service.move
    app = AmtuiApp(filled, pane="board")

    def move_noticed(*args: Any, **kwargs: Any) -> Any:
        saved = move(*args, **kwargs)
        board = app.screen
        assert isinstance(board, BoardPane)
        app.call_from_thread(board.data_changed)  # the file changed, the save not yet done
        return saved

    monkeypatch.setattr(service, "move", move_noticed)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(app, pilot)
        await pilot.press("l", "L")
        await settle(pilot)
        assert stored(filled, "Тексты для лендинга").column == "in_progress"
        assert board.loads_shown == 1


async def test_a_move_that_cannot_be_saved_is_taken_back(
        filled: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.services import board as service

    go_on = threading.Event()

    def refused(*args: Any, **kwargs: Any) -> Any:
        assert go_on.wait(timeout=WAIT_LIMIT)  # until the move has been seen on the board
        raise InvalidRecord("the column is closed")

    monkeypatch.setattr(service, "move", refused)
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        try:
            await pilot.press("l", "L")
            assert cards(app, "in_progress") == ["Тексты для лендинга"]  # shown at once
        finally:
            go_on.set()
        await settle(pilot)
        assert cards(app, "todo") == ["Тексты для лендинга", "Метатеги"]  # as stored
        assert cards(app, "in_progress") == []
        assert any("the column is closed" in str(note.message) for note in app._notifications)


async def test_a_change_saved_by_someone_else_is_read_again(filled: Workspace,
                                                           workspace_path: Path) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(240, 40)) as pilot:
        board = await open_board(app, pilot)
        reads = board.loads_shown
        other = Workspace.open(workspace_path)  # as another amtui would
        other.repo(Task).add(Task(title="Чужая", column="todo", position=0.5))
        app.look_for_changes()
        await settle(pilot)
        assert cards(app, "todo") == ["Чужая", "Тексты для лендинга", "Метатеги"]
        # Saved by someone else just before a move here: the move reads the board again.
        other.repo(Task).add(Task(title="Ещё одна", column="review"))
        await pilot.press("l", "L")
        await settle(pilot)
        assert stored(filled, "Тексты для лендинга").column == "in_progress"  # cursor kept
        assert cards(app, "review") == ["Ещё одна", HOSTILE]
        assert board.loads_shown == reads + 2


@pytest.mark.parametrize("when", ["before", "after"])
async def test_a_move_saved_by_another_app_at_the_same_moment_is_shown(
        filled: Workspace, workspace_path: Path, monkeypatch: pytest.MonkeyPatch,
        when: str) -> None:
    """Two apps move a card at the same moment: the other app's save lands while this
    board's move is being saved, just before it takes the lock or just after it wrote."""
    from amtui.services import board as service

    move = service.move
    other = Workspace.open(workspace_path)  # as another amtui would
    metatags = stored(filled, "Метатеги").id

    def at_the_same_moment(*args: Any, **kwargs: Any) -> Any:
        if when == "before":
            move(other, metatags, "review")
        saved = move(*args, **kwargs)
        if when == "after":
            move(other, metatags, "review")
        return saved

    monkeypatch.setattr(service, "move", at_the_same_moment)
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        await pilot.press("l", "L")
        await settle(pilot)
        app.look_for_changes()  # the app's next look at the files
        await settle(pilot)
        assert stored(filled, "Метатеги").column == "review"
        assert cards(app, "todo") == []
        assert cards(app, "in_progress") == ["Тексты для лендинга"]
        assert cards(app, "review") == ["Метатеги", HOSTILE]


async def test_a_click_puts_the_cursor_on_a_card(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        region = view(app).column_region("todo")
        assert region is not None
        await pilot.click(BoardView, offset=(region.x + 2, 4))  # the second card's title
        assert view(app).current_card_id == stored(filled, "Метатеги").id
        await pilot.click(BoardView, offset=(region.x + 2, 4), times=2)
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)


async def test_shift_j_and_k_reorder_within_the_column(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        await pilot.press("l", "J")
        await settle(pilot)
        assert cards(app, "todo") == ["Метатеги", "Тексты для лендинга"]
        await pilot.press("K")
        await settle(pilot)
        assert cards(app, "todo") == ["Тексты для лендинга", "Метатеги"]


async def test_a_column_at_its_wip_limit_refuses_the_move(workspace_path: Path,
                                                          clock: StillClock) -> None:
    Workspace.open(workspace_path, create=True)
    config = workspace_path / "workspace.toml"
    config.write_text(config.read_text() + "[wip_limits]\nin_progress = 1\n")
    workspace = Workspace.open(workspace_path, clock=clock)
    workspace.repo(Task).add(Task(title="Уже в работе", column="in_progress"))
    workspace.repo(Task).add(Task(title="Ждёт", column="todo"))
    app = AmtuiApp(workspace, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        assert header(app, "in_progress") == "In progress 1/1"
        await pilot.press("l", "L")
        await settle(pilot)
        assert stored(workspace, "Ждёт").column == "todo"
        assert any("limit is 1" in str(note.message) for note in app._notifications)


async def test_enter_opens_the_task_and_space_ticks_its_checklist(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(240, 40)) as pilot:
        await open_board(app, pilot)
        await pilot.press("l", "enter")
        await settle(pilot)  # the task is read in a worker
        assert isinstance(app.screen, TaskScreen)
        checklist = app.screen.query_one("#task-checklist", OptionList)
        assert str(checklist.get_option_at_index(0).prompt) == "☐ Структура"
        await pilot.press("down", "space")
        await settle(pilot)
        assert [item.done for item in stored(filled, "Тексты для лендинга").checklist] == [
            False, True]
        assert str(app.screen.query_one("#task-checklist", OptionList)
                   .get_option_at_index(1).prompt) == "☑ Черновик"
        await pilot.press("escape")
        await settle(pilot)
        assert "☑1/2" in details(app, "todo")[0]
        board = app.screen
        assert isinstance(board, BoardPane) and board.loads_shown == 1  # not read again


async def test_the_task_view_shows_days_and_times_as_people_read_them(
        filled: Workspace, clock: StillClock) -> None:
    task = stored(filled, "Тексты для лендинга")
    filled.repo(Task).update(task.model_copy(update={
        "blocked_by_client": True, "blocked_since": clock() - timedelta(days=2, hours=1)}))
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await pilot.press("l", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        fields = str(app.screen.query_one("#task-fields", Static).render())
        assert "Due: 20 Nov\n" in fields
        # 08:00 UTC is 11:00 in the agency's Moscow
        assert "Waiting on the client since: 24.11 11:00" in fields
        assert "2026-" not in fields


async def test_n_adds_a_task_to_the_column_and_e_edits_it(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        await pilot.press("l", "l", "n")
        await settle(pilot)
        await pilot.press(*"Баннеры")
        app.screen.query_one("#field-client", Input).value = "ооо «ромашка»"
        await pilot.press("f2")
        await settle(pilot)
        new = stored(filled, "Баннеры")
        assert new.column == "in_progress" and new.client_id is not None
        assert cards(app, "in_progress") == ["Баннеры"]
        await pilot.press("h", "n", *"Новая сверху", "f2")  # on top of a column with cards
        await settle(pilot)
        assert cards(app, "todo")[0] == "Новая сверху"
        assert view(app).current_card_id == stored(filled, "Новая сверху").id
        await pilot.press("l")
        await pilot.press("e")
        await settle(pilot)
        title = app.screen.query_one("#field-title", Input)
        title.value = "Баннеры к акции"
        await pilot.press("f2")
        await settle(pilot)
        assert stored(filled, "Баннеры к акции").id == new.id


async def test_a_client_that_does_not_exist_is_refused_next_to_the_field(
        filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Задача", "tab", *"Нет такого", "f2")
        await settle(pilot)
        error = str(app.screen.query_one("#error-client", Static).render())
        assert "no client matches «Нет такого»" in error
        assert app.screen.query_one("#field-title", Input).value == "Задача"  # kept


async def test_slash_filters_the_board_and_shift_f_clears(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(app, pilot)
        await pilot.press("slash")
        await settle(pilot)
        app.screen.query_one("#field-client", Input).value = "ооо «ромашка»"
        await pilot.press("f2")
        await settle(pilot)
        assert cards(app, "todo") == ["Тексты для лендинга"]
        assert cards(app, "review") == []
        assert "filtered" in str(board.query_one("#board-status", Static).render())
        await pilot.press("F")
        await settle(pilot)
        assert cards(app, "todo") == ["Тексты для лендинга", "Метатеги"]


def status_line(app: AmtuiApp) -> str:
    return str(app.screen.query_one("#board-status", Static).render())


async def filter_by_client(app: AmtuiApp, pilot: Any, client: str) -> None:
    await pilot.press("slash")
    await settle(pilot)
    app.screen.query_one("#field-client", Input).value = client
    await pilot.press("f2")
    await settle(pilot)


@pytest.mark.parametrize("language", ["en_US", "ru_RU"])
async def test_the_line_under_the_board_fits_at_80_columns_and_keeps_the_filters_note(
        filled: Workspace, language: str) -> None:
    from amtui.i18n import _, use_locale

    use_locale(language)  # the autouse fixture makes it English again after the test
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(app, pilot)
        width = board.query_one("#board-status", Static).content_region.width
        await filter_by_client(app, pilot, "ооо «ромашка»")
        parts = status_line(app).split(" · ")
        assert len(" · ".join(parts)) <= width  # nothing cut
        assert parts[1] == _("filtered (F clears)")  # whole
        assert parts[2:] in ([_("! overdue ⏸ waiting on client ◷ stale")],
                             [_("! late ⏸ waiting ◷ stale")])  # the legend whole, or short
        await pilot.press("w")  # swimlanes by client: the legend gives way first
        await settle(pilot)
        parts = status_line(app).split(" · ")
        assert len(" · ".join(parts)) <= width
        assert parts[1:3] == [_("filtered (F clears)"),
                              _("swimlanes by {what}").format(what=_("client"))]
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(160, 40)) as pilot:  # wide: the whole legend
        await open_board(app, pilot)
        await filter_by_client(app, pilot, "ооо «ромашка»")
        assert status_line(app).endswith(" · " + _("! overdue ⏸ waiting on client ◷ stale"))


async def test_the_arrow_keys_move_between_columns(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(app, pilot)
        await pilot.press("right", "right")
        await settle(pilot)
        assert board.focused is view(app) and view(app).current is not None
        assert view(app).current.id == "in_progress"
        await pilot.press("left")
        await settle(pilot)
        assert view(app).current.id == "todo"


async def test_the_cursor_is_drawn_in_the_focused_column_only(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        await pilot.press("l")
        await settle(pilot)
        cursor = view(app).look.cursor.bgcolor
        assert background(drawn(app, "todo")[1]) == cursor
        assert background(drawn(app, "todo")[4]) != cursor  # the next card
        assert background(drawn(app, "review")[1]) != cursor


async def test_w_groups_cards_in_swimlanes(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        await pilot.press("w")
        await settle(pilot)
        todo = view(app).column_of("todo")
        lanes = [entry.title for entry in todo.entries if entry.note]
        assert lanes == ["── ООО «Ромашка»", "── none"]
        assert details(app, "todo")[0].startswith("copywriting · ")  # the lane names the client
        await pilot.press("w")
        await settle(pilot)
        assert details(app, "todo")[0].startswith("ООО «Ромашка» · copywriting · ")
        # Every column has every lane (the review's "other" too), at the same line.
        assert [entry.title for entry in todo.entries if entry.note] == [
            "── copywriting", "── other", "── seo"]


async def test_swimlane_headings_line_up_across_columns(filled: Workspace) -> None:
    tasks = filled.repo(Task)
    tasks.add(Task(title="Ещё тексты", column="todo", position=3.0, department="copywriting"))
    tasks.add(Task(title="Семантика", column="review", position=2.0, department="seo"))
    for number in range(5):
        tasks.add(Task(title=f"Аудит {number}", column="review", position=3.0 + number,
                       department="seo"))
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await pilot.press("w", "w")  # by department
        await settle(pilot)

        def heading_rows(column: str) -> dict[str, int]:
            return {line.strip(): row for row, line in enumerate(shown(app, column))
                    if line.startswith("── ")}

        rows = heading_rows("todo")
        assert list(rows) == ["── copywriting", "── other", "── seo"]
        assert heading_rows("backlog") == rows == heading_rows("review")
        assert rows["── other"] - rows["── copywriting"] == 2 + 2 * 3  # two copywriting cards
        # Scrolled down, the columns stay lined up.
        await pilot.press("l", "l", "l", "end")
        await settle(pilot)
        moved = heading_rows("todo")
        assert moved != rows and moved == heading_rows("review") == heading_rows("backlog")
        # Steps to the left keep to the lane (across an empty column): the cursor goes to
        # its card there.
        await pilot.press("h", "h")
        await settle(pilot)
        todo = view(app).current
        assert todo is not None and todo.id == "todo" and todo.cursor is not None
        assert todo.entries[todo.cursor].title == "Метатеги"
        assert heading_rows("todo") == moved
        # Back to the first card: the first lane's heading is in view above it again.
        await pilot.press("home")
        await settle(pilot)
        assert heading_rows("todo") == rows


async def test_old_done_tasks_are_counted_and_the_filter_shows_them(
        workspace: Workspace, clock: StillClock) -> None:
    for days in (1, 20, 40):
        workspace.repo(Task).add(Task(title=f"Сделано {days} дн.", column="done",
                                      position=float(days),
                                      done_at=clock() - timedelta(days=days)))
    app = AmtuiApp(workspace, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        assert cards(app, "done") == ["Сделано 1 дн."]
        assert view(app).column_of("done").entries[-1].title == (
            "2 done earlier, not shown (/ shows them)")
        assert any(line.startswith("2 done earlier") for line in shown(app, "done"))
        await pilot.press("slash")
        await settle(pilot)
        app.screen.query_one("#field-done_earlier").focus()
        await pilot.press("right")
        assert app.screen.query_one("#field-done_earlier", Choice).value == "yes"
        await pilot.press("f2")
        await settle(pilot)
        assert cards(app, "done") == ["Сделано 1 дн.", "Сделано 20 дн.", "Сделано 40 дн."]
        assert header(app, "done") == "Done 3"
        await pilot.press("F")
        await settle(pilot)
        assert cards(app, "done") == ["Сделано 1 дн."]


async def test_the_board_works_at_80_by_24(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(app, pilot)
        assert view(app).column_region("done") is None  # not all columns fit
        assert view(app).render_line(0).text.endswith("▸")  # more on the right
        for _ in range(5):
            await pilot.press("l")
        await settle(pilot)
        assert board.focused is view(app) and view(app).current_card_id is None
        region = view(app).column_region("done")  # scrolled into sight
        assert region is not None and view(app).region.x + region.right <= 80
        assert header(app, "done") == "Done 0"
        assert view(app).column_region("backlog") is None
        assert header(app, "in_progress") == "◂ In progress 0"  # more on the left
        for _ in range(5):
            await pilot.press("h")
        await settle(pilot)
        assert header(app, "backlog") == "Backlog 0"


async def test_a_card_long_in_its_column_is_marked_stale(workspace: Workspace,
                                                         clock: StillClock) -> None:
    workspace.repo(Task).add(Task(title="Забытая", column="review",
                                  column_since=clock() - timedelta(days=6)))
    workspace.repo(Task).add(Task(title="Свежая", column="review", position=2.0,
                                  column_since=clock() - timedelta(days=1)))
    app = AmtuiApp(workspace, pane="board")
    async with app.run_test(size=(240, 40)) as pilot:
        await open_board(app, pilot)
        assert [("◷" in line) for line in details(app, "review")] == [True, False]
        assert "◷6d" in details(app, "review")[0]


async def test_the_board_is_drawn_again_in_a_new_theme(filled: Workspace) -> None:
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        dark = view(app).look
        app.theme = "textual-light"
        await settle(pilot)
        await settle(pilot)
        light = view(app).look
        assert light.base.bgcolor != dark.base.bgcolor and light.rule != dark.rule
        assert background(drawn(app, "todo")[2]) == light.base.bgcolor


async def test_marks_are_drawn_in_amtuis_theme_colours(workspace: Workspace,
                                                       clock: StillClock) -> None:
    today = clock().date()
    workspace.repo(Task).add(Task(title="Забытая", column="review",
                                  due=today - timedelta(days=1),
                                  column_since=clock() - timedelta(days=6)))
    workspace.repo(Task).add(Task(title="Ждёт", column="client_approval", due=today,
                                  blocked_by_client=True,
                                  blocked_since=clock() - timedelta(days=2)))
    app = AmtuiApp(workspace, pane="board")
    async with app.run_test(size=(240, 40)) as pilot:
        app.register_theme(Theme(name="marks", primary="#0000ff", variables={
            "amtui-overdue": "#ff0001", "amtui-due-today": "#ff0002",
            "amtui-waiting-client": "#ff0003", "amtui-stale": "#ff0004"}))
        app.theme = "marks"
        await open_board(app, pilot)

        def colour(column: str, text: str) -> str:
            segment = next(segment for strip in drawn(app, column) for segment in strip
                           if text in segment.text)
            assert segment.style is not None and segment.style.color is not None
            return segment.style.color.get_truecolor().hex

        assert colour("review", "!" + (today - timedelta(days=1)).strftime("%d.%m")) == \
            "#ff0001"
        assert colour("review", "◷6d") == "#ff0004"
        assert colour("client_approval", "today") == "#ff0002"
        assert colour("client_approval", "⏸2d") == "#ff0003"


@pytest.fixture
def facts(workspace: Workspace, clock: StillClock) -> Workspace:
    """A card with every fact, a done one past its due day, one waiting on the client."""
    now, today = clock(), clock().date()
    long_name = workspace.repo(Client).add(Client(name="Общество «Северо-Западная Логистика»"))
    tasks = workspace.repo(Task)
    tasks.add(Task(title="Перелинковка каталога обуви", column="review", position=1.0,
                   client_id=long_name.id, department="seo", assignee="Аня, дизайн",
                   due=today - timedelta(days=2), column_since=now - timedelta(days=9),
                   checklist=[ChecklistItem(text="Список")]))
    tasks.add(Task(title="Сдано давно", column="done", position=1.0, client_id=long_name.id,
                   due=today - timedelta(days=3), done_at=now - timedelta(days=1)))
    tasks.add(Task(title="Ждём тексты", column="client_approval", position=1.0,
                   client_id=long_name.id, assignee="Stas", due=today + timedelta(days=4),
                   blocked_by_client=True, blocked_since=now - timedelta(days=6)))
    return workspace


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_cards_show_due_waiting_stale_and_assignee_at_any_width(
        facts: Workspace, clock: StillClock, size: tuple[int, int]) -> None:
    today = clock().date()
    app = AmtuiApp(facts, pane="board")
    async with app.run_test(size=size) as pilot:
        await open_board(app, pilot)
        for _ in range(5):
            await pilot.press("l")  # the last columns in sight at 80 columns too
        await settle(pilot)
        overdue = "!" + (today - timedelta(days=2)).strftime("%d.%m")
        card = shown(app, "review")[1]
        # The client shortened, every fact kept: overdue, stale 9 days, the assignee.
        assert card.startswith("Общ") and "…" in card
        assert overdue in card and "◷9d" in card and card.rstrip().endswith("Аня")
        waiting = shown(app, "client_approval")[1]
        assert (today + timedelta(days=4)).strftime("%d.%m") in waiting
        assert "!" not in waiting and "⏸6d" in waiting and "Stas" in waiting
        done = shown(app, "done")[1]  # past its due day, but done: not overdue
        assert (today - timedelta(days=3)).strftime("%d.%m") in done and "!" not in done
        status = str(app.screen.query_one("#board-status", Static).render())
        assert "! overdue" in status and "⏸ waiting on client" in status


async def test_the_overdue_filter_leaves_out_done_tasks(facts: Workspace) -> None:
    app = AmtuiApp(facts, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        assert cards(app, "done") == ["Сдано давно"]
        await pilot.press("slash")
        await settle(pilot)
        app.screen.query_one("#field-due").focus()
        await pilot.press("o")
        assert app.screen.query_one("#field-due", Choice).value == "overdue"
        await pilot.press("f2")
        await settle(pilot)
        assert cards(app, "review") == ["Перелинковка каталога обуви"]
        assert cards(app, "done") == [] and cards(app, "client_approval") == []
        assert header(app, "done") == "Done 0"


async def test_page_keys_go_a_screenful_down_and_up_the_column(workspace: Workspace) -> None:
    tasks = workspace.repo(Task)
    for number in range(30):
        tasks.add(Task(title=f"Задача {number:02}", column="backlog", position=float(number)))
    app = AmtuiApp(workspace, pane="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        column = view(app).column_of("backlog")

        def current() -> str:
            assert column.cursor is not None
            return column.entries[column.cursor].title

        await pilot.press("pagedown")
        await settle(pilot)
        paged = current()
        assert 5 <= int(paged.split()[1]) < 29  # a screenful down: not one card, not the last
        lines = "\n".join(shown(app, "backlog"))
        assert paged in lines and "Задача 00" not in lines  # scrolled to it
        await pilot.press(*["pagedown"] * 5)
        await settle(pilot)
        assert current() == "Задача 29" and "Задача 29" in "\n".join(shown(app, "backlog"))
        await pilot.press("pageup")
        await settle(pilot)
        assert 0 < int(current().split()[1]) < 29
        await pilot.press(*["pageup"] * 5)
        await settle(pilot)
        assert current() == "Задача 00"
        # The cursor is where the user sees it: the card paged to is the one moved.
        await pilot.press("pagedown", "L")
        await settle(pilot)
        assert stored(workspace, paged).column == workspace.settings.columns[1]
        assert paged in cards(app, workspace.settings.columns[1])


async def test_cards_and_lanes_name_the_department_in_russian(filled: Workspace) -> None:
    from amtui.i18n import use_locale

    use_locale("ru_RU")  # the autouse fixture makes it English again after the test
    app = AmtuiApp(filled, pane="board")
    async with app.run_test(size=(240, 40)) as pilot:
        await open_board(app, pilot)
        assert details(app, "todo")[0].startswith("ООО «Ромашка» · копирайтинг")
        await pilot.press("w", "w")  # lanes by department
        await settle(pilot)
        lanes = "\n".join(shown(app, "todo"))
        assert "копирайтинг" in lanes and "copywriting" not in lanes, lanes
