"""`amtui import clients|contacts|deals|tasks FILE`: records stored once, or nothing."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from amtui.models import Client, Contact, Deal, Task
from amtui.services import importing
from amtui.services.importing import Options, load_rows, run_import
from amtui.storage import Workspace
from conftest import run_cli, snapshot_files

ROMASHKA = "ООО «Ромашка»"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def names(workspace: Workspace, record_type: type[Client | Contact | Deal | Task]) -> list[str]:
    return sorted(record.label() for record in workspace.repo(record_type).all())


def imported(workspace: Workspace, table: str, path: Path, **options: object) -> importing.Plan:
    """Import ``path`` into ``table`` as the command does, without a subprocess."""
    preset = options.pop("preset", None)
    mapping = str(options.pop("mapping", ""))
    rows = load_rows(path, table, preset, mapping)  # type: ignore[arg-type]
    return run_import(workspace, table, rows, Options(**options))[0]  # type: ignore[arg-type]


@pytest.fixture
def romashka(workspace: Workspace) -> Client:
    """The workspace holds ООО «Ромашка», whose contact writes from romashka.ru."""
    client = workspace.repo(Client).add(Client(name=ROMASHKA, tax_id="7701234567"))
    workspace.repo(Contact).add(Contact(client_id=client.id, name="Ирина Петрова",
                                        email="irina@romashka.ru"))
    return client


# Encodings, delimiters, spreadsheets


def test_cp1251_file_with_semicolons_from_russian_excel(workspace: Workspace,
                                                        tmp_path: Path) -> None:
    source = write(tmp_path / "clients.csv",
                   "Компания;ИНН;Выручка в месяц;Теги;Статус\r\n"
                   "ООО «Лютик»;5001234567;150 000;seo, smm;Активный\r\n"
                   "Ёлка;;1 200,50;;Лид\r\n", "cp1251")

    result = run_cli("import", "clients", str(source), workspace=workspace.root)

    assert result.returncode == 0, result.stderr
    assert "created 2" in result.stdout
    clients = {client.name: client for client in workspace.repo(Client).all()}
    assert clients["ООО «Лютик»"].tax_id == "5001234567"
    assert clients["ООО «Лютик»"].monthly_revenue == Decimal(150000)
    assert clients["ООО «Лютик»"].tags == ["seo", "smm"]
    assert clients["Ёлка"].monthly_revenue == Decimal("1200.50")
    assert clients["Ёлка"].status == "lead"


def test_utf8_file_with_a_bom_and_commas(workspace: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "clients.csv"
    source.write_bytes(b"\xef\xbb\xbf" + 'name,industry,timezone\n"Acme, Inc",Retail,'
                       'Asia/Yekaterinburg\nБета,Финансы,\n'.encode())

    plan = imported(workspace, "clients", source)

    assert plan.count(importing.Action.CREATE) == 2
    acme = workspace.repo(Client).resolve("Acme, Inc")
    assert (acme.industry, acme.timezone) == ("Retail", "Asia/Yekaterinburg")
    assert names(workspace, Client) == ["Acme, Inc", "Бета"]


def test_tab_separated_utf16_from_excel_unicode_text(workspace: Workspace,
                                                     tmp_path: Path) -> None:
    source = write(tmp_path / "clients.txt", "Название\tОтрасль\r\nГамма\tIT\r\n", "utf-16")

    imported(workspace, "clients", source)

    assert workspace.repo(Client).resolve("Гамма").industry == "IT"


def test_xlsx_made_by_a_spreadsheet(workspace: Workspace, romashka: Client,
                                    tmp_path: Path) -> None:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Сделка", "Клиент", "Сумма", "Статус", "Дата подписания"])
    sheet.append(["Лендинг", ROMASHKA, 150000, "won", datetime(2026, 11, 2)])
    sheet.append(["SEO на год", "ромашка", 1200000.5, "Переговоры", "26.11.2026"])
    book.save(tmp_path / "deals.xlsx")

    imported(workspace, "deals", tmp_path / "deals.xlsx")

    deals = {deal.title: deal for deal in workspace.repo(Deal).all()}
    assert deals["Лендинг"].client_id == romashka.id
    assert deals["Лендинг"].amount.amount == Decimal(150000)
    assert (deals["Лендинг"].status, deals["Лендинг"].signed_on) == ("won", date(2026, 11, 2))
    assert deals["SEO на год"].amount.amount == Decimal("1200000.5")
    assert deals["SEO на год"].status == "negotiation"
    assert deals["SEO на год"].signed_on == date(2026, 11, 26)


def test_openpyxl_is_imported_only_for_a_spreadsheet(workspace: Workspace,
                                                      tmp_path: Path) -> None:
    source = write(tmp_path / "clients.csv", "name\nДельта\n")
    code = ("import sys; from amtui.cli import main; "
            f"status = main(['import', 'clients', {str(source)!r}, '--dry-run', "
            f"'--workspace', {str(workspace.root)!r}]); "
            "print(status, 'openpyxl' in sys.modules, 'vobject' in sys.modules)")

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)

    assert result.stdout.splitlines()[-1] == "0 False False"


# CRM exports


def test_hubspot_companies_export_is_recognised(workspace: Workspace, romashka: Client,
                                                tmp_path: Path) -> None:
    source = write(tmp_path / "hubspot-companies.csv",
                   "Record ID,Company name,Company Domain Name,Industry,Lifecycle Stage,"
                   "Create Date\n"
                   "101,Acme Corp,acme.example,COMPUTER_SOFTWARE,customer,2024-01-15 10:00\n"
                   "102,Romashka LLC,romashka.ru,,lead,2024-01-16 10:00\n")

    plan = imported(workspace, "clients", source)

    assert plan.preset == "hubspot"
    acme = workspace.repo(Client).resolve("Acme Corp")
    assert (acme.industry, acme.status) == ("COMPUTER_SOFTWARE", "active")
    skipped = plan.outcomes[1]
    assert skipped.action is importing.Action.SKIP  # the same mail domain as Ромашка's contact
    assert skipped.record_id == romashka.id and "e-mail domain" in skipped.reason


def test_amocrm_deals_export_in_cp1251(workspace: Workspace, romashka: Client,
                                       tmp_path: Path) -> None:
    source = write(tmp_path / "amocrm_export_leads.csv",
                   "ID;Название сделки;Бюджет;Ответственный;Этап сделки;Воронка;Компания;"
                   "Дата закрытия\r\n"
                   "1;Контекст на Q1;90 000;Анна;Успешно реализовано;Воронка;ООО Ромашка;"
                   "15.01.2026 12:00:00\r\n"
                   "2;Сайт;300000;Анна;Закрыто и не реализовано;Воронка;Ромашка;\r\n"
                   "3;Аудит;50000;Анна;Первичный контакт;Воронка;Ромашка;\r\n", "cp1251")

    plan = imported(workspace, "deals", source)

    assert plan.preset == "amocrm"
    deals = {deal.title: deal for deal in workspace.repo(Deal).all()}
    assert {deal.client_id for deal in deals.values()} == {romashka.id}
    assert deals["Контекст на Q1"].status == "won"
    assert deals["Контекст на Q1"].signed_on == date(2026, 1, 15)
    assert deals["Сайт"].status == "lost"
    assert deals["Аудит"].status == "negotiation"


def test_bitrix24_contacts_export(workspace: Workspace, romashka: Client,
                                  tmp_path: Path) -> None:
    source = write(tmp_path / "CONTACT.csv",
                   "ID;Обращение;Имя;Отчество;Фамилия;Должность;Компания;Рабочий телефон;"
                   "Рабочий e-mail;Ответственный\n"
                   "7;;Олег;Игоревич;Сидоров;Маркетолог;ООО «Ромашка»;+7 495 000-00-00;"
                   "oleg@romashka.ru;Анна\n")

    plan = imported(workspace, "contacts", source)

    assert plan.preset == "bitrix24"
    oleg = workspace.repo(Contact).resolve("Олег Игоревич Сидоров")
    assert (oleg.client_id, oleg.role, oleg.email, oleg.phone) == (
        romashka.id, "Маркетолог", "oleg@romashka.ru", "+7 495 000-00-00")


def test_preset_and_map_given_by_hand(workspace: Workspace, tmp_path: Path) -> None:
    source = write(tmp_path / "odd.csv", "Контрагент;Номер налогоплательщика;Сфера\n"
                                         "Омега;7800000001;Стройка\n")

    result = run_cli("import", "clients", str(source), "--map",
                     "Контрагент=name,Номер налогоплательщика=tax_id", workspace=workspace.root)

    assert result.returncode == 0, result.stderr
    omega = workspace.repo(Client).resolve("Омега")
    assert (omega.tax_id, omega.industry) == ("7800000001", "Стройка")


def test_a_map_naming_no_field_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    source = write(tmp_path / "odd.csv", "Контрагент\nОмега\n")
    before = snapshot_files(workspace.root)

    result = run_cli("import", "clients", str(source), "--map", "Контрагент=title",
                     workspace=workspace.root)

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no field «title»" in result.stderr
    assert snapshot_files(workspace.root) == before


# vCard


VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Мария Петрова
N:Петрова;Мария;;;
ORG:ООО «Ромашка»;Маркетинг
TITLE:Директор по маркетингу
EMAIL;TYPE=WORK:irina.p@romashka.ru
TEL;TYPE=CELL:+7 900 000-00-01
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Павел Ким
ORG:Ромашка
EMAIL:pavel@romashka.ru
X-TELEGRAM:@pavelkim
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Someone Else
ORG:Unknown Ltd
END:VCARD
"""


def test_vcard_contacts_are_matched_to_clients_by_org(workspace: Workspace, romashka: Client,
                                                      tmp_path: Path) -> None:
    source = write(tmp_path / "contacts.vcf", VCARDS)
    before = snapshot_files(workspace.root)

    refused = run_cli("import", "contacts", str(source), workspace=workspace.root)

    assert refused.returncode == 2
    assert "line 17: no client named «Unknown Ltd»" in refused.stderr
    assert snapshot_files(workspace.root) == before

    plan = imported(workspace, "contacts", source, skip_bad=True)

    assert [outcome.action.value for outcome in plan.outcomes] == ["created", "created", "bad"]
    ours = {contact.name: contact for contact in workspace.repo(Contact).all()
            if contact.client_id == romashka.id}
    assert ours["Мария Петрова"].role == "Директор по маркетингу"
    assert ours["Мария Петрова"].phone == "+7 900 000-00-01"
    assert ours["Павел Ким"].messenger == "@pavelkim"


def test_vcard_with_create_clients_makes_the_missing_client(workspace: Workspace,
                                                            romashka: Client,
                                                            tmp_path: Path) -> None:
    source = write(tmp_path / "contacts.vcf", VCARDS)

    plan = imported(workspace, "contacts", source, create_clients=True)

    assert plan.count(importing.Action.CREATE) == 3
    unknown = workspace.repo(Client).resolve("Unknown Ltd")
    assert [contact.name for contact in workspace.repo(Contact).where(client_id=unknown.id)] \
        == ["Someone Else"]


# Duplicates


def test_duplicates_of_stored_clients_are_skipped_by_default(workspace: Workspace,
                                                             romashka: Client,
                                                             tmp_path: Path) -> None:
    source = write(tmp_path / "clients.csv",
                   "Название;ИНН;Email;Отрасль\n"
                   "«РОМАШКА» LLC;;;Ритейл\n"         # the same name, quotes and form aside
                   "Ромашка-Групп;7701234567;;\n"     # the same tax id
                   "Фиалка;;sales@romashka.ru;\n"     # the same mail domain
                   "Новая;;;\n"
                   "ООО Новая;;;\n")                  # a duplicate within the file

    plan = imported(workspace, "clients", source)

    actions = [outcome.action.value for outcome in plan.outcomes]
    assert actions == ["skipped", "skipped", "skipped", "created", "skipped"]
    assert [outcome.reason.split(" as ")[0] for outcome in plan.outcomes[:3]] == [
        "same name", "same tax id", "same e-mail domain"]
    assert names(workspace, Client) == ["Новая", ROMASHKA]
    assert workspace.repo(Client).get(romashka.id).industry == ""


def test_on_duplicate_update_changes_the_stored_client(workspace: Workspace,
                                                       romashka: Client,
                                                       tmp_path: Path) -> None:
    source = write(tmp_path / "clients.csv",
                   "Название;Отрасль;Выручка в месяц\nромашка;Ритейл;\n"
                   "ООО Ромашка;;80 000\n")

    result = run_cli("import", "clients", str(source), "--on-duplicate", "update",
                     workspace=workspace.root)

    assert result.returncode == 0, result.stderr
    stored = workspace.repo(Client).get(romashka.id)
    assert (stored.name, stored.industry, stored.monthly_revenue) == (
        ROMASHKA, "Ритейл", Decimal(80000))
    assert stored.rev == romashka.rev + 1  # both rows, one change
    assert names(workspace, Client) == [ROMASHKA]


def test_duplicate_contacts_within_the_file_and_the_store(workspace: Workspace,
                                                          romashka: Client,
                                                          tmp_path: Path) -> None:
    source = write(tmp_path / "contacts.csv",
                   "ФИО,Компания,Email\n"
                   "Ирина Петрова,Ромашка,\n"         # stored already
                   "Олег,Ромашка,oleg@romashka.ru\n"
                   "Олег Сидоров,Ромашка,OLEG@romashka.ru\n")

    plan = imported(workspace, "contacts", source)

    assert [(outcome.action.value, outcome.reason) for outcome in plan.outcomes] == [
        ("skipped", "already stored as «Ирина Петрова»"), ("created", ""),
        ("skipped", "same as line 3 as «Олег»")]
    assert names(workspace, Contact) == ["Ирина Петрова", "Олег"]


# Bad rows, dry runs, failures


BAD_FILE = ("Задача;Срок;Отдел;Приоритет\n"
            "Написать тексты;01.12.2026;copywriting;высокий\n"
            "\"Собрать\nсемантику\";31.02.2026;seo;\n"
            "Сверстать;2026-12-05;кухня;\n"
            ";2026-12-05;design;\n"
            "Баннеры;2026-12-07;design;срочно\n")


def test_bad_rows_are_named_by_line_and_nothing_is_stored(workspace: Workspace,
                                                          tmp_path: Path) -> None:
    source = write(tmp_path / "tasks.csv", BAD_FILE)
    before = snapshot_files(workspace.root)

    result = run_cli("import", "tasks", str(source), workspace=workspace.root)

    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "amtui: error: line 3: due: 31.02.2026 is not a date that exists"
    assert lines[1].startswith("amtui: error: line 5: department: unknown department «кухня»")
    assert lines[2] == "amtui: error: line 6: title: is required"
    assert "nothing was imported: 3 bad rows" in lines[3]
    assert len(lines) == 4
    assert snapshot_files(workspace.root) == before


def test_skip_bad_imports_the_good_rows(workspace: Workspace, tmp_path: Path) -> None:
    source = write(tmp_path / "tasks.csv", BAD_FILE)

    result = run_cli("import", "tasks", str(source), "--skip-bad", "--json",
                     workspace=workspace.root)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["created"], report["bad"], report["written"]) == (2, 3, True)
    assert [row["line"] for row in report["rows"] if row["outcome"] == "bad"] == [3, 5, 6]
    tasks = {task.title: task for task in workspace.repo(Task).all()}
    assert (tasks["Написать тексты"].due, tasks["Написать тексты"].priority) == (
        date(2026, 12, 1), "high")
    assert tasks["Баннеры"].priority == "urgent"
    assert len(result.stderr.splitlines()) == 3  # a warning per bad row


def test_dry_run_says_what_would_happen_and_writes_nothing(workspace: Workspace,
                                                           romashka: Client,
                                                           tmp_path: Path) -> None:
    source = write(tmp_path / "clients.csv", "Название\nРомашка\nСигма\n")
    before = snapshot_files(workspace.root)

    result = run_cli("import", "clients", str(source), "--dry-run", workspace=workspace.root)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"line 2: skip «{ROMASHKA}»: same name as «{ROMASHKA}»",
        "line 3: create «Сигма»",
        "would create 1, update 0, skip 1 clients",
    ]
    assert snapshot_files(workspace.root) == before


def test_a_failure_midway_leaves_the_workspace_as_it_was(workspace: Workspace,
                                                         romashka: Client, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    source = write(tmp_path / "clients.csv",
                   "Название\n" + "".join(f"Клиент {n}\n" for n in range(10)))
    before = snapshot_files(workspace.root)
    planned = importing.Planner.row
    calls = []

    def row_then_crash(self: importing.Planner, line: int, values: importing.Values) -> None:
        calls.append(line)
        if len(calls) > 5:
            raise OSError("the machine went away")
        planned(self, line, values)

    monkeypatch.setattr(importing.Planner, "row", row_then_crash)
    with pytest.raises(OSError):
        imported(workspace, "clients", source)

    assert snapshot_files(workspace.root) == before
    assert names(Workspace.open(workspace.root), Client) == [ROMASHKA]


def test_a_write_failing_after_some_updates_changes_nothing(workspace: Workspace,
                                                            tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    from amtui.storage.workspace import Transaction

    workspace.repo(Client).add_many([Client(name=f"Клиент {n}") for n in range(5)])
    source = write(tmp_path / "clients.csv",
                   "Название;Отрасль\n" + "".join(f"Клиент {n};IT\n" for n in range(5))
                   + "Новый;IT\n")
    before = snapshot_files(workspace.root)
    put = Transaction.put
    puts = []

    def put_then_fail(self: Transaction, *args: object) -> None:
        puts.append(args)
        if len(puts) > 2:
            raise OSError("disk gone")
        put(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Transaction, "put", put_then_fail)
    with pytest.raises(OSError):
        imported(workspace, "clients", source, on_duplicate="update")

    assert snapshot_files(workspace.root) == before


def test_an_import_is_undone_as_one_change(workspace: Workspace, romashka: Client,
                                           tmp_path: Path) -> None:
    source = write(tmp_path / "clients.csv", "Название;Отрасль\nРомашка;Ритейл\nСигма;\n")
    rows = load_rows(source, "clients")

    plan, undo = run_import(workspace, "clients", rows, Options(on_duplicate="update"))
    assert names(workspace, Client) == [ROMASHKA, "Сигма"]

    undo.revert()

    assert names(workspace, Client) == [ROMASHKA]
    assert workspace.repo(Client).get(romashka.id).industry == ""
    assert plan.count(importing.Action.UPDATE) == 1


def test_a_file_without_a_name_column_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    source = write(tmp_path / "clients.csv", "Отрасль;Теги\nIT;a\n")

    result = run_cli("import", "clients", str(source), workspace=workspace.root)

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "no column gives the clients field «name»" in result.stderr


def test_progress_is_shown_on_a_terminal_for_long_files(workspace: Workspace, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    from amtui.cli import main

    source = write(tmp_path / "clients.csv",
                   "Название\n" + "".join(f"Клиент {n}\n" for n in range(1200)))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status = main(["import", "clients", str(source), "--workspace", str(workspace.root)])

    assert status == 0
    assert "1200/1200 rows" in terminal.getvalue()
    assert "500/1200 rows" in terminal.getvalue()
    assert "\r[" in terminal.getvalue() and "\\x0d" not in terminal.getvalue()  # redrawn in place
    assert workspace.repo(Client).count() == 1200


def test_client_option_gives_the_client_of_rows_naming_none(workspace: Workspace,
                                                            romashka: Client,
                                                            tmp_path: Path) -> None:
    source = write(tmp_path / "tasks.csv", "Задача;Клиент\nБаннеры;\nОтчёт;Нет такого\n")
    before = snapshot_files(workspace.root)

    dry = run_cli("import", "tasks", str(source), "--client", ROMASHKA, "--dry-run",
                  "--json", workspace=workspace.root)

    assert dry.returncode == 2  # the import would be refused: a row is bad
    report = json.loads(dry.stdout)
    assert (report["created"], report["bad"], report["written"]) == (1, 1, False)
    assert report["rows"][1]["reason"].startswith("no client named «Нет такого»")
    assert snapshot_files(workspace.root) == before

    result = run_cli("import", "tasks", str(source), "--client", ROMASHKA, "--skip-bad",
                     workspace=workspace.root)

    assert result.returncode == 0, result.stderr
    assert [(task.title, task.client_id) for task in workspace.repo(Task).all()] == [
        ("Баннеры", romashka.id)]


def test_a_bad_row_makes_no_client(workspace: Workspace, tmp_path: Path) -> None:
    source = write(tmp_path / "deals.csv",
                   "Сделка;Клиент;Сумма;Дата подписания;Дата оплаты\n"
                   "Сайт;Новый клиент;100;10.12.2026;01.12.2026\n"  # paid before signed
                   "SEO;Другой клиент;100 000;;\n")

    plan = imported(workspace, "deals", source, create_clients=True, skip_bad=True)

    assert [outcome.action.value for outcome in plan.outcomes] == ["bad", "created"]
    assert names(workspace, Client) == ["Другой клиент"]
