"""What needs attention: posts the client has sat on longer than agreed, and posts due soon
that the client has not approved. Shown on Today and on the client card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from amtui.api import AgendaEntry, ClientSection, TimelineItem

from .model import NOT_APPROVED, POSTS, PostStatus, TrailKind, settings_of
from .slots import plan
from .times import describe_moment, in_words, month_bounds, zone

if TYPE_CHECKING:
    from amtui.api import Workspace

WAITING = "Posts waiting for client approval"
DUE_SOON = "Posts due soon, not approved"
FORGOTTEN = timedelta(days=7)
"""A post whose time passed longer ago than this, still not approved, is no longer "due"."""
CARD_LINES = 5
"""Posts of each kind listed on the client card."""
TIMELINE_KINDS = {PostStatus.CLIENT_APPROVAL: "sent for approval",
                  PostStatus.APPROVED: "approved", PostStatus.PUBLISHED: "published"}


@dataclass(frozen=True)
class Attention:
    """A post that needs someone to act."""

    post: dict[str, Any]
    zone_name: str
    publish_at: datetime
    waiting: timedelta | None
    """How long the client has had it for approval (if they are late)."""
    due_in: timedelta | None
    """How long until it goes out (negative: its time has passed), if it is due soon."""

    @property
    def channel(self) -> str:
        return str(self.post.get("channel", ""))


def needing_attention(workspace: Workspace, now: datetime,
                      client_id: str | None = None) -> list[Attention]:
    """Posts waiting for approval longer than ``approval_days`` and posts within
    ``due_soon_days`` of their publish time (or past it) that are not approved; soonest
    first."""
    settings = settings_of(workspace)
    approval_limit = timedelta(days=settings.approval_days)
    due_limit = timedelta(days=settings.due_soon_days)
    zones: dict[str, str] = {}
    clients = workspace.file("clients")
    found = []
    for raw in workspace.file(POSTS).scan():
        status = raw.get("status")
        if status not in NOT_APPROVED:
            continue
        owner = raw.get("client_id", "")
        if client_id is not None and owner != client_id:
            continue
        publish_at = datetime.fromisoformat(raw["publish_at"])
        waiting: timedelta | None = None
        if status == PostStatus.CLIENT_APPROVAL and raw.get("sent_for_approval_at"):
            held = now - datetime.fromisoformat(raw["sent_for_approval_at"])
            waiting = held if held > approval_limit else None
        due_in: timedelta | None = publish_at - now
        if due_in is not None and not -FORGOTTEN <= due_in <= due_limit:
            due_in = None
        if waiting is None and due_in is None:
            continue
        if owner not in zones:
            client = clients.get(owner) or {}
            zones[owner] = str(client.get("timezone") or workspace.settings.timezone)
        found.append(Attention(raw, zones[owner], publish_at, waiting, due_in))
    return sorted(found, key=lambda item: (item.publish_at, item.post["id"]))


def _publish(item: Attention) -> str:
    when = describe_moment(item.publish_at, item.zone_name)
    if item.due_in is None:
        return f"publish {when}"
    if item.due_in < timedelta(0):
        return f"publish time passed {in_words(item.due_in)} ago ({when})"
    return f"publish in {in_words(item.due_in)} ({when})"


def agenda_entries(workspace: Workspace, now: datetime) -> list[AgendaEntry]:
    settings = settings_of(workspace)
    entries = []
    for item in needing_attention(workspace, now):
        channel = settings.title_of(item.channel)
        title = str(item.post.get("title", ""))
        owner, post_id = item.post.get("client_id"), item.post["id"]
        if item.waiting is not None:
            entries.append(AgendaEntry(
                WAITING, title, f"{channel} · with the client {in_words(item.waiting)} · "
                f"{_publish(item)}", owner, POSTS, post_id))
        if item.due_in is not None:
            status = PostStatus(item.post["status"]).label
            entries.append(AgendaEntry(DUE_SOON, title, f"{channel} · {status} · "
                                       f"{_publish(item)}", owner, POSTS, post_id))
    return entries


def client_section(workspace: Workspace, client: Any, now: datetime) -> ClientSection:
    """The client card's "Content calendar": what needs attention, what is coming, the plan
    for this month, and the approval steps on the timeline."""
    settings = settings_of(workspace)
    attention = needing_attention(workspace, now, client.id)
    lines = []
    waiting = [item for item in attention if item.waiting is not None]
    due = [item for item in attention if item.due_in is not None]
    for item in waiting[:CARD_LINES]:
        lines.append(f"waiting for approval {in_words(item.waiting or timedelta())}: "
                     f"{item.post.get('title', '')} ({settings.title_of(item.channel)}, "
                     f"{_publish(item)})")
    for item in due[:CARD_LINES]:
        lines.append(f"not approved, due soon: {item.post.get('title', '')} "
                     f"({settings.title_of(item.channel)}, "
                     f"{PostStatus(item.post['status']).label}, {_publish(item)})")
    upcoming: dict[str, int] = {}
    timeline = []
    horizon = now + timedelta(days=30)
    for raw in workspace.file(POSTS).scan():
        if raw.get("client_id") != client.id:
            continue
        if now <= datetime.fromisoformat(raw["publish_at"]) <= horizon:
            upcoming[raw["status"]] = upcoming.get(raw["status"], 0) + 1
        for step in raw.get("trail", []):
            kind = TIMELINE_KINDS.get(step.get("to_status"))
            if step.get("kind") == TrailKind.CHANGES_REQUESTED:
                kind = "changes requested"
            if kind:
                timeline.append(TimelineItem(datetime.fromisoformat(step["at"]), "post",
                                             f"{kind}: {raw.get('title', '')}", POSTS,
                                             raw["id"]))
    if upcoming:
        counts = ", ".join(f"{upcoming[status]} {status.label}" for status in PostStatus
                           if status in upcoming)
        lines.append(f"next 30 days: {sum(upcoming.values())} posts ({counts})")
    today = now.astimezone(zone(workspace.settings.timezone)).date()
    first, last = month_bounds(today)
    for line in plan(workspace, first, last, client.id):
        lines.append(f"plan {first:%b %Y}: {settings.title_of(line.channel)} {line.rule} — "
                     f"{line.filled} of {line.expected} slots filled, {line.empty} empty"
                     + (f", {line.missing} not made" if line.missing else ""))
    timeline.sort(key=lambda item: item.at)
    return ClientSection("Content calendar", lines or ["no posts planned"], timeline[-50:])
