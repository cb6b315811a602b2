"""The calendar's records: posts with their approval trail, content plan rules, settings.

Times are stored as UTC moments; what a person sees and types is the client's local time.
"""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from amtui.api import InvalidRecord, Moment, Record, weekday_names

from .i18n import N_, _

if TYPE_CHECKING:
    from amtui.api import Workspace

class Refused(InvalidRecord):
    """A change the calendar does not allow (a transition, an unknown channel, a day that does
    not exist): nothing was changed."""


PLUGIN = "smm_calendar"
POSTS = "posts"
RULES = "slot_rules"

def _lowered(value: object) -> object:
    return value.strip().casefold() if isinstance(value, str) else value


ChannelId = Annotated[str, BeforeValidator(_lowered),
                      StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
"""A channel's id as stored on posts: ``vk``, ``instagram``, ``site``."""

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class PostStatus(StrEnum):
    IDEA = "idea"
    DRAFT = "draft"
    INTERNAL_REVIEW = "internal_review"
    CLIENT_APPROVAL = "client_approval"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _(LABELS[self.value])

    @property
    def short(self) -> str:
        """A word for narrow columns."""
        return _(SHORT_LABELS[self.value]) if self.value in SHORT_LABELS else self.label


LABELS = {"idea": N_("idea"), "draft": N_("draft"), "internal_review": N_("internal review"),
          "client_approval": N_("client approval"), "approved": N_("approved"),
          "scheduled": N_("scheduled"), "published": N_("published"), "rejected": N_("rejected")}
SHORT_LABELS = {"internal_review": N_("review"), "client_approval": N_("at client")}

S = PostStatus
TRANSITIONS: dict[PostStatus, tuple[PostStatus, ...]] = {
    S.IDEA: (S.DRAFT, S.REJECTED),
    S.DRAFT: (S.INTERNAL_REVIEW, S.IDEA, S.REJECTED),
    S.INTERNAL_REVIEW: (S.CLIENT_APPROVAL, S.DRAFT, S.REJECTED),
    S.CLIENT_APPROVAL: (S.APPROVED, S.DRAFT, S.REJECTED),
    S.APPROVED: (S.SCHEDULED, S.DRAFT, S.REJECTED),
    S.SCHEDULED: (S.PUBLISHED, S.APPROVED),
    S.PUBLISHED: (),
    S.REJECTED: (S.IDEA, S.DRAFT),
}
"""Where a post may go from each status; the first is the next step on the way to published."""

NOT_APPROVED = frozenset({S.IDEA, S.DRAFT, S.INTERNAL_REVIEW, S.CLIENT_APPROVAL})
"""Statuses of a post the client has not approved yet."""

GLYPHS = {S.IDEA: "○", S.DRAFT: "✎", S.INTERNAL_REVIEW: "◑", S.CLIENT_APPROVAL: "?",
          S.APPROVED: "✓", S.SCHEDULED: "◷", S.PUBLISHED: "●", S.REJECTED: "✗"}
"""One mark per status, so the calendar reads without colour too."""

DEFAULT_CHANNELS = ("instagram", "vk", "telegram", "facebook", "youtube", "tiktok", "site")
DEFAULT_TITLES = {"instagram": "Instagram", "vk": "VK", "telegram": "Telegram",
                  "facebook": "Facebook", "youtube": "YouTube", "tiktok": "TikTok",
                  "site": N_("Site/blog")}


class TrailKind(StrEnum):
    CREATED = "created"
    STATUS = "status"
    CHANGES_REQUESTED = "changes_requested"
    COMMENT = "comment"
    MOVED = "moved"


class TrailEntry(BaseModel):
    """One step of a post's approval trail: who did what, when."""

    model_config = ConfigDict(defer_build=True)

    at: Moment
    by: str = Field(default="", max_length=100)
    kind: TrailKind
    from_status: PostStatus | None = None
    to_status: PostStatus | None = None
    text: str = Field(default="", max_length=5000)
    """The comment, or what changed (a move: from which day)."""


def _tags(values: list[str], prefix: str = "") -> list[str]:
    cleaned: list[str] = []
    for value in values:
        word = value.strip().lstrip("#").strip()
        if not word:
            continue
        if any(character.isspace() for character in word):
            raise ValueError(_("{tag!r} has a space in it: one word per tag").format(
                tag=value.strip()))
        if prefix + word not in cleaned:
            cleaned.append(prefix + word)
    return cleaned


class Post(Record):
    """A post planned for one client on one channel."""

    table = POSTS
    references = {"client_id": "clients", "assignee_id": "members"}

    client_id: str
    channel: ChannelId
    publish_at: Moment
    """When it goes out (a UTC moment; shown in the client's time zone)."""
    title: Title
    text: str = Field(default="", max_length=20_000)
    media_notes: str = Field(default="", max_length=2000)
    """What pictures or video go with it."""
    hashtags: list[str] = Field(default_factory=list)
    assignee_id: str | None = None
    """The member who writes it."""
    status: PostStatus = PostStatus.IDEA
    tags: list[str] = Field(default_factory=list)
    trail: list[TrailEntry] = Field(default_factory=list)
    """Every status change and comment, oldest first."""
    sent_for_approval_at: Moment | None = None
    """When it was last sent to the client for approval."""
    slot_rule_id: str | None = None
    """The content plan rule that made it as an empty slot, if one did."""

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, values: list[str]) -> list[str]:
        return _tags(values, "#")

    @field_validator("tags")
    @classmethod
    def _tags(cls, values: list[str]) -> list[str]:
        return _tags(values)

    def is_empty_slot(self) -> bool:
        """A slot the plan made that nobody has filled yet."""
        return (self.slot_rule_id is not None and self.status is PostStatus.IDEA
                and not self.text.strip())


class SlotRule(Record):
    """A content plan rule: "VK, 3 posts a week, Mon/Wed/Fri 10:00" for one client."""

    table = RULES
    references = {"client_id": "clients"}

    client_id: str
    channel: ChannelId
    weekdays: list[int] = Field(min_length=1)
    """Monday = 0."""
    at: time = time(10, 0)
    """Local time in the client's time zone."""

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, days: list[int]) -> list[int]:
        if any(day < 0 or day > 6 for day in days):
            raise ValueError(_("weekdays are numbers from 0 (Monday) to 6 (Sunday)"))
        return sorted(set(days))

    def label(self) -> str:
        return f"{self.channel} {describe_weekdays(self.weekdays)} {self.at:%H:%M}"


def describe_weekdays(days: list[int]) -> str:
    """Days of the week by their short names in the current language: "Mon/Wed/Fri", «пн/ср/пт»."""
    names = weekday_names()
    return "/".join(names[day] for day in days)


class CalendarSettings(BaseModel):
    """The ``[smm_calendar]`` section of ``workspace.toml``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    channels: list[ChannelId] = Field(default_factory=lambda: list(DEFAULT_CHANNELS),
                                      min_length=1)
    """Channels a post can go to, in the order the week view shows them."""
    channel_titles: dict[str, str] = Field(default_factory=dict)
    """Channel id → the name shown (``vk = "ВКонтакте"``)."""
    approval_days: int = Field(default=2, ge=1, le=60)
    """A post waiting for the client's approval longer than this shows on Today."""
    due_soon_days: int = Field(default=3, ge=0, le=60)
    """A post not approved this close to its publish time shows on Today."""
    default_time: time = time(10, 0)
    """The publish time of a post made on a day (client's local time)."""
    event_minutes: int = Field(default=30, ge=1, le=24 * 60)
    """How long each post's event lasts in an exported calendar."""

    @field_validator("channels")
    @classmethod
    def _unique(cls, channels: list[str]) -> list[str]:
        if len(set(channels)) != len(channels):
            raise ValueError(_("a channel is named twice"))
        return channels

    def title_of(self, channel: str) -> str:
        return self.channel_titles.get(channel) or _(DEFAULT_TITLES.get(channel) or channel)

    def check_channel(self, channel: str) -> str:
        """The channel's id if it is one of ours; Refused naming the known ones if not."""
        wanted = channel.strip().casefold()
        for known in self.channels:
            if wanted in (known, self.title_of(known).casefold()):
                return known
        names = ", ".join(self.channels)
        raise Refused(_("unknown channel {channel!r}: use one of {names} (channels are set in "
                        "[smm_calendar] of workspace.toml)").format(
            channel=channel.strip(), names=names))


def settings_of(workspace: Workspace) -> CalendarSettings:
    """The workspace's ``[smm_calendar]`` settings, as amtui checked them when the plugin was
    given the workspace (defaults where it says nothing)."""
    settings = workspace.plugin_settings.get(PLUGIN)
    return settings if isinstance(settings, CalendarSettings) else CalendarSettings()
