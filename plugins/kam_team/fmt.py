"""Figures as text: money grouped in thousands, shares, ratios; "—" for what has no value."""

from __future__ import annotations

from decimal import Decimal

NONE = "—"


def money(value: Decimal | None) -> str:
    """Grouped in thousands, cents only when there are some: "1 200 000", "99.50"."""
    if value is None:
        return NONE
    places = 0 if value == value.to_integral_value() else 2
    return f"{value:,.{places}f}".replace(",", " ")


def count(value: int) -> str:
    """A whole number grouped in thousands like money: "1 152"."""
    return f"{value:,}".replace(",", " ")


def share(value: Decimal | None) -> str:
    return NONE if value is None else f"{value:.1f}"


def ratio(value: Decimal | None) -> str:
    return NONE if value is None else f"{value:.2f}"


def number(value: object) -> str:
    if value is None:
        return NONE
    if isinstance(value, Decimal):
        return money(value)
    return str(value)


def compact(value: Decimal) -> str:
    """Money in a narrow space: "950", "162k", "1.2M"."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    return money(value)
