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
from amtui.i18n import N_, _, ngettext
from amtui.models.ids import new_id
from amtui.models.words import field_word
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
        raise TooManyPlaces(_("{shown} has more than {places} digits after the point").format(
            shown=shown, places=places))
    return value


class TooManyPlaces(ValueError):
    """An amount with more digits after the point than it may have."""


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
                                       replace=field_word(name, type(self).__name__)))
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
        except TooManyPlaces as error:
            raise ValueError(_("{error} ({currency} has {places})").format(
                error=error, currency=self.currency, places=places)) from None
        return self

    def __str__(self) -> str:
        return format_money(self.amount, self.currency, all_digits=True)


def describe_validation_error(error: ValidationError) -> str:
    """One readable line per problem: "field: what is wrong", in amtui's own words."""
    lines = []
    for problem in error.errors():
        field = problem_field(problem, error.title)
        # A check of the whole record names its fields itself.
        lines.append(_("{field}: {problem}").format(field=field, problem=problem_message(problem))
                     if field else problem_message(problem))
    return "; ".join(lines)


def in_own_words(error: ValidationError) -> ValidationError:
    """The same problems, each with amtui's message (:func:`problem_message`), for a form that
    shows ``msg`` next to each field."""
    return ValidationError.from_exception_data(error.title, [
        InitErrorDetails(type="value_error", loc=problem["loc"], input=problem.get("input"),
                         ctx={"error": ValueError(problem_message(problem))})
        for problem in error.errors()])


def problem_field(problem: ErrorDetails, record: str = "") -> str:
    """The field a problem is about, as people say it in the language in use: ``tags #2``,
    ``signed on``; ``record`` (the model's name, a ValidationError's ``title``) tells a
    person's name from a company's."""
    return " ".join(f"#{part + 1}" if isinstance(part, int) else field_word(str(part), record)
                    for part in problem["loc"])


def _choices(expected: str) -> str:
    """Pydantic's "'b2b' or 'b2c'" as a plain list: 'b2b', 'b2c'."""
    values = re.findall(r"'([^']*)'", expected)
    return ", ".join(repr(value) for value in values) if values else expected


def problem_message(problem: ErrorDetails) -> str:
    """What is wrong with a field, in amtui's words rather than pydantic's, in the language
    in use."""
    kind = problem["type"]
    context: dict[str, Any] = dict(problem.get("ctx") or {})
    typed = problem.get("input")
    shown = repr(typed) if len(repr(typed)) <= 60 else repr(typed)[:59] + "…"
    if kind in ("value_error", "assertion_error"):
        return str(problem["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_too_short":
        least = int(context.get("min_length", 1))
        return _("cannot be empty") if least == 1 else ngettext(
            "must be at least {count} character long", "must be at least {count} characters long",
            least).format(count=least)
    if kind == "string_too_long":
        most = int(context.get("max_length", 0))
        return ngettext("can be at most {count} character long",
                        "can be at most {count} characters long", most).format(
                            count=f"{most:,}".replace(",", " "))
    if kind == "string_pattern_mismatch":
        if context.get("pattern") == r"^[A-Z]{3}$":
            return _("{value} is not a currency code: use three capital letters such as RUB"
                     ).format(value=shown)
        return _("{value} is not written as this field needs").format(value=shown)
    if kind in ("too_short", "too_long"):
        bound = int(context.get("min_length" if kind == "too_short" else "max_length", 0))
        return (ngettext("needs at least {count} item", "needs at least {count} items", bound)
                if kind == "too_short" else
                ngettext("can hold at most {count} item", "can hold at most {count} items",
                         bound)).format(count=bound)
    if kind in ("enum", "literal_error"):
        return _("{value} is not one of: {choices}").format(
            value=shown, choices=_choices(str(context.get("expected", ""))))
    bounds = {"greater_than": (N_("must be more than {bound}"), "gt"),
              "greater_than_equal": (N_("must be at least {bound}"), "ge"),
              "less_than": (N_("must be less than {bound}"), "lt"),
              "less_than_equal": (N_("can be at most {bound}"), "le")}
    if kind in bounds:
        limit_message, limit = bounds[kind]
        return _(limit_message).format(bound=context.get(limit))
    not_a_date = N_("{value} is not a date: use YYYY-MM-DD")
    not_a_moment = N_("{value} is not a date and time: use YYYY-MM-DD HH:MM")
    not_a_number = N_("{value} is not a number")
    not_whole = N_("{value} is not a whole number")
    not_yes_or_no = N_("{value} is not yes or no (true/false)")
    not_a_table = N_("must be a table of names and values")
    plain = {
        "missing": N_("is required"),
        "string_unicode": N_("holds bytes that are not UTF-8 text"),
        "string_type": N_("must be text"),
        "int_parsing": not_whole, "int_type": not_whole, "int_from_float": not_whole,
        "float_parsing": not_a_number, "float_type": not_a_number,
        "decimal_parsing": not_a_number, "decimal_type": not_a_number,
        "finite_number": N_("must be a number"),
        "decimal_max_digits": N_("has too many digits"),
        "decimal_max_places": N_("has too many digits after the point"),
        "decimal_whole_digits": N_("has too many digits before the point"),
        "bool_parsing": not_yes_or_no, "bool_type": not_yes_or_no,
        "date_parsing": not_a_date, "date_from_datetime_parsing": not_a_date,
        "date_type": not_a_date,
        "date_from_datetime_inexact": N_("{value} is a moment, not a date: use YYYY-MM-DD"),
        "datetime_parsing": not_a_moment, "datetime_from_date_parsing": not_a_moment,
        "datetime_type": not_a_moment,
        "timezone_aware": N_("needs a time zone"),
        "list_type": N_("must be a list"),
        "dict_type": not_a_table, "model_type": not_a_table,
        "model_attributes_type": not_a_table,
        "extra_forbidden": N_("is not a field amtui knows"),
        "frozen_instance": N_("cannot be changed"),
        "frozen_field": N_("cannot be changed"),
    }
    template = plain.get(kind)
    return _(template).format(value=shown) if template else str(problem["msg"])
