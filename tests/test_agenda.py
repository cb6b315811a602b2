"""The agenda of the day, on hand-made records with a fixed clock."""

from __future__ import annotations

from datetime import date, timedelta

from amtui.models import Client, Contact, Message, Task
from amtui.services.actions import log_contact, snooze
from amtui.services.agenda import build_agenda
from amtui.storage import Workspace
from amtui.testing import StillClock


def section(workspace: Workspace, key: str) -> list[str]:
    (found,) = [s for s in build_agenda(workspace) if s.key == key]
    return [item.title for item in found.items]


def test_empty_workspace_has_empty_sections(workspace: Workspace) -> None:
    sections = build_agenda(workspace)
    assert [s.key for s in sections] == ["urgent", "late_answers", "overdue_tasks", "due_today",
                                         "updates_due", "waiting_on_client",
                                         "stuck_with_department", "remarket"]
    assert all(not s.items and s.empty for s in sections)


def test_late_answers_compare_moments_across_time_zones(workspace: Workspace,
                                                        clock: StillClock) -> None:
    client = workspace.repo(Client).add(Client(name="Камчатка", timezone="Asia/Kamchatka"))
    now = clock()
    messages = workspace.repo(Message)
    messages.add(Message(client_id=client.id, text="late", status="new",
                         received_at=now - timedelta(hours=5),
                         answer_by=now - timedelta(minutes=1)))
    messages.add(Message(client_id=client.id, text="not yet", status="waiting_on_us",
                         received_at=now, answer_by=now + timedelta(minutes=1)))
    messages.add(Message(client_id=client.id, text="answered", status="done",
                         received_at=now - timedelta(days=2), answer_by=now - timedelta(days=1)))
    assert section(workspace, "late_answers") == ["late"]


def test_overdue_and_waiting_on_the_client(workspace: Workspace, clock: StillClock) -> None:
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    tasks = workspace.repo(Task)
    now = clock()
    tasks.add(Task(title="overdue", client_id=client.id, due=date(2026, 11, 25)))
    tasks.add(Task(title="due today", client_id=client.id, due=date(2026, 11, 26)))
    tasks.add(Task(title="done late", client_id=client.id, due=date(2026, 11, 1),
                   column="done", done_at=now))
    tasks.add(Task(title="waiting long", client_id=client.id, blocked_by_client=True,
                   blocked_since=now - timedelta(days=3)))
    tasks.add(Task(title="waiting briefly", client_id=client.id, blocked_by_client=True,
                   blocked_since=now - timedelta(days=2, hours=23)))
    assert section(workspace, "overdue_tasks") == ["overdue"]
    assert section(workspace, "waiting_on_client") == ["waiting long"]


def test_updates_due_by_cadence_reset_by_contact_and_snooze(workspace: Workspace,
                                                            clock: StillClock) -> None:
    clients = workspace.repo(Client)
    daily = clients.add(Client(name="Daily", cadence="daily"))
    weekly = clients.add(Client(name="Weekly", cadence="weekly"))
    clients.add(Client(name="No cadence", cadence="none"))
    clients.add(Client(name="Lead", status="lead", cadence="daily"))
    now = clock()
    workspace.repo(Message).add(Message(client_id=weekly.id, text="hi", direction="incoming",
                                        received_at=now - timedelta(days=6)))
    assert section(workspace, "updates_due") == ["Daily"]
    log_contact(workspace, daily.id)
    assert section(workspace, "updates_due") == []
    clock.advance(days=1)
    assert section(workspace, "updates_due") == ["Daily", "Weekly"]
    snooze(workspace, "clients", weekly.id, 2)
    assert section(workspace, "updates_due") == ["Daily"]
    clock.advance(days=2)
    assert section(workspace, "updates_due") == ["Daily", "Weekly"]


def test_a_contact_with_its_own_cadence(workspace: Workspace, clock: StillClock) -> None:
    client = workspace.repo(Client).add(Client(name="Ромашка", cadence="monthly"))
    log_contact(workspace, client.id)
    contact = workspace.repo(Contact).add(Contact(client_id=client.id, name="Марина",
                                                  cadence="daily"))
    assert section(workspace, "updates_due") == ["Марина"]
    log_contact(workspace, client.id, contact_id=contact.id)
    assert section(workspace, "updates_due") == []
    clock.advance(days=1)
    assert section(workspace, "updates_due") == ["Марина"]


def test_remarket_dormant_and_delivered(workspace: Workspace, clock: StillClock) -> None:
    clients = workspace.repo(Client)
    now = clock()
    dormant = clients.add(Client(name="Dormant", status="dormant"))
    recent = clients.add(Client(name="Dormant recently contacted", status="dormant"))
    workspace.repo(Message).add(Message(client_id=recent.id, text="hello",
                                        received_at=now - timedelta(days=10)))
    delivered = clients.add(Client(name="Delivered", cadence="none"))
    busy = clients.add(Client(name="Still busy", cadence="none"))
    tasks = workspace.repo(Task)
    tasks.add(Task(title="site", client_id=delivered.id, column="done",
                   done_at=now - timedelta(days=15)))
    tasks.add(Task(title="site", client_id=busy.id, column="done",
                   done_at=now - timedelta(days=15)))
    tasks.add(Task(title="more", client_id=busy.id, column="todo"))
    assert section(workspace, "remarket") == ["Delivered", "Dormant"]
    del dormant


def test_a_task_sitting_with_its_department_is_flagged_after_the_set_days(
        workspace: Workspace, clock: StillClock) -> None:
    from amtui.models import Task
    from amtui.services import board

    tasks = workspace.repo(Task)
    moving = tasks.add(Task(title="Свёрстать лендинг", column="todo"))
    tasks.add(Task(title="Идея", column="backlog"))  # the backlog is not anyone's yet
    waiting = tasks.add(Task(title="Ждёт клиента", column="review"))
    board.move(workspace, moving.id, "in_progress")
    board.move(workspace, waiting.id, "client_approval")  # with the client, not stuck

    def stuck() -> list[str]:
        sections = {section.key: section for section in build_agenda(workspace)}
        return [f"{item.fact} {item.title} ({item.detail})"
                for item in sections["stuck_with_department"].items]

    clock.advance(days=4)
    assert stuck() == []
    clock.advance(days=1)  # stale_after_days is 5 by default
    assert stuck() == ["in other 5 d Свёрстать лендинг (In progress)"]  # as the Board titles it
    card = board.load_board(workspace, clock())[2].cards[0]
    assert card.waiting_days(clock()) == 5


# mine or everyone's, urgent messages first, the fact first ------------------------------------


def test_mine_keeps_the_records_a_member_owns_or_is_assigned(workspace: Workspace,
                                                             clock: StillClock) -> None:
    from amtui.models import Member
    from amtui.services.agenda import Mine, member_by_login

    now = clock()
    anna = workspace.repo(Member).add(Member(name="Анна", login="anna"))
    boris = workspace.repo(Member).add(Member(name="Борис", login="boris"))
    clients = workspace.repo(Client)
    hers = clients.add(Client(name="Её клиент", owner_id=anna.id, cadence="daily"))
    his = clients.add(Client(name="Его клиент", owner_id=boris.id, cadence="daily"))
    late = {"status": "new", "received_at": now - timedelta(days=1),
            "answer_by": now - timedelta(hours=1)}
    messages = workspace.repo(Message)
    messages.add(Message(client_id=hers.id, text="её клиента", **late))
    messages.add(Message(client_id=his.id, text="его клиента, ей", assignee_id=anna.id, **late))
    messages.add(Message(client_id=his.id, text="его клиента, ему", assignee_id=boris.id, **late))
    tasks = workspace.repo(Task)
    overdue = clock().date() - timedelta(days=1)
    tasks.add(Task(title="её клиента", client_id=hers.id, due=overdue))
    tasks.add(Task(title="ей, по имени", client_id=his.id, due=overdue, assignee="анна"))
    tasks.add(Task(title="ей, по логину", client_id=his.id, due=overdue, assignee="anna"))
    tasks.add(Task(title="его", client_id=his.id, due=overdue, assignee="Борис"))

    member = member_by_login(workspace, "anna")
    assert member is not None and member_by_login(workspace, "nobody") is None
    mine = {s.key: [i.title for i in s.items]
            for s in build_agenda(workspace, mine=Mine.of(member))}
    assert mine["late_answers"] == ["её клиента", "его клиента, ей"]
    assert mine["overdue_tasks"] == ["её клиента", "ей, по имени", "ей, по логину"]
    assert mine["updates_due"] == ["Её клиент"]
    everyone = {s.key: s.total for s in build_agenda(workspace)}
    assert (everyone["late_answers"], everyone["overdue_tasks"], everyone["updates_due"]) == (
        3, 4, 2)


def test_urgent_messages_come_first_late_or_not_and_lines_lead_with_the_fact(
        workspace: Workspace, clock: StillClock) -> None:
    now = clock()
    client = workspace.repo(Client).add(Client(name="Ромашка", cadence="none"))
    messages = workspace.repo(Message)
    for text, priority, answer_by in (
        ("Сайт упал", "normal", now + timedelta(minutes=40)),  # urgent by its words
        ("Посмотрите", "urgent", now - timedelta(hours=5)),  # urgent by its priority
        ("Когда макет?", "high", now - timedelta(days=2, hours=1)),  # late, not urgent
        ("Спасибо", "normal", now + timedelta(hours=2)),  # neither
    ):
        messages.add(Message(client_id=client.id, text=text, priority=priority, status="new",
                             received_at=now - timedelta(days=3), answer_by=answer_by))
    messages.add(Message(client_id=client.id, text="Не работает, срочно", status="new",
                         received_at=now))  # no answer time: urgent all the same, last
    tasks = workspace.repo(Task)
    tasks.add(Task(title="Тексты", client_id=client.id, department="context_ads",
                   due=clock().date() - timedelta(days=3)))
    tasks.add(Task(title="Отчёт", client_id=client.id, due=clock().date()))
    tasks.add(Task(title="Баннеры", client_id=client.id, blocked_by_client=True,
                   blocked_since=now - timedelta(days=6)))
    sections = {s.key: [(i.fact, i.title, i.client, i.detail) for i in s.items]
                for s in build_agenda(workspace)}
    assert sections["urgent"] == [("answer 5 h late", "Посмотрите", "Ромашка", ""),
                                  ("answer in 40 min", "Сайт упал", "Ромашка", ""),
                                  ("urgent", "Не работает, срочно", "Ромашка", "")]
    assert sections["late_answers"] == [("answer 2 d late", "Когда макет?", "Ромашка", "")]
    assert sections["overdue_tasks"] == [("3 d overdue", "Тексты", "Ромашка", "context ads")]
    assert sections["due_today"] == [("due today", "Отчёт", "Ромашка", "other")]
    assert sections["waiting_on_client"] == [("waiting on client 6 d", "Баннеры", "Ромашка",
                                              "other")]


def test_amtui_today_mine_and_for_a_login(workspace: Workspace, clock: StillClock) -> None:
    import json

    from amtui.identity import os_user
    from amtui.models import Member
    from conftest import run_cli

    now = clock()
    me = workspace.repo(Member).add(Member(name="Анна", login=os_user()))
    boris = workspace.repo(Member).add(Member(name="Борис", login="boris"))
    for owner, text in ((me, "Мой клиент ждёт"), (boris, "Клиент Бориса ждёт")):
        client = workspace.repo(Client).add(Client(name=f"Клиент {owner.name}",
                                                   owner_id=owner.id, cadence="none"))
        workspace.repo(Message).add(Message(client_id=client.id, text=text, status="new",
                                            received_at=now - timedelta(days=2),
                                            answer_by=now - timedelta(hours=26)))
    everyone = run_cli("today", workspace=workspace.root)
    assert everyone.returncode == 0, everyone.stderr
    assert "Answers overdue (2)" in everyone.stdout
    mine = run_cli("today", "--mine", workspace=workspace.root)
    assert mine.returncode == 0, mine.stderr
    assert mine.stdout.startswith(f"Today for Анна ({os_user()})\n")
    assert "  answer 26 h late  Мой клиент ждёт · Клиент Анна\n" in mine.stdout
    assert "Бориса" not in mine.stdout
    his = run_cli("today", "--for", "boris", "--json", workspace=workspace.root)
    assert his.returncode == 0, his.stderr
    (late,) = [s for s in json.loads(his.stdout) if s["key"] == "late_answers"]
    assert late["total"] == 1
    assert (late["items"][0]["fact"], late["items"][0]["title"]) == (
        "answer 26 h late", "Клиент Бориса ждёт")

    unknown = run_cli("today", "--for", "nobody", workspace=workspace.root)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines() == [
        "amtui: error: --for: no member logs in as 'nobody' (see `amtui list members`)"]
    both = run_cli("today", "--mine", "--for", "boris", workspace=workspace.root)
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_amtui_today_mine_when_the_user_is_no_member(workspace: Workspace) -> None:
    from conftest import run_cli

    result = run_cli("today", "--mine", workspace=workspace.root)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--mine: no member of this workspace logs in as" in result.stderr
    assert result.stdout == ""
