"""Days as people type them (one reader for the app, the CLI and plugins), and days, times and
lengths of time as they read them, in English and in Russian."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from amtui import i18n
from amtui.dates import (
    DAY_MONTH_YEAR,
    MONTH_YEAR,
    TIME,
    WEEKDAY,
    BadDate,
    duration,
    format_day,
    format_moment,
    parse_date,
    weekday_names,
    zone_city,
)

THURSDAY = date(2026, 11, 26)
NEW_YEARS_EVE = date(2026, 12, 31)
EARLY_JANUARY = date(2027, 1, 5)
LEAP_WINTER = date(2027, 12, 1)


@pytest.fixture(params=["en_US", "ru_RU"])
def locale(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test in both locales: what is typed is read the same whatever the screens speak."""
    before = i18n.current_locale()
    i18n.use_locale(request.param)
    yield request.param
    i18n.use_locale(before)


@pytest.fixture
def russian() -> Iterator[None]:
    before = i18n.current_locale()
    i18n.use_locale("ru_RU")
    yield
    i18n.use_locale(before)


@pytest.mark.parametrize(("typed", "today", "day"), [
    ("2026-12-10", THURSDAY, date(2026, 12, 10)),
    ("10.12.2026", THURSDAY, date(2026, 12, 10)),
    (" 10.12.26 ", THURSDAY, date(2026, 12, 10)),
    ("1.2.2027", THURSDAY, date(2027, 2, 1)),
    ("10.12", THURSDAY, date(2026, 12, 10)),
    ("01.11", THURSDAY, date(2026, 11, 1)),  # this year's, in the past: the nearer one
    ("05.01", NEW_YEARS_EVE, date(2027, 1, 5)),  # over the year's end, forward
    ("20.12", EARLY_JANUARY, date(2026, 12, 20)),  # and back
    ("29.02", LEAP_WINTER, date(2028, 2, 29)),  # the nearest 29 February there is
    ("29.02.2028", THURSDAY, date(2028, 2, 29)),
    ("today", THURSDAY, THURSDAY),
    ("Сегодня", THURSDAY, THURSDAY),
    ("tomorrow", THURSDAY, date(2026, 11, 27)),
    ("завтра", THURSDAY, date(2026, 11, 27)),
    ("послезавтра", THURSDAY, date(2026, 11, 28)),
    ("вчера", THURSDAY, date(2026, 11, 25)),
    ("завтра", NEW_YEARS_EVE, date(2027, 1, 1)),
    ("fri", THURSDAY, date(2026, 11, 27)),
    ("Friday", THURSDAY, date(2026, 11, 27)),
    ("пт", THURSDAY, date(2026, 11, 27)),
    ("пятницу", THURSDAY, date(2026, 11, 27)),
    ("thu", THURSDAY, date(2026, 12, 3)),  # today is Thursday: the next one
    ("чт", THURSDAY, date(2026, 12, 3)),
    ("пн", THURSDAY, date(2026, 11, 30)),
    ("понедельник", THURSDAY, date(2026, 11, 30)),
    ("вс", NEW_YEARS_EVE, date(2027, 1, 3)),
    ("+3d", THURSDAY, date(2026, 11, 29)),
    ("+ 3 д", THURSDAY, date(2026, 11, 29)),
    ("+2w", THURSDAY, date(2026, 12, 10)),
    ("+1m", THURSDAY, date(2026, 12, 26)),
    ("+1m", date(2027, 1, 31), date(2027, 2, 28)),
    ("+1м", date(2028, 1, 31), date(2028, 2, 29)),
    ("-7d", THURSDAY, date(2026, 11, 19)),
    ("+5d", date(2026, 12, 29), date(2027, 1, 3)),
])
def test_a_typed_day_is_read_in_every_form_whatever_the_language(
        locale: str, typed: str, today: date, day: date) -> None:
    assert parse_date(typed, today) == day


def test_slashes_follow_the_locales_order() -> None:
    before = i18n.current_locale()
    try:
        i18n.use_locale("en_US")
        assert parse_date("12/10/2026", THURSDAY) == date(2026, 12, 10)
        i18n.use_locale("en_GB")
        assert parse_date("12/10/2026", THURSDAY) == date(2026, 10, 12)
    finally:
        i18n.use_locale(before)


@pytest.mark.parametrize(("typed", "english", "russian"), [
    ("next week", "'next week' is not a date: type e.g. 10.12.2026",
     "'next week' — не дата: введите, например, 10.12.2026"),
    ("10/12/2026/1", "is not a date", "не дата"),
    ("32.01.2027", "32.01.2027 is not a date that exists", "даты 32.01.2027 не существует"),
    ("2026-02-29", "2026-02-29 is not a date that exists", "даты 2026-02-29 не существует"),
    ("29.02.2026", "29.02.2026 is not a date that exists", "даты 29.02.2026 не существует"),
    # no 29 February in 2025, 2026 or 2027
    ("29.02", "29.02 is not a date that exists", "даты 29.02 не существует"),
    ("31.04", "31.04 is not a date that exists", "даты 31.04 не существует"),
    ("+3", "is not a date", "не дата"),
    ("+3y", "is not a date", "не дата"),
    ("  ", "type a date", "введите дату"),
    ("+9999m", "out of range", "вне диапазона"),
    ("01.01.1800", "out of range", "вне диапазона"),
])
def test_what_is_not_a_day_is_refused_saying_what_to_type(
        locale: str, typed: str, english: str, russian: str) -> None:
    """Said in the interface's language."""
    words = english if locale == "en_US" else russian
    with pytest.raises(BadDate, match=words.replace("(", r"\(").replace(".", r"\.")):
        parse_date(typed, THURSDAY)


def test_without_a_today_the_clock_says_which_day_it_is(clock: object) -> None:
    assert parse_date("завтра") == date(2026, 11, 27)  # the test clock: 26 November 2026


def test_names_of_days_and_months_are_the_locales(locale: str) -> None:
    english = locale == "en_US"
    assert format_day(THURSDAY, MONTH_YEAR) == ("November 2026" if english else "ноябрь 2026")
    assert format_day(THURSDAY, DAY_MONTH_YEAR) == (
        "26 Nov 2026" if english else "26 нояб. 2026")
    assert weekday_names()[:2] == (("Mon", "Tue") if english else ("пн", "вт"))
    moment = datetime(2026, 11, 26, 9, 5, tzinfo=UTC)
    assert format_moment(moment, f"{WEEKDAY} {TIME}") == ("Thu 09:05" if english else "чт 09:05")
    assert zone_city("Asia/Yekaterinburg") == ("Yekaterinburg" if english else "Екатеринбург")


@pytest.mark.parametrize(("delta", "said", "compact"), [
    (timedelta(seconds=20), "1 min", "0h00"),
    (timedelta(minutes=45), "45 min", "0h45"),
    (timedelta(hours=2, minutes=5), "2 h", "2h05"),
    (timedelta(hours=47, minutes=59), "47 h", "47h59"),
    (timedelta(days=2), "2 d", "2d"),
    (timedelta(days=-5, hours=-3), "5 d", "5d"),
])
def test_a_length_of_time_in_the_unit_that_reads_well(
        delta: timedelta, said: str, compact: str) -> None:
    assert duration(delta) == said
    assert duration(delta, compact=True) == compact


@pytest.fixture
def russian_days(tmp_path: Path, russian: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Russian catalogue with the plural forms of "{count} d", as a translator writes it."""
    catalogue = Catalog(locale="ru")
    catalogue.add(("{count} d", "{count} d"), ("{count} день", "{count} дня", "{count} дней"))
    catalogue.add("{count} h", "{count} ч")
    catalogue.add("{count} min", "{count} мин")
    path = tmp_path / "amtui.mo"
    with path.open("wb") as file:
        write_mo(file, catalogue)
    with path.open("rb") as file:
        translations = gettext.GNUTranslations(file)
    monkeypatch.setitem(i18n._catalogues, (i18n._LOCALE_DIR, "amtui", "ru"), translations)


@pytest.mark.parametrize(("days", "said"), [
    (2, "2 дня"), (4, "4 дня"), (5, "5 дней"), (11, "11 дней"), (21, "21 день"), (22, "22 дня"),
    (25, "25 дней"),
])
def test_days_take_the_russian_plural_forms(russian_days: None, days: int, said: str) -> None:
    assert duration(timedelta(days=days, hours=5)) == said
    assert duration(timedelta(hours=3)) == "3 ч"
    assert duration(timedelta(minutes=45)) == "45 мин"
