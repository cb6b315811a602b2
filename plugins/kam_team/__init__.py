"""The KAM team view: who carries which accounts, which accounts are key, where each
relationship stands, and how the portfolio is doing.

A bundled plugin: it uses only :mod:`amtui.api` (and :mod:`amtui.api.ui` in its pane). Its
pane is ``team``; ``amtui team report`` and ``amtui team dossier`` work from the shell.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from amtui.api import (
    DAY_MONTH_YEAR,
    AgendaEntry,
    CliCommand,
    ClientSection,
    CommandSpec,
    PaneSpec,
    SettingsSection,
    TableSpec,
    TimelineItem,
    format_day,
    hookimpl,
)

from .i18n import _
from .words import word

if TYPE_CHECKING:
    import argparse

    from amtui.api import Event, Workspace

# The records (and pydantic) are imported by the hooks that need them, not when amtui starts.

__version__ = "0.1.0"

PANE_ID = "team"
UNHAPPY_DAYS = 90
"""A key account's unhappy survey answer stays on Today this long."""


@hookimpl
def amtui_register_tables(register: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .models import AccountHistory, AccountPlan, StageMove, Survey

    for model in (AccountPlan, AccountHistory):
        register(TableSpec(model.table, model))
    # a client's moves and surveys (the card), and Today's unhappy answers, asked of the
    # record index by day
    register(TableSpec(StageMove.table, StageMove, indexed=("on",)))
    register(TableSpec(Survey.table, Survey, open=open_survey, indexed=("on",)))


def open_survey(app: Any, survey_id: str) -> None:
    """A survey chosen on Today: the account it is about, on the account screen."""
    # lazy: Textual, not loaded for the CLI
    # lazy: pydantic, loaded on first use
    from .account import AccountScreen
    from .models import Survey

    survey = app.workspace.repo(Survey).find(survey_id)
    if survey is None:
        app.notify(_("That survey is no longer there."), severity="warning")
        return
    app.push_screen(AccountScreen(survey.client_id))


@hookimpl
def amtui_register_settings(register: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .models import KamSettings

    register(SettingsSection("kam_team", KamSettings))


@hookimpl
def amtui_register_panes(register: Any) -> None:
    register(PaneSpec(PANE_ID, _("Team"), make_pane, order=20))


def make_pane() -> Any:
    from .pane import TeamPane  # lazy: Textual, only when the pane opens

    return TeamPane()


def _open_view(view: str) -> Any:
    def run(app: Any) -> None:
        # lazy: Textual, not loaded for the CLI
        from .pane import open_view

        open_view(app, view)

    return run


@hookimpl
def amtui_register_commands(register: Any) -> None:
    for view, title, help_text in (
        ("load", _("team: load"), _("Each member's accounts and load; reassign accounts")),
        ("accounts", _("team: key accounts"),
         _("Pareto of revenue, checklist scores, suggestions")),
        ("stages", _("team: relationship stages"),
         _("Key accounts by stage; move them with a reason")),
        ("kpis", _("team: portfolio KPIs"),
         _("Churn, expansion, NRR, satisfaction, cost to serve")),
    ):
        register(CommandSpec(title, help_text, _open_view(view)))


@hookimpl
def amtui_register_cli(register: Any) -> None:
    register(CliCommand("team", _("the team's figures (report) "
                                  "and an account's handover dossier"), _configure, _run))


def _configure(parser: argparse.ArgumentParser) -> None:
    # lazy: pydantic, loaded on first use
    from .report import configure

    configure(parser)


def _run(args: argparse.Namespace, workspace: Workspace) -> int:
    # lazy: pydantic, loaded on first use
    from .report import run

    return run(args, workspace)


@hookimpl
def amtui_agenda(workspace: Workspace, now: datetime, add: Any) -> None:
    """Key accounts whose latest survey answer in the last 90 days was unhappy."""
    from amtui.api import Client  # lazy: records load on first use: `amtui --help` needs none

    # lazy: pydantic, loaded on first use
    from .models import SURVEYS, UNHAPPY_UP_TO, Scale, Survey

    since = now.date() - timedelta(days=UNHAPPY_DAYS)
    latest: dict[str, dict[str, Any]] = {}
    for raw in workspace.repo(Survey).query_raw(on__gte=since):  # in the order stored
        known = latest.get(raw["client_id"])
        if known is None or raw["on"] >= known["on"]:  # days as ISO text sort as days
            latest[raw["client_id"]] = raw
    unhappy = {client_id: raw for client_id, raw in latest.items()
               if raw["score"] <= UNHAPPY_UP_TO[Scale(raw.get("scale", Scale.CSAT))]}
    # the key accounts among their clients, asked at once (not a client at a time)
    key = {str(client["id"]): client for client in workspace.repo(Client).query_raw(
        id__in=sorted(unhappy)) if client.get("key_account")}
    found = ((client_id, Survey.model_validate(raw)) for client_id, raw in unhappy.items()
             if client_id in key)
    for client_id, survey in sorted(found, key=lambda pair: pair[1].on):
        client = key[client_id]
        scale = _("of 5") if survey.scale == "csat" else _("of 10")
        add(AgendaEntry(_("Key accounts: unhappy"), str(client.get("name", "")),
                        _("scored {score} {scale} on {on}").format(
                            score=survey.score, scale=scale,
                            on=format_day(survey.on, DAY_MONTH_YEAR)), client_id,
                        SURVEYS, survey.id))


@hookimpl
def amtui_client_sections(workspace: Workspace, client: Any, add: Any) -> None:
    """The account's stage, purpose, team, stakeholders and surveys; stage moves and surveys
    join the timeline."""
    # lazy: records load on first use: `amtui --help` needs none
    from amtui.api import Contact, Member

    # lazy: pydantic, loaded on first use
    from .models import STAGE_MOVES, SURVEYS, AccountPlan, StageMove, Survey, plan_id

    plan = workspace.repo(AccountPlan).find(plan_id(client.id))
    moves = workspace.repo(StageMove).query(client_id=client.id, order_by="on")
    surveys = workspace.repo(Survey).query(client_id=client.id, order_by="on")
    if plan is None and not moves and not surveys and not client.key_account:
        return
    members = workspace.repo(Member)

    def name(member_id: str | None) -> str:
        found = members.stored(member_id)
        return str(found.get("name", "")) if found else "—"

    stage = word(client.stage.value) if client.stage else _("not set")
    purpose = word(plan.purpose.value) if plan and plan.purpose else _("not set")
    kind = _("Key account") if client.key_account else _("Account")
    lines = [_("{kind} · stage {stage} · purpose {purpose}").format(
        kind=kind, stage=stage, purpose=purpose)]
    if plan is not None:
        lines.append(_("KAM {name} · assistant {name2} · {count} from departments").format(
            name=name(plan.kam_id or client.owner_id), name2=name(plan.assistant_id),
            count=len(plan.specialists)))
        contacts = workspace.repo(Contact)
        attitudes = [view.attitude.value for view in plan.stakeholders
                     if contacts.exists(view.contact_id)]  # not those in the trash
        if attitudes:
            lines.append(_("Stakeholders: ") + ", ".join(
                f"{attitudes.count(kind)} {word(kind)}" for kind in dict.fromkeys(attitudes)))
    if surveys:
        last = surveys[-1]
        lines.append(_("Last survey {on}: {score} ({scale})").format(
            on=format_day(last.on, DAY_MONTH_YEAR), score=last.score, scale=last.scale.value))
    timeline = [TimelineItem(move.created_at, "stage",
                             _("stage → {stage}: {reason}").format(
                                 stage=word(move.to_stage.value if move.to_stage else "none"),
                                 reason=move.reason), STAGE_MOVES, move.id) for move in moves]
    timeline += [TimelineItem(datetime.combine(survey.on, time(12), tzinfo=UTC), "survey",
                              _("survey {score} ({scale})").format(
                                  score=survey.score, scale=survey.scale.value)
                              + (f": {survey.comment}" if survey.comment else ""),
                              SURVEYS, survey.id) for survey in surveys]
    add(ClientSection(_("Key account management"), lines, timeline))


@hookimpl
def amtui_event(workspace: Workspace | None, event: Event) -> None:
    """A client saved with a new status, revenue, cost or owner: the history notes it."""
    if workspace is None or event.kind != "record_saved" or event.table != "clients":
        return  # (checked before importing anything: startup calls this before the first paint)
    # lazy: pydantic, loaded on first use
    from .history import TRACKED, follow_client_change

    if TRACKED.intersection(event.fields):
        follow_client_change(workspace, event.record_id)


@hookimpl
def amtui_demo(workspace: Workspace, size: str, seed: int, say: Any) -> None:
    # lazy: pydantic, loaded on first use
    from .demo import fill_demo

    fill_demo(workspace, size, seed, say)
