"""What needs attention: posts the client has sat on longer than agreed, and posts due soon
that the client has not approved. Shown on Today and on the client card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from amtui.api import (
    MONTH_YEAR,
    AgendaEntry,
    Client,
    ClientSection,
    TimelineItem,
    agency_zone,
    day_and_time,
    elsewhere,
    format_day,
)

from .i18n import N_, _, ngettext
from .model import NOT_APPROVED, POSTS, Post, PostStatus, TrailKind, settings_of
from .slots import plan
from .times import in_words, month_bounds, zone

if TYPE_CHECKING:
    from amtui.api import Workspace

WAITING = N_("Posts waiting for client approval")
DUE_SOON = N_("Posts due soon, not approved")
FORGOTTEN = timedelta(days=7)
"""A post whose time passed longer ago than this, still not approved, is no longer "due"."""
CARD_LINES = 5
"""Posts of each kind listed on the client card."""
TIMELINE_KINDS = {PostStatus.CLIENT_APPROVAL: N_("sent for approval"),
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
    candidates = _candidates(workspace, now, approval_limit, due_limit, client_id)
    # the clients' time zones, asked of the record index at once (not a client at a time)
    zones = {str(client["id"]): str(client.get("timezone") or workspace.settings.timezone)
             for client in workspace.repo(Client).query_raw(
                 id__in=sorted({raw.get("client_id", "") for raw in candidates}))}
    found = []
    for raw in candidates:
        status = raw.get("status")
        owner = raw.get("client_id", "")
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
        found.append(Attention(raw, zones.get(owner, workspace.settings.timezone), publish_at,
                               waiting, due_in))
    return sorted(found, key=lambda item: (item.publish_at, item.post["id"]))


def _candidates(workspace: Workspace, now: datetime, approval_limit: timedelta,
                due_limit: timedelta, client_id: str | None) -> list[dict[str, Any]]:
    """The posts not approved that go out within the due window or have waited longer than
    the approval limit (asked of the record index: not every post ever made)."""
    posts = workspace.repo(Post)
    whose = {} if client_id is None else {"client_id": client_id}
    found = {raw["id"]: raw for raw in posts.query_raw(
        status__in=NOT_APPROVED, publish_at__gte=now - FORGOTTEN,
        publish_at__lte=now + due_limit, **whose)}
    for raw in posts.query_raw(status=PostStatus.CLIENT_APPROVAL,
                               sent_for_approval_at__lte=now - approval_limit, **whose):
        found.setdefault(raw["id"], raw)
    return list(found.values())


def _publish(item: Attention, here: datetime) -> str:
    """When the post goes out, in the agency's time (``here`` is now in the agency's zone),
    and in the client's, saying whose, when the client keeps another time."""
    when = day_and_time(item.publish_at, here)
    if item.due_in is None:
        shown = _("publish {when}").format(when=when)
    elif item.due_in < timedelta(0):
        shown = _("publish time passed {how_long} ago ({when})").format(
            how_long=in_words(item.due_in), when=when)
    else:
        shown = _("publish in {how_long} ({when})").format(how_long=in_words(item.due_in),
                                                            when=when)
    there = elsewhere(item.publish_at, zone(item.zone_name), here)
    return shown + (" · " + _("client's time {time}").format(time=there) if there else "")


def agenda_entries(workspace: Workspace, now: datetime) -> list[AgendaEntry]:
    settings = settings_of(workspace)
    here = now.astimezone(agency_zone(workspace.settings.timezone))
    entries = []
    for item in needing_attention(workspace, now):
        channel = settings.title_of(item.channel)
        title = str(item.post.get("title", ""))
        owner, post_id = item.post.get("client_id"), item.post["id"]
        if item.waiting is not None:
            entries.append(AgendaEntry(
                _(WAITING), title, _("{channel} · with the client {how_long} · {publish}").format(
                    channel=channel, how_long=in_words(item.waiting),
                    publish=_publish(item, here)),
                owner, POSTS, post_id))
        if item.due_in is not None:
            status = PostStatus(item.post["status"]).label
            entries.append(AgendaEntry(_(DUE_SOON), title, f"{channel} · {status} · "
                                       f"{_publish(item, here)}", owner, POSTS, post_id))
    return entries


def client_section(workspace: Workspace, client: Any, now: datetime) -> ClientSection:
    """The client card's "Content calendar": what needs attention, what is coming, the plan
    for this month, and the approval steps on the timeline."""
    settings = settings_of(workspace)
    here = now.astimezone(agency_zone(workspace.settings.timezone))
    attention = needing_attention(workspace, now, client.id)
    lines = []
    waiting = [item for item in attention if item.waiting is not None]
    due = [item for item in attention if item.due_in is not None]
    for item in waiting[:CARD_LINES]:
        lines.append(_("waiting for approval {how_long}: {title} ({channel}, {publish})").format(
            how_long=in_words(item.waiting or timedelta()), title=item.post.get("title", ""),
            channel=settings.title_of(item.channel), publish=_publish(item, here)))
    for item in due[:CARD_LINES]:
        lines.append(_("not approved, due soon: {title} ({channel}, {status}, {publish})").format(
            title=item.post.get("title", ""), channel=settings.title_of(item.channel),
            status=PostStatus(item.post["status"]).label, publish=_publish(item, here)))
    upcoming: dict[str, int] = {}
    timeline = []
    horizon = now + timedelta(days=30)
    for raw in workspace.repo(Post).query_raw(client_id=client.id):
        if now <= datetime.fromisoformat(raw["publish_at"]) <= horizon:
            upcoming[raw["status"]] = upcoming.get(raw["status"], 0) + 1
        for step in raw.get("trail", []):
            kind = TIMELINE_KINDS.get(step.get("to_status"))
            if step.get("kind") == TrailKind.CHANGES_REQUESTED:
                kind = N_("changes requested")
            if kind:
                timeline.append(TimelineItem(datetime.fromisoformat(step["at"]), _("post"),
                                             f"{_(kind)}: {raw.get('title', '')}", POSTS,
                                             raw["id"]))
    if upcoming:
        counts = ", ".join(f"{upcoming[status]} {status.label}" for status in PostStatus
                           if status in upcoming)
        total = sum(upcoming.values())
        lines.append(ngettext("next 30 days: {count} post ({counts})",
                              "next 30 days: {count} posts ({counts})", total).format(
            count=total, counts=counts))
    today = now.astimezone(zone(workspace.settings.timezone)).date()
    first, last = month_bounds(today)
    for line in plan(workspace, first, last, client.id):
        lines.append(_("plan for {month}: {channel} {rule} — {filled} of {expected} slots "
                       "filled, {empty} empty").format(
            month=format_day(first, MONTH_YEAR), channel=settings.title_of(line.channel),
            rule=line.rule,
            filled=line.filled, expected=line.expected, empty=line.empty)
                     + (_(", {missing} not made").format(missing=line.missing)
                        if line.missing else ""))
    timeline.sort(key=lambda item: item.at)
    return ClientSection(_("Content calendar"), lines or [_("no posts planned")], timeline[-50:])
