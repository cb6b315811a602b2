"""Mail from a sender no client has: in the Inbox and on Today as "no client yet", a client
made from the sender with `C` (it gets the sender's other such mail) or chosen with `l`,
undone as one change; the command line's count and list of it; Today for imported mail."""

from __future__ import annotations

from email.utils import format_datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from amtui.models import Client, Contact, Member, Message, Task
from amtui.services.agenda import Mine, build_agenda
from amtui.services.finder import FinderIndex
from amtui.services.mail_import import run_mail_import
from amtui.storage import Workspace
from amtui.testing import StillClock, settle
from amtui.ui.app import AmtuiApp
from amtui.ui.forms import FormScreen
from amtui.ui.help import HelpScreen
from amtui.ui.message_screen import MessageScreen
from amtui.ui.panes.inbox import InboxPane
from amtui.ui.picker import PickerScreen
from conftest import run_cli
from test_import_messages import mail
from test_ui_inbox import rows
from test_ui_snapshots import fill_agency, same_as_saved, steady_screenshot, utc_local_time

__all__ = ["utc_local_time"]  # the fixture: times come out the same on every machine


def import_mails(workspace: Workspace, folder: Path, *mails: tuple[str, str, str]) -> None:
    """Import (sender, text, Message-ID) mails, sent now, as one mbox; the text is the
    subject too (a message's first line)."""
    import mailbox

    path = folder / "mbox"
    path.unlink(missing_ok=True)
    box = mailbox.mbox(path)
    for sender, text, mail_id in mails:
        box.add(mail(sender, text, mail_id, subject=text,
                     date=format_datetime(workspace.clock())))
    box.flush()
    box.close()
    run_mail_import(workspace, path)


@pytest.fixture
def unknown(workspace: Workspace, tmp_path: Path) -> Workspace:
    """Ромашка (contact Ирина) and mail from her, from two people at newco.ru whom no client
    has, and from a gmail address."""
    romashka = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    workspace.repo(Contact).add(Contact(client_id=romashka.id, name="Ирина",
                                        email="irina@romashka.ru"))
    import_mails(workspace, tmp_path,
                 ("Ирина <irina@romashka.ru>", "Макет готов?", "<1@r>"),
                 ("Олег Новиков <oleg@newco.ru>", "Хотим сайт", "<2@n>"),
                 ("buh@newco.ru", "Реквизиты для договора", "<3@n>"),
                 ("Пётр <petr.private@gmail.com>", "Я от Ромашки, личная почта", "<4@g>"))
    return workspace


def message(workspace: Workspace, text_start: str) -> Message:
    (found,) = [m for m in workspace.repo(Message).all() if m.text.startswith(text_start)]
    return found


def client_cells(app: AmtuiApp) -> dict[str, str]:
    """Each row's message (its first line after the subject) → its Client cell."""
    return {row[5].split()[0]: row[4] for row in rows(app)}


async def go_to(app: AmtuiApp, pilot: object, word: str) -> None:
    table = app.screen.query_one("#records", DataTable)
    index = next(number for number, row in enumerate(rows(app)) if word in row[5])
    table.move_cursor(row=index)
    await settle(pilot)  # type: ignore[arg-type]


def stored_state(workspace: Workspace) -> tuple[set[str], set[str], dict[str, object]]:
    """The clients and contacts there are, and each message's client and assignee."""
    return (set(workspace.file("clients").records()), set(workspace.file("contacts").records()),
            {key: (raw.get("client_id"), raw.get("assignee_id"))
             for key, raw in workspace.file("messages").records().items()})


def key_bar(app: AmtuiApp) -> str:
    return str(app.screen.query_one("#key-bar", Static).render())


def preview(app: AmtuiApp) -> str:
    return str(app.screen.query_one("#inbox-preview", Static).render())


async def test_capital_c_makes_a_client_from_the_sender_with_the_domains_mail_and_u_undoes_it(
        unknown: Workspace) -> None:
    app = AmtuiApp(unknown, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InboxPane)
        assert client_cells(app) == {"Макет": "ООО «Ромашка»", "Хотим": "no client yet",
                                     "Реквизиты": "no client yet", "Я": "no client yet"}
        await go_to(app, pilot, "Хотим")
        assert "No client yet · Олег Новиков <oleg@newco.ru>" in preview(app)
        task = unknown.repo(Task).add(Task(title="Смета на сайт",
                                           message_id=message(unknown, "Хотим").id))
        before = stored_state(unknown)

        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        values = {name: app.screen.query_one(f"#field-{name}", Input).value
                  for name in ("name", "contact_name", "contact_email")}
        assert values == {"name": "newco.ru", "contact_name": "Олег Новиков",
                          "contact_email": "oleg@newco.ru"}
        await pilot.press("ctrl+u", *"НьюКо", "f2")
        await settle(pilot)

        newco = unknown.repo(Client).resolve("НьюКо")
        (oleg,) = unknown.repo(Contact).where(client_id=newco.id)
        assert (oleg.name, oleg.email) == ("Олег Новиков", "oleg@newco.ru")
        assert (message(unknown, "Хотим").client_id, message(unknown, "Хотим").contact_id) == (
            newco.id, oleg.id)
        assert message(unknown, "Реквизиты").client_id == newco.id  # same company domain
        assert "Client from sender" not in key_bar(app)
        assert message(unknown, "Я от").client_id is None  # public mail: not the domain's
        assert unknown.repo(Task).get(task.id).client_id == newco.id  # the task made from it
        assert isinstance(app.screen, InboxPane)
        assert client_cells(app)["Реквизиты"] == "НьюКо"

        await pilot.press("u")
        await settle(pilot)
        assert stored_state(unknown) == before
        assert unknown.repo(Task).get(task.id).client_id is None
        assert client_cells(app)["Хотим"] == "no client yet"


async def test_l_gives_mail_from_a_personal_address_to_a_client_picked(
        unknown: Workspace, tmp_path: Path) -> None:
    app = AmtuiApp(unknown, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(app, pilot, "Я от")
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"рмшк", "enter")
        await settle(pilot)
        romashka = unknown.repo(Client).resolve("ООО «Ромашка»")
        petr = [c for c in unknown.repo(Contact).where(client_id=romashka.id)
                if c.email == "petr.private@gmail.com"]
        assert [c.name for c in petr] == ["Пётр"]
        assert (message(unknown, "Я от").client_id, message(unknown, "Я от").contact_id) == (
            romashka.id, petr[0].id)
        assert client_cells(app)["Я"] == "ООО «Ромашка»"
        assert "ООО «Ромашка» · Пётр" in preview(app)

        # the contact made finds the client for the next mail from that address
        import_mails(unknown, tmp_path, ("petr.private@gmail.com", "Ещё вопрос", "<5@g>"))
        assert message(unknown, "Ещё").client_id == romashka.id

        await pilot.press("u")
        await settle(pilot)
        assert message(unknown, "Я от").client_id is None
        assert not any(c.email == "petr.private@gmail.com"
                       for c in unknown.repo(Contact).all())


async def test_the_keys_are_offered_only_for_mail_with_no_client_yet(
        unknown: Workspace) -> None:
    app = AmtuiApp(unknown, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"no client")  # what the Client column says
        await settle(pilot)
        assert sorted(client_cells(app)) == ["Реквизиты", "Хотим", "Я"]
        await pilot.press("ctrl+u", "escape")
        await settle(pilot)
        await go_to(app, pilot, "Макет")
        before = stored_state(unknown)
        assert "Client from sender" not in key_bar(app)
        await pilot.press("C", "l")
        await settle(pilot)
        assert isinstance(app.screen, InboxPane)
        assert stored_state(unknown) == before
        await go_to(app, pilot, "Хотим")
        assert " C Client from sender  a Reply " in key_bar(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(static.render()) for static in app.screen.query(Static))
        assert "  Client from sender" in text and "  Attach to client" in text


async def test_in_the_message_view_capital_c_makes_the_client_and_the_title_says_no_client_yet(
        unknown: Workspace) -> None:
    app = AmtuiApp(unknown, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(app, pilot, "Реквизиты")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        title = str(app.screen.query_one("#message-title", Static).render())
        assert title == "No client yet · buh@newco.ru"
        thread = str(app.screen.query_one("#message-thread", Static).render())
        assert "Реквизиты" in thread and "Хотим" not in thread  # the sender's own mail
        assert "← buh@newco.ru: Реквизиты" in thread
        assert "C Client from sender" in key_bar(app)
        await pilot.press("C")
        await settle(pilot)
        assert app.screen.query_one("#field-contact_name", Input).value == "buh"
        await pilot.press("f2")
        await settle(pilot)
        newco = unknown.repo(Client).resolve("newco.ru")
        assert message(unknown, "Реквизиты").client_id == newco.id
        assert message(unknown, "Хотим").client_id == newco.id
        assert isinstance(app.screen, MessageScreen)
        title = str(app.screen.query_one("#message-title", Static).render())
        assert title.startswith("newco.ru")


# importing and listing


def test_unmatched_mail_lands_without_a_client_once_and_later_mail_finds_its_client(
        workspace: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "one.eml"
    source.write_bytes(bytes(mail("Олег <oleg@newco.ru>", "Хотим сайт", "<n1@n>")))

    first = run_cli("import", "messages", str(source), workspace=workspace.root)
    again = run_cli("import", "messages", str(source), workspace=workspace.root)

    assert first.returncode == 0, first.stderr
    assert "added 1 messages, 0 already imported, 1 without a client" in first.stdout
    assert "no client yet for oleg@newco.ru" in first.stdout
    assert "added 0 messages, 1 already imported, 0 without a client" in again.stdout
    [stored] = workspace.repo(Message).all()
    assert (stored.client_id, stored.sender_name, stored.sender_address) == (
        None, "Олег", "oleg@newco.ru")
    assert stored.answer_by is not None and stored.status == "new"

    listed = run_cli("list", "messages", "--no-client", workspace=workspace.root)
    assert listed.returncode == 0, listed.stderr
    assert "no client yet: Олег <oleg@newco.ru>" in listed.stdout

    newco = workspace.repo(Client).add(Client(name="НьюКо"))
    workspace.repo(Contact).add(Contact(client_id=newco.id, name="Олег", email="oleg@newco.ru"))
    later = tmp_path / "two.eml"
    later.write_bytes(bytes(mail("oleg@newco.ru", "Ещё вопрос", "<n2@n>")))
    run_cli("import", "messages", str(later), workspace=workspace.root)
    clients = {m.text.split("\n\n")[1]: m.client_id for m in workspace.repo(Message).all()}
    assert clients == {"Хотим сайт": None, "Ещё вопрос": newco.id}
    listed = run_cli("list", "messages", "--no-client", "--json", workspace=workspace.root)
    assert [raw["id"] for raw in __import__("json").loads(listed.stdout)] == [stored.id]
    wrong = run_cli("list", "tasks", "--no-client", workspace=workspace.root)
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1


# Today


async def test_imported_mail_is_late_on_today_after_its_answer_time_even_with_no_client(
        unknown: Workspace, clock: StillClock) -> None:
    app = AmtuiApp(unknown)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        agenda = app.screen.query_one("#agenda", OptionList)
        shown = [str(agenda.get_option_at_index(i).prompt) for i in range(agenda.option_count)]
        assert not any("Хотим" in line for line in shown)
    clock.advance(hours=6)  # 4 working hours to answer: 2 hours late now
    app = AmtuiApp(unknown)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        agenda = app.screen.query_one("#agenda", OptionList)
        shown = [str(agenda.get_option_at_index(i).prompt) for i in range(agenda.option_count)]
        late = "\n".join(shown)
        assert "Answers overdue (4)" in late
        (macket,) = [line for line in shown if "Макет готов?" in line]
        assert macket.strip().startswith("answer 2 h late")
        assert macket.endswith("· ООО «Ромашка»")
        (oleg,) = [line for line in shown if "Хотим сайт" in line]
        assert oleg.strip().startswith("answer 2 h late") and oleg.endswith("· no client yet")


def test_mail_with_no_client_that_nobody_has_is_on_everyones_today(
        unknown: Workspace, clock: StillClock) -> None:
    anna = unknown.repo(Member).add(Member(name="Анна", login="anna"))
    clock.advance(hours=6)

    mine = build_agenda(unknown, mine=Mine.of(unknown.file("members").get(anna.id) or {}))

    (late,) = [section for section in mine if section.key == "late_answers"]
    assert sorted(item.title for item in late.items) == [
        "Реквизиты для договора", "Хотим сайт", "Я от Ромашки, личная почта"]
    assert {item.client for item in late.items} == {"no client yet"}


async def test_a_bad_contact_address_in_the_form_is_named_and_nothing_is_stored(
        unknown: Workspace) -> None:
    app = AmtuiApp(unknown, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(app, pilot, "Хотим")
        before = stored_state(unknown)
        await pilot.press("C")
        await settle(pilot)
        box = app.screen.query_one("#field-contact_email", Input)
        box.value = "oleg-at-newco"
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        error = str(app.screen.query_one("#error-contact_email", Static).render())
        assert "'oleg-at-newco' is not an e-mail address" in error
        assert stored_state(unknown) == before


async def test_a_deleted_clients_message_says_so_in_the_inbox_on_today_and_in_the_palette(
        unknown: Workspace, clock: StillClock) -> None:
    romashka = unknown.repo(Client).resolve("ООО «Ромашка»")
    unknown.repo(Client).delete(romashka.id)
    clock.advance(hours=6)  # its message is late: on Today
    (late,) = [section for section in build_agenda(unknown) if section.key == "late_answers"]
    assert {item.title: item.client for item in late.items}["Макет готов?"] == "deleted client"
    found = {hit.title: hit.detail for hit in FinderIndex(unknown).search("макет готов")}
    assert found["Макет готов?"].startswith("deleted client")
    app = AmtuiApp(unknown, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert client_cells(app)["Макет"] == "deleted client"
        await go_to(app, pilot, "Макет")
        assert preview(app).startswith("deleted client")
        await pilot.press("slash", *"deleted")
        await settle(pilot)
        assert list(client_cells(app)) == ["Макет"]


def test_the_palette_names_mail_with_no_client_yet(unknown: Workspace) -> None:
    found = {hit.title: hit.detail for hit in FinderIndex(unknown).search("хотим сайт")}

    assert found["Хотим сайт"].startswith("no client yet · ")


async def test_snapshot_of_the_inbox_on_mail_with_no_client_yet_at_80x24(
        workspace: Workspace, clock: StillClock, tmp_path: Path) -> None:
    fill_agency(workspace, clock)
    import_mails(workspace, tmp_path, ("Олег Новиков <oleg@newco.ru>", "Хотим сайт", "<n@n>"))
    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(app, pilot, "Хотим")
        svg = await steady_screenshot(pilot, "amtui inbox, no client yet")
    same_as_saved(svg, "inbox-no-client-80x24.svg", "the Inbox on mail with no client yet")
