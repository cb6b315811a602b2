"""Tasks handed to departments, messages from clients, notes."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from amtui.i18n import N_, _, shown
from amtui.models.base import (
    Channel,
    Day,
    LongText,
    Moment,
    NonBlank,
    Priority,
    Record,
    ShortText,
    Tags,
    check_amount,
)

MAX_NOTE_BODY = 1_000_000
"""The most characters a note's body holds."""

MAX_ESTIMATE_HOURS = Decimal(100_000)
"""A task's estimate is below this (more than ten years of work is a typing slip)."""

DEFAULT_DEPARTMENTS = (
    "copywriting",
    "seo",
    "context_ads",
    "analytics",
    "design",
    "development",
    "other",
)
DEPARTMENT_WORDS = (N_("copywriting"), N_("seo"), N_("context ads"), N_("analytics"),
                    N_("design"), N_("development"), N_("other"))
"""The default departments in plain words, for the catalogue (shown by :func:`department`)."""


def department(name: object) -> str:
    """A department in plain words in the language in use ("context_ads": «контекст»); a
    workspace's own departments as they are written."""
    return shown(name) if name else ""


DEFAULT_COLUMNS = ("backlog", "todo", "in_progress", "review", "client_approval", "done")


class ChecklistItem(BaseModel):
    """One line of a task's checklist, ticked or not."""

    model_config = ConfigDict(defer_build=True)

    text: NonBlank
    done: bool = False


class Task(Record):
    """A piece of work handed to a department."""

    table = "tasks"
    references = {"client_id": "clients", "message_id": "messages"}

    title: NonBlank
    description: str = Field(default="", max_length=100_000)
    client_id: str | None = None
    department: ShortText = "other"
    assignee: ShortText = ""
    """Who in the department does it (a name; departments are not members)."""
    column: ShortText = "backlog"
    """Board column the task is in."""
    position: float = Field(default=0.0, allow_inf_nan=False)
    """Order within the column."""
    priority: Priority = Priority.NORMAL
    due: Day | None = None
    checklist: list[ChecklistItem] = Field(default_factory=list, max_length=1000)
    blocked_by_client: bool = False
    blocked_since: Moment | None = None
    estimate_hours: Decimal | None = None
    done_at: Moment | None = None
    column_since: Moment | None = None
    """When the task came into its column (how long it has waited there)."""
    message_id: str | None = None
    """The client message this task came from, if any."""

    @field_validator("estimate_hours")
    @classmethod
    def _positive_estimate(cls, value: Decimal | None) -> Decimal | None:
        if value is not None:
            try:
                check_amount(value, places=2, limit=MAX_ESTIMATE_HOURS)
            except ValueError as error:
                raise ValueError(_("the estimate must be a number of hours from 0 to {most}: "
                                   "{error}").format(
                    most=f"{MAX_ESTIMATE_HOURS - 1:,.0f}".replace(",", " "), error=error)
                ) from None
        return value


class Direction(StrEnum):
    """Whether a message came from the client (incoming) or went to them (outgoing)."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"


class MessageKind(StrEnum):
    """What a message is: a question, a request, a complaint, …"""

    QUESTION = "question"
    REQUEST = "request"
    COMPLAINT = "complaint"
    APPROVAL = "approval"
    FEEDBACK = "feedback"
    REPLY = "reply"
    UPDATE = "update"
    CALL = "call"


class MessageStatus(StrEnum):
    """Who a message waits for: us (new, waiting_on_us), the client, or nobody (done)."""

    NEW = "new"
    WAITING_ON_US = "waiting_on_us"
    WAITING_ON_CLIENT = "waiting_on_client"
    DONE = "done"


class Message(Record):
    """Something a client said to us, or we to them."""

    table = "messages"
    references = {"client_id": "clients", "contact_id": "contacts", "assignee_id": "members"}

    client_id: str | None = None
    """The client who wrote (or whom we wrote); None for mail from a sender no client has
    yet ("no client yet" in the Inbox), until a client is made from the sender or chosen."""
    contact_id: str | None = None
    channel: Channel = Channel.EMAIL
    direction: Direction = Direction.INCOMING
    kind: MessageKind = MessageKind.QUESTION
    status: MessageStatus = MessageStatus.NEW
    priority: Priority = Priority.NORMAL
    text: LongText
    received_at: Moment
    answer_by: Moment | None = None
    """When the answer is due; past it, the message is late."""
    assignee_id: str | None = None
    snoozed_until: Moment | None = None
    external_id: str | None = Field(default=None, max_length=1000)
    """Where the message came from, to import it once: "mail:<Message-ID>"."""
    reply_to_id: str | None = None
    """The message this one answers, when known (an imported mail's In-Reply-To)."""
    sender_name: ShortText = ""
    sender_address: ShortText = ""
    """Who an imported mail is from (its From: name and address), kept so that a client can
    be made from the sender of mail no client had."""

    def label(self) -> str:
        """The message's first words, on one line."""
        words = " ".join(self.text.split())
        return words if len(words) <= 60 else words[:59] + "…"


class NoteKind(StrEnum):
    """What a note is: meeting notes, a brief, a spec, knowledge, …"""

    MEETING = "meeting"
    BRIEF = "brief"
    SPEC = "spec"
    KNOWLEDGE = "knowledge"
    REPORT = "report"
    CHECKLIST = "checklist"


class Note(Record):
    """A Markdown note: meeting notes, a brief, a spec, knowledge."""

    table = "notes"
    references = {"client_id": "clients"}

    title: NonBlank
    body: str = Field(default="", max_length=MAX_NOTE_BODY)
    client_id: str | None = None
    kind: NoteKind = NoteKind.KNOWLEDGE
    tags: Tags = Field(default_factory=list)
    pinned: bool = False
