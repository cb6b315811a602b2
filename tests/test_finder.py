"""The record finder: ranking (Russian and English, ё, case, typos, keyboard layout), every
table, staleness, and the command palette that opens what it finds."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen

from amtui.models import Client, Message, Note, Task
from amtui.services.finder import EXACT, TYPO, FinderIndex, Found, NameFinder, build_in_child
from amtui.storage import Workspace
from amtui.testing import StillClock, settle, wait_until
from amtui.ui import finder as finder_ui
from amtui.ui.app import AmtuiApp
from amtui.ui.client_card import ClientCard
from amtui.ui.finder import FinderProvider, hit_display
from amtui.ui.message_screen import MessageScreen
from amtui.ui.task_screen import TaskScreen
from conftest import palette_lines

HOSTILE = "[@click=app.quit]x[/] \x1b[31mred\x1b[0m"


@pytest.fixture
def ids(workspace: Workspace, clock: StillClock) -> dict[str, str]:
    """Clients, a task, a note and a message; the ids by a short name."""
    clients = workspace.repo(Client)
    made = {
        "romashka": clients.add(Client(name="Ромашка")).id,
        "ooo": clients.add(Client(name="ООО «Ромашка»")).id,
        "plus": clients.add(Client(name="Ромашка Плюс")).id,
        "rama": clients.add(Client(name="Рамашка Трейд")).id,
        "green": clients.add(Client(name="Зелёный Квартал")).id,
        "pixel": clients.add(Client(name="Pixel Forge")).id,
        "hostile": clients.add(Client(name=HOSTILE)).id,
    }
    made["task"] = workspace.repo(Task).add(Task(
        title="Макет главной страницы", client_id=made["romashka"], column="todo")).id
    made["note"] = workspace.repo(Note).add(Note(
        title="Brief: landing page", client_id=made["pixel"], kind="brief")).id
    made["message"] = workspace.repo(Message).add(Message(
        client_id=made["green"], text="Когда будет отчёт?\nИ ещё вопрос про оплату",
        received_at=clock() - timedelta(hours=3))).id
    return made


def first_ids(found: list[Found], count: int) -> list[str]:
    return [hit.record_id for hit in found[:count]]


def test_the_whole_title_beats_its_start_which_beats_a_word(workspace: Workspace,
                                                             ids: dict[str, str]) -> None:
    found = FinderIndex(workspace).search("ромашка")
    assert first_ids(found, 3) == [ids["romashka"], ids["plus"], ids["ooo"]]
    assert found[0].score == EXACT
    assert [hit.score for hit in found] == sorted((hit.score for hit in found), reverse=True)
    assert len({hit.score for hit in found}) == len(found)


def test_an_exact_match_beats_a_typo(workspace: Workspace, ids: dict[str, str]) -> None:
    found = FinderIndex(workspace).search("рамашка")
    assert found[0].record_id == ids["rama"]  # spelt so: the start of its title
    typo_ids = {hit.record_id for hit in found[1:]}
    assert ids["romashka"] in typo_ids and ids["ooo"] in typo_ids
    assert all(hit.score <= TYPO for hit in found[1:])


@pytest.mark.parametrize("query", ["зеленый квартал", "ЗЕЛЁНЫЙ КВАРТАЛ", "Зелёный  квартал!"])
def test_case_yo_and_punctuation_do_not_matter(workspace: Workspace, ids: dict[str, str],
                                               query: str) -> None:
    found = FinderIndex(workspace).search(query)
    assert found[0].record_id == ids["green"]
    assert found[0].score == EXACT


@pytest.mark.parametrize(("query", "wanted"), [
    ("ромшака", "romashka"),           # two letters swapped
    ("ромашкаа", "romashka"),          # a letter too many
    ("pixle forge", "pixel"),          # English, swapped
    ("макет глвной", "task"),          # a letter missing in the second word
    ("brief landng pge", "note"),      # a three-letter word one letter short
    ("hjvfirf", "romashka"),           # typed with the English layout on
    ("hjvifrf", "romashka"),           # the English layout on and two letters swapped
])
def test_a_typo_still_finds_the_record(workspace: Workspace, ids: dict[str, str],
                                       query: str, wanted: str) -> None:
    found = FinderIndex(workspace).search(query)
    assert ids[wanted] in first_ids(found, 3), [hit.title for hit in found]


def test_nothing_like_the_query_finds_nothing(workspace: Workspace,
                                              ids: dict[str, str]) -> None:
    index = FinderIndex(workspace)
    assert index.search("щщщщщщ") == []
    assert index.search("  ") == []
    assert index.search("«»!") == []


def test_words_in_another_order(workspace: Workspace, ids: dict[str, str]) -> None:
    assert FinderIndex(workspace).search("главной макет")[0].record_id == ids["task"]


def test_every_table_is_found_with_its_client(workspace: Workspace,
                                              ids: dict[str, str]) -> None:
    index = FinderIndex(workspace)
    assert len(index) == 10
    task = index.search("макет главной страницы")[0]
    assert (task.table, task.record_id, task.title) == ("tasks", ids["task"],
                                                        "Макет главной страницы")
    assert task.detail == "Ромашка · To do"  # the column by its title
    note = index.search("brief landing")[0]
    assert (note.table, note.record_id, note.detail) == ("notes", ids["note"],
                                                         "Pixel Forge · brief")
    message = index.search("когда будет отчет")[0]
    assert (message.table, message.record_id) == ("messages", ids["message"])
    assert message.title == "Когда будет отчёт?"  # the first line only
    assert message.detail == "Зелёный Квартал · 2026-11-26"
    client = index.search("pixel forge")[0]
    assert (client.table, client.record_id, client.detail) == ("clients", ids["pixel"],
                                                               "active")
    assert index.search("оплату") == []  # the message's second line is not its title


def test_words_of_the_title_and_of_the_client_find_the_record(workspace: Workspace) -> None:
    clients = workspace.repo(Client)
    technopark = clients.add(Client(name="Технопарк Сколково"))
    other = clients.add(Client(name="Ромашка"))
    tasks = workspace.repo(Task)
    wanted = tasks.add(Task(title="Разметка UTM-меток", client_id=technopark.id))
    others = tasks.add(Task(title="Разметка UTM-меток", client_id=other.id))
    tasks.add(Task(title="Отчёт за месяц", client_id=technopark.id))
    index = FinderIndex(workspace)
    for typed in ("Разметка UTM Технопарк", "технопарк разметка", "utm сколк",
                  "меток «Технопарк»"):
        found = index.search(typed)
        assert [hit.record_id for hit in found] == [wanted.id], typed
        assert found[0].detail.startswith("Технопарк Сколково")
    assert [hit.record_id for hit in index.search("разметка ромашка")] == [others.id]
    # every word must be somewhere: a word in neither finds nothing
    assert index.search("разметка технопарк баннер") == []
    # the title alone still finds both clients' tasks, first
    assert len(index.search("разметка utm")) == 2
    # in the other keyboard layout too
    assert [hit.record_id for hit in index.search("hfpvtnrf nt[yjgfhr")] == [wanted.id]


def test_many_records_with_one_title_are_limited(workspace: Workspace) -> None:
    workspace.repo(Task).add_many([Task(title=f"Отчёт {number % 3}") for number in range(40)])
    found = FinderIndex(workspace).search("отчет", limit=20)
    assert len(found) == 20
    assert len({hit.record_id for hit in found}) == 20
    assert [hit.title for hit in found[:14]] == ["Отчёт 0"] * 14  # the shortest first...
    assert found[13].score > found[14].score  # ...and the order kept by the scores


def test_an_empty_workspace(workspace: Workspace) -> None:
    index = FinderIndex(workspace)
    assert len(index) == 0
    assert index.search("ромашка") == []
    assert not index.is_stale(workspace)
    workspace.repo(Client).add(Client(name="Ромашка"))  # the first data file appears
    assert index.is_stale(workspace)


def test_the_index_knows_when_it_is_stale(workspace: Workspace, ids: dict[str, str]) -> None:
    index = FinderIndex(workspace)
    assert not index.is_stale(workspace)
    workspace.repo(Client).add(Client(name="Новый Горизонт"))
    assert index.is_stale(workspace)
    assert index.search("новый горизонт") == []
    rebuilt = FinderIndex(workspace)
    assert rebuilt.search("новый горизонт")[0].title == "Новый Горизонт"
    assert not rebuilt.is_stale(workspace)


def test_built_in_a_child_process_it_finds_the_same(workspace: Workspace,
                                                    ids: dict[str, str]) -> None:
    in_process = FinderIndex(workspace)
    from_child = build_in_child(workspace.root)
    assert from_child is not None
    for query in ("ромашка", "рамашка", "hjvfirf", "brief landng"):
        assert from_child.search(query) == in_process.search(query)
    assert not from_child.is_stale(workspace)


def test_a_child_that_cannot_read_says_why(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="no workspace"):
        build_in_child(tmp_path / "missing")


def test_a_cancelled_build_stops_its_child(workspace: Workspace, ids: dict[str, str]) -> None:
    asked: list[bool] = []

    def cancelled() -> bool:
        asked.append(True)
        return True

    assert build_in_child(workspace.root, cancelled) is None
    assert asked == [True]  # asked once, after the first wait, and the child was stopped


def test_the_finder_service_imports_no_textual() -> None:
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, amtui.services.finder; "
         "print('textual' in sys.modules)"], capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "False"


def test_a_hostile_name_is_shown_as_text(workspace: Workspace, ids: dict[str, str]) -> None:
    found = FinderIndex(workspace).search("click app quit")[0]
    assert found.record_id == ids["hostile"]
    shown = hit_display(found, "click app quit")
    assert "client: [@click=app.quit]x[/] \\x1b[31mred\\x1b[0m" in shown.plain
    assert "\x1b" not in shown.plain
    assert all("click" not in str(span.style) for span in shown.spans)


def test_typed_words_are_marked(workspace: Workspace, ids: dict[str, str]) -> None:
    found = FinderIndex(workspace).search("плюс ромашк")[0]
    shown = hit_display(found, "плюс ромашк")
    assert shown.plain == "client: Ромашка Плюс\nactive"
    marked = {shown.plain[span.start:span.end] for span in shown.spans if span.style == "bold"}
    assert marked == {"Ромашк", "Плюс"}


# The command palette


def finder_app(workspace: Workspace) -> AmtuiApp:
    app = AmtuiApp(workspace)
    app.COMMANDS = AmtuiApp.COMMANDS | {FinderProvider}  # type: ignore[misc]
    return app


async def typed_in_palette(app: AmtuiApp, pilot: Pilot[None], typed: str, wanted: str) -> str:
    """Open the palette, type, and wait (for the index too) until ``wanted`` is listed."""
    await pilot.press("ctrl+p", *typed)
    return await listed_when(app, pilot, lambda lines: wanted in lines)


async def choose_first(app: AmtuiApp, pilot: Pilot[None]) -> Screen[Any]:
    """Press Enter on the first line the palette lists; the screen then shown."""
    await pilot.press("enter")
    await settle(pilot)
    return app.screen


async def listed_when(app: AmtuiApp, pilot: Pilot[None], done: Callable[[str], bool]) -> str:
    """What the palette lists once ``done`` says so (a worker may be held back on purpose)."""
    await wait_until(pilot, lambda: done(palette_lines(app)), "the palette's list")
    return palette_lines(app)


async def test_records_are_listed_when_the_index_is_ready_without_another_key(
        workspace: Workspace, ids: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def held_back(root: Path, cancelled: object) -> FinderIndex:
        assert release.wait(30)
        return FinderIndex(Workspace.open(root))

    monkeypatch.setattr(finder_ui, "build_in_child", held_back)
    app = finder_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"ромашка")
        lines = await listed_when(app, pilot, lambda lines: "find: reading" in lines)
        assert lines == "find: reading the records…"
        release.set()
        lines = await listed_when(app, pilot, lambda lines: "client: Ромашка" in lines)
        assert lines.startswith("client: Ромашка\nactive")
        card = await choose_first(app, pilot)
        assert isinstance(card, ClientCard)
        assert card.client_id == ids["romashka"]


async def test_the_palette_opens_the_client_found(workspace: Workspace,
                                                  ids: dict[str, str]) -> None:
    app = finder_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await typed_in_palette(app, pilot, "ромашка", "client: Ромашка")
        assert lines.startswith("client: Ромашка\nactive\nclient: Ромашка Плюс")
        card = await choose_first(app, pilot)
        assert isinstance(card, ClientCard)
        assert card.client_id == ids["romashka"]


@pytest.mark.parametrize(("typed", "line", "screen_type"), [
    ("макет глвной", "task: Макет главной страницы", TaskScreen),
    ("когда будет", "message: Когда будет отчёт?", MessageScreen),
    ("ромашка макет", "task: Макет главной страницы", TaskScreen),  # its client, its title
])
async def test_the_palette_opens_tasks_and_messages(
        workspace: Workspace, ids: dict[str, str], typed: str, line: str,
        screen_type: type) -> None:
    app = finder_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await typed_in_palette(app, pilot, typed, line)
        assert lines.startswith(line)
        assert isinstance(await choose_first(app, pilot), screen_type)


async def test_the_palette_finds_a_record_saved_since_it_last_opened(
        workspace: Workspace, ids: dict[str, str]) -> None:
    app = finder_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"горизонт")
        await settle(pilot)  # the index is built
        await pilot.press("escape")
        assert not isinstance(app.screen, CommandPalette)
        new = workspace.repo(Client).add(Client(name="Новый Горизонт"))
        lines = await typed_in_palette(app, pilot, "горизонт", "client: Новый Горизонт")
        assert lines.startswith("client: Новый Горизонт")
        card = await choose_first(app, pilot)
        assert isinstance(card, ClientCard)
        assert card.client_id == new.id


async def test_a_failed_build_is_told_and_commands_still_work(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def failing(root: Path, cancelled: object) -> FinderIndex:
        assert release.wait(30)
        raise RuntimeError("data/tasks.json: permission denied")

    monkeypatch.setattr(finder_ui, "build_in_child", failing)
    app = finder_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"trash")
        lines = await listed_when(app, pilot, lambda lines: "find: reading" in lines)
        assert lines.startswith("trash: open") and lines.endswith("find: reading the records…")
        release.set()
        lines = await listed_when(app, pilot, lambda lines: "find:" not in lines)
        assert lines.startswith("trash: open") and "find:" not in lines
        told = [str(note.message) for note in app._notifications]
        assert told == ["The finder could not read the workspace: "
                        "data/tasks.json: permission denied"]


class _Record(dict[str, str]):
    """A record that can be watched for being let go of."""


def test_a_name_finder_holds_one_record_at_a_time_while_it_indexes() -> None:
    import weakref

    passed: list[weakref.ref[_Record]] = []

    def records() -> Iterator[dict[str, str]]:
        for number in range(50):
            # every record given before the last one is let go of already
            assert all(ref() is None for ref in passed[:-1])
            record = _Record(id=str(number), name=f"Клиент {number}")
            passed.append(weakref.ref(record))
            yield record

    finder = NameFinder(records())
    finder.warm()
    assert len(passed) == 50
    assert finder.find("клиент 42") == [("42", "Клиент 42")]
    assert finder.name("7") == "Клиент 7"


def test_a_name_finder_reads_its_records_only_when_first_searched() -> None:
    read: list[str] = []

    def records() -> Iterator[dict[str, str]]:
        for record_id, name in (("1", "ООО «Ромашка»"), ("2", "Atlas Fitness")):
            read.append(record_id)
            yield {"id": record_id, "name": name}

    finder = NameFinder(records(), lookup=lambda record_id: {"1": "ООО «Ромашка»"}[record_id])
    assert finder.name("1") == "ООО «Ромашка»" and read == []  # named by the lookup
    finder.warm()
    assert read == ["1", "2"]
    assert finder.find("hjvfirf") == [("1", "ООО «Ромашка»")]
    assert finder.find("федфы") == [("2", "Atlas Fitness")]
    assert finder.resolve("ооо ромашка") == "1" and finder.resolve("qqq") is None
