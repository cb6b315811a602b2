"""The bundled plugins in Russian, as a user reads them: the bonus plan editor explains its
keys, the calendar's and the team's date fields say which dates they take, and their screens
show no English word."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.widgets import TextArea

from amtui.storage import Workspace
from amtui.testing import settle
from test_bonus_calculator import facts_module, good_plan, plan_file, store, team
from test_plugin_catalogues import russian, screen_text
from test_ui_bonus import anna_paid, bonus_pane

__all__ = ["anna_paid", "russian", "team"]  # fixtures used here

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
