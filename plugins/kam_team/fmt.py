"""Figures as text: money grouped in thousands, shares, ratios; "—" for what has no value."""

from __future__ import annotations

from decimal import Decimal

from amtui.api import format_number

from .i18n import _

NONE = "—"


def money(value: Decimal | None) -> str:
    """Grouped in thousands in the user's locale, cents only when there are some:
    "1 200 000", "99,50" / "1,200,000", "99.50"."""
    if value is None:
        return NONE
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def count(value: int) -> str:
    """A whole number grouped in thousands like money: "1 152" / "1,152"."""
    return format_number(value)


def share(value: Decimal | None) -> str:
    return NONE if value is None else format_number(value, 1)


def ratio(value: Decimal | None) -> str:
    return NONE if value is None else format_number(value, 2)


def number(value: object) -> str:
    if value is None:
        return NONE
    if isinstance(value, Decimal):
        return money(value)
    return str(value)


def compact(value: Decimal) -> str:
    """Money in a narrow space: "950", "162k", "1.2M" («162 тыс.», «1,2 млн»)."""
    if value >= 1_000_000:
        return _("{number}M").format(number=format_number(value / 1_000_000, 1))
    if value >= 10_000:
        return _("{number}k").format(number=format_number(value / 1000, 0))
    return money(value)
