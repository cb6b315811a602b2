"""Forms for tasks on the board: new, edit, and the board's filter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amtui.i18n import _
from amtui.models import Client, Task
from amtui.services.board import BoardFilter
from amtui.storage import RecordNotFound
from amtui.ui.forms import FormField
from amtui.ui.inbox_forms import InboxForm, choices, field_problem

if TYPE_CHECKING:
    from amtui.storage import Workspace

ANY = "any"


def _client_id(workspace: Workspace, name: str) -> str | None:
    """The client named (by exact name, any case, or id); None for no name."""
    name = name.strip()
    if not name:
        return None
    try:
        return workspace.repo(Client).resolve(name).id
    except RecordNotFound as error:
        raise field_problem("client", str(error)) from None


def task_form(workspace: Workspace, *, column: str | None = None,
              task: Task | None = None) -> InboxForm[Task]:
    """A new task (in ``column``), or ``task`` to edit."""
    settings = workspace.settings
    departments = settings.departments
    fields = [
        FormField("title", _("Task")),
        FormField("client", _("Client (name, optional)")),
        FormField("department", _("Department"), choices({}, departments)),
        FormField("assignee", _("Assignee (optional)")),
        FormField("due", _("Due (YYYY-MM-DD, optional)"), placeholder="2026-12-31"),
        FormField("description", _("Description (optional)")),
    ]
    values = {"department": "other" if "other" in departments else departments[0]}
    if task is not None:
        client = workspace.repo(Client).find(task.client_id)
        values = {"title": task.title, "client": client.name if client else "",
                  "department": task.department, "assignee": task.assignee,
                  "due": task.due.isoformat() if task.due else "",
                  "description": task.description}

    def build(typed: dict[str, str]) -> Task:
        changes = {
            "title": typed["title"], "client_id": _client_id(workspace, typed["client"]),
            "department": typed["department"], "assignee": typed["assignee"].strip(),
            "due": typed["due"].strip() or None, "description": typed["description"],
        }
        if task is None:
            return Task.model_validate({**changes, "column": column or settings.columns[0]})
        return Task.model_validate({**task.model_dump(), **changes})

    title = _("New task") if task is None else _("Edit task")
    return InboxForm(title, fields, values, build)


def board_filter_form(workspace: Workspace, current: BoardFilter) -> InboxForm[BoardFilter]:
    """Narrow the board; every field may stay at "any"."""
    client = workspace.repo(Client).find(current.client_id) if current.client_id else None
    fields = [
        FormField("client", _("Client (name; empty for any)")),
        FormField("department", _("Department"),
                  [(_("any"), ANY), *choices({}, workspace.settings.departments)]),
        FormField("assignee", _("Assignee (empty for any)")),
        FormField("due", _("Due"), [(_("any"), ANY), (_("overdue"), "overdue"),
                                    (_("within a week"), "week")]),
        FormField("blocked", _("Waiting on the client"), [(_("any"), ANY),
                                                          (_("only those"), "yes")]),
        FormField("done_earlier", _("Done before the last {days} days").format(
            days=workspace.settings.board_done_days), [(_("counted"), ANY),
                                                       (_("shown"), "yes")]),
    ]
    values = {"client": client.name if client else "",
              "department": current.department or ANY, "assignee": current.assignee,
              "due": current.due or ANY, "blocked": "yes" if current.blocked else ANY,
              "done_earlier": "yes" if current.done_earlier else ANY}

    def build(typed: dict[str, str]) -> BoardFilter:
        def value(name: str) -> str:
            return "" if typed[name] == ANY else typed[name]

        return BoardFilter(client_id=_client_id(workspace, typed["client"]) or "",
                           department=value("department"),
                           assignee=typed["assignee"].strip(), due=value("due"),
                           blocked=typed["blocked"] == "yes",
                           done_earlier=typed["done_earlier"] == "yes")

    return InboxForm(_("Filter the board"), fields, values, build)


