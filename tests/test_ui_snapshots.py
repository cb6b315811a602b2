"""Snapshots of the panes at 80×24 and 120×40, on a small fixed workspace and a fixed clock.

The pictures are SVG files in ``tests/snapshots/`` (open one in a browser to see the pane).
They are compared by what they show, each cell's text and colours, not by the SVG's own
class numbering, which Rich may assign in a different order for the same picture. After an
intended change of the look, run ``AMTUI_UPDATE_SNAPSHOTS=1 pytest tests/test_ui_snapshots.py``
and review the changed SVGs before committing them.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from amtui.models import ChecklistItem, Client, Contact, Deal, Member, Message, Money, Note, Task
from amtui.storage import Workspace
from amtui.testing import StillClock, settle, wait_until
from amtui.ui.app import AmtuiApp

SIZES = [(80, 24), (120, 40)]
PANES = ["today", "inbox", "clients", "board", "notes"]
SNAPSHOTS = Path(__file__).parent / "snapshots"


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
def agency(workspace: Workspace, clock: StillClock) -> Workspace:
    return fill_agency(workspace, clock)


def fill_agency(workspace: Workspace, clock: StillClock) -> Workspace:
    """Three clients, a contact, a deal, two messages, two tasks and two notes."""
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
    notes = workspace.repo(Note)
    notes.add(Note(title="Бриф: новый сайт", client_id=romashka.id, kind="brief", pinned=True,
                   tags=["seo"], body="# Бриф\n\n- [x] Цель: заявки +20%\n- [ ] Бюджет"))
    notes.add(Note(title="Call with Atlas", client_id=atlas.id, kind="meeting",
                   body="Agreed: weekly report on Fridays."))
    return workspace


async def steady_screenshot(pilot: Pilot[None], title: str) -> str:
    """The screen as an SVG, once the app has settled and two pictures in a row agree."""
    await settle(pilot)
    pictures = [""]

    def steady() -> bool:
        # A table sizes its columns for new rows when the app is next idle.
        if any(table._require_update_dimensions for table in pilot.app.screen.query(DataTable)):
            return False
        pictures.append(pilot.app.export_screenshot(title=title))
        return what_it_shows(pictures[-1]) == what_it_shows(pictures[-2])

    await wait_until(pilot, steady, "a picture that stays the same")
    return pictures[-1]


def what_it_shows(svg: str) -> list[str]:
    """The rectangles and texts of a screenshot with each class replaced by its style."""
    svg = re.sub(r"terminal-\d+", "terminal", svg)
    styles = dict(re.findall(r"\.(terminal-r\d+) \{ ([^}]*) \}", svg))
    svg = re.sub(r'class="(terminal-r\d+)"', lambda m: f'style="{styles.get(m[1], "")}"', svg)
    return re.findall(r"<(?:rect|text)[^>]+>[^<]*", svg)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("pane", PANES)
async def test_pane_snapshot(agency: Workspace, pane: str, size: tuple[int, int]) -> None:
    await compare(agency, pane, size, None, f"{pane}-{size[0]}x{size[1]}.svg")


async def test_board_card_with_all_its_facts(agency: Workspace, clock: StillClock) -> None:
    """A card overdue, stale, with a checklist and an assignee, at 80 columns; one waiting
    on the client beside it."""
    now = clock()
    client = agency.repo(Client).add(Client(name="Северо-Западная Логистика"))
    tasks = agency.repo(Task)
    tasks.add(Task(title="Перелинковка каталога", client_id=client.id, department="seo",
                   column="review", assignee="Stas, SEO", due=now.date() - timedelta(days=2),
                   column_since=now - timedelta(days=9),
                   checklist=[ChecklistItem(text="Список", done=True)]))
    await compare(agency, "board", (80, 24), None, "board-card-facts-80x24.svg")


SHIPPED_THEMES = sorted(path.stem for path in
                        (Path(__file__).parents[1] / "themes").glob("*.toml"))


@pytest.mark.parametrize("theme", [name for name in SHIPPED_THEMES if name != "amtui-dark"])
@pytest.mark.parametrize("pane", PANES)
async def test_every_shipped_theme_renders_every_pane(agency: Workspace, pane: str,
                                                      theme: str) -> None:
    """(amtui-dark, the default, is the theme of the snapshots above.)"""
    await compare(agency, pane, (80, 24), theme, f"{pane}-80x24-{theme}.svg")


async def compare(workspace: Workspace, pane: str, size: tuple[int, int], theme: str | None,
                  name: str) -> None:
    app = AmtuiApp(workspace, pane=pane, theme=theme)
    async with app.run_test(size=size) as pilot:
        svg = await steady_screenshot(pilot, f"amtui {pane}")
        assert app.theme == (theme or "amtui-dark")
    same_as_saved(svg, name, f"{pane} at {size[0]}x{size[1]}")


async def test_a_form_with_a_problem_in_view_at_80x24(agency: Workspace) -> None:
    """The new client form: a revenue it cannot read, the problem under the field."""
    app = AmtuiApp(agency, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Кедр")
        app.screen.query_one("#field-monthly_revenue").focus()
        await settle(pilot)
        await pilot.press(*"много", "enter")
        svg = await steady_screenshot(pilot, "amtui client form")
    same_as_saved(svg, "client-form-problem-80x24.svg", "the client form with a problem")


def same_as_saved(svg: str, name: str, what: str) -> None:
    picture = SNAPSHOTS / name
    if os.environ.get("AMTUI_UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(exist_ok=True)
        picture.write_text(svg, encoding="utf-8")
    assert picture.exists(), f"no snapshot {picture.name}: make it with AMTUI_UPDATE_SNAPSHOTS=1"
    assert what_it_shows(svg) == what_it_shows(picture.read_text(encoding="utf-8")), (
        f"{what} looks different from {picture.name}"
    )


ENGLISH_UI_WORDS = {"Today", "Inbox", "Clients", "Board", "Notes", "Help", "Palette", "Search",
                    "Filter", "filters", "New", "Edit", "Status", "Client", "Done", "overdue",
                    "due", "Reply", "Task", "Quit", "Mine", "everyone", "messages"}
"""Words of amtui's own English interface; none may show on a pane in Russian."""


@pytest.mark.parametrize("pane", PANES)
async def test_every_pane_in_russian_at_80x24(agency: Workspace, pane: str) -> None:
    from amtui.i18n import use_locale

    use_locale("ru_RU")  # the autouse fixture makes it English again after the test
    app = AmtuiApp(agency, pane=pane)
    async with app.run_test(size=(80, 24)) as pilot:
        svg = await steady_screenshot(pilot, f"amtui {pane}")
    shown = " ".join(re.findall(r">([^<]*)</text>", svg)).replace("&#160;", " ")
    assert not ENGLISH_UI_WORDS & set(re.findall(r"[A-Za-z]+", shown)), shown
    same_as_saved(svg, f"{pane}-80x24-ru.svg", f"{pane} in Russian at 80x24")
