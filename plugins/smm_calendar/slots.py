"""Content plan slots: a rule such as "VK, Mon/Wed/Fri 10:00" for a client makes empty posts
(ideas) on those days of a period, in the client's time zone. A slot is never made on a day
that already has a post of that client on that channel, so nothing is overwritten and making
the same period twice adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from amtui.api import Client, Undo, WorkingDays, os_user, parse_weekdays as weekdays_of

from .i18n import _, ngettext
from .model import (
    Post,
    PostStatus,
    Refused,
    SlotRule,
    TrailEntry,
    TrailKind,
    describe_weekdays,
    settings_of,
)
from .times import check_period, local, moment_at
from .workflow import client_zone

if TYPE_CHECKING:
    from amtui.api import Workspace

def parse_weekdays(text: str) -> list[int]:
    """"Mon/Wed/Fri", "mon, wed, fri", "пн-пт" → [0, 2, 4]; Refused naming a bad word."""
    if not text.strip():
        raise Refused(_("days: name at least one day of the week, e.g. Mon/Wed/Fri"))
    try:
        return weekdays_of(text)
    except ValueError as error:
        raise Refused(_("days: {error}").format(error=error)) from None


def slot_days(weekdays: list[int], start: date, end: date,
              calendar: WorkingDays | None = None) -> list[date]:
    """The days from ``start`` to ``end`` (both included) that fall on ``weekdays``; with a
    ``calendar``, not its public holidays and days off (no slot is made on those: a post for a
    holiday is planned by hand)."""
    wanted = set(weekdays)
    days = (start + timedelta(days=offset) for offset in range((end - start).days + 1))
    return [day for day in days
            if day.weekday() in wanted and not (calendar and calendar.holiday(day))]


def _posts_around(workspace: Workspace, start: date, end: date,
                  client_id: str | None) -> list[dict[str, Any]]:
    """The posts (of the client, if one is given) that may fall on a local day from ``start``
    to ``end`` in any time zone (UTC−12 to UTC+14), in the order stored: asked of the record
    index, not every post ever made."""
    whose = {} if client_id is None else {"client_id": client_id}
    return workspace.repo(Post).query_raw(
        publish_at__gte=datetime.combine(start - timedelta(days=1), time(), UTC),
        publish_at__lt=datetime.combine(end + timedelta(days=2), time(), UTC), **whose)


@dataclass
class SlotsMade:
    rule: SlotRule
    made: list[Post] = field(default_factory=list)
    taken: list[date] = field(default_factory=list)
    """Days that had a post on the channel already (no slot made)."""


def _days_taken(workspace: Workspace, client_id: str, channel: str, zone_name: str,
                start: date, end: date) -> dict[date, list[dict[str, Any]]]:
    """The client's posts on the channel (rejected ones aside) by local day in the period."""
    taken: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for raw in _posts_around(workspace, start, end, client_id):
        if (raw.get("client_id") != client_id or raw.get("channel") != channel
                or raw.get("status") == PostStatus.REJECTED):
            continue
        day = local(datetime.fromisoformat(raw["publish_at"]), zone_name).date()
        if start <= day <= end:
            taken[day].append(raw)
    return taken


def make_slots(workspace: Workspace, client_id: str, channel: str, weekdays: list[int],
               at: time, start: date, end: date, by: str | None = None) -> SlotsMade:
    """Keep the rule for the client's channel (replacing the one it had) and make its empty
    slots from ``start`` to ``end`` (the client's local days)."""
    check_period(start, end)
    settings = settings_of(workspace)
    channel = settings.check_channel(channel)
    if not workspace.repo(Client).exists(client_id):
        raise Refused(_("client: no client with id {client_id!r}").format(client_id=client_id))
    rules = workspace.repo(SlotRule)
    known = next((rule for rule in rules.where(client_id=client_id, channel=channel)), None)
    if known is None:
        rule = rules.add(SlotRule(client_id=client_id, channel=channel, weekdays=weekdays,
                                  at=at))
    elif (known.weekdays, known.at) != (sorted(set(weekdays)), at):
        rule = rules.update(known.model_copy(update={"weekdays": sorted(set(weekdays)),
                                                     "at": at}))
    else:
        rule = known
    zone_name = client_zone(workspace, client_id)
    taken = _days_taken(workspace, client_id, channel, zone_name, start, end)
    result = SlotsMade(rule)
    now, who = workspace.clock(), by or os_user()
    title = f"{settings.title_of(channel)} slot"
    for day in slot_days(rule.weekdays, start, end, WorkingDays.of(workspace.settings)):
        if day in taken:
            result.taken.append(day)
            continue
        entry = TrailEntry(at=now, by=who, kind=TrailKind.CREATED, to_status=PostStatus.IDEA,
                           text=f"content plan: {rule.label()}")
        result.made.append(Post(client_id=client_id, channel=channel, title=title,
                                publish_at=moment_at(day, rule.at, zone_name),
                                slot_rule_id=rule.id, trail=[entry]))
    if result.made:
        result.made = workspace.repo(Post).add_many(result.made)
    return result


def undo_slots(workspace: Workspace, made: SlotsMade) -> Undo:
    """Removes the slots made (those still empty)."""
    def revert() -> None:
        posts = workspace.repo(Post)
        for post in made.made:
            current = posts.find(post.id)
            if current is not None and current.is_empty_slot():
                posts.discard(post.id)

    return Undo(ngettext("{count} slot made", "{count} slots made", len(made.made)).format(
        count=len(made.made)), revert)


@dataclass(frozen=True)
class PlanLine:
    """One rule over a period: how many slots it asks for and how many have a post."""

    client_id: str
    client_name: str
    channel: str
    rule: str
    """"Mon/Wed/Fri 10:00"."""
    expected: int
    filled: int
    """Days with a real post (not an empty slot) on the channel."""
    empty: int
    """Days with only an empty slot."""
    missing: int
    """Days with no post at all (slots not made yet)."""
    weekdays: tuple[int, ...] = ()
    at: time = time(10, 0)


def plan(workspace: Workspace, start: date, end: date,
         client_id: str | None = None) -> list[PlanLine]:
    """Filled and empty slots per client and rule over the period."""
    check_period(start, end)
    rules = [rule for rule in workspace.repo(SlotRule).all()
             if client_id is None or rule.client_id == client_id]
    if not rules:
        return []
    wanted = {(rule.client_id, rule.channel) for rule in rules}
    clients = workspace.repo(Client)
    zones = {rule.client_id: client_zone(workspace, rule.client_id) for rule in rules}
    calendar = WorkingDays.of(workspace.settings)
    # (client, channel) → day → whether a real post is there (else only an empty slot)
    days: dict[tuple[str, str], dict[date, bool]] = defaultdict(dict)
    for raw in _posts_around(workspace, start, end, client_id):
        key = (raw.get("client_id", ""), raw.get("channel", ""))
        if key not in wanted or raw.get("status") == PostStatus.REJECTED:
            continue
        day = local(datetime.fromisoformat(raw["publish_at"]), zones[key[0]]).date()
        if not start <= day <= end:
            continue
        empty = (raw.get("slot_rule_id") is not None and raw.get("status") == PostStatus.IDEA
                 and not str(raw.get("text", "")).strip())
        days[key][day] = days[key].get(day, False) or not empty
    lines = []
    for rule in rules:
        expected = slot_days(rule.weekdays, start, end, calendar)
        found = days.get((rule.client_id, rule.channel), {})
        filled = sum(1 for day in expected if found.get(day))
        empty = sum(1 for day in expected if found.get(day) is False)
        client = clients.stored(rule.client_id) or {}
        lines.append(PlanLine(rule.client_id, str(client.get("name", rule.client_id)),
                              rule.channel, f"{describe_weekdays(rule.weekdays)} {rule.at:%H:%M}",
                              len(expected), filled, empty, len(expected) - filled - empty,
                              tuple(rule.weekdays), rule.at))
    return sorted(lines, key=lambda line: (line.client_name.casefold(), line.channel))
