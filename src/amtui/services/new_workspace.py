"""A new workspace, made from what its first user answered: the agency, its first member, the
agency's time zone and currency, and whether to start with demo data.

It is made all at once or not at all: if a step fails, what was made is taken back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from amtui.clock import now
from amtui.i18n import _
from amtui.models import Member
from amtui.models.clients import check_timezone
from amtui.services.clients import known_timezone
from amtui.services.demo import fill_demo
from amtui.services.members import login_problem
from amtui.storage import Workspace
from amtui.storage.files import creation_top, log_creations, remove_created, stop_logging
from amtui.storage.workspace import CONFIG_NAME, Clock

if TYPE_CHECKING:
    from amtui.plugins.host import PluginHost



class NewWorkspaceProblems(ValueError):
    """What is wrong with the answers: field name → a sentence saying what to change."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class NewWorkspace:
    """The answers of the first-run screen."""

    agency: str
    """The agency's name: the workspace's name."""
    member_name: str
    """The first member's name: the person setting amtui up."""
    login: str
    """Their OS login, so that "mine" means their records."""
    timezone: str
    """The agency's IANA time zone."""
    currency: str
    """The agency's currency (ISO 4217 code)."""
    demo: bool = False
    """Fill the workspace with demo data."""

    def checked(self) -> NewWorkspace:
        """The answers tidied (spaces trimmed, the currency in capitals); raises
        :class:`NewWorkspaceProblems` naming every field that is wrong."""
        tidy = NewWorkspace(self.agency.strip(), self.member_name.strip(), self.login.strip(),
                            known_timezone(self.timezone), self.currency.strip().upper(),
                            self.demo)
        problems: dict[str, str] = {}
        if not tidy.agency:
            problems["agency"] = _("The agency's name cannot be empty.")
        elif len(tidy.agency) > 200:
            problems["agency"] = _("The agency's name can be at most 200 characters long.")
        if not tidy.member_name:
            problems["member_name"] = _("Your name cannot be empty.")
        elif len(tidy.member_name) > 500:
            problems["member_name"] = _("Your name can be at most 500 characters long.")
        if login_problem(tidy.login):
            problems["login"] = _("A login is letters, digits, '.', '_' and '-' (at most 64); "
                                  "your account's name on this machine links you to your "
                                  "records.")
        try:
            check_timezone(tidy.timezone)
        except ValueError:
            problems["timezone"] = _("The time zone must be an IANA name such as Europe/Moscow "
                                     "or Asia/Yekaterinburg.")
        if not re.fullmatch(r"[A-Z]{3}", tidy.currency):
            problems["currency"] = _("The currency must be a three-letter code such as RUB, "
                                     "USD or EUR.")
        if problems:
            raise NewWorkspaceProblems(problems)
        return tidy


class WorkspaceExists(ValueError):
    """The folder is no longer empty: someone made a workspace (or put files) there."""


def create_workspace(root: Path, answers: NewWorkspace, clock: Clock = now,
                     plugins: PluginHost | None = None) -> Workspace:
    """Make the workspace at ``root`` (a folder that does not exist, or an empty one) from the
    checked ``answers``: its settings, the first member, demo data if asked (the plugins'
    too). With demo data the first demo member becomes the one answering, so that the demo
    has clients and work of theirs. If a step fails, what was made is removed and the error
    raised (a plugin that fails to add its demo data is only marked failed)."""
    root = root.expanduser().absolute()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise WorkspaceExists(_("{root} is not empty any more; nothing was made there.")
                              .format(root=root))
    top, keep_top = creation_top(root)
    log = log_creations(top)
    try:
        workspace = Workspace.open(root, create=True, clock=clock, name=answers.agency,
                                   timezone=answers.timezone, currency=answers.currency)
        if plugins is not None:
            plugins.attach(workspace)
        members = workspace.repo(Member)
        if answers.demo:
            fill_demo(workspace)
            if plugins is not None:
                plugins.fill_demo(workspace, "small", 1, lambda _progress: None)
            members.update(members.all()[0].model_copy(
                update={"name": answers.member_name, "login": answers.login}))
        else:
            members.add(Member(name=answers.member_name, login=answers.login))
    except BaseException:
        remove_created(log, keep_top=keep_top, last=CONFIG_NAME)
        raise
    stop_logging(log)
    return workspace
