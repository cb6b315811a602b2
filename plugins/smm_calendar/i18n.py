"""This plugin's own translation domain (its locale/ folder)."""

from amtui.api import N_, Domain

_domain = Domain.beside(__file__)
_ = _domain.gettext
ngettext = _domain.ngettext
translate_keys = _domain.translate_keys

__all__ = ["N_", "_", "ngettext", "translate_keys"]
