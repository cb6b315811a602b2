"""Working days: public holidays of the workspace's country and its own days off count for
answer-by times, update cadences and content-plan slots; one parser of days of the week."""

from __future__ import annotations

import sys
import types
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from amtui import api
from amtui.i18n import current_locale, use_locale
from amtui.models import Client, Message
from amtui.services import clients as client_service, undo
from amtui.services.agenda import build_agenda
from amtui.services.hours import WorkingDays, parse_weekdays
from amtui.services.inbox import new_message
from amtui.storage import StorageError, Workspace
from amtui.storage.workspace import read_settings
from amtui.testing import StillClock
from conftest import run_cli

MOSCOW_TUESDAY_18 = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)
"""Tuesday 3 November 2026, 18:00 in Moscow: the day before Unity Day (4 November)."""


def with_settings(workspace: Workspace, **settings: object) -> Workspace:
    workspace.settings = workspace.settings.model_copy(update=settings)
    return workspace


def test_answer_by_skips_a_public_holiday(workspace: Workspace, clock: StillClock) -> None:
    clock.now = MOSCOW_TUESDAY_18
    client = workspace.repo(Client).add(Client(name="Ромашка"))  # 10:00-19:00 Mon-Fri, Moscow
    message = new_message(workspace, client_id=client.id, text="Where is the report?")
    # 4 working hours: one on Tuesday, three on Thursday (Wednesday 4 November is Unity Day)
    assert message.answer_by == datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


def test_answer_by_in_another_country_or_none(workspace: Workspace, clock: StillClock) -> None:
    clock.now = MOSCOW_TUESDAY_18
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    with_settings(workspace, country="DE")
    message = new_message(workspace, client_id=client.id, text="Where is the report?")
    assert message.answer_by == datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


def test_answer_by_skips_the_workspace_days_off(workspace: Workspace, clock: StillClock) -> None:
    clock.now = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thursday, 18:00 in Moscow
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    with_settings(workspace, days_off=[date(2026, 11, 27)])
    message = new_message(workspace, client_id=client.id, text="Where is the report?")
    assert message.answer_by == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday


def test_the_cli_answer_by_skips_the_workspace_days_off(workspace: Workspace,
                                                       clock: StillClock) -> None:
    clock.now = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thursday, 18:00 in Moscow
    workspace.repo(Client).add(Client(name="Ромашка"))
    settings = workspace.root / "workspace.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "days_off = [2026-11-27]\n",
                        encoding="utf-8")
    added = run_cli("add", "message", "--client", "Ромашка", "Где отчёт?",
                    workspace=workspace.root)
    assert added.returncode == 0, added.stderr
    [message] = Workspace.open(workspace.root).repo(Message).all()
    assert message.answer_by == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday 13:00


def test_a_moved_working_saturday_and_the_workspace_working_days() -> None:
    russia = WorkingDays("RU")
    weekdays = [0, 1, 2, 3, 4]
    assert russia.works(date(2025, 11, 1), weekdays)  # Saturday worked for 3 November
    assert not russia.works(date(2025, 11, 3), weekdays)
    assert not russia.works(date(2026, 12, 31), weekdays)  # moved from 4 January
    assert not russia.works(date(2026, 1, 1), weekdays)
    own = WorkingDays("RU", working_days=frozenset({date(2026, 1, 8)}))
    assert own.works(date(2026, 1, 8), weekdays) and not own.holiday(date(2026, 1, 8))


def test_an_update_due_on_a_holiday_is_due_on_the_next_working_day(
        workspace: Workspace, clock: StillClock) -> None:
    clients = workspace.repo(Client)
    client = clients.add(Client(name="Ромашка", cadence="weekly"))
    last = datetime(2026, 10, 28, 9, 0, tzinfo=UTC)  # a Wednesday: due Wednesday 4 November
    undo.add(workspace, Message(client_id=client.id, text="our update", direction="outgoing",
                                status="done", kind="update", received_at=last), "sent")

    def due_on_today() -> bool:
        (updates,) = [s for s in build_agenda(workspace) if s.key == "updates_due"]
        return [item.title for item in updates.items] == ["Ромашка"]

    clock.now = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)
    assert not due_on_today()
    details = client_service.client_details(workspace, client.id)
    assert details.update.due == datetime(2026, 11, 5, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    assert not details.update.overdue
    clock.now = datetime(2026, 11, 5, 7, 0, tzinfo=UTC)
    assert due_on_today()
    assert client_service.client_details(workspace, client.id).update.overdue


@pytest.mark.parametrize(("typed", "days"), [
    ("Mon-Fri", [0, 1, 2, 3, 4]), ("пн–пт", [0, 1, 2, 3, 4]), ("Пн-Пт", [0, 1, 2, 3, 4]),
    ("mon, wed, fri", [0, 2, 4]), ("Mon/Wed/Fri", [0, 2, 4]), ("пн ср пт", [0, 2, 4]),
    ("понедельник, среда", [0, 2]), ("Monday Tuesday", [0, 1]), ("сб-пн", [0, 5, 6]),
    ("Sat—Sun", [5, 6]), ("вт;чт", [1, 3]), ("", []),
])
def test_one_parser_of_days_in_english_and_russian(typed: str, days: list[int]) -> None:
    assert parse_weekdays(typed) == days
    assert api.parse_weekdays is parse_weekdays
    assert client_service.parse_hours(f"10:00-19:00 {typed}").weekdays == (days or
                                                                           [0, 1, 2, 3, 4])


@pytest.mark.parametrize("typed", ["funday", "m", "пн-xx", "понедельники"])
def test_a_word_that_is_not_a_day_is_named(typed: str) -> None:
    with pytest.raises(ValueError, match="unknown day «"):
        parse_weekdays(typed)


@pytest.mark.parametrize(("toml", "says"), [
    ('days_off = ["31.12.2026"]', "days off: '31.12.2026' is not a day: write it as 2026-12-31"),
    ("days_off = [20261231]", "'20261231' is not a day"),
    ('working_days = ["2026-02-30"]', "'2026-02-30' is not a day"),
    ('days_off = [2026-12-31]\nworking_days = ["2026-12-31"]',
     "days_off and working_days both name 2026-12-31"),
    ('country = "Russia"', "'Russia' is not a two-letter country code such as RU"),
])
def test_bad_days_off_are_refused_clearly(tmp_path: Path, toml: str, says: str) -> None:
    path = tmp_path / "workspace.toml"
    path.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(StorageError, match=says):
        read_settings(path)


def test_days_off_read_from_workspace_toml(tmp_path: Path) -> None:
    path = tmp_path / "workspace.toml"
    path.write_text('country = "ru"\ndays_off = [2026-12-30, "2026-12-29"]\n', encoding="utf-8")
    settings = read_settings(path)
    assert (settings.country, settings.days_off) == ("RU", [date(2026, 12, 30),
                                                            date(2026, 12, 29)])
    assert WorkingDays.of(settings).holiday(date(2026, 12, 29))
    assert WorkingDays().holiday(date(2026, 1, 1)) is False


@pytest.mark.parametrize(("name", "shown"), [
    ("ru_RU", "10:00-19:00 пн-пт"), ("en_US", "10:00-19:00 Mon-Fri"),
])
def test_working_hours_are_shown_in_the_interface_language(name: str, shown: str) -> None:
    before = current_locale()
    use_locale(name)
    try:
        hours = client_service.parse_hours("10:00-19:00 Mon-Fri")
        assert client_service.format_hours(hours) == shown
        assert client_service.parse_hours(shown) == hours
        assert api.describe_weekdays([0, 2, 4]).count(",") == 2
    finally:
        use_locale(before)


def test_a_countrys_year_is_computed_once_and_kept_for_the_next_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The holidays package costs a few hundred ms to import and compute a year: the next
    process reads the kept calendar instead, and never imports it."""
    from amtui.services import hours

    hours._public_calendar.cache_clear()
    computed = hours._public_calendar("RU", 2027)
    assert date(2027, 1, 1) in computed[0]
    hours._public_calendar.cache_clear()
    # the package as found, but with nothing in it: computing a year now would fail
    empty = types.SimpleNamespace(__spec__=sys.modules["holidays"].__spec__)
    monkeypatch.setitem(sys.modules, "holidays", empty)
    assert hours._public_calendar("RU", 2027) == computed
    hours._public_calendar.cache_clear()
