"""The Bonus pane: a member's statement for a month, line by line, with what each line comes
from and how it was computed; the plan, the what-if, hours, locking and export."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static

from amtui.api import DAY_MONTH_YEAR, BadDate, StorageError, format_day, parse_date
from amtui.api.ui import (
    FormField,
    FormScreen,
    PaneScreen,
    PickScreen,
    RecordTable,
    cell,
    client_picker,
    content,
    line,
)

from .cli import write_private
from .engine import Period
from .export import render
from .i18n import N_, _, translate_keys
from .money import minor_unit, money, number
from .plan import role_name
from .plan_file import template, write_plan
from .records import TimeEntry
from .screens import (
    ConfirmLock,
    LineDetail,
    PlanEditor,
    WhatIfScreen,
    describe_line,
)

if TYPE_CHECKING:
    from .engine import Line
    from .facts import MemberInfo, Snapshot
    from .records import TimeEntry
    from .statements import Statement


BASIS_WIDTH, RATE_WIDTH, AMOUNT_WIDTH = 13, 14, 12


@dataclass(frozen=True)
class Shown:
    """What the pane read: whose statement, which month, and the statement."""

    period: Period | None = None
    member_id: str | None = None
    snapshot: Snapshot | None = None
    statement: Statement | None = None
    members: list[MemberInfo] = field(default_factory=list)
    viewer: MemberInfo | None = None
    problem: str = ""


class BonusPane(PaneScreen):
    PANE_ID = "bonus"
    TITLE_TEXT = N_("Bonus")
    AUTO_FOCUS = "#bonus-lines"
    DEFAULT_CSS = """
    BonusPane #bonus-title {
        height: 1;
        padding: 0 1;
        background: $boost;
        text-style: bold;
    }
    BonusPane #bonus-lines {
        height: 1fr;
    }
    BonusPane #bonus-detail {
        height: auto;
        min-height: 1;
        max-height: 2;
        padding: 0 1;
        color: $text-muted;
    }
    BonusPane #bonus-total {
        height: auto;
        max-height: 2;
        padding: 0 1;
    }
    BonusPane #bonus-notes {
        height: auto;
        max-height: 2;
        padding: 0 1;
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "month(-1)", N_("Earlier"), id="bonus.previous_month",
                tooltip=N_("The month before")),
        Binding("right_square_bracket", "month(1)", N_("Later"), id="bonus.next_month",
                tooltip=N_("The month after")),
        Binding("enter", "explain", N_("Explain"), id="bonus.explain", show=False,
                tooltip=N_("The highlighted line, all of it: where it comes from, how computed")),
        Binding("m", "member", N_("Member"), id="bonus.member",
                tooltip=N_("Whose statement to see (the head sees everyone's)")),
        Binding("w", "what_if", N_("What if"), id="bonus.what_if",
                tooltip=N_("Try another deal amount, quota or rate; nothing is saved")),
        Binding("e", "plan", N_("Plan"), id="bonus.plan",
                tooltip=N_("The plan in force this month (the head edits it)")),
        Binding("h", "log_hours", N_("Hours"), id="bonus.hours",
                tooltip=N_("Log hours worked; outside working hours they are overtime")),
        Binding("l", "lock", N_("Lock"), id="bonus.lock",
                tooltip=N_("Lock the month's statement once paid (the head)")),
        Binding("x", "export('md')", N_("Export"), id="bonus.export_md",
                tooltip=N_("Save the statement as Markdown in the current folder")),
        Binding("X", "export('csv')", N_("Export CSV"), id="bonus.export_csv", show=False,
                tooltip=N_("Save the statement as CSV in the current folder")),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_keys(self)
        self.period: Period | None = None
        self.member_id: str | None = None
        self.shown = Shown()

    def compose_body(self) -> ComposeResult:
        yield Static(_("Loading…"), id="bonus-title")
        yield RecordTable(id="bonus-lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="bonus-detail")
        yield Static("", id="bonus-total")
        yield Static("", id="bonus-notes")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        self.what_width = max(20, self.app.size.width - BASIS_WIDTH - RATE_WIDTH
                              - AMOUNT_WIDTH - 8 - 3)
        for label, width in ((_("What"), self.what_width),
                             (_("Basis").rjust(BASIS_WIDTH), BASIS_WIDTH), (_("Rate"), RATE_WIDTH),
                             (_("Amount").rjust(AMOUNT_WIDTH), AMOUNT_WIDTH)):
            table.add_column(label, width=width)

    # reading (in a worker: no widgets here)

    def read(self) -> Shown:
        # lazy: pydantic, loaded on first use
        from .facts import read_snapshot
        from .statements import compute_statement, not_a_member, viewer_of, visible_members

        workspace = self.amtui.workspace
        wanted = self.member_id
        try:
            snapshot = read_snapshot(workspace, viewer_only=wanted is None) if wanted is None \
                else read_snapshot(workspace, {wanted})
            viewer = viewer_of(snapshot)
            members = visible_members(snapshot)
            period = self.period or Period.of(snapshot.today)
            if viewer is None:
                return Shown(period, problem=not_a_member())
            if wanted not in {member.id for member in members}:
                wanted = viewer.id
                snapshot = read_snapshot(workspace, {wanted})
            statement = compute_statement(snapshot, wanted, period)
        except ValueError as error:
            return Shown(self.period, problem=str(error))
        return Shown(period, wanted, snapshot, statement, members, viewer)

    # showing

    def show(self, payload: Shown) -> None:
        self.shown = payload
        self.period = payload.period
        self.member_id = payload.member_id
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        statement = payload.statement
        title = self.query_one("#bonus-title", Static)
        if statement is None:
            title.update(line(_("Bonus · {value}").format(
                value=payload.period.shown if payload.period else ""), 100))
            self.query_one("#bonus-detail", Static).update(content(payload.problem))
            self.query_one("#bonus-total", Static).update("")
            self.query_one("#bonus-notes", Static).update("")
            return
        plan = statement.plan
        state = _("locked") if statement.locked else _("open")
        title.update(line(
            f"{statement.period.shown} · {state} · {statement.member.name}, "
            f"{role_name(statement.member.role)} · "
            + (_("«{name}» from {valid_from}").format(
                name=plan.name, valid_from=format_day(plan.valid_from, "short"))
               if plan else _("no plan")),
            max(20, self.app.size.width - 2)))
        places = minor_unit(statement.currency)
        table.add_rows([self._cells(item, places) for item in statement.lines])
        if statement.lines:
            table.move_cursor(row=min(cursor, len(statement.lines) - 1))
        self._show_detail(table.cursor_row)
        total = Content.assemble((_("Total "), "bold"),
                                 (money(statement.total, statement.currency), "bold"))
        if statement.market is not None:
            total = Content.assemble(total, " · ", line(statement.market.text, 120))
        self.query_one("#bonus-total", Static).update(total)
        notes = [shown_days(note) for note in statement.notes]
        if statement.billable:
            notes.append(_("billable overtime: ") + ", ".join(
                f"{item.client} {number(item.hours)} {_('h')} × {number(item.coefficient)} = "
                f"{number(item.billed_hours)} {_('h')}"
                + (f" ({money(item.amount, statement.currency)})" if item.amount is not None
                   else "") for item in statement.billable))
        self.query_one("#bonus-notes", Static).update(content("\n".join(notes)))

    def _cells(self, item: Line, places: int) -> list[Any]:
        unit = {"%": "%", "h": " " + _("h")}.get(item.unit, f" {item.unit}")
        basis = "" if item.basis is None else f"{number(item.basis)}{unit}".strip()
        source = shown_days(item.source) if item.kind == "accelerator" else item.source
        return [cell(source, self.what_width + 40), cell(basis.rjust(BASIS_WIDTH)),
                cell(item.rate), cell(number(item.amount, places).rjust(AMOUNT_WIDTH))]

    def _show_detail(self, row: int) -> None:
        statement = self.shown.statement
        detail = self.query_one("#bonus-detail", Static)
        if statement is None or not (0 <= row < len(statement.lines)):
            detail.update("" if statement is None or statement.lines else
                          _("Nothing to pay this month."))
            return
        item = statement.lines[row]
        detail.update(content(f"{item.source}: {shown_days(item.detail)}"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_explain()

    # actions

    def _current(self) -> tuple[Snapshot, str, Period] | None:
        shown = self.shown
        if shown.snapshot is None or shown.member_id is None or shown.period is None:
            self.notify(shown.problem or _("Nothing to show yet."), severity="warning",
                        markup=False)
            return None
        return shown.snapshot, shown.member_id, shown.period

    def action_explain(self) -> None:
        table = self.query_one(DataTable)
        statement = self.shown.statement
        if statement is not None and 0 <= table.cursor_row < len(statement.lines):
            self.app.push_screen(LineDetail(describe_line(statement.lines[table.cursor_row],
                                                          statement.currency)))

    def action_month(self, step: int) -> None:
        if self.period is None:
            return
        self.period = self.period.next() if step > 0 else self.period.previous()
        self.load()

    def action_member(self) -> None:
        if not self.shown.members:
            self.notify(self.shown.problem or _("Nobody to choose."), markup=False)
            return

        def chosen(member_id: str | None) -> None:
            if member_id and member_id != self.member_id:
                self.member_id = member_id
                self.load()

        options = [(Content.assemble(line(member.name, 40), " · ",
                                     role_name(member.role)), member.id)
                   for member in self.shown.members]
        self.app.push_screen(
            PickScreen(_("Whose statement"), options, self.member_id or "", search=True), chosen)

    def action_what_if(self) -> None:
        current = self._current()
        if current is None:
            return
        snapshot, member_id, period = current
        if snapshot.plan_for(member_id, period) is None:
            self.notify(_("{name} has no plan in {period}: nothing to try.").format(
                name=snapshot.members[member_id].name,
                period=period), severity="warning", markup=False)
            return
        if self.shown.statement is not None:
            self.app.push_screen(WhatIfScreen(snapshot, self.shown.statement))

    def action_plan(self) -> None:
        current = self._current()
        if current is None:
            return
        snapshot, member_id, period = current
        member = snapshot.members[member_id]
        plan = snapshot.plan_for(member_id, period)
        head = self.shown.viewer is not None and self.shown.viewer.role == "head"
        if plan is None and not head:
            self.notify(_("No plan for you in {period}; the head sets it.").format(
                period=period), markup=False)
            return
        text = write_plan(plan, snapshot.members) if plan else \
            template(member, period.start, snapshot.workspace_currency)
        whose = (_("the role {role}").format(role=role_name(plan.role)) if plan and plan.role
                 else member.name)
        title = (_("Plan for {whose}, in force in {period}").format(
            whose=whose, period=period) if plan
                 else _("New plan for {name} from {period}").format(
                     name=member.name, period=period))

        def closed(saved: bool | None) -> None:
            if saved:
                self.load()

        self.app.push_screen(PlanEditor(title, text, read_only=not head), closed)

    def action_log_hours(self) -> None:

        current = self._current()
        if current is None:
            return
        snapshot, member_id, period = current
        workspace = self.amtui.workspace
        today = snapshot.today
        day = today if period.contains(today) else period.end

        def build(values: dict[str, str]) -> TimeEntry:
            client_id = values.get("client") or None
            return TimeEntry(member_id=member_id, day=_day(values["day"], today),
                             start=_time(values["start"], "start"),
                             end=_time(values["end"], "end"), client_id=client_id,
                             note=values.get("note", "").strip())

        fields = [FormField("day", _("Day"), placeholder=_("31.12.2026, today, -1d")),
                  FormField("start", _("From (HH:MM)")),
                  FormField("end", _("To (HH:MM)")),
                  FormField("client", _("Client (empty: none)"), picker=client_picker(workspace),
                            placeholder=_("type part of the name")),
                  FormField("note", _("Note"))]
        values = {"day": str(day), "start": "19:00", "end": "21:00"}

        def chosen(entry: TimeEntry | None) -> None:
            if entry is not None:
                self._change(lambda: _add_entry(workspace, entry),
                             _("Hours logged for {name}").format(
                                 name=snapshot.members[member_id].name))

        self.app.push_screen(FormScreen(_("Hours of {name}").format(
            name=snapshot.members[member_id].name),
                                        fields, values, build), chosen)

    def action_lock(self) -> None:
        # lazy: pydantic, loaded on first use
        from .statements import lock_statement

        current = self._current()
        if current is None:
            return
        snapshot, member_id, period = current
        statement = self.shown.statement
        viewer = self.shown.viewer
        if viewer is None or viewer.role != "head":
            self.notify(_("Only the head locks statements."), severity="warning", markup=False)
            return
        if statement is None or statement.locked is not None:
            self.notify(_("{period} is locked already.").format(period=period), markup=False)
            return
        if period.end >= snapshot.today:
            self.notify(_("{period} has not ended yet: lock a month once it is over and "
                          "paid.").format(
                period=period),
                        severity="warning", markup=False)
            return
        question = (_("Lock {period} of {name}: {money}?\n\nA locked statement never changes: "
                      "later changes to its deals, hours or plan become adjustments in the next "
                      "month.").format(
            period=period, name=statement.member.name,
            money=money(statement.total, statement.currency)))
        workspace = self.amtui.workspace

        def answered(lock: bool | None) -> None:
            if lock:
                self._change(lambda: lock_statement(workspace, member_id, period),
                             _("{period} of {name} locked").format(
                                 period=period, name=statement.member.name))

        self.app.push_screen(ConfirmLock(question), answered)

    def action_export(self, fmt: str) -> None:
        statement = self.shown.statement
        if statement is None:
            self.notify(self.shown.problem or _("Nothing to export."), markup=False)
            return
        member = statement.member.login or statement.member.id
        path = Path.cwd() / f"bonus-{member}-{statement.period}.{fmt}"
        self._export(statement, fmt, path)

    @work(thread=True, group="bonus-export")
    def _export(self, statement: Statement, fmt: str, path: Path) -> None:
        try:
            write_private(path, render(statement, fmt))
        except OSError as error:
            self.app.call_from_thread(self.notify, _("Not saved: {value}").format(
                value=error.strerror or error),
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, _("Saved {path}").format(path=path), markup=False)

    def _change(self, save: Any, done: str) -> None:
        self._save(save, done)

    @work(thread=True, group="bonus-save")
    def _save(self, save: Any, done: str) -> None:
        # lazy: pydantic, loaded on first use
        from .statements import NotAllowed

        try:
            save()
        except (StorageError, NotAllowed, ValueError) as error:
            self.app.call_from_thread(self.notify, " ".join(str(error).split()),
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, done, markup=False)
        self.app.call_from_thread(self.load)


def _day(text: str, today: date) -> date:
    try:
        return parse_date(text, today)
    except BadDate as error:
        raise ValueError(_("day: {problem}").format(problem=error)) from None


def _time(text: str, what: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("{what}: {text!r} is not a time: use HH:MM").format(
            what=what, text=text.strip())) from None


def _add_entry(workspace: Any, entry: TimeEntry) -> TimeEntry:
    # lazy: pydantic, loaded on first use
    from .store import add_time_entry

    return add_time_entry(workspace, entry)


ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
ISO_QUARTER = re.compile(r"\b(\d{4})-Q([1-4])\b")


def shown_days(text: str) -> str:
    """A statement's text (its files keep ISO days and quarters) with each day and quarter
    shown as the pane's other ones are: «03 нояб. 2026», «4-й кв. 2026»."""
    def day(match: re.Match[str]) -> str:
        try:
            return format_day(date(int(match[1]), int(match[2]), int(match[3])), DAY_MONTH_YEAR)
        except ValueError:
            return match[0]

    text = ISO_QUARTER.sub(lambda match: Period(int(match[1]), int(match[2]) * 3).shown_quarter,
                           text)
    return ISO_DAY.sub(day, text)
