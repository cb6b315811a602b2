"""Clients and the people on the client's side."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from amtui.i18n import _
from amtui.language import languages, normalised
from amtui.models.base import (
    Channel,
    Moment,
    MonthlyAmount,
    NonBlank,
    Record,
    ShortText,
    Tags,
)


def check_language(value: str) -> str:
    """A language amtui writes in, as its two letters ("ru", "ru_RU" and "RU" are "ru");
    "" stays "" (the workspace's)."""
    if not value.strip():
        return ""
    found = normalised(value.strip().lower())
    if found is None:
        raise ValueError(_("{value!r} is not a language amtui writes in ({languages})").format(
            value=value, languages=", ".join(languages())))
    return found.partition("_")[0]


class ClientKind(StrEnum):
    B2B = "b2b"
    B2C = "b2c"


class LegalForm(StrEnum):
    COMPANY = "company"
    PERSON = "person"


class ClientStatus(StrEnum):
    """Where a client is with us: a lead, active, dormant (no work lately), churned."""

    LEAD = "lead"
    ACTIVE = "active"
    DORMANT = "dormant"
    CHURNED = "churned"


class RelationshipStage(StrEnum):
    """How deep the relationship goes, from tactical (single orders) to strategic."""

    TACTICAL = "tactical"
    OPERATIONAL = "operational"
    FUNCTIONAL = "functional"
    STRATEGIC = "strategic"


class Cadence(StrEnum):
    """How often the client expects to hear from us."""

    DAILY = "daily"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    NONE = "none"

    @property
    def days(self) -> int | None:
        """Days between two updates; None for no fixed cadence."""
        return {"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 30}.get(self.value)


class Influence(StrEnum):
    """A contact's say in the client's decisions."""

    DECISION_MAKER = "decision_maker"
    CHAMPION = "champion"
    BLOCKER = "blocker"
    STAKEHOLDER = "stakeholder"


ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,3}")
"""What an IANA time zone name looks like (Europe/Moscow, America/Argentina/Buenos_Aires)."""


def check_timezone(value: str) -> str:
    hint = _("an IANA name such as Europe/Moscow or Asia/Yekaterinburg")
    shown = repr(value) if len(value) <= 60 else repr(value[:60]) + "…"
    if len(value) > 64 or not ZONE_NAME.fullmatch(value):
        raise ValueError(_("unknown time zone {shown}: use {hint}").format(shown=shown, hint=hint))
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(_("unknown time zone {shown}: use {hint}").format(
            shown=shown, hint=hint)) from None
    return value


class WorkingHours(BaseModel):
    model_config = ConfigDict(defer_build=True)

    """When the client can be reached, in the client's own time zone."""

    start: time = time(10, 0)
    end: time = time(19, 0)
    weekdays: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    """Days of the week the client works, Monday = 0."""

    @field_validator("weekdays")
    @classmethod
    def _valid_weekdays(cls, days: list[int]) -> list[int]:
        if any(day < 0 or day > 6 for day in days):
            raise ValueError(_("weekdays are numbers from 0 (Monday) to 6 (Sunday)"))
        return sorted(set(days))

    @model_validator(mode="after")
    def _start_before_end(self) -> WorkingHours:
        if self.start >= self.end:
            raise ValueError(_("working hours must start before they end ({start}–{end})").format(
                start=self.start, end=self.end))
        return self


class Client(Record):
    """A company or a person we work for, or hope to."""

    table = "clients"
    references = {"owner_id": "members"}

    name: NonBlank
    kind: ClientKind = ClientKind.B2B
    legal_form: LegalForm = LegalForm.COMPANY
    status: ClientStatus = ClientStatus.ACTIVE
    owner_id: str | None = None
    """The member who owns the relationship."""
    stage: RelationshipStage | None = None
    key_account: bool = False
    industry: ShortText = ""
    preferred_channel: Channel = Channel.EMAIL
    timezone: str = "Europe/Moscow"
    working_hours: WorkingHours = Field(default_factory=WorkingHours)
    cadence: Cadence = Cadence.WEEKLY
    """How often the client gets an update from us."""
    update_snoozed_until: Moment | None = None
    """The update is not due before this moment, whatever the cadence says."""
    monthly_revenue: MonthlyAmount = Decimal(0)
    """Recurring revenue per month, in the workspace currency."""
    cost_to_serve: MonthlyAmount = Decimal(0)
    """What serving the client costs us per month, in the workspace currency."""
    tags: Tags = Field(default_factory=list)
    tax_id: ShortText = ""
    """The client's tax number (ИНН in Russia), as imported; tells two clients apart."""
    language: ShortText = ""
    """The language our messages to the client are written in ("ru", "en"); empty: the
    workspace's (its ``locale``)."""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        return check_language(value)


class Contact(Record):
    """A person on the client's side."""

    table = "contacts"
    references = {"client_id": "clients"}

    client_id: str
    name: NonBlank
    role: ShortText = ""
    """Job title, as the client calls it."""
    email: ShortText = ""
    phone: ShortText = ""
    messenger: ShortText = ""
    """Messenger handle, e.g. a Telegram username."""
    influence: Influence = Influence.STAKEHOLDER
    cadence: Cadence | None = None
    """Update cadence for this person, when it differs from the client's."""

    @field_validator("email")
    @classmethod
    def _plausible_email(cls, value: str) -> str:
        if value and ("@" not in value or value.startswith("@") or value.endswith("@")):
            raise ValueError(_("{value!r} is not an e-mail address").format(value=value))
        return value
