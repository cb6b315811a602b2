"""The Bonus pane, driven by the keys a user presses: the statement line by line, months and
members, editing a plan (and a bad one refused), a what-if that stores nothing, locking,
logging hours, privacy, hostile text; snapshots at 80×24 and 120×40."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TextArea

from amtui.api import Client, Deal, Member, Money, Role, os_user
from amtui.storage import Workspace
from amtui.testing import load_plugin, settle
from amtui.ui.app import AmtuiApp
from amtui.ui.forms import FormScreen
from conftest import snapshot_files
from test_bonus_calculator import (
    GOOD_PLAN,
    bonus,
    facts_module,
    member_id,
    records,
    store,
    team,
)
from test_plugin_catalogues import russian, screen_text
from test_ui_snapshots import (
    ENGLISH_UI_WORDS,
    SNAPSHOTS,
    steady_screenshot,
    utc_local_time,
    what_it_shows,
)

__all__ = ["russian", "team", "utc_local_time"]  # fixtures used here

D = Decimal
HOSTILE = "[@click=app.quit]x[/] \x1b[31mred"


@pytest.fixture
def anna_paid(team: Workspace) -> Workspace:
    """Anna (head, at this keyboard) on the KAM plan, with a deal won in November, an open
    one, and an evening of overtime."""
    store.save_plan(team, GOOD_PLAN)
    romashka = team.repo(Client).resolve("ООО «Ромашка»").id
    anna = member_id(team, "Анна Смирнова")
    team.repo(Deal).add_many([
        Deal(client_id=romashka, title="SEO на год", amount=Money(amount=D(600_000)),
             status="won", signed_on=date(2026, 11, 3), owner_id=anna),
        Deal(client_id=romashka, title="Контекст", amount=Money(amount=D(200_000)),
             status="negotiation", owner_id=anna),
    ])
    team.repo(records.TimeEntry).add(records.TimeEntry(
        member_id=anna, day=date(2026, 11, 14), start="11:00", end="14:00",
        client_id=romashka, note="запуск"))
    return team


@asynccontextmanager
async def bonus_pane(workspace: Workspace, size: tuple[int, int] = (80, 24)
                     ) -> AsyncIterator[Pilot[None]]:
    host = load_plugin(bonus, workspace, "bonus_calculator")
    app = AmtuiApp(workspace, pane="bonus", plugins=host)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


def text_of(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def rows(pilot: Pilot[None], selector: str = "#bonus-lines") -> list[list[str]]:
    table = pilot.app.screen.query_one(selector, DataTable)
    return [[str(getattr(value, "plain", value)).strip() for value in table.get_row_at(index)]
            for index in range(table.row_count)]


async def test_the_statement_line_by_line(anna_paid: Workspace) -> None:
    async with bonus_pane(anna_paid) as pilot:
        assert text_of(pilot, "#bonus-title") == \
            "November 2026 · open · Анна Смирнова, head · «KAM plan» from 9/1/26"
        assert [row[0] for row in rows(pilot)] == [
            "Base salary", "«SEO на год» · ООО «Ромашка»", "Accelerator: quota November 2026",
            "KPI: complaints", "Overtime 14 Nov 11:00–14:00 · ООО «Ромашка»"]
        assert [row[3] for row in rows(pilot)] == [
            "80,000.00", "65,000.00", "0.00", "3,000.00", "2,142.86"]
        assert text_of(pilot, "#bonus-total").startswith("Total RUB\u00a0150,142.86 · B2B regions")
        assert text_of(pilot, "#bonus-detail").startswith("Base salary: the plan «KAM plan»")
        await pilot.press("down")
        assert "12% of 500,000 (0–500,000) = 60,000; 5% of 100,000" in \
            text_of(pilot, "#bonus-detail")
        assert "billable overtime: ООО «Ромашка» 3 h × 1.5 = 4.5 h" in text_of(pilot,
                                                                            "#bonus-notes")


async def test_enter_explains_a_line_whole(anna_paid: Workspace) -> None:
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press("down", "enter")
        await settle(pilot)
        assert text_of(pilot, "#line-text") == (
            "«SEO на год» · ООО «Ромашка»\n\n"
            "What      commission\nBasis     600,000 RUB\nRate      12% + 5%\n"
            "Amount    RUB\u00a065,000.00\n\n"
            "signed on 2026-11-03; marginal: 12% of 500,000 (0–500,000) = 60,000; 5% of "
            "100,000 (above 500,000) = 5,000; together RUB\u00a065,000.00")
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen.__class__.__name__ == "BonusPane"


async def test_months_and_members(anna_paid: Workspace) -> None:
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert text_of(pilot, "#bonus-title").startswith("October 2026 · open · Анна")
        assert [row[0] for row in rows(pilot)] == ["Base salary", "KPI: complaints"]
        await pilot.press("m")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert text_of(pilot, "#bonus-title") == \
            "October 2026 · open · Игорь Волков, account manager · no plan"
        assert "no plan for Игорь Волков in 2026-10" in text_of(pilot, "#bonus-notes")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert text_of(pilot, "#bonus-title").startswith("December 2026 · ")
        await pilot.press("m", *"fyyf", "enter")  # «анна» typed in the English layout
        await settle(pilot)
        assert text_of(pilot, "#bonus-title").startswith("December 2026 · open · Анна")


async def press_until(pilot: Pilot[None], key: str, line_text: str) -> None:
    """Move the editor's cursor down to the line that starts with ``line_text``."""
    area = pilot.app.screen.query_one(TextArea)
    for _step in range(60):
        if area.document.get_line(area.cursor_location[0]).startswith(line_text):
            return
        await pilot.press(key)
    raise AssertionError(f"no line starting with {line_text!r}")


async def test_editing_a_plan_in_the_pane(anna_paid: Workspace) -> None:
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press("m", "down", "enter")  # Игорь, who has no plan
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        area = pilot.app.screen.query_one(TextArea)
        assert 'member = "igor"' in area.text and "valid_from = 2026-11-01" in area.text
        await pilot.press("f2")
        await settle(pilot)
        igor = member_id(anna_paid, "Игорь Волков")
        stored = facts_module.read_snapshot(anna_paid).plan_for(igor, facts_module.Period(
            2026, 11))
        assert stored is not None and stored.base_salary == D(60_000)
        assert "· «Игорь Волков 2026» fr" in text_of(pilot, "#bonus-title")

        await pilot.press("e")
        await settle(pilot)
        await press_until(pilot, "down", "base_salary")
        await pilot.press("end", *["backspace"] * 5, *"72500", "f2")
        await settle(pilot)
        stored = facts_module.read_snapshot(anna_paid).plan_for(igor, facts_module.Period(
            2026, 11))
        assert stored.base_salary == D(72_500) and stored.rev == 2
        assert rows(pilot)[0][3] == "72,500.00"


async def test_a_bad_plan_shows_what_is_wrong_and_saves_nothing(anna_paid: Workspace) -> None:
    async with bonus_pane(anna_paid) as pilot:
        before = snapshot_files(anna_paid.root)
        await pilot.press("e")
        await settle(pilot)
        await press_until(pilot, "down", "  { from = 0, to = 500000, rate = 12 }")
        await pilot.press("end", *["left"] * 5, "minus", "f2")
        await settle(pilot)
        assert pilot.app.screen.__class__.__name__ == "PlanEditor"  # still open
        assert "the rate cannot be negative (-12%)" in text_of(pilot, "#plan-error")
        assert "rate = -12 }" in pilot.app.screen.query_one(TextArea).text  # text kept
        assert snapshot_files(anna_paid.root) == before
        await pilot.press("escape")
        await settle(pilot)
        assert rows(pilot)[1][3] == "65,000.00"


async def test_what_if_compares_and_stores_nothing(anna_paid: Workspace) -> None:
    async with bonus_pane(anna_paid) as pilot:
        before = snapshot_files(anna_paid.root)
        await pilot.press("w")
        await settle(pilot)
        deals = pilot.app.screen.query_one("#whatif-deal", Select)
        assert deals.has_focus
        await pilot.press("enter", "down", "down", "enter")  # «Контекст», still open
        await settle(pilot)
        await pilot.press("tab", *"300000")
        await settle(pilot)
        # won this month at 300 000: 12% (tiers go by the deal's size) = 36 000;
        # 900 000 of the 1 000 000 quota is still the ×1 band
        assert text_of(pilot, "#whatif-total") == \
            "Total RUB\u00a0150,142.86 → RUB\u00a0186,142.86 (+RUB\u00a036,000.00)"
        changed = [row for row in rows(pilot, "#whatif-lines") if row[3]]
        assert changed == [["«Контекст» · ООО «Ромашка»", "0.00", "36,000.00", "+36,000.00"]]
        await pilot.press("tab", *"500000")  # quota 500 000: 180%, the top band ×1.2
        await settle(pilot)
        assert text_of(pilot, "#whatif-total") == \
            "Total RUB\u00a0150,142.86 → RUB\u00a0206,342.86 (+RUB\u00a056,200.00)"
        await pilot.press("f3")
        await settle(pilot)
        assert text_of(pilot, "#whatif-total").endswith("(no change)")
        await pilot.press("escape")
        await settle(pilot)
        assert snapshot_files(anna_paid.root) == before
        assert text_of(pilot, "#bonus-total").startswith("Total RUB\u00a0150,142.86")


async def test_what_if_says_what_is_wrong_with_a_value(anna_paid: Workspace) -> None:
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press("w")
        await settle(pilot)
        pilot.app.screen.query_one("#whatif-rate", Input).focus()
        await pilot.press(*"abc")
        await settle(pilot)
        assert "rate: «abc» is not an amount" in text_of(pilot, "#whatif-error")
        pilot.app.screen.query_one("#whatif-quota", Input).focus()
        await pilot.press("0")
        await settle(pilot)
        assert "the quota must be more than 0" in text_of(pilot, "#whatif-error")


async def test_locking_a_month_from_the_pane(anna_paid: Workspace) -> None:
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press("l")
        await settle(pilot)
        assert pilot.app.screen.__class__.__name__ == "BonusPane"  # November has not ended
        await pilot.press("left_square_bracket")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert "Lock 2026-10 of Анна Смирнова: RUB\u00a083,000.00?" in text_of(pilot,
                                                                          "#lock-question")
        await pilot.press("y")
        await settle(pilot)
        locked = anna_paid.repo(records.LockedStatement).all()
        assert [(item.period, item.total) for item in locked] == [("2026-10", D("83000.00"))]
        assert text_of(pilot, "#bonus-title").startswith("October 2026 · locked · ")
        assert "locked on 26 Nov 2026 by" in text_of(pilot, "#bonus-notes")


async def test_logging_hours_from_the_pane(anna_paid: Workspace) -> None:
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(pilot.app.screen, FormScreen)
        pilot.app.screen.query_one("#field-start", Input).value = "20:00"
        pilot.app.screen.query_one("#field-end", Input).value = "19:00"
        await pilot.press("f2")
        await settle(pilot)
        assert "ends (19:00) before it starts (20:00)" in text_of(pilot, "#form-error")
        pilot.app.screen.query_one("#field-end", Input).value = "22:30"
        pilot.app.screen.query_one("#field-client", Input).value = "ООО «Ромашка»"
        await pilot.press("f2")
        await settle(pilot)
        entries = sorted(anna_paid.repo(records.TimeEntry).all(), key=lambda item: item.day)
        assert [(str(item.day), str(item.start), str(item.end)) for item in entries] == [
            ("2026-11-14", "11:00:00", "14:00:00"), ("2026-11-26", "20:00:00", "22:30:00")]
        assert rows(pilot)[-1][0] == "Overtime 26 Nov 20:00–22:30 · ООО «Ромашка»"


async def test_a_member_sees_their_own_and_cannot_change_the_plan(anna_paid: Workspace) -> None:
    anna = anna_paid.repo(Member).resolve("Анна Смирнова")
    anna_paid.repo(Member).update(anna.model_copy(update={"role": Role.KAM}))
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press("m")
        await settle(pilot)
        options = pilot.app.screen.query_one("#choices")
        assert options.option_count == 1  # only herself
        await pilot.press("escape", "e")
        await settle(pilot)
        area = pilot.app.screen.query_one(TextArea)
        assert area.read_only
        before = snapshot_files(anna_paid.root)
        await pilot.press("f2")
        await settle(pilot)
        assert text_of(pilot, "#plan-error") == "Only the head changes plans."
        assert snapshot_files(anna_paid.root) == before


async def test_someone_not_in_the_team_is_told_why_they_see_nothing(
        anna_paid: Workspace) -> None:
    anna = anna_paid.repo(Member).resolve("Анна Смирнова")
    anna_paid.repo(Member).update(anna.model_copy(update={"login": "someone-else"}))
    async with bonus_pane(anna_paid) as pilot:
        assert rows(pilot) == []
        assert f"you ({os_user()}) are not a member of this workspace" in \
            text_of(pilot, "#bonus-detail")


async def test_hostile_text_is_shown_as_it_is(anna_paid: Workspace) -> None:
    romashka = anna_paid.repo(Client).resolve("ООО «Ромашка»")
    anna_paid.repo(Client).update(romashka.model_copy(update={"name": HOSTILE}))
    async with bonus_pane(anna_paid, size=(160, 30)) as pilot:
        assert rows(pilot)[1][0] == "«SEO на год» · [@click=app.quit]x[/] \\x1b[31mred"
        assert pilot.app.is_running


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda size: f"{size[0]}x{size[1]}")
async def test_bonus_snapshot(anna_paid: Workspace, size: tuple[int, int]) -> None:
    async with bonus_pane(anna_paid, size) as pilot:
        svg = await steady_screenshot(pilot, "amtui bonus")
    picture = SNAPSHOTS / f"bonus-{size[0]}x{size[1]}.svg"
    if os.environ.get("AMTUI_UPDATE_SNAPSHOTS"):
        picture.write_text(svg, encoding="utf-8")
    assert picture.exists(), f"no snapshot {picture.name}: make it with AMTUI_UPDATE_SNAPSHOTS=1"
    assert what_it_shows(svg) == what_it_shows(picture.read_text(encoding="utf-8")), (
        f"the Bonus pane at {size[0]}x{size[1]} looks different from {picture.name}")


async def test_exporting_the_statement(anna_paid: Workspace, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press("x", "X")
        await settle(pilot)
    markdown = tmp_path / f"bonus-{os_user()}-2026-11.md"
    table = tmp_path / f"bonus-{os_user()}-2026-11.csv"
    assert "**Total: RUB\u00a0150,142.86**" in markdown.read_text(encoding="utf-8")
    assert table.read_text(encoding="utf-8").splitlines()[-1].endswith(",150142.86,RUB,,")
    assert markdown.stat().st_mode & 0o777 == 0o600  # pay is nobody else's business


# in Russian ------------------------------------------------------------------------------

async def test_the_statement_in_russian(anna_paid: Workspace, russian: None) -> None:
    async with bonus_pane(anna_paid) as pilot:
        assert text_of(pilot, "#bonus-title") == \
            "ноябрь 2026 · открыт · Анна Смирнова, руководитель · «KAM plan» с 01.09.2026"
        assert [row[0] for row in rows(pilot)] == [
            "Оклад", "«SEO на год» · ООО «Ромашка»", "Ускоритель: план продаж ноябрь 2026",
            "KPI: жалобы", "Переработка 14 нояб. 11:00–14:00 · ООО «Ромашка»"]
        assert text_of(pilot, "#bonus-total").startswith("Итого ")  # (money: its own tests)
        assert text_of(pilot, "#bonus-detail").startswith("Оклад: план «KAM plan» платит")
        screen = screen_text(pilot)
        assert "Премия" in screen.splitlines()[1]  # the pane bar
        for words in ("Что", "База", "Ставка", "Сумма"):
            assert words in screen.splitlines()[3]  # the columns' headings
        for words in ("Раньше", "Позже", "Сотрудник", "Что если", "План"):
            assert words in screen.splitlines()[-1]  # the key bar (the rest are in help)
        await pilot.press("down")
        detail = text_of(pilot, "#bonus-detail")
        assert detail.startswith("«SEO на год» · ООО «Ромашка»: ") and "12% от " in detail
        assert "переработка к выставлению: ООО «Ромашка»" in text_of(pilot, "#bonus-notes")


BONUS_ENGLISH_WORDS = ENGLISH_UI_WORDS | {
    "Bonus", "Salary", "Total", "open", "locked", "Overtime", "Accelerator", "sales", "regions",
    "complaints", "Lock", "Period", "h", "Mon", "Tue", "Wed", "Thu", "Fri", "Oct", "Nov", "Dec"}
"""Words of the bonus pane's English interface (and of English dates), none of them in its data
(the plan is called «KAM plan» there)."""


@pytest.mark.parametrize("keys", [(), ("enter",), ("w",), ("m",)],
                         ids=["statement", "line", "what-if", "member"])
async def test_the_bonus_pane_shows_no_english_word_in_russian(
        anna_paid: Workspace, russian: None, keys: tuple[str, ...]) -> None:
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press(*keys)
        await settle(pilot)
        screen = screen_text(pilot)
    assert not BONUS_ENGLISH_WORDS & set(re.findall(r"[A-Za-z]+", screen)), screen
