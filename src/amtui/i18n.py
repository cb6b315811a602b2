"""Translation of user-facing strings: ``_("Today")``.

Catalogues live in ``amtui/locale/<lang>/LC_MESSAGES/amtui.mo``; without one, English is shown.
``current_locale()`` names the locale that dates, numbers and money are shown in (a Babel
identifier such as ``"ru_RU"``).
"""

from __future__ import annotations

import gettext
from pathlib import Path

_translation = gettext.translation(
    "amtui", localedir=Path(__file__).parent / "locale", fallback=True
)
_locale = "en_US"


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def current_locale() -> str:
    """The Babel locale identifier that dates, numbers and money are shown in."""
    return _locale
