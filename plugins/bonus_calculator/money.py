"""Exact money: Decimal amounts, each rounded once to its currency's minor unit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MINOR_UNITS = {
    "BHD": 3, "CLP": 0, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3,
    "LYD": 3, "OMR": 3, "PYG": 0, "TND": 3, "UGX": 0, "VND": 0, "XAF": 0, "XOF": 0,
}
"""Digits after the point of the currencies that do not have two (ISO 4217)."""

ZERO = Decimal(0)


def minor_unit(currency: str) -> int:
    """How many digits after the point the currency has (RUB: 2, JPY: 0)."""
    return MINOR_UNITS.get(currency, 2)


def rounded(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded to the currency's minor unit, halves away from zero (never -0)."""
    result = amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)
    return abs(result) if result.is_zero() else result


def number(value: Decimal, places: int | None = None) -> str:
    """A number with spaces between thousands: ``1 234 567.5``; ``places`` fixes the digits
    after the point, otherwise as many as it has (trailing zeros dropped)."""
    if places is None:
        value = value.normalize() if value == value.to_integral_value() else value
        text = f"{value:,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{places}f}"
    return text.replace(",", " ")


def money(amount: Decimal, currency: str) -> str:
    """``1 234.50 RUB``: all the currency's minor digits, with its code."""
    return f"{number(amount, minor_unit(currency))} {currency}"


def signed_money(amount: Decimal, currency: str) -> str:
    """``+1 234.50 RUB`` or ``-1 234.50 RUB``."""
    sign = "+" if amount > 0 else ""
    return sign + money(amount, currency)
