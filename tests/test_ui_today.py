"""Today as the plan for the morning, driven by the keys a user presses: mine or everyone's
(`m`), folding (`z`, Enter on a title), jumping between sections (`]`, `[`), "+K more", the
fact first on every line, urgent messages first; and a picture of it at 80×24."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from textual.message import Message as Message_
from textual.widgets import OptionList, Static

import amtui.identity
from amtui.i18n import use_locale
from amtui.models import Client, Member, Message, MessageStatus, Task
from amtui.storage import Workspace
from amtui.testing import StillClock, settle, wait_until
from amtui.ui.app import AmtuiApp
from test_ui_snapshots import (
    SNAPSHOTS,
    fill_agency,
    steady_screenshot,
    utc_local_time,
    what_it_shows,
)

__all__ = ["utc_local_time"]  # the fixture: times come out the same on every machine


@pytest.fixture
def as_anna(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OS user is «anna», the login of the member Анна."""
    monkeypatch.setattr(amtui.identity, "os_user", lambda: "anna")


@pytest.fixture
def morning(workspace: Workspace, clock: StillClock) -> Workspace:
    """Анна's clients and Борис's: an urgent message, late answers, tasks overdue (many of
    Анна's), one due today, one waiting on the client."""
    now = clock()
    anna = workspace.repo(Member).add(Member(name="Анна Смирнова", login="anna"))
    boris = workspace.repo(Member).add(Member(name="Борис Ким", login="boris"))
    clients = workspace.repo(Client)
    romashka = clients.add(Client(name="ООО «Ромашка»", owner_id=anna.id, cadence="none"))
    baikal = clients.add(Client(name="Байкал Ltd", owner_id=boris.id, cadence="none"))
    messages = workspace.repo(Message)
    messages.add(Message(client_id=romashka.id, text="Сайт упал, ничего не открывается",
                         status="new", received_at=now - timedelta(minutes=20),
                         answer_by=now + timedelta(minutes=40)))
    messages.add(Message(client_id=romashka.id, text="Когда будет макет?", status="new",
                         received_at=now - timedelta(days=3),
                         answer_by=now - timedelta(days=2)))
    messages.add(Message(client_id=baikal.id, text="Где отчёт?", status="waiting_on_us",
                         received_at=now - timedelta(hours=9), answer_by=now - timedelta(hours=3)))
    tasks = workspace.repo(Task)
    today = now.date()
    for number in range(1, 9):
        tasks.add(Task(title=f"Задача {number}", client_id=romashka.id, department="seo",
                       column="todo", due=today - timedelta(days=number)))
    tasks.add(Task(title="Чужая задача", client_id=baikal.id, column="todo",
                   due=today - timedelta(days=1)))
    tasks.add(Task(title="Отчёт за месяц", client_id=romashka.id, column="todo", due=today))
    tasks.add(Task(title="Баннеры", client_id=romashka.id, column="client_approval",
                   blocked_by_client=True, blocked_since=now - timedelta(days=6)))
    return workspace


def lines(app: AmtuiApp) -> list[str]:
    agenda = app.screen.query_one("#agenda", OptionList)
    return [str(agenda.get_option_at_index(i).prompt) for i in range(agenda.option_count)]


def scope(app: AmtuiApp) -> str:
    return str(app.screen.query_one("#today-scope", Static).render())


def cursor(app: AmtuiApp) -> str:
    option = app.screen.query_one("#agenda", OptionList).highlighted_option
    return str(option.prompt) if option else ""


async def test_m_switches_between_my_records_and_everyones(morning: Workspace,
                                                           as_anna: None) -> None:
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert scope(app).startswith("Mine: Анна Смирнова (anna)")
        shown = "\n".join(lines(app))
        assert "Когда будет макет?" in shown and "Где отчёт?" not in shown
        assert "Tasks overdue (8)" in shown
        await pilot.press("m")
        await settle(pilot)
        assert scope(app).startswith("Everyone's")
        shown = "\n".join(lines(app))
        assert "Где отчёт?" in shown and "Tasks overdue (9)" in shown
        await pilot.press("m")
        await settle(pilot)
        assert scope(app).startswith("Mine")
        assert "Tasks overdue (8)" in "\n".join(lines(app))


async def test_an_agenda_read_by_a_superseded_load_is_never_shown(
        morning: Workspace, as_anna: None, clock: StillClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`m`, then a reload after a new message: the first load read before the message came
    and finishes last; what it read is out of date and never replaces the newer agenda."""
    import amtui.services.agenda as agenda
    from amtui.ui.panes.base import Loaded, PaneScreen
    from amtui.ui.panes.today import TodayPane

    build = agenda.build_agenda
    release, first_read, first_done = threading.Event(), threading.Event(), threading.Event()
    first_thread: list[threading.Thread] = []

    def held_build(*args: Any, **kwargs: Any) -> list[agenda.AgendaSection]:
        sections = build(*args, **kwargs)
        if not first_thread:  # the first load after the patch: held once it has read
            first_thread.append(threading.current_thread())
            first_read.set()
            assert release.wait(timeout=30)
        return sections

    post = PaneScreen.post_while_current

    def noted_post(pane: PaneScreen, message: Message_) -> None:
        post(pane, message)
        if isinstance(message, Loaded) and threading.current_thread() in first_thread:
            first_done.set()

    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, TodayPane)
        monkeypatch.setattr(agenda, "build_agenda", held_build)
        monkeypatch.setattr(PaneScreen, "post_while_current", noted_post)
        await pilot.press("m")  # everyone's: read, then held back
        await wait_until(pilot, first_read.is_set, "the first load to read")
        baikal = morning.repo(Client).resolve("Байкал Ltd")
        morning.repo(Message).add(Message(
            client_id=baikal.id, text="Новый вопрос про отчёт", status="new",
            received_at=clock() - timedelta(hours=5), answer_by=clock() - timedelta(hours=1)))
        shown = pane.loads_shown
        await pilot.press("ctrl+r")  # a newer load, read at once
        await wait_until(pilot, lambda: pane.loads_shown > shown, "the newer load shown")
        assert "Новый вопрос про отчёт" in "\n".join(lines(app))
        release.set()
        await wait_until(pilot, first_done.is_set, "the first load to finish")
        await settle(pilot)
        assert scope(app).startswith("Everyone's")
        assert "Новый вопрос про отчёт" in "\n".join(lines(app))
        assert pane.loads_shown == shown + 1


async def test_everyones_records_when_the_user_is_no_member(morning: Workspace,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.setattr(amtui.identity, "os_user", lambda: "guest")
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert scope(app).startswith("Everyone's")
        await pilot.press("m")
        await settle(pilot)
        assert scope(app).startswith("Everyone's")
        assert any("guest" in str(note.message) and "not a member" in str(note.message)
                   for note in app._notifications)


async def test_the_urgent_message_comes_first_and_each_line_leads_with_its_fact(
        morning: Workspace, as_anna: None) -> None:
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = lines(app)
        assert shown[0].startswith("▾ Urgent (1)")
        assert shown[1].split()[:4] == ["answer", "in", "40", "min"]
        assert "Сайт упал, ничего не открывается · ООО «Ромашка»" in shown[1]
        assert cursor(app) == shown[1]  # the first line is where the day starts
        late = shown.index("▾ Answers overdue (1)")
        assert shown[late + 1].strip().startswith("answer 2 d late  Когда будет макет?")
        assert any(line.strip().startswith("8 d overdue  Задача 8") for line in shown)
        assert any(line.strip().startswith("due today  Отчёт за месяц") for line in shown)
        assert any(line.strip().startswith("waiting on client 6 d  Баннеры") for line in shown)


async def test_at_80_columns_the_fact_stays_whole_and_the_title_and_client_give_way(
        morning: Workspace, as_anna: None, clock: StillClock) -> None:
    client = morning.repo(Client).add(Client(
        name="Общество с ограниченной ответственностью «Очень длинное название»",
        owner_id=morning.repo(Member).all()[0].id, cadence="none"))
    morning.repo(Task).add(Task(
        title="Подготовить подробный отчёт по всем рекламным кампаниям за прошлый квартал",
        client_id=client.id, column="todo", due=clock().date() - timedelta(days=12)))
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (line,) = [line for line in lines(app) if "Подготовить" in line]
        width = app.screen.query_one("#agenda", OptionList).scrollable_content_region.width
        assert len(line) <= width
        assert line.strip().startswith("12 d overdue  Подготовить подробный")
        assert "…" in line and "· Общество" in line


async def test_every_sections_head_is_on_the_first_screen(morning: Workspace, as_anna: None
                                                          ) -> None:
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        agenda = app.screen.query_one("#agenda", OptionList)
        shown = lines(app)
        assert agenda.option_count <= agenda.size.height  # no scrolling to see a section
        titles = [line for line in shown if line.startswith("▾")]
        assert [title.split(" (")[0] for title in titles] == [
            "▾ Urgent", "▾ Answers overdue", "▾ Tasks overdue", "▾ Due today",
            "▾ Waiting on the client"]
        overdue = shown.index(next(t for t in titles if "Tasks overdue" in t))
        # the screen's lines shared out: the overdue tasks get five, three more behind a title
        assert shown[overdue] == "▾ Tasks overdue (8)  +3 more"
        assert [line.split()[0] for line in shown[overdue + 1:overdue + 6]] == [
            "8", "7", "6", "5", "4"]
        assert shown[-1].startswith("Clear: Updates due")


async def test_with_more_sections_than_lines_the_least_urgent_show_their_title_only(
        morning: Workspace, as_anna: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import amtui.services.agenda as agenda

    def plugins_sections(*_args: Any, **_kwargs: Any) -> list[agenda.AgendaSection]:
        return [agenda.AgendaSection(f"plugin:test:{number}", f"Plugin section {number}", "", [
            agenda.AgendaItem("", "", f"Line {number}.{line}", "", "") for line in range(3)], 3)
            for number in range(1, 11)]

    monkeypatch.setattr(agenda, "plugin_sections", plugins_sections)
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        agenda_list = app.screen.query_one("#agenda", OptionList)
        shown = lines(app)
        assert agenda_list.option_count <= agenda_list.size.height  # all on the first screen
        titles = [line for line in shown if line.startswith(("▾", "▸"))]
        assert len(titles) == 15  # every section's title, with its count
        assert titles[:4] == ["▾ Urgent (1)", "▾ Answers overdue (1)",
                              "▾ Tasks overdue (8)  +7 more", "▾ Due today (1)"]
        assert titles[4:] == ["▸ Waiting on the client (1)"] + [
            f"▸ Plugin section {number} (3)" for number in range(1, 11)]
        assert shown[shown.index("▾ Tasks overdue (8)  +7 more") + 1].split()[0] == "8"
        assert not any(line.startswith("Line ") for line in shown)
        assert shown[-1].startswith("Clear: ")
        await pilot.press(*["right_square_bracket"] * 5)  # from the first line
        assert cursor(app) == "▸ Plugin section 1 (3)"
        await pilot.press("enter")  # opens its lines
        await settle(pilot)
        assert cursor(app).strip() == "Line 1.0"
        assert "Line 1.2" in [line.strip() for line in lines(app)]
        await pilot.press("right_square_bracket", "z")  # z shows the head of a title-only one
        await settle(pilot)
        assert cursor(app) == "▾ Plugin section 2 (3)"
        assert "Line 2.0" in [line.strip() for line in lines(app)]


async def test_enter_on_more_opens_the_rest_and_d_acts_on_an_opened_line(
        morning: Workspace, as_anna: None) -> None:
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert cursor(app) == "▾ Tasks overdue (8)  +3 more"
        await pilot.press("enter")
        await settle(pilot)
        assert "▾ Tasks overdue (8)" in lines(app)
        assert cursor(app).strip().startswith("3 d overdue  Задача 3")  # the first one opened
        await pilot.press("d")
        await settle(pilot)
        (task,) = morning.repo(Task).where(title="Задача 3")
        assert task.column == "done"
        assert "▾ Tasks overdue (7)" in lines(app)
        assert not any("Задача 3" in line for line in lines(app))
        assert cursor(app).strip().startswith("2 d overdue  Задача 2")  # the next one
        await pilot.press("d")
        await settle(pilot)
        assert sorted(t.title for t in morning.repo(Task).where(column="done")) == [
            "Задача 2", "Задача 3"]


async def test_z_folds_a_section_and_the_brackets_jump_between_titles(
        morning: Workspace, as_anna: None) -> None:
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "down", "z")  # from a line of the section
        await settle(pilot)
        assert cursor(app) == "▸ Answers overdue (1)"
        assert not any("Когда будет макет?" in line for line in lines(app))
        await pilot.press("right_square_bracket")
        assert cursor(app).startswith("▾ Tasks overdue (8)")
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert cursor(app) == "▾ Urgent (1)"
        await pilot.press("right_square_bracket", "enter")  # Enter unfolds it
        await settle(pilot)
        assert any("Когда будет макет?" in line for line in lines(app))


async def test_s_on_the_urgent_line_snoozes_the_message(morning: Workspace, as_anna: None,
                                                        clock: StillClock) -> None:
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("backspace", "2", "enter")
        await settle(pilot)
        (urgent,) = [m for m in morning.repo(Message).all() if "упал" in m.text]
        assert urgent.snoozed_until == clock() + timedelta(days=2)
        assert urgent.status == MessageStatus.NEW
        await wait_until(pilot, lambda: not any("Сайт упал" in line for line in lines(app)),
                         "the urgent message off Today")
        assert "Urgent" in lines(app)[-1]  # named among the clear sections


async def test_s_takes_what_amtui_snooze_takes_in_the_one_snooze_dialog(
        morning: Workspace, as_anna: None, clock: StillClock) -> None:
    """A day ("tomorrow") as well as a number of days; something else is refused, saying
    why, with nothing stored."""
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert str(app.screen.query_one("#ask-question", Static).render()) == (
            "Snooze until when?")
        await pilot.press(*"soon", "enter")
        await settle(pilot)
        assert "'soon' is not a date" in str(app.screen.query_one("#ask-problem",
                                                                 Static).render())
        (urgent,) = [m for m in morning.repo(Message).all() if "упал" in m.text]
        assert urgent.snoozed_until is None
        await pilot.press("ctrl+u", *"tomorrow", "enter")
        await settle(pilot)
        (urgent,) = [m for m in morning.repo(Message).all() if "упал" in m.text]
        assert urgent.snoozed_until == clock() + timedelta(days=1)
        assert [str(note.message) for note in app._notifications][-1] == "Snoozed for 1 day"
        await wait_until(pilot, lambda: not any("Сайт упал" in line for line in lines(app)),
                         "the urgent message off Today")


async def test_snapshot_of_my_today_with_a_section_folded(workspace: Workspace,
                                                          clock: StillClock,
                                                          as_anna: None) -> None:
    agency = fill_agency(workspace, clock)
    now = clock()
    (romashka,) = agency.repo(Client).where(name="ООО «Ромашка»")
    agency.repo(Message).add(Message(client_id=romashka.id, text="Срочно: форма не работает",
                                     status="new", received_at=now - timedelta(minutes=10),
                                     answer_by=now + timedelta(minutes=50)))
    for number in range(1, 7):
        agency.repo(Task).add(Task(title=f"Правки макета, круг {number}", client_id=romashka.id,
                                   department="design", column="todo",
                                   due=date(2026, 11, 20) + timedelta(days=number % 3)))
    app = AmtuiApp(agency)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "z")
        svg = await steady_screenshot(pilot, "amtui today")
    picture = SNAPSHOTS / "today-mine-folded-80x24.svg"
    if os.environ.get("AMTUI_UPDATE_SNAPSHOTS"):
        picture.write_text(svg, encoding="utf-8")
    assert picture.exists(), f"no snapshot {picture.name}: make it with AMTUI_UPDATE_SNAPSHOTS=1"
    assert what_it_shows(svg) == what_it_shows(picture.read_text(encoding="utf-8")), (
        f"Today at 80x24 looks different from {picture.name}")


def test_large_counts_keep_their_thousands_apart() -> None:
    from amtui.ui.panes.today import count_text

    assert (count_text(7), count_text(26_140), count_text(1_234_567)) == (
        "7", "26 140", "1 234 567")


async def test_after_d_and_u_the_cursor_is_back_on_the_restored_line(morning: Workspace,
                                                                     as_anna: None) -> None:
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("]", "]", "down", "down")  # the second overdue task
        await settle(pilot)
        chosen = cursor(app)
        assert "Задача" in chosen
        await pilot.press("d")
        await settle(pilot)
        assert chosen not in lines(app)
        assert "Задача" in cursor(app)  # the next line
        await pilot.press("u")
        await settle(pilot)
        assert chosen in lines(app)
        assert cursor(app) == chosen
        await pilot.press("d")  # acts on the restored task again, not on another record
        await settle(pilot)
        title = chosen.split("  ")[-1].split(" · ")[0].strip()
        (task,) = [task for task in morning.repo(Task).all() if task.title == title]
        assert task.column == morning.settings.columns[-1]


@pytest.fixture
def russian() -> Iterator[None]:
    use_locale("ru_RU")
    yield
    use_locale("en_US")


async def test_in_russian_every_fact_and_the_pane_bar_are_russian_at_80_columns(
        morning: Workspace, as_anna: None, russian: None) -> None:
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = [line.strip() for line in lines(app)]
        assert shown[0].startswith("▾ Срочно (1)")
        assert shown[1].startswith("ответить через 40 мин")
        assert any(line.startswith("ответ просрочен на 2 дня  Когда будет макет?")
                   for line in shown)
        assert any(line.startswith("просрочено на 8 дней  Задача 8") for line in shown)
        assert any(line.startswith("срок сегодня  Отчёт за месяц") for line in shown)
        assert any(line.startswith("ждём клиента 6 дней  Баннеры") for line in shown)
        assert "Задача 8 · ООО «Ромашка» · SEO" in "\n".join(shown)  # the department too
        assert "Баннеры · ООО «Ромашка» · другое" in "\n".join(shown)
        bar = str(app.screen.query_one("#pane-bar", Static).render())
        assert len(bar) <= 80
        assert "1 Сегодня" in bar  # the current pane's title whole
        for number in range(2, len(app.pane_titles()) + 1):
            assert f" {number} " in bar  # every pane's key
        for _pane, title in app.pane_titles():
            assert title in bar  # eight Russian titles fit whole, one space apart


async def test_a_change_shows_the_agenda_once_with_the_plugins_sections(
        morning: Workspace, as_anna: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first read shows amtui's own sections before the plugins' are read; read again
    after d, the agenda is drawn once, whole: a plugin's section never blinks out."""
    import amtui.services.agenda as agenda
    from amtui.ui.panes.today import TodayPane

    def plugins_section(*_args: Any, **_kwargs: Any) -> list[agenda.AgendaSection]:
        return [agenda.AgendaSection("plugin:bonus:calls", "Bonus calls", "", [
            agenda.AgendaItem("", "", "Call the accountant", "", "")], 1)]

    monkeypatch.setattr(agenda, "plugin_sections", plugins_section)
    drawn: list[bool] = []
    render = TodayPane.render_agenda

    def noted_render(pane: TodayPane) -> None:
        render(pane)
        drawn.append(any("Bonus calls" in line for line in lines(pane.app)))

    monkeypatch.setattr(TodayPane, "render_agenda", noted_render)
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert drawn[-1]
        first = len(drawn)
        await pilot.press("]", "]", "down", "d")
        await settle(pilot)
        assert "Задача 8" not in "\n".join(lines(app))  # done: the agenda was read again
        assert drawn[first:] == [True]


async def test_a_change_elsewhere_no_line_shows_is_not_drawn_again(
        morning: Workspace, workspace_path: Any, clock: StillClock, as_anna: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Read again after another app saved a task no section lists (nothing due, nothing
    waiting), the agenda is the same: it is not drawn again; a task that is overdue is."""
    from amtui.ui.panes.today import TodayPane

    drawn: list[int] = []
    render = TodayPane.render_agenda

    def counted(pane: TodayPane) -> None:
        drawn.append(1)
        render(pane)

    monkeypatch.setattr(TodayPane, "render_agenda", counted)
    app = AmtuiApp(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, TodayPane)
        before, loads = len(drawn), pane.loads_shown
        other = Workspace.open(workspace_path, clock=clock)
        (romashka,) = [c for c in other.repo(Client).all() if c.name == "ООО «Ромашка»"]
        other.repo(Task).add(Task(title="Когда-нибудь", client_id=romashka.id))
        app.look_for_changes()  # as its timer does
        await wait_until(pilot, lambda: pane.loads_shown > loads, "Today read again")
        await settle(pilot)
        assert len(drawn) == before
        loads = pane.loads_shown
        other.repo(Task).add(Task(title="Срочный отчёт", client_id=romashka.id, column="todo",
                                  due=clock().date() - timedelta(days=1)))
        app.look_for_changes()
        await wait_until(pilot, lambda: pane.loads_shown > loads, "Today read again")
        await settle(pilot)
        assert len(drawn) == before + 1
        assert "Tasks overdue (9)" in "\n".join(lines(app))  # it counts the new one (8 before)
