"""A ticked box reads as ticked without colour: ✓ in it, an unticked one empty."""

from __future__ import annotations

from textual.app import App, ComposeResult

from amtui.testing import settle
from amtui.ui.widgets.ticklist import TICKED, TickList


class Departments(App[None]):
    def compose(self) -> ComposeResult:
        yield TickList[str](("design", "design", True), ("seo", "seo"), ("copywriting", "copy"))


def boxes(app: Departments) -> list[str]:
    ticks = app.query_one(TickList)
    return [ticks.render_line(row).text[:4] for row in range(3)]


async def test_the_box_shows_whether_it_is_ticked_in_text() -> None:
    app = Departments()
    async with app.run_test(size=(40, 6)) as pilot:
        await settle(pilot)
        assert [box[1] for box in boxes(app)] == [TICKED, " ", " "]
        await pilot.press("down", "space")
        await settle(pilot)
        assert [box[1] for box in boxes(app)] == [TICKED, TICKED, " "]
        assert app.query_one(TickList).selected == ["design", "seo"]
