"""What the commands share: finding the workspace, parsing values, printing safely."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.cli import UsageError
from amtui.cli.output import echo_json
from amtui.i18n import N_, _
from amtui.text import one_line

if TYPE_CHECKING:
    from amtui.storage import Workspace
    from amtui.storage.files import CreationLog

ENVIRONMENT_VARIABLE = "AMTUI_WORKSPACE"


def workspace_path(args: argparse.Namespace) -> Path:
    """``--workspace``, else ``$AMTUI_WORKSPACE``, else the user data folder."""
    chosen = getattr(args, "workspace", None) or os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen:
        return expanded(chosen, "--workspace")
    # lazy: platformdirs, only when the config dir is needed
    from platformdirs import user_data_path

    return user_data_path("amtui", appauthor=False) / "workspace"


def expanded(path: str, option: str) -> Path:
    """``path`` with ``~`` or ``~user`` made the home folder, as the shell does; bad input if
    there is no such user."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        user = path[1:].partition("/")[0]
        raise UsageError(_("{option}: {path!r}: there is no user {user!r} whose home folder "
                           "`~` could stand for").format(
                               option=option, path=path, user=user)) from None


def readable_folder(path: Path) -> bool:
    """Whether ``path`` is a folder this user may read (False for anything odd about it)."""
    try:
        return path.is_dir() and os.access(path, os.R_OK | os.X_OK)
    except OSError:
        return False


def check_access(path: Path) -> None:
    """Bad input if ``path`` cannot be looked at, or is a folder this user may not read."""
    try:
        is_folder = path.is_dir()
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None
    if is_folder and not os.access(path, os.R_OK | os.X_OK):
        # lazy: kept out of `amtui --help`
        from amtui.identity import os_user

        raise UsageError(
            _("no access to the workspace at {path}: this user ({os_user}) may not read it; "
              "its owner can share it with your group (`chgrp TEAM {path} && chmod 2770 "
              "{path}`)").format(path=path, os_user=os_user())
        )


CREATED_THIS_RUN: list[tuple[Path, CreationLog, bool]] = []
"""Workspaces this command created, with what it made there; taken back if it fails."""


def open_workspace(args: argparse.Namespace, *, create: bool = False,
                   name: str | None = None) -> Workspace:
    """Open the chosen workspace; ``create`` makes a new one (called ``name``) if the folder
    has none yet."""
    # lazy: pydantic, not loaded for --help
    from amtui.storage import Workspace
    from amtui.storage.files import creation_top, log_creations
    from amtui.storage.workspace import CONFIG_NAME

    path = workspace_path(args)
    check_access(path)
    if path.exists() and not path.is_dir():
        raise UsageError(_("{path} is a file, not a workspace folder").format(path=path))
    if create and not (path / CONFIG_NAME).exists():
        if path.exists() and any(path.iterdir()):
            raise UsageError(_("{path} is a folder with other files in it, not a workspace").format(
                path=path))
        top, keep_folder = creation_top(path.absolute())
        CREATED_THIS_RUN.append((path, log_creations(top), keep_folder))
    return Workspace.open(path, create=create, name=name)


def discard_created_workspaces() -> None:
    """Undo the creation of a workspace by a command that then failed: remove what it made,
    unless something there is not its own (another process saved into the new workspace
    meanwhile); then all of it is kept, and said so."""
    # lazy: pydantic, not loaded for --help
    from amtui.storage.files import remove_created
    from amtui.storage.workspace import CONFIG_NAME

    while CREATED_THIS_RUN:
        path, log, keep_folder = CREATED_THIS_RUN.pop()
        kept = remove_created(log, keep_top=keep_folder, last=CONFIG_NAME)
        if kept:
            sys.stderr.write(one_line(_("amtui: the new workspace {path} was kept: {kept}").format(
                path=path, kept=kept)) + "\n")


def forget_created_workspaces() -> None:
    """The command is over: stop noting what it makes."""
    if not CREATED_THIS_RUN:
        return  # nothing to stop, and the store (70 ms to import) is not needed
    # lazy: pydantic, not loaded for --help
    from amtui.storage.files import stop_logging

    while CREATED_THIS_RUN:
        stop_logging(CREATED_THIS_RUN.pop()[1])


def member_named(workspace: Workspace, typed: str) -> str:
    """The id of the member ``typed`` names: their login, id or name (the store's
    RecordNotFound when none does). Every command that takes a member asks this."""
    # lazy: pydantic, not loaded for --help
    from amtui.models import Member
    from amtui.services.agenda import member_by_login

    by_login = member_by_login(workspace, typed)
    if by_login is not None:
        return str(by_login["id"])
    return workspace.repo(Member).resolve(typed).id


def department_named(workspace: Workspace, typed: str) -> str:
    """The workspace's department ``typed`` names: as stored (``context_ads``), or as amtui
    shows it in English or in the language in use ("context ads", «контекст»), in any case;
    a usage error listing them when none does. Every command that takes a department asks
    this."""
    # lazy: pydantic, not loaded for --help
    from amtui.models.work import department

    departments = workspace.settings.departments
    if typed in departments:
        return typed
    wanted = " ".join(typed.replace("_", " ").split()).casefold()
    for name in departments:
        if wanted in (name.replace("_", " ").casefold(), department(name).casefold()):
            return name
    known = ", ".join(department(name) for name in departments)
    raise UsageError(_("--department: unknown department {department!r} (known: {known})")
                     .format(department=typed, known=known))


def money_option(text: str, option: str, currency: str, places: int | None = None,
                 limit: Decimal | None = None) -> Decimal:
    """The amount an option gives, read by :func:`amtui.money.parse_money` (``1 200 000,50``,
    ``1,200,000.50``, ``1,5 млн``); what cannot be read is a usage error naming the option."""
    # lazy: kept out of `amtui --help`
    from amtui.money import MAX_AMOUNT, MoneyError, parse_money

    try:
        return parse_money(text, currency, places=places,
                           limit=MAX_AMOUNT if limit is None else limit)
    except MoneyError as error:
        raise UsageError(f"{option}: {error}") from None


def hours_option(text: str, option: str) -> Decimal:
    """A number of hours an option gives (``1,5``, ``12``), with at most two digits after
    the point and below the most a task's estimate may be."""
    # lazy: kept out of `amtui --help`
    from amtui.models.work import MAX_ESTIMATE_HOURS
    from amtui.money import MoneyError, format_amount, format_number, parse_money

    try:
        hours = parse_money(text, "XXX", places=2)  # "XXX": no currency sign is taken
    except MoneyError:
        if text.strip().startswith(("-", "−")):
            raise UsageError(_("{option}: the hours cannot be negative ({text})").format(
                option=option, text=one_line(text, 40))) from None
        raise UsageError(_("{option}: «{text}» is not a number of hours: type digits, e.g. "
                           "{example}").format(option=option, text=one_line(text, 40),
                                               example=format_number(Decimal("1.5")))) from None
    if hours >= MAX_ESTIMATE_HOURS:
        raise UsageError(_("{option}: {text} is too large (the most is {most})").format(
            option=option, text=one_line(text, 40), most=format_amount(MAX_ESTIMATE_HOURS - 1)))
    return hours


TABLE_WORDS = {
    "clients": N_("clients"), "tasks": N_("tasks"), "messages": N_("messages"),
    "notes": N_("notes"), "contacts": N_("contacts"), "deals": N_("deals"),
    "members": N_("members"),
}
"""The tables as messages and help name them (the commands take the codes)."""


def table_name(table: str) -> str:
    """A table's name in the language in use: «сообщения» for ``messages``."""
    return _(TABLE_WORDS[table]) if table in TABLE_WORDS else table


DATE_HELP = N_("10.12.2026, 10.12, 2026-12-10, today, tomorrow, fri, +3d")
"""What a date option takes (see :func:`amtui.dates.parse_date`); shown through ``_()``."""


def parse_day(text: str | None, option: str, workspace: Workspace) -> date | None:
    """A day as people type it (``None`` when the option is not given), counted from the
    workspace's today."""
    if text is None:
        return None
    # lazy: kept out of `amtui --help`
    from amtui.dates import BadDate, parse_date, today_of

    try:
        return parse_date(text, today_of(workspace))
    except BadDate as error:
        raise UsageError(f"{option}: {error}") from None


def parse_moment(text: str, option: str, timezone: str) -> datetime:
    """An ISO date-time; without a zone it is taken in ``timezone``."""
    # lazy: zoneinfo, loaded when a time zone is needed
    from zoneinfo import ZoneInfo

    # lazy: pydantic, not loaded for --help
    from amtui.models.base import check_moment

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option}: {text!r} is not a date and time (use YYYY-MM-DD HH:MM)"
        ) from None
    try:
        return check_moment(moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone)))
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None


def print_json(data: Any) -> None:
    echo_json(data)
    sys.stdout.flush()


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """Rows as aligned columns; every cell is made visible on one line first."""
    if not rows:
        return
    width = shutil.get_terminal_size((120, 24)).columns
    cells = [[one_line(cell) for cell in row] for row in rows]
    widths = [min(40, max(len(headers[i]), *(len(row[i]) for row in cells)))
              for i in range(len(headers))]
    fixed = sum(widths[:-1]) + 2 * (len(widths) - 1)
    widths[-1] = max(12, min(widths[-1], width - fixed))
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in cells:
        lines.append("  ".join(
            (cell if len(cell) <= w else cell[: w - 1] + "…").ljust(w)
            for cell, w in zip(row, widths, strict=True)
        ).rstrip())
    sys.stdout.write("\n".join(lines) + "\n")
