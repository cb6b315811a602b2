"""`amtui export TABLE --format csv|json|xlsx|vcf|ics|markdown`: what the importer reads back."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from amtui.models import Client, Contact, Deal, Member, Message, Money, Note, Task
from amtui.services import exporting, importing
from amtui.services.exporting import ExportRefused, Filters, export
from amtui.services.importing import Options, load_rows, run_import
from amtui.storage import Workspace
from conftest import (
    NOW_VARIABLE,
    as_nobody,
    python_for_other_user,
    run_cli,
    snapshot_files,
    unavailable,
)

HOSTILE = 'ООО «Ромашка» "Север",\nвторая строка'
FORMULA = "=HYPERLINK(\"http://evil\",\"x\")"


@pytest.fixture
def filled(workspace: Workspace) -> Workspace:
    """Clients, contacts, deals and tasks with hard text: quotes, commas, newlines, formulas."""
    member = workspace.repo(Member).add(Member(name="Мария Петрова", login="maria"))
    romashka = workspace.repo(Client).add(Client(
        name=HOSTILE, tax_id="7701234567", status="lead", industry=FORMULA, owner_id=member.id,
        key_account=True, monthly_revenue=Decimal("150000.50"), cost_to_serve=Decimal(7),
        tags=["seo", "smm"], timezone="Asia/Yekaterinburg", cadence="monthly"))
    acme = workspace.repo(Client).add(Client(name="@Acme; Inc", kind="b2c",
                                             preferred_channel="telegram"))
    workspace.repo(Contact).add_many([
        Contact(client_id=romashka.id, name="Ирина Петрова", email="irina@romashka.ru",
                phone="+7 999 123-45-67", role="-директор", influence="decision_maker"),
        Contact(client_id=acme.id, name="John Smith", messenger="@jsmith", role="CEO"),
        Contact(client_id=acme.id, name="Анна", email="anna@acme.example"),
    ])
    workspace.repo(Deal).add_many([
        Deal(client_id=romashka.id, title="Сайт", status="won", owner_id=member.id,
             amount=Money(amount=Decimal("1200000.50"), currency="RUB"),
             signed_on=date(2026, 11, 2), paid_on=date(2026, 11, 20)),
        Deal(client_id=acme.id, title="+SEO", amount=Money(amount=Decimal(90000),
                                                          currency="USD")),
    ])
    workspace.repo(Task).add_many([
        Task(title="Отчёт, «срочно»\nс переносом", client_id=romashka.id, due=date(2026, 12, 1),
             department="seo", assignee="Лена", column="todo", priority="high",
             estimate_hours=Decimal("2.5"), description='много "кавычек"'),
        Task(title=FORMULA, client_id=acme.id, column="done"),
        Task(title="Без клиента", due=date(2026, 12, 24)),
    ])
    return workspace


IMPORTABLE = {
    "clients": ("name", "tax_id", "kind", "status", "stage", "industry", "owner_id",
                "key_account", "preferred_channel", "timezone", "cadence", "monthly_revenue",
                "cost_to_serve", "tags"),
    "contacts": ("name", "client", "role", "email", "phone", "messenger", "influence"),
    "deals": ("title", "client", "amount", "status", "signed_on", "paid_on", "owner_id"),
    "tasks": ("title", "description", "client", "due", "department", "assignee", "column",
              "priority", "estimate_hours"),
}


def described(workspace: Workspace, table: str) -> list[dict[str, Any]]:
    """Each record's importable fields, with client and member ids made names."""
    clients = {raw["id"]: raw["name"] for raw in workspace.file("clients").scan()}
    members = {raw["id"]: raw["name"] for raw in workspace.file("members").scan()}
    found = []
    for raw in workspace.file(table).scan():
        raw = {**raw, "client": clients.get(raw.get("client_id") or "")}
        for key in ("monthly_revenue", "cost_to_serve", "estimate_hours"):
            if raw.get(key) is not None:
                raw[key] = Decimal(raw[key])  # "150000.50" and "150000.5" are one amount
        if "amount" in raw:
            raw["amount"] = (Decimal(raw["amount"]["amount"]), raw["amount"]["currency"])
        found.append({key: (members.get(raw.get(key) or "") if key == "owner_id"
                            else raw.get(key)) for key in IMPORTABLE[table]})
    return sorted(found, key=repr)


def exported(workspace: Workspace, table: str, form: str, tmp_path: Path,
             excel: bool = False) -> Path:
    suffix = "csv" if form == "csv" else form
    output = tmp_path / f"{table}-{excel}.{suffix}"
    export(workspace, table, form, output, excel=excel)
    return output


@pytest.mark.parametrize(("form", "excel"), [("csv", False), ("csv", True), ("json", False),
                                             ("xlsx", False)])
def test_every_table_imports_back_the_same_records(filled: Workspace, tmp_path: Path,
                                                   form: str, excel: bool) -> None:
    target = Workspace.open(tmp_path / "new", create=True)
    target.repo(Member).add(Member(name="Мария Петрова"))

    for table in ("clients", "contacts", "deals", "tasks"):
        rows = load_rows(exported(filled, table, form, tmp_path, excel), table)
        plan = run_import(target, table, rows, Options())[0]

        assert not plan.bad, [outcome.reason for outcome in plan.bad]
        assert described(target, table) == described(filled, table), table


def test_the_excel_csv_is_utf8_with_a_bom_semicolons_and_decimal_commas(
        filled: Workspace, tmp_path: Path) -> None:
    data = exported(filled, "deals", "csv", tmp_path, excel=True).read_bytes()

    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.splitlines()[0] == "id;title;client;amount;currency;status;signed_on;paid_on;owner"
    assert ";1200000,50;RUB;won;2026-11-02;2026-11-20;Мария Петрова\r\n" in text
    with pytest.raises(UnicodeDecodeError):
        data.decode("ascii")
    assert importing.decode(data) == text  # what the importer sees: no mojibake


def test_plain_csv_is_utf8_without_a_bom_with_commas(filled: Workspace, tmp_path: Path) -> None:
    data = exported(filled, "deals", "csv", tmp_path).read_bytes()

    assert not data.startswith(b"\xef\xbb\xbf")
    assert ",1200000.50,RUB,won,2026-11-02,2026-11-20," in data.decode("utf-8")


def test_cells_that_begin_like_a_formula_are_neutralised_for_spreadsheets(
        filled: Workspace, tmp_path: Path) -> None:
    import csv

    import openpyxl  # type: ignore[import-untyped]

    excel = exported(filled, "clients", "csv", tmp_path, excel=True).read_bytes()[3:].decode()
    cells = [cell for row in csv.reader(io.StringIO(excel, newline=""), delimiter=";")
             for cell in row]
    assert "'" + FORMULA in cells and "'@Acme; Inc" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert HOSTILE in cells  # newlines and quotes kept inside one cell

    book = openpyxl.load_workbook(exported(filled, "clients", "xlsx", tmp_path))
    texts = [cell for row in book.active.iter_rows() for cell in row
             if cell.value in (FORMULA, "@Acme; Inc")]
    assert len(texts) == 2
    assert all(cell.data_type == "s" for cell in texts)  # text, never a formula

    plain = exported(filled, "clients", "csv", tmp_path).read_text()
    assert "\"'" + FORMULA.replace('"', '""') in plain  # any CSV may end up in a spreadsheet
    data = json.loads(exported(filled, "clients", "json", tmp_path).read_text())
    assert FORMULA in [client["industry"] for client in data]  # JSON keeps the text exactly


def test_json_has_the_csv_columns_with_names_iso_dates_and_decimal_strings(
        filled: Workspace, tmp_path: Path) -> None:
    deals = json.loads(exported(filled, "deals", "json", tmp_path).read_text())
    won = next(deal for deal in deals if deal["title"] == "Сайт")

    assert list(won) == list(exporting.COLUMNS["deals"])
    assert won["amount"] == "1200000.50" and won["currency"] == "RUB"
    assert won["client"] == HOSTILE and won["owner"] == "Мария Петрова"
    assert won["signed_on"] == "2026-11-02"


def test_messages_and_notes_export_with_names(filled: Workspace, tmp_path: Path) -> None:
    client = filled.repo(Client).resolve("@Acme; Inc")
    filled.repo(Message).add(Message(client_id=client.id, text="Где отчёт?",
                                     received_at="2026-11-25T10:00:00+00:00"))
    filled.repo(Note).add(Note(title="Бриф", body="# Цели", client_id=client.id,
                               tags=["бриф"]))

    messages = json.loads(exported(filled, "messages", "json", tmp_path).read_text())
    notes = json.loads(exported(filled, "notes", "json", tmp_path).read_text())

    assert messages[0]["client"] == "@Acme; Inc" and messages[0]["text"] == "Где отчёт?"
    assert messages[0]["received_at"] == "2026-11-25T10:00:00Z"
    assert notes[0]["title"] == "Бриф" and notes[0]["tags"] == "бриф"


def test_filters_take_one_clients_open_records(filled: Workspace, tmp_path: Path) -> None:
    output = tmp_path / "tasks.json"

    export(filled, "tasks", "json", output, filters=Filters(client="@Acme; Inc"))
    assert [task["title"] for task in json.loads(output.read_text())] == [FORMULA]
    export(filled, "tasks", "json", output, filters=Filters(open_only=True))
    assert sorted(task["title"] for task in json.loads(output.read_text())) == [
        "Без клиента", "Отчёт, «срочно»\nс переносом"]


# vCard, iCalendar, Markdown


def test_contacts_as_vcards_read_back_by_vobject_and_the_importer(
        filled: Workspace, tmp_path: Path) -> None:
    import vobject  # type: ignore[import-untyped]

    output = exported(filled, "contacts", "vcf", tmp_path)
    cards = list(vobject.readComponents(output.read_text()))

    by_name = {card.fn.value: card for card in cards}
    assert sorted(by_name) == ["John Smith", "Анна", "Ирина Петрова"]
    irina = by_name["Ирина Петрова"]
    assert irina.org.value == [HOSTILE]
    assert irina.email.value == "irina@romashka.ru" and irina.tel.value == "+7 999 123-45-67"
    assert irina.n.value.family == "Петрова" and irina.n.value.given == "Ирина"
    assert by_name["John Smith"].impp.value == "tg:@jsmith"

    target = Workspace.open(tmp_path / "new", create=True)
    target.repo(Client).add_many([Client(name=HOSTILE), Client(name="@Acme; Inc")])
    plan = run_import(target, "contacts", load_rows(output, "contacts"), Options())[0]
    assert not plan.bad
    without_influence = [  # vCard has no field for it
        [{**contact, "influence": None} for contact in described(workspace, "contacts")]
        for workspace in (target, filled)]
    assert without_influence[0] == without_influence[1]


def test_tasks_with_due_dates_as_icalendar_events(filled: Workspace, tmp_path: Path) -> None:
    import icalendar

    output = exported(filled, "tasks", "ics", tmp_path)
    calendar = icalendar.Calendar.from_ical(output.read_bytes())

    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert sorted(events) == ["Без клиента", "Отчёт, «срочно»\nс переносом"]  # no due: left out
    report = events["Отчёт, «срочно»\nс переносом"]
    assert report.decoded("dtstart") == date(2026, 12, 1)
    assert report.decoded("dtend") == date(2026, 12, 2)
    assert HOSTILE in str(report["description"])
    assert events["Без клиента"].decoded("dtstart") == date(2026, 12, 24)


def test_notes_as_markdown_files_with_front_matter(filled: Workspace, tmp_path: Path) -> None:
    filled.repo(Note).add_many([
        Note(title="../../etc/passwd", body="взлом"),
        Note(title="План: Q1", body="# План\n\n- пункт", tags=["план", 'с "кавычками"'],
             client_id=filled.repo(Client).resolve("@Acme; Inc").id, kind="brief",
             pinned=True),
        Note(title="План: Q1", body="второй"),
    ])
    folder = tmp_path / "notes"

    done = export(filled, "notes", "markdown", folder)

    names = sorted(path.name for path in folder.iterdir())
    assert done.files == 3
    assert names == ["passwd.md", "План_ Q1 (2).md", "План_ Q1.md"]
    text = next(text for path in folder.iterdir()
                if "pinned: true" in (text := path.read_text()))
    front, body = text.split("\n---\n\n", 1)
    assert front.splitlines()[0] == "---"
    lines = front.splitlines()[1:]
    assert 'title: "План: Q1"' in lines and 'client: "@Acme; Inc"' in lines
    assert 'tags: ["план", "с \\"кавычками\\""]' in lines and "pinned: true" in lines
    assert 'kind: "brief"' in lines
    assert body == "# План\n\n- пункт\n"


def test_markdown_refuses_a_folder_with_files_or_a_link(filled: Workspace,
                                                        tmp_path: Path) -> None:
    filled.repo(Note).add(Note(title="Бриф"))
    full = tmp_path / "full"
    full.mkdir()
    (full / "mine.md").write_text("моё")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere)

    with pytest.raises(ExportRefused, match="not empty"):
        export(filled, "notes", "markdown", full)
    with pytest.raises(ExportRefused, match="symbolic link"):
        export(filled, "notes", "markdown", link)
    assert (full / "mine.md").read_text() == "моё" and list(elsewhere.iterdir()) == []


# The command


def test_the_command_writes_stdout_or_a_file_and_says_so_in_json(filled: Workspace,
                                                                 tmp_path: Path) -> None:
    to_stdout = run_cli("export", "tasks", workspace=filled.root)
    output = tmp_path / "tasks.xlsx"
    to_file = run_cli("export", "tasks", "--format", "xlsx", "--output", str(output), "--json",
                      workspace=filled.root)

    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout.startswith("id,title,description,client,due,")
    assert to_file.returncode == 0, to_file.stderr
    assert json.loads(to_file.stdout) == {"table": "tasks", "format": "xlsx", "records": 3,
                                          "output": str(output), "files": 1}
    assert output.read_bytes().startswith(b"PK")


@pytest.mark.parametrize(("arguments", "said"), [
    (["export", "invoices"], "no table 'invoices'"),
    (["export", "tasks", "--format", "pdf"], "no format 'pdf'"),
    (["export", "tasks", "--format", "vcf"], "--format vcf is for contacts only"),
    (["export", "contacts", "--format", "ics", "--output", "x.ics"],
     "--format ics is for tasks only"),
    (["export", "tasks", "--format", "xlsx"], "--format xlsx needs --output"),
    (["export", "tasks", "--output", "/no/such/folder/tasks.csv"], "no such folder"),
    (["export", "tasks", "--output", "/proc"], "is a folder"),
    (["export", "tasks", "--json"], "--json needs --output"),
    (["export", "tasks", "--format", "json", "--excel", "--output", "x.json"],
     "--excel is for --format csv"),
    (["export", "tasks", "--client", "Нет такого"], "no client named"),
    (["export"], "name a table, or give --all ARCHIVE"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(
        filled: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        arguments: list[str], said: str) -> None:
    before = snapshot_files(filled.root)
    monkeypatch.chdir(tmp_path)

    result = run_cli(*arguments, workspace=filled.root)

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and said in result.stderr, result.stderr
    assert result.stdout == ""
    assert [path.name for path in tmp_path.iterdir()] == ["ws"]
    assert snapshot_files(filled.root) == before


def test_markdown_into_a_folder_with_files_is_refused_by_the_command(
        filled: Workspace, tmp_path: Path) -> None:
    filled.repo(Note).add(Note(title="Бриф"))
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "old.md").write_text("старое")

    result = run_cli("export", "notes", "--format", "markdown", "--output", str(folder),
                     workspace=filled.root)

    assert result.returncode == 2 and "is not empty" in result.stderr
    assert [path.name for path in folder.iterdir()] == ["old.md"]


def test_an_output_folder_this_user_may_not_write_is_refused(filled: Workspace) -> None:
    if os.geteuid() != 0:
        unavailable("acting as a second user needs root")
    base = Path(tempfile.mkdtemp(prefix="amtui-export-"))
    try:
        shutil.copytree(filled.root, base / "ws")
        for path in (base, *base.rglob("*")):
            path.chmod(0o777 if path.is_dir() else 0o666)
        locked = base / "locked"
        locked.mkdir(mode=0o755)  # root's: nobody may not write in it
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONIOENCODING": "utf-8", "HOME": str(base), "LANG": "C.UTF-8",
               "AMTUI_LANG": "en", NOW_VARIABLE: os.environ[NOW_VARIABLE]}
        python, env = python_for_other_user(as_nobody, env)

        result = subprocess.run(
            [python, "-m", "amtui", "export", "clients", "--output", str(locked / "c.csv"),
             "--workspace", str(base / "ws")], capture_output=True, text=True, env=env,
            preexec_fn=as_nobody, cwd=str(base), timeout=60)

        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "may not write there" in result.stderr
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_an_export_onto_a_pipe_is_refused_and_the_pipe_left(filled: Workspace,
                                                             tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    result = run_cli("export", "clients", "--output", str(pipe), workspace=filled.root)

    assert result.returncode == 2 and "not a regular file" in result.stderr
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
