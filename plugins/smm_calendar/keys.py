"""Key descriptions in the language shown. BINDINGS are made when a module is imported, before
the language is chosen, so their texts are marked with ``N_`` and translated when a screen or
widget is made (``translate_keys`` in its ``__init__``)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .i18n import _

if TYPE_CHECKING:
    from textual.dom import DOMNode


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message


def translate_keys(node: DOMNode) -> None:
    """Give ``node``'s key descriptions and tooltips in the current language."""
    keys = node._bindings.key_to_bindings
    for key, bindings in keys.items():
        keys[key] = [replace(binding, description=_(binding.description) if binding.description
                             else "", tooltip=_(binding.tooltip) if binding.tooltip else "")
                     for binding in bindings]
