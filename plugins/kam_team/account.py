"""One account: its team, the stakeholder map of the client's side, stage history, purpose,
checklist score and surveys; and the forms that change them. A warning says when the account
is single-threaded."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from amtui.api import BadDate, StorageError, department as shown_department, parse_date, today_of
from amtui.api.ui import (
    AskScreen,
    FormField,
    FormScreen,
    PickScreen,
    RecordTable,
    cell,
    line,
    member_picker,
)

from . import fmt
from .actions import (
    add_survey,
    move_stage,
    parse_specialists,
    score,
    set_purpose,
    set_stakeholder,
    set_team,
)
from .dossier import dossier, slug, write_file
from .fmt import money
from .i18n import N_, _, translate_keys
from .models import (
    CRITERION_LABELS,
    MAX_SCORE,
    AccountPlan,
    Attitude,
    Criterion,
    Purpose,
    Scale,
    StakeholderView,
    Survey,
    plan_id,
    settings_of,
)
from .pane import TeamPane
from .snapshot import read_account
from .words import word

if TYPE_CHECKING:
    from collections.abc import Callable

    from .pane import TeamPane
    from .snapshot import AccountDetails

INFLUENCE = {"decision_maker": N_("decision maker"), "champion": N_("champion"),
             "blocker": N_("blocker"), "stakeholder": N_("stakeholder")}


class AccountRead(Message):
    def __init__(self, details: AccountDetails | str) -> None:
        super().__init__()
        self.details = details


class AccountScreen(Screen[None]):
    """Opened with Enter on an account anywhere in the Team pane; Esc goes back."""

    DEFAULT_CSS = """
    AccountScreen { background: $background; }
    #account-box { height: 1fr; padding: 0 1; }
    #account-title { text-style: bold; background: $boost; padding: 0 1; }
    .account-heading { margin-top: 1; text-style: bold; color: $primary; }
    #account-warning { color: $warning; text-style: bold; }
    #account-stakeholders { height: auto; max-height: 12; }
    #account-keys { dock: bottom; height: 1; color: $footer-foreground;
                    background: $footer-background; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Back"), id="team.account.close"),
        Binding("e", "stakeholder", N_("Stakeholder"), id="team.account.stakeholder",
                tooltip=N_("Attitude and strength of our relationship with the contact")),
        Binding("T", "team", N_("Team"), id="team.account.team",
                tooltip=N_("The account team: KAM, assistant, people from departments")),
        Binding("p", "purpose", N_("Purpose"), id="team.account.purpose"),
        Binding("c", "score", N_("Score"), id="team.account.score"),
        Binding("v", "survey", N_("Survey"), id="team.account.survey",
                tooltip=N_("Add a satisfaction survey answer")),
        Binding("d", "dossier", N_("Dossier"), id="team.account.dossier",
                tooltip=N_("Write the handover dossier (Markdown)")),
        Binding("o", "card", N_("Client card"), id="team.account.card"),
    ]

    def __init__(self, client_id: str) -> None:
        super().__init__()
        translate_keys(self)
        self.client_id = client_id
        self.details: AccountDetails | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Reading the account…")), id="account-title")
        with VerticalScroll(id="account-box"):
            yield Static("", id="account-summary")
            yield Static("", id="account-warning")
            yield Static(Content(_("Account team")), classes="account-heading")
            yield Static("", id="account-team")
            yield Static(Content(_("Stakeholder map (e edits the contact under the cursor)")),
                         classes="account-heading")
            yield RecordTable(id="account-stakeholders", cursor_type="row", zebra_stripes=True)
            yield Static(Content(_("Stage history")), classes="account-heading")
            yield Static("", id="account-moves")
            yield Static(Content(_("Surveys")), classes="account-heading")
            yield Static("", id="account-surveys")
        yield Static(Content(_("Esc back · e stakeholder · T team · p purpose · c score · v "
                               "survey · d dossier · o client card")), id="account-keys")

    @property
    def pane(self) -> TeamPane:
        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, TeamPane):
                return screen
        raise LookupError(_("the Team pane is not open"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for title, width in ((_("Name"), 20), (_("Role"), 12), (_("Influence"), 14),
                             (_("Attitude"), 9), (_("Strength"), 8)):
            table.add_column(title, width=width)
        table.focus()
        self.read()

    @work(thread=True, exclusive=True, group="team-account")
    def read(self) -> None:
        try:
            details: AccountDetails | str = read_account(self.app.workspace, self.client_id)  # type: ignore[attr-defined]
        except StorageError as error:
            details = str(error)
        self.post_message(AccountRead(details))

    def data_changed(self) -> None:
        self.read()

    def on_account_read(self, message: AccountRead) -> None:
        if isinstance(message.details, str):
            self.query_one("#account-title", Static).update(line(message.details, 200))
            return
        self.details = details = message.details
        client, plan = details.client, details.plan
        stage = word(client.stage.value) if client.stage else _("no stage")
        purpose = word(plan.purpose.value) if plan and plan.purpose else _("purpose not set")
        self.query_one("#account-title", Static).update(Content.assemble(
            "★ " if client.key_account else "", line(client.name, 60),
            f" · {word(client.status.value)} · {stage} · {purpose}"))
        ratio = fmt.ratio(client.monthly_revenue / client.cost_to_serve
                          if client.cost_to_serve else None)
        score = f"{details.score:.0f}/100" if details.score is not None else _("not scored")
        self.query_one("#account-summary", Static).update(Content.assemble(
            _("Owner "), line(details.owner, 40),
            _(" · {money}/mo · cost {money2} · revenue/cost {ratio} · checklist {score}").format(
                money=money(client.monthly_revenue), money2=money(client.cost_to_serve),
                ratio=ratio, score=score)))
        warning = self.query_one("#account-warning", Static)
        warning.update(Content(_("⚠ Single-threaded: {single_threaded}; the relationship leaves "
                                 "with that person.").format(
            single_threaded=details.single_threaded))
                       if details.single_threaded else "")
        warning.display = bool(details.single_threaded)
        self._show_team(details)
        self._show_stakeholders(details)
        self.query_one("#account-moves", Static).update(Content("\n").join([
            Content.assemble(f"{move.on:%d.%m.%Y}  {word(move.from_stage or 'none')} → "
                             f"{word(move.to_stage or 'none')}  ", line(move.reason, 100))
            for move in details.moves[-5:]] or [Content(_("No moves yet."))]))
        self.query_one("#account-surveys", Static).update(Content("\n").join([
            Content.assemble(f"{survey.on:%d.%m.%Y}  {survey.score} "
                             f"{_('of 5') if survey.scale == Scale.CSAT else _('of 10')}  ",
                             line(survey.comment, 100))
            for survey in details.surveys[-5:]] or [Content(_("No surveys yet."))]))

    def _show_team(self, details: AccountDetails) -> None:
        names = {member.id: member.name for member in details.members}
        plan = details.plan
        kam = names.get((plan.kam_id if plan and plan.kam_id else details.client.owner_id) or "",
                        "—")
        assistant = names.get(plan.assistant_id or "", "—") if plan else "—"
        parts = [Content.assemble(_("KAM "), line(kam, 40), _(" · assistant "),
                                  line(assistant, 40))]
        for specialist in plan.specialists if plan else []:
            department = (f" ({shown_department(specialist.department)})"
                          if specialist.department else "")
            parts.append(line(f"{specialist.name}{department}", 60))
        self.query_one("#account-team", Static).update(Content(" · ").join(parts))

    def _show_stakeholders(self, details: AccountDetails) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for contact in details.contacts:
            view = details.plan.stakeholder(contact["id"]) if details.plan else None
            table.add_row(cell(contact.get("name"), 60), cell(contact.get("role"), 40),
                          cell(_(INFLUENCE[contact["influence"]])
                               if contact.get("influence") in INFLUENCE else ""),
                          cell(word(view.attitude.value) if view else "?"),
                          cell(f"{view.strength}/5" if view and view.strength else "—"),
                          key=contact["id"])
        if details.contacts:
            table.move_cursor(row=min(row, len(details.contacts) - 1), animate=False)

    # actions ----------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss()

    def action_card(self) -> None:
        self.app.open_record("clients", self.client_id)  # type: ignore[attr-defined]

    def action_stakeholder(self) -> None:
        if self.details is None or not self.details.contacts:
            self.notify(_("The client has no contacts: add one on the client card (o)."),
                        markup=False)
            return
        table = self.query_one(DataTable)
        contact = self.details.contacts[min(table.cursor_row, len(self.details.contacts) - 1)]
        ask_stakeholder(self.pane, self.client_id, contact, self.details.plan)

    def action_team(self) -> None:
        if self.details is not None:
            ask_team(self.pane, self.details)

    def action_purpose(self) -> None:
        ask_purpose(self.pane, self.client_id)

    def action_score(self) -> None:
        ask_scores(self.pane, self.client_id)

    def action_survey(self) -> None:
        ask_survey(self.pane, self.client_id)

    def action_dossier(self) -> None:
        if self.details is None:
            return

        today = self.app.workspace.clock().date()  # type: ignore[attr-defined]
        default = Path.cwd() / f"dossier-{slug(self.details.client.name)}-{today}.md"

        def check(typed: str) -> str | None:
            try:
                path = Path(typed.strip()).expanduser()
            except RuntimeError:  # ~user, and no such user
                return _("No user has the home folder {typed}.").format(typed=typed.strip())
            if not typed.strip():
                return _("Type a file name.")
            if path.is_dir():
                return _("{path} is a folder; add a file name.").format(path=path)
            if not path.parent.is_dir():
                return _("{parent} is not a folder that exists.").format(parent=path.parent)
            return None

        def chosen(typed: str | None) -> None:
            if typed:
                self._write_dossier(Path(typed.strip()).expanduser())

        self.app.push_screen(AskScreen(_("Write the handover dossier to"), default=str(default),
                                 check=check), chosen)

    @work(thread=True, exclusive=True, group="team-dossier")
    def _write_dossier(self, path: Path) -> None:
        try:
            text, _name = dossier(self.app.workspace, self.client_id)  # type: ignore[attr-defined]
            written = write_file(path, text)
        except (OSError, ValueError) as error:
            self.app.call_from_thread(self.notify, _("The dossier was not written: {error}")
                                      .format(error=error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, _("Dossier written to {written}").format(
            written=written), markup=False)


# Forms ---------------------------------------------------------------------------------------

def ask_stage_move(pane: TeamPane, client_id: str, name: str, from_stage: str | None,
                   to_stage: str, rev: int, moved: Callable[[], None]) -> None:
    """Ask why, then move the account (shown at once by ``moved``)."""
    def check(typed: str) -> str | None:
        return None if typed.strip() else _("Say why: every move is kept with its reason.")

    def chosen(reason: str | None) -> None:
        if reason is None:
            return
        workspace = pane.amtui.workspace
        pane.change(lambda: move_stage(workspace, client_id, to_stage, reason.strip()),
                    _("«{name}» moved to {stage} (u undoes)").format(
                        name=name, stage=word(to_stage)))
        moved()

    pane.app.push_screen(AskScreen(_("Move to {stage}: why?").format(
        stage=word(to_stage)), context=f"{name}: "
                             f"{word(from_stage) if from_stage else _('no stage')} → "
                             f"{word(to_stage)}", check=check), chosen)


def ask_purpose(pane: TeamPane, client_id: str) -> None:
    plan = pane.figures.data.plans.get(client_id) if pane.figures else None
    current = plan.purpose.value if plan and plan.purpose else ""
    options = [(Content.assemble((word(purpose.value), "bold"), f"  {text}"), purpose.value)
               for purpose, text in ((Purpose.GROWTH, _("grow it: the dividends")),
                                     (Purpose.PRESERVATION, _("keep its level as long as we can")),
                                     (Purpose.IMAGE, _("a prestige client, little turnover")))]
    options.append((Content(_("not set")), "none"))

    def chosen(value: str | None) -> None:
        if value is None or value == current:
            return
        purpose = None if value == "none" else Purpose(value)
        workspace = pane.amtui.workspace
        pane.change(lambda: set_purpose(workspace, client_id, purpose),
                    _("purpose set to {purpose} (u undoes)").format(purpose=word(value)))

    pane.app.push_screen(PickScreen(_("Why we hold the account"), options, current), chosen)


def _plan_now(pane: TeamPane, client_id: str) -> AccountPlan:
    found = pane.amtui.workspace.repo(AccountPlan).find(plan_id(client_id))
    return found or AccountPlan(id=plan_id(client_id), client_id=client_id)


def ask_scores(pane: TeamPane, client_id: str) -> None:
    """The checklist: each criterion 0–5 (empty: not scored), with its weight shown."""
    workspace = pane.amtui.workspace
    plan = _plan_now(pane, client_id)
    weights = settings_of(workspace).weights
    fields = [FormField(criterion.value, _("{capitalize} (weight {normalize:f})").format(
        capitalize=_(CRITERION_LABELS[criterion]).capitalize(),
        normalize=weights[criterion].normalize()),
                        placeholder=_("0–{MAX_SCORE}, empty: not scored").format(
                            MAX_SCORE=MAX_SCORE))
              for criterion in Criterion]
    values = {criterion.value: str(plan.scores[criterion]) for criterion in plan.scores}

    def build(typed: dict[str, str]) -> Any:
        scores = {name: value.strip() for name, value in typed.items() if value.strip()}
        return AccountPlan.model_validate({**plan.model_dump(), "scores": scores})

    def chosen(checked: Any) -> None:
        if checked is not None:
            pane.change(lambda: score(workspace, client_id, dict(checked.scores)),
                        _("checklist scored (u undoes)"))

    name = pane.figures.data.clients[client_id].name if pane.figures and \
        client_id in pane.figures.data.clients else ""
    pane.app.push_screen(FormScreen(_("Criteria checklist: {name}").format(
        name=name), fields, values, build),
                         chosen)


def ask_stakeholder(pane: TeamPane, client_id: str, contact: dict[str, Any],
                    plan: AccountPlan | None) -> None:
    view = plan.stakeholder(contact["id"]) if plan else None
    fields = [FormField("attitude", _("Attitude towards us"),
                        [(word(attitude.value), attitude.value) for attitude in Attitude]),
              FormField("strength", _("Strength of our relationship (1 weak … 5 strong)"),
                        placeholder=_("1–5, empty: not known"))]
    values = {"attitude": view.attitude.value if view else Attitude.NEUTRAL.value,
              "strength": str(view.strength) if view and view.strength else ""}

    def build(typed: dict[str, str]) -> Any:
        return StakeholderView.model_validate({
            "contact_id": contact["id"], "attitude": typed["attitude"] or "neutral",
            "strength": typed["strength"].strip() or None})

    def chosen(checked: Any) -> None:
        if checked is not None:
            workspace = pane.amtui.workspace
            pane.change(lambda: set_stakeholder(workspace, client_id, checked),
                        _("stakeholder saved (u undoes)"))

    pane.app.push_screen(FormScreen(_("Stakeholder: {get}").format(
        get=contact.get('name', '')), fields, values,
                                    build), chosen)


def ask_team(pane: TeamPane, details: AccountDetails) -> None:
    plan = details.plan
    members = member_picker(pane.amtui.workspace)
    fields = [FormField("kam_id", _("KAM (leads the account team)"), picker=members,
                        placeholder=_("the owner; type part of a name")),
              FormField("assistant_id", _("Assistant"), picker=members,
                        placeholder=_("none; type part of a name")),
              FormField("specialists", _("People from departments"),
                        placeholder=_("Лена (copywriting), Stas (seo)"))]
    values = {"kam_id": plan.kam_id or "" if plan else "",
              "assistant_id": plan.assistant_id or "" if plan else "",
              "specialists": ", ".join(
                  f"{s.name} ({shown_department(s.department)})" if s.department else s.name
                  for s in (plan.specialists if plan else []))}
    client_id = details.client.id
    # The workspace's departments by the words shown for them: «дизайн» is stored as design.
    departments = {shown_department(name).casefold(): name
                   for name in pane.amtui.workspace.settings.departments}

    def build(typed: dict[str, str]) -> Any:
        specialists = [{"name": s.name,
                        "department": departments.get(s.department.casefold(), s.department)}
                       for s in parse_specialists(typed["specialists"])]
        return AccountPlan.model_validate({
            "id": f"plan-{client_id}", "client_id": client_id,
            "kam_id": typed["kam_id"] or None, "assistant_id": typed["assistant_id"] or None,
            "specialists": specialists})

    def chosen(checked: Any) -> None:
        if checked is not None:
            workspace = pane.amtui.workspace
            pane.change(lambda: set_team(workspace, client_id, checked.kam_id,
                                         checked.assistant_id, checked.specialists),
                        _("account team saved (u undoes)"))

    pane.app.push_screen(FormScreen(_("Account team: {name}").format(
        name=details.client.name), fields, values,
                                    build), chosen)


def ask_survey(pane: TeamPane, client_id: str) -> None:
    workspace = pane.amtui.workspace
    fields = [FormField("on", _("Answered on"), placeholder=_("31.10.2026, yesterday, -3d")),
              FormField("scale", _("Scale"), [(_("1–5 (satisfaction)"), "csat"),
                                           (_("0–10 (would recommend us)"), "nps")]),
              FormField("score", _("Score")),
              FormField("comment", _("Comment (optional)"))]
    values = {"on": workspace.clock().date().isoformat(), "scale": "csat"}

    def build(typed: dict[str, str]) -> Any:
        try:
            on = parse_date(typed["on"], today_of(workspace))
        except BadDate as error:
            raise ValueError(_("answered on: {problem}").format(problem=error)) from None
        survey = Survey.model_validate({"client_id": client_id, "on": on,
                                        "scale": typed["scale"] or "csat",
                                        "score": typed["score"].strip(),
                                        "comment": typed["comment"]})
        if survey.on > workspace.clock().date():
            raise ValueError(_("answered on {on}: that day has not come yet").format(on=survey.on))
        return survey

    def chosen(checked: Any) -> None:
        if checked is not None:
            pane.change(lambda: add_survey(workspace, checked), _("survey added (u undoes)"))

    pane.app.push_screen(FormScreen(_("Satisfaction survey"), fields, values, build), chosen)
