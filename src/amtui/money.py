"""Money as people read and type it, in the current locale, by Babel.

One formatter and one parser for the whole app, its command line and its plugins:

- ``format_money(amount, currency)``: ``"1 200 000,50 ₽"`` in Russian, ``"RUB 1,200,000.50"``
  in English; digits after the point only when there are some (``all_digits=True`` always
  shows the currency's), never rounded, so what is shown is what is stored.
- ``format_amount(amount)``: the same number without a currency, as a form field shows it;
  ``format_number(value, places)`` any other number (hours, shares, rates).
- ``minor_unit(currency)``: how many digits after the point a currency has (Babel's CLDR data).
- ``parse_money(text, currency)``: what people type in either language; raises ``MoneyError``.

What ``parse_money`` accepts: digits grouped by spaces (also no-break ones), apostrophes,
underscores, dots or commas; a decimal comma or point; the currency's code or sign before or
after (``1 200 000 ₽``, ``RUB 1,200``, ``1 200 руб.``); and «тыс»/«k», «млн»/«M» after the
number (``1,5 млн`` is 1 500 000). How a comma or a dot is read:

- with both in the number, the last one is the decimal point (``1,200,000.50``, ``1.200.000,50``);
- one that appears more than once groups thousands (``1.200.000``);
- a single one is the decimal point, except when it is followed by exactly three digits and
  preceded by one to three digits that are not ``0`` (``1,200``, ``25.000``): then it groups
  thousands — a rouble has two digits after the point, so nobody means 1.2 by ``1,200``. For a
  currency with three digits after the point (KWD) the locale decides instead: the locale's
  decimal sign is a decimal point. With «тыс» or «млн» a single one is always a decimal point.

Stored values are never formatted: the store keeps Decimal strings.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from amtui.i18n import _, current_locale
from amtui.text import one_line

if TYPE_CHECKING:
    from babel.numbers import NumberPattern

MAX_AMOUNT = Decimal(10) ** 15
"""Amounts of money are below this (a quadrillion): a larger one is a slip of the keyboard,
and formatting it would need more digits than decimal arithmetic carries."""

_MULTIPLIERS = {"тыс": 3, "тыс.": 3, "k": 3, "к": 3, "млн": 6, "млн.": 6, "mln": 6, "m": 6}
_RUBLE_WORDS = ("руб", "руб.", "р", "р.", "₽", "рубль", "рубля", "рублей")
_GROUP_MARKS = re.compile(r"[\s'’_]")
_NUMBER = re.compile(r"[0-9][0-9.,\s'’_]*")


class MoneyError(ValueError):
    """Typed money that cannot be read; the message says why in the user's language."""


def minor_unit(currency: str) -> int:
    """How many digits after the point the currency has (RUB: 2, JPY: 0, KWD: 3)."""
    # lazy: Babel, loaded when a locale formats something
    from babel.numbers import get_currency_precision

    return get_currency_precision(currency)


def _places(amount: Decimal, least: int) -> int:
    """Digits after the point to show ``amount`` unrounded: none for a whole amount, else at
    least ``least``."""
    if amount == amount.to_integral_value():
        return 0
    exponent = amount.as_tuple().exponent
    return max(least, -exponent if isinstance(exponent, int) else 0)


def _with_places(pattern: NumberPattern, places: int) -> NumberPattern:
    fixed = copy.copy(pattern)
    fixed.frac_prec = (places, places)
    return fixed


def format_number(value: Decimal | int, places: int | None = None,
                  locale: str | None = None) -> str:
    """A number grouped in thousands in the locale: ``"1 234 567,5"``, ``"1,234,567.5"``.
    ``places`` fixes the digits after the point (rounding half to even), otherwise it
    has as many as the number (trailing zeros dropped)."""
    # lazy: Babel, loaded when a locale formats something
    from babel.numbers import format_decimal, parse_pattern

    value = Decimal(value)
    if places is None:
        exponent = value.normalize().as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        quantize = False
    else:
        quantize = True
    pattern = _with_places(parse_pattern("#,##0"), places)
    return format_decimal(value, format=pattern, locale=locale or current_locale(),
                          decimal_quantization=quantize)


def format_amount(amount: Decimal, locale: str | None = None) -> str:
    """``amount`` grouped in thousands in the locale (``"1 200 000,50"``, ``"1,200,000.50"``),
    digits after the point only when there are some (then at least two); never rounded."""
    return format_number(amount, _places(amount, 2), locale)


def format_money(amount: Decimal, currency: str, locale: str | None = None, *,
                 all_digits: bool = False) -> str:
    """``amount`` of ``currency`` as the locale writes money: ``"1 200 000,50 ₽"``,
    ``"RUB 1,200,000.50"``, ``"$1,200"``. Digits after the point only when there are some,
    unless ``all_digits`` (a statement's column); never rounded."""
    # lazy: Babel, loaded when a locale formats something
    from babel import Locale
    from babel.numbers import format_currency, get_currency_symbol

    locale = locale or current_locale()
    least = minor_unit(currency)
    places = max(least, _places(amount, least)) if all_digits else _places(amount, least)
    pattern = _with_places(Locale.parse(locale).currency_formats["standard"], places)
    text = format_currency(amount, currency, format=pattern, locale=locale,
                           currency_digits=False, decimal_quantization=False)
    return _spaced(text, get_currency_symbol(currency, locale))


def _spaced(text: str, symbol: str) -> str:
    """A no-break space between a currency sign made of letters and the digits it touches
    (CLDR's currency spacing, which Babel leaves out: "RUB 1,200", not "RUB1,200")."""
    at = text.find(symbol)
    if at < 0 or not symbol:
        return text
    end = at + len(symbol)
    if end < len(text) and text[end].isdigit() and symbol[-1].isalpha():
        return f"{text[:end]}\u00a0{text[end:]}"
    if at > 0 and text[at - 1].isdigit() and symbol[0].isalpha():
        return f"{text[:at]}\u00a0{text[at:]}"
    return text


def _currency_signs(currency: str, locale: str) -> set[str]:
    """What people write for ``currency``: its code and its signs in the locale and in both of
    amtui's languages (and «руб.» for the rouble)."""
    # lazy: Babel, loaded when a locale formats something
    from babel.numbers import get_currency_symbol

    signs = {currency.casefold()}
    for name in {locale, "ru_RU", "en_US"}:
        signs.add(get_currency_symbol(currency, name).casefold())
    if currency == "RUB":
        signs.update(_RUBLE_WORDS)
    return signs


def parse_money(text: str, currency: str, locale: str | None = None, *,
                places: int | None = None, limit: Decimal = MAX_AMOUNT) -> Decimal:
    """The amount of ``currency`` that ``text`` says, typed as people type money (see the
    module's docstring for the forms and how "1,200" is read). At most ``places`` digits after
    the point (default: the currency's), not negative, below ``limit``.

    Raises MoneyError saying what is wrong: empty, not a number, a sign or word that is not
    ``currency``'s, negative, too many digits after the point, too large."""
    locale = locale or current_locale()
    given = places is not None
    places = minor_unit(currency) if places is None else places
    typed = text.strip()
    shown = one_line(typed, 40)
    example = format_amount(Decimal("1200000.50"), locale)
    if not typed:
        raise MoneyError(_("type an amount, e.g. {example}").format(example=example))
    match = _NUMBER.search(typed)
    if match is None:
        raise MoneyError(_("«{text}» is not an amount: type digits, e.g. {example}")
                         .format(text=shown, example=example))
    before = typed[:match.start()].strip()
    number = match.group().rstrip(".,'’_ \t\u00a0\u202f")
    after = typed[match.start() + len(number):].strip()
    if before.endswith(("-", "−")):
        raise MoneyError(_("the amount cannot be negative ({text})").format(text=shown))
    multiplier, unit = _split_unit(after)
    signs = _currency_signs(currency, locale)
    for word in (before, unit):
        if word and word.casefold() not in signs:
            raise MoneyError(_("«{text}» is not an amount in {currency}: type digits, "
                               "e.g. {example}").format(text=shown, currency=currency,
                                                        example=example))
    value = _read_number(_GROUP_MARKS.sub("", number), locale, places, multiplier > 0)
    if value is None:
        raise MoneyError(_("«{text}» is not an amount: type digits, e.g. {example}")
                         .format(text=shown, example=example))
    if multiplier:
        value = value.scaleb(multiplier)
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    if value >= limit:
        raise MoneyError(_("{text} is too large (the most is {most})")
                         .format(text=shown, most=format_amount(limit - 1, locale)))
    if value != value.quantize(Decimal(1).scaleb(-places)):
        message = (_("{text} has more than {places} digits after the point") if given
                   else _("{text} has more than {places} digits after the point "
                          "({currency} has {places})"))
        raise MoneyError(message.format(text=shown, places=places, currency=currency))
    return value


def _split_unit(after: str) -> tuple[int, str]:
    """The power of ten of a «тыс»/«млн» right after the number, and the rest (a currency)."""
    for size in (4, 3, 2, 1):  # the longest first: «млн.» before «m»
        head = after[:size].casefold()
        if len(after) >= size and head in _MULTIPLIERS and (
                len(after) == size or not after[size].isalpha()):
            return _MULTIPLIERS[head], after[size:].strip()
    return 0, after


def _read_number(digits: str, locale: str, places: int, scaled: bool) -> Decimal | None:
    """The number in ``digits`` (only digits, commas and dots), or None if it is not one."""
    # lazy: Babel, loaded when a locale formats something
    from babel.numbers import get_decimal_symbol

    marks = [char for char in digits if char in ".,"]
    if not marks:
        whole, fraction = digits, ""
    else:
        last = digits.rfind(marks[-1])
        head, tail = digits[:last], digits[last + 1:]
        if len(set(marks)) == 2:
            if marks.count(marks[-1]) > 1:
                return None  # 1.200,000.50
            whole, fraction = head, tail
        elif len(marks) > 1:
            whole, fraction = digits, ""  # 1.200.000: only thousands
        elif (not scaled and len(tail) == 3 and 1 <= len(head) <= 3 and head != "0"
              and (places < 3 or marks[0] != get_decimal_symbol(locale))):
            whole, fraction = digits, ""  # 1,200: a thousand and two hundred
        else:
            whole, fraction = head, tail
    groups = re.split(r"[.,]", whole)
    if not groups[0] or any(len(group) != 3 for group in groups[1:]):
        return None
    if len(groups) > 1 and len(groups[0]) > 3:
        return None
    try:
        return Decimal("".join(groups) + ("." + fraction if fraction else ""))
    except InvalidOperation:
        return None
