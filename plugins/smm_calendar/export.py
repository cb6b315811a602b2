"""Export: an iCalendar file (one event per post, for calendar apps) and a CSV of the plan.

Each event's UID is the post's id, so importing a later export again updates the events
instead of adding copies; SEQUENCE is the post's revision. The icalendar library is imported
only here, when a file is written (it takes about a tenth of a second to import).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.api import Client, Member, visible

from .i18n import _
from .model import CalendarSettings, Post, PostStatus, Refused, settings_of
from .times import check_period, zone

if TYPE_CHECKING:
    from amtui.api import Workspace

UID_DOMAIN = "amtui.smm-calendar"
PRODID = "-//amtui//SMM content calendar//EN"
FORMATS = ("ics", "csv")

ICS_STATUS = {PostStatus.REJECTED: "CANCELLED", PostStatus.APPROVED: "CONFIRMED",
              PostStatus.SCHEDULED: "CONFIRMED", PostStatus.PUBLISHED: "CONFIRMED"}
"""Everything else is TENTATIVE: not approved by the client yet."""

CSV_COLUMNS = ["date", "time", "timezone", "client", "channel", "status", "title", "text",
               "hashtags", "tags", "assignee", "media_notes", "empty_slot", "id"]


@dataclass(frozen=True)
class ExportRow:
    """A post with what its export needs: the client's name and time zone."""

    post: dict[str, Any]
    client_name: str
    zone_name: str
    assignee: str

    @property
    def local(self) -> datetime:
        return datetime.fromisoformat(self.post["publish_at"]).astimezone(zone(self.zone_name))


def posts_between(workspace: Workspace, start: date, end: date,
                  client_id: str | None = None) -> list[ExportRow]:
    """Posts from ``start`` to ``end`` (both included, the client's local days), in order."""
    check_period(start, end)
    clients = workspace.repo(Client)
    members = {raw["id"]: str(raw.get("name", "")) for raw in workspace.repo(Member).scan()}
    found: dict[str, tuple[str, str]] = {}
    rows = []
    for raw in workspace.repo(Post).scan():
        owner = raw.get("client_id", "")
        if client_id is not None and owner != client_id:
            continue
        if owner not in found:
            client = clients.stored(owner) or {}
            found[owner] = (str(client.get("name", "")),
                            str(client.get("timezone") or workspace.settings.timezone))
        name, zone_name = found[owner]
        row = ExportRow(raw, name, zone_name, members.get(raw.get("assignee_id") or "", ""))
        if start <= row.local.date() <= end:
            rows.append(row)
    return sorted(rows, key=lambda row: (row.post["publish_at"], row.post["id"]))


def _text(value: object) -> str:
    return visible(str(value or ""))


def ics_bytes(rows: list[ExportRow], settings: CalendarSettings, name: str) -> bytes:
    """The posts as an iCalendar file, times in each client's zone (with its VTIMEZONE)."""
    # lazy: icalendar, only for .ics
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(name))
    for row in rows:
        post = row.post
        status = PostStatus(post.get("status", "idea"))
        channel = settings.title_of(post.get("channel", ""))
        event = icalendar.Event()
        event.add("uid", f"{post['id']}@{UID_DOMAIN}")
        event.add("dtstamp", datetime.fromisoformat(post["updated_at"]).astimezone(UTC))
        event.add("last-modified", datetime.fromisoformat(post["updated_at"]).astimezone(UTC))
        event.add("sequence", int(post.get("rev", 0)))
        start = row.local
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=settings.event_minutes))
        event.add("summary", _text(f"[{channel}] {post.get('title', '')} — {row.client_name}"))
        details = [_("Client: {client}").format(client=row.client_name),
                   _("Channel: {channel}").format(channel=channel),
                   _("Status: {status}").format(status=status.label)]
        if row.assignee:
            details.append(_("Assignee: {assignee}").format(assignee=row.assignee))
        if post.get("hashtags"):
            details.append(" ".join(post["hashtags"]))
        if post.get("media_notes"):
            details.append(_("Media: {media}").format(media=post["media_notes"]))
        if post.get("text"):
            details += ["", post["text"]]
        event.add("description", _text("\n".join(details)))
        event.add("status", ICS_STATUS.get(status, "TENTATIVE"))
        event.add("categories", [_text(item) for item in
                                 [channel, status.label, *post.get("tags", [])]])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would run as a formula starts with an apostrophe."""
    text = visible(str(value if value is not None else ""))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_text(rows: list[ExportRow], settings: CalendarSettings) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        post, shown = row.post, row.local
        empty = (post.get("slot_rule_id") is not None and post.get("status") == "idea"
                 and not str(post.get("text", "")).strip())
        writer.writerow([_cell(value) for value in (
            f"{shown:%Y-%m-%d}", f"{shown:%H:%M}", row.zone_name, row.client_name,
            settings.title_of(post.get("channel", "")),
            PostStatus(post.get("status", "idea")).label, post.get("title", ""),
            post.get("text", ""), " ".join(post.get("hashtags", [])),
            ", ".join(post.get("tags", [])), row.assignee, post.get("media_notes", ""),
            "yes" if empty else "", post["id"])])
    return out.getvalue()


def format_of(path: Path, wanted: str | None = None) -> str:
    chosen = (wanted or path.suffix.lstrip(".") or "ics").casefold()
    if chosen not in FORMATS:
        raise Refused(_("format: {chosen!r} is not one of {formats}").format(
            chosen=chosen, formats=", ".join(FORMATS)))
    return chosen


def write_export(workspace: Workspace, path: Path | str, start: date, end: date,
                 client_id: str | None = None, fmt: str | None = None) -> int:
    """Write the posts of the period (of one client, or all) to ``path`` as ``.ics`` or
    ``.csv`` (by ``fmt`` or the file's suffix); returns how many posts. The file is written
    whole or not at all."""
    try:
        target = Path(path).expanduser()
    except RuntimeError:  # ~user, and no such user
        raise Refused(_("{path}: no user has that home folder").format(path=path)) from None
    chosen = format_of(target, fmt)
    if target.is_dir():
        raise Refused(_("{target} is a folder: give a file name").format(target=target))
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/null): the rename would put a file in its place.
        raise Refused(_("{target} is not a regular file: give a file name").format(target=target))
    if not target.parent.is_dir():
        raise Refused(_("the folder {folder} does not exist").format(folder=target.parent))
    rows = posts_between(workspace, start, end, client_id)
    settings = settings_of(workspace)
    if chosen == "ics":
        who = rows[0].client_name if client_id and rows else workspace.settings.name
        data = ics_bytes(rows, settings, _("{who}: content {start} – {end}").format(
            who=who, start=start, end=end))
    else:
        data = csv_text(rows, settings).encode("utf-8-sig")
    _write_whole(target, data)
    return len(rows)


def _write_whole(target: Path, data: bytes) -> None:
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise Refused(_("cannot write in {folder}: {reason}").format(
            folder=target.parent, reason=error.strerror)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise Refused(_("cannot write {target}: {reason}").format(
            target=target, reason=error.strerror)) from None
