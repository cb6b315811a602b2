"""Team members: what is checked before one is stored.

Shared by ``amtui add member`` and any form that makes members; no Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from amtui.storage import Workspace


class LoginTaken(ValueError):
    """Another member logs in as this login already."""

    def __init__(self, login: str, member_id: str, name: str) -> None:
        super().__init__(f"{login!r} is the login of {name!r} ({member_id}) already; "
                         "each member has their own")
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
