"""The calendar's post screen and its forms in Russian, as a user reads them: no English word,
the client's city and lengths of time in Russian, a bad time or period refused in Russian."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input, Static

from amtui.plugins.host import PluginHost
from amtui.testing import settle
from conftest import snapshot_files
from test_plugin_catalogues import russian, screen_text
from test_ui_smm_calendar import CALENDAR_ENGLISH_WORDS, Agency, agency, calendar, host

__all__ = ["agency", "host", "russian"]  # fixtures used here

POST_ENGLISH_WORDS = CALENDAR_ENGLISH_WORDS | {
    "Client", "Publish", "Status", "Assignee", "nobody", "Hashtags", "Tags", "Media", "Text",
    "Approval", "history", "made", "client", "since", "With", "days", "day", "hours", "next",
    "status", "changes", "comment", "edit", "text", "move", "copy", "delete", "close", "Moscow",
    "Europe"}
"""Words of the post screen's English interface (none of them in the test's data)."""


@pytest.mark.parametrize("keys", [(), ("r",), ("c",), ("e",), ("m",), ("s",)],
                         ids=["post", "changes", "comment", "edit", "move", "status"])
async def test_the_post_screen_shows_no_english_word_in_russian(
        agency: Agency, host: PluginHost, russian: None, keys: tuple[str, ...]) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("enter", "down", "enter")  # the day, then its post awaiting the client
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        screen = screen_text(pilot)
    assert not POST_ENGLISH_WORDS & set(re.findall(r"[A-Za-z]+", screen)), screen
    if not keys:
        assert "чт 26 нояб. 2026 18:00 (Москва)" in screen, screen
        assert "(3 дня)" in screen, screen


@pytest.mark.parametrize(("field", "value", "says"), [
    ("time", "24:10", "время: 24:10 — такого времени суток нет"),
    ("day", "31.02", "день: даты 31.02 не существует"),
])
async def test_a_new_post_with_a_bad_day_or_time_is_refused_in_russian(
        agency: Agency, host: PluginHost, russian: None, field: str, value: str,
        says: str) -> None:
    async with calendar(agency.workspace, host) as pilot:
        before = snapshot_files(agency.workspace.root)
        await pilot.press("n")
        form = pilot.app.screen
        form.query_one("#field-client", Input).value = "Atlas Fitness"
        form.query_one("#field-title", Input).value = "Анонс"
        form.query_one(f"#field-{field}", Input).value = value
        await pilot.press("f2")
        await settle(pilot)
        assert pilot.app.screen is form
        problems = " ".join(str(widget.render()) for widget in form.query(".form-error")
                            if isinstance(widget, Static))
    assert says in problems, problems
    assert not re.search(r"[A-Za-z]{2,}", problems.replace("Atlas Fitness", "")), problems
    assert snapshot_files(agency.workspace.root) == before


@pytest.mark.parametrize("view", ["month", "week"])
async def test_the_calendar_in_russian_at_80x24(agency: Agency, host: PluginHost, russian: None,
                                               view: str) -> None:
    from test_ui_snapshots import same_as_saved, steady_screenshot

    async with calendar(agency.workspace, host) as pilot:
        if view == "week":
            await pilot.press("v")
            await settle(pilot)
        svg = await steady_screenshot(pilot, f"amtui calendar {view}")
    same_as_saved(svg, f"calendar-{view}-80x24-ru.svg",
                  f"the Calendar's {view} view in Russian at 80x24")
