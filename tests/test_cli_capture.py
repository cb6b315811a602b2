"""Quick capture from the shell: `amtui add …` prints the new id, stores exactly what was given."""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import run_cli, snapshot_files

ULID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}")

ROMASHKA = "ООО «Ромашка»"
TZ_TITLE = "Подготовить ТЗ для лендинга"
NOTE_BODY = (
    "# Встреча с «Ромашкой»\n"
    "\n"
    "**Участники:** Анна, Дмитрий — и ёжик.\n"
    "\n"
    "- бюджет: 300 000 ₽\n"
    "- срок: до пятницы\n"
    "\n"
    "Emoji 🚀 and Latin text.\n"
)


def add(workspace: Path | None, *args: str, **kwargs: Any) -> str:
    """Run ``amtui add …``; assert it printed one id and nothing else; return the id."""
    result = run_cli("add", *args, workspace=workspace, **kwargs)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert ULID.fullmatch(result.stdout.removesuffix("\n")), repr(result.stdout)
    assert result.stdout.endswith("\n") and result.stdout.count("\n") == 1
    return result.stdout.strip()


def listed(workspace: Path | None, table: str, **kwargs: Any) -> dict[str, dict[str, Any]]:
    """``amtui list TABLE --json`` as a mapping id → record."""
    result = run_cli("list", table, "--json", workspace=workspace, **kwargs)
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert isinstance(records, list)
    return {record["id"]: record for record in records}


@pytest.fixture
def with_client(workspace_path: Path) -> tuple[Path, str]:
    """A workspace made by the CLI, holding the client ООО «Ромашка»."""
    client_id = add(workspace_path, "client", ROMASHKA)
    return workspace_path, client_id


# every kind of record


@pytest.mark.parametrize(
    ("kind", "table", "text", "extra", "field"),
    [
        ("client", "clients", "ИП Ёлкин Пётр", [], "name"),
        ("task", "tasks", TZ_TITLE, [], "title"),
        ("message", "messages", "Когда будет готов макет главной?", ["--client", ROMASHKA],
         "text"),
        ("note", "notes", "Бриф: весенняя коллекция", [], "title"),
        ("contact", "contacts", "Марина Кузнецова", ["--client", ROMASHKA], "name"),
        ("deal", "deals", "SEO: «Чёрная пятница»", ["--client", ROMASHKA, "--amount", "150000"],
         "title"),
        ("member", "members", "Анна Смирнова", [], "name"),
    ],
)
def test_each_kind_prints_only_the_id_and_lists_the_exact_text(
    with_client: tuple[Path, str], kind: str, table: str, text: str, extra: list[str],
    field: str,
) -> None:
    workspace_path, _client = with_client
    before = listed(workspace_path, table)

    new_id = add(workspace_path, kind, text, *extra)

    after = listed(workspace_path, table)
    assert new_id not in before
    assert set(after) - set(before) == {new_id}
    assert after[new_id][field] == text
    assert after[new_id]["rev"] == 1


def test_ids_are_unique_and_new_for_every_add(workspace_path: Path) -> None:
    ids = [add(workspace_path, "task", f"Задача {n}") for n in range(3)]
    assert len(set(ids)) == 3
    assert set(listed(workspace_path, "tasks")) == set(ids)


# round trips with Cyrillic text and options


def test_client_round_trip_with_options(workspace_path: Path) -> None:
    owner = add(workspace_path, "member", "Дмитрий Козлов", "--login", "dkozlov", "--role", "kam")
    client_id = add(
        workspace_path, "client", ROMASHKA, "--kind", "b2c", "--status", "lead",
        "--owner", "dkozlov", "--stage", "strategic", "--key-account", "--industry", "HoReCa",
        "--channel", "telegram", "--timezone", "Asia/Yekaterinburg", "--cadence", "daily",
        "--revenue", "1 200 000", "--cost", "350000,50", "--tag", "vip", "--tag", "сео",
    )

    client = listed(workspace_path, "clients")[client_id]
    assert client["name"] == ROMASHKA
    assert client["kind"] == "b2c"
    assert client["status"] == "lead"
    assert client["owner_id"] == owner
    assert client["stage"] == "strategic"
    assert client["key_account"] is True
    assert client["industry"] == "HoReCa"
    assert client["preferred_channel"] == "telegram"
    assert client["timezone"] == "Asia/Yekaterinburg"
    assert client["cadence"] == "daily"
    assert Decimal(str(client["monthly_revenue"])) == Decimal("1200000")
    assert Decimal(str(client["cost_to_serve"])) == Decimal("350000.50")
    assert client["tags"] == ["vip", "сео"]


def test_person_client_is_not_a_company(workspace_path: Path) -> None:
    client_id = add(workspace_path, "client", "Иван Петров", "--person", "--kind", "b2c")
    assert listed(workspace_path, "clients")[client_id]["legal_form"] == "person"


def test_task_round_trip_with_cyrillic_title_and_options(with_client: tuple[Path, str]) -> None:
    workspace_path, client_id = with_client
    task_id = add(
        workspace_path, "task", TZ_TITLE, "--client", ROMASHKA, "--due", "2026-12-01",
        "--department", "copywriting", "--assignee", "Лена (копирайтер)", "--column", "todo",
        "--priority", "high", "--description", "Согласовать структуру до среды",
        "--estimate", "4,5", "--check", "Черновик", "--check", "Правки клиента",
    )

    task = listed(workspace_path, "tasks")[task_id]
    assert task["title"] == TZ_TITLE
    assert task["client_id"] == client_id
    assert task["due"] == "2026-12-01"
    assert task["department"] == "copywriting"
    assert task["assignee"] == "Лена (копирайтер)"
    assert task["column"] == "todo"
    assert task["priority"] == "high"
    assert task["description"] == "Согласовать структуру до среды"
    assert Decimal(str(task["estimate_hours"])) == Decimal("4.5")
    assert [item["text"] for item in task["checklist"]] == ["Черновик", "Правки клиента"]
    assert not any(item["done"] for item in task["checklist"])


def test_task_defaults_to_the_first_column_and_no_client(workspace_path: Path) -> None:
    task_id = add(workspace_path, "task", "Без клиента")
    task = listed(workspace_path, "tasks")[task_id]
    assert task["column"] == "backlog"
    assert task["client_id"] is None
    assert task["due"] is None


def test_blocked_task_records_since_when(workspace_path: Path) -> None:
    task_id = add(workspace_path, "task", "Ждём фото", "--blocked-by-client")
    task = listed(workspace_path, "tasks")[task_id]
    assert task["blocked_by_client"] is True
    assert task["blocked_since"] is not None


def test_note_body_from_a_file(with_client: tuple[Path, str], tmp_path: Path) -> None:
    workspace_path, client_id = with_client
    body_file = tmp_path / "встреча.md"
    body_file.write_text(NOTE_BODY, encoding="utf-8")

    note_id = add(workspace_path, "note", "Встреча 26.11", "--client", ROMASHKA,
                  "--body-file", str(body_file), "--kind", "meeting", "--tag", "важное",
                  "--pin")

    note = listed(workspace_path, "notes")[note_id]
    assert note["title"] == "Встреча 26.11"
    # The text is kept; only the final newline of the file may be dropped.
    assert note["body"].rstrip("\n") == NOTE_BODY.rstrip("\n")
    assert note["client_id"] == client_id
    assert note["kind"] == "meeting"
    assert note["tags"] == ["важное"]
    assert note["pinned"] is True


def test_note_body_from_stdin(workspace_path: Path) -> None:
    note_id = add(workspace_path, "note", "Из буфера", "--body-file", "-", stdin=NOTE_BODY)
    assert listed(workspace_path, "notes")[note_id]["body"].rstrip("\n") == NOTE_BODY.rstrip("\n")


def test_note_body_from_the_option(workspace_path: Path) -> None:
    note_id = add(workspace_path, "note", "Коротко", "--body", "Клиент просит **срочно**.")
    assert listed(workspace_path, "notes")[note_id]["body"] == "Клиент просит **срочно**."


def test_note_body_keeps_leading_indentation(workspace_path: Path, tmp_path: Path) -> None:
    """Leading spaces are Markdown: an indented first line is a code block."""
    body = "    SELECT * FROM clients;\n\nЗапрос для отчёта."
    body_file = tmp_path / "code.md"
    body_file.write_text(body, encoding="utf-8")
    note_id = add(workspace_path, "note", "Запрос", "--body-file", str(body_file))
    assert listed(workspace_path, "notes")[note_id]["body"].startswith("    SELECT")


def test_contact_round_trip(with_client: tuple[Path, str]) -> None:
    workspace_path, client_id = with_client
    contact_id = add(workspace_path, "contact", "Марина Кузнецова", "--client", client_id,
                     "--role", "маркетолог", "--email", "marina@romashka.example",
                     "--phone", "+7 912 345-67-89", "--messenger", "@marina_k",
                     "--influence", "decision_maker")
    contact = listed(workspace_path, "contacts")[contact_id]
    assert contact == {**contact, "client_id": client_id, "name": "Марина Кузнецова",
                       "role": "маркетолог", "email": "marina@romashka.example",
                       "phone": "+7 912 345-67-89", "messenger": "@marina_k",
                       "influence": "decision_maker"}


def test_deal_round_trip(with_client: tuple[Path, str]) -> None:
    workspace_path, client_id = with_client
    deal_id = add(workspace_path, "deal", "Контекст: доставка", "--client", ROMASHKA,
                  "--amount", "1 200 000,50", "--currency", "usd", "--status", "won",
                  "--signed", "2026-10-01", "--paid", "2026-10-15")
    deal = listed(workspace_path, "deals")[deal_id]
    assert deal["title"] == "Контекст: доставка"
    assert deal["client_id"] == client_id
    assert Decimal(str(deal["amount"]["amount"])) == Decimal("1200000.50")
    assert deal["amount"]["currency"] == "USD"
    assert deal["status"] == "won"
    assert deal["signed_on"] == "2026-10-01"
    assert deal["paid_on"] == "2026-10-15"


def test_deal_currency_defaults_to_the_workspace_currency(with_client: tuple[Path, str]) -> None:
    workspace_path, _client = with_client
    deal_id = add(workspace_path, "deal", "SMM", "--client", ROMASHKA, "--amount", "90000")
    deal = listed(workspace_path, "deals")[deal_id]
    assert deal["amount"]["currency"] == "RUB"
    assert deal["status"] == "proposal"


def test_member_round_trip(workspace_path: Path) -> None:
    member_id = add(workspace_path, "member", "Ольга Лебедева", "--role", "assistant",
                    "--login", "olebedeva", "--email", "olga@agency.example")
    member = listed(workspace_path, "members")[member_id]
    assert (member["name"], member["role"], member["login"], member["email"]) == (
        "Ольга Лебедева", "assistant", "olebedeva", "olga@agency.example")


def test_a_login_taken_is_refused_and_nothing_stored(workspace_path: Path) -> None:
    first = add(workspace_path, "member", "Ольга Лебедева", "--login", "olga")
    before = snapshot_files(workspace_path / "data")
    result = run_cli("add", "member", "Ольга Другая", "--login", "olga",
                     workspace=workspace_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"amtui: error: --login: 'olga' is the login of 'Ольга Лебедева' "
                             f"({first}) already; each member has their own\n")
    assert snapshot_files(workspace_path / "data") == before
    add(workspace_path, "member", "Без логина")  # members without a login are not twins
    add(workspace_path, "member", "Тоже без логина")


@pytest.mark.parametrize("login", ["bad login", "", "-rf", "ольга"])
def test_a_login_no_account_could_have_is_refused_and_nothing_stored(
        workspace_path: Path, login: str) -> None:
    add(workspace_path, "member", "Ольга Лебедева", "--login", "olga")
    before = snapshot_files(workspace_path / "data")
    result = run_cli("add", "member", "Кто-то", f"--login={login}", workspace=workspace_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"amtui: error: --login: {login!r}: a login is letters")
    assert snapshot_files(workspace_path / "data") == before


@pytest.mark.parametrize("same_name", ["ромашка", "Romashka LLC", "ООО \"Ромашка\"",
                                       "ЗАО  «РОМАШКА»", "ИП Ромашка"])
def test_a_client_of_the_same_name_is_added_with_a_warning(workspace_path: Path,
                                                           same_name: str) -> None:
    first = add(workspace_path, "client", ROMASHKA) if "Romashka" not in same_name else add(
        workspace_path, "client", "Romashka")
    result = run_cli("add", "client", same_name, workspace=workspace_path)
    assert result.returncode == 0
    assert ULID.fullmatch(result.stdout.strip())
    assert result.stderr.startswith("amtui: warning: a client of the same name exists already: ")
    assert first in result.stderr and result.stderr.count("\n") == 1
    assert len(listed(workspace_path, "clients")) == 2  # a warning, not a refusal


def test_add_client_json_names_the_clients_of_the_same_name(workspace_path: Path) -> None:
    first = add(workspace_path, "client", ROMASHKA)
    add(workspace_path, "client", "Ромашка Плюс")  # another client: not the same name

    def added(name: str) -> dict[str, Any]:
        result = run_cli("add", "client", name, "--json", workspace=workspace_path)
        assert result.returncode == 0, result.stderr
        data: dict[str, Any] = json.loads(result.stdout)
        assert listed(workspace_path, "clients")[data["id"]]["name"] == name
        return data

    assert added("Ромашка")["duplicate_of"] == [{"id": first, "name": ROMASHKA}]
    assert added("Лютик")["duplicate_of"] == []


def test_message_round_trip_with_contact_by_name(with_client: tuple[Path, str]) -> None:
    workspace_path, client_id = with_client
    contact_id = add(workspace_path, "contact", "Сергей Попов", "--client", ROMASHKA)
    message_id = add(workspace_path, "message", "Реклама не показывается с утра!",
                     "--client", ROMASHKA, "--contact", "Сергей Попов", "--channel", "telegram",
                     "--kind", "complaint", "--priority", "urgent")
    message = listed(workspace_path, "messages")[message_id]
    assert message["text"] == "Реклама не показывается с утра!"
    assert message["client_id"] == client_id
    assert message["contact_id"] == contact_id
    assert message["channel"] == "telegram"
    assert message["kind"] == "complaint"
    assert message["priority"] == "urgent"
    assert message["direction"] == "incoming"
    assert message["status"] == "new"


def test_outgoing_message_waits_for_no_answer(with_client: tuple[Path, str]) -> None:
    workspace_path, _client = with_client
    message_id = add(workspace_path, "message", "Отправили отчёт", "--client", ROMASHKA,
                     "--outgoing")
    message = listed(workspace_path, "messages")[message_id]
    assert message["direction"] == "outgoing"
    assert message["status"] == "done"
    assert message["answer_by"] is None


# naming a client


def test_client_named_by_id_and_by_exact_name(with_client: tuple[Path, str]) -> None:
    workspace_path, client_id = with_client
    other_id = add(workspace_path, "client", "Blue Fern Studio")

    by_id = add(workspace_path, "task", "По id", "--client", client_id)
    by_name = add(workspace_path, "task", "По имени", "--client", ROMASHKA)
    other = add(workspace_path, "note", "Другой клиент", "--client", "Blue Fern Studio")

    tasks = listed(workspace_path, "tasks")
    assert tasks[by_id]["client_id"] == client_id
    assert tasks[by_name]["client_id"] == client_id
    assert listed(workspace_path, "notes")[other]["client_id"] == other_id


def test_client_whose_name_looks_like_another_clients_id(workspace_path: Path) -> None:
    """An id always names the record with that id."""
    first = add(workspace_path, "client", "Первый")
    second = add(workspace_path, "client", first)  # a client named as the first one's id
    task = add(workspace_path, "task", "Кому?", "--client", first)
    assert listed(workspace_path, "tasks")[task]["client_id"] == first
    assert listed(workspace_path, "clients")[second]["name"] == first


# when a message must be answered


def _within_working_hours(moment: datetime, zone: str) -> bool:
    local = moment.astimezone(ZoneInfo(zone))
    return local.weekday() < 5 and time(10, 0) <= local.time() <= time(19, 0)


def test_default_answer_by_is_within_the_clients_working_hours(workspace_path: Path) -> None:
    zone = "Asia/Yekaterinburg"
    add(workspace_path, "client", "Уралсиб-Логистик", "--timezone", zone)
    # Friday 17:00 there: 2 working hours left on Friday, the other 2 on Monday morning.
    message_id = add(workspace_path, "message", "Сколько будет стоить доработка формы?",
                     "--client", "Уралсиб-Логистик", "--received", "2026-11-27 17:00")

    message = listed(workspace_path, "messages")[message_id]
    received = datetime.fromisoformat(message["received_at"])
    answer_by = datetime.fromisoformat(message["answer_by"])
    assert received == datetime(2026, 11, 27, 17, 0, tzinfo=ZoneInfo(zone))
    assert answer_by == datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo(zone))
    assert _within_working_hours(answer_by, zone)


def test_default_answer_by_when_received_now(workspace_path: Path) -> None:
    zone = "Asia/Vladivostok"
    add(workspace_path, "client", "Байкал", "--timezone", zone)
    message_id = add(workspace_path, "message", "Почему снизился трафик?", "--client", "Байкал")

    message = listed(workspace_path, "messages")[message_id]
    received = datetime.fromisoformat(message["received_at"])
    answer_by = datetime.fromisoformat(message["answer_by"])
    assert received.tzinfo is not None and answer_by.tzinfo is not None
    assert answer_by > received
    assert answer_by - received >= timedelta(hours=4)
    assert _within_working_hours(answer_by, zone)


def test_received_outside_hours_counts_from_the_next_working_morning(
    workspace_path: Path,
) -> None:
    add(workspace_path, "client", "Ладога")  # Europe/Moscow, 10:00–19:00, Monday to Friday
    message_id = add(workspace_path, "message", "Пришлите счёт", "--client", "Ладога",
                     "--received", "2026-11-28 23:30")  # Saturday night
    answer_by = datetime.fromisoformat(listed(workspace_path, "messages")[message_id]["answer_by"])
    assert answer_by == datetime(2026, 11, 30, 14, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.mark.parametrize(("text", "priority"), [
    ("СРОЧНО! Сайт лежит", "normal"),
    ("Сайт упала? Ёлки, форма не  работает", "normal"),  # any case, any spacing, ё as е
    ("Please fix it ASAP", "normal"),
    ("Посмотрите, когда будет время", "urgent"),
])
def test_an_urgent_message_is_due_within_the_urgent_answer_minutes_of_working_time(
        workspace_path: Path, text: str, priority: str) -> None:
    add(workspace_path, "client", "Ладога")  # Europe/Moscow, 10:00–19:00, Monday to Friday
    message_id = add(workspace_path, "message", text, "--client", "Ладога", "--priority",
                     priority, "--received", "2026-11-27 18:30")  # Friday, half an hour left
    answer_by = datetime.fromisoformat(listed(workspace_path, "messages")[message_id]["answer_by"])
    assert answer_by == datetime(2026, 11, 30, 10, 30, tzinfo=ZoneInfo("Europe/Moscow"))


def test_the_urgent_words_and_minutes_are_the_workspaces(workspace_path: Path) -> None:
    add(workspace_path, "client", "Ладога")
    toml = workspace_path / "workspace.toml"
    toml.write_text(toml.read_text(encoding="utf-8")
                    + '\nurgent_words = ["горит"]\nurgent_answer_minutes = 15\n',
                    encoding="utf-8")
    burning = add(workspace_path, "message", "Горит запуск", "--client", "Ладога",
                  "--received", "2026-11-26 12:00")
    asap = add(workspace_path, "message", "ASAP please", "--client", "Ладога",
               "--received", "2026-11-26 12:00")
    messages = listed(workspace_path, "messages")
    moscow = ZoneInfo("Europe/Moscow")
    assert datetime.fromisoformat(messages[burning]["answer_by"]) == datetime(
        2026, 11, 26, 12, 15, tzinfo=moscow)
    assert datetime.fromisoformat(messages[asap]["answer_by"]) == datetime(
        2026, 11, 26, 16, 0, tzinfo=moscow)


def test_explicit_answer_by_is_kept(with_client: tuple[Path, str]) -> None:
    workspace_path, _client = with_client
    message_id = add(workspace_path, "message", "Нужно к пятнице", "--client", ROMASHKA,
                     "--received", "2026-11-26 10:00", "--answer-by", "2026-11-27 18:00")
    answer_by = datetime.fromisoformat(listed(workspace_path, "messages")[message_id]["answer_by"])
    assert answer_by == datetime(2026, 11, 27, 18, 0, tzinfo=ZoneInfo("Europe/Moscow"))


# which workspace


def _workspaces_under(folder: Path) -> list[Path]:
    return sorted(path.parent for path in folder.rglob("workspace.toml"))


def test_workspace_option_chooses_the_folder(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    other = tmp_path / "env"
    task_id = add(chosen, "task", "Сюда", env={"AMTUI_WORKSPACE": str(other)})
    assert _workspaces_under(tmp_path) == [chosen]
    assert task_id in listed(chosen, "tasks")


def test_environment_variable_chooses_the_folder(tmp_path: Path) -> None:
    chosen = tmp_path / "from-env"
    env = {"AMTUI_WORKSPACE": str(chosen), "HOME": str(tmp_path / "home"),
           "XDG_DATA_HOME": str(tmp_path / "xdg")}
    task_id = add(None, "task", "Через переменную", env=env)
    assert _workspaces_under(tmp_path) == [chosen]
    assert task_id in listed(None, "tasks", env=env)
    assert task_id in listed(chosen, "tasks")


def test_user_data_dir_is_the_default(tmp_path: Path) -> None:
    home, data = tmp_path / "home", tmp_path / "xdg"
    env = {"HOME": str(home), "XDG_DATA_HOME": str(data)}
    task_id = add(None, "task", "По умолчанию", env=env)

    found = _workspaces_under(tmp_path)
    assert len(found) == 1
    assert found[0].is_relative_to(data / "amtui")
    assert task_id in listed(None, "tasks", env=env)
    assert task_id in listed(found[0], "tasks")


def test_user_data_dir_under_home_without_xdg(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_DATA_HOME": ""}
    add(None, "client", "Дом", env=env)
    found = _workspaces_under(tmp_path)
    assert len(found) == 1
    assert found[0].is_relative_to(home / ".local" / "share" / "amtui")


def test_note_from_a_template_is_filled_for_the_client(with_client: tuple[Path, str]) -> None:
    workspace_path, client_id = with_client
    note_id = add(workspace_path, "note", "Чек-лист", "--client", ROMASHKA,
                  "--template", "anti-disaster")
    note = listed(workspace_path, "notes")[note_id]
    assert note["kind"] == "checklist" and note["client_id"] == client_id
    assert note["body"].count("- [ ]") == 10
    assert f"Anti-disaster checklist — {ROMASHKA}" in note["body"]


def test_an_unknown_template_is_refused_and_nothing_stored(
        with_client: tuple[Path, str]) -> None:
    workspace_path, _client_id = with_client
    before = snapshot_files(workspace_path)
    result = run_cli("add", "note", "x", "--template", "poem", workspace=workspace_path)
    assert result.returncode == 2
    assert "no template 'poem'" in result.stderr and "anti-disaster" in result.stderr
    assert snapshot_files(workspace_path) == before
