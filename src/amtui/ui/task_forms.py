"""Forms for tasks on the board: new, edit, and the board's filter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amtui.dates import day_to_edit, today_of
from amtui.i18n import _
from amtui.models import Task
from amtui.services.board import BoardFilter
from amtui.ui.forms import FilterForm, FormField, FormScreen, typed_day
from amtui.ui.inbox_forms import choices
from amtui.ui.picker import assignee_picker, client_picker

if TYPE_CHECKING:
    from amtui.storage import Workspace

ANY = ""


def task_form(workspace: Workspace, *, column: str | None = None,
              task: Task | None = None) -> FormScreen[Task]:
    """A new task (in ``column``), or ``task`` to edit."""
    settings = workspace.settings
    departments = settings.departments
    fields = [
        FormField("title", _("Task")),
        FormField("client", _("Client (optional)"), picker=client_picker(workspace),
                  placeholder=_("type part of the name; ↓ lists clients")),
        FormField("department", _("Department"), choices({}, departments)),
        FormField("assignee", _("Assignee (optional)"),
                  picker=assignee_picker(workspace, free=True),
                  placeholder=_("type part of a name; ↓ lists the team")),
        FormField("due", _("Due (optional)"), placeholder=_("31.12.2026, tomorrow, fri, +3d")),
        FormField("description", _("Description (optional)")),
    ]
    values = {"department": "other" if "other" in departments else departments[0]}
    if task is not None:
        values = {"title": task.title, "client": task.client_id or "",
                  "department": task.department, "assignee": task.assignee,
                  "due": day_to_edit(task.due) if task.due else "",
                  "description": task.description}

    def build(typed: dict[str, str]) -> Task:
        changes = {
            "title": typed["title"], "client_id": typed["client"] or None,
            "department": typed["department"], "assignee": typed["assignee"].strip(),
            "due": typed_day(typed, "due", today_of(workspace)),
            "description": typed["description"],
        }
        if task is None:
            return Task.model_validate({**changes, "column": column or settings.columns[0]})
        return Task.model_validate({**task.model_dump(), **changes})

    return FormScreen(_("New task") if task is None else _("Edit task"), fields, values, build)


def board_filter_form(workspace: Workspace, current: BoardFilter) -> FilterForm[BoardFilter]:
    """Narrow the board; every field may stay at "any"."""
    any_ = (_("any"), ANY)
    fields = [
        FormField("client", _("Client"), picker=client_picker(workspace, new=False),
                  placeholder=_("any client; type part of the name")),
        FormField("department", _("Department"),
                  [any_, *choices({}, workspace.settings.departments)]),
        FormField("assignee", _("Assignee"), picker=assignee_picker(workspace),
                  placeholder=_("anyone; type part of a name")),
        FormField("due", _("Due"), [any_, (_("overdue"), "overdue"),
                                    (_("within a week"), "week")]),
        FormField("blocked", _("Waiting"), [any_, (_("only those waiting on the client"),
                                                   "yes")]),
        FormField("done_earlier", _("Done earlier"), [
            (_("counted, not shown"), ANY),
            (_("shown (done before the last {days} days)").format(
                days=workspace.settings.board_done_days), "yes")]),
    ]
    values = {"client": current.client_id, "department": current.department,
              "assignee": current.assignee, "due": current.due,
              "blocked": "yes" if current.blocked else ANY,
              "done_earlier": "yes" if current.done_earlier else ANY}

    def build(typed: dict[str, str]) -> BoardFilter:
        return BoardFilter(client_id=typed["client"], department=typed["department"],
                           assignee=typed["assignee"].strip(), due=typed["due"],
                           blocked=typed["blocked"] == "yes",
                           done_earlier=typed["done_earlier"] == "yes")

    return FilterForm(_("Filter the board"), fields, values, build, BoardFilter())
