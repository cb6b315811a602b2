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
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

_LOCALE_DIR = Path(__file__).parent / "locale"
_locale = "en_US"
_catalogues: dict[tuple[Path, str, str], gettext.NullTranslations] = {}
_writing = threading.local()
"""``locale``: the locale of a text written to someone else, in the thread writing it."""


def current_locale() -> str:
    """The Babel locale identifier that dates, numbers and money are shown in."""
    return getattr(_writing, "locale", None) or _locale


def current_language() -> str:
    """The language part of the current locale: ``"ru"`` for ``"ru_RU"``."""
    return current_locale().partition("_")[0]


def use_locale(name: str) -> None:
    """Show every domain's strings, dates, numbers and money in the locale ``name``."""
    global _locale
    _locale = name


@contextmanager
def writing_in(name: str) -> Iterator[None]:
    """Words, dates and numbers made inside the block in the locale ``name``, in this thread
    only: a text written to someone else (the daily update to a client) while the screens
    keep the user's language."""
    before = getattr(_writing, "locale", None)
    _writing.locale = name
    try:
        yield
    finally:
        _writing.locale = before


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
        """Show a screen's or widget's key descriptions and tooltips (marked with ``N_`` in
        its BINDINGS, made before the language is chosen) from this domain, in the language in
        use where amtui shows them (the key bar, help, the palette): called in its
        ``__init__``."""
        _key_domains[node] = self


_key_domains: WeakKeyDictionary[Any, Domain] = WeakKeyDictionary()
"""The screens and widgets whose keys are described in a plugin's domain."""


def key_words(node: Any, text: str) -> str:
    """A key description or tooltip of ``node``'s BINDINGS in the language in use: from the
    domain the node named with :meth:`Domain.translate_keys` (a plugin's), then amtui's (the
    keys it has from amtui's classes)."""
    if not text:
        return text
    domain = _key_domains.get(node)
    return _(domain.gettext(text) if domain is not None else text)


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
