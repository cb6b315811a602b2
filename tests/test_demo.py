"""``amtui demo``: deterministic, realistic demo data, and the large size's exact counts."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from amtui.models import CORE_RECORD_TYPES, Client, Record
from amtui.services.demo import SIZES, DemoCounts, fill_demo
from amtui.services.doctor import check_workspace
from amtui.storage import Workspace
from amtui.testing import START, StillClock
from conftest import run_cli, snapshot_files

CYRILLIC = re.compile("[А-Яа-яЁё]")
LATIN = re.compile("[A-Za-z]")
MODELS: dict[str, type[Record]] = {model.table: model for model in CORE_RECORD_TYPES}


def demo_workspace(root: Path, seed: int, size: str = "small",
                   clock: StillClock | None = None) -> tuple[Workspace, DemoCounts]:
    workspace = Workspace.open(root, create=True, clock=clock or StillClock())
    counts = fill_demo(workspace, size, seed)
    return workspace, counts


def data_files(root: Path) -> dict[str, bytes]:
    return snapshot_files(root / "data")


def records(workspace: Workspace, table: str) -> dict[str, dict[str, Any]]:
    return workspace.file(table).records()


def top_fifth_share(workspace: Workspace) -> float:
    """Share of won-deal revenue held by the top 20% of clients by won-deal total."""
    totals = dict.fromkeys(records(workspace, "clients"), Decimal(0))
    for deal in records(workspace, "deals").values():
        if deal["status"] == "won":
            totals[deal["client_id"]] += Decimal(str(deal["amount"]["amount"]))
    ranked = sorted(totals.values(), reverse=True)
    top = ranked[: max(1, len(ranked) // 5)]
    return float(sum(top) / sum(ranked))


# determinism


def test_same_seed_and_clock_give_identical_files(tmp_path: Path, clock: StillClock) -> None:
    first, _ = demo_workspace(tmp_path / "one", seed=7, clock=clock)
    second, _ = demo_workspace(tmp_path / "two", seed=7, clock=clock)
    one, two = data_files(first.root), data_files(second.root)
    assert set(one) >= {"clients.json", "tasks.json", "messages.json", "notes.json",
                        "contacts.json", "deals.json", "members.json"}
    assert one == two


def test_different_seeds_give_different_data(tmp_path: Path, clock: StillClock) -> None:
    first, _ = demo_workspace(tmp_path / "one", seed=7, clock=clock)
    second, _ = demo_workspace(tmp_path / "two", seed=8, clock=clock)
    one, two = data_files(first.root), data_files(second.root)
    assert one.keys() == two.keys()
    for name in ("clients.json", "tasks.json", "messages.json", "deals.json"):
        assert one[name] != two[name], name
    names = {c["name"] for c in records(first, "clients").values()}
    other = {c["name"] for c in records(second, "clients").values()}
    assert names != other


def _cli_client_names(root: Path, seed: int) -> list[str]:
    result = run_cli("demo", "--size", "small", "--seed", str(seed), workspace=root)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"\b40 clients\b", result.stdout), result.stdout
    listing = run_cli("list", "clients", "--json", workspace=root)
    assert listing.returncode == 0, listing.stderr
    return sorted(client["name"] for client in json.loads(listing.stdout))


def test_demo_command_is_repeatable(tmp_path: Path) -> None:
    first = _cli_client_names(tmp_path / "one", 7)
    second = _cli_client_names(tmp_path / "two", 7)
    third = _cli_client_names(tmp_path / "three", 8)
    assert len(first) == SIZES["small"]["clients"]
    assert first == second
    assert first != third


# the small demo reads like a real agency


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, DemoCounts]:
    return demo_workspace(tmp_path_factory.mktemp("demo") / "ws", seed=7)


def test_counts_match_the_size(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, counts = small
    plan = SIZES["small"]
    for table in ("clients", "tasks", "messages", "notes", "members"):
        assert len(records(workspace, table)) == plan[table] == getattr(counts, table), table
    assert len(records(workspace, "contacts")) == counts.contacts > 0
    assert len(records(workspace, "deals")) == counts.deals > 0


def test_every_record_validates(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    for table, model in MODELS.items():
        for raw in records(workspace, table).values():
            record = model.model_validate(raw)
            assert record.id == raw["id"]
            assert record.rev >= 1


def test_every_reference_points_to_an_existing_record(
    small: tuple[Workspace, DemoCounts],
) -> None:
    workspace, _ = small
    for table, model in MODELS.items():
        for field, target in model.references.items():
            known = records(workspace, target)
            used = [raw.get(field) for raw in records(workspace, table).values()]
            dangling = [value for value in used if value and value not in known]
            assert not dangling, f"{table}.{field} → {target}: {dangling[:3]}"
    for message in records(workspace, "messages").values():
        if message["contact_id"]:
            contact = records(workspace, "contacts")[message["contact_id"]]
            assert contact["client_id"] == message["client_id"]


def test_doctor_finds_nothing_wrong(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    findings = check_workspace(workspace)
    assert [f.text for f in findings if f.level != "ok"] == []


def test_client_names_in_both_scripts_and_unique(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    names = [c["name"] for c in records(workspace, "clients").values()]
    assert any(CYRILLIC.search(name) for name in names)
    assert any(LATIN.search(name) and not CYRILLIC.search(name) for name in names)
    assert len(set(names)) == len(names), "a client must be nameable by its exact name"
    assert all(name == name.strip() and name for name in names)


def test_clients_differ_like_real_ones(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    clients = list(records(workspace, "clients").values())
    assert len(Counter(c["status"] for c in clients)) >= 3
    assert {c["kind"] for c in clients} == {"b2b", "b2c"}
    assert len({c["timezone"] for c in clients}) >= 3
    assert len({c["owner_id"] for c in clients}) >= 2


def test_work_spreads_over_departments_and_columns(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    tasks = list(records(workspace, "tasks").values())
    departments = Counter(t["department"] for t in tasks)
    assert len(departments) >= 4
    assert max(departments.values()) < 0.5 * len(tasks)
    assert len({t["column"] for t in tasks}) >= 4
    assert set(departments) <= set(workspace.settings.departments)
    assert {t["column"] for t in tasks} <= set(workspace.settings.columns)


def test_some_tasks_are_overdue_and_some_are_not(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    today = START.date()
    done = workspace.settings.columns[-1]
    open_tasks = [t for t in records(workspace, "tasks").values() if t["column"] != done]
    overdue = [t for t in open_tasks if t["due"] and date.fromisoformat(t["due"]) < today]
    on_time = [t for t in open_tasks if t["due"] and date.fromisoformat(t["due"]) >= today]
    assert overdue and on_time
    assert len(overdue) < len(open_tasks) / 2, "most open work should not be late"


def test_messages_wait_on_us(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    messages = list(records(workspace, "messages").values())
    waiting = [m for m in messages if m["status"] in ("new", "waiting_on_us")]
    assert waiting
    late = [m for m in waiting if datetime.fromisoformat(m["answer_by"]) < START]
    assert late and len(late) < len(waiting)
    assert len({m["status"] for m in messages}) == 4
    assert any(CYRILLIC.search(m["text"]) for m in messages)
    assert any(not CYRILLIC.search(m["text"]) for m in messages)


def test_answer_times_fall_in_each_clients_working_hours(
    small: tuple[Workspace, DemoCounts],
) -> None:
    workspace, _ = small
    clients = {c.id: c for c in workspace.repo(Client).all()}
    for message in records(workspace, "messages").values():
        client = clients[message["client_id"]]
        local = datetime.fromisoformat(message["answer_by"]).astimezone(
            ZoneInfo(client.timezone))
        hours = client.working_hours
        assert local.weekday() in hours.weekdays, message
        assert hours.start <= local.time() <= hours.end, message
        received = datetime.fromisoformat(message["received_at"])
        assert datetime.fromisoformat(message["answer_by"]) > received, message


def test_nothing_comes_from_the_future(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    for table in MODELS:
        for raw in records(workspace, table).values():
            assert datetime.fromisoformat(raw["created_at"]) <= START, (table, raw["id"])
    for message in records(workspace, "messages").values():
        assert datetime.fromisoformat(message["received_at"]) <= START
    for deal in records(workspace, "deals").values():
        for day in (deal["signed_on"], deal["paid_on"]):
            assert day is None or date.fromisoformat(day) <= START.date()


def test_top_fifth_of_clients_hold_most_won_revenue(
    small: tuple[Workspace, DemoCounts],
) -> None:
    workspace, _ = small
    assert top_fifth_share(workspace) > 0.55


def test_revenue_concentration_holds_for_any_seed(tmp_path: Path, clock: StillClock) -> None:
    shares = [top_fifth_share(demo_workspace(tmp_path / f"s{seed}", seed, clock=clock)[0])
              for seed in range(1, 11)]
    assert min(shares) > 0.5, shares
    assert statistics.mean(shares) > 0.65, shares


def test_deal_sizes_are_spread(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    amounts = sorted(Decimal(str(d["amount"]["amount"]))
                     for d in records(workspace, "deals").values())
    assert amounts[-1] >= 10 * amounts[len(amounts) // 2]
    assert len(set(amounts)) > len(amounts) // 2
    assert {d["status"] for d in records(workspace, "deals").values()} >= {"won", "lost"}


def test_notes_are_markdown_in_both_languages(small: tuple[Workspace, DemoCounts]) -> None:
    workspace, _ = small
    notes = list(records(workspace, "notes").values())
    assert all(n["body"].lstrip().startswith("#") for n in notes)
    assert len({n["kind"] for n in notes}) >= 4
    assert any(CYRILLIC.search(n["title"]) for n in notes)
    assert any(not CYRILLIC.search(n["body"]) for n in notes)


# the large size


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, DemoCounts]:
    return demo_workspace(tmp_path_factory.mktemp("large") / "ws", seed=3, size="large")


@pytest.mark.slow
def test_large_demo_has_the_promised_counts(
    large: tuple[Workspace, DemoCounts],
) -> None:
    workspace, counts = large
    expected = {"clients": 10_000, "tasks": 50_000, "messages": 20_000, "notes": 5_000}
    assert {table: getattr(counts, table) for table in expected} == expected
    # Read back from the files by a fresh process's view, not from the cache.
    fresh = Workspace.open(workspace.root)
    assert {table: len(records(fresh, table)) for table in expected} == expected


@pytest.mark.slow
def test_large_demo_references_hold(large: tuple[Workspace, DemoCounts]) -> None:
    workspace, _counts = large
    for table, model in MODELS.items():
        for field, target in model.references.items():
            known = records(workspace, target)
            dangling = sum(1 for raw in records(workspace, table).values()
                           if raw.get(field) and raw[field] not in known)
            assert dangling == 0, f"{table}.{field}"
    names = [c["name"] for c in records(workspace, "clients").values()]
    assert len(set(names)) == len(names)


@pytest.mark.slow
def test_large_demo_revenue_is_concentrated(large: tuple[Workspace, DemoCounts]) -> None:
    workspace, _counts = large
    assert top_fifth_share(workspace) > 0.7
