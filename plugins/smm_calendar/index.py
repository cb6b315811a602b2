"""The calendar as the pane shows it: every post as a light row, indexed by its client's
local day, so a month or a week is drawn from a few dictionary lookups.

Read in a worker from the stored dicts (not models: 10,000 posts are read in a few tens of
milliseconds this way).
"""

from __future__ import annotations

from bisect import insort
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from amtui.api import Client, Member

from .model import NOT_APPROVED, CalendarSettings, Post, PostStatus, settings_of
from .times import zone

if TYPE_CHECKING:
    from amtui.api import Workspace

T = TypeVar("T")


class PostRow(NamedTuple):
    """What the calendar shows of a post."""

    id: str
    client_id: str
    client_name: str
    channel: str
    status: PostStatus
    day: date
    """The client's local day."""
    at: str
    """The client's local time, "10:00"."""
    moment: datetime
    title: str
    assignee_id: str
    empty_slot: bool
    late: bool
    """Its time has come (or passed) and the client has not approved it."""


@dataclass(frozen=True)
class Filter:
    """Which posts the calendar shows; empty fields keep everything."""

    client_id: str = ""
    client_name: str = ""
    channel: str = ""
    status: str = ""
    assignee_id: str = ""
    assignee_name: str = ""

    def __bool__(self) -> bool:
        return bool(self.client_id or self.channel or self.status or self.assignee_id)

    def keeps(self, row: PostRow) -> bool:
        return ((not self.client_id or row.client_id == self.client_id)
                and (not self.channel or row.channel == self.channel)
                and (not self.status or row.status == self.status)
                and (not self.assignee_id or row.assignee_id == self.assignee_id))

    def describe(self, settings: CalendarSettings) -> str:
        parts = []
        if self.client_id:
            parts.append(self.client_name or self.client_id)
        if self.channel:
            parts.append(settings.title_of(self.channel))
        if self.status:
            parts.append(PostStatus(self.status).label)
        if self.assignee_id:
            parts.append(self.assignee_name or self.assignee_id)
        return ", ".join(parts)


@dataclass
class CalendarData:
    """Every post by day, with the names the pane shows."""

    settings: CalendarSettings
    today: date
    now: datetime
    default_zone: str
    by_day: dict[date, list[PostRow]] = field(default_factory=dict)
    by_id: dict[str, PostRow] = field(default_factory=dict)
    clients: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Client id → name and time zone, for the clients with posts."""
    members: dict[str, str] = field(default_factory=dict)
    """Member id → name."""
    member_logins: dict[str, str] = field(default_factory=dict)
    """OS login → member name (who did a step of a trail)."""
    other_channels: set[str] = field(default_factory=set)
    """Channels stored posts name that the settings do not (a channel taken out of them)."""
    shared: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """One object for equal values of many posts (a client's id, a channel, a day, a time):
    ten thousand posts hold a few hundred distinct ones."""

    def on_day(self, day: date, chosen: Filter | None = None) -> list[PostRow]:
        rows = self.by_day.get(day, ())
        if not chosen:
            return list(rows)
        return [row for row in rows if chosen.keeps(row)]

    def channels(self) -> list[str]:
        """The settings' channels, then any other a stored post names."""
        return [*self.settings.channels, *sorted(self.other_channels)]

    def row(self, raw: dict[str, Any]) -> PostRow:
        """A stored post as the calendar shows it (its client must be in ``clients``)."""
        client_id = str(raw.get("client_id", ""))
        name, zone_name = self.clients.get(client_id, ("", self.default_zone))
        moment = datetime.fromisoformat(raw["publish_at"])
        shown = moment.astimezone(zone(zone_name))
        status = STATUSES.get(raw.get("status", ""), PostStatus.IDEA)
        one = self._one
        return PostRow(
            raw["id"], one(client_id), name, one(str(raw.get("channel", ""))), status,
            one(shown.date()), one(f"{shown.hour:02d}:{shown.minute:02d}"), moment,
            str(raw.get("title", "")), one(str(raw.get("assignee_id") or "")),
            raw.get("slot_rule_id") is not None and status is PostStatus.IDEA
            and not str(raw.get("text", "")).strip(),
            status in NOT_APPROVED and moment <= self.now)

    def _one(self, value: T) -> T:
        """``value``, or the equal one kept before."""
        return self.shared.setdefault(value, value)  # type: ignore[no-any-return]

    def put(self, row: PostRow) -> None:
        """Show a saved post: in its day's place, instead of what was shown of it before."""
        self.remove(row.id)
        rows = self.by_day.setdefault(row.day, [])
        insort(rows, row, key=_order)
        self.by_id[row.id] = row
        if row.channel not in self.settings.channels:
            self.other_channels.add(row.channel)

    def remove(self, post_id: str) -> None:
        old = self.by_id.pop(post_id, None)
        if old is not None:
            self.by_day[old.day] = [row for row in self.by_day[old.day] if row.id != post_id]


def _order(row: PostRow) -> tuple[str, str, str]:
    return (row.at, row.channel, row.id)


STATUSES = {status.value: status for status in PostStatus}


def client_of(workspace: Workspace, client_id: str) -> tuple[str, str]:
    raw = workspace.repo(Client).stored(client_id) or {}
    return (str(raw.get("name", "")), str(raw.get("timezone") or workspace.settings.timezone))


def read_calendar(workspace: Workspace) -> CalendarData:
    settings = settings_of(workspace)
    now = workspace.clock()
    default_zone = workspace.settings.timezone
    data = CalendarData(settings, now.astimezone(zone(default_zone)).date(), now, default_zone)
    for raw in workspace.repo(Member).scan():
        data.members[raw["id"]] = str(raw.get("name", ""))
        if raw.get("login"):
            data.member_logins[str(raw["login"])] = str(raw.get("name", ""))
    # what a row is made of, not the posts' texts and trails (held all at once, those were
    # most of the pane's memory)
    posts = [_light(raw) for raw in workspace.repo(Post).scan()]
    wanted = {raw.get("client_id") for raw in posts}
    for raw in workspace.repo(Client).scan():
        if raw["id"] in wanted:
            data.clients[raw["id"]] = (str(raw.get("name", "")),
                                       str(raw.get("timezone") or default_zone))
    by_day: dict[date, list[PostRow]] = defaultdict(list)
    make_row = data.row
    for raw in posts:
        row = make_row(raw)
        by_day[row.day].append(row)
        data.by_id[row.id] = row
    for rows in by_day.values():
        rows.sort(key=_order)
    data.by_day = dict(by_day)
    data.other_channels = {row.channel for row in data.by_id.values()} - set(settings.channels)
    return data


ROW_FIELDS = ("id", "client_id", "channel", "status", "publish_at", "title", "assignee_id",
              "slot_rule_id")
"""The fields of a stored post :meth:`CalendarData.row` reads (and whether it has a text)."""


def _light(raw: dict[str, Any]) -> dict[str, Any]:
    """What :meth:`CalendarData.row` reads of a stored post."""
    light = {name: raw[name] for name in ROW_FIELDS if name in raw}
    light["text"] = "text" if str(raw.get("text", "")).strip() else ""
    return light
