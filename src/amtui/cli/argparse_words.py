"""argparse's own words that a user of the command line reads, marked for amtui's catalogue.

argparse translates them with :mod:`gettext`'s module-level functions; :func:`speak` gives it
amtui's instead, so that ``amtui --lang ru --help`` and its errors are Russian throughout.
"""

from __future__ import annotations

import argparse

from amtui.i18n import N_, _, ngettext

WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"), N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"), N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"), N_("expected one argument"),
    N_("expected at most one argument"), N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ignored explicit argument %r"), N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"), N_("unexpected option string: %s"),
)
PLURALS = (ngettext("expected %s argument", "expected %s arguments", 1),)
"""argparse's one count (``nargs=2`` and more); marked with ``ngettext`` for its forms."""


def speak() -> None:
    """Make argparse say its words in the language in use (it looks them up when it says
    them, through these two names)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
