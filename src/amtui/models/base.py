"""The shared shape of every stored record, and the small value types records use."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from amtui.clock import now
from amtui.models.ids import new_id

NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A name or a title: surrounding spaces removed, not empty."""


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("cannot be empty")
    return value


LongText = Annotated[str, Field(max_length=100_000), AfterValidator(_not_blank)]
"""Text kept exactly as written (indentation included), but not empty."""


def _in_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Moment = Annotated[datetime, AfterValidator(_in_utc)]
"""A moment in time, stored in UTC (a naive one is taken as UTC)."""


def parse_day(value: Any) -> Any:
    """Accept YYYY-MM-DD and say plainly when such a day does not exist."""
    if isinstance(value, str) and not isinstance(value, date):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
                raise ValueError(f"{value.strip()} is not a date that exists") from None
            raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD") from None
    return value


Day = Annotated[date, BeforeValidator(parse_day)]
"""A calendar date, given as YYYY-MM-DD."""


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Channel(StrEnum):
    """Ways a client and the agency talk to each other."""

    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    PHONE = "phone"
    MEETING = "meeting"
    SITE = "site"
    OTHER = "other"


class Record(BaseModel):
    """Fields every stored record has: a stable id, a revision and timestamps."""

    model_config = ConfigDict(
        extra="ignore",
        validate_assignment=True,
        use_enum_values=False,
        defer_build=True,
    )

    table: ClassVar[str]
    """Name of the table (and data file) the records of this type live in."""
    references: ClassVar[dict[str, str]] = {}
    """Fields that hold the id of a record in another table: field name → table."""

    id: str = Field(default_factory=new_id, min_length=1, max_length=64)
    """Stable id, never reused."""
    rev: int = Field(default=0, ge=0)
    """Revision: 0 before the first save, then increased by every save."""
    created_at: Moment = Field(default_factory=now)
    updated_at: Moment = Field(default_factory=now)

    def label(self) -> str:
        """The name people know this record by."""
        return str(getattr(self, "name", None) or getattr(self, "title", None) or self.id)


class Money(BaseModel):
    """An exact amount of money in one currency."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    amount: Decimal
    currency: str = Field(default="RUB", pattern=r"^[A-Z]{3}$")

    @field_validator("amount")
    @classmethod
    def _valid_amount(cls, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("the amount must be a number")
        if value < 0:
            raise ValueError(f"the amount cannot be negative ({value})")
        if value.as_tuple().exponent < -4:  # type: ignore[operator]
            raise ValueError(f"too many decimal places in {value}")
        return value

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}".replace(",", " ")


def describe_validation_error(error: ValidationError) -> str:
    """One readable line per problem: "field: what is wrong"."""
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "value"
        message = str(problem["msg"]).removeprefix("Value error, ")
        if problem["type"] == "missing":
            message = "is required"
        elif problem["type"] == "enum":
            expected = problem.get("ctx", {}).get("expected", "")
            message = f"{problem['input']!r} is not one of {expected}"
        lines.append(f"{field.replace('_', ' ')}: {message}")
    return "; ".join(lines)
