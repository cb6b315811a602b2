"""Translation of user-facing strings: ``_("Today")``, ``ngettext("%d day", "%d days", n)``.

Catalogues live in ``amtui/locale/<lang>/LC_MESSAGES/amtui.mo``; without one, English is shown.
A plugin has its own domain (``Domain.beside(__file__)``: its package's ``locale/`` folder).
``use_locale("ru_RU")`` chooses the language of every domain at once; ``current_locale()`` names
the locale that dates, numbers and money are shown in (a Babel identifier such as ``"ru_RU"``).

amtui chooses the language (:mod:`amtui.language`) before it imports a screen, so ``_()`` in a
module's constants gives the chosen language. Words that the UI's building blocks show — key
descriptions, pane titles, column headings — are marked with ``N_()`` where they are defined
and translated where they are shown, so they follow a language chosen later too (tests). The
catalogues are made by ``make messages`` (tools/messages.py).
"""

from __future__ import annotations

import gettext
from dataclasses import replace
from pathlib import Path
from typing import Any

_LOCALE_DIR = Path(__file__).parent / "locale"
_locale = "en_US"
_catalogues: dict[tuple[Path, str, str], gettext.NullTranslations] = {}


def current_locale() -> str:
    """The Babel locale identifier that dates, numbers and money are shown in."""
    return _locale


def current_language() -> str:
    """The language part of the current locale: ``"ru"`` for ``"ru_RU"``."""
    return _locale.partition("_")[0]


def use_locale(name: str) -> None:
    """Show every domain's strings, dates, numbers and money in the locale ``name``."""
    global _locale
    _locale = name


class Domain:
    """One translation domain: a catalogue name and the folder its languages live in."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.folder = folder

    @classmethod
    def beside(cls, module_file: str) -> Domain:
        """The domain of the package holding ``module_file``: named after it, in its ``locale/``."""
        package = Path(module_file).resolve().parent
        return cls(package.name, package / "locale")

    def _catalogue(self) -> gettext.NullTranslations:
        language = current_language()
        key = (self.folder, self.name, language)
        catalogue = _catalogues.get(key)
        if catalogue is None:
            catalogue = gettext.translation(
                self.name, localedir=self.folder, languages=[language], fallback=True
            )
            _catalogues[key] = catalogue
        return catalogue

    def gettext(self, message: str) -> str:
        """``message`` in the language in use; "" stays "" (gettext would give the header)."""
        return self._catalogue().gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """``singular`` or ``plural`` in the language in use, the form for ``n``."""
        return self._catalogue().ngettext(singular, plural, n)

    def translate_keys(self, node: Any) -> None:
        """Give a screen's or widget's key descriptions and tooltips (marked with ``N_`` in its
        BINDINGS, made before the language is chosen) in the language in use, from this
        domain: called in its ``__init__``."""
        keys = node._bindings.key_to_bindings
        for key, bindings in keys.items():
            keys[key] = [replace(binding,
                                 description=self.gettext(binding.description)
                                 if binding.description else "",
                                 tooltip=self.gettext(binding.tooltip) if binding.tooltip else "")
                         for binding in bindings]


_amtui = Domain("amtui", _LOCALE_DIR)


def _(message: str) -> str:
    """``message`` in the language in use, from amtui's own catalogue (a plugin uses its
    own :class:`Domain`'s)."""
    return _amtui.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` (Russian has three), from amtui's catalogue."""
    return _amtui.ngettext(singular, plural, n)


_NAMES = {"telegram": "Telegram", "whatsapp": "WhatsApp", "email": "e-mail"}
"""Stored values that are names, written as people write them."""


def shown(value: object) -> str:
    """A record's value — an enum member or the value stored for it ("waiting_on_us") — in
    plain words, in the language in use. The words are marked in ``amtui.ui.values``."""
    stored = str(getattr(value, "value", value))
    return _(_NAMES.get(stored) or stored.replace("_", " "))


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue where it is defined (a class's key descriptions, a
    module's constants), without translating it: the code that shows it calls ``_()``, so it is
    shown in the language in use then."""
    return message
