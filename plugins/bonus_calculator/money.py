"""Exact money: Decimal amounts, each rounded once to its currency's minor unit; shown by
amtui's one money formatter, in the user's locale."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from amtui.api import format_money, format_number, minor_unit

__all__ = ["ZERO", "minor_unit", "money", "number", "rounded", "signed_money"]

ZERO = Decimal(0)


def rounded(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded to the currency's minor unit, halves away from zero (never -0)."""
    result = amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)
    return abs(result) if result.is_zero() else result


def number(value: Decimal, places: int | None = None) -> str:
    """A number grouped in thousands in the user's locale (``1 234 567,5``, ``1,234,567.5``);
    ``places`` fixes the digits after the point, otherwise as many as it has."""
    return format_number(value, places)


def money(amount: Decimal, currency: str) -> str:
    """``1 234,50 ₽`` / ``RUB 1,234.50``: a statement's money, with all the currency's digits."""
    return format_money(amount, currency, all_digits=True)


def signed_money(amount: Decimal, currency: str) -> str:
    """``+1 234,50 ₽`` or ``-1 234,50 ₽``."""
    sign = "+" if amount > 0 else ""
    return sign + money(amount, currency)
