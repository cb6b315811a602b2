"""Translation of user-facing strings: ``_("Today")``.

Catalogues live in ``amtui/locale/<lang>/LC_MESSAGES/amtui.mo``; without one, English is shown.
"""

from __future__ import annotations

import gettext
from pathlib import Path

_translation = gettext.translation(
    "amtui", localedir=Path(__file__).parent / "locale", fallback=True
)


def _(message: str) -> str:
    return _translation.gettext(message)
