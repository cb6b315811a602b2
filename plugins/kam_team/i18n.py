"""This plugin's own translation domain (its locale/ folder)."""

from amtui.i18n import Domain

_domain = Domain.beside(__file__)
_ = _domain.gettext
ngettext = _domain.ngettext
