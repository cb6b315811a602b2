"""Clients without the UI: search and filters, the card's figures and timeline, form values."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from amtui.models import (
    Client,
    Contact,
    Deal,
    Member,
    Message,
    Money,
    Note,
    Task,
    WorkingHours,
)
from amtui.services import clients as service
from amtui.storage import ConflictError, TrashBin, Workspace
from amtui.testing import START, StillClock


def summaries(*records: Client, members: tuple[Member, ...] = (),
              contacts: tuple[Contact, ...] = ()) -> list[service.ClientSummary]:
    return service.summarise_clients(
        [client.model_dump(mode="json") for client in records],
        {member.id: member.model_dump(mode="json") for member in members},
        [contact.model_dump(mode="json") for contact in contacts])


def names(found: list[service.ClientSummary]) -> list[str]:
    return [client.name for client in found]


# finding clients

ANNA = Member(name="Анна Смирнова")
ROMASHKA = Client(name="ООО «Ромашка»", owner_id=ANNA.id, tags=["VIP", "retail"],
                  industry="e-commerce", key_account=True)
KVARTAL = Client(name="Зелёный Квартал", kind="b2c", status="dormant", tags=["vip"])
PIXEL = Client(name="Pixel Forge", status="lead", industry="design")


def test_search_matches_every_word_in_any_order_and_any_case() -> None:
    clients = summaries(ROMASHKA, KVARTAL, PIXEL, members=(ANNA,))
    assert names(service.matching(clients, "РОМАШКА ооо")) == ["ООО «Ромашка»"]
    assert names(service.matching(clients, "  forge   PIX ")) == ["Pixel Forge"]
    assert names(service.matching(clients, "ромашка pixel")) == []
    assert names(service.matching(clients, "")) == ["Pixel Forge", "Зелёный Квартал",
                                                    "ООО «Ромашка»"]


def test_search_reads_yo_as_ye_and_looks_at_owner_tags_industry_and_contacts() -> None:
    contact = Contact(client_id=PIXEL.id, name="Марина Орлова")
    clients = summaries(ROMASHKA, KVARTAL, PIXEL, members=(ANNA,), contacts=(contact,))
    assert names(service.matching(clients, "зеленый")) == ["Зелёный Квартал"]
    assert names(service.matching(clients, "смирнова commerce")) == ["ООО «Ромашка»"]
    assert names(service.matching(clients, "орлова")) == ["Pixel Forge"]
    assert names(service.matching(clients, "vip")) == ["Зелёный Квартал", "ООО «Ромашка»"]


def test_filters_narrow_by_status_owner_kind_key_account_and_tag() -> None:
    clients = summaries(ROMASHKA, KVARTAL, PIXEL, members=(ANNA,))
    Filter = service.ClientFilter
    assert names(service.matching(clients, "", Filter(status="dormant"))) == ["Зелёный Квартал"]
    assert names(service.matching(clients, "", Filter(owner_id=ANNA.id))) == ["ООО «Ромашка»"]
    assert names(service.matching(clients, "", Filter(owner_id=service.NOBODY))) == [
        "Pixel Forge", "Зелёный Квартал"]
    assert names(service.matching(clients, "", Filter(kind="b2c"))) == ["Зелёный Квартал"]
    assert names(service.matching(clients, "", Filter(key_account="yes"))) == ["ООО «Ромашка»"]
    assert names(service.matching(clients, "", Filter(key_account="no"))) == [
        "Pixel Forge", "Зелёный Квартал"]
    assert names(service.matching(clients, "", Filter(tag="Vip"))) == [
        "Зелёный Квартал", "ООО «Ромашка»"]
    assert names(service.matching(clients, "квартал", Filter(tag="vip", kind="b2b"))) == []
    assert not Filter().active and Filter(tag="vip").active


def test_all_tags_lists_each_tag_once() -> None:
    # the first spelling in name order wins: «Зелёный Квартал» sorts before «ООО …»
    assert service.all_tags(summaries(ROMASHKA, KVARTAL, PIXEL)) == ["retail", "vip"]
    assert service.all_tags([]) == []


# the card's figures

THURSDAY_9_UTC = START


@pytest.mark.parametrize(("zone", "clock_there", "working"), [
    ("Asia/Yekaterinburg", "Thu 14:00", True),
    ("Asia/Vladivostok", "Thu 19:00", False),  # the working day ends at 19:00
    ("Europe/London", "Thu 09:00", False),  # it starts at 10:00
    ("Europe/Moscow", "Thu 12:00", True),
])
def test_local_time_and_working_now(zone: str, clock_there: str, working: bool) -> None:
    local = service.local_time(Client(name="x", timezone=zone), THURSDAY_9_UTC)
    assert local.now.strftime("%a %H:%M") == clock_there
    assert local.working is working


def test_nobody_works_on_a_day_off() -> None:
    saturday = THURSDAY_9_UTC + timedelta(days=2)
    client = Client(name="x", working_hours=WorkingHours(weekdays=[0, 1, 2, 3, 4]))
    assert service.local_time(client, saturday).working is False


def test_next_update_is_one_cadence_after_the_last_contact() -> None:
    client = Client(name="x", cadence="weekly")
    last = THURSDAY_9_UTC - timedelta(days=3)
    update = service.next_update(client, last, THURSDAY_9_UTC)
    assert update.due == last + timedelta(days=7)
    assert update.overdue is False
    late = service.next_update(client, last - timedelta(days=5), THURSDAY_9_UTC)
    assert late.overdue is True


def test_next_update_never_contacted_snoozed_no_cadence_not_active() -> None:
    never = service.next_update(Client(name="x", cadence="daily"), None, THURSDAY_9_UTC)
    assert never.due == THURSDAY_9_UTC and never.overdue
    snooze = THURSDAY_9_UTC + timedelta(days=10)
    snoozed = service.next_update(Client(name="x", update_snoozed_until=snooze), None,
                                  THURSDAY_9_UTC)
    assert snoozed.due == snooze and not snoozed.overdue
    assert service.next_update(Client(name="x", cadence="none"), None, THURSDAY_9_UTC).due is None
    assert service.next_update(Client(name="x", status="dormant"), None,
                               THURSDAY_9_UTC).due is None


def test_deal_totals_per_status_and_currency() -> None:
    def deal(amount: str, currency: str, status: str) -> Deal:
        return Deal(client_id="c", title="d", amount=Money(amount=Decimal(amount),
                                                           currency=currency), status=status)

    totals = service.deal_totals([deal("100.50", "RUB", "won"), deal("200", "RUB", "won"),
                                  deal("50", "USD", "won"), deal("10", "RUB", "proposal"),
                                  deal("5", "EUR", "lost")])
    assert list(totals) == ["proposal", "won", "lost", "all"]
    assert totals["won"] == {"RUB": Decimal("300.50"), "USD": Decimal(50)}
    assert totals["all"] == {"EUR": Decimal(5), "RUB": Decimal("310.50"), "USD": Decimal(50)}
    assert service.deal_totals([]) == {}


def test_revenue_to_cost_ratio() -> None:
    assert service.revenue_to_cost(Client(name="x", monthly_revenue=Decimal(500),
                                          cost_to_serve=Decimal(200))) == Decimal("2.5")
    assert service.revenue_to_cost(Client(name="x", monthly_revenue=Decimal(500))) is None


# typed values

def test_an_untouched_edit_form_changes_nothing() -> None:
    client = Client(name="x", monthly_revenue=Decimal("40000.00"),
                    cost_to_serve=Decimal("19721.3333"), tags=["vip"])
    same = service.client_from_form(service.client_form_values(client), client)
    assert same.model_dump(mode="json") == client.model_dump(mode="json")


def test_tags_are_trimmed_and_kept_once() -> None:
    assert service.parse_tags(" vip, VIP ,  розница  опт ,,") == ["vip", "розница опт"]
    assert service.parse_tags("") == []


@pytest.mark.parametrize(("typed", "start", "end", "days"), [
    ("10:00-19:00 Mon-Fri", time(10), time(19), [0, 1, 2, 3, 4]),
    ("9:30–18:00 пн-пт", time(9, 30), time(18), [0, 1, 2, 3, 4]),
    ("10:00-16:00 mon, wed,fri", time(10), time(16), [0, 2, 4]),
    ("08.00-20.00 Fri-Mon", time(8), time(20), [0, 4, 5, 6]),
    ("10:00-19:00", time(10), time(19), [0, 1, 2, 3, 4]),
])
def test_working_hours_as_typed(typed: str, start: time, end: time, days: list[int]) -> None:
    hours = service.parse_hours(typed)
    assert (hours.start, hours.end, hours.weekdays) == (start, end, days)
    assert service.parse_hours(service.format_hours(hours)) == hours


@pytest.mark.parametrize(("typed", "message"), [
    ("all day", "is not working hours"), ("25:00-26:00", "does not exist"),
    ("10:00-19:00 someday", "unknown day"),
])
def test_bad_working_hours(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        service.parse_hours(typed)


def form(**typed: str) -> dict[str, str]:
    values = service.client_form_values(None)
    values.update(typed)
    return values


def test_a_filled_client_form_makes_the_client() -> None:
    client = service.client_from_form(form(
        name="  ИП Кузнецова ", kind="b2c", legal_form="person", status="lead",
        owner_id=ANNA.id, stage="tactical", key_account="yes", industry="beauty",
        preferred_channel="telegram", timezone="asia/yekaterinburg", cadence="daily",
        monthly_revenue="1 200 000,50", cost_to_serve="300 000", tags="vip, салон",
        working_hours="9:00-18:00 пн-сб"))
    assert client.name == "ИП Кузнецова"
    assert (client.kind, client.legal_form, client.status, client.stage, client.cadence) == (
        "b2c", "person", "lead", "tactical", "daily")
    assert client.owner_id == ANNA.id and client.key_account
    assert client.timezone == "Asia/Yekaterinburg"
    assert client.monthly_revenue == Decimal("1200000.50")
    assert client.cost_to_serve == Decimal(300000)
    assert client.tags == ["vip", "салон"]
    assert client.working_hours.weekdays == [0, 1, 2, 3, 4, 5]


def test_a_bad_client_form_names_every_wrong_field_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        service.client_from_form(form(name=" ", timezone="Mars/Olympus",
                                      monthly_revenue="12abc", cost_to_serve="-3",
                                      working_hours="19:00-10:00"))
    problems = {str(problem["loc"][0]): str(problem["msg"]) for problem in caught.value.errors()}
    assert set(problems) == {"name", "timezone", "monthly_revenue", "cost_to_serve",
                             "working_hours"}
    assert "type the client's name" in problems["name"]
    assert "unknown time zone 'Mars/Olympus'" in problems["timezone"]
    assert "«12abc» is not an amount" in problems["monthly_revenue"]
    assert "must start before they end" in problems["working_hours"]


def test_editing_keeps_what_the_form_does_not_show() -> None:
    snooze = START + timedelta(days=3)
    base = Client(name="Old", rev=4, update_snoozed_until=snooze, stage="strategic",
                  owner_id=ANNA.id)
    values = service.client_form_values(base)
    assert values["stage"] == "strategic" and values["owner_id"] == ANNA.id
    edited = service.client_from_form({**values, "name": "New", "stage": "", "owner_id": ""},
                                      base)
    assert (edited.id, edited.rev, edited.created_at) == (base.id, 4, base.created_at)
    assert edited.update_snoozed_until == snooze
    assert edited.name == "New" and edited.stage is None and edited.owner_id is None


def test_contact_form() -> None:
    contact = service.contact_from_form({"name": " Марина ", "role": "CMO",
                                         "influence": "decision_maker",
                                         "email": "m@example.ru"}, "client-1")
    assert (contact.client_id, contact.name, contact.influence) == (
        "client-1", "Марина", "decision_maker")
    with pytest.raises(ValidationError) as caught:
        service.contact_from_form({"name": "", "email": "nope"}, "client-1")
    assert caught.value.errors()[0]["loc"] == ("name",)
    with pytest.raises(ValidationError) as caught:
        service.contact_from_form({"name": "M", "email": "nope"}, "client-1")
    assert caught.value.errors()[0]["loc"] == ("email",)


# reading the store

@pytest.fixture
def client_with_history(workspace: Workspace, clock: StillClock) -> Client:
    """A client with a contact, a message, a task done later, a note, a deal and an edit;
    another client's changes are in the same audit."""
    member = workspace.repo(Member).add(Member(name="Анна"))
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»", owner_id=member.id,
                                               monthly_revenue=Decimal(90_000),
                                               cost_to_serve=Decimal(30_000)))
    other = workspace.repo(Client).add(Client(name="Other"))
    clock.advance(hours=1)
    workspace.repo(Contact).add(Contact(client_id=client.id, name="Марина", role="CMO",
                                        influence="champion"))
    clock.advance(hours=1)
    workspace.repo(Message).add(Message(client_id=client.id, text="Когда макет?",
                                        received_at=clock() - timedelta(minutes=30)))
    clock.advance(hours=1)
    task = workspace.repo(Task).add(Task(title="Макет", client_id=client.id,
                                         department="design"))
    clock.advance(hours=1)
    workspace.repo(Note).add(Note(title="Бриф", client_id=client.id, kind="brief"))
    clock.advance(hours=1)
    workspace.repo(Deal).add(Deal(client_id=client.id, title="SEO на год", status="won",
                                  amount=Money(amount=Decimal(120_000))))
    clock.advance(hours=1)
    task.done_at = clock()
    workspace.repo(Task).update(task)
    clock.advance(hours=1)
    edited = workspace.repo(Client).get(client.id)
    edited.industry = "retail"
    workspace.repo(Client).update(edited)
    other_edit = workspace.repo(Client).get(other.id)
    other_edit.industry = "other"
    workspace.repo(Client).update(other_edit)
    with open(workspace.root / "audit.jsonl", "ab") as audit:
        audit.write(b'{"at": "broken line, "id":"' + client.id.encode() + b'"\n')
    return client


def test_details_of_a_client(workspace: Workspace, client_with_history: Client) -> None:
    details = service.client_details(workspace, client_with_history.id)
    assert details.owner is not None and details.owner.name == "Анна"
    assert [contact.name for contact in details.contacts] == ["Марина"]
    assert details.ratio == Decimal(3)
    assert details.totals == {"won": {"RUB": Decimal(120_000)},
                              "all": {"RUB": Decimal(120_000)}}
    assert details.update.last_contact == START + timedelta(hours=1, minutes=30)
    assert details.update.due == details.update.last_contact + timedelta(days=7)


def test_the_timeline_is_newest_first_with_the_audits_changes(
        workspace: Workspace, client_with_history: Client) -> None:
    timeline = service.client_details(workspace, client_with_history.id).timeline
    assert [(entry.kind, entry.text) for entry in timeline] == [
        ("change", "ООО «Ромашка»"),  # the edit
        ("task_done", "Макет"),
        ("change", "Макет"),  # the same moment: the task's update in the audit
        ("deal", "SEO на год"),
        ("note", "Бриф"),
        ("task", "Макет"),
        ("message", "Когда макет?"),
        ("change", "Марина"),  # the contact was added
        ("change", "ООО «Ромашка»"),  # the client was added
    ]
    assert timeline[0].facts[:2] == ("update", "industry")
    assert timeline[0].table == "clients" and timeline[0].facts[2]  # the OS user
    assert timeline[-1].facts[:2] == ("add", "")
    assert all(entry.at.tzinfo is not None for entry in timeline)


def test_a_deals_history_line_says_what_happened_then_not_the_deal_now(
        workspace: Workspace, client_with_history: Client, clock: StillClock) -> None:
    def deal_line() -> service.TimelineEntry:
        timeline = service.client_details(workspace, client_with_history.id).timeline
        return next(entry for entry in timeline if entry.kind == "deal")

    before = deal_line()
    (deal,) = workspace.repo(Deal).where(client_id=client_with_history.id)
    clock.advance(hours=1)
    deal.status, deal.amount = "lost", Money(amount=Decimal(1))  # type: ignore[assignment]
    workspace.repo(Deal).update(deal)
    assert deal_line() == before
    change = service.client_details(workspace, client_with_history.id).timeline[0]
    assert (change.kind, change.text, change.facts[:2]) == (
        "change", "SEO на год", ("update", "amount, status"))


def test_the_timeline_says_values_and_fields_in_the_language_in_use(
        workspace: Workspace, client_with_history: Client, clock: StillClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.i18n import Domain
    from test_cli_help_words import PseudoCatalogue

    (deal,) = workspace.repo(Deal).where(client_id=client_with_history.id)
    deal.signed_on = START.date()
    clock.advance(hours=1)
    workspace.repo(Deal).update(deal)
    monkeypatch.setattr(Domain, "_catalogue", lambda self: PseudoCatalogue())
    timeline = service.client_details(workspace, client_with_history.id).timeline
    message = next(entry for entry in timeline if entry.kind == "message")
    assert message.facts == ("инсоминг", "яуестион", "е-маил")
    assert timeline[0].facts[1] == "сигнед он"


def test_a_deleted_record_still_shows_in_the_timeline(
        workspace: Workspace, client_with_history: Client, clock: StillClock) -> None:
    (task,) = workspace.repo(Task).where(client_id=client_with_history.id)
    clock.advance(hours=1)
    workspace.repo(Task).delete(task.id)
    timeline = service.client_details(workspace, client_with_history.id).timeline
    assert (timeline[0].kind, timeline[0].text, timeline[0].facts[0]) == (
        "change", "Макет", "delete")


def test_the_timeline_is_cut_at_its_limit(workspace: Workspace,
                                          client_with_history: Client) -> None:
    details = service.client_details(workspace, client_with_history.id, timeline_limit=3)
    assert len(details.timeline) == 3 and details.older == 6


def test_changes_undo(workspace: Workspace, clock: StillClock) -> None:
    new = service.add_client(workspace, Client(name="Новый"))
    (client,) = workspace.repo(Client).all()
    read_earlier = client.model_copy(update={"industry": "mine"})
    theirs = client.model_copy(update={"industry": "theirs"})
    workspace.repo(Client).update(theirs)
    with pytest.raises(ConflictError):
        service.save_client(workspace, read_earlier)
    overwrite = service.overwrite_client(workspace, read_earlier)
    assert workspace.repo(Client).get(client.id).industry == "mine"
    overwrite.revert()
    assert workspace.repo(Client).get(client.id).industry == "theirs"
    deleted = service.delete_client(workspace, client.id)
    assert workspace.repo(Client).all() == []
    assert [entry.title for entry in TrashBin(workspace).entries()] == ["Новый"]
    deleted.revert()
    assert workspace.repo(Client).get(client.id).industry == "theirs"
    assert "«Новый» created" in new.description
    new.revert()
    assert workspace.repo(Client).all() == []


def test_no_audit_yet_means_no_changes(workspace: Workspace) -> None:
    assert not (workspace.root / "audit.jsonl").exists()
    assert service.audit_changes(workspace, {"anything"}) == []


@pytest.mark.parametrize(("typed", "problem"), [
    ({"amount": "12 апельсинов"}, ("amount", "is not an amount")),
    ({"amount": ""}, ("amount", "type the deal's amount")),
    ({"amount": "-5"}, ("amount", "cannot be negative")),
    ({"amount": "10 000 000 000 000 000"}, ("amount", "is too large")),
    ({"amount": "1 000,5", "currency": "JPY"}, ("amount", "JPY has 0")),
    ({"currency": "рубли"}, ("currency", "three-letter currency code")),
    ({"title": "  "}, ("title", "type what the deal is for")),
    ({"signed_on": "2026-02-30"}, ("signed_on", "is not a date that exists")),
    ({"signed_on": "2026-11-20", "paid_on": "2026-11-01"}, ("paid_on", "before the deal")),
    ({"status": "won"}, ("signed_on", "the day a won deal was signed")),
])
def test_the_deal_form_names_the_field_that_is_wrong(typed: dict[str, str],
                                                     problem: tuple[str, str]) -> None:
    values = {"title": "SEO", "amount": "150 000", "currency": "RUB", "status": "negotiation",
              **typed}
    with pytest.raises(ValidationError) as raised:
        service.deal_from_form(values, "client")
    field, words = problem
    assert [(error["loc"][0], words in error["msg"]) for error in raised.value.errors()] == [
        (field, True)]


@pytest.mark.parametrize(("typed", "words"), [
    ({"title": "и" * 501}, "can be at most 500 characters long"),
    ({"status": "zzz"}, "'zzz' is not one of: 'proposal', 'negotiation', 'won', 'lost'"),
])
def test_the_deal_form_says_what_is_wrong_in_amtuis_own_words(typed: dict[str, str],
                                                               words: str) -> None:
    values = {"title": "SEO", "amount": "150 000", "currency": "RUB", **typed}
    with pytest.raises(ValidationError) as raised:
        service.deal_from_form(values, "client")
    (problem,) = raised.value.errors()
    assert problem["msg"] == f"Value error, {words}"  # not pydantic's "Input should be …"


def test_duplicates_of_names_the_clients_of_the_same_name(workspace: Workspace) -> None:
    clients = workspace.repo(Client)
    romashka = clients.add(Client(name="ООО «Ромашка»"))
    clients.add(Client(name="Ромашка Плюс"))
    assert service.duplicates_of(workspace, "ромашка") == [(romashka.id, "ООО «Ромашка»")]
    assert service.duplicates_of(workspace, "ИП Ромашка") == [(romashka.id, "ООО «Ромашка»")]
    assert service.duplicates_of(workspace, "Лютик") == []


def test_a_login_is_free_unless_another_member_has_it(workspace: Workspace) -> None:
    from amtui.services.members import LoginTaken, check_login_free

    olga = workspace.repo(Member).add(Member(name="Ольга Лебедева", login="olga"))
    workspace.repo(Member).add(Member(name="Без логина"))
    with pytest.raises(LoginTaken) as taken:
        check_login_free(workspace, " OLGA ")
    assert (taken.value.member_id, taken.value.name) == (olga.id, "Ольга Лебедева")
    assert str(taken.value) == (f"'olga' is the login of 'Ольга Лебедева' ({olga.id}) already; "
                                "each member has their own")
    check_login_free(workspace, "olga", member_id=olga.id)  # her own, when she is edited
    check_login_free(workspace, "boris")
    check_login_free(workspace, "")  # members without a login are not twins


def test_the_deal_form_reads_money_as_people_type_it() -> None:
    deal = service.deal_from_form({"title": " SEO ", "amount": "1 200 000,50",
                                   "currency": "usd", "status": "won",
                                   "signed_on": "2026-11-20"}, "client")
    assert (deal.title, deal.amount.amount, deal.amount.currency) == (
        "SEO", Decimal("1200000.50"), "USD")
    assert service.deal_form_values(deal, "RUB")["amount"] == "1,200,000.50"  # en_US
