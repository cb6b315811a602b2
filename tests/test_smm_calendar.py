"""The SMM content calendar plugin (plugins/smm_calendar), without the UI: the approval loop
and its trail, Today and the client card, content plan slots across time zones, month
boundaries and summer time, iCalendar and CSV export, the command line and the demo data."""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import icalendar
import pytest

from amtui.models import Client, Member
from amtui.plugins.host import PluginHost
from amtui.services.agenda import plugin_sections
from amtui.storage import Workspace
from amtui.testing import START, StillClock, import_bundled, load_plugin
from conftest import run_cli, snapshot_files
from test_plugin_catalogues import russian  # noqa: F401 (a fixture)

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "smm_calendar"
NAME = "smm_calendar"


def calendar_plugin() -> ModuleType:
    """The bundled package, imported from its folder (once per process)."""
    return import_bundled(NAME)


plugin = calendar_plugin()
model = importlib.import_module(f"{NAME}.model")
workflow = importlib.import_module(f"{NAME}.workflow")
slots = importlib.import_module(f"{NAME}.slots")
export = importlib.import_module(f"{NAME}.export")
agenda = importlib.import_module(f"{NAME}.agenda")
index = importlib.import_module(f"{NAME}.index")
demo = importlib.import_module(f"{NAME}.demo")
times = importlib.import_module(f"{NAME}.times")

Post, PostStatus, Refused = model.Post, model.PostStatus, model.Refused
S = PostStatus
MSK = "Europe/Moscow"


@pytest.fixture
def host(workspace: Workspace) -> PluginHost:
    return load_plugin(plugin, workspace, NAME)


@pytest.fixture
def romashka(workspace: Workspace, host: PluginHost) -> Client:
    return workspace.repo(Client).add(Client(name="ООО «Ромашка»", timezone=MSK))


def add_post(workspace: Workspace, client: Client, day: date, at: time = time(10),
             channel: str = "vk", title: str = "Анонс акции", text: str = "Текст поста",
             status: Any = S.IDEA, **extra: Any) -> Any:
    post = workflow.build_post(workspace, workflow.PostFields(
        client_id=client.id, channel=channel, day=day, at=at, title=title, text=text),
        status=status, by="anna")
    if extra:
        post = post.model_copy(update=extra)
    return workspace.repo(Post).add(post)


def stored(workspace: Workspace, post_id: str) -> Any:
    return workspace.repo(Post).get(post_id)


# the approval loop ---------------------------------------------------------------------------

def test_a_post_goes_all_the_way_to_published_and_each_step_is_in_the_trail(
        workspace: Workspace, romashka: Client, clock: StillClock) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 3))
    path = [S.DRAFT, S.INTERNAL_REVIEW, S.CLIENT_APPROVAL, S.APPROVED, S.SCHEDULED,
            S.PUBLISHED]
    for status in path:
        clock.advance(hours=1)
        assert workflow.advance(workspace, post.id, by="anna").post.status is status
    done = stored(workspace, post.id)
    assert done.status is S.PUBLISHED
    steps = [(step.from_status, step.to_status) for step in done.trail[1:]]
    assert steps == list(zip([S.IDEA, *path[:-1]], path, strict=True))
    assert [step.at for step in done.trail[1:]] == [
        START + timedelta(hours=hours) for hours in range(1, 7)]
    assert {step.by for step in done.trail} == {"anna"}
    assert done.sent_for_approval_at == START + timedelta(hours=3)


@pytest.mark.parametrize(("start", "target", "says"), [
    (S.IDEA, S.APPROVED, "cannot go from idea to approved"),
    (S.DRAFT, S.PUBLISHED, "cannot go from draft to published"),
    (S.PUBLISHED, S.DRAFT, "from published: none"),
    (S.REJECTED, S.SCHEDULED, "cannot go from rejected to scheduled"),
    (S.SCHEDULED, S.SCHEDULED, "already scheduled"),
    (S.CLIENT_APPROVAL, S.DRAFT, "say what the client asked to change"),
])
def test_a_transition_not_allowed_is_refused_and_nothing_changes(
        workspace: Workspace, romashka: Client, start: Any, target: Any, says: str) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 3), status=start)
    before = snapshot_files(workspace.root)
    with pytest.raises(Refused, match=says):
        workflow.change_status(workspace, post.id, target)
    assert snapshot_files(workspace.root) == before


def test_an_unknown_status_is_refused_naming_the_known_ones(
        workspace: Workspace, romashka: Client) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 3))
    with pytest.raises(Refused, match="unknown status 'done': use one of idea, draft"):
        workflow.change_status(workspace, post.id, "done")


def test_a_post_without_text_is_not_sent_to_the_client(
        workspace: Workspace, romashka: Client) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 3), text="  ",
                    status=S.INTERNAL_REVIEW)
    with pytest.raises(Refused, match="no text yet"):
        workflow.change_status(workspace, post.id, S.CLIENT_APPROVAL)
    assert stored(workspace, post.id).status is S.INTERNAL_REVIEW


def test_changes_the_client_asked_for_send_the_post_back_to_draft_with_their_comment(
        workspace: Workspace, romashka: Client, clock: StillClock) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 3), status=S.INTERNAL_REVIEW)
    workflow.change_status(workspace, post.id, S.CLIENT_APPROVAL, by="anna")
    clock.advance(days=1)
    saved = workflow.request_changes(workspace, post.id, "Другое фото, пожалуйста", by="anna")
    assert saved.post.status is S.DRAFT
    last = saved.post.trail[-1]
    assert (last.kind, last.from_status, last.to_status, last.text, last.at) == (
        model.TrailKind.CHANGES_REQUESTED, S.CLIENT_APPROVAL, S.DRAFT,
        "Другое фото, пожалуйста", START + timedelta(days=1))
    with pytest.raises(Refused, match="the post is draft"):
        workflow.request_changes(workspace, post.id, "ещё раз")


def test_comments_join_the_trail_and_an_empty_one_is_refused(
        workspace: Workspace, romashka: Client) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 3))
    workflow.add_comment(workspace, post.id, "Клиент просит эмодзи", by="igor")
    trail = stored(workspace, post.id).trail
    assert (trail[-1].kind, trail[-1].text, trail[-1].by) == (
        model.TrailKind.COMMENT, "Клиент просит эмодзи", "igor")
    with pytest.raises(Refused, match="empty"):
        workflow.add_comment(workspace, post.id, "   ")
    assert len(stored(workspace, post.id).trail) == 2


def test_undo_puts_the_status_back_unless_the_post_changed_again(
        workspace: Workspace, romashka: Client) -> None:
    from amtui.storage import ConflictError

    post = add_post(workspace, romashka, date(2026, 12, 3))
    saved = workflow.change_status(workspace, post.id, S.DRAFT)
    saved.undo.revert()
    assert stored(workspace, post.id).status is S.IDEA
    again = workflow.change_status(workspace, post.id, S.DRAFT)
    workflow.add_comment(workspace, post.id, "later")
    with pytest.raises(ConflictError, match="changed again"):
        again.undo.revert()


# making, moving, duplicating -------------------------------------------------------------

def test_bad_input_for_a_post_is_refused_plainly(workspace: Workspace,
                                                 romashka: Client) -> None:
    fields = workflow.PostFields(client_id=romashka.id, channel="myspace",
                                 day=date(2026, 12, 3), at=time(10), title="X")
    with pytest.raises(Refused, match="unknown channel 'myspace': use one of instagram, vk"):
        workflow.build_post(workspace, fields)
    with pytest.raises(Refused, match="2026-02-30 is not a date that exists"):
        times.parse_date("2026-02-30", "day")
    with pytest.raises(Refused, match="'next week' is not a date"):
        times.parse_date("next week", "day")
    with pytest.raises(Refused, match="25:00 is not a time of day"):
        times.parse_time("25:00")
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="title"):
        workflow.build_post(workspace, workflow.PostFields(
            client_id=romashka.id, channel="VK", day=date(2026, 12, 3), at=time(10), title=" "))


def test_a_channel_may_be_named_by_its_title_and_comes_out_as_its_id(
        workspace: Workspace, romashka: Client) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 3), channel="Site/blog")
    assert post.channel == "site"


def test_moving_keeps_the_local_time_and_is_in_the_trail(
        workspace: Workspace, romashka: Client) -> None:
    post = add_post(workspace, romashka, date(2026, 11, 30), at=time(18, 30))
    moved = workflow.move_post(workspace, post.id, date(2026, 12, 2), by="anna").post
    assert moved.publish_at == datetime(2026, 12, 2, 15, 30, tzinfo=UTC)
    assert moved.trail[-1].text == "from 2026-11-30 to 2026-12-02"
    published = add_post(workspace, romashka, date(2026, 11, 20), status=S.PUBLISHED)
    with pytest.raises(Refused, match="published"):
        workflow.move_post(workspace, published.id, date(2026, 11, 21))


def test_a_duplicate_is_a_new_draft_with_the_same_content_on_another_day(
        workspace: Workspace, romashka: Client) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 3), status=S.APPROVED,
                    hashtags=["#sale"])
    copy = workflow.duplicate_post(workspace, post.id, date(2026, 12, 10)).post
    assert copy.id != post.id
    assert (copy.title, copy.text, copy.hashtags, copy.channel) == (
        post.title, post.text, ["#sale"], post.channel)
    assert copy.status is S.DRAFT
    assert copy.publish_at == post.publish_at + timedelta(days=7)
    assert len(copy.trail) == 1 and "copy of" in copy.trail[0].text
    assert stored(workspace, post.id).status is S.APPROVED


# Today and the client card -----------------------------------------------------------------

def test_today_lists_posts_the_client_sat_on_and_posts_due_soon_not_approved(
        workspace: Workspace, romashka: Client, host: PluginHost, clock: StillClock) -> None:
    now = clock()
    late = add_post(workspace, romashka, date(2026, 12, 10), title="Ждёт клиента 3 дня",
                    status=S.CLIENT_APPROVAL, sent_for_approval_at=now - timedelta(days=3))
    add_post(workspace, romashka, date(2026, 12, 10), title="Отправлен вчера",
             status=S.CLIENT_APPROVAL, sent_for_approval_at=now - timedelta(days=1))
    add_post(workspace, romashka, date(2026, 11, 28), title="Черновик на субботу",
             status=S.DRAFT)
    add_post(workspace, romashka, date(2026, 11, 28), title="Одобрен", status=S.APPROVED)
    add_post(workspace, romashka, date(2026, 12, 20), title="Идея на потом")
    add_post(workspace, romashka, date(2026, 11, 10), title="Забытая идея")
    sections = {section.title: section for section in plugin_sections(workspace, host)}
    waiting = sections[agenda.WAITING]
    assert [item.title for item in waiting.items] == ["Ждёт клиента 3 дня"]
    assert waiting.items[0].client == "ООО «Ромашка»"
    assert (waiting.items[0].table, waiting.items[0].record_id) == ("posts", late.id)
    assert "with the client 3 days" in waiting.items[0].detail
    due = sections[agenda.DUE_SOON]
    assert [item.title for item in due.items] == ["Черновик на субботу"]
    # the agency's time, as every time in amtui (the client keeps the agency's: nothing more)
    assert due.items[0].detail.endswith("draft · publish in 2 days (28.11 10:00)")


def test_a_posts_time_is_the_agencys_and_the_clients_with_its_zone_named(
        workspace: Workspace, host: PluginHost, clock: StillClock) -> None:
    far = workspace.repo(Client).add(Client(name="Технопарк", timezone="Asia/Novosibirsk"))
    add_post(workspace, far, date(2026, 11, 26), at=time(22), title="Опрос: кофе",
             status=S.CLIENT_APPROVAL, sent_for_approval_at=clock() - timedelta(days=4))
    sections = {section.title: section for section in plugin_sections(workspace, host)}
    when = ("publish in 6 hours (today 18:00) · client's time 22:00 (Novosibirsk, UTC+7)")
    assert sections[agenda.WAITING].items[0].detail == (
        f"VK · with the client 4 days · {when}")
    assert sections[agenda.DUE_SOON].items[0].detail == f"VK · client approval · {when}"
    [(_name, card)] = host.client_sections(workspace, far)
    assert f"(VK, {when})" in "\n".join(card.lines)


def refuse_reading_through(workspace: Workspace, monkeypatch: pytest.MonkeyPatch,
                           table: str) -> None:
    """From now on the table's file may not be read whole: only the record index answers."""
    def refused() -> Any:
        raise AssertionError(f"{table} was read through instead of asking the record index")

    monkeypatch.setattr(workspace.file(table), "scan", refused)
    monkeypatch.setattr(workspace.file(table), "stored", refused)


def test_today_asks_the_index_for_the_posts_at_the_edges_of_its_windows(
        workspace: Workspace, romashka: Client, host: PluginHost, clock: StillClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Due soon: from 7 days past to 3 days ahead, both ends in; waiting: longer than the 2
    agreed days, not exactly 2."""
    now, minute = clock(), timedelta(minutes=1)
    other = workspace.repo(Client).add(Client(name="Atlas", timezone=MSK))
    for title, publish_at, status, sent in [
            ("7 дней назад", now - timedelta(days=7), S.DRAFT, None),
            ("7 дней и минуту назад", now - timedelta(days=7) - minute, S.IDEA, None),
            ("Ровно через 3 дня", now + timedelta(days=3), S.INTERNAL_REVIEW, None),
            ("Через 3 дня и минуту", now + timedelta(days=3) + minute, S.DRAFT, None),
            ("Ждёт ровно 2 дня", now + timedelta(days=10), S.CLIENT_APPROVAL,
             now - timedelta(days=2)),
            ("Ждёт 2 дня и минуту", now + timedelta(days=10), S.CLIENT_APPROVAL,
             now - timedelta(days=2) - minute),
            ("Одобрен", now + timedelta(days=1), S.APPROVED, now - timedelta(days=5)),
            ("Опубликован", now - timedelta(days=1), S.PUBLISHED, now - timedelta(days=5))]:
        add_post(workspace, romashka, date(2026, 12, 1), title=title, status=status,
                 publish_at=publish_at, sent_for_approval_at=sent)
    add_post(workspace, other, date(2026, 12, 1), title="Чужой черновик", status=S.DRAFT,
             publish_at=now + timedelta(days=1))

    def lines() -> list[tuple[str, str, str]]:
        return [(section.title, item.title, item.client)
                for section in plugin_sections(workspace, host) for item in section.items]

    expected = [(agenda.DUE_SOON, "7 дней назад", "ООО «Ромашка»"),
                (agenda.DUE_SOON, "Чужой черновик", "Atlas"),
                (agenda.DUE_SOON, "Ровно через 3 дня", "ООО «Ромашка»"),
                (agenda.WAITING, "Ждёт 2 дня и минуту", "ООО «Ромашка»")]
    assert lines() == expected  # the first question makes the copy of the posts
    refuse_reading_through(workspace, monkeypatch, "posts")
    assert lines() == expected
    section = agenda.client_section(workspace, other, now)
    assert section.lines[0].startswith("not approved, due soon: Чужой черновик (VK, draft")


def test_the_agreed_approval_time_comes_from_workspace_toml(
        workspace_path: Path, clock: StillClock) -> None:
    Workspace.open(workspace_path, create=True, clock=clock)
    settings = workspace_path / "workspace.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + "\n[smm_calendar]\napproval_days = 5\ndue_soon_days = 0\n",
                        encoding="utf-8")
    workspace = Workspace.open(workspace_path, clock=clock)
    host = load_plugin(plugin, workspace, NAME)
    client = workspace.repo(Client).add(Client(name="Atlas"))
    add_post(workspace, client, date(2026, 12, 10), status=S.CLIENT_APPROVAL,
             sent_for_approval_at=clock() - timedelta(days=3))
    add_post(workspace, client, date(2026, 11, 27), status=S.DRAFT)
    assert plugin_sections(workspace, host) == []


@pytest.mark.parametrize(("section", "problem"), [
    ("approval_days = 0", "approval_days"),
    ('channels = ["vk", "vk"]', "a channel is named twice"),
    ('chanels = ["vk"]', "chanels"),
])
def test_wrong_settings_switch_the_plugin_off_with_the_reason(
        workspace_path: Path, clock: StillClock, section: str, problem: str) -> None:
    Workspace.open(workspace_path, create=True, clock=clock)
    settings = workspace_path / "workspace.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"\n[smm_calendar]\n{section}\n",
                        encoding="utf-8")
    host = load_plugin(plugin, Workspace.open(workspace_path, clock=clock), NAME)
    info = host.plugins[NAME]
    assert info.status == "failed"
    assert "[smm_calendar]" in info.error and problem in info.error


def test_the_client_card_shows_what_waits_what_is_coming_and_the_approval_steps(
        workspace: Workspace, romashka: Client, host: PluginHost, clock: StillClock) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 10), title="Кейс клиента",
                    status=S.INTERNAL_REVIEW)
    workflow.change_status(workspace, post.id, S.CLIENT_APPROVAL, by="anna")
    clock.advance(days=3)
    add_post(workspace, romashka, date(2026, 12, 1), title="Черновик", status=S.DRAFT)
    other = workspace.repo(Client).add(Client(name="Atlas"))
    add_post(workspace, other, date(2026, 12, 1), title="Не наш")
    [(_name, section)] = host.client_sections(workspace, romashka)
    assert section.title == "Content calendar"
    text = "\n".join(section.lines)
    assert "waiting for approval 3 days: Кейс клиента (VK" in text
    assert "not approved, due soon: Черновик (VK, draft" in text
    assert "next 30 days: 2 posts (1 draft, 1 client approval)" in text
    assert "Не наш" not in text
    assert [(item.kind, item.text, item.record_id) for item in section.timeline] == [
        ("post", "sent for approval: Кейс клиента", post.id)]
    [(_name, empty)] = host.client_sections(workspace, other)
    assert "no posts planned" not in empty.lines
    [(_name, nothing)] = host.client_sections(
        workspace, workspace.repo(Client).add(Client(name="Новый")))
    assert nothing.lines == ["no posts planned"]


# content plan slots --------------------------------------------------------------------------

def local_slots(made: Any, zone_name: str) -> list[str]:
    return [f"{times.local(post.publish_at, zone_name):%a %Y-%m-%d %H:%M}"
            for post in sorted(made.made, key=lambda post: post.publish_at)]


def test_a_rule_makes_empty_slots_on_its_days_at_the_clients_local_time(
        workspace: Workspace, romashka: Client) -> None:
    made = slots.make_slots(workspace, romashka.id, "vk", slots.parse_weekdays("Mon/Wed/Fri"),
                            time(10), date(2026, 12, 1), date(2026, 12, 31))
    assert len(made.made) == 13
    assert all(post.publish_at.astimezone(UTC).time() == time(7) for post in made.made)
    assert all(post.is_empty_slot() and post.slot_rule_id == made.rule.id
               for post in made.made)
    assert local_slots(made, MSK)[:3] == ["Wed 2026-12-02 10:00", "Fri 2026-12-04 10:00",
                                          "Mon 2026-12-07 10:00"]
    assert made.rule.label() == "vk Mon/Wed/Fri 10:00"


def test_no_slot_on_a_public_holiday_or_a_day_off_of_the_workspace(
        workspace: Workspace, romashka: Client) -> None:
    workspace.settings = workspace.settings.model_copy(update={"days_off": [date(2026, 11, 6)]})
    made = slots.make_slots(workspace, romashka.id, "vk", slots.parse_weekdays("пн, ср, пт"),
                            time(10), date(2026, 11, 2), date(2026, 11, 13))
    # Wednesday 4 November is Unity Day; Friday 6 November the workspace's own day off
    assert local_slots(made, MSK) == ["Mon 2026-11-02 10:00", "Mon 2026-11-09 10:00",
                                      "Wed 2026-11-11 10:00", "Fri 2026-11-13 10:00"]
    [line] = slots.plan(workspace, date(2026, 11, 2), date(2026, 11, 13))
    assert (line.expected, line.empty, line.missing) == (4, 4, 0)


def test_slots_never_overwrite_posts_and_making_them_twice_adds_nothing(
        workspace: Workspace, romashka: Client) -> None:
    mine = add_post(workspace, romashka, date(2026, 12, 9), at=time(18), title="Уже есть")
    other_channel = add_post(workspace, romashka, date(2026, 12, 11), channel="telegram")
    rejected = add_post(workspace, romashka, date(2026, 12, 14), status=S.REJECTED)
    first = slots.make_slots(workspace, romashka.id, "vk", [0, 2, 4], time(10),
                             date(2026, 12, 7), date(2026, 12, 14))
    assert first.taken == [date(2026, 12, 9)]
    assert local_slots(first, MSK) == ["Mon 2026-12-07 10:00", "Fri 2026-12-11 10:00",
                                       "Mon 2026-12-14 10:00"]
    assert stored(workspace, mine.id) == mine
    assert stored(workspace, other_channel.id) == other_channel
    assert stored(workspace, rejected.id) == rejected
    again = slots.make_slots(workspace, romashka.id, "vk", [0, 2, 4], time(10),
                             date(2026, 12, 7), date(2026, 12, 14))
    assert again.made == [] and len(again.taken) == 4
    assert again.rule.id == first.rule.id
    assert workspace.repo(Post).count() == 6


def test_slots_cross_a_month_boundary_in_the_clients_own_days(
        workspace: Workspace, host: PluginHost) -> None:
    far_east = workspace.repo(Client).add(Client(name="Владивосток", timezone="Asia/Vladivostok"))
    made = slots.make_slots(workspace, far_east.id, "telegram", [0, 2], time(8),
                            date(2026, 11, 28), date(2026, 12, 3))
    assert local_slots(made, "Asia/Vladivostok") == ["Mon 2026-11-30 08:00",
                                                     "Wed 2026-12-02 08:00"]
    # 08:00 in Vladivostok is 22:00 UTC the day before: the slot is still on the client's day.
    assert min(post.publish_at for post in made.made) == datetime(2026, 11, 29, 22, 0,
                                                                  tzinfo=UTC)


def test_slots_keep_their_local_time_across_the_change_to_summer_time(
        workspace: Workspace, host: PluginHost) -> None:
    london = workspace.repo(Client).add(Client(name="Harbor Legal", timezone="Europe/London"))
    made = slots.make_slots(workspace, london.id, "instagram", [4, 0], time(10),
                            date(2026, 3, 27), date(2026, 3, 30))
    assert sorted(post.publish_at for post in made.made) == [
        datetime(2026, 3, 27, 10, 0, tzinfo=UTC),  # GMT
        datetime(2026, 3, 30, 9, 0, tzinfo=UTC)]  # BST
    autumn = slots.make_slots(workspace, london.id, "vk", [6], time(1, 30),
                              date(2026, 3, 29), date(2026, 10, 25))
    by_day = {times.local(post.publish_at, "Europe/London").date(): post.publish_at
              for post in autumn.made}
    # 01:30 does not exist on 29 March (01:00 → 02:00): it moves on by the hour skipped.
    assert by_day[date(2026, 3, 29)] == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert f"{times.local(by_day[date(2026, 3, 29)], 'Europe/London'):%H:%M}" == "02:30"
    # 01:30 happens twice on 25 October: the first one (still summer time).
    assert by_day[date(2026, 10, 25)] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert by_day[date(2026, 7, 5)] == datetime(2026, 7, 5, 0, 30, tzinfo=UTC)
    assert len(autumn.made) == 31


def test_moving_a_post_over_the_change_to_summer_time_keeps_its_wall_clock_time(
        workspace: Workspace, host: PluginHost) -> None:
    london = workspace.repo(Client).add(Client(name="Harbor Legal", timezone="Europe/London"))
    post = add_post(workspace, london, date(2026, 3, 27), at=time(10))
    moved = workflow.move_post(workspace, post.id, date(2026, 3, 30)).post
    assert moved.publish_at == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("typed", "days"), [
    ("Mon/Wed/Fri", [0, 2, 4]), ("пн, ср, пт", [0, 2, 4]), ("sun mon", [0, 6]),
    ("Thursday", [3]),
])
def test_days_of_the_week_in_english_or_russian(typed: str, days: list[int]) -> None:
    assert slots.parse_weekdays(typed) == days


@pytest.mark.parametrize(("typed", "says"), [
    ("Funday", "unknown day «funday»"), ("", "name at least one day"),
])
def test_a_day_that_is_not_a_weekday_is_refused(typed: str, says: str) -> None:
    with pytest.raises(Refused, match=says):
        slots.parse_weekdays(typed)


def test_bad_slot_requests_change_nothing(workspace: Workspace, romashka: Client) -> None:
    before = snapshot_files(workspace.root)
    with pytest.raises(Refused, match=r"ends \(01.12.2026\) before it starts"):
        slots.make_slots(workspace, romashka.id, "vk", [0], time(10), date(2026, 12, 31),
                         date(2026, 12, 1))
    with pytest.raises(Refused, match="longer than a year"):
        slots.make_slots(workspace, romashka.id, "vk", [0], time(10), date(2026, 1, 1),
                         date(2027, 6, 1))
    with pytest.raises(Refused, match="unknown channel"):
        slots.make_slots(workspace, romashka.id, "myspace", [0], time(10), date(2026, 12, 1),
                         date(2026, 12, 31))
    assert snapshot_files(workspace.root) == before


def test_the_plan_counts_filled_empty_and_missing_slots(
        workspace: Workspace, romashka: Client) -> None:
    made = slots.make_slots(workspace, romashka.id, "vk", [0, 2, 4], time(10),
                            date(2026, 12, 1), date(2026, 12, 31))
    first, second, third = sorted(made.made, key=lambda post: post.publish_at)[:3]
    workflow.set_text(workspace, first.id, "Написали")
    workflow.change_status(workspace, second.id, S.DRAFT)
    workflow.delete_post(workspace, third.id)
    [line] = slots.plan(workspace, date(2026, 12, 1), date(2026, 12, 31))
    assert (line.client_name, line.channel, line.rule) == ("ООО «Ромашка»", "vk",
                                                           "Mon/Wed/Fri 10:00")
    assert (line.expected, line.filled, line.empty, line.missing) == (13, 2, 10, 1)
    assert slots.plan(workspace, date(2026, 12, 1), date(2026, 12, 31), "other-client") == []


def test_the_plan_counts_a_post_on_its_clients_local_day_at_either_end_of_the_month(
        workspace: Workspace, romashka: Client) -> None:
    """A post early on the 1st in Kiritimati (UTC+14) is still the day before in UTC; one
    late on the 30th in Pago Pago (UTC−11) is already the 1st of the next month."""
    east = workspace.repo(Client).add(Client(name="Kiritimati", timezone="Pacific/Kiritimati"))
    west = workspace.repo(Client).add(Client(name="Pago Pago", timezone="Pacific/Pago_Pago"))
    for client, day, outside in [(east, date(2026, 11, 1), date(2026, 10, 31)),
                                 (west, date(2026, 11, 30), date(2026, 12, 1))]:
        at = time(1) if client is east else time(23)
        made = slots.make_slots(workspace, client.id, "vk", [day.weekday()], at, day, day)
        [post] = made.made
        workflow.set_text(workspace, post.id, "Написали")
        assert post.publish_at.month != day.month  # another month in UTC
        add_post(workspace, client, outside, at=at, channel="vk", title="Не в этом месяце")
    lines = slots.plan(workspace, date(2026, 11, 1), date(2026, 11, 30))
    assert [(line.client_name, line.expected, line.filled, line.missing)
            for line in lines] == [("Kiritimati", 5, 1, 4), ("Pago Pago", 5, 1, 4)]
    [line] = slots.plan(workspace, date(2026, 11, 1), date(2026, 11, 1), east.id)
    assert (line.expected, line.filled) == (1, 1)


# the calendar's index --------------------------------------------------------------------------

def test_posts_are_on_their_clients_local_day_across_a_month_boundary(
        workspace: Workspace, romashka: Client) -> None:
    far_east = workspace.repo(Client).add(Client(name="Владивосток", timezone="Asia/Vladivostok"))
    late_moscow = add_post(workspace, romashka, date(2027, 1, 31), at=time(23, 30))
    early_east = add_post(workspace, far_east, date(2027, 2, 1), at=time(8))
    assert late_moscow.publish_at.date() == date(2027, 1, 31)  # 20:30 UTC
    assert early_east.publish_at.date() == date(2027, 1, 31)  # 22:00 UTC
    data = index.read_calendar(workspace)
    assert [row.id for row in data.on_day(date(2027, 1, 31))] == [late_moscow.id]
    assert [(row.id, row.at) for row in data.on_day(date(2027, 2, 1))] == [
        (early_east.id, "08:00")]
    chosen = index.Filter(client_id=far_east.id)
    assert data.on_day(date(2027, 1, 31), chosen) == []


def test_the_calendar_keeps_of_each_post_only_its_row_and_the_rows_are_as_from_the_post(
        workspace: Workspace, romashka: Client) -> None:
    made = slots.make_slots(workspace, romashka.id, "vk", [0, 1, 2, 3, 4, 5, 6], time(9),
                            date(2026, 12, 1), date(2026, 12, 2))
    add_post(workspace, romashka, date(2026, 12, 3), text="   ", slot_rule_id=made.rule.id)
    add_post(workspace, romashka, date(2026, 12, 3), at=time(11), title="С текстом",
             assignee_id=None, status=S.CLIENT_APPROVAL)
    data = index.read_calendar(workspace)
    stored = list(workspace.repo(Post).scan())
    assert len(stored) == 4 and len(data.by_id) == 4
    assert [data.by_id[raw["id"]] for raw in stored] == [data.row(raw) for raw in stored]
    assert sum(row.empty_slot for row in data.by_id.values()) == 3


# export --------------------------------------------------------------------------------------

def parse_ics(path: Path) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def test_ics_export_parses_back_with_one_event_per_post_in_the_clients_time(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    london = workspace.repo(Client).add(Client(name="Harbor Legal", timezone="Europe/London"))
    first = add_post(workspace, romashka, date(2026, 12, 3), at=time(10), title="Анонс",
                     text="Строка 1\nСтрока 2, с запятой; и точкой с запятой",
                     hashtags=["#sale"], status=S.APPROVED)
    add_post(workspace, london, date(2026, 12, 3), title="Not this client")
    add_post(workspace, romashka, date(2027, 1, 3), title="Next year")
    target = tmp_path / "romashka.ics"
    count = export.write_export(workspace, target, date(2026, 12, 1), date(2026, 12, 31),
                                romashka.id)
    assert count == 1
    [event] = parse_ics(target)
    assert str(event["uid"]) == f"{first.id}@amtui.smm-calendar"
    start = event.decoded("dtstart")
    assert start == first.publish_at and str(start.tzinfo) == MSK
    assert event.decoded("dtend") - start == timedelta(minutes=30)
    assert str(event["summary"]) == "[VK] Анонс — ООО «Ромашка»"
    assert "Строка 2, с запятой; и точкой с запятой" in str(event["description"])
    assert "#sale" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert int(event["sequence"]) == first.rev
    everyone = tmp_path / "all.ics"
    assert export.write_export(workspace, everyone, date(2026, 12, 1), date(2026, 12, 31)) == 2
    timezones = {str(zone["tzid"]) for zone in
                 icalendar.Calendar.from_ical(everyone.read_bytes()).walk("VTIMEZONE")}
    assert timezones == {MSK, "Europe/London"}


def test_uids_stay_the_same_between_exports_so_calendar_apps_update_the_event(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    post = add_post(workspace, romashka, date(2026, 12, 3), title="Анонс")
    export.write_export(workspace, tmp_path / "one.ics", date(2026, 12, 1), date(2026, 12, 31))
    workflow.move_post(workspace, post.id, date(2026, 12, 4))
    export.write_export(workspace, tmp_path / "two.ics", date(2026, 12, 1), date(2026, 12, 31))
    [before], [after] = parse_ics(tmp_path / "one.ics"), parse_ics(tmp_path / "two.ics")
    assert str(before["uid"]) == str(after["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") - before.decoded("dtstart") == timedelta(days=1)


def test_exported_text_keeps_markup_as_text_and_shows_control_characters(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    add_post(workspace, romashka, date(2026, 12, 3), title="[bold]Hi[/bold] \x1b[2J",
             text="=HYPERLINK(\"http://x\")")
    export.write_export(workspace, tmp_path / "x.ics", date(2026, 12, 1), date(2026, 12, 31))
    [event] = parse_ics(tmp_path / "x.ics")
    assert "[bold]Hi[/bold] \\x1b[2J" in str(event["summary"])
    export.write_export(workspace, tmp_path / "x.csv", date(2026, 12, 1), date(2026, 12, 31))
    raw = (tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\x1b" not in raw
    [row] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["text"] == "'=HYPERLINK(\"http://x\")"  # a spreadsheet shows it, never runs it
    assert row["title"] == "[bold]Hi[/bold] \\x1b[2J"


def test_csv_export_is_the_plan_a_spreadsheet_reads(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    member = workspace.repo(Member).add(Member(name="Анна Смирнова", login="anna"))
    add_post(workspace, romashka, date(2026, 12, 3), at=time(9, 30), title="Анонс",
             hashtags=["#a", "#b"], tags=["promo"], assignee_id=member.id)
    slots.make_slots(workspace, romashka.id, "vk", [4], time(10), date(2026, 12, 4),
                     date(2026, 12, 4))
    target = tmp_path / "plan.csv"
    assert export.write_export(workspace, target, date(2026, 12, 1), date(2026, 12, 31)) == 2
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == export.CSV_COLUMNS
    assert [(row["date"], row["time"], row["timezone"], row["client"], row["channel"],
             row["status"], row["title"], row["hashtags"], row["tags"], row["assignee"],
             row["empty_slot"]) for row in rows] == [
        ("2026-12-03", "09:30", MSK, "ООО «Ромашка»", "VK", "idea", "Анонс", "#a #b", "promo",
         "Анна Смирнова", ""),
        ("2026-12-04", "10:00", MSK, "ООО «Ромашка»", "VK", "idea", "VK slot", "", "", "",
         "yes")]


def test_an_export_that_cannot_be_written_says_why_and_writes_nothing(
        workspace: Workspace, romashka: Client, tmp_path: Path) -> None:
    add_post(workspace, romashka, date(2026, 12, 3))
    with pytest.raises(Refused, match="does not exist"):
        export.write_export(workspace, tmp_path / "missing" / "x.ics", date(2026, 12, 1),
                            date(2026, 12, 31))
    with pytest.raises(Refused, match="'pdf' is not one of ics, csv"):
        export.write_export(workspace, tmp_path / "x.pdf", date(2026, 12, 1),
                            date(2026, 12, 31))
    with pytest.raises(Refused, match="is a folder"):
        export.write_export(workspace, tmp_path, date(2026, 12, 1), date(2026, 12, 31))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ws"]


# the command line ----------------------------------------------------------------------------

@pytest.fixture
def filled(workspace: Workspace, romashka: Client) -> Workspace:
    add_post(workspace, romashka, date(2026, 12, 3), title="Анонс", text="Текст")
    add_post(workspace, romashka, date(2026, 12, 24), title="Итоги года")
    return workspace


def test_cli_exports_a_clients_month_to_ics(filled: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "dec.ics"
    result = run_cli("calendar", "export", "--client", "ООО «Ромашка»", "--from", "2026-12-01",
                     "--to", "2026-12-31", "-o", str(target), workspace=filled.root)
    assert result.returncode == 0, result.stderr
    assert "2 posts (2026-12-01 – 2026-12-31) written to" in result.stdout
    assert sorted(str(event["summary"]) for event in parse_ics(target)) == [
        "[VK] Анонс — ООО «Ромашка»", "[VK] Итоги года — ООО «Ромашка»"]


@pytest.mark.parametrize(("arguments", "says"), [
    (["export", "--from", "2026-02-30", "-o", "x.ics"], "--from: 2026-02-30 is not a date"),
    (["export", "--client", "Ромашкин", "-o", "x.ics"], "no client named 'Ромашкин'"),
    (["slots", "--client", "ООО «Ромашка»", "--channel", "myspace", "--days", "mon"],
     "unknown channel 'myspace'"),
    (["slots", "--client", "ООО «Ромашка»", "--channel", "vk", "--days", "Funday"],
     "unknown day «funday»"),
    (["slots", "--client", "ООО «Ромашка»", "--channel", "vk", "--days", "mon",
      "--time", "9am"], "--time: '9am' is not a time"),
])
def test_cli_bad_input_is_one_line_exit_2_and_nothing_changes(
        filled: Workspace, tmp_path: Path, arguments: list[str], says: str) -> None:
    before = snapshot_files(filled.root)
    result = subprocess.run(
        [sys.executable, "-m", "amtui", "calendar", *arguments, "--workspace",
         str(filled.root)], capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**__import__("os").environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and says in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot_files(filled.root) == before
    assert not (tmp_path / "x.ics").exists()


def test_cli_slots_and_plan(filled: Workspace) -> None:
    made = run_cli("calendar", "slots", "--client", "ООО «Ромашка»", "--channel", "VK",
                   "--days", "Thu", "--from", "2026-12-01", "--to", "2026-12-31",
                   workspace=filled.root)
    assert made.returncode == 0, made.stderr
    # 5 Thursdays: 2 with posts, and 31 December, a day off in Russia in 2026 (moved from 4 January)
    assert "2 empty slots made for vk Thu 10:00" in made.stdout
    assert "2 days had a post already" in made.stdout
    shown = run_cli("calendar", "plan", "--from", "2026-12-01", workspace=filled.root)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == ("ООО «Ромашка»  VK Thu 10:00: 2 of 4 filled, 2 empty, "
                                    "0 not made")


def test_the_export_command_imports_no_textual(filled: Workspace, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from amtui.cli import main\n"
        f"status = main(['calendar', 'export', '-o', {str(tmp_path / 'x.ics')!r}, "
        f"'--from', '2026-12-01', '--workspace', {str(filled.root)!r}])\n"
        "assert status == 0, status\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in "
        "('textual', 'rich')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_icalendar_is_imported_only_to_export() -> None:
    code = (
        "import sys, importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('cal', {str(PACKAGE / '__init__.py')!r},"
        f" submodule_search_locations=[{str(PACKAGE)!r}])\n"
        "module = importlib.util.module_from_spec(spec); sys.modules['cal'] = module\n"
        "spec.loader.exec_module(module)\n"
        "import cal.agenda, cal.slots, cal.index, cal.export, cal.cli\n"
        "print('icalendar' in sys.modules, 'pydantic' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_importing_the_plugin_imports_neither_pydantic_nor_textual() -> None:
    code = (
        "import sys, importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('cal', {str(PACKAGE / '__init__.py')!r},"
        f" submodule_search_locations=[{str(PACKAGE)!r}])\n"
        "module = importlib.util.module_from_spec(spec); sys.modules['cal'] = module\n"
        "spec.loader.exec_module(module)\n"
        "print('pydantic' in sys.modules, 'textual' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split() == ["False", "False"], result.stderr


# demo data -------------------------------------------------------------------------------------

def demo_workspace(path: Path, seed: int, clients: int = 40) -> Workspace:
    workspace = Workspace.open(path, create=True, clock=StillClock())
    load_plugin(plugin, workspace, NAME)
    workspace.repo(Member).add_many([Member(name=f"AM {number}", login=f"am{number}")
                                     for number in range(3)])
    workspace.repo(Client).add_many([
        Client(name=f"Клиент {number}", timezone=["Europe/Moscow", "Asia/Vladivostok",
                                                   "Europe/London"][number % 3])
        for number in range(clients)])
    return workspace


def test_the_demo_is_the_same_for_the_same_seed_and_reads_like_real_work(
        tmp_path: Path) -> None:
    said: list[str] = []
    first = demo_workspace(tmp_path / "one", 5)
    demo.fill_calendar(first, "small", 5, said.append)
    second = demo_workspace(tmp_path / "two", 5)
    demo.fill_calendar(second, "small", 5, said.append)
    one = [(raw["id"], raw["title"], raw["publish_at"], raw["status"])
           for raw in first.file("posts").scan()]
    assert one == [(raw["id"], raw["title"], raw["publish_at"], raw["status"])
                   for raw in second.file("posts").scan()]
    assert len(one) == demo.SIZES["small"].posts
    assert said[0].startswith("writing 300 posts and ")
    posts = first.repo(Post).all()  # every record validates
    now = StillClock()()
    statuses = {post.status for post in posts}
    assert {S.PUBLISHED, S.CLIENT_APPROVAL, S.DRAFT, S.IDEA, S.SCHEDULED} <= statuses
    for post in posts:
        stamps = [step.at for step in post.trail]
        assert stamps == sorted(stamps) and stamps[-1] <= now
        last_status = [step.to_status for step in post.trail if step.to_status][-1]
        assert last_status is post.status
        if post.status in (S.PUBLISHED, S.SCHEDULED):
            assert post.text
    assert any(post.is_empty_slot() for post in posts)
    assert slots.plan(first, *times.month_bounds(date(2026, 11, 26)))
    third = demo_workspace(tmp_path / "three", 6)
    demo.fill_calendar(third, "small", 6, said.append)
    assert [raw["title"] for raw in third.file("posts").scan()] != [row[1] for row in one]


@pytest.mark.slow
def test_the_large_demo_has_ten_thousand_posts(tmp_path: Path) -> None:
    workspace = demo_workspace(tmp_path / "large", 1, clients=1_000)
    demo.fill_calendar(workspace, "large", 1, lambda _text: None)
    assert workspace.file("posts").count() == 10_000


@pytest.mark.usefixtures("russian")
def test_days_of_a_plan_refused_in_russian() -> None:
    with pytest.raises(Refused, match=r"^дни: укажите хотя бы один день недели"):
        slots.parse_weekdays(" ")
    with pytest.raises(Refused, match=r"^дни: "):
        slots.parse_weekdays("пн/понедельничек")
    assert slots.parse_weekdays("пн/ср/пт") == [0, 2, 4]
