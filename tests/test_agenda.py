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
    assert stuck() == ["in other 5 d Свёрстать лендинг (in progress)"]
    card = board.load_board(workspace, clock())[2].cards[0]
    assert card.waiting_days(clock()) == 5
