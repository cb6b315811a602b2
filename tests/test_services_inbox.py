"""The Inbox without the UI: reading, filters, finding clients, and every change with its undo."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from amtui.models import Client, Contact, Member, Message, Note, Task
from amtui.services import inbox, rules
from amtui.services.agenda import build_agenda
from amtui.services.clients import client_details
from amtui.services.finder import NameFinder
from amtui.services.undo import Undo
from amtui.storage import ConflictError, RecordNotFound, TrashBin, Workspace
from amtui.testing import START, StillClock


@pytest.fixture
def filled(workspace: Workspace, clock: StillClock) -> Workspace:
    """Анна owns Ромашка (contact Марина); a late question from Ромашка, a request from Atlas."""
    now = clock()
    anna = workspace.repo(Member).add(Member(name="Анна Смирнова"))
    romashka = workspace.repo(Client).add(Client(name="ООО «Ромашка»", owner_id=anna.id,
                                                 preferred_channel="telegram"))
    atlas = workspace.repo(Client).add(Client(name="Atlas Fitness", kind="b2c"))
    marina = workspace.repo(Contact).add(Contact(client_id=romashka.id, name="Марина",
                                                 role="маркетолог"))
    messages = workspace.repo(Message)
    messages.add(Message(
        client_id=romashka.id, contact_id=marina.id, text="Когда будет готов макет?",
        status="waiting_on_us", channel="telegram", assignee_id=anna.id,
        received_at=now - timedelta(hours=10), answer_by=now - timedelta(hours=2)))
    messages.add(Message(
        client_id=atlas.id, text="Нужен лендинг к акции\nБюджет 100 000", kind="request",
        priority="high", received_at=now - timedelta(hours=1),
        answer_by=now + timedelta(hours=3)))
    return workspace


def message(workspace: Workspace, text_start: str) -> Message:
    (found,) = [m for m in workspace.repo(Message).all() if m.text.startswith(text_start)]
    return found


def client_id(workspace: Workspace, name: str) -> str:
    return workspace.repo(Client).resolve(name).id


def test_the_inbox_service_imports_without_textual() -> None:
    code = "import sys, amtui.services.inbox; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "False"


# reading


def test_countdown_says_how_long_is_left_or_how_late() -> None:
    due = (START + timedelta(hours=2, minutes=5)).isoformat()
    late = (START - timedelta(hours=3)).isoformat()
    far = (START + timedelta(days=3)).isoformat()
    assert inbox.countdown(due, "new", START) == "2h05"
    assert inbox.countdown(late, "waiting_on_us", START) == "-3h00"
    assert inbox.countdown(far, "new", START) == "3d"
    assert inbox.countdown(late, "waiting_on_client", START) == ""
    assert inbox.countdown(None, "new", START) == ""


def test_an_empty_workspace_has_an_empty_inbox(workspace: Workspace) -> None:
    assert inbox.load_inbox(workspace) == []


def test_entries_are_newest_first_with_names_and_task_states(filled: Workspace) -> None:
    late = message(filled, "Когда")
    filled.repo(Task).add_many([
        Task(title="Макет", client_id=late.client_id, message_id=late.id, department="design",
             column="done"),
        Task(title="Тексты", client_id=late.client_id, message_id=late.id,
             department="copywriting", column="in_progress"),
        Task(title="Unrelated", client_id=late.client_id),
    ])
    request, question = inbox.load_inbox(filled)
    assert request.message["text"].startswith("Нужен") and request.client == "Atlas Fitness"
    assert (request.contact, request.assignee, request.tasks) == ("", "", ())
    assert question.client == "ООО «Ромашка»"
    assert question.contact == "Марина (маркетолог)"
    assert question.assignee == "Анна Смирнова"
    assert sorted((t.department, t.column, t.done) for t in question.tasks) == [
        ("copywriting", "in_progress", False), ("design", "done", True)]
    assert question.tasks_done == 1
    assert question.holds("марина") and question.holds("когда") and not question.holds("xyz")


def test_filters_by_status_client_channel_kind_and_priority(filled: Workspace) -> None:
    raw = {m["text"][:5]: m for m in filled.file("messages").records().values()}
    late, request = raw["Когда"], raw["Нужен"]
    assert not inbox.InboxFilter().active
    assert inbox.InboxFilter().matches(late) and inbox.InboxFilter().matches(request)
    cases = [
        (inbox.InboxFilter(status="waiting_on_us"), [late]),
        (inbox.InboxFilter(status="done"), []),
        (inbox.InboxFilter(status=inbox.ANY_OPEN), [late, request]),
        (inbox.InboxFilter(client_id=client_id(filled, "Atlas Fitness")), [request]),
        (inbox.InboxFilter(channel="telegram"), [late]),
        (inbox.InboxFilter(kind="request"), [request]),
        (inbox.InboxFilter(priority="high"), [request]),
        (inbox.InboxFilter(priority="high", channel="telegram"), []),
    ]
    for wanted, expected in cases:
        assert wanted.active
        assert [m for m in (late, request) if wanted.matches(m)] == expected, wanted


# finding clients

CLIENTS = [{"id": str(number), "name": name} for number, name in enumerate([
    "ООО «Ромашка»", "Ромашка Ltd", "Зелёный Квартал", "Atlas Fitness", "Pixel Forge",
    "Атлант", "ГК «Сибирский Мёд»",
])]


def found(typed: str) -> list[str]:
    return [name for _id, name in NameFinder(CLIENTS).find(typed)]


def test_client_finder_finds_as_the_palette_does() -> None:
    assert found("ромашка") == ["Ромашка Ltd", "ООО «Ромашка»"]
    assert found("РОМ")[:2] == ["Ромашка Ltd", "ООО «Ромашка»"]
    assert found("fit") == ["Atlas Fitness"]
    assert found("ашк") == ["ООО «Ромашка»", "Ромашка Ltd"]
    assert found("рмшк") == ["ООО «Ромашка»", "Ромашка Ltd"]
    assert found("atl") == ["Atlas Fitness"]
    assert found("ат") == ["Атлант"]
    assert found("ромашко") == ["ООО «Ромашка»", "Ромашка Ltd"]  # a typo
    assert found("hjvfirf") == ["Ромашка Ltd", "ООО «Ромашка»"]  # the other layout
    assert found("ооо ромашка") == ["ООО «Ромашка»"]  # no «» needed


def test_client_finder_reads_yo_as_ye_and_finds_nothing_for_nonsense() -> None:
    assert found("зеленый") == ["Зелёный Квартал"]
    assert found("мед") == ["ГК «Сибирский Мёд»"]
    assert found("qqq") == []
    assert len(found("")) == len(CLIENTS)


def test_client_finder_resolves_one_client_or_none() -> None:
    finder = NameFinder(CLIENTS)
    assert finder.resolve("ромашка ltd") == "1"
    assert finder.resolve("pixel") == "4"
    assert finder.resolve("ромашка") is None  # two clients
    assert finder.resolve("qqq") is None
    assert finder.resolve("  ") is None
    assert finder.name("3") == "Atlas Fitness" and finder.name("nope") == ""


# changing a message


def test_status_priority_and_assignee_change_and_undo(filled: Workspace) -> None:
    changes = [(inbox.set_status, "waiting_on_client", "status"),
               (inbox.set_priority, "urgent", "priority"),
               (inbox.assign, None, "assignee_id")]
    for change, value, field in changes:
        seen = message(filled, "Когда")
        made = change(filled, seen, value)
        assert getattr(message(filled, "Когда"), field) == value
        made.revert()
        assert getattr(message(filled, "Когда"), field) == getattr(seen, field)
        assert getattr(seen, field) != value


def test_a_change_to_a_message_changed_meanwhile_is_a_conflict(filled: Workspace) -> None:
    seen = message(filled, "Когда")
    inbox.set_priority(filled, seen, "low")
    with pytest.raises(ConflictError):
        inbox.set_status(filled, seen, "done")
    assert message(filled, "Когда").status == "waiting_on_us"
    inbox.set_status(filled, seen, "done", overwrite=True)
    assert message(filled, "Когда").status == "done"
    assert message(filled, "Когда").priority == "low"


def test_an_unknown_status_or_priority_changes_nothing(filled: Workspace) -> None:
    seen = message(filled, "Когда")
    with pytest.raises(ValueError):
        inbox.set_status(filled, seen, "lost")
    with pytest.raises(ValueError):
        inbox.set_priority(filled, seen, "asap")
    assert message(filled, "Когда").rev == seen.rev


def test_snooze_keeps_the_message_off_today_until_it_ends(filled: Workspace,
                                                          clock: StillClock) -> None:
    def late() -> list[str]:
        (section,) = [s for s in build_agenda(filled) if s.key == "late_answers"]
        return [item.record_id for item in section.items]

    seen = message(filled, "Когда")
    assert late() == [seen.id]
    made = inbox.snooze(filled, seen, 2)
    assert message(filled, "Когда").snoozed_until == clock() + timedelta(days=2)
    assert late() == []
    clock.advance(days=2, minutes=1)
    assert seen.id in late()
    made.revert()
    assert message(filled, "Когда").snoozed_until is None


THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize(("typed", "days"), [
    ("3", 3), (" 7 ", 7), ("365", 365), ("tomorrow", 1), ("завтра", 1), ("fri", 1),
    ("+1w", 7), ("10.12", 7), ("2026-12-31", 28)])
def test_a_snooze_is_a_number_of_days_or_the_day_it_ends(typed: str, days: int) -> None:
    assert rules.parse_snooze_days(typed, THURSDAY) == days


@pytest.mark.parametrize(("typed", "problem"), [
    ("", "number of days"), ("abc", "'abc' is not a date"), ("0", "1 to 365 days, not 0"),
    ("366", "1 to 365 days, not 366"), ("today", "1 to 365 days, not 0"),
    ("yesterday", "not -1"), ("2026-02-30", "2026-02-30")])
def test_a_snooze_from_1_to_365_days_or_a_message_says_what_is_wrong(typed: str,
                                                                     problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        rules.parse_snooze_days(typed, THURSDAY)


def test_an_undo_description_counts_in_the_plural_form_of_its_number(
        filled: Workspace) -> None:
    seen = message(filled, "Когда")
    assert inbox.snooze(filled, seen, 1).description.endswith("snoozed for 1 day")
    seen = message(filled, "Когда")
    assert inbox.snooze(filled, seen, 3, overwrite=True).description.endswith(
        "snoozed for 3 days")


def test_snooze_refuses_zero_days_and_changes_nothing(filled: Workspace) -> None:
    seen = message(filled, "Когда")
    with pytest.raises(ValueError):
        inbox.snooze(filled, seen, 0)
    assert message(filled, "Когда").rev == seen.rev


def test_a_reply_is_an_outgoing_message_that_counts_as_contact(filled: Workspace,
                                                               clock: StillClock) -> None:
    seen = message(filled, "Когда")
    sent = inbox.outgoing(filled, seen, "reply", "Завтра к обеду")
    made = inbox.log_outgoing(filled, seen, sent, "waiting_on_client")
    (reply,) = filled.repo(Message).where(kind="reply")
    assert (reply.direction, reply.status, reply.channel) == ("outgoing", "done", "telegram")
    assert (reply.client_id, reply.contact_id, reply.text) == (
        seen.client_id, seen.contact_id, "Завтра к обеду")
    assert reply.received_at == clock() and reply.answer_by is None
    assert message(filled, "Когда").status == "waiting_on_client"
    assert client_details(filled, seen.client_id).update.last_contact == clock()
    made.revert()
    assert filled.repo(Message).where(kind="reply") == []
    assert message(filled, "Когда").status == "waiting_on_us"


def test_a_call_is_by_phone_and_may_leave_the_status_as_it_is(filled: Workspace) -> None:
    seen = message(filled, "Нужен")
    inbox.log_outgoing(filled, seen, inbox.outgoing(filled, seen, "call", "Обсудили"), "new")
    (call,) = filled.repo(Message).where(kind="call")
    assert (call.channel, call.direction) == ("phone", "outgoing")
    assert message(filled, "Нужен").rev == seen.rev


def test_an_empty_reply_is_refused(filled: Workspace) -> None:
    with pytest.raises(ValidationError) as problem:
        inbox.outgoing(filled, message(filled, "Когда"), "reply", "   ")
    assert problem.value.errors()[0]["loc"] == ("text",)


def test_a_failed_step_takes_back_the_steps_before_it(filled: Workspace) -> None:
    seen = message(filled, "Когда")

    def fail() -> Undo:
        raise RecordNotFound("gone")

    with pytest.raises(RecordNotFound):
        inbox.together("both", [lambda: inbox.set_status(filled, seen, "done"), fail])
    assert message(filled, "Когда").status == "waiting_on_us"


def test_a_new_message_is_due_within_the_clients_working_hours(filled: Workspace,
                                                              clock: StillClock) -> None:
    # START is Thursday 12:00 in Moscow; four working hours later is 16:00 there.
    romashka = client_id(filled, "ООО «Ромашка»")
    new = inbox.new_message(filled, client_id=romashka, text="Пришлите счёт")
    assert new.answer_by == clock() + timedelta(hours=4)
    assert (new.status, new.channel, new.kind, new.direction) == (
        "new", "telegram", "question", "incoming")
    assert new.assignee_id == filled.repo(Client).get(romashka).owner_id
    made = inbox.add_message(filled, new)
    assert filled.repo(Message).get(new.id).text == "Пришлите счёт"
    made.revert()
    assert not filled.repo(Message).exists(new.id)


@pytest.mark.parametrize(("text", "priority"), [("Сайт не открывается", ""),
                                              ("Пришлите счёт", "urgent")])
def test_a_new_urgent_message_is_due_within_the_urgent_answer_minutes(
        filled: Workspace, clock: StillClock, text: str, priority: str) -> None:
    new = inbox.new_message(filled, client_id=client_id(filled, "ООО «Ромашка»"), text=text,
                            priority=priority)
    assert new.answer_by == clock() + timedelta(minutes=60)


def test_urgent_messages_waiting_on_us_come_first_in_the_inbox(filled: Workspace,
                                                                clock: StillClock) -> None:
    atlas = client_id(filled, "Atlas Fitness")
    messages = filled.repo(Message)
    messages.add(Message(client_id=atlas, text="Всё упало!", status="waiting_on_us",
                         received_at=clock() - timedelta(days=1)))
    messages.add(Message(client_id=atlas, text="Упало, но уже починили", status="done",
                         received_at=clock() - timedelta(minutes=5)))
    order = [str(entry.message["text"]).split("\n")[0] for entry in inbox.load_inbox(filled)]
    assert order == ["Всё упало!", "Упало, но уже починили", "Нужен лендинг к акции",
                     "Когда будет готов макет?"]


def test_a_new_message_from_us_is_done_and_due_never(filled: Workspace) -> None:
    new = inbox.new_message(filled, client_id=client_id(filled, "Atlas Fitness"),
                            text="Отчёт отправлен", direction="outgoing", channel="email")
    assert (new.status, new.kind, new.answer_by, new.channel) == (
        "done", "update", None, "email")


def test_a_new_message_for_no_client_is_refused(filled: Workspace) -> None:
    with pytest.raises(RecordNotFound):
        inbox.new_message(filled, client_id="nobody", text="x")
    with pytest.raises(ValidationError):
        inbox.new_message(filled, client_id=client_id(filled, "Atlas Fitness"), text="",
                          kind="gossip")


def test_delete_moves_to_the_trash_and_undo_links_the_tasks_again(filled: Workspace) -> None:
    seen = message(filled, "Когда")
    task = filled.repo(Task).add(Task(title="Макет", client_id=seen.client_id,
                                      message_id=seen.id))
    made = inbox.delete_message(filled, seen.id)
    assert not filled.repo(Message).exists(seen.id)
    assert filled.repo(Task).get(task.id).message_id is None
    assert [entry.record_id for entry in TrashBin(filled).entries()] == [seen.id]
    made.revert()
    assert filled.repo(Message).get(seen.id).text == seen.text
    assert filled.repo(Task).get(task.id).message_id == seen.id
    assert TrashBin(filled).entries() == []


# tasks and briefs


def test_a_task_from_a_message_is_linked_to_it_and_its_client(filled: Workspace) -> None:
    seen = message(filled, "Нужен")
    task = inbox.task_from(seen, title="Лендинг", department="design", due="2026-12-01")
    assert (task.client_id, task.message_id, task.priority) == (
        seen.client_id, seen.id, "high")
    assert task.description == seen.text and task.due == date(2026, 12, 1)
    made = inbox.add_task(filled, task)
    assert filled.repo(Task).get(task.id).title == "Лендинг"
    made.revert()
    assert filled.repo(Task).all() == []


@pytest.mark.parametrize(("values", "field"), [
    ({"title": "", "due": None}, "title"),
    ({"title": "x", "due": "2026-02-30"}, "due"),
    ({"title": "x", "due": "завтра"}, "due"),
])
def test_a_bad_task_names_the_field(filled: Workspace, values: dict[str, str],
                                    field: str) -> None:
    with pytest.raises(ValidationError) as problem:
        inbox.task_from(message(filled, "Нужен"), department="other", **values)
    assert problem.value.errors()[0]["loc"] == (field,)


def test_a_brief_asks_the_questions_and_quotes_the_request(filled: Workspace) -> None:
    request = message(filled, "Нужен")
    plan = inbox.plan_brief(request, title="Бриф: лендинг", client="Atlas Fitness",
                            contact="Марина", departments=["seo", "design"], due="2026-12-10")
    body = plan.note.body
    assert plan.note.kind == "brief" and plan.note.client_id == request.client_id
    assert body.startswith("# Бриф: лендинг\n")
    assert "Client: Atlas Fitness" in body and "Contact: Марина" in body
    assert "> Нужен лендинг к акции\n> Бюджет 100 000" in body
    for heading in ("Goal", "Audience", "Budget and deadlines", "Examples", "Decision maker",
                    "Success criteria"):
        assert f"\n## {heading}\n" in body
    assert [(t.department, t.message_id, t.client_id, t.due) for t in plan.tasks] == [
        ("seo", request.id, request.client_id, date(2026, 12, 10)),
        ("design", request.id, request.client_id, date(2026, 12, 10)),
    ]
    assert plan.tasks[0].title == "Бриф: лендинг — seo"


def test_saving_a_brief_stores_note_and_tasks_and_undo_takes_all_back(
        filled: Workspace) -> None:
    request = message(filled, "Нужен")
    plan = inbox.plan_brief(request, title="Бриф", client="Atlas", contact="",
                            departments=["copywriting", "context_ads", "analytics"], due=None)
    made = inbox.save_brief(filled, plan)
    assert [n.title for n in filled.repo(Note).all()] == ["Бриф"]
    assert sorted(t.department for t in filled.repo(Task).where(message_id=request.id)) == [
        "analytics", "context_ads", "copywriting"]
    (entry,) = [e for e in inbox.load_inbox(filled) if e.id == request.id]
    assert (entry.tasks_done, len(entry.tasks)) == (0, 3)
    made.revert()
    assert filled.repo(Note).all() == [] and filled.repo(Task).all() == []


def test_undoing_a_brief_keeps_tasks_edited_since_in_the_trash_and_skips_deleted_ones(
        filled: Workspace) -> None:
    request = message(filled, "Нужен")
    plan = inbox.plan_brief(request, title="Бриф", client="Atlas", contact="",
                            departments=["copywriting", "context_ads", "analytics"], due=None)
    made = inbox.save_brief(filled, plan)
    tasks = filled.repo(Task)
    edited, gone, untouched = sorted(tasks.where(message_id=request.id),
                                     key=lambda task: task.department or "")
    tasks.update(edited.model_copy(update={"title": "Бриф — аналитика, с цифрами"}))
    tasks.delete(gone.id)  # deleted by a colleague meanwhile
    made.revert()
    assert filled.repo(Note).all() == [] and tasks.all() == []
    assert sorted(entry.title for entry in TrashBin(filled).entries()) == [
        gone.title, "Бриф — аналитика, с цифрами"]  # the edit can still be restored
    assert untouched.id not in {entry.record_id for entry in TrashBin(filled).entries()}


def test_undoing_an_add_deleted_meanwhile_does_nothing(filled: Workspace) -> None:
    client = filled.repo(Client).all()[0]
    added = inbox.add_message(filled, Message(client_id=client.id, text="Привет",
                                              received_at=START))
    (new,) = filled.repo(Message).where(text="Привет")
    filled.repo(Message).delete(new.id)
    added.revert()
    assert filled.repo(Message).where(text="Привет") == []
    assert [entry.record_id for entry in TrashBin(filled).entries()] == [new.id]


@pytest.mark.parametrize(("title", "due", "field"), [
    ("  ", None, "title"), ("Бриф", "2026-13-01", "due"), ("Бриф", "soon", "due"),
])
def test_a_bad_brief_names_the_field_even_without_departments(
        filled: Workspace, title: str, due: str | None, field: str) -> None:
    with pytest.raises(ValidationError) as problem:
        inbox.plan_brief(message(filled, "Нужен"), title=title, client="", contact="",
                         departments=[], due=due)
    assert problem.value.errors()[0]["loc"] == (field,)


def test_a_snooze_from_today_is_described_in_russian_with_its_plural(filled: Workspace) -> None:
    from amtui.i18n import use_locale
    from amtui.services import actions

    use_locale("ru_RU")  # the autouse fixture makes it English again after the test
    seen = message(filled, "Когда")
    client = filled.repo(Client).get(seen.client_id)
    assert actions.snooze(filled, "messages", seen.id, 2).description == (
        "сообщение «Когда будет готов макет?» отложено на 2 дня")
    assert actions.snooze(filled, "clients", client.id, 5).description == (
        f"отчёт для «{client.name}» отложен на 5 дней")
