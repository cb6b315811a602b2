"""The calendar's forms: a post, a status change, a comment, the filter, an export, a content
plan rule. Each checks what was typed and says what is wrong next to the field (or under the
form); nothing is saved until it is right."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.api import Client, Workspace, today_of
from amtui.api.ui import FilterForm, FormField, FormScreen, client_picker, member_picker

from .export import FORMATS, format_of
from .i18n import _
from .index import Filter
from .model import Post, PostStatus, Refused
from .slots import parse_weekdays
from .times import check_period, parse_date, parse_time
from .workflow import PostFields, allowed, build_post, check_transition

if TYPE_CHECKING:
    from .index import CalendarData

ANY = ""


def _words(text: str) -> tuple[str, ...]:
    return tuple(word for word in re.split(r"[\s,]+", text.strip()) if word)


def _client(workspace: Workspace, text: str) -> Client:
    if not text.strip():
        raise Refused(_("client: name the client (or give its id)"))
    return workspace.repo(Client).resolve(text)


def channel_choices(data: CalendarData) -> list[tuple[str, str]]:
    return [(data.settings.title_of(channel), channel) for channel in data.settings.channels]


def form(title: str, fields: list[FormField], values: dict[str, str],
         build: Any) -> FormScreen[Any]:
    """A FormScreen whose result is whatever ``build`` returns."""
    return FormScreen(title, fields, values, build)


# a post ------------------------------------------------------------------------------------

def post_form(workspace: Workspace, data: CalendarData, title: str,
              values: dict[str, str]) -> FormScreen[Any]:
    """A new or edited post; dismissed with :class:`PostFields` once they are right."""
    fields = [
        FormField("client", _("Client"), picker=client_picker(workspace),
                  placeholder=_("type part of the name")),
        FormField("channel", _("Channel"), channel_choices(data)),
        FormField("day", _("Day"), placeholder=_("31.12.2026, tomorrow, +3d")),
        FormField("time", _("Time (HH:MM, the client's time zone)")),
        FormField("title", _("Title")),
        FormField("text", _("Text (w on the post writes it in several paragraphs)")),
        FormField("media_notes", _("Media: pictures, video")),
        FormField("hashtags", _("Hashtags"), placeholder=_("#sale #new")),
        FormField("tags", _("Tags"), placeholder=_("promo, ugc")),
        FormField("assignee_id", _("Assignee"), picker=member_picker(workspace),
                  placeholder=_("nobody; type part of the name")),
    ]

    def build(typed: dict[str, str]) -> PostFields:
        client = _client(workspace, typed["client"])
        chosen = PostFields(
            client_id=client.id, channel=typed["channel"],
            day=parse_date(typed["day"], _("day"), today_of(workspace)),
            at=parse_time(typed["time"], _("time")),
            title=typed["title"], text=typed["text"], media_notes=typed["media_notes"],
            hashtags=_words(typed["hashtags"]), tags=_words(typed["tags"]),
            assignee_id=typed["assignee_id"] or None)
        build_post(workspace, chosen)  # every field checked as the post will be
        return chosen

    return form(title, fields, values, build)


def post_values(post: Post, data: CalendarData, client_name: str, day: date,
                at: time) -> dict[str, str]:
    return {"client": client_name, "channel": post.channel, "day": day.isoformat(),
            "time": f"{at:%H:%M}", "title": post.title, "text": post.text,
            "media_notes": post.media_notes, "hashtags": " ".join(post.hashtags),
            "tags": ", ".join(post.tags), "assignee_id": post.assignee_id or ANY}


# the approval loop -------------------------------------------------------------------------

def status_form(post: Post) -> FormScreen[Any]:
    """Where the post goes next, with a comment; dismissed with (status, comment)."""
    choices = [(status.label, status.value) for status in allowed(post.status)]
    fields = [FormField("status", _("From {status} to").format(status=post.status.label), choices),
              FormField("comment", _("Comment (required when the client asks for changes)"))]

    def build(typed: dict[str, str]) -> tuple[PostStatus, str]:
        if not typed["status"]:
            raise Refused(_("choose the status the post goes to"))
        target = PostStatus(typed["status"])
        check_transition(post, target, typed["comment"])
        return target, typed["comment"]

    return form(_("Status of {title!r}").format(title=post.title), fields,
                {"status": choices[0][1] if choices else ""}, build)


def comment_form(title: str, label: str, required: bool = True) -> FormScreen[Any]:
    """One line of comment; dismissed with it."""

    def build(typed: dict[str, str]) -> str:
        if required and not typed["comment"].strip():
            raise Refused(_("the comment is empty: write what was said"))
        return typed["comment"]

    return form(title, [FormField("comment", label)], {}, build)


# the filter --------------------------------------------------------------------------------

def filter_form(workspace: Workspace, data: CalendarData, current: Filter) -> FilterForm[Any]:
    fields = [
        FormField("client", _("Client"), picker=client_picker(workspace, new=False),
                  placeholder=_("every client; type part of the name")),
        FormField("channel", _("Channel"), [(_("any channel"), ANY), *channel_choices(data)]),
        FormField("status", _("Status"), [(_("any status"), ANY), *(
            (status.label, status.value) for status in PostStatus)]),
        FormField("assignee", _("Assignee"), picker=member_picker(workspace),
                  placeholder=_("anyone; type part of the name")),
    ]
    values = {"client": current.client_name, "channel": current.channel,
              "status": current.status, "assignee": current.assignee_id}

    def build(typed: dict[str, str]) -> Filter:
        client = _client(workspace, typed["client"]) if typed["client"].strip() else None
        return Filter(client_id=client.id if client else "",
                      client_name=client.name if client else "", channel=typed["channel"],
                      status=typed["status"], assignee_id=typed["assignee"],
                      assignee_name=data.members.get(typed["assignee"], ""))

    return FilterForm(_("Show posts of"), fields, values, build, Filter())


# export and the content plan ---------------------------------------------------------------

@dataclass(frozen=True)
class ExportRequest:
    path: Path
    start: date
    end: date
    client_id: str | None
    fmt: str


def export_form(workspace: Workspace, values: dict[str, str]) -> FormScreen[Any]:
    fields = [
        FormField("path", _("File (.ics for calendar apps, .csv for spreadsheets)")),
        FormField("start", _("From"), placeholder=_("31.12.2026, tomorrow, +3d")),
        FormField("end", _("To"), placeholder=_("31.12.2026, +30d")),
        FormField("client", _("Client"), picker=client_picker(workspace, new=False),
                  placeholder=_("every client; type part of the name")),
        FormField("format", _("Format"), [(name, name) for name in FORMATS]),
    ]

    def build(typed: dict[str, str]) -> ExportRequest:
        if not typed["path"].strip():
            raise Refused(_("file: say where to write the export"))
        try:
            path = Path(typed["path"].strip()).expanduser()
        except RuntimeError:  # ~user, and no such user
            raise Refused(_("file: no user has the home folder of {path}").format(
                path=typed["path"].strip()))\
                from None
        today = today_of(workspace)
        start = parse_date(typed["start"], _("from"), today)
        end = parse_date(typed["end"], _("to"), today)
        check_period(start, end)
        if not path.parent.is_dir():
            raise Refused(_("file: the folder {folder} does not exist").format(folder=path.parent))
        if path.is_dir():
            raise Refused(_("file: {path} is a folder; give a file name").format(path=path))
        client = _client(workspace, typed["client"]) if typed["client"].strip() else None
        return ExportRequest(path, start, end, client.id if client else None,
                             format_of(path, typed["format"] or None))

    return form(_("Export posts"), fields, values, build)


@dataclass(frozen=True)
class SlotRequest:
    client_id: str
    client_name: str
    channel: str
    weekdays: list[int]
    at: time
    start: date
    end: date


def slots_form(workspace: Workspace, data: CalendarData,
               values: dict[str, str]) -> FormScreen[Any]:
    fields = [
        FormField("client", _("Client"), picker=client_picker(workspace),
                  placeholder=_("type part of the name")),
        FormField("channel", _("Channel"), channel_choices(data)),
        FormField("days", _("Days of the week"), placeholder=_("Mon/Wed/Fri")),
        FormField("time", _("Time (HH:MM, the client's time zone)")),
        FormField("start", _("From"), placeholder=_("31.12.2026, tomorrow, +3d")),
        FormField("end", _("To"), placeholder=_("31.12.2026, +30d")),
    ]

    def build(typed: dict[str, str]) -> SlotRequest:
        client = _client(workspace, typed["client"])
        channel = data.settings.check_channel(typed["channel"] or "?")
        today = today_of(workspace)
        start = parse_date(typed["start"], _("from"), today)
        end = parse_date(typed["end"], _("to"), today)
        check_period(start, end)
        return SlotRequest(client.id, client.name, channel, parse_weekdays(typed["days"]),
                           parse_time(typed["time"], _("time")), start, end)

    return form(_("Content plan: empty slots for a rule"), fields, values, build)
