"""The board's service: columns, cards, moves with their side effects, WIP limits, order."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from amtui.models import ChecklistItem, Client, Task
from amtui.services import board
from amtui.storage import InvalidRecord, Workspace
from amtui.testing import StillClock
from conftest import snapshot_files


def titles(columns: list[board.Column]) -> dict[str, list[str]]:
    return {column.id: [card.title for card in column.cards] for column in columns}


@pytest.fixture
def client(workspace: Workspace) -> Client:
    return workspace.repo(Client).add(Client(name="ООО «Ромашка»"))


def add(workspace: Workspace, title: str, **fields: object) -> Task:
    return workspace.repo(Task).add(Task(title=title, **fields))  # type: ignore[arg-type]


def test_cards_are_in_their_columns_in_order(workspace: Workspace, client: Client) -> None:
    add(workspace, "Второй", column="todo", position=2.0, client_id=client.id)
    add(workspace, "Первый", column="todo", position=1.0)
    add(workspace, "Потерянный", column="no_such_column")
    columns = board.load_board(workspace)
    assert [column.id for column in columns] == list(workspace.settings.columns)
    assert titles(columns)["todo"] == ["Первый", "Второй"]
    assert titles(columns)["backlog"] == ["Потерянный"]  # nothing disappears
    card = columns[1].cards[1]
    assert card.client == "ООО «Ромашка»" and card.column == "todo"


def test_done_tasks_older_than_the_cut_off_are_only_counted(
        workspace: Workspace, clock: StillClock) -> None:
    add(workspace, "Давно", column="done", done_at=clock() - timedelta(days=30))
    add(workspace, "Вчера", column="done", done_at=clock() - timedelta(days=1))
    done = board.load_board(workspace)[-1]
    assert [card.title for card in done.cards] == ["Вчера"]
    assert done.older_done == 1


def test_columns_titles_and_limits_come_from_the_settings(workspace_path: Path,
                                                          clock: StillClock) -> None:
    Workspace.open(workspace_path, create=True)
    config = workspace_path / "workspace.toml"
    config.write_text(config.read_text() + 'columns = ["queue", "doing", "shipped"]\n'
                      '[column_titles]\ndoing = "В работе"\n[wip_limits]\ndoing = 1\n')
    workspace = Workspace.open(workspace_path, clock=clock)
    columns = board.load_board(workspace)
    assert [(c.id, c.title, c.wip) for c in columns] == [
        ("queue", "queue", None), ("doing", "В работе", 1), ("shipped", "shipped", None)]
    first = add(workspace, "Первая", column="queue")
    second = add(workspace, "Вторая", column="queue")
    board.move(workspace, first.id, "doing")
    before = snapshot_files(workspace_path)
    with pytest.raises(InvalidRecord, match="limit is 1"):
        board.move(workspace, second.id, "doing")
    assert snapshot_files(workspace_path) == before
    board.move(workspace, first.id, "shipped")  # the last column means done
    assert workspace.repo(Task).get(first.id).done_at == clock()


def test_moving_to_done_stamps_it_and_undo_takes_it_back(workspace: Workspace,
                                                        clock: StillClock) -> None:
    task = add(workspace, "Сделать", column="review")
    _moved, undo = board.move(workspace, task.id, "done")
    moved = workspace.repo(Task).get(task.id)
    assert (moved.column, moved.done_at, moved.column_since) == ("done", clock(), clock())
    undo.revert()
    back = workspace.repo(Task).get(task.id)
    assert (back.column, back.done_at) == ("review", None)
    clock.advance(hours=1)
    board.move(workspace, task.id, "done")
    board.move(workspace, task.id, "todo")
    assert workspace.repo(Task).get(task.id).done_at is None


def test_client_approval_waits_on_the_client_and_today_shows_it_later(
        workspace: Workspace, clock: StillClock, client: Client) -> None:
    from amtui.services.agenda import build_agenda

    task = add(workspace, "Макет", column="review", client_id=client.id)
    board.move(workspace, task.id, "client_approval")
    waiting = workspace.repo(Task).get(task.id)
    assert waiting.blocked_by_client and waiting.blocked_since == clock()
    card = board.load_board(workspace)[4].cards[0]
    clock.advance(days=4)
    assert card.waiting_days(clock()) == 4
    sections = {section.key: section for section in build_agenda(workspace)}
    assert [item.title for item in sections["waiting_on_client"].items] == ["Макет"]
    board.move(workspace, task.id, "in_progress")
    assert not workspace.repo(Task).get(task.id).blocked_by_client


def test_a_move_to_an_unknown_column_or_the_same_one_changes_nothing(
        workspace: Workspace, workspace_path: Path) -> None:
    task = add(workspace, "Задача", column="todo")
    before = snapshot_files(workspace_path)
    with pytest.raises(InvalidRecord, match="no board column"):
        board.move(workspace, task.id, "nowhere")
    with pytest.raises(InvalidRecord, match="already in"):
        board.move(workspace, task.id, "todo")
    assert snapshot_files(workspace_path) == before


def test_reorder_puts_a_card_between_its_neighbours(workspace: Workspace) -> None:
    for number in range(3):
        add(workspace, f"Задача {number}", column="todo", position=float(number))
    cards = board.load_board(workspace)[1].cards
    board.reorder(workspace, cards[2], cards[0], cards[1])
    assert titles(board.load_board(workspace))["todo"] == ["Задача 0", "Задача 2", "Задача 1"]
    cards = board.load_board(workspace)[1].cards  # 0, 2, 1
    board.reorder(workspace, cards[0], cards[2], None)  # 0 to the end
    cards = board.load_board(workspace)[1].cards  # 2, 1, 0
    assert [card.title for card in cards] == ["Задача 2", "Задача 1", "Задача 0"]
    board.reorder(workspace, cards[2], None, cards[0])  # 0 to the top
    assert titles(board.load_board(workspace))["todo"] == ["Задача 0", "Задача 2", "Задача 1"]
    from amtui.storage import ConflictError

    current = board.load_board(workspace)[1].cards
    board.reorder(workspace, current[2], None, current[0])
    with pytest.raises(ConflictError):  # a card as it was before that save
        board.reorder(workspace, current[2], current[0], current[1])


def test_filters_narrow_the_board(workspace: Workspace, client: Client,
                                  clock: StillClock) -> None:
    today = clock().date()
    add(workspace, "Просрочена", column="todo", due=today - timedelta(days=1),
        department="seo", client_id=client.id)
    add(workspace, "На неделе", column="todo", due=today + timedelta(days=3), assignee="Стас")
    add(workspace, "Потом", column="todo", due=date(2027, 6, 1))
    add(workspace, "Ждёт клиента", column="client_approval", blocked_by_client=True,
        blocked_since=clock())

    def found(**wanted: object) -> list[str]:
        columns = board.load_board(workspace, board_filter=board.BoardFilter(**wanted))  # type: ignore[arg-type]
        return sorted(card.title for column in columns for card in column.cards)

    assert found(due="overdue") == ["Просрочена"]
    assert found(due="week") == ["На неделе", "Просрочена"]
    assert found(client_id=client.id) == ["Просрочена"]
    assert found(department="seo") == ["Просрочена"]
    assert found(assignee="стас") == ["На неделе"]
    assert found(blocked=True) == ["Ждёт клиента"]


def test_a_checklist_item_is_ticked_and_unticked(workspace: Workspace) -> None:
    task = add(workspace, "С чек-листом", checklist=[ChecklistItem(text="Раз"),
                                                    ChecklistItem(text="Два")])
    ticked, undo = board.toggle_checklist_item(workspace, task, 1)
    assert [item.done for item in ticked.checklist] == [False, True]
    assert undo.description == "checklist item of «С чек-листом» ticked"
    assert board.load_board(workspace)[0].cards[0].checklist_done == 1
    unticked, undo = board.toggle_checklist_item(workspace, ticked, 1)
    assert [item.done for item in unticked.checklist] == [False, False]
    assert undo.description == "checklist item of «С чек-листом» unticked"
    with pytest.raises(InvalidRecord, match="no checklist item 3"):
        board.toggle_checklist_item(workspace, unticked, 2)


def test_a_limited_board_keeps_each_columns_first_cards_and_counts_all(
        workspace: Workspace) -> None:
    for position in (5.0, 1.0, 4.0, 2.0, 3.0):
        add(workspace, f"Позиция {position:g}", column="todo", position=position)
    todo = board.load_board(workspace, limit=2)[1]
    assert [card.title for card in todo.cards] == ["Позиция 1", "Позиция 2"]
    assert todo.total == 5
    assert board.load_board(workspace)[1].total == 5


@pytest.mark.parametrize(("start", "to"), [
    ("review", "client_approval"), ("client_approval", "done"), ("done", "todo"),
    ("todo", "in_progress")])
def test_a_card_moved_on_screen_is_the_card_the_move_saves(
        workspace: Workspace, client: Client, clock: StillClock, start: str, to: str) -> None:
    add(workspace, "Макет", column=start, client_id=client.id,
        blocked_by_client=start == "client_approval",
        blocked_since=clock() - timedelta(days=2) if start == "client_approval" else None,
        done_at=clock() - timedelta(days=1) if start == "done" else None)
    card = next(card for column in board.load_board(workspace) for card in column.cards)
    clock.advance(hours=1)
    shown = board.moved_card(workspace.settings, card, to, clock())
    saved, _undo = board.move(workspace, card.id, to, card.rev)
    assert shown == board.card_of(workspace, saved) == board.card_of(workspace, saved,
                                                                     card.client)


def test_the_done_tasks_older_than_the_cut_off_can_be_shown(
        workspace: Workspace, clock: StillClock) -> None:
    add(workspace, "Давно", column="done", done_at=clock() - timedelta(days=30))
    add(workspace, "Вчера", column="done", done_at=clock() - timedelta(days=1))
    done = board.load_board(workspace, board_filter=board.BoardFilter(done_earlier=True))[-1]
    assert sorted(card.title for card in done.cards) == ["Вчера", "Давно"]
    assert (done.total, done.older_done) == (2, 0)


def test_the_board_asked_of_the_index_is_the_board_read_from_the_file(
        workspace: Workspace, clock: StillClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole board's first cards and counts come from the record index; a filter that
    lets every task through reads the file: the two agree, card for card."""
    from amtui.services.demo import fill_demo

    fill_demo(workspace, "small", seed=5)
    now = clock()
    add(workspace, "In a column the settings no longer name", column="archived", position=-1)
    add(workspace, "Done long ago", column="done", done_at=now - timedelta(days=90))

    def shown(columns: list[board.Column]) -> list[tuple[object, ...]]:
        return [(column.id, column.total, column.older_done,
                 [(card.id, card.client, card.position, card.column) for card in column.cards])
                for column in columns]

    tasks = workspace.file("tasks")
    scan = tasks.scan

    def not_read(*_args: object) -> None:
        raise AssertionError("the whole board read every task")

    for limit in (1, 5, 40):
        monkeypatch.setattr(tasks, "scan", not_read)
        from_index = board.load_board(workspace, now, None, limit=limit)
        monkeypatch.setattr(tasks, "scan", scan)
        from_file = board.load_board(workspace, now, board.BoardFilter(), limit=limit)
        assert shown(from_index) == shown(from_file)
    assert from_index[0].cards[0].title == "In a column the settings no longer name"
    assert from_index[-1].older_done >= 1
