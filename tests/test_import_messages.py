"""`amtui import messages PATH`: mail from an .eml file, an mbox or a Maildir, imported once."""

from __future__ import annotations

import json
import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest

from amtui.models import Client, Contact, Direction, Member, Message
from amtui.services.mail_import import read_mails, run_mail_import
from amtui.storage import Workspace
from conftest import run_cli


def mail(sender: str, text: str, mail_id: str, *, to: str = "am@agency.ru",
         subject: str = "Сайт", reply_to: str = "", html: str = "",
         date: str = "Wed, 25 Nov 2026 10:00:00 +0300") -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = mail_id
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    if text:
        message.set_content(text)
    if html:
        if text:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    return message


@pytest.fixture
def romashka(workspace: Workspace) -> Client:
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    workspace.repo(Contact).add(Contact(client_id=client.id, name="Ирина Петрова",
                                        email="irina@romashka.ru"))
    return client


def messages(workspace: Workspace) -> list[Message]:
    return sorted(workspace.repo(Message).all(), key=lambda m: m.received_at)


def test_eml_from_a_contact_is_an_incoming_message_with_an_answer_by_time(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    source = tmp_path / "one.eml"
    source.write_bytes(bytes(mail("Ирина <Irina@Romashka.ru>", "Когда будет макет?", "<a@r>")))

    result = run_cli("import", "messages", str(source), workspace=workspace.root)

    assert result.returncode == 0, result.stderr
    assert "added 1 messages" in result.stdout
    [message] = messages(workspace)
    assert message.client_id == romashka.id and message.contact_id
    assert message.direction == Direction.INCOMING and message.channel == "email"
    assert message.text.startswith("Сайт\n\nКогда будет макет?")
    assert message.external_id == "mail:<a@r>"
    assert message.answer_by is not None and message.answer_by > message.received_at
    assert message.received_at.isoformat() == "2026-11-25T07:00:00+00:00"


def test_mbox_thread_of_three_is_linked_and_a_second_run_adds_nothing(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    workspace.repo(Member).add(Member(name="Анна", email="anna@agency.ru"))
    path = tmp_path / "mbox"
    box = mailbox.mbox(path)
    box.add(mail("irina@romashka.ru", "Первое", "<1@r>"))
    box.add(mail("Анна <anna@agency.ru>", "Ответ", "<2@a>", to="irina@romashka.ru",
                 reply_to="<1@r>", date="Wed, 25 Nov 2026 11:00:00 +0300"))
    box.add(mail("someone@sub.romashka.ru", "Третье", "<3@r>", reply_to="<2@a>",
                 date="Wed, 25 Nov 2026 12:00:00 +0300"))
    box.flush()
    box.close()

    first = run_mail_import(workspace, path)[0]
    again = run_mail_import(workspace, path)[0]

    assert (len(first.new), first.known) == (3, 0)
    assert first.unmatched == ["someone@sub.romashka.ru"]  # another domain: no client yet
    assert (len(again.new), again.known) == (0, 3)
    one, two, three = messages(workspace)
    assert two.direction == Direction.OUTGOING and two.client_id == romashka.id
    assert two.reply_to_id == one.id and two.answer_by is None
    assert three.client_id is None and three.reply_to_id == two.id


def test_maildir_cur_and_new_with_html_only_mail_and_a_lying_charset(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    folder = tmp_path / "Maildir"
    box = mailbox.Maildir(folder)
    box.add(mail("irina@romashka.ru", "", "<h@r>", html=(
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
        "<body><p>Привет,</p><p>список:<br>строка</p><ul><li>один</li><li>[b]два[/b]</li>"
        "</ul></body></html>")))
    lie = (b"From: irina@romashka.ru\r\nMessage-ID: <lie@r>\r\nSubject: x\r\n"
           b"Content-Type: text/plain; charset=no-such-charset\r\n\r\n"
           + "Счёт".encode("cp1251") + b"\r\n")
    key = box.add(lie)
    message = box.get_message(key)
    message.set_subdir("cur")
    box[key] = message
    assert {path.parent.name for path in folder.glob("*/*")} == {"cur", "new"}

    plan = run_mail_import(workspace, folder)[0]

    assert len(plan.new) == 2
    texts = {message.external_id: message.text for message in messages(workspace)}
    html = texts["mail:<h@r>"]
    assert "alert" not in html and "color" not in html
    assert "Привет,\n" in html and "список:\nстрока" in html and "- один\n- [b]два[/b]" in html
    assert texts["mail:<lie@r>"].startswith("x\n\n")


def test_attachments_are_listed_and_saved_only_when_asked_with_a_hostile_name(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    message = mail("irina@romashka.ru", "Договор во вложении", "<f@r>")
    message.add_attachment(b"PDF" * 100, maintype="application", subtype="pdf",
                           filename="../../../etc/passwd")
    source = tmp_path / "with-file.eml"
    source.write_bytes(bytes(message))

    result = run_cli("import", "messages", str(source), "--save-attachments",
                     workspace=workspace.root)

    assert result.returncode == 0, result.stderr
    [stored] = messages(workspace)
    assert "- passwd (300 B)" in stored.text
    saved = list((workspace.root / "files").rglob("*"))
    assert [path.name for path in saved if path.is_file()] == ["passwd"]
    assert all(workspace.root / "files" in path.parents for path in saved)
    assert (workspace.root / "files" / stored.id / "passwd").read_bytes() == b"PDF" * 100


def test_attachments_are_not_saved_unless_asked(workspace: Workspace, romashka: Client,
                                               tmp_path: Path) -> None:
    message = mail("irina@romashka.ru", "Файл", "<g@r>")
    message.add_attachment(b"x", maintype="text", subtype="plain", filename="a.txt")
    source = tmp_path / "g.eml"
    source.write_bytes(bytes(message))

    run_mail_import(workspace, source)

    assert not (workspace.root / "files").exists()


def test_json_and_dry_run_write_nothing(workspace: Workspace, romashka: Client,
                                        tmp_path: Path) -> None:
    source = tmp_path / "one.eml"
    source.write_bytes(bytes(mail("irina@romashka.ru", "Вопрос", "<j@r>")))

    result = run_cli("import", "messages", str(source), "--dry-run", "--json",
                     workspace=workspace.root)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["created"] == 1
    assert messages(workspace) == []


def test_a_file_that_is_no_mail_is_one_line_exit_2_and_nothing_changed(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("just some words\n")
    folder = tmp_path / "folder"
    folder.mkdir()

    for path in (source, folder):
        result = run_cli("import", "messages", str(path), workspace=workspace.root)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1
    assert messages(workspace) == []
    with pytest.raises(ValueError):
        list(read_mails(source))


# Telegram Desktop exports


def telegram_export(path: Path) -> Path:
    """A chat as Telegram Desktop exports it: text as a string or as entities."""
    path.write_text(json.dumps({"name": "Ромашка", "type": "personal_chat", "id": 777,
                                "messages": [
        {"id": 1, "type": "service", "date": "2026-11-25T09:00:00",
         "date_unixtime": "1795586400", "actor": "Ирина", "action": "phone_call"},
        {"id": 2, "type": "message", "date": "2026-11-25T10:00:00",
         "date_unixtime": "1795590000", "from": "Ирина Петрова", "from_id": "user1",
         "text": ["Смотрите ", {"type": "bold", "text": "[red]срочно[/red]"}, " ",
                  {"type": "link", "text": "https://romashka.ru"}]},
        {"id": 3, "type": "message", "date": "2026-11-25T10:05:00",
         "date_unixtime": "1795590300", "from": "Анна", "from_id": "user2",
         "text": "Смотрю"},
        {"id": 4, "type": "message", "date": "2026-11-25T10:10:00",
         "date_unixtime": "1795590600", "from": "Пётр", "from_id": "user3",
         "text": "А я бухгалтер"},
    ]}, ensure_ascii=False), encoding="utf-8")
    return path


def test_telegram_export_with_entities_mapped_to_contacts_and_imported_once(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    workspace.repo(Member).add(Member(name="Анна", email="anna@agency.ru"))
    source = telegram_export(tmp_path / "result.json")

    first = run_cli("import", "telegram", str(source), "--client", "ООО «Ромашка»",
                    workspace=workspace.root)
    again = run_cli("import", "telegram", str(source), "--client", "ООО «Ромашка»",
                    "--json", workspace=workspace.root)

    assert first.returncode == 0, first.stderr
    assert "added 3 messages" in first.stdout
    assert json.loads(again.stdout)["created"] == 0
    irina, anna, petr = messages(workspace)
    assert irina.text == "Смотрите [red]срочно[/red] https://romashka.ru"
    assert irina.contact_id and irina.direction == Direction.INCOMING
    assert irina.channel == "telegram" and irina.answer_by is not None
    assert irina.external_id == "telegram:777:2"
    assert anna.direction == Direction.OUTGOING and anna.answer_by is None
    assert petr.text == "Пётр: А я бухгалтер" and petr.contact_id is None


def test_telegram_me_names_the_agency_side_and_bad_input_changes_nothing(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    source = telegram_export(tmp_path / "result.json")
    not_json = tmp_path / "bad.json"
    not_json.write_text("[1, 2]")

    for args in (("--client", "Нет такого"), ("--client", "ООО «Ромашка»", "--x"),
                 ()):
        result = run_cli("import", "telegram", str(source), *args, workspace=workspace.root)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    result = run_cli("import", "telegram", str(not_json), "--client", "ООО «Ромашка»",
                     workspace=workspace.root)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert messages(workspace) == []

    run_cli("import", "telegram", str(source), "--client", "ООО «Ромашка»", "--me", "анна",
            workspace=workspace.root)
    assert [m.direction for m in messages(workspace)] == [
        Direction.INCOMING, Direction.OUTGOING, Direction.INCOMING]


def test_a_files_folder_that_is_a_link_is_refused_before_anything_is_stored(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (workspace.root / "files").symlink_to(elsewhere)
    message = mail("irina@romashka.ru", "Файл", "<l@r>")
    message.add_attachment(b"x", maintype="text", subtype="plain", filename="a.txt")
    source = tmp_path / "l.eml"
    source.write_bytes(bytes(message))

    result = run_cli("import", "messages", str(source), "--save-attachments",
                     workspace=workspace.root)

    assert result.returncode == 2 and "symbolic link" in result.stderr
    assert messages(workspace) == [] and list(elsewhere.iterdir()) == []
