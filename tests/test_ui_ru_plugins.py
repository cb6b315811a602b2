"""The bundled plugins in Russian, as a user reads them: the bonus plan editor explains its
keys, the calendar's and the team's date fields say which dates they take, and their screens
show no English word."""

from __future__ import annotations

import importlib
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static, TextArea

from amtui.plugins.host import PluginHost
from amtui.storage import Workspace
from amtui.testing import import_bundled, load_plugin, settle, wait_until
from amtui.ui.app import AmtuiApp
from conftest import palette_lines, run_cli
from test_bonus_calculator import facts_module, good_plan, plan_file, store, team
from test_kam_team import actions as kam_actions, models
from test_plugin_catalogues import russian, screen_text
from test_ui_bonus import anna_paid, bonus_pane
from test_ui_kam_team import TEAM_ENGLISH_WORDS, agency, host, team_app

__all__ = ["agency", "anna_paid", "host", "russian", "team"]  # fixtures used here

RUSSIAN_KEY_WORDS = {"plan name": "название плана", "salary a month": "оклад в месяц",
                     "commission on deals": "комиссия со сделок", "counted by": "что считается"}


def test_a_plan_file_says_what_each_key_means_beside_it(monkeypatch: Any) -> None:
    monkeypatch.setattr(plan_file, "_", lambda text: RUSSIAN_KEY_WORDS.get(text, text))
    text = plan_file.annotated('name = "Plan # 1 \\" #"\nbase_salary = 1\n\n[commission]\n'
                               'basis = "signed"   # signed or paid\nmode = "marginal"\n'
                               '  { from = 0, rate = 3 },')
    assert text.splitlines() == [
        'name = "Plan # 1 \\" #"  # название плана', "base_salary = 1  # оклад в месяц", "",
        "[commission]  # комиссия со сделок", 'basis = "signed"   # что считается: signed or paid',
        'mode = "marginal"', "  { from = 0, rate = 3 },"]  # no words for it: as it was


def test_a_plan_file_in_russian_reads_back_to_the_same_plan(team: Workspace,
                                                             russian: None) -> None:
    saved, _new = store.save_plan(team, good_plan(team))
    snapshot = facts_module.read_snapshot(team)
    text = plan_file.write_plan(saved, snapshot.members)
    again = plan_file.read_plan(text, snapshot.members, keep_id=saved.id)
    fields = ("member_id", "valid_from", "base_salary", "commission", "quota", "kpis",
              "overtime")
    assert {name: getattr(again, name) for name in fields} == {
        name: getattr(saved, name) for name in fields}


@pytest.mark.parametrize("keys", [("e",), ("m", "down", "enter", "e")],
                         ids=["a plan", "the template"])
async def test_the_plan_editor_in_russian_explains_every_key(
        anna_paid: Workspace, russian: None, keys: tuple[str, ...]) -> None:
    """Red until the plugin's catalogue has the keys' words."""
    async with bonus_pane(anna_paid) as pilot:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        text = pilot.app.screen.query_one(TextArea).text
        screen = screen_text(pilot)
    keyed = [line for line in text.splitlines() if re.match(r"\w+ = |\[", line)]
    assert keyed and all(re.search(r"# [а-яё]", line) for line in keyed), text
    assert "сохранить" in screen.splitlines()[-2] or "сохраняет" in screen, screen


# The team plugin's account screen -------------------------------------------------------------

ACCOUNT_ENGLISH_WORDS = TEAM_ENGLISH_WORDS | {
    "Owner", "cost", "checklist", "Stakeholders", "Name", "Influence", "Attitude", "Strength",
    "Surveys", "Stage", "history", "assistant", "Back", "Stakeholder", "Purpose", "Score",
    "Survey", "Dossier", "design", "of", "growth", "tactical", "functional", "none", "Answered",
    "Scale", "satisfaction", "Comment", "optional", "Save", "Cancel", "yesterday"}
"""Words of the account screen's English interface (none of them in the test's data)."""


@pytest.mark.parametrize("keys", [(), ("v",), ("T",), ("e",), ("p",), ("c",)],
                         ids=["account", "survey", "team", "stakeholder", "purpose", "score"])
async def test_the_account_screens_show_no_english_word_in_russian(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any], russian: None,
        keys: tuple[str, ...]) -> None:
    romashka = agency["clients"]["ООО «Ромашка»"]
    kam_actions.set_team(workspace, romashka.id, None, agency["sergey"].id,
                         kam_actions.parse_specialists("Лена (design)"))
    async with team_app(workspace, host) as pilot:
        await pilot.press("a", "enter", *keys)
        await settle(pilot)
        screen = screen_text(pilot)
    assert not ACCOUNT_ENGLISH_WORDS & set(re.findall(r"[A-Za-z]+", screen)), screen
    if not keys:
        assert re.search(r"\d\d\.\d\d\.\d{4}  ", screen), screen  # a survey's day
        assert "Лена (дизайн)" in screen, screen
        assert screen.splitlines()[-1].rstrip().endswith("Esc назад"), screen  # not cut


async def test_a_surveys_day_is_typed_as_every_day_is(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any], russian: None) -> None:
    async with team_app(workspace, host) as pilot:
        await pilot.press("a", "enter", "v")
        await settle(pilot)
        form = pilot.app.screen
        assert "вчера" in str(form.query_one("#field-on", Input).placeholder)
        form.query_one("#field-score", Input).value = "4"
        form.query_one("#field-on", Input).value = "31.02"
        await pilot.press("f2")
        await settle(pilot)
        error = str(form.query_one("#form-error", Static).render())
        assert "31.02" in error and not re.search(r"[A-Za-z]{2,}", error), error
        assert not [survey for survey in workspace.repo(models.Survey).all()
                    if survey.score == 4 and survey.on > date(2026, 11, 1)]
        form.query_one("#field-on", Input).value = "вчера"
        await pilot.press("f2")
        await settle(pilot)
        assert [survey.on for survey in workspace.repo(models.Survey).all()
                if survey.score == 4 and survey.on > date(2026, 11, 1)] == [date(2026, 11, 25)]
        assert "25.11.2026  4 из 5" in str(pilot.app.screen.query_one(
            "#account-surveys", Static).render())


# The calendar's and the core's date options ----------------------------------------------------

@pytest.mark.parametrize("command", [("calendar", "export"), ("calendar", "plan"),
                                     ("add", "task"), ("report",)])
def test_a_date_options_help_names_the_forms_a_day_is_typed_in(command: tuple[str, ...]) -> None:
    """Red in Russian until the catalogues have these helps."""
    english = run_cli("--lang", "en", *command, "--help", env={"COLUMNS": "200"})
    assert "YYYY-MM-DD" not in english.stdout and "10.12.2026, 10.12" in english.stdout
    russian_help = run_cli("--lang", "ru", *command, "--help", env={"COLUMNS": "200"})
    dates = next(line for line in russian_help.stdout.splitlines() if "10.12.2026" in line)
    assert "сегодня" in dates and "today" not in dates, dates


async def test_a_department_is_typed_in_the_language_shown_and_stored_as_the_workspaces(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any], russian: None) -> None:
    romashka = agency["clients"]["ООО «Ромашка»"]
    kam_actions.set_team(workspace, romashka.id, None, agency["sergey"].id,
                         kam_actions.parse_specialists("Лена (design)"))
    async with team_app(workspace, host) as pilot:
        await pilot.press("a", "enter", "T")
        await settle(pilot)
        field = pilot.app.screen.query_one("#field-specialists", Input)
        assert field.value == "Лена (дизайн)"
        field.value = "Лена (дизайн), Стас (Копирайтинг), Олег (своё)"
        await pilot.press("f2")
        await settle(pilot)
    plan = workspace.repo(models.AccountPlan).get(models.plan_id(romashka.id))
    assert [(s.name, s.department) for s in plan.specialists] == [
        ("Лена", "design"), ("Стас", "copywriting"), ("Олег", "своё")]


# The palette ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("plugin", "pane", "command"), [
    ("bonus_calculator", "bonus", "премия: раньше"),
    ("smm_calendar", "calendar", "календарь: следующий день"),
    ("kam_team", "team", "команда: сортировка")])
async def test_the_palette_names_a_plugin_panes_keys_by_its_russian_title(
        anna_paid: Workspace, russian: None, plugin: str, pane: str, command: str) -> None:
    app = AmtuiApp(anna_paid, pane=pane,
                   plugins=load_plugin(import_bundled(plugin), anna_paid, plugin))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *command)
        await wait_until(pilot, lambda: palette_lines(app).startswith(command),
                         "the palette to offer the pane's key")
        await pilot.press("escape", "ctrl+p", *f"{pane}:")  # the English name finds no key
        await settle(pilot)
        assert not re.search(rf"^{pane}:", palette_lines(app), re.MULTILINE)


def test_a_quarter_is_said_in_words_and_stored_as_typed(host: PluginHost, russian: None
                                                        ) -> None:
    periods = importlib.import_module("kam_team.periods")
    fourth = periods.quarter(2026, 4)
    assert fourth.label == "2026-Q4" and fourth.shown == "4-й кв. 2026"
    assert periods.month(2026, 11).shown == "2026-11"
    span = periods.Period(date(2026, 7, 1), date(2026, 12, 31), "2026-Q3 – 2026-Q4")
    assert span.shown == "3-й кв. 2026 – 4-й кв. 2026"


async def test_the_key_accounts_share_and_the_stages_money_are_russian_numbers(
        workspace: Workspace, host: PluginHost, agency: dict[str, Any], russian: None) -> None:
    fmt = importlib.import_module("kam_team.fmt")
    assert (fmt.compact(Decimal(1_250_000)), fmt.compact(Decimal(162_400))) == (
        "1,2 млн", "162 тыс.")
    async with team_app(workspace, host) as pilot:
        await pilot.press("a")
        await settle(pilot)
        table = pilot.app.screen.query_one("#accounts-table", DataTable)
        shares = [str(getattr(value, "plain", value)) for value in table.get_column_at(3)]
    assert shares and all(re.fullmatch(r"[▲ ]?\d+,\d|—", share.strip()) for share in shares), \
        shares


async def test_a_commission_line_says_on_which_day_the_deal_counts_in_russian(
        anna_paid: Workspace, russian: None) -> None:
    async with bonus_pane(anna_paid) as pilot:
        await pilot.press("down")
        await settle(pilot)
        detail = str(pilot.app.screen.query_one("#bonus-detail", Static).render())
        title = str(pilot.app.screen.query_one("#bonus-title", Static).render())
    assert "подписана 03 нояб. 2026; " in detail and "signed" not in detail, detail
    assert title.startswith("ноябрь 2026 · "), title


def test_amtui_plugins_says_each_plugins_state_and_source_in_russian(tmp_path: Any) -> None:
    """Red until the Russian catalogue has the states' words; ``--json`` keeps the codes."""
    listing = run_cli("--lang", "ru", "plugins", workspace=tmp_path / "ws")
    first = listing.stdout.splitlines()[0]
    assert "[загружен]  встроенный: " in first and "loaded" not in first, listing.stdout
    as_json = run_cli("--lang", "ru", "plugins", "--json", workspace=tmp_path / "ws")
    assert '"status": "loaded"' in as_json.stdout.replace('":"', '": "'), as_json.stdout


def test_a_record_not_found_is_named_in_russian(tmp_path: Any) -> None:
    workspace = tmp_path / "ws"
    run_cli("add", "client", "ООО «Ромашка»", workspace=workspace)
    result = run_cli("--lang", "ru", "add", "task", "x", "--client", "nope", workspace=workspace)
    assert result.returncode == 2
    assert "клиент: нет записи с названием 'nope'" in result.stderr, result.stderr


def test_a_statement_shows_its_iso_days_and_quarters_the_russian_way(russian: None) -> None:
    pane = importlib.import_module("bonus_calculator.pane")
    quarter = pane.Period(2026, 12).shown_quarter
    assert pane.shown_days("Ускоритель: план продаж 2026-Q4; подписана 2026-11-03; 2026-13-40") \
        == f"Ускоритель: план продаж {quarter}; подписана 03 нояб. 2026; 2026-13-40"


# The plugins' panes in Russian at 80x24, as pictures ---------------------------------------

def same_picture(svg: str, name: str, what: str) -> None:
    from test_ui_snapshots import same_as_saved

    same_as_saved(svg, name, what)


async def test_the_bonus_pane_in_russian_at_80x24(anna_paid: Workspace, russian: None) -> None:
    from test_ui_snapshots import steady_screenshot

    async with bonus_pane(anna_paid) as pilot:
        svg = await steady_screenshot(pilot, "amtui bonus")
    same_picture(svg, "bonus-80x24-ru.svg", "the Bonus pane in Russian at 80x24")


@pytest.mark.parametrize("view", ["t", "a", "g", "i"], ids=["load", "accounts", "stages", "kpis"])
async def test_the_team_pane_in_russian_at_80x24(workspace: Workspace, host: PluginHost,
                                                 agency: dict[str, Any], russian: None,
                                                 view: str) -> None:
    from test_ui_snapshots import steady_screenshot

    names = {"t": "load", "a": "accounts", "g": "stages", "i": "kpis"}
    async with team_app(workspace, host) as pilot:
        await pilot.press(view)
        await settle(pilot)
        await settle(pilot)
        svg = await steady_screenshot(pilot, "amtui team")
    same_picture(svg, f"team-{names[view]}-80x24-ru.svg",
                 f"the Team pane's {names[view]} view in Russian at 80x24")
