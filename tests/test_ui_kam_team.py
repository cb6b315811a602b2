"""The Team pane (plugins/kam_team) driven from the keyboard with Textual's Pilot: the load and
a member's accounts, reassigning, sorting, marking key accounts, the checklist form, moving a
stage, the KPIs with their chart, the account screen; and snapshots at 80×24 and 120×40.

Snapshots: ``AMTUI_UPDATE_SNAPSHOTS=1 pytest tests/test_ui_kam_team.py`` rewrites them; look
at the changed SVGs before committing them.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from amtui.models import Client, Contact, Deal, Member, Money
from amtui.plugins.host import PluginHost
from amtui.storage import Workspace
from amtui.testing import StillClock, load_plugin, settle
from amtui.ui.app import AmtuiApp
from conftest import snapshot_files
from test_kam_team import NAME, actions, models, snapshot, team_plugin
from test_plugin_catalogues import russian, screen_text
from test_ui_snapshots import (
    ENGLISH_UI_WORDS,
    SNAPSHOTS,
    steady_screenshot,
    utc_local_time,
    what_it_shows,
)

__all__ = ["russian", "utc_local_time"]  # fixtures used here (local times shown as UTC)

plugin = team_plugin()
MARKUP_NAME = "[bold]Кедр[/bold] & Co"


@pytest.fixture
def host(workspace: Workspace) -> PluginHost:
    return load_plugin(plugin, workspace, NAME)


@pytest.fixture
def agency(workspace: Workspace, host: PluginHost, clock: StillClock) -> dict[str, Any]:
    """Three members; a key account at the functional stage, two others, and one whose name
    looks like markup; a year of history."""
    members = workspace.repo(Member)
    anna = members.add(Member(name="Анна Смирнова", role="head"))
    igor = members.add(Member(name="Игорь Волков", role="kam"))
    sergey = members.add(Member(name="Sergey Orlov", role="assistant"))
    created = datetime(2025, 11, 1, 9, tzinfo=UTC)
    stamps = {"created_at": created, "updated_at": created}
    clients = {client.name: client for client in workspace.repo(Client).add_many([
        Client(name="ООО «Ромашка»", owner_id=anna.id, monthly_revenue=250_000,
               cost_to_serve=80_000, key_account=True, stage="functional", **stamps),
        Client(name="Atlas Fitness", owner_id=anna.id, monthly_revenue=40_000,
               cost_to_serve=20_000, **stamps),
        Client(name=MARKUP_NAME, owner_id=anna.id, monthly_revenue=90_000,
               cost_to_serve=30_000, **stamps),
        Client(name="Байкал Ltd", owner_id=igor.id, monthly_revenue=15_000, status="active",
               **stamps),
    ], keep_timestamps=True)}
    romashka = clients["ООО «Ромашка»"]
    workspace.repo(Contact).add_many([
        Contact(client_id=romashka.id, name="Марина Кузнецова", role="CMO",
                influence="decision_maker"),
        Contact(client_id=romashka.id, name="Олег Петров", role="маркетолог",
                influence="champion")])
    workspace.repo(Deal).add(Deal(client_id=romashka.id, title="SEO на год",
                                  amount=Money(amount=1_200_000), status="won",
                                  signed_on=date(2026, 10, 1)))
    snapshot.read_team(workspace)
    actions.set_team(workspace, romashka.id, None, sergey.id, [])
    actions.set_purpose(workspace, romashka.id, models.Purpose.GROWTH)
    actions.score(workspace, romashka.id, dict.fromkeys(models.Criterion, 4))
    surveys = workspace.repo(models.Survey)
    for back, score in ((70, 5), (40, 4), (10, 3)):
        surveys.add(models.Survey(client_id=romashka.id, on=date(2026, 11, 26) -
                                  timedelta(days=back), score=score))
    return {"anna": anna, "igor": igor, "sergey": sergey, "clients": clients}


@asynccontextmanager
async def team_app(workspace: Workspace, host: PluginHost,
                   size: tuple[int, int] = (80, 24)) -> AsyncIterator[Pilot[None]]:
    app = AmtuiApp(workspace, pane="team", plugins=host)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await settle(pilot)  # the key accounts and the KPIs are computed after the load
        yield pilot


def plain_rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(getattr(value, "plain", value)) for value in table.get_row_at(row)]
            for row in range(table.row_count)]


def help_line(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#team-help", Static).render())


def client(workspace: Workspace, agency: dict[str, Any], name: str) -> Any:
    return workspace.repo(Client).get(agency["clients"][name].id)


# The team and its load ------------------------------------------------------------------------

async def test_the_team_opens_with_each_members_load(workspace: Workspace, host: PluginHost,
                                                      agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        rows = plain_rows(pilot.app.screen.query_one("#load-table", DataTable))
        assert [row[:5] for row in rows] == [
            ["Анна Смирнова", "head", "3", "1", "380,000"],
            ["Игорь Волков", "KAM", "1", "0", "15,000"],
            ["Sergey Orlov", "asst", "0", "0", "0"]]
        assert help_line(pilot).startswith("Member: The person on our side")
        await pilot.press("right", "right", "right", "right")
        assert help_line(pilot).startswith("Revenue: Recurring revenue per month")


async def test_s_sorts_by_the_column_under_the_cursor(workspace: Workspace, host: PluginHost,
                                                       agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        table = pilot.app.screen.query_one("#load-table", DataTable)
        await pilot.press("right", "right", "right", "right", "s")
        assert [row[0] for row in plain_rows(table)] == [
            "Анна Смирнова", "Игорь Волков", "Sergey Orlov"]  # highest revenue first
        await pilot.press("s")
        assert [row[0] for row in plain_rows(table)] == [
            "Sergey Orlov", "Игорь Волков", "Анна Смирнова"]


async def test_reassigning_the_marked_accounts_from_the_keyboard(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("enter")  # Анна's accounts, key ones first
        accounts = pilot.app.screen.query_one("#load-table", DataTable)
        assert [row[1] for row in plain_rows(accounts)] == [
            "★ ООО «Ромашка»", MARKUP_NAME, "Atlas Fitness"]
        await pilot.press("space")  # marks Ромашка, the cursor goes down
        await pilot.press("down", "space")  # marks Atlas
        assert [row[0] for row in plain_rows(accounts)] == ["✓", "", "✓"]
        await pilot.press("R")
        await settle(pilot)
        assert "Reassign 2 accounts to…" in str(pilot.app.screen.query_one(
            "#pick-title", Static).render())
        await pilot.press("enter")  # Игорь Волков, the first offered
        await settle(pilot)
        igor = agency["igor"].id
        assert client(workspace, agency, "ООО «Ромашка»").owner_id == igor
        assert client(workspace, agency, "Atlas Fitness").owner_id == igor
        assert client(workspace, agency, MARKUP_NAME).owner_id == agency["anna"].id
        assert [row[1] for row in plain_rows(accounts)] == [MARKUP_NAME]
        await pilot.press("u")
        await settle(pilot)
        assert client(workspace, agency, "Atlas Fitness").owner_id == agency["anna"].id
        await pilot.press("escape")
        table = pilot.app.screen.query_one("#load-table", DataTable)
        assert plain_rows(table)[0][0] == "Анна Смирнова"  # the team again
        assert table.cursor_row == 0 and table.cursor_column == 0  # where the cursor was


async def test_typing_part_of_a_name_narrows_the_members_offered(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("enter", "space", "R")  # Ромашка, from Анна …
        await settle(pilot)
        await pilot.press(*"orlv")  # … to Sergey Orlov, typed with a letter missing
        offered = pilot.app.screen.query_one("#choices", OptionList)
        assert [str(offered.get_option_at_index(index).prompt).split("  ")[0]
                for index in range(offered.option_count)] == ["Sergey Orlov"]
        await pilot.press("enter")
        await settle(pilot)
        assert client(workspace, agency, "ООО «Ромашка»").owner_id == agency["sergey"].id


async def test_leaving_the_member_picker_reassigns_nothing(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        before = snapshot_files(workspace.root)
        await pilot.press("R")  # all of Анна's accounts …
        await settle(pilot)
        await pilot.press("escape")  # … or not
        await settle(pilot)
        assert snapshot_files(workspace.root) == before


# Key accounts ------------------------------------------------------------------------------

async def test_k_marks_an_account_key_in_one_press(workspace: Workspace, host: PluginHost,
                                                    agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("a")
        table = pilot.app.screen.query_one("#accounts-table", DataTable)
        rows = plain_rows(table)
        assert [row[1] for row in rows] == ["★ ООО «Ромашка»", MARKUP_NAME, "Atlas Fitness",
                                            "Байкал Ltd"]
        assert rows[1][6] == "make key" and rows[1][3].startswith("▲")
        await pilot.press("down", "K")
        assert plain_rows(table)[1][1].startswith("★")  # shown at once
        await settle(pilot)
        assert client(workspace, agency, MARKUP_NAME).key_account
        # read again: a key account with no contact is single-threaded
        assert plain_rows(table)[1][1] == f"★⚠ {MARKUP_NAME}"
        assert plain_rows(table)[1][6] == ""


async def test_a_score_off_the_checklists_scale_is_refused_in_the_form(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("a", "down", "c")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#field-relationship", Input).value = "9"
        form.query_one("#field-revenue", Input).value = "5"
        before = snapshot_files(workspace.root)
        await pilot.press("f2")
        await settle(pilot)
        assert "less than or equal to 5" in str(form.query_one("#error-relationship",
                                                               Static).render())
        assert snapshot_files(workspace.root) == before
        form.query_one("#field-relationship", Input).value = "4"
        await pilot.press("f2")
        await settle(pilot)
        plan = workspace.repo(models.AccountPlan).get(
            models.plan_id(agency["clients"][MARKUP_NAME].id))
        assert plan.scores == {models.Criterion.RELATIONSHIP: 4, models.Criterion.REVENUE: 5}


async def test_brackets_move_the_period_and_f_filters(workspace: Workspace, host: PluginHost,
                                                       agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("a", "p")  # 12 months → the current quarter
        await settle(pilot)
        heading = pilot.app.screen.query_one("#view-accounts .view-heading", Static)
        assert str(heading.render()).startswith("2026-Q4 ·")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert str(heading.render()).startswith("2026-Q3 ·")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert str(heading.render()).startswith("2026-Q4 ·")  # 2027-Q1 has not started
        await pilot.press("f")  # key accounts only
        table = pilot.app.screen.query_one("#accounts-table", DataTable)
        assert [row[1] for row in plain_rows(table)] == ["★ ООО «Ромашка»"]


# Stages --------------------------------------------------------------------------------------

async def test_moving_a_stage_asks_why_and_keeps_the_move(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("g")
        await settle(pilot)
        view = pilot.app.screen.query_one("#view-stages")
        assert (view.stage, view.client_id) == ("functional", agency["clients"]["ООО «Ромашка»"].id)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("enter")  # no reason
        await settle(pilot)
        assert "Say why" in str(pilot.app.screen.query_one("#ask-problem", Static).render())
        await pilot.press(*"Совместный план")
        await pilot.press("enter")
        await settle(pilot)
        romashka = client(workspace, agency, "ООО «Ромашка»")
        assert romashka.stage == "strategic"
        moves = workspace.repo(models.StageMove).all()
        assert [(move.from_stage, move.to_stage, move.reason) for move in moves] == [
            ("functional", "strategic", "Совместный план")]
        assert view.stage == "strategic"  # the cursor went with the account
        await pilot.press("L")  # strategic is the last stage
        await settle(pilot)
        assert len(workspace.repo(models.StageMove).all()) == 1


async def test_escape_on_the_reason_moves_nothing(workspace: Workspace, host: PluginHost,
                                                   agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        before = snapshot_files(workspace.root)
        await pilot.press("g", "H")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert snapshot_files(workspace.root) == before
        assert client(workspace, agency, "ООО «Ромашка»").stage == "functional"


# KPIs ---------------------------------------------------------------------------------------

async def test_the_kpis_chart_the_figure_under_the_cursor_and_define_it(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any]) -> None:
    async with team_app(workspace, host, size=(120, 40)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        view = pilot.app.screen.query_one("#view-kpis")
        table = view.query_one("#kpi-table", DataTable)
        assert table.row_count == 12
        assert view.chart is not None and view.chart.is_mounted
        assert help_line(pilot).startswith("Churn %: Churn rate:")
        assert view.chart._series[0] == "Churn %"
        await pilot.press("right")
        assert help_line(pilot).startswith("Exp %: Expansion rate:")
        assert view.chart._series[0] == "Exp %"
        await pilot.press("q")  # by quarter
        assert table.row_count == 5
        assert plain_rows(table)[-1][0] == "2026-Q4"
        await pilot.press("w")  # Анна's clients
        assert "Анна Смирнова" in str(view.query_one(".view-heading", Static).render())


# The account screen ------------------------------------------------------------------------

async def test_the_account_screen_edits_a_stakeholder_and_warns_when_single_threaded(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("a", "enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert not screen.query_one("#account-warning").display  # two contacts, two of ours
        stakeholders = plain_rows(screen.query_one("#account-stakeholders", DataTable))
        assert [row[:3] for row in stakeholders] == [
            ["Марина Кузнецова", "CMO", "decision maker"], ["Олег Петров", "маркетолог",
                                                            "champion"]]
        await pilot.press("e")
        await settle(pilot)
        pilot.app.screen.query_one("#field-strength", Input).value = "7"
        await pilot.press("f2")
        await settle(pilot)
        assert "less than or equal to 5" in str(pilot.app.screen.query_one(
            "#error-strength", Static).render())
        pilot.app.screen.query_one("#field-strength", Input).value = "4"
        await pilot.press("f2")
        await settle(pilot)
        assert plain_rows(screen.query_one("#account-stakeholders", DataTable))[0][3:] == [
            "neutral", "4/5"]
        await pilot.press("escape")
        await pilot.press("down", "enter")  # the markup-named account: no contacts
        await settle(pilot)
        warning = pilot.app.screen.query_one("#account-warning", Static)
        assert warning.display
        assert "Single-threaded: no contact on the client's side" in str(warning.render())
        title = str(pilot.app.screen.query_one("#account-title", Static).render())
        assert MARKUP_NAME in title  # the brackets are shown, not taken for markup


async def test_the_dossier_is_written_from_the_account_screen(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any], tmp_path: Any) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("a", "enter")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        answer = pilot.app.screen.query_one("#ask-answer", Input)
        assert answer.value.endswith(".md") and "dossier-ооо-ромашка" in answer.value
        answer.value = str(tmp_path / "missing" / "x.md")
        await pilot.press("enter")
        await settle(pilot)
        assert "is not a folder that exists" in str(pilot.app.screen.query_one(
            "#ask-problem", Static).render())
        answer.value = str(tmp_path / "romashka.md")
        await pilot.press("enter")
        await settle(pilot)
        text = (tmp_path / "romashka.md").read_text(encoding="utf-8")
        assert text.startswith("# Handover dossier: ООО «Ромашка»")
        assert "| Марина Кузнецова | CMO | decision maker |" in text
        assert not (tmp_path / "missing").exists()


async def test_a_survey_answer_off_its_scale_or_in_the_future_is_refused(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("a", "enter")
        await settle(pilot)
        before = len(workspace.repo(models.Survey).all())
        await pilot.press("v")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#field-score", Input).value = "6"
        await pilot.press("f2")
        await settle(pilot)
        assert "a csat score is 1 to 5, not 6" in str(form.query_one("#form-error",
                                                                     Static).render())
        form.query_one("#field-score", Input).value = "5"
        form.query_one("#field-on", Input).value = "2026-12-01"
        await pilot.press("f2")
        await settle(pilot)
        assert "that day has not come yet" in str(form.query_one("#form-error",
                                                                 Static).render())
        assert len(workspace.repo(models.Survey).all()) == before
        form.query_one("#field-on", Input).value = "2026-11-20"
        form.query_one("#field-comment", Input).value = "[red]доволен[/red]"
        await pilot.press("f2")
        await settle(pilot)
        added = [survey for survey in workspace.repo(models.Survey).all()
                 if survey.on == date(2026, 11, 20)]
        assert [(survey.score, survey.comment) for survey in added] == [
            (5, "[red]доволен[/red]")]
        assert "[red]доволен[/red]" in str(pilot.app.screen.query_one(
            "#account-surveys", Static).render())


async def test_the_account_team_and_the_purpose_are_set_from_the_keyboard(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any]) -> None:

    romashka = agency["clients"]["ООО «Ромашка»"]
    async with team_app(workspace, host) as pilot:
        await pilot.press("g", "p")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # growth → preservation → image
        await settle(pilot)
        plan = workspace.repo(models.AccountPlan).get(models.plan_id(romashka.id))
        assert plan.purpose == "image"
        await pilot.press("enter")  # the account
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#field-kam_id", Input).value = agency["igor"].name
        form.query_one("#field-specialists", Input).value = "Лена (copywriting), (seo)"
        await pilot.press("f2")
        await settle(pilot)
        assert "a name is missing" in str(form.query_one("#form-error", Static).render())
        form.query_one("#field-specialists", Input).value = "Лена (copywriting)"
        await pilot.press("f2")
        await settle(pilot)
        plan = workspace.repo(models.AccountPlan).get(models.plan_id(romashka.id))
        assert (plan.kam_id, plan.assistant_id) == (agency["igor"].id, agency["sergey"].id)
        assert [(s.name, s.department) for s in plan.specialists] == [("Лена", "copywriting")]
        team_line = str(pilot.app.screen.query_one("#account-team", Static).render())
        assert team_line.startswith("KAM Игорь Волков · assistant Sergey Orlov · Лена")


async def test_help_lists_the_views_keys(workspace: Workspace, host: PluginHost,
                                         agency: dict[str, Any]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("g", "question_mark")
        await settle(pilot)
        shown = " ".join(str(static.render()) for static in pilot.app.screen.query(Static))
        for words in ("Stage back", "Stage on", "Purpose", "Key accounts", "KPIs"):
            assert words in shown


async def test_the_palette_opens_the_team_pane_at_a_view(workspace: Workspace,
                                                         host: PluginHost,
                                                         agency: dict[str, Any]) -> None:
    app = AmtuiApp(workspace, pane="today", plugins=host)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        command = next(command for _name, command in host.commands()
                       if command.title == "team: portfolio KPIs")
        command.run(app)
        await settle(pilot)
        assert app.current_pane == "team"
        assert app.screen.current_view == "kpis"


# Snapshots -------------------------------------------------------------------------------

@pytest.mark.parametrize(("view", "size"), [
    ("t", (80, 24)), ("t", (120, 40)), ("a", (80, 24)), ("g", (80, 24)), ("i", (80, 24)),
    ("i", (120, 40)),
], ids=["load-80x24", "load-120x40", "accounts-80x24", "stages-80x24", "kpis-80x24",
        "kpis-120x40"])
async def test_snapshot(workspace: Workspace, host: PluginHost, agency: dict[str, Any],
                        view: str, size: tuple[int, int]) -> None:
    names = {"t": "load", "a": "accounts", "g": "stages", "i": "kpis"}
    async with team_app(workspace, host, size) as pilot:
        await pilot.press(view)
        await settle(pilot)
        await settle(pilot)
        svg = await steady_screenshot(pilot, "amtui team")
    picture = SNAPSHOTS / f"team-{names[view]}-{size[0]}x{size[1]}.svg"
    if os.environ.get("AMTUI_UPDATE_SNAPSHOTS"):
        picture.write_text(svg, encoding="utf-8")
    assert picture.exists(), f"no snapshot {picture.name}: make it with AMTUI_UPDATE_SNAPSHOTS=1"
    assert what_it_shows(svg) == what_it_shows(picture.read_text(encoding="utf-8")), (
        f"the Team pane's {names[view]} view at {size[0]}x{size[1]} looks different from "
        f"{picture.name}")



async def test_an_unhappy_survey_chosen_on_today_opens_its_account(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any], clock: StillClock) -> None:
    from kam_team.account import AccountScreen  # type: ignore[import-not-found]

    romashka = workspace.repo(Client).resolve("ООО «Ромашка»")
    survey = workspace.repo(models.Survey).add(models.Survey(
        client_id=romashka.id, on=clock().date(), score=1, comment="Медленно"))
    app = AmtuiApp(workspace, pane="today", plugins=host)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_record(models.SURVEYS, survey.id)
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)


# in Russian ------------------------------------------------------------------------------

async def test_the_team_in_russian(workspace: Workspace, host: PluginHost,
                                   agency: dict[str, Any], russian: None) -> None:
    async with team_app(workspace, host) as pilot:
        screen = screen_text(pilot).splitlines()
        assert "Команда" in screen[1]  # the pane bar
        assert screen[2].split() == ["t", "Команда", "a", "Ключевые", "g", "Стадии", "i", "KPI"]
        assert screen[3].startswith(" Команда · сотрудников: 3 · аккаунтов: 4")
        assert screen[4].split()[:3] == ["Сотрудник", "Роль", "Акк."]
        assert "руководитель" not in screen[5] and "рук." in screen[5]
        for words in ("Сортировка", "Передать", "Ключевые"):
            assert words in screen[-1]  # the key bar (at 80 columns the rest are in help)
        await pilot.press("a")
        table = pilot.app.screen.query_one("#accounts-table", DataTable)
        assert plain_rows(table)[1][6] == "в ключ."
        await pilot.press("down", "K")
        await settle(pilot)
        assert client(workspace, agency, MARKUP_NAME).key_account
        assert f"«{MARKUP_NAME}» отмечен ключевым (u — отменить)" in [
            str(note.message) for note in pilot.app._notifications]
        await pilot.press("g")
        await settle(pilot)
        assert "Стадии отношений · 2 ключевых клиента" in screen_text(pilot)


TEAM_ENGLISH_WORDS = ENGLISH_UI_WORDS | {
    "Team", "Member", "Role", "Accounts", "Key", "Stages", "Load", "head", "lead", "accounts",
    "members", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Oct", "Nov", "Dec"}
"""Words of the team pane's English interface (and of English dates), none of them in its data."""


@pytest.mark.parametrize("keys", [(), ("a",), ("g",), ("i",)],
                         ids=["team", "key-accounts", "stages", "kpis"])
async def test_the_team_shows_no_english_word_in_russian(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any], russian: None,
        keys: tuple[str, ...]) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press(*keys)
        await settle(pilot)
        screen = screen_text(pilot)
    assert not TEAM_ENGLISH_WORDS & set(re.findall(r"[A-Za-z]+", screen)), screen
    assert not re.search(r"\d{4}-Q\d", screen), screen  # a quarter in words: «4-й кв. 2026»
