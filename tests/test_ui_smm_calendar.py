"""The calendar pane with the keyboard: moving around the month and the week, a day's posts,
a post's approval steps, moving and copying posts to other days, new posts, the filter, the
plan and the export; and snapshots of the month and week views at 80×24 and 120×40.

Snapshots: ``AMTUI_UPDATE_SNAPSHOTS=1 pytest tests/test_ui_smm_calendar.py`` rewrites the
``calendar-*.svg`` pictures (review them before committing).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from amtui.models import Client, Member
from amtui.plugins.host import PluginHost
from amtui.storage import Workspace
from amtui.testing import StillClock, load_plugin, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.widgets.choice import Choice
from conftest import palette_lines, snapshot_files
from test_plugin_catalogues import russian, screen_text
from test_smm_calendar import NAME, add_post, calendar_plugin, filled, romashka, stored
from test_ui_snapshots import (
    ENGLISH_UI_WORDS,
    SNAPSHOTS,
    steady_screenshot,
    utc_local_time,
    what_it_shows,
)

plugin = calendar_plugin()
from smm_calendar.grid import CalendarGrid  # noqa: E402
from smm_calendar.model import Post, PostStatus, TrailKind  # noqa: E402
from smm_calendar.screens import DayScreen, PlanScreen, PostScreen  # noqa: E402
from smm_calendar.slots import make_slots  # noqa: E402

S = PostStatus
__all__ = ["filled", "romashka", "russian", "utc_local_time"]  # fixtures used here


@pytest.fixture
def host(workspace: Workspace) -> PluginHost:
    return load_plugin(plugin, workspace, NAME)


class Agency:
    """Two clients and their posts around Thursday 26 November 2026 (today)."""

    def __init__(self, workspace: Workspace, clock: StillClock) -> None:
        self.workspace = workspace
        now = clock()
        workspace.repo(Member).add(Member(name="Анна Смирнова", login="anna"))
        clients = workspace.repo(Client)
        self.romashka = clients.add(Client(name="ООО «Ромашка»", timezone="Europe/Moscow"))
        self.atlas = clients.add(Client(name="Atlas Fitness", timezone="Europe/London"))
        self.draft = add_post(workspace, self.romashka, date(2026, 11, 26), time(10),
                              title="Анонс акции недели", status=S.DRAFT)
        self.waiting = add_post(workspace, self.romashka, date(2026, 11, 26), time(18),
                                channel="instagram", title="Кейс клиента",
                                status=S.CLIENT_APPROVAL,
                                sent_for_approval_at=now - timedelta(days=3))
        self.approved = add_post(workspace, self.atlas, date(2026, 11, 27), time(12, 30),
                                 channel="telegram", title="Weekly digest", status=S.APPROVED)
        self.published = add_post(workspace, self.romashka, date(2026, 11, 25), time(19),
                                  title="Итоги недели", status=S.PUBLISHED)
        add_post(workspace, self.romashka, date(2026, 11, 28), time(11), channel="facebook",
                 title="Старый баннер", status=S.REJECTED)
        add_post(workspace, self.atlas, date(2026, 12, 1), time(9), channel="site",
                 title="Blog: winter menu", status=S.SCHEDULED)
        make_slots(workspace, self.romashka.id, "vk", [0], time(10), date(2026, 11, 23),
                   date(2026, 12, 7), by="anna")


@pytest.fixture
def agency(workspace: Workspace, clock: StillClock, host: PluginHost) -> Agency:
    return Agency(workspace, clock)


@asynccontextmanager
async def calendar(workspace: Workspace, host: PluginHost,
                   size: tuple[int, int] = (80, 24)) -> AsyncIterator[Pilot[None]]:
    app = AmtuiApp(workspace, pane="calendar", plugins=host)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


def grid_of(pilot: Pilot[None]) -> CalendarGrid:
    return pilot.app.screen.query_one(CalendarGrid)


def shown(pilot: Pilot[None]) -> str:
    """The grid's lines as text."""
    grid = grid_of(pilot)
    return "\n".join(grid.render_line(y).text for y in range(grid.size.height))


def status_line(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#calendar-status").render())


def local_day(post: Any, zone_name: str) -> date:
    return post.publish_at.astimezone(__import__("zoneinfo").ZoneInfo(zone_name)).date()


# snapshots -------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("view", ["month", "week"])
async def test_snapshot(agency: Agency, host: PluginHost, view: str,
                        size: tuple[int, int]) -> None:
    async with calendar(agency.workspace, host, size) as pilot:
        if view == "week":
            await pilot.press("v")
            await settle(pilot)
        svg = await steady_screenshot(pilot, f"amtui calendar {view}")
    picture = SNAPSHOTS / f"calendar-{view}-{size[0]}x{size[1]}.svg"
    if os.environ.get("AMTUI_UPDATE_SNAPSHOTS"):
        picture.write_text(svg, encoding="utf-8")
    assert picture.exists(), f"no snapshot {picture.name}: make it with AMTUI_UPDATE_SNAPSHOTS=1"
    assert what_it_shows(svg) == what_it_shows(picture.read_text(encoding="utf-8")), (
        f"the {view} view at {size[0]}x{size[1]} looks different from {picture.name}")


# moving around ---------------------------------------------------------------------------

async def test_the_month_opens_on_today_and_the_keys_move_by_day_week_and_month(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        grid = grid_of(pilot)
        assert grid.cursor == date(2026, 11, 26)
        assert shown(pilot).splitlines()[0].startswith(" November 2026 · 7 posts")
        assert status_line(pilot).startswith("Thu 26 Nov 2026: 2 posts")
        await pilot.press("right", "l", "down")
        assert grid.cursor == date(2026, 12, 5)
        assert shown(pilot).splitlines()[0].startswith(" December 2026 · ")
        await pilot.press("pagedown")
        assert grid.cursor == date(2027, 1, 5)
        await pilot.press("pageup", "pageup", "k", "h")
        assert grid.cursor == date(2026, 10, 28)
        await pilot.press("t")
        assert grid.cursor == date(2026, 11, 26)


async def test_home_and_end_go_to_the_first_and_last_day_of_the_month_or_week(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        grid = grid_of(pilot)
        await pilot.press("end")
        assert grid.cursor == date(2026, 11, 30)
        assert status_line(pilot).startswith("Mon 30 Nov 2026")
        await pilot.press("home")
        assert grid.cursor == date(2026, 11, 1)
        assert status_line(pilot).startswith("Sun 01 Nov 2026")
        await pilot.press("t", "v")  # the week view: Monday to Sunday
        await pilot.press("end")
        assert grid.cursor == date(2026, 11, 29)
        await pilot.press("home")
        assert grid.cursor == date(2026, 11, 23)
        assert shown(pilot).splitlines()[0].startswith(" Week 48 · 23 Nov – 29 Nov 2026")


async def test_the_week_view_has_a_row_per_channel_and_the_list_view_the_months_posts(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("v")
        grid = grid_of(pilot)
        assert grid.view == "week"
        lines = shown(pilot).splitlines()
        assert lines[0].startswith(" Week 48 · 23 Nov – 29 Nov 2026 · 6 posts")
        assert [line.split()[0] for line in lines[2:] if line[:2] != "  " and line.strip()][
            :4] == ["Instagram", "VK", "Telegram", "Facebook"]
        assert "Кейс" not in lines[1] and "? ООО «Р" in "\n".join(lines[2:4])
        await pilot.press("down")
        assert grid.current_channel == "vk"
        assert "· VK: 1 post" in status_line(pilot)
        await pilot.press("pagedown")
        assert grid.cursor == date(2026, 12, 3)
        await pilot.press("pageup", "v")
        table = pilot.app.screen.query_one("#calendar-list")
        assert table.row_count == 7  # November's posts
        assert [table.get_row_at(row)[4].plain for row in range(3)] == [
            "ООО «Ромашка»", "ООО «Ромашка»", "ООО «Ромашка»"]
        await pilot.press("v")
        assert grid.view == "month" and grid.has_focus


# a day and a post ------------------------------------------------------------------------

async def test_enter_lists_the_days_posts_and_opens_one_with_its_trail(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("enter")
        day = pilot.app.screen
        assert isinstance(day, DayScreen)
        assert [row.title for row in day.rows] == ["Анонс акции недели", "Кейс клиента"]
        await pilot.press("down", "enter")
        await settle(pilot)
        post = pilot.app.screen
        assert isinstance(post, PostScreen)
        trail = str(post.query_one("#post-trail").render())
        assert "anna" in trail or "Анна Смирнова" in trail
        assert "made (client approval)" in trail
        facts = str(post.query_one("#post-facts").render())
        assert "Publish: Thu 26 Nov 2026 18:00 (Moscow)" in facts
        assert "With the client since Mon 23 Nov 12:00 (3 days)" in facts
        await pilot.press("escape", "escape")
        assert not isinstance(pilot.app.screen, DayScreen | PostScreen)


async def test_a_moves_the_post_on_and_the_trail_and_calendar_show_it(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        post = stored(agency.workspace, agency.draft.id)
        assert post.status is S.INTERNAL_REVIEW
        assert (post.trail[-1].from_status, post.trail[-1].to_status) == (
            S.DRAFT, S.INTERNAL_REVIEW)
        assert "draft → internal review" in str(pilot.app.screen.query_one(
            "#post-trail").render())
        await pilot.press("a")  # no text is missing: on to the client
        await settle(pilot)
        assert stored(agency.workspace, agency.draft.id).status is S.CLIENT_APPROVAL
        await pilot.press("escape")
        day = pilot.app.screen
        assert isinstance(day, DayScreen)
        assert day.rows[0].status is S.CLIENT_APPROVAL


async def test_the_clients_changes_send_the_post_back_to_draft_with_the_comment(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        await pilot.press("r")
        form = pilot.app.screen
        form.query_one("#field-comment", Input).value = "Нужно другое фото"
        await pilot.press("f2")
        await settle(pilot)
        post = stored(agency.workspace, agency.waiting.id)
        assert post.status is S.DRAFT
        assert (post.trail[-1].kind, post.trail[-1].text) == (TrailKind.CHANGES_REQUESTED,
                                                              "Нужно другое фото")


async def test_a_refused_status_change_says_why_in_the_form_and_saves_nothing(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        before = snapshot_files(agency.workspace.root)
        await pilot.press("s")
        form = pilot.app.screen
        form.query_one("#field-status").focus()
        await pilot.press("d")
        assert form.query_one("#field-status", Choice).value == "draft"
        await pilot.press("f2")
        await settle(pilot)
        assert "say what the client asked to change" in str(
            form.query_one("#form-error").render())
        assert pilot.app.screen is form
        await pilot.press("escape")
        await settle(pilot)
        assert snapshot_files(agency.workspace.root) == before


# moving and copying with the keyboard ----------------------------------------------------

async def test_m_picks_a_post_up_and_enter_puts_it_on_the_day_chosen(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        pane = pilot.app.screen
        reads = pane.loads_shown
        await pilot.press("right", "m")
        assert "Moving Weekly digest" in status_line(pilot)
        await pilot.press("right", "right", "enter")
        await settle(pilot)
        post = stored(agency.workspace, agency.approved.id)
        assert local_day(post, "Europe/London") == date(2026, 11, 29)
        assert post.publish_at == datetime(2026, 11, 29, 12, 30, tzinfo=UTC)
        grid = grid_of(pilot)
        assert grid.data is not None
        assert [row.id for row in grid.data.on_day(date(2026, 11, 29))] == [post.id]
        assert grid.data.on_day(date(2026, 11, 27)) == []
        assert "Weekly digest" not in status_line(pilot)
        assert pane.loads_shown == reads  # the saved post was put in place, nothing re-read
        await pilot.press("u")
        await settle(pilot)
        assert stored(agency.workspace, agency.approved.id).publish_at == (
            agency.approved.publish_at)
        assert [row.title for row in grid.data.on_day(date(2026, 11, 27))] == [
            "Weekly digest"]


async def test_escape_puts_the_post_down_where_it_was(agency: Agency,
                                                      host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        before = snapshot_files(agency.workspace.root)
        await pilot.press("right", "m", "right", "escape", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DayScreen)  # Enter opens the day again
        assert snapshot_files(agency.workspace.root) == before


async def test_a_published_post_cannot_be_picked_up(agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("left", "m")
        assert pilot.app.screen.carrying is None
        assert "Moving" not in status_line(pilot)


async def test_d_in_a_day_copies_the_post_to_the_day_chosen(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("enter", "d")
        assert "Copying Анонс акции недели" in status_line(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        copies = [post for post in agency.workspace.repo(Post).all()
                  if post.title == "Анонс акции недели"]
        assert sorted(local_day(post, "Europe/Moscow") for post in copies) == [
            date(2026, 11, 26), date(2026, 12, 3)]
        assert stored(agency.workspace, agency.draft.id) == agency.draft


# new posts and bad input -----------------------------------------------------------------

async def test_n_makes_a_post_on_the_selected_day_at_the_default_time(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("right", "right", "n")
        form = pilot.app.screen
        assert form.query_one("#field-day", Input).value == "2026-11-28"
        form.query_one("#field-client", Input).value = "atlas fitness"
        form.query_one("#field-title", Input).value = "[b]Weekend[/b] offer"
        form.query_one("#field-hashtags", Input).value = "sale #gym"
        await pilot.press("f2")
        await settle(pilot)
        [post] = [post for post in agency.workspace.repo(Post).all()
                  if post.title == "[b]Weekend[/b] offer"]
        assert (post.client_id, post.channel, post.status, post.hashtags) == (
            agency.atlas.id, "instagram", S.IDEA, ["#sale", "#gym"])
        assert post.publish_at == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # 10:00 GMT
        await pilot.press("enter")
        assert "[b]Weekend[/b] offer" in [row.title for row in pilot.app.screen.rows]


@pytest.mark.parametrize(("field", "value", "says"), [
    ("day", "2026-02-30", "2026-02-30 is not a date that exists"),
    ("time", "24:10", "24:10 is not a time of day"),
    ("client", "Атлас", "no client matches «Атлас»"),
    ("title", "  ", "required"),
])
async def test_a_new_post_with_bad_input_stays_in_the_form_and_nothing_is_saved(
        agency: Agency, host: PluginHost, field: str, value: str, says: str) -> None:
    async with calendar(agency.workspace, host) as pilot:
        before = snapshot_files(agency.workspace.root)
        await pilot.press("n")
        form = pilot.app.screen
        form.query_one("#field-client", Input).value = "Atlas Fitness"
        form.query_one("#field-title", Input).value = "Title"
        form.query_one(f"#field-{field}", Input).value = value
        await pilot.press("f2")
        await settle(pilot)
        assert pilot.app.screen is form
        problems = " ".join(str(widget.render()) for widget in form.query(".form-error"))
        assert says in problems.replace("String should have at least 1 character", "required")
        await pilot.press("escape")
        await settle(pilot)
        assert snapshot_files(agency.workspace.root) == before


# filter, plan, export --------------------------------------------------------------------

async def test_the_filter_shows_one_clients_posts_by_title(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host, size=(120, 40)) as pilot:
        assert "10:00 ООО «Ро" in shown(pilot)
        await pilot.press("f")
        pilot.app.screen.query_one("#field-client", Input).value = "Atlas Fitness"
        await pilot.press("f2")
        await settle(pilot)
        text = shown(pilot)
        assert text.splitlines()[0].startswith(" November 2026 · 1 post · Atlas Fitness")
        assert "12:30 Weekly" in text and "Ромашка" not in text
        assert "filtered (F clears)" in status_line(pilot)
        await pilot.press("F")
        assert "10:00 ООО «Ро" in shown(pilot)


async def test_the_plan_shows_filled_and_empty_slots_and_enter_filters_to_them(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("p")
        await settle(pilot)
        plan = pilot.app.screen
        assert isinstance(plan, PlanScreen)
        [line] = plan.lines
        # Mondays of November: 2, 9, 16, 23 (slot made), 30 (slot made).
        assert (line.client_name, line.expected, line.filled, line.empty, line.missing) == (
            "ООО «Ромашка»", 5, 0, 2, 3)
        await pilot.press("g")
        await settle(pilot)
        assert (plan.lines[0].empty, plan.lines[0].missing) == (5, 0)
        await pilot.press("enter")
        pane = pilot.app.screen
        assert (pane.chosen.client_name, pane.chosen.channel) == ("ООО «Ромашка»", "vk")


async def test_e_exports_the_month_to_an_ics_file(agency: Agency, host: PluginHost,
                                                   tmp_path: Path) -> None:
    target = tmp_path / "november.ics"
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("e")
        form = pilot.app.screen
        assert form.query_one("#field-start", Input).value == "2026-11-01"
        form.query_one("#field-path", Input).value = str(target)
        await pilot.press("f2")
        await settle(pilot)
    events = list(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert len(events) == 7
    assert {str(event["uid"]).split("@")[0] for event in events} >= {
        agency.draft.id, agency.waiting.id}


async def test_an_export_to_a_missing_folder_says_so_in_the_form(
        agency: Agency, host: PluginHost, tmp_path: Path) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("e")
        form = pilot.app.screen
        form.query_one("#field-path", Input).value = str(tmp_path / "nope" / "x.ics")
        await pilot.press("f2")
        await settle(pilot)
        assert "does not exist" in str(form.query_one("#form-error").render())
    assert not (tmp_path / "nope").exists()


# untrusted text ------------------------------------------------------------------------------

async def test_names_and_titles_are_shown_as_the_characters_they_are(
        workspace: Workspace, host: PluginHost) -> None:
    evil = workspace.repo(Client).add(Client(name="[b]Evil[/b]\x1b[31m"))
    add_post(workspace, evil, date(2026, 11, 26), title="[@click=app.quit]x[/]")
    async with calendar(workspace, host, size=(120, 40)) as pilot:
        assert "10:00 [b]Evi" in shown(pilot)
        assert "\x1b" not in shown(pilot)
        day_panel = str(pilot.app.screen.query_one("#calendar-day").render())
        assert "[@click=app.quit]x[/]" in day_panel and "[b]Evil[/b]\\x1b[3" in day_panel


async def test_the_palette_opens_the_calendars_plan_from_another_pane(
        agency: Agency, host: PluginHost) -> None:
    app = AmtuiApp(agency.workspace, pane="today", plugins=host)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"calendar: content plan")
        await wait_until(pilot, lambda: palette_lines(app).startswith("calendar: content plan"),
                         "the palette to offer the command")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_pane == "calendar"
        assert isinstance(app.screen, PlanScreen)


async def test_a_click_chooses_the_day_and_a_double_click_opens_it(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        grid = grid_of(pilot)
        # 80 columns: Monday to Sunday are 12, 12, 12, 11, 11, 11, 11 wide; the month's six
        # weeks have 3 lines each under the title and the day names.
        await pilot.click(CalendarGrid, offset=(48, 2 + 4 * 3 + 1))
        assert grid.cursor == date(2026, 11, 27)
        await pilot.double_click(CalendarGrid, offset=(2, 2 + 5 * 3))
        assert grid.cursor == date(2026, 11, 30)
        assert isinstance(pilot.app.screen, DayScreen)
        assert [row.title for row in pilot.app.screen.rows] == ["VK slot"]


async def test_a_post_is_edited_written_and_commented_from_its_screen(
        agency: Agency, host: PluginHost) -> None:
    from textual.widgets import TextArea

    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("e")
        form = pilot.app.screen
        assert form.query_one("#field-time", Input).value == "10:00"
        form.query_one("#field-title", Input).value = "Анонс акции выходных"
        form.query_one("#field-time", Input).value = "11:30"
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("w")
        editor = pilot.app.screen.query_one(TextArea)
        editor.text = "Первый абзац.\n\nВторой абзац [b]как есть[/b]."
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("c")
        pilot.app.screen.query_one("#field-comment", Input).value = "Согласовать с юристом"
        await pilot.press("f2")
        await settle(pilot)
        post = stored(agency.workspace, agency.draft.id)
        assert post.title == "Анонс акции выходных"
        assert post.publish_at == datetime(2026, 11, 26, 8, 30, tzinfo=UTC)  # 11:30 Moscow
        assert post.text == "Первый абзац.\n\nВторой абзац [b]как есть[/b]."
        assert post.status is S.DRAFT
        assert (post.trail[-1].kind, post.trail[-1].text) == (TrailKind.COMMENT,
                                                              "Согласовать с юристом")
        screen = pilot.app.screen
        assert isinstance(screen, PostScreen)
        assert "[b]как есть[/b]" in str(screen.query_one("#post-text").render())


async def test_x_moves_a_post_to_the_trash_and_u_brings_it_back(
        agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press("enter", "x")
        await settle(pilot)
        assert agency.workspace.repo(Post).find(agency.draft.id) is None
        assert [row.title for row in pilot.app.screen.rows] == ["Кейс клиента"]
        await pilot.press("escape", "u")
        await settle(pilot)
        assert agency.workspace.repo(Post).find(agency.draft.id) is not None
        assert len(grid_of(pilot).data.on_day(date(2026, 11, 26))) == 2


async def test_a_post_chosen_on_today_opens_in_the_calendar(agency: Agency,
                                                            host: PluginHost) -> None:
    app = AmtuiApp(agency.workspace, pane="today", plugins=host)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_record(Post.table, agency.waiting.id)
        await settle(pilot)
        assert app.current_pane == "calendar"
        assert isinstance(app.screen, PostScreen)
        assert app.screen.post_id == agency.waiting.id


# in Russian ------------------------------------------------------------------------------

async def test_the_calendar_in_russian(agency: Agency, host: PluginHost, russian: None) -> None:
    async with calendar(agency.workspace, host) as pilot:
        screen = screen_text(pilot)
        assert "Календарь" in screen.splitlines()[1]  # the pane bar
        assert " · 7 постов" in shown(pilot).splitlines()[0]  # (dates: their own tests)
        assert ": 2 поста · ? клавиши" in status_line(pilot)
        footer = screen.splitlines()[-1]
        for words in ("День", "Новый", "Перенос", "Вид", "Фильтр", "План"):
            assert words in footer
        await pilot.press("v", "v")  # the list
        await settle(pilot)
        headings = screen_text(pilot)
        for words in ("День", "Время", "Статус", "Канал", "Клиент", "Заголовок"):
            assert words in headings
        assert "● опубликован " in headings  # the status column fits its longest word
        await pilot.press("n")
        await settle(pilot)
        form = screen_text(pilot)
        assert "Новый пост" in form and "Время (ЧЧ:ММ, часовой пояс клиента)" in form


def test_the_calendar_command_prints_russian(filled: Workspace, russian: None,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.cli import main

    monkeypatch.setenv("AMTUI_LANG", "ru")  # where the language is chosen from the environment
    romashka = filled.repo(Client).resolve("ООО «Ромашка»")
    make_slots(filled, romashka.id, "vk", [3], time(10), date(2026, 12, 1), date(2026, 12, 31))
    assert main(["calendar", "plan", "--from", "2026-12-01", "--workspace",
                 str(filled.root)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("ООО «Ромашка»  VK ")
    assert ": заполнено 2 из 4, пусто 2, не создано 0" in said  # 31 December is a day off


CALENDAR_ENGLISH_WORDS = ENGLISH_UI_WORDS | {
    "Calendar", "Week", "Month", "List", "Posts", "post", "posts", "Plan", "Move", "View", "Day",
    "keys", "Draft", "draft", "approval", "published", "Channel", "Time", "Title",
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Oct", "Nov", "Dec", "December", "November", "Monday", "Thursday"}
"""Words of the calendar's English interface (and of English dates), none of them in its data."""


@pytest.mark.parametrize("keys", [(), ("v",), ("v", "v"), ("enter",), ("p",)],
                         ids=["month", "week", "list", "day", "plan"])
async def test_the_calendar_shows_no_english_word_in_russian(
        agency: Agency, host: PluginHost, russian: None, keys: tuple[str, ...]) -> None:
    async with calendar(agency.workspace, host) as pilot:
        await pilot.press(*keys)
        await settle(pilot)
        screen = screen_text(pilot)
    assert not CALENDAR_ENGLISH_WORDS & set(re.findall(r"[A-Za-z]+", screen)), screen
