"""Snapshots of the panes at 80×24 and 120×40, on a small fixed workspace and a fixed clock.

Update after an intended change of the look with ``pytest tests/test_ui_snapshots.py
--snapshot-update`` and review the SVGs in ``tests/__snapshots__``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from textual.pilot import Pilot

from amtui.models import Client, Contact, Deal, Member, Message, Money, Task
from amtui.storage import Workspace
from amtui.ui.app import AmtuiApp
from conftest import FakeClock

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def utc_local_time() -> Iterator[None]:
    """Times shown in local time come out the same on every machine."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def agency(workspace: Workspace, clock: FakeClock) -> Workspace:
    now = clock()
    anna = workspace.repo(Member).add(Member(name="Анна Смирнова", role="head", login="anna"))
    clients = workspace.repo(Client)
    romashka = clients.add(Client(name="ООО «Ромашка»", owner_id=anna.id, cadence="daily",
                                  monthly_revenue=250_000, key_account=True, tags=["seo"]))
    atlas = clients.add(Client(name="Atlas Fitness", kind="b2c", owner_id=anna.id,
                               monthly_revenue=40_000))
    clients.add(Client(name="Байкал Ltd", status="dormant", owner_id=anna.id))
    workspace.repo(Contact).add(Contact(client_id=romashka.id, name="Марина Кузнецова",
                                        role="маркетолог", influence="decision_maker"))
    workspace.repo(Deal).add(Deal(client_id=romashka.id, title="SEO на год",
                                  amount=Money(amount=1_200_000), status="won",
                                  signed_on=date(2026, 10, 1)))
    messages = workspace.repo(Message)
    messages.add(Message(client_id=romashka.id, text="Когда будет готов макет главной?",
                         status="waiting_on_us", received_at=now - timedelta(hours=9),
                         answer_by=now - timedelta(hours=3), channel="telegram"))
    messages.add(Message(client_id=atlas.id, text="Please send the updated report",
                         status="new", kind="request", received_at=now - timedelta(hours=1),
                         answer_by=now + timedelta(hours=3)))
    tasks = workspace.repo(Task)
    tasks.add(Task(title="Тексты для лендинга", client_id=romashka.id,
                   department="copywriting", column="in_progress", due=date(2026, 11, 20)))
    tasks.add(Task(title="Баннеры к акции", client_id=atlas.id, department="design",
                   column="client_approval", blocked_by_client=True,
                   blocked_since=now - timedelta(days=5)))
    return workspace


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("pane", ["today", "inbox", "clients"])
def test_pane_snapshot(agency: Workspace, snap_compare: object, pane: str,
                       size: tuple[int, int]) -> None:
    app = AmtuiApp(agency, pane=pane)
    assert snap_compare(app, terminal_size=size, run_before=settle)  # type: ignore[operator]
