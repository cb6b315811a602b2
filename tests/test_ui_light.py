"""Opening forms and dialogs cheaply, the user seeing the same: the pane dimmed under a modal
screen drawn as Textual draws it, and full garbage collections kept for when the keyboard
rests."""

from __future__ import annotations

import gc

import pytest
from textual._context import visible_screen_stack
from textual.renderables.background_screen import BackgroundScreen
from textual.visual import RichVisual, Visual, visualize

from amtui.models import Client, Message, Task
from amtui.storage import Workspace
from amtui.testing import StillClock, settle
from amtui.ui.app import AmtuiApp
from amtui.ui.collector import FULL_AFTER, IDLE_SECONDS
from amtui.ui.forms import FormScreen
from amtui.ui.help import HelpScreen
from amtui.ui.widgets.light import DimmedScreen


@pytest.fixture
def filled(workspace: Workspace, clock: StillClock) -> Workspace:
    clients = workspace.repo(Client)
    romashka = clients.add(Client(name="ООО «Ромашка»"))
    atlas = clients.add(Client(name="Atlas Fitness", kind="b2c"))
    for number in range(12):
        workspace.repo(Message).add(Message(
            client_id=(romashka if number % 2 else atlas).id, received_at=clock(),
            text=f"Когда будет макет №{number}? https://example.com/{number}"))
    workspace.repo(Task).add(Task(title="Макет главной", client_id=romashka.id))
    return workspace


@pytest.mark.parametrize("theme", ["amtui-dark", "amtui-light", "amtui-16"])
@pytest.mark.parametrize(("pane", "key", "modal"), [("inbox", "n", FormScreen),
                                                    ("board", "e", FormScreen),
                                                    ("inbox", "question_mark", HelpScreen)])
async def test_the_pane_under_a_form_is_dimmed_as_textual_dims_it(
        filled: Workspace, theme: str, pane: str, key: str, modal: type) -> None:
    app = AmtuiApp(filled, pane=pane, theme=theme)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        screen, below = app.screen, app.screen_stack[-2]
        assert isinstance(screen, modal)
        visible_screen_stack.set([below])
        drawn = visualize(screen, screen.render())
        assert isinstance(drawn, DimmedScreen)
        width, height = screen.size
        textuals = RichVisual(screen, BackgroundScreen(below, screen.styles.background))
        expected = Visual.to_strips(screen, textuals, width, height, screen.visual_style)
        assert any(strip.text.strip() for strip in expected)
        assert Visual.to_strips(screen, drawn, width, height, screen.visual_style) == expected


async def test_full_collections_are_rarer_while_amtui_runs(filled: Workspace) -> None:
    before = gc.get_threshold()
    app = AmtuiApp(filled, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert gc.get_threshold() == (*before[:2], FULL_AFTER)
    assert gc.get_threshold() == before


async def test_a_full_collection_waits_for_the_keyboard_to_rest(filled: Workspace) -> None:
    now = [1000.0]
    app = AmtuiApp(filled, pane="inbox")
    app.collector.clock = lambda: now[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert app.collector.last_input == now[0]
        gc.collect(1)  # young objects aged: a full collection is due
        assert gc.get_count()[2] > 0
        now[0] += IDLE_SECONDS / 2
        assert not app.collector.collect_if_idle()
        assert gc.get_count()[2] > 0
        now[0] += IDLE_SECONDS / 2
        await pilot.press("down")  # a key: the rest starts again
        await settle(pilot)
        now[0] += IDLE_SECONDS - 0.1
        assert not app.collector.collect_if_idle()
        now[0] += 0.1
        assert app.collector.collect_if_idle()
        assert gc.get_count()[2] == 0
        assert not app.collector.collect_if_idle()
