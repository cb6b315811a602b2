"""The pane's dialogs: the plan editor, the what-if, the lock question."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static, TextArea

from amtui.api import MoneyError, StorageError, format_amount, parse_money
from amtui.api.ui import RecordTable, cell, content, line

from .engine import own_lines, total
from .i18n import N_, _, translate_keys
from .money import minor_unit, money, number, signed_money
from .plan_file import PlanFileError
from .whatif import WhatIf, apply, compare

if TYPE_CHECKING:
    from .engine import Line
    from .facts import Snapshot
    from .statements import Statement

DIALOG_CSS = """
{name} {{
    align: center middle;
}}
{name} > Vertical {{
    width: 100%;
    max-width: 110;
    height: 100%;
    max-height: 40;
    border: round $primary;
    background: $surface;
    padding: 0 1;
}}
{name} .dialog-title {{
    text-style: bold;
    height: 1;
}}
{name} .dialog-hint {{
    color: $text-muted;
    height: 1;
}}
{name} .dialog-error {{
    color: $error;
    height: auto;
    max-height: 3;
}}
"""


RATE_PLACES = 6
"""Digits after the point a what-if rate (a percentage) may have."""


def typed_amount(text: str, what: str, currency: str, places: int | None = None
                 ) -> Decimal | None:
    """Money (or a rate, with ``places``) typed in a what-if field, read as amtui reads money;
    None if empty. Raises ValueError saying what is wrong."""
    if not text.strip():
        return None
    try:
        return parse_money(text, currency, places=places)
    except MoneyError as error:
        raise ValueError(f"{what}: {error}") from None


class PlanEditor(ModalScreen[bool]):
    """A plan as TOML. F2 checks it as a whole and saves it; with any problem the message
    says what to change, the text stays, and nothing is saved."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PlanEditor") + """
    PlanEditor #plan-text {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="bonus.plan.cancel"),
        Binding("f2,ctrl+s", "save", N_("Save"), id="bonus.plan.save",
                tooltip=N_("Check the plan and save it")),
    ]

    def __init__(self, title: str, text: str, read_only: bool) -> None:
        super().__init__()
        translate_keys(self)
        self.dialog_title = title
        self.text = text
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(line(self.dialog_title, 100), classes="dialog-title")
            yield TextArea(self.text, id="plan-text", read_only=self.read_only,
                           soft_wrap=False, show_line_numbers=True)
            yield Static("", id="plan-error", classes="dialog-error")
            hint = (_("Read only: only the head changes plans · Esc closes") if self.read_only
                    else _("F2 saves (checked first; nothing is saved with a problem) · Esc "
                           "cancels"))
            yield Static(hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        if self.read_only:
            self.query_one("#plan-error", Static).update(_("Only the head changes plans."))
            return
        self.query_one("#plan-error", Static).update(_("Checking…"))
        self._save(self.query_one(TextArea).text)

    @work(thread=True, exclusive=True, group="bonus-plan")
    def _save(self, text: str) -> None:
        # lazy: pydantic, loaded on first use
        from .statements import NotAllowed
        from .store import save_plan

        try:
            plan, new = save_plan(self.app.workspace, text)  # type: ignore[attr-defined]
        except (PlanFileError, NotAllowed, StorageError, ValueError) as error:
            self.app.call_from_thread(self._problem, str(error))
            return
        said = (_("Plan «{name}» from {valid_from} added") if new
                else _("Plan «{name}» from {valid_from} saved"))
        self.app.call_from_thread(self._saved, said.format(name=plan.name,
                                                           valid_from=plan.valid_from))

    def _problem(self, message: str) -> None:
        self.query_one("#plan-error", Static).update(content(message))

    def _saved(self, message: str) -> None:
        self.app.notify(message, markup=False)
        self.dismiss(True)


class ConfirmLock(ModalScreen[bool]):
    """Locking cannot be undone: ask first."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmLock") + """
    ConfirmLock > Vertical {
        max-width: 70;
        height: auto;
    }
    ConfirmLock #lock-question {
        height: auto;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "lock", N_("Lock"), id="bonus.lock.yes"),
        Binding("n,escape", "cancel", N_("Cancel"), id="bonus.lock.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        translate_keys(self)
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.question), id="lock-question")
            yield Static(_("y locks · n or Esc cancels"), classes="dialog-hint")

    def action_lock(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class LineDetail(ModalScreen[None]):
    """One line of a statement, all of it: what it comes from and how it was computed."""

    DEFAULT_CSS = DIALOG_CSS.format(name="LineDetail") + """
    LineDetail > Vertical {
        max-width: 90;
        height: auto;
    }
    LineDetail #line-text {
        height: auto;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", N_("Close"), id="bonus.line.close"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        translate_keys(self)
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.text), id="line-text")
            yield Static(_("Esc closes"), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


LINE_KINDS = {"base": N_("base"), "commission": N_("commission"), "cap_deal": N_("cap deal"),
              "accelerator": N_("accelerator"), "cap_month": N_("cap month"), "kpi": N_("kpi"),
              "overtime": N_("overtime"), "excluded": N_("excluded"),
              "adjustment": N_("adjustment"), "clawback": N_("clawback")}
"""A line's kind → the words the dialog shows for it."""


def describe_line(item: Line, currency: str) -> str:
    """A statement line as the dialog shows it."""
    basis = "" if item.basis is None else f"{number(item.basis)} {item.unit}".strip()
    kind = _(LINE_KINDS[item.kind]) if item.kind in LINE_KINDS else item.kind.replace("_", " ")
    rows = [(N_("What"), kind), (N_("Basis"), basis),
            (N_("Rate"), item.rate),
            (N_("Amount"), money(item.amount, currency)), (N_("Corrects"), item.adjusts)]
    shown = "\n".join(f"{_(label):<10}{value}" for label, value in rows if value)
    return f"{item.source}\n\n{shown}\n\n{item.detail}"


class WhatIfScreen(ModalScreen[None]):
    """Try another deal amount, quota or tier rate, and see each line and the total change;
    nothing is stored."""

    DEFAULT_CSS = DIALOG_CSS.format(name="WhatIfScreen") + """
    WhatIfScreen Horizontal {
        height: 3;
    }
    WhatIfScreen #whatif-deal, WhatIfScreen #whatif-tier {
        width: 1fr;
    }
    WhatIfScreen #whatif-amount, WhatIfScreen #whatif-rate {
        width: 18;
    }
    WhatIfScreen #whatif-quota {
        width: 24;
    }
    WhatIfScreen #whatif-lines {
        height: 1fr;
    }
    WhatIfScreen #whatif-total {
        height: 1;
        text-style: bold;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="bonus.whatif.close"),
        Binding("f3", "reset", N_("Reset"), id="bonus.whatif.reset",
                tooltip=N_("Forget every change tried")),
    ]

    def __init__(self, snapshot: Snapshot, statement: Statement) -> None:
        super().__init__()
        translate_keys(self)
        self.snapshot = snapshot
        self.now = statement
        self.member_id = statement.member.id
        self.period = statement.period
        self.plan = snapshot.plan_for(self.member_id, self.period)
        self.facts = snapshot.facts(self.member_id, self.period)
        self.carried = [line for line in statement.lines if line.adjusts]
        """Adjustments to locked months: a what-if of this month does not change them."""
        self.deal_amounts: dict[str, Decimal] = {}
        self.tier_rates: dict[int, Decimal] = {}
        self.quota: Decimal | None = None
        self.problems: dict[str, str] = {}

    def _deal_choices(self) -> list[tuple[Any, str]]:
        basis = self.plan.commission.basis if self.plan and self.plan.commission else "signed"
        choices = []
        for deal in self.snapshot.deals.get(self.member_id, []):
            counted = self.period.contains(deal.counted_on(basis))
            if not counted and deal.status not in ("proposal", "negotiation"):
                continue
            state = "" if counted else _(" (open)")
            label = Content.assemble(line(f"«{deal.title}» · {deal.client}", 50),
                                     f" {number(deal.amount)}{state}")
            choices.append((label, deal.id))
        return choices

    def compose(self) -> ComposeResult:
        member = self.snapshot.members[self.member_id]
        plan = self.plan
        with Vertical():
            yield Static(line(_("What if… {name}, {period} (nothing is saved)").format(
                name=member.name, period=self.period), 100),
                         classes="dialog-title")
            with Horizontal():
                yield Select(self._deal_choices(), prompt=_("Deal (this month's and open ones)"),
                             id="whatif-deal")
                yield Input(placeholder=_("amount"), id="whatif-amount")
            with Horizontal():
                quota = plan.quota.amount if plan and plan.quota else None
                yield Input(placeholder=_("quota {number}").format(
                    number=number(quota)) if quota is not None
                            else _("no quota"), id="whatif-quota", disabled=quota is None)
                tiers = plan.commission.tiers if plan and plan.commission else []
                yield Select([(_("tier {value}: {tier} at {number}%").format(
                    value=index + 1, tier=tier.label(), number=number(tier.rate)),
                               index) for index, tier in enumerate(tiers)],
                             prompt=_("Commission tier"), id="whatif-tier")
                yield Input(placeholder=_("rate %"), id="whatif-rate")
            table = RecordTable(id="whatif-lines", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("", id="whatif-total")
            yield Static("", id="whatif-error", classes="dialog-error")
            yield Static(_("Tab moves between fields · F3 resets · Esc closes"),
                         classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        currency = self.now.currency
        width = max(20, min(self.app.size.width, 110) - 4 - 3 * 13 - 8 - 2)
        now = _("Now, {currency}").format(currency=currency)
        then = _("What if, {currency}").format(currency=currency)
        for label, size in ((_("What"), width), (now.rjust(13), 13), (then.rjust(13), 13),
                            (_("Change").rjust(13), 13)):
            table.add_column(label, width=size)
        self.recompute()
        self.query_one("#whatif-deal").focus()

    def what_if(self) -> WhatIf:
        return WhatIf(dict(self.deal_amounts), self.quota, dict(self.tier_rates))

    def recompute(self) -> None:
        """Only the month's own lines are computed again (a few milliseconds): fine for every
        keystroke."""
        errors = self.query_one("#whatif-error", Static)
        assert self.plan is not None
        try:
            plan, facts = apply(self.what_if(), self.plan, self.facts)
        except ValueError as error:
            self.problems["plan"] = str(error)
            errors.update(content("; ".join(self.problems.values())))
            return
        self.problems.pop("plan", None)
        errors.update(content("; ".join(self.problems.values())))
        currency = self.now.currency
        places = minor_unit(currency)
        table = self.query_one(DataTable)
        table.clear()
        rows = []
        then = [*own_lines(plan, facts), *self.carried]
        for item in compare(self.now.lines, then):
            change = ("+" if item.change > 0 else "") + number(item.change, places) \
                if item.change else ""
            rows.append([cell(item.source, 80), _amount(number(item.now, places)),
                         _amount(number(item.then, places)), _amount(change)])
        table.add_rows(rows)
        before, after = self.now.total, total(then)
        self.query_one("#whatif-total", Static).update(content(
            _("Total {before} → {after} ({change})").format(
                before=money(before, currency), after=money(after, currency),
                change=signed_money(after - before, currency) if after != before
                else _("no change"))))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "whatif-deal":
            self._show_override("whatif-amount", self.deal_amounts.get(str(event.value)))
        elif event.select.id == "whatif-tier":
            index = event.value if isinstance(event.value, int) else -1
            self._show_override("whatif-rate", self.tier_rates.get(index))

    def _show_override(self, input_id: str, value: Decimal | None) -> None:
        field = self.query_one(f"#{input_id}", Input)
        with self.prevent(Input.Changed):
            field.value = "" if value is None else format_amount(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        names = {"whatif-amount": N_("amount"), "whatif-quota": N_("quota"),
                 "whatif-rate": N_("rate")}
        try:
            value = typed_amount(event.value, _(names[field]) if field in names else field,
                                 self.now.currency, RATE_PLACES if field == "whatif-rate" else None)
        except ValueError as error:
            self.problems[field] = str(error)
            self.query_one("#whatif-error", Static).update(
                content("; ".join(self.problems.values())))
            return
        self.problems.pop(field, None)
        if field == "whatif-amount":
            deal = self.query_one("#whatif-deal", Select).value
            if deal is Select.NULL:
                self.problems[field] = _("amount: choose a deal first")
            elif value is None:
                self.deal_amounts.pop(str(deal), None)
            else:
                self.deal_amounts[str(deal)] = value
        elif field == "whatif-quota":
            self.quota = value
        elif field == "whatif-rate":
            tier = self.query_one("#whatif-tier", Select).value
            if not isinstance(tier, int):
                self.problems[field] = _("rate: choose a tier first")
            elif value is None:
                self.tier_rates.pop(tier, None)
            else:
                self.tier_rates[tier] = value
        self.recompute()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_reset(self) -> None:
        self.deal_amounts.clear()
        self.tier_rates.clear()
        self.quota = None
        self.problems.clear()
        for field in self.query(Input).results(Input):
            with self.prevent(Input.Changed):
                field.value = ""
        self.recompute()

    def action_close(self) -> None:
        self.dismiss(None)


def _amount(text: str) -> Any:
    return cell(text.rjust(13))
