"""`amtui done|edit|move|assign|snooze|delete|restore ID` and `amtui undo`: each verb on each
kind of record it takes, what it stores, and `amtui undo` taking it back; the app and the
command sharing their undo; bad input refused in one line with nothing changed; and `amtui
today --format text|markdown` for a morning mail."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from textual.widgets import OptionList, Static

from amtui import identity
from amtui.cli import main
from amtui.models import (
    Client,
    Contact,
    Deal,
    Member,
    Message,
    Money,
    Note,
    Task,
)
from amtui.storage import TrashBin, Workspace
from amtui.testing import StillClock, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.confirm import ConfirmScreen
from conftest import snapshot_files


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str


Amtui = Callable[..., Run]


@pytest.fixture
def cli(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> Amtui:
    """``amtui ARGS --workspace W`` run in this process, as the shell would run it."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            status = main([*args, "--workspace", str(workspace.root)])
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
        out = capsys.readouterr()
        return Run(status, out.out, out.err)

    return run


REAL_OS_USER = identity.os_user


@pytest.fixture(autouse=True)
def as_anna(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OS user is «anna», the login of the member Анна."""
    monkeypatch.setattr(identity, "os_user", lambda: "anna")


@pytest.fixture
def agency(workspace: Workspace, clock: StillClock) -> dict[str, str]:
    """One record of each kind, by table: ids."""
    now = clock()
    anna = workspace.repo(Member).add(Member(name="Анна Смирнова", login="anna"))
    workspace.repo(Member).add(Member(name="Борис Ким", login="boris"))
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»", owner_id=anna.id,
                                               cadence="weekly"))
    task = workspace.repo(Task).add(Task(title="Тексты для лендинга", client_id=client.id,
                                         column="todo", department="copywriting",
                                         due=now.date() + timedelta(days=2)))
    message = workspace.repo(Message).add(Message(
        client_id=client.id, text="Когда будет макет?", status="new",
        received_at=now - timedelta(hours=3), answer_by=now + timedelta(hours=1)))
    note = workspace.repo(Note).add(Note(title="Бриф", body="Цели", client_id=client.id))
    contact = workspace.repo(Contact).add(Contact(name="Ольга", client_id=client.id))
    deal = workspace.repo(Deal).add(Deal(title="Редизайн", client_id=client.id,
                                         amount=Money(amount=Decimal(100000), currency="RUB")))
    return {"clients": client.id, "tasks": task.id, "messages": message.id, "notes": note.id,
            "contacts": contact.id, "deals": deal.id}


def stored(workspace: Workspace, table: str, record_id: str) -> dict[str, Any] | None:
    """The record as stored now (read afresh: the command ran in another workspace object)."""
    return Workspace.open(workspace.root).file(table).get(record_id)


def content(record: dict[str, Any] | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {key: value for key, value in record.items() if key not in ("rev", "updated_at")}


# (verb and arguments after the id, the table, fields expected afterwards, what it says)
CASES: list[tuple[list[str], str, dict[str, Any], str]] = [
    (["done"], "tasks", {"column": "done", "done_at": "2026-11-26T09:00:00Z"},
     "Task «Тексты для лендинга» done"),
    (["done"], "messages", {"status": "done"}, "Message «Когда будет макет?» answered"),
    (["move", "{id}", "review"], "tasks", {"column": "review"},
     "Task «Тексты для лендинга» moved to Review"),
    (["move", "{id}", "client approval"], "tasks",
     {"column": "client_approval", "blocked_by_client": True}, "moved to Client approval"),
    (["move", "{id}", "Done"], "tasks", {"column": "done", "done_at": "2026-11-26T09:00:00Z"},
     "moved to Done"),
    (["assign", "{id}", "boris"], "tasks", {"assignee": "Борис Ким"}, "edited"),
    (["assign", "{id}", "boris"], "messages", {"assignee_id": "<boris>"}, "assigned"),
    (["assign", "{id}", "boris"], "clients", {"owner_id": "<boris>"}, "edited"),
    (["assign", "{id}", "Борис Ким"], "deals", {"owner_id": "<boris>"}, "edited"),
    (["snooze", "{id}", "3"], "messages", {"snoozed_until": "2026-11-29T09:00:00Z"},
     "snoozed for 3 days"),
    (["snooze", "{id}", "fri"], "clients", {"update_snoozed_until": "2026-11-27T09:00:00Z"},
     "Update of «ООО «Ромашка»» snoozed for 1 day"),
    (["edit", "{id}", "--title", "Новые тексты", "--due", "10.12.2026", "--priority", "high",
      "--department", "seo", "--estimate", "2,5"], "tasks",
     {"title": "Новые тексты", "due": "2026-12-10", "priority": "high", "department": "seo",
      "estimate_hours": "2.5"}, "Task «Новые тексты» edited"),
    (["edit", "{id}", "--text", "Где макет?", "--priority", "urgent"], "messages",
     {"text": "Где макет?", "priority": "urgent"}, "Message «Где макет?» edited"),
    (["edit", "{id}", "--name", "ООО «Ромашка+»", "--cadence", "monthly", "--tag", "vip",
      "--tag", "seo", "--channel", "telegram", "--revenue", "150 000"], "clients",
     {"name": "ООО «Ромашка+»", "cadence": "monthly", "tags": ["vip", "seo"],
      "preferred_channel": "telegram", "monthly_revenue": "150000"}, "edited"),
    (["edit", "{id}", "--title", "Бриф v2", "--body", "Новые цели", "--pin"], "notes",
     {"title": "Бриф v2", "body": "Новые цели", "pinned": True}, "Note «Бриф v2» edited"),
    (["edit", "{id}", "--role", "CMO", "--email", "olga@example.com"], "contacts",
     {"role": "CMO", "email": "olga@example.com"}, "Contact «Ольга» edited"),
    (["edit", "{id}", "--amount", "1,5 млн", "--status", "won", "--signed", "2026-11-20"],
     "deals", {"amount": {"amount": "1500000", "currency": "RUB"}, "status": "won",
               "signed_on": "2026-11-20"}, "Deal «Редизайн» edited"),
    *[(["delete"], table, {}, "deleted")
      for table in ("tasks", "messages", "notes", "clients", "contacts", "deals")],
]


def argv_of(args: list[str], record_id: str) -> list[str]:
    if args == [args[0]]:
        return [args[0], record_id]
    return [word.replace("{id}", record_id) for word in args]


@pytest.mark.parametrize(("args", "table", "expected", "said"), CASES,
                         ids=[f"{args[0]} {table} {' '.join(args[2:3])}"
                              for args, table, _e, _s in CASES])
def test_a_verb_changes_the_record_and_undo_takes_it_back(
        workspace: Workspace, agency: dict[str, str], cli: Amtui, args: list[str],
        table: str, expected: dict[str, Any], said: str) -> None:
    record_id = agency[table]
    boris = workspace.repo(Member).resolve("Борис Ким").id
    before = stored(workspace, table, record_id)
    # The id as `amtui list` prints it, or its start in any case: the last 10 characters
    # tell these records apart.
    typed = record_id if args[0] == "done" else record_id[:20].lower()
    result = cli(*argv_of(args, typed))
    assert result.status == 0, result.stderr
    assert said in result.stdout and result.stdout.count("\n") == 1
    after = stored(workspace, table, record_id)
    if args[0] == "delete":
        assert after is None
        (entry,) = TrashBin(Workspace.open(workspace.root)).entries()
        assert entry.record_id == record_id
    else:
        assert after is not None
        for field, value in expected.items():
            assert after[field] == (boris if value == "<boris>" else value), field

    undone = cli("undo")
    assert undone.status == 0, undone.stderr
    assert undone.stdout.startswith("Undone: ")
    assert content(stored(workspace, table, record_id)) == content(before)
    assert cli("undo").status == 2  # nothing left to undo


def test_restore_brings_a_deleted_record_back_and_undo_deletes_it_again(
        workspace: Workspace, agency: dict[str, str], cli: Amtui) -> None:
    from amtui.services.notes import delete_note

    note_id = agency["notes"]
    before = stored(workspace, "notes", note_id)
    delete_note(workspace, note_id)
    result = cli("restore", note_id[:22])
    assert result.status == 0, result.stderr
    assert result.stdout == "«Бриф» restored from the trash\n"
    assert content(stored(workspace, "notes", note_id)) == content(before)
    assert TrashBin(Workspace.open(workspace.root)).entries() == []

    assert cli("undo").status == 0
    assert stored(workspace, "notes", note_id) is None
    (entry,) = TrashBin(Workspace.open(workspace.root)).entries()
    assert entry.record_id == note_id


def test_json_prints_the_changed_record_as_list_json_does(
        workspace: Workspace, agency: dict[str, str], cli: Amtui) -> None:
    message_id = agency["messages"]
    result = cli("done", message_id, "--json")
    assert result.status == 0, result.stderr
    printed = json.loads(result.stdout)
    (listed,) = json.loads(cli("list", "messages", "--json").stdout)
    assert printed == listed
    assert printed["status"] == "done" and printed["title"] == "Когда будет макет?"

    deleted = json.loads(cli("delete", agency["deals"], "--json").stdout)
    assert (deleted["id"], deleted["title"]) == (agency["deals"], "Редизайн")
    undone = json.loads(cli("undo", "--json").stdout)
    assert undone["undone"] == "deal «Редизайн» deleted"
    assert undone["records"][0]["record"]["id"] == agency["deals"]


def test_undo_takes_back_the_last_change_first(workspace: Workspace, agency: dict[str, str],
                                               cli: Amtui) -> None:
    task_id = agency["tasks"]
    assert cli("move", task_id, "in_progress").status == 0
    assert cli("edit", task_id, "--title", "Другое").status == 0
    assert cli("undo").stdout == "Undone: task «Другое» edited\n"
    task = stored(workspace, "tasks", task_id)
    assert task is not None and (task["title"], task["column"]) == (
        "Тексты для лендинга", "in_progress")
    assert cli("undo").stdout == "Undone: task «Тексты для лендинга» moved to In progress\n"
    task = stored(workspace, "tasks", task_id)
    assert task is not None and task["column"] == "todo"


def test_workspace_text_never_reaches_the_terminal_raw(workspace: Workspace,
                                                      agency: dict[str, str],
                                                      cli: Amtui) -> None:
    result = cli("edit", agency["tasks"], "--title", "\x1b[2J\x1b]0;pwned\x07 [bold]x[/]")
    assert result.status == 0, result.stderr
    assert result.stdout == "Task «\\x1b[2J\\x1b]0;pwned\\x07 [bold]x[/]» edited\n"
    task = stored(workspace, "tasks", agency["tasks"])
    assert task is not None and task["title"] == "\x1b[2J\x1b]0;pwned\x07 [bold]x[/]"


def test_undo_takes_back_an_add(workspace: Workspace, agency: dict[str, str],
                                cli: Amtui) -> None:
    result = cli("add", "task", "Лишняя задача", "--client", agency["clients"])
    assert result.status == 0, result.stderr
    task_id = result.stdout.strip()
    assert stored(workspace, "tasks", task_id) is not None
    assert cli("undo").stdout == "Undone: «Лишняя задача» added\n"
    assert stored(workspace, "tasks", task_id) is None
    assert TrashBin(Workspace.open(workspace.root)).entries() == []  # gone, not deleted


def test_another_users_changes_are_not_undone(workspace: Workspace, agency: dict[str, str],
                                              cli: Amtui,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("done", agency["tasks"]).status == 0
    monkeypatch.setattr(identity, "os_user", lambda: "boris")
    result = cli("undo")
    assert (result.status, result.stderr) == (
        2, "amtui: error: nothing to undo: no change of yours (boris) is recorded in this "
           "workspace\n")
    task = stored(workspace, "tasks", agency["tasks"])
    assert task is not None and task["column"] == "done"


# the app and the command share one undo


def agenda_lines(app: AmtuiApp) -> list[str]:
    agenda = app.screen.query_one("#agenda", OptionList)
    return [str(agenda.get_option_at_index(i).prompt) for i in range(agenda.option_count)]


@pytest.fixture
def overdue(workspace: Workspace, agency: dict[str, str], clock: StillClock) -> list[str]:
    """Two tasks of Анна's client, overdue by a day, alike but for their titles."""
    tasks = workspace.repo(Task)
    return [tasks.add(Task(title=title, client_id=agency["clients"], column="todo",
                           department="seo", due=clock().date() - timedelta(days=1))).id
            for title in ("Метатеги", "Семантика")]


async def test_the_app_and_the_command_mark_done_alike_and_share_undo(
        workspace: Workspace, overdue: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import run_cli

    monkeypatch.setattr(identity, "os_user", REAL_OS_USER)  # the same user as the command's
    by_app, by_command = overdue
    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        highlighted = app.screen.query_one("#agenda", OptionList).highlighted_option
        assert highlighted is not None and "Метатеги" in str(highlighted.prompt)
        await pilot.press("d")
        await wait_until(pilot, lambda: not any("Метатеги" in line
                                                for line in agenda_lines(app)), "done in app")
        assert run_cli("done", by_command, workspace=workspace.root).returncode == 0
        app_task, command_task = (stored(workspace, "tasks", task_id)
                                  for task_id in (by_app, by_command))
        assert app_task is not None and command_task is not None
        fields = ("column", "done_at", "blocked_by_client", "column_since")
        assert [app_task.get(f) for f in fields] == [command_task.get(f) for f in fields]

        # `u` in the app takes back the last change, the command's, once asked.
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: any("Семантика" in line
                                            for line in agenda_lines(app)), "undone by u")
        assert stored(workspace, "tasks", by_command)["column"] == "todo"  # type: ignore[index]
        # `amtui undo` takes back the one before it: the app's.
        result = run_cli("undo", workspace=workspace.root)
        assert result.stdout == "Undone: task «Метатеги» done\n", result.stderr
        assert stored(workspace, "tasks", by_app)["column"] == "todo"  # type: ignore[index]
        # ... and `u` does not take it back twice: it says so, and nothing changes.
        before = snapshot_files(workspace.root)
        await pilot.press("u")
        await wait_until(pilot, lambda: any("undone already" in str(notice.message)
                                            for notice in app._notifications), "the notice")
        await settle(pilot)
        assert snapshot_files(workspace.root) == before


# bad input

MISSING_ID = "01KQ0000000000000000000000"

BAD: list[tuple[list[str], list[str]]] = [
    (["done", MISSING_ID], ["no record", MISSING_ID]),
    (["done", ""], ["ID", "empty"]),
    (["done", "0"], ["starts the ids of", "type more"]),
    (["done", "{notes}"], ["`done` applies to tasks, messages", "notes"]),
    (["done", "{tasks}", "--bogus"], ["--bogus"]),
    (["move", "{tasks}", "nowhere"], ["COLUMN", "nowhere", "backlog, todo"]),
    (["move", "{tasks}", "todo"], ["already in To do"]),
    (["move", "{messages}", "todo"], ["`move` applies to tasks"]),
    (["move", "{tasks}"], ["COLUMN"]),
    (["assign", "{tasks}", "nobody"], ["LOGIN", "no member 'nobody'"]),
    (["assign", "{notes}", "boris"], ["`assign` applies to", "notes"]),
    (["snooze", "{messages}", "0"], ["WHEN", "1 to 365 days"]),
    (["snooze", "{messages}", "400"], ["WHEN", "1 to 365 days"]),
    (["snooze", "{messages}", "yesterday"], ["WHEN", "1 to 365 days"]),
    (["snooze", "{messages}", "2026-02-30"], ["WHEN", "2026-02-30"]),
    (["snooze", "{messages}", "soon"], ["WHEN", "soon"]),
    (["snooze", "{tasks}", "3"], ["`snooze` applies to messages, clients"]),
    (["edit", "{tasks}"], ["say what to change"]),
    (["edit", "{tasks}", "--name", "x"], ["--name does not apply to tasks"]),
    (["edit", "{tasks}", "--due", "2026-02-30"], ["--due", "2026-02-30"]),
    (["edit", "{tasks}", "--priority", "bogus"], ["priority", "bogus"]),
    (["edit", "{tasks}", "--department", "cooking"], ["--department", "cooking"]),
    (["edit", "{tasks}", "--title", ""], ["title"]),
    (["edit", "{tasks}", "--currency", "USD"], ["--currency goes with --amount"]),
    (["edit", "{deals}", "--amount", "-5"], ["amount", "negative"]),
    (["edit", "{notes}", "--pin", "--unpin"], ["--pin and --unpin"]),
    (["edit", "{clients}", "--owner", "nobody"], ["--owner", "nobody"]),
    (["edit", "{clients}", "--timezone", "Mars/Base"], ["time zone"]),
    (["restore", MISSING_ID], ["nothing in the trash", MISSING_ID]),
    (["undo"], ["nothing to undo"]),
    (["today", "--format", "html"], ["--format", "html"]),
    (["today", "--format", "markdown", "--json"], ["--format", "--json"]),
]


@pytest.mark.parametrize(("args", "words"), BAD, ids=[" ".join(a)[:50] for a, _w in BAD])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
        workspace: Workspace, agency: dict[str, str], cli: Amtui, args: list[str],
        words: list[str]) -> None:
    assert cli("done", agency["messages"]).status == 0  # something `undo` could take back
    if args == ["undo"]:
        assert cli("undo").status == 0
    argv = [word.format(**agency) for word in args]
    before = snapshot_files(workspace.root)
    result = cli(*argv)
    assert result.status == 2, result
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("amtui: error: ")
    for word in words:
        assert word.format(**agency) in line, (word, line)
    assert snapshot_files(workspace.root) == before


def test_a_done_task_cannot_be_done_again(workspace: Workspace, agency: dict[str, str],
                                          cli: Amtui) -> None:
    assert cli("done", agency["tasks"]).status == 0
    before = snapshot_files(workspace.root)
    result = cli("done", agency["tasks"])
    assert (result.status, result.stderr) == (
        2, f"amtui: error: the task {agency['tasks']} is done already\n")
    assert snapshot_files(workspace.root) == before


# today for a cron job


@pytest.fixture
def plan(workspace: Workspace, agency: dict[str, str], clock: StillClock) -> None:
    """Анна's overdue task with a title Markdown would misread."""
    workspace.repo(Task).add(Task(title="*Срочно* [отчёт](x) #1", client_id=agency["clients"],
                                  column="todo", department="seo",
                                  due=clock().date() - timedelta(days=3)))


def test_today_as_markdown_for_a_morning_mail(workspace: Workspace, plan: None,
                                              cli: Amtui) -> None:
    result = cli("today", "--mine", "--format", "markdown")
    assert result.status == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# Today for Анна Смирнова (anna), Thu 26 Nov 2026"
    headings = [line for line in lines if line.startswith("## ")]
    assert "## Tasks overdue (1)" in headings and "## Answers overdue (0)" in headings
    assert (r"- **3 d overdue** — \*Срочно\* \[отчёт\]\(x\) \#1 · ООО «Ромашка» · seo"
            in lines)
    # every line is a heading, a bullet, an empty section's words in italics, or blank
    assert all(line == "" or line.startswith(("# ", "## ", "- ", "_")) for line in lines)
    assert "\x1b" not in result.stdout


def test_today_as_text_is_plain_lines(workspace: Workspace, plan: None, cli: Amtui) -> None:
    result = cli("today", "--mine", "--format", "text")
    assert result.status == 0, result.stderr
    assert result.stdout == cli("today", "--mine").stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "Today for Анна Смирнова (anna)"
    assert "Tasks overdue (1)" in lines
    assert "  3 d overdue  *Срочно* [отчёт](x) #1 · ООО «Ромашка» · seo" in lines
    assert not any(ord(char) < 32 for char in result.stdout.replace("\n", ""))


def test_date_of_the_plan_is_the_workspace_day(workspace: Workspace, plan: None,
                                               cli: Amtui, clock: StillClock) -> None:
    clock.advance(days=1)
    result = cli("today", "--format", "markdown")
    assert result.stdout.splitlines()[0] == "# Today, Fri 27 Nov 2026"


def test_a_change_to_a_table_no_plugin_loads_is_kept_for_later(workspace: Workspace,
                                                                clock: StillClock) -> None:
    from amtui.services import journal
    from amtui.storage import StorageError
    from amtui.storage.journal import JournalEntry

    entry = workspace.repo(JournalEntry).add(JournalEntry(
        login="anna", description="post «x» restored from the trash", made_at=clock(),
        steps=[{"action": "restore", "table": "posts", "id": "P", "unlinked": {}}]))
    with pytest.raises(StorageError, match="without the plugin of posts"):
        journal.take_back(workspace, entry.id, entry.description)
    assert journal.last_change(workspace) == entry


def test_a_department_is_taken_as_it_is_shown(workspace: Workspace, cli: Amtui) -> None:
    """`amtui list` shows "context ads"; add and edit take that, the stored name, any case,
    and the Russian name with --lang ru; anything else is refused naming them as shown."""
    added = cli("add", "task", "Кампания", "--department", "context ads")
    assert added.status == 0, added.stderr
    task_id = added.stdout.strip()
    assert workspace.repo(Task).get(task_id).department == "context_ads"
    assert cli("edit", task_id, "--department", "SEO").status == 0
    assert workspace.repo(Task).get(task_id).department == "seo"
    assert cli("edit", task_id, "--department", "Context_Ads").status == 0
    assert workspace.repo(Task).get(task_id).department == "context_ads"
    russian = cli("edit", task_id, "--department", "копирайтинг", "--lang", "ru")
    assert russian.status == 0, russian.stderr
    assert workspace.repo(Task).get(task_id).department == "copywriting"
    refused = cli("edit", task_id, "--department", "marketing")
    assert refused.status == 2 and "context ads" in refused.stderr
    assert workspace.repo(Task).get(task_id).department == "copywriting"


async def test_u_offers_the_newest_change_a_command_made_after_the_app_and_asks(
        workspace: Workspace, agency: dict[str, str]) -> None:
    """The app's change on the Inbox, then `amtui done` in another shell, then `u` on Today:
    the command's change is the one named (with where it was made) and undone after `y`;
    the next `u` offers the app's."""
    import contextlib
    import io

    def in_shell(*args: str) -> int:
        """`amtui ARGS` run in this process, its output kept from the app's."""
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return main([*args, "--workspace", str(workspace.root)])

    message_id, task_id = agency["messages"], agency["tasks"]
    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # the Inbox: the message answered there
        await settle(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: stored(workspace, "messages", message_id)["status"]
                         == "done", "answered in the app")  # type: ignore[index]
        await pilot.press("1")
        await settle(pilot)
        assert in_shell("done", task_id) == 0  # in another shell
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert question.startswith("The last change was made with the amtui command: task "
                                   "«Тексты для лендинга» done."), question
        await pilot.press("y")
        await wait_until(pilot, lambda: stored(workspace, "tasks", task_id)["column"]
                         == "todo", "the command's change undone")  # type: ignore[index]
        await settle(pilot)
        assert stored(workspace, "messages", message_id)["status"] == "done"  # type: ignore[index]
        # The next `u` on Today offers the app's own change, made on the Inbox.
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "made in Inbox" in question and "Когда будет макет?" in question, question
        await pilot.press("y")
        await wait_until(pilot, lambda: stored(workspace, "messages", message_id)["status"]
                         == "new", "the app's change undone")  # type: ignore[index]


def test_the_journal_says_where_each_change_was_made(workspace: Workspace,
                                                     agency: dict[str, str],
                                                     cli: Amtui) -> None:
    from amtui.services import actions, journal

    assert cli("done", agency["tasks"]).status == 0
    by_command = journal.last_change(workspace)
    assert by_command is not None and by_command.origin == "command"
    assert journal.where_made(by_command) == "with the amtui command"
    journal.undoable(workspace, actions.mark_message_done(workspace, agency["messages"]))
    in_app = journal.last_change(workspace)
    assert in_app is not None and in_app.origin == "app"
    assert journal.where_made(in_app) == "in another amtui window"
