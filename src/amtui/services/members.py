"""Team members: what is checked before one is stored.

Shared by ``amtui add member`` and any form that makes members; no Textual here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from amtui.i18n import _

if TYPE_CHECKING:
    from amtui.storage import Workspace


LOGIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}")
"""What an OS login may look like (POSIX portable names, and the ``user@domain`` of SSSD)."""


def login_problem(login: str) -> str | None:
    """What is wrong with ``login`` as a member's OS login (None: nothing)."""
    if LOGIN.fullmatch(login):
        return None
    return _("a login is letters, digits, '.', '_', '-' and '@' (at most 64, not starting "
             "with '.', '-' or '@'), as the account's name on this machine")


class LoginTaken(ValueError):
    """Another member logs in as this login already."""

    def __init__(self, login: str, member_id: str, name: str) -> None:
        super().__init__(_("{login!r} is the login of {name!r} ({member_id}) already; "
                           "each member has their own").format(
                               login=login, name=name, member_id=member_id))
        self.member_id = member_id
        self.name = name


def check_login_free(workspace: Workspace, login: str, member_id: str = "") -> None:
    """Raise :class:`LoginTaken` if a member other than ``member_id`` has ``login`` (case
    aside); an empty login is always free (members without one are not twins)."""
    wanted = login.strip().casefold()
    if not wanted:
        return
    for raw in workspace.file("members").scan():
        if raw["id"] != member_id and str(raw.get("login") or "").casefold() == wanted:
            raise LoginTaken(str(raw["login"]), str(raw["id"]), str(raw.get("name", "")))
