"""The shared shape of every stored record, and the small value types records use."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails

from amtui.clock import now
from amtui.i18n import _
from amtui.models.ids import new_id
from amtui.money import MAX_AMOUNT, format_amount, format_money, minor_unit

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A name or a title: surrounding spaces removed, not empty."""

ShortText = Annotated[str, Field(max_length=500)]
"""A short free-text field (an industry, a role, a phone number), possibly empty."""

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]

Tags = Annotated[list[Tag], Field(max_length=100)]
"""Labels of a record: at most 100, each a word or a few."""

RECORD_RULES = 2
"""The version of what makes a stored record valid. A file amtui wrote under other rules is
checked record by record when read (records stored before a bound was added may not meet it)."""


def check_amount(value: Decimal, places: int = 2, limit: Decimal = MAX_AMOUNT) -> Decimal:
    """``value`` if it is a sane amount: a number, not negative, below ``limit``, with at most
    ``places`` digits after the point; else ValueError saying which of these it is not."""
    if not value.is_finite():
        raise ValueError(_("the amount must be a number"))
    if value < 0:
        raise ValueError(_("the amount cannot be negative ({value})").format(value=value))
    if value >= limit:
        shown = str(value) if len(str(value)) <= 30 else f"{value:.3E}"
        raise ValueError(_("{amount} is too large (the most is {most})").format(
            amount=shown, most=format_amount(limit - 1)))
    exponent = value.as_tuple().exponent
    if (isinstance(exponent, int) and -exponent > places
            and value != value.quantize(Decimal(1).scaleb(-places))):
        shown = str(value) if len(str(value)) <= 30 else f"{value:.3E}"
        raise ValueError(_("{shown} has more than {places} digits after the point").format(
            shown=shown, places=places))
    return value


MONTHLY_PLACES = 4
"""Digits after the point of a monthly figure (a yearly sum spread over twelve months)."""


def _monthly_amount(value: Decimal) -> Decimal:
    return check_amount(value, MONTHLY_PLACES)


MonthlyAmount = Annotated[Decimal, AfterValidator(_monthly_amount)]
"""Money per month in the workspace currency: not negative, below :data:`MAX_AMOUNT`, with
at most four digits after the point."""

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)
"""Dates and moments amtui stores lie between these: others are typing slips (and the
arithmetic on them, a due date plus working hours, would leave the calendar)."""


def check_day(value: date) -> date:
    """``value`` if it lies within :data:`FIRST_DAY` … :data:`LAST_DAY`."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(_("{date} is out of range: dates are between {first} and {last}")
                         .format(date=value.isoformat(), first=FIRST_DAY.year, last=LAST_DAY.year))
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(_("cannot be empty"))
    return value


LongText = Annotated[str, Field(max_length=100_000), AfterValidator(_not_blank)]
"""Text kept exactly as written (indentation included), but not empty."""


def _in_utc(value: datetime) -> datetime:
    check_day(value.date())  # first, so that the change of zone cannot leave the calendar
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return check_moment(moment)


def check_moment(value: datetime) -> datetime:
    """``value`` if its day (in UTC when it has a zone) lies within the stored range."""
    check_day(value.date())
    if value.tzinfo is not None:
        check_day(value.astimezone(UTC).date())
    return value


Moment = Annotated[datetime, AfterValidator(_in_utc)]
"""A moment in time, stored in UTC (a naive one is taken as UTC)."""


def parse_day(value: Any) -> Any:
    """Accept YYYY-MM-DD and say plainly when such a day does not exist."""
    if isinstance(value, str) and not isinstance(value, date):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
                raise ValueError(_("{strip} is not a date that exists").format(
                    strip=value.strip())) from None
            raise ValueError(_("{value!r} is not a date: use YYYY-MM-DD").format(
                value=value)) from None
    return value


Day = Annotated[date, BeforeValidator(parse_day), AfterValidator(check_day)]
"""A calendar date, given as YYYY-MM-DD."""


class Priority(StrEnum):
    """How urgent a task or a message is."""

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

    @model_validator(mode="after")
    def _only_text(self) -> Record:
        """No text holds bytes that are not UTF-8 (a shell passes them on as lone surrogates,
        which cannot be stored)."""
        for name, value in self.__dict__.items():
            if _has_surrogates(value):
                raise ValueError(_("{replace}: holds bytes that are not UTF-8 text; type it "
                                   "again, or convert the file to UTF-8").format(
                                       replace=name.replace('_', ' ')))
        return self

    def label(self) -> str:
        """The name people know this record by."""
        return str(getattr(self, "name", None) or getattr(self, "title", None) or self.id)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogates(value: Any) -> bool:
    """Whether ``value`` (text, or lists, dicts and models of it) holds a lone surrogate."""
    if isinstance(value, str):
        return not value.isascii() and _SURROGATE.search(value) is not None
    if value is None or isinstance(value, int | float | Decimal | date):
        return False
    if isinstance(value, list | tuple):
        return any(_has_surrogates(item) for item in value)
    if isinstance(value, dict):
        return any(_has_surrogates(key) or _has_surrogates(item) for key, item in value.items())
    if isinstance(value, BaseModel):
        return any(_has_surrogates(item) for item in value.__dict__.values())
    return False


class Money(BaseModel):
    """An exact amount of money in one currency."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    amount: Decimal
    currency: str = Field(default="RUB", pattern=r"^[A-Z]{3}$")

    @model_validator(mode="after")
    def _valid_amount(self) -> Money:
        # Typed money is held to the currency's digits by amtui.money.parse_money; a stored
        # amount may have two, as every currency Babel gives fewer had before it decided
        # (HUF 1000.50 stays readable).
        places = max(minor_unit(self.currency), 2)
        try:
            check_amount(self.amount, places)
        except ValueError as error:
            raise ValueError(_("{error} ({currency} has {places})").format(
                error=error, currency=self.currency, places=places)
                             if "digits after" in str(error) else str(error)) from None
        return self

    def __str__(self) -> str:
        return format_money(self.amount, self.currency, all_digits=True)


def describe_validation_error(error: ValidationError) -> str:
    """One readable line per problem: "field: what is wrong", in amtui's own words."""
    lines = []
    for problem in error.errors():
        field = problem_field(problem)
        # A check of the whole record names its fields itself.
        lines.append(f"{field}: {problem_message(problem)}" if field
                     else problem_message(problem))
    return "; ".join(lines)


def in_own_words(error: ValidationError) -> ValidationError:
    """The same problems, each with amtui's message (:func:`problem_message`), for a form that
    shows ``msg`` next to each field."""
    return ValidationError.from_exception_data(error.title, [
        InitErrorDetails(type="value_error", loc=problem["loc"], input=problem.get("input"),
                         ctx={"error": ValueError(problem_message(problem))})
        for problem in error.errors()])


def problem_field(problem: ErrorDetails) -> str:
    """The field a problem is about, as people say it: ``tags #2``, ``signed on``."""
    return " ".join(f"#{part + 1}" if isinstance(part, int) else str(part).replace("_", " ")
                    for part in problem["loc"])


def problem_message(problem: ErrorDetails) -> str:
    """What is wrong with a field, in amtui's words rather than pydantic's."""
    kind = problem["type"]
    context: dict[str, Any] = dict(problem.get("ctx") or {})
    typed = problem.get("input")
    shown = repr(typed) if len(repr(typed)) <= 60 else repr(typed)[:59] + "…"
    if kind in ("value_error", "assertion_error"):
        return str(problem["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_too_short":
        least = context.get("min_length", 1)
        return "cannot be empty" if least == 1 else f"must be at least {least} characters long"
    if kind == "string_too_long":
        return f"can be at most {context.get('max_length', 0):,} characters long".replace(",", " ")
    if kind == "string_pattern_mismatch":
        if context.get("pattern") == r"^[A-Z]{3}$":
            return f"{shown} is not a currency code: use three capital letters such as RUB"
        return f"{shown} is not written as this field needs"
    if kind in ("too_short", "too_long"):
        bound = context.get("min_length" if kind == "too_short" else "max_length", 0)
        return (f"needs at least {bound} item{'s' if bound != 1 else ''}" if kind == "too_short"
                else f"can hold at most {bound} items")
    plain = {
        "missing": "is required",
        "string_unicode": "holds bytes that are not UTF-8 text",
        "string_type": "must be text",
        "enum": f"{shown} is not one of {context.get('expected', '')}",
        "literal_error": f"{shown} is not one of {context.get('expected', '')}",
        "int_parsing": f"{shown} is not a whole number",
        "int_type": f"{shown} is not a whole number",
        "int_from_float": f"{shown} is not a whole number",
        "float_parsing": f"{shown} is not a number",
        "float_type": f"{shown} is not a number",
        "decimal_parsing": f"{shown} is not a number",
        "decimal_type": f"{shown} is not a number",
        "finite_number": "must be a number",
        "decimal_max_digits": "has too many digits",
        "decimal_max_places": "has too many digits after the point",
        "decimal_whole_digits": "has too many digits before the point",
        "greater_than": f"must be more than {context.get('gt')}",
        "greater_than_equal": f"must be at least {context.get('ge')}",
        "less_than": f"must be less than {context.get('lt')}",
        "less_than_equal": f"can be at most {context.get('le')}",
        "bool_parsing": f"{shown} is not yes or no (true/false)",
        "bool_type": f"{shown} is not yes or no (true/false)",
        "date_parsing": f"{shown} is not a date: use YYYY-MM-DD",
        "date_from_datetime_parsing": f"{shown} is not a date: use YYYY-MM-DD",
        "date_from_datetime_inexact": f"{shown} is a moment, not a date: use YYYY-MM-DD",
        "date_type": f"{shown} is not a date: use YYYY-MM-DD",
        "datetime_parsing": f"{shown} is not a date and time: use YYYY-MM-DD HH:MM",
        "datetime_from_date_parsing": f"{shown} is not a date and time: use YYYY-MM-DD HH:MM",
        "datetime_type": f"{shown} is not a date and time: use YYYY-MM-DD HH:MM",
        "timezone_aware": "needs a time zone",
        "list_type": "must be a list",
        "dict_type": "must be a table of names and values",
        "model_type": "must be a table of names and values",
        "model_attributes_type": "must be a table of names and values",
        "extra_forbidden": "is not a field amtui knows",
        "frozen_instance": "cannot be changed",
        "frozen_field": "cannot be changed",
    }
    return plain.get(kind) or str(problem["msg"])
