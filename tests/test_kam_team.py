"""The KAM team view plugin (plugins/kam_team), without the UI: the KPIs on hand-computed
examples, the Pareto cut, the checklist score, reassignment, stage history, the account
history, Today and the client card, the command line and the demo data."""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import ValidationError

from amtui.models import Client, Contact, Deal, Member, Money
from amtui.plugins.host import PluginHost
from amtui.services.agenda import plugin_sections
from amtui.storage import ConflictError, InvalidRecord, RecordNotFound, Workspace
from amtui.testing import StillClock, import_bundled, load_plugin
from conftest import run_cli, snapshot_files

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "kam_team"
NAME = "kam_team"


def team_plugin() -> ModuleType:
    """The bundled package, imported from its folder (once per process)."""
    return import_bundled(NAME)


plugin = team_plugin()
models = importlib.import_module(f"{NAME}.models")
history = importlib.import_module(f"{NAME}.history")
kpis = importlib.import_module(f"{NAME}.kpis")
keyaccounts = importlib.import_module(f"{NAME}.keyaccounts")
periods = importlib.import_module(f"{NAME}.periods")
actions = importlib.import_module(f"{NAME}.actions")
snapshot = importlib.import_module(f"{NAME}.snapshot")
load = importlib.import_module(f"{NAME}.load")
dossier = importlib.import_module(f"{NAME}.dossier")

State = history.State
TODAY = date(2026, 11, 26)
OCTOBER = periods.month(2026, 10)
D = Decimal


@pytest.fixture
def host(workspace: Workspace) -> PluginHost:
    return load_plugin(plugin, workspace, NAME)


def states(*entries: tuple[str, str, int, int, str | None]) -> list[Any]:
    """A timeline from (day, status, revenue, cost, owner) tuples."""
    return [State(date.fromisoformat(day), status, D(revenue), D(cost), owner)
            for day, status, revenue, cost, owner in entries]


def survey(client_id: str, day: str, score: int, scale: str = "csat") -> Any:
    moment = datetime.fromisoformat(day).replace(tzinfo=UTC)
    return models.Survey(client_id=client_id, on=date.fromisoformat(day), scale=scale,
                         score=score, created_at=moment)


# A small portfolio, figured by hand (today is 2026-11-26):
#   c1 (m1) active 100/mo, cost 40; grows to 150 on Oct 15          → expansion 50
#   c2 (m1) active 200/mo, cost 80; churned Oct 20                  → churned 200
#   c3 (m2) active 100/mo, cost 30; falls to 60 on Oct 10           → contraction 40
#   c4 (m2) new on Oct 5 at 500/mo, cost 100                        → not in October's base
#   c5      a lead, never active
PORTFOLIO = {
    "c1": states(("2026-01-01", "active", 100, 40, "m1"), ("2026-10-15", "active", 150, 40, "m1")),
    "c2": states(("2026-01-01", "active", 200, 80, "m1"), ("2026-10-20", "churned", 0, 0, "m1")),
    "c3": states(("2026-01-01", "active", 100, 30, "m2"), ("2026-10-10", "active", 60, 30, "m2")),
    "c4": states(("2026-10-05", "active", 500, 100, "m2")),
    "c5": states(("2026-01-01", "lead", 0, 0, "m2")),
}


def test_october_figures_for_the_team_by_hand() -> None:
    found = kpis.figures(PORTFOLIO, [], OCTOBER, TODAY)
    assert (found.active, found.churned) == (3, 1)
    assert found.churn_rate == D("33.3")
    assert found.revenue_at_start == 400
    assert (found.expansion, found.contraction, found.churned_revenue) == (50, 40, 200)
    assert found.expansion_rate == D("12.5")  # 50 / 400
    assert found.nrr == D("52.5")  # (400 + 50 - 40 - 200) / 400
    assert found.cost == 170  # at Oct 31: c1 40 + c3 30 + c4 100
    assert found.recurring_revenue == 710  # 150 + 60 + 500
    assert found.cost_share == D("23.9")  # 170 / 710


def test_october_figures_per_member_count_the_clients_owned_at_the_start() -> None:
    by_scope = kpis.figures_by_scope(PORTFOLIO, [], OCTOBER, TODAY)
    m1, m2 = by_scope["m1"], by_scope["m2"]
    assert (m1.active, m1.churned, m1.churn_rate) == (2, 1, D("50.0"))
    assert (m1.expansion_rate, m1.nrr) == (D("16.7"), D("50.0"))  # 50/300, (300+50-200)/300
    assert (m2.active, m2.churned, m2.churn_rate) == (1, 0, D("0.0"))
    assert (m2.expansion_rate, m2.nrr) == (D("0.0"), D("60.0"))
    assert m2.cost == 130  # c3 30 + c4 100, both m2's at Oct 31
    assert kpis.figures(PORTFOLIO, [], OCTOBER, TODAY, "nobody").active == 0


def test_an_empty_period_has_no_rates_rather_than_zero() -> None:
    found = kpis.figures(PORTFOLIO, [], periods.month(2025, 12), TODAY)
    assert (found.active, found.churned, found.cost) == (0, 0, 0)
    assert found.churn_rate is found.expansion_rate is found.nrr is None
    assert found.satisfied is found.index is found.cost_share is None
    nothing = kpis.figures({}, [], OCTOBER, TODAY)
    assert nothing.active == 0 and nothing.nrr is None


def test_clients_with_zero_revenue_have_a_churn_rate_but_no_revenue_rates() -> None:
    free = {"f1": states(("2026-01-01", "active", 0, 0, "m1"),
                         ("2026-10-03", "churned", 0, 0, "m1")),
            "f2": states(("2026-01-01", "active", 0, 5, "m1"))}
    found = kpis.figures(free, [], OCTOBER, TODAY)
    assert (found.active, found.churned, found.churn_rate) == (2, 1, D("50.0"))
    assert found.revenue_at_start == 0
    assert found.expansion_rate is None and found.nrr is None
    assert found.cost == 5 and found.cost_share is None  # no revenue to compare it with


def test_a_client_churned_and_returned() -> None:
    back = {"b": states(("2026-01-01", "active", 100, 10, "m1"),
                        ("2026-08-10", "churned", 0, 0, "m1"),
                        ("2026-09-20", "active", 120, 10, "m1"))}
    august = kpis.figures(back, [], periods.month(2026, 8), TODAY)
    assert (august.active, august.churned, august.nrr) == (1, 1, D("0.0"))
    september = kpis.figures(back, [], periods.month(2026, 9), TODAY)
    assert (september.active, september.churned, september.nrr) == (0, 0, None)
    assert september.cost == 10  # active again at the month's end
    quarter = kpis.figures(back, [], periods.quarter(2026, 3), TODAY)
    assert (quarter.active, quarter.churned) == (1, 0)  # back by the quarter's end
    assert (quarter.expansion_rate, quarter.nrr) == (D("20.0"), D("120.0"))
    october = kpis.figures(back, [], OCTOBER, TODAY)
    assert (october.active, october.revenue_at_start) == (1, 120)


def test_satisfaction_takes_each_clients_latest_answer_in_the_period() -> None:
    surveys = [survey("c1", "2026-10-03", 5), survey("c1", "2026-10-25", 2),
               survey("c3", "2026-10-12", 9, "nps"), survey("c4", "2026-10-30", 4),
               survey("c3", "2026-11-02", 1), survey("c2", "2026-09-30", 1)]
    found = kpis.figures(PORTFOLIO, surveys, OCTOBER, TODAY)
    assert (found.surveyed, found.satisfied_count) == (3, 2)
    assert found.satisfied == D("66.7")
    assert found.index == D("63.3")  # (25 + 90 + 75) / 3
    m2 = kpis.figures(PORTFOLIO, surveys, OCTOBER, TODAY, "m2")
    assert (m2.surveyed, m2.satisfied, m2.index) == (2, D("100.0"), D("82.5"))


def test_a_survey_score_off_its_scale_is_refused() -> None:
    with pytest.raises(ValidationError, match="a csat score is 1 to 5, not 6"):
        models.Survey(client_id="c", on=TODAY, score=6)
    with pytest.raises(ValidationError, match="a nps score is 0 to 10, not 11"):
        models.Survey(client_id="c", on=TODAY, scale="nps", score=11)
    assert models.Survey(client_id="c", on=TODAY, scale="nps", score=0).index == 0


def test_the_current_period_is_counted_up_to_today() -> None:
    november = kpis.figures(PORTFOLIO, [], periods.month(2026, 11), TODAY)
    assert november.active == 3  # c1, c3, c4 at Oct 31
    assert november.churned == 0 and november.nrr == D("100.0")


# Periods -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "start", "end"), [
    ("2026-10", date(2026, 10, 1), date(2026, 10, 31)),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2025", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_periods_are_parsed(typed: str, start: date, end: date) -> None:
    period = periods.parse_period(typed, TODAY)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(("typed", "says"), [
    ("2026-13", "use a month"), ("october", "use a month"), ("2026-Q5", "use a month"),
    ("2027-01", "has not started yet"),
])
def test_bad_periods_say_what_to_type(typed: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        periods.parse_period(typed, TODAY)


def test_periods_shift_by_their_own_length() -> None:
    assert periods.shift(periods.month(2026, 1), -1).label == "2025-12"
    assert periods.shift(periods.quarter(2026, 1), -1).label == "2025-Q4"
    window = periods.last_months(12, TODAY)
    assert (window.start, window.end) == (date(2025, 12, 1), date(2026, 11, 30))
    earlier = periods.shift(window, -1)
    assert (earlier.start, earlier.end) == (date(2024, 12, 1), date(2025, 11, 30))


# The Pareto cut ------------------------------------------------------------------------------

def above(revenues: dict[str, int], line: int = 80) -> list[str]:
    ranked = keyaccounts.pareto({key: D(value) for key, value in revenues.items()},
                                {key: key for key in revenues}, D(line))
    return [row.client_id for row in ranked if row.above_line]


def test_the_line_is_the_fewest_top_accounts_that_reach_80_percent() -> None:
    ranked = keyaccounts.pareto({"a": D(50), "b": D(30), "c": D(10), "d": D(10), "e": D(0)},
                                {}, D(80))
    assert [row.client_id for row in ranked] == ["a", "b", "c", "d", "e"]
    assert [row.share for row in ranked] == [D("50.0"), D("80.0"), D("90.0"), D("100.0"),
                                             D("100.0")]
    assert [row.above_line for row in ranked] == [True, True, False, False, False]


def test_accounts_tied_with_the_last_one_above_the_line_are_above_it_too() -> None:
    assert above({"a": 40, "b": 20, "c": 20, "d": 20}) == ["a", "b", "c", "d"]
    assert above({"a": 40, "b": 20, "c": 20, "d": 19, "e": 1}) == ["a", "b", "c"]
    ranked = keyaccounts.pareto({"z": D(20), "y": D(20)}, {"z": "Альфа", "y": "Бета"}, D(80))
    assert [row.client_id for row in ranked] == ["z", "y"]  # ties ranked by name


def test_accounts_without_revenue_are_never_above_the_line() -> None:
    assert above({"a": 50, "b": 50, "c": 0}, line=100) == ["a", "b"]
    ranked = keyaccounts.pareto({"a": D(0), "b": D(0)}, {}, D(80))
    assert [(row.above_line, row.share) for row in ranked] == [(False, None), (False, None)]


# The criteria checklist --------------------------------------------------------------------

C = models.Criterion


def test_the_checklist_score_with_equal_weights() -> None:
    weights = models.KamSettings().weights
    assert keyaccounts.checklist_score({C.RELATIONSHIP: 5}, weights) == D("12.5")  # 5/40
    assert keyaccounts.checklist_score(dict.fromkeys(C, 5), weights) == D("100.0")
    assert keyaccounts.checklist_score({}, weights) is None


def test_the_checklist_score_with_weights_from_the_settings() -> None:
    weights = models.KamSettings.model_validate(
        {"weights": {"relationship": 3, "revenue": 2, "location": 0}}).weights
    scores = {C.RELATIONSHIP: 4, C.REVENUE: 5, C.FIT: 3, C.LOCATION: 5}
    # earned 3×4 + 2×5 + 1×3 + 0×5 = 25 of (3 + 2 + 5×1 + 0) × 5 = 50
    assert keyaccounts.checklist_score(scores, weights) == D("50.0")


@pytest.mark.parametrize(("section", "says"), [
    ({"weights": {"relationship": -1}}, "a weight is 0 or more"),
    ({"weights": dict.fromkeys([c.value for c in C], 0)}, "at least one criterion"),
    ({"weights": {"charisma": 2}}, "charisma"),
    ({"pareto_share": 0}, "greater than 0"),
    ({"colour": "red"}, "colour"),
])
def test_bad_settings_are_refused_with_the_reason(section: dict[str, Any], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        models.KamSettings.model_validate(section)


def test_a_bad_settings_section_switches_the_plugin_off_with_the_reason(
        workspace: Workspace) -> None:
    config = workspace.root / "workspace.toml"
    config.write_text(config.read_text() + "\n[kam_team]\nweights = { relationship = -2 }\n",
                      encoding="utf-8")
    reopened = Workspace.open(workspace.root, clock=workspace.clock)
    host = load_plugin(plugin, reopened, NAME)
    assert host.plugins[NAME].status == "failed"
    assert "a weight is 0 or more" in host.plugins[NAME].error


# The workspace: revenue in a period, suggestions ---------------------------------------------

@pytest.fixture
def team(workspace: Workspace, host: PluginHost) -> dict[str, Any]:
    """Two members and four clients created on 2026-01-01, read once by the plugin."""
    members = workspace.repo(Member)
    anna = members.add(Member(name="Анна Смирнова", role="head"))
    igor = members.add(Member(name="Игорь Волков", role="kam"))
    created = datetime(2026, 1, 1, 9, tzinfo=UTC)
    clients = workspace.repo(Client).add_many([
        Client(name="ООО «Ромашка»", owner_id=anna.id, monthly_revenue=100, cost_to_serve=50,
               key_account=True, created_at=created, updated_at=created),
        Client(name="Atlas Fitness", owner_id=anna.id, monthly_revenue=300, cost_to_serve=60,
               created_at=created, updated_at=created),
        Client(name="Байкал", owner_id=igor.id, monthly_revenue=0, created_at=created,
               updated_at=created),
        Client(name="Kedr", owner_id=anna.id, monthly_revenue=0, status="lead",
               created_at=created, updated_at=created),
    ], keep_timestamps=True)
    snapshot.read_team(workspace)  # the history starts here
    return {"anna": anna, "igor": igor, "clients": {c.name: c for c in clients}}


def test_revenue_in_a_period_is_won_deals_plus_recurring_revenue(
        workspace: Workspace, team: dict[str, Any]) -> None:
    romashka = team["clients"]["ООО «Ромашка»"]
    deals = workspace.repo(Deal)
    deals.add(Deal(client_id=romashka.id, title="SEO", amount=Money(amount=1000),
                   status="won", signed_on=date(2026, 8, 15)))
    deals.add(Deal(client_id=romashka.id, title="lost", amount=Money(amount=5000),
                   status="lost", signed_on=date(2026, 8, 16)))
    deals.add(Deal(client_id=romashka.id, title="June", amount=Money(amount=700),
                   status="won", signed_on=date(2026, 6, 30)))
    deals.add(Deal(client_id=romashka.id, title="USD", amount=Money(amount=90, currency="USD"),
                   status="won", signed_on=date(2026, 8, 1)))
    data = snapshot.read_team(workspace)
    rows = {row.name: row for row in keyaccounts.key_accounts(data, periods.quarter(2026, 3))}
    assert rows["ООО «Ромашка»"].revenue == 1300  # 3 × 100 + 1000 (not the lost, June, USD)
    assert rows["ООО «Ромашка»"].cost == 150 and rows["ООО «Ромашка»"].ratio == D("8.67")
    assert rows["Atlas Fitness"].revenue == 900 and rows["Atlas Fitness"].ratio == D("5.00")
    assert data.other_currency_deals == 1
    assert "Kedr" not in rows and "Байкал" not in rows  # no revenue, not key, not scored


def test_suggestions_name_accounts_to_make_key_and_key_accounts_to_review(
        workspace: Workspace, team: dict[str, Any]) -> None:
    data = snapshot.read_team(workspace)
    rows = {row.name: row for row in keyaccounts.key_accounts(data, periods.month(2026, 10))}
    # Atlas 300 and Ромашка 100 of 400: Atlas alone reaches 75%, both 100%.
    assert rows["Atlas Fitness"].above_line and rows["ООО «Ромашка»"].above_line
    assert (rows["Atlas Fitness"].suggestion, rows["Atlas Fitness"].why) == (
        "make key", "above the 80% line")
    assert rows["ООО «Ромашка»"].suggestion == ""
    actions.score(workspace, team["clients"]["Байкал"].id, dict.fromkeys(C, 4))  # 80 of 100
    data = snapshot.read_team(workspace)
    rows = {row.name: row for row in keyaccounts.key_accounts(data, periods.month(2026, 10))}
    assert (rows["Байкал"].suggestion, rows["Байкал"].why) == ("make key", "score 80.0")
    bigger = workspace.repo(Client).get(team["clients"]["Atlas Fitness"].id)
    bigger.monthly_revenue = D(10_000)
    workspace.repo(Client).update(bigger)
    data = snapshot.read_team(workspace)
    rows = {row.name: row for row in keyaccounts.key_accounts(data, periods.month(2026, 11))}
    assert (rows["ООО «Ромашка»"].suggestion, rows["ООО «Ромашка»"].why) == (
        "review", "below the line, never scored")


def test_the_load_of_each_member(workspace: Workspace, team: dict[str, Any]) -> None:
    from amtui.models import Message, Task

    romashka = team["clients"]["ООО «Ромашка»"]
    now = workspace.clock()
    tasks = workspace.repo(Task)
    tasks.add(Task(title="late", client_id=romashka.id, column="todo", due=TODAY - timedelta(1)))
    tasks.add(Task(title="open", client_id=romashka.id, column="review"))
    tasks.add(Task(title="done", client_id=romashka.id, column="done", due=date(2026, 1, 1)))
    # past its day but waiting on the client: open, not overdue (Today's rule)
    tasks.add(Task(title="waiting", client_id=romashka.id, column="client_approval",
                   due=TODAY - timedelta(2), blocked_by_client=True, blocked_since=now))
    messages = workspace.repo(Message)
    messages.add(Message(client_id=romashka.id, text="?", status="new", received_at=now))
    messages.add(Message(client_id=romashka.id, text="assigned", status="waiting_on_us",
                         received_at=now, assignee_id=team["igor"].id))
    # answered a day late: our reply came 20 hours after the answer was due
    asked = now - timedelta(days=3)
    messages.add(Message(client_id=romashka.id, text="late one", status="done",
                         received_at=asked, answer_by=asked + timedelta(hours=4)))
    messages.add(Message(client_id=romashka.id, text="reply", direction="outgoing",
                         kind="reply", status="done", received_at=asked + timedelta(hours=24)))
    rows = {row.name: row for row in load.team_load(snapshot.read_team(workspace))}
    anna, igor = rows["Анна Смирнова"], rows["Игорь Волков"]
    assert (anna.accounts, anna.key, anna.revenue) == (3, 1, 400)  # the lead counts, no revenue
    # the late answer had no assignee, so it is the owner's: answered by the reply (it came
    # before the message was closed), 20 hours after it was due
    assert (anna.open, anna.overdue, anna.waiting, anna.late) == (3, 1, 1, 1)
    assert (igor.accounts, igor.waiting, igor.late) == (1, 1, 0)


def test_an_answer_in_time_is_not_late(workspace: Workspace, team: dict[str, Any]) -> None:
    from amtui.models import Message

    romashka = team["clients"]["ООО «Ромашка»"]
    asked = workspace.clock() - timedelta(days=2)
    messages = workspace.repo(Message)
    messages.add(Message(client_id=romashka.id, text="in time", status="waiting_on_client",
                         received_at=asked, answer_by=asked + timedelta(hours=4)))
    messages.add(Message(client_id=romashka.id, text="reply", direction="outgoing",
                         kind="reply", status="done", received_at=asked + timedelta(hours=1)))
    rows = {row.name: row for row in load.team_load(snapshot.read_team(workspace))}
    assert rows["Анна Смирнова"].late == 0


def test_a_change_to_tasks_computes_only_the_load_again(
        workspace: Workspace, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The key accounts and the KPIs come from the clients, their history, deals, plans,
    contacts and surveys: a task saved (elsewhere, as most changes are) leaves them as they
    were computed; a client saved computes them again."""
    from amtui.models import Task

    romashka, atlas = team["clients"]["ООО «Ромашка»"], team["clients"]["Atlas Fitness"]
    before = snapshot.compute(snapshot.read_team(workspace))
    computed: list[str] = []
    for name in ("key_accounts", "series"):
        real = getattr(snapshot, name)
        monkeypatch.setattr(snapshot, name, lambda *args, name=name, real=real: (
            computed.append(name), real(*args))[1])

    def anna() -> Any:
        return {row.name: row for row in after.load}["Анна Смирнова"]

    workspace.repo(Task).add(Task(title="Баннеры", client_id=romashka.id))
    after = snapshot.compute(snapshot.read_team(workspace))
    assert computed == []
    assert (after.accounts, after.months, after.quarters) == (
        before.accounts, before.months, before.quarters)
    assert anna().open == 1
    workspace.repo(Client).update(atlas.model_copy(update={"monthly_revenue": D(900)}))
    after = snapshot.compute(snapshot.read_team(workspace))
    assert computed == ["key_accounts", "series", "series"]
    revenue = {row.name: row.revenue for row in after.accounts or []}
    assert revenue["Atlas Fitness"] > {row.name: row.revenue
                                       for row in before.accounts or []}["Atlas Fitness"]
    assert anna().open == 1


# Reassignment ---------------------------------------------------------------------------------

def audit_lines(workspace: Workspace) -> list[dict[str, Any]]:
    path = workspace.root / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def owners(workspace: Workspace) -> dict[str, str | None]:
    return {client.name: client.owner_id for client in workspace.repo(Client).all()}


def test_reassigning_some_accounts_moves_only_those_in_the_audit_and_the_history(
        workspace: Workspace, team: dict[str, Any], clock: StillClock) -> None:
    from amtui.models import Message

    anna, igor, clients = team["anna"], team["igor"], team["clients"]
    chosen = [clients["ООО «Ромашка»"].id, clients["Kedr"].id]
    messages = workspace.repo(Message)
    asked = {text: messages.add(Message(client_id=client.id, text=text, status=status,
                                        received_at=workspace.clock(), assignee_id=anna.id))
             for text, client, status in (("open", clients["ООО «Ромашка»"], "waiting_on_us"),
                                          ("answered", clients["ООО «Ромашка»"], "done"),
                                          ("other", clients["Atlas Fitness"], "new"))}
    before = len(audit_lines(workspace))
    undo = actions.reassign(workspace, chosen, anna.id, igor.id)
    assert owners(workspace) == {"ООО «Ромашка»": igor.id, "Atlas Fitness": anna.id,
                                 "Байкал": igor.id, "Kedr": igor.id}
    changed = [line for line in audit_lines(workspace)[before:] if line["table"] == "clients"]
    assert sorted(line["id"] for line in changed) == sorted(chosen)
    assert {(line["action"], tuple(line["fields"])) for line in changed} == {
        ("update", ("owner_id",))}
    assignees = {text: messages.get(message.id).assignee_id for text, message in asked.items()}
    assert assignees == {"open": igor.id, "answered": anna.id, "other": anna.id}
    timeline = snapshot.read_team(workspace).timelines[clients["ООО «Ромашка»"].id]
    assert [(state.on, state.owner_id) for state in timeline] == [
        (date(2026, 1, 1), anna.id), (TODAY, igor.id)]
    assert undo.description == "2 accounts reassigned to Игорь Волков"
    undo.revert()
    assert owners(workspace)["ООО «Ромашка»"] == anna.id and owners(workspace)["Kedr"] == anna.id
    assert messages.get(asked["open"].id).assignee_id == anna.id


def test_many_accounts_are_reassigned_in_one_go(workspace: Workspace,
                                                team: dict[str, Any]) -> None:
    anna, igor = team["anna"], team["igor"]
    many = workspace.repo(Client).add_many([Client(name=f"Клиент {n}", owner_id=anna.id,
                                                   monthly_revenue=n) for n in range(30)])
    snapshot.read_team(workspace)
    undo = actions.reassign(workspace, [client.id for client in many], anna.id, igor.id)
    assert {owners(workspace)[f"Клиент {n}"] for n in range(30)} == {igor.id}
    timelines = snapshot.read_team(workspace).timelines
    assert {timelines[client.id][-1].owner_id for client in many} == {igor.id}
    undo.revert()
    assert {owners(workspace)[f"Клиент {n}"] for n in range(30)} == {anna.id}


def test_a_reassignment_that_cannot_be_done_whole_changes_nothing(
        workspace: Workspace, team: dict[str, Any]) -> None:
    anna, igor, clients = team["anna"], team["igor"], team["clients"]
    mine = [clients["ООО «Ромашка»"].id, clients["Байкал"].id]  # Байкал is Igor's already
    before = snapshot_files(workspace.root)
    with pytest.raises(ConflictError, match="«Байкал» changed owner meanwhile; nothing"):
        actions.reassign(workspace, mine, anna.id, igor.id)
    with pytest.raises(RecordNotFound, match="no member with id 'ghost'"):
        actions.reassign(workspace, mine[:1], anna.id, "ghost")
    with pytest.raises(InvalidRecord, match="already belong"):
        actions.reassign(workspace, mine[:1], anna.id, anna.id)
    with pytest.raises(InvalidRecord, match="no accounts chosen"):
        actions.reassign(workspace, [], anna.id, igor.id)
    assert snapshot_files(workspace.root) == before


# Stage history --------------------------------------------------------------------------------

def test_every_stage_move_is_kept_with_its_day_reason_and_author(
        workspace: Workspace, team: dict[str, Any], clock: StillClock) -> None:
    from amtui.api import os_user

    romashka = team["clients"]["ООО «Ромашка»"]
    actions.move_stage(workspace, romashka.id, "tactical", "Начали работать")
    clock.advance(days=30)
    undo = actions.move_stage(workspace, romashka.id, "operational", "Договор на год")
    assert workspace.repo(Client).get(romashka.id).stage == "operational"
    moves = sorted(workspace.repo(models.StageMove).all(), key=lambda move: move.on)
    assert [(m.on, m.from_stage, m.to_stage, m.reason, m.by) for m in moves] == [
        (TODAY, None, "tactical", "Начали работать", os_user()),
        (TODAY + timedelta(days=30), "tactical", "operational", "Договор на год", os_user())]
    undo.revert()
    assert workspace.repo(Client).get(romashka.id).stage == "tactical"
    assert len(workspace.repo(models.StageMove).all()) == 1


def test_a_stage_move_without_a_reason_or_to_the_same_stage_changes_nothing(
        workspace: Workspace, team: dict[str, Any]) -> None:
    romashka = team["clients"]["ООО «Ромашка»"]
    actions.move_stage(workspace, romashka.id, "functional", "ok")
    before = snapshot_files(workspace.root)
    with pytest.raises(ValidationError, match="reason"):
        actions.move_stage(workspace, romashka.id, "strategic", "   ")
    with pytest.raises(InvalidRecord, match="already at that stage"):
        actions.move_stage(workspace, romashka.id, "functional", "again")
    with pytest.raises(ValueError, match="'cosmic' is not a valid RelationshipStage"):
        actions.move_stage(workspace, romashka.id, "cosmic", "why not")
    assert snapshot_files(workspace.root) == before


def test_marking_key_purpose_scores_stakeholders_and_team_are_undone_one_by_one(
        workspace: Workspace, team: dict[str, Any]) -> None:
    atlas = team["clients"]["Atlas Fitness"]
    contact = workspace.repo(Contact).add(Contact(client_id=atlas.id, name="Марина"))
    steps = [
        actions.set_key(workspace, atlas.id, True),
        actions.set_purpose(workspace, atlas.id, models.Purpose.GROWTH),
        actions.score(workspace, atlas.id, {C.RELATIONSHIP: 4}),
        actions.set_stakeholder(workspace, atlas.id, models.StakeholderView(
            contact_id=contact.id, attitude="supporter", strength=4)),
        actions.set_team(workspace, atlas.id, None, team["igor"].id,
                         actions.parse_specialists("Лена (copywriting), Stas")),
    ]
    plan = workspace.repo(models.AccountPlan).get(models.plan_id(atlas.id))
    assert workspace.repo(Client).get(atlas.id).key_account
    assert (plan.purpose, plan.scores, plan.scored_on) == ("growth", {C.RELATIONSHIP: 4}, TODAY)
    assert [(v.contact_id, v.attitude, v.strength) for v in plan.stakeholders] == [
        (contact.id, "supporter", 4)]
    assert plan.assistant_id == team["igor"].id
    assert [(s.name, s.department) for s in plan.specialists] == [
        ("Лена", "copywriting"), ("Stas", "")]
    for step in reversed(steps):
        step.revert()
    assert workspace.repo(models.AccountPlan).find(models.plan_id(atlas.id)) is None
    assert not workspace.repo(Client).get(atlas.id).key_account


def test_a_stakeholder_must_be_the_clients_own_contact(
        workspace: Workspace, team: dict[str, Any]) -> None:
    other = workspace.repo(Contact).add(Contact(client_id=team["clients"]["Байкал"].id,
                                                name="Чужой"))
    before = snapshot_files(workspace.root)
    with pytest.raises(RecordNotFound, match="not one of the client's"):
        actions.set_stakeholder(workspace, team["clients"]["Atlas Fitness"].id,
                                models.StakeholderView(contact_id=other.id))
    with pytest.raises(ValueError, match="a name is missing"):
        actions.parse_specialists("(seo)")
    assert snapshot_files(workspace.root) == before


# The account history ------------------------------------------------------------------------

def test_the_history_starts_on_the_day_each_client_was_created(
        workspace: Workspace, team: dict[str, Any]) -> None:
    stored = workspace.repo(models.AccountHistory).all()
    assert len(stored) == 4
    assert {history_.entries[0].on for history_ in stored} == {date(2026, 1, 1)}


def test_a_saved_client_change_is_in_the_history_that_day(
        workspace: Workspace, team: dict[str, Any], clock: StillClock) -> None:
    clients = workspace.repo(Client)
    atlas = clients.get(team["clients"]["Atlas Fitness"].id)
    clock.advance(days=1)
    atlas.status = "churned"
    clients.update(atlas)
    atlas = clients.get(atlas.id)
    atlas.tags = ["vip"]  # not a tracked field: no entry
    clients.update(atlas)
    stored = workspace.repo(models.AccountHistory).get(models.history_id(atlas.id))
    assert [(entry.on, entry.status) for entry in stored.entries] == [
        (date(2026, 1, 1), "active"), (TODAY + timedelta(days=1), "churned")]


def test_a_change_made_with_the_plugin_off_is_caught_up_when_the_team_view_reads(
        workspace: Workspace, team: dict[str, Any], clock: StillClock) -> None:
    from amtui.storage import Workspace as Store

    elsewhere = Store.open(workspace.root, clock=clock)  # no plugin: no events
    atlas = elsewhere.repo(Client).get(team["clients"]["Atlas Fitness"].id)
    atlas.monthly_revenue = D(450)
    elsewhere.repo(Client).update(atlas)
    clock.advance(days=2)
    data = snapshot.read_team(workspace)
    assert [(state.on, state.revenue) for state in data.timelines[atlas.id]] == [
        (date(2026, 1, 1), 300), (TODAY + timedelta(days=2), 450)]
    assert data.history_written
    again = snapshot.read_team(workspace, write_history=False)
    assert len(again.timelines[atlas.id]) == 2  # stored, not added twice


# Today and the client card ------------------------------------------------------------------

def test_an_unhappy_key_account_is_on_today_for_90_days(
        workspace: Workspace, team: dict[str, Any], host: PluginHost) -> None:
    clients = team["clients"]
    surveys = workspace.repo(models.Survey)
    surveys.add(models.Survey(client_id=clients["ООО «Ромашка»"].id, on=TODAY - timedelta(5),
                              score=2, comment="slow"))
    surveys.add(models.Survey(client_id=clients["Atlas Fitness"].id, on=TODAY, score=1))
    surveys.add(models.Survey(client_id=clients["ООО «Ромашка»"].id, on=TODAY - timedelta(95),
                              score=1))
    sections = plugin_sections(workspace, host)
    entries = [(item.title, item.detail) for section in sections for item in section.items]
    assert entries == [("ООО «Ромашка»", f"scored 2 of 5 on {TODAY - timedelta(5):%d %b %Y}")]
    surveys.add(models.Survey(client_id=clients["ООО «Ромашка»"].id, on=TODAY, scale="nps",
                              score=9))
    assert plugin_sections(workspace, host) == []  # the latest answer is happy


def test_today_asks_the_index_for_the_answers_of_the_last_90_days(
        workspace: Workspace, team: dict[str, Any], host: PluginHost,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first day of the 90 counts, the day before does not; of two answers on one day
    the one stored last is the latest."""
    clients = team["clients"]
    for name in ("Atlas Fitness", "Байкал", "Kedr"):
        workspace.repo(Client).update(clients[name].model_copy(update={"key_account": True}))
    surveys = workspace.repo(models.Survey)
    for name, days_ago, score in [("ООО «Ромашка»", 90, 2), ("Байкал", 91, 1),
                                  ("Kedr", 3, 1), ("Kedr", 3, 5),
                                  ("Atlas Fitness", 10, 5), ("Atlas Fitness", 10, 2)]:
        surveys.add(models.Survey(client_id=clients[name].id, on=TODAY - timedelta(days_ago),
                                  score=score))

    def lines() -> list[tuple[str, str]]:
        return [(item.title, item.detail) for section in plugin_sections(workspace, host)
                for item in section.items]

    expected = [("ООО «Ромашка»", f"scored 2 of 5 on {TODAY - timedelta(90):%d %b %Y}"),
                ("Atlas Fitness", f"scored 2 of 5 on {TODAY - timedelta(10):%d %b %Y}")]
    assert lines() == expected  # the first question makes the copy of the surveys
    data_file = workspace.file(models.SURVEYS)
    for name in ("scan", "stored"):
        monkeypatch.setattr(data_file, name, lambda: pytest.fail("surveys read through"))
    assert lines() == expected


def test_the_client_card_shows_stage_purpose_team_and_the_moves_on_the_timeline(
        workspace: Workspace, team: dict[str, Any], host: PluginHost) -> None:
    romashka = team["clients"]["ООО «Ромашка»"]
    actions.move_stage(workspace, romashka.id, "operational", "Договор на год")
    actions.set_purpose(workspace, romashka.id, models.Purpose.IMAGE)
    card = workspace.repo(Client).get(romashka.id)
    sections = [section for _name, section in host.client_sections(workspace, card)]
    assert [section.title for section in sections] == ["Key account management"]
    lines = sections[0].lines
    assert lines[0] == "Key account · stage operational · purpose image"
    assert lines[1].startswith("KAM Анна Смирнова · assistant —")
    assert [item.text for item in sections[0].timeline] == ["stage → operational: Договор на год"]
    plain = workspace.repo(Client).get(team["clients"]["Байкал"].id)
    assert host.client_sections(workspace, plain) == []  # nothing to say about it


def test_the_client_card_counts_no_stakeholder_whose_contact_is_in_the_trash(
        workspace: Workspace, team: dict[str, Any], host: PluginHost) -> None:
    from amtui.services.actions import delete

    romashka = team["clients"]["ООО «Ромашка»"]
    marina, oleg = workspace.repo(Contact).add_many([
        Contact(client_id=romashka.id, name="Марина Орлова"),
        Contact(client_id=romashka.id, name="Олег Петров")])
    for contact, attitude in ((marina, "supporter"), (oleg, "opponent")):
        actions.set_stakeholder(workspace, romashka.id, models.StakeholderView(
            contact_id=contact.id, attitude=attitude))
    card = workspace.repo(Client).get(romashka.id)

    def stakeholders() -> list[str]:
        ((_name, section),) = host.client_sections(workspace, card)
        return [line for line in section.lines if line.startswith("Stakeholders")]

    assert stakeholders() == ["Stakeholders: 1 supporter, 1 opponent"]
    delete(workspace, "contacts", oleg.id)
    assert stakeholders() == ["Stakeholders: 1 supporter"]


# The command line ----------------------------------------------------------------------------

def cli(workspace: Workspace, *args: str) -> Any:
    return run_cli("team", *args, workspace=workspace.root,
                   env={"AMTUI_LOAD_PLUGINS": NAME, "AMTUI_FAKE_NOW": ""})


def test_the_report_prints_the_same_figures_as_json_markdown_and_csv(
        workspace: Workspace, team: dict[str, Any]) -> None:
    as_json = cli(workspace, "report", "--period", "2026-10", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert (report["period"], report["from"], report["to"]) == ("2026-10", "2026-10-01",
                                                                "2026-10-31")
    assert report["team"]["active"] == 3  # Ромашка, Atlas, Байкал
    assert report["team"]["nrr"] == "100.0"
    assert {row["name"]: row["accounts"] for row in report["load"]} == {
        "Анна Смирнова": 3, "Игорь Волков": 1}
    assert [row["name"] for row in report["key_accounts"]["above_line"]] == [
        "Atlas Fitness", "ООО «Ромашка»"]
    assert "churn_rate" in report["definitions"]["kpi"]
    markdown = cli(workspace, "report", "--period", "2026-10")
    assert markdown.returncode == 0
    assert "| Team | 3 | 0 | 0.0 |" in markdown.stdout
    assert "## Definitions: Portfolio KPIs" in markdown.stdout
    table = cli(workspace, "report", "--period", "2026-10", "--format", "csv")
    assert table.stdout.splitlines()[0] == "section,scope,figure,value"
    assert "kpi,team,active,3" in table.stdout.splitlines()
    assert "load,Анна Смирнова,revenue,400" in table.stdout.splitlines()


@pytest.mark.parametrize(("args", "says"), [
    (["report", "--period", "2026-13"], "use a month (2026-10)"),
    (["report", "--period", "2030-01"], "has not started yet"),
    (["report", "--format", "pdf"], "--format: 'pdf' is not one of md, json, csv"),
    (["dossier", "--client", "Atlas Fitnes"], "did you mean 'Atlas Fitness'?"),
    (["dossier"], "--client"),
    (["dossier", "--client", "Atlas Fitness", "-o", "/nowhere/at/all.md"],
     "is not a folder that exists"),
])
def test_bad_input_to_the_team_command_says_what_was_wrong_and_changes_nothing(
        workspace: Workspace, team: dict[str, Any], args: list[str], says: str) -> None:
    before = snapshot_files(workspace.root)
    result = cli(workspace, *args)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot_files(workspace.root) == before


def test_the_report_reads_without_textual(workspace: Workspace, team: dict[str, Any]) -> None:
    import os
    import subprocess

    code = ("import sys, io, contextlib\nfrom amtui.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    status = main(['team', 'report', '--workspace', {str(workspace.root)!r}])\n"
            "print(status, 'textual' in sys.modules)\n")
    env = {**os.environ, "AMTUI_LOAD_PLUGINS": NAME}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120)
    assert ran.stdout.split() == ["0", "False"], ran.stderr


# The handover dossier ------------------------------------------------------------------------

def test_the_dossier_has_what_a_colleague_needs_and_text_stays_text(
        workspace: Workspace, team: dict[str, Any], tmp_path: Path) -> None:
    from amtui.models import Message, Task

    romashka = team["clients"]["ООО «Ромашка»"]
    contact = workspace.repo(Contact).add(Contact(
        client_id=romashka.id, name="Марина | [bold]Кузнецова[/bold]", role="CMO",
        influence="decision_maker", email="m@romashka.example"))
    actions.set_stakeholder(workspace, romashka.id, models.StakeholderView(
        contact_id=contact.id, attitude="supporter", strength=5))
    workspace.repo(Contact).add(Contact(client_id=romashka.id, name="Олег", influence="champion"))
    actions.set_team(workspace, romashka.id, None, team["igor"].id, [])
    actions.move_stage(workspace, romashka.id, "functional", "Планируем вместе")
    now = workspace.clock()
    workspace.repo(Message).add(Message(client_id=romashka.id, text="Когда макет?\x1b[31m",
                                        status="waiting_on_us", received_at=now))
    workspace.repo(Task).add(Task(title="Тексты для лендинга", client_id=romashka.id,
                                  department="copywriting", column="in_progress"))
    workspace.repo(Deal).add(Deal(client_id=romashka.id, title="SEO на год",
                                  amount=Money(amount=D("1200000.50")), status="won",
                                  signed_on=date(2026, 10, 1)))
    target = tmp_path / "dossier.md"
    result = cli(workspace, "dossier", "--client", "ООО «Ромашка»", "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    for heading in ("# Handover dossier: ООО «Ромашка»", "## Company", "## Stage and purpose",
                    "## Account team", "## Contacts and stakeholder map", "## Open requests",
                    "## Open tasks", "## Deals and terms", "## The last 30 days"):
        assert heading in text
    assert "Марина \\| \\[bold\\]Кузнецова\\[/bold\\]" in text  # a name, not a table or markup
    assert "| supporter | 5/5 |" in text
    assert r"Когда макет?\\x1b\[31m" in text and "\x1b" not in text  # shown, escaped
    assert "| SEO на год | won | RUB\u00a01,200,000.50 | 2026-10-01 |" in text
    assert "functional, by" in text and "Планируем вместе" in text
    assert "- Assistant: Игорь Волков" in text
    assert "**Single-threaded:**" not in text  # two contacts, two of ours
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)


def test_a_single_threaded_account_says_so_in_its_dossier(
        workspace: Workspace, team: dict[str, Any]) -> None:
    text, name = dossier.dossier(workspace, "Atlas Fitness")
    assert name == "Atlas Fitness"
    assert ("**Single-threaded:** no contact on the client's side and one person of ours on "
            "the account; the relationship leaves with that person.") in text


# The demo data ------------------------------------------------------------------------------

def demo_content(root: Path) -> list[list[str]]:
    """The plugin's demo records with amtui's record ids replaced by names (amtui's own demo
    ids depend on the moment the demo is made; its content only on the seed and the day)."""
    workspace = Workspace.open(root)
    names = {raw["id"]: str(raw["name"]) for table in ("clients", "members", "contacts")
             for raw in workspace.file(table).scan()}
    found = []
    for path in sorted((root / "data" / NAME).iterdir()):
        records = json.loads(path.read_bytes())[path.stem].values()
        texts = []
        for record in records:
            text = json.dumps({key: value for key, value in record.items()
                               if key not in ("id", "created_at", "updated_at")},
                              sort_keys=True, ensure_ascii=False)
            for record_id in set(re.findall(r'"([0-9A-Z]{26})"', text)):
                text = text.replace(record_id, names.get(record_id, "?"))
            texts.append(text)
        found.append(sorted(texts))
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("kam-demo") / "ws"
    result = run_cli("demo", "--seed", "7", workspace=root, env={"AMTUI_LOAD_PLUGINS": NAME})
    assert result.returncode == 0, result.stderr
    assert "account plans" in result.stderr
    workspace = Workspace.open(root, clock=StillClock())
    load_plugin(plugin, workspace, NAME)
    return workspace


def test_the_demo_shows_key_accounts_a_single_threaded_one_and_a_churned_one(
        demo: Workspace) -> None:
    data = snapshot.read_team(demo, write_history=False)
    rows = keyaccounts.key_accounts(data, periods.last_months(12, data.today))
    key = [row for row in rows if row.key]
    clear = [row for row in key if row.status == "active" and row.score and row.score >= 60
             and row.above_line]
    assert len(clear) >= 3
    assert [row.status for row in key].count("churned") == 1
    assert any(row.single_threaded and row.status == "active" for row in key)
    assert any(row.suggestion == "make key" for row in rows)
    churned = next(row for row in key if row.status == "churned")
    assert (churned.suggestion, churned.why) == ("review", "churned")
    stages = {data.clients[row.client_id].stage for row in key}
    assert {"strategic", "functional"} <= stages
    assert all(data.moves.get(row.client_id) for row in key)
    months = kpis.series(data.timelines, data.surveys, periods.recent_months(12, data.today),
                         data.today)
    assert sum(month["team"].churned for month in months) >= 1
    assert all(month["team"].satisfied is not None for month in months[-3:])
    assert sum(row.late for row in load.team_load(data)) > 0


def test_the_team_view_keeps_survey_scores_and_its_kpis_are_those_of_the_surveys(
        demo: Workspace) -> None:
    data = snapshot.read_team(demo, write_history=False)
    assert data.surveys and all(isinstance(kept, models.SurveyScore) for kept in data.surveys)
    surveys = sorted(demo.repo(models.Survey).all(), key=lambda survey: (survey.on,
                                                                          survey.created_at))
    months = periods.recent_months(12, data.today)
    assert kpis.series(data.timelines, data.surveys, months, data.today) == kpis.series(
        data.timelines, surveys, months, data.today)


def test_equal_values_of_the_timelines_are_one_object(demo: Workspace) -> None:
    data = snapshot.read_team(demo, write_history=False)
    states = [state for timeline in data.timelines.values() for state in timeline]
    for field in ("on", "status", "revenue", "owner_id"):
        values = [getattr(state, field) for state in states]
        assert len({id(value) for value in values}) == len(set(values)), field


def test_the_demo_history_ends_where_each_client_is_now(demo: Workspace) -> None:
    clients = list(demo.file("clients").scan())
    stored = history.stored_histories(demo)
    assert len(stored) == len(clients)
    assert not history.missing_entries(clients, stored, demo.clock().date())


def test_the_same_seed_gives_the_same_team_data(demo: Workspace, tmp_path: Path) -> None:
    again = run_cli("demo", "--seed", "7", workspace=tmp_path / "ws",
                    env={"AMTUI_LOAD_PLUGINS": NAME})
    assert again.returncode == 0, again.stderr
    first, second = demo_content(demo.root), demo_content(tmp_path / "ws")
    assert [len(records) for records in first] == [len(records) for records in second]
    assert first == second


def test_loading_the_plugin_and_starting_the_app_imports_neither_pydantic_nor_textual() -> None:
    """amtui paints its first screen before pydantic is imported: the plugin's hooks that run
    by then (panes, commands, the startup event) import nothing heavy."""
    import subprocess

    code = f"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location(
    "kam_team", {str(PACKAGE / "__init__.py")!r}, submodule_search_locations=[{str(PACKAGE)!r}])
module = importlib.util.module_from_spec(spec); sys.modules["kam_team"] = module
spec.loader.exec_module(module)
from amtui.plugins.specs import Event
found = []
module.amtui_register_panes(register=found.append)
module.amtui_register_commands(register=found.append)
module.amtui_event(workspace=object(), event=Event("startup"))
print(len(found), sorted(name for name in ("pydantic", "textual") if name in sys.modules))
"""
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert ran.stdout.strip() == "5 []", ran.stderr
