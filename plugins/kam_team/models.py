"""The team view's records and settings: account plans (purpose, team, stakeholder map,
criteria scores), stage moves, satisfaction surveys and each client's account history.

The tables are prefixed ``kam_`` so that they cannot clash with another plugin's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from amtui.api import ClientStatus, Record, RelationshipStage

from .i18n import N_, _

if TYPE_CHECKING:
    from amtui.api import Workspace

PLUGIN = "kam_team"
PLANS = "kam_account_plans"
STAGE_MOVES = "kam_stage_moves"
SURVEYS = "kam_surveys"
HISTORY = "kam_account_history"

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Purpose(StrEnum):
    """Why we hold the account."""

    GROWTH = "growth"
    """Grow it: the dividends."""
    PRESERVATION = "preservation"
    """Keep its level as long as possible."""
    IMAGE = "image"
    """A prestige client, little turnover."""


class Attitude(StrEnum):
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    OPPONENT = "opponent"


class Criterion(StrEnum):
    """The key-account checklist, each scored 0–5 per account."""

    RELATIONSHIP = "relationship"
    MUTUAL_BENEFIT = "mutual_benefit"
    FIT = "fit"
    """Product and cultural fit."""
    PROSPECTS = "prospects"
    """Future prospects."""
    PROCESS = "process"
    """Business process: how well our ways of working mesh."""
    REVENUE = "revenue"
    PARTNERSHIP = "partnership"
    LOCATION = "location"

    @property
    def label(self) -> str:
        return _(CRITERION_LABELS[self])


CRITERION_LABELS = {
    Criterion.RELATIONSHIP: N_("relationship"), Criterion.MUTUAL_BENEFIT: N_("mutual benefit"),
    Criterion.FIT: N_("product and cultural fit"), Criterion.PROSPECTS: N_("future prospects"),
    Criterion.PROCESS: N_("business process"), Criterion.REVENUE: N_("revenue"),
    Criterion.PARTNERSHIP: N_("partnership"), Criterion.LOCATION: N_("location"),
}
STAGES = tuple(RelationshipStage)
"""tactical → operational → functional → strategic."""
MAX_SCORE = 5
MAX_STRENGTH = 5


def plan_id(client_id: str) -> str:
    """An account's plan is found by its client's id without searching."""
    return f"plan-{client_id}"


def history_id(client_id: str) -> str:
    return f"hist-{client_id}"


class Specialist(BaseModel):
    """Someone from a department on the account team (departments are not members)."""

    model_config = ConfigDict(defer_build=True)

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    department: Text = ""


class StakeholderView(BaseModel):
    """How a client-side contact stands towards us."""

    model_config = ConfigDict(defer_build=True)

    contact_id: str = Field(min_length=1, max_length=64)
    attitude: Attitude = Attitude.NEUTRAL
    strength: int | None = Field(default=None, ge=1, le=MAX_STRENGTH)
    """Strength of our relationship with the person: 1 weak … 5 strong; None if not known."""


class AccountPlan(Record):
    """What the team keeps about one account beyond the client record."""

    table: ClassVar[str] = PLANS
    references: ClassVar[dict[str, str]] = {
        "client_id": "clients", "kam_id": "members", "assistant_id": "members"}

    client_id: str
    purpose: Purpose | None = None
    kam_id: str | None = None
    """The KAM leading the account team; the client's owner when not set."""
    assistant_id: str | None = None
    specialists: list[Specialist] = Field(default_factory=list, max_length=30)
    stakeholders: list[StakeholderView] = Field(default_factory=list, max_length=200)
    scores: dict[Criterion, Annotated[int, Field(ge=0, le=MAX_SCORE)]] = Field(
        default_factory=dict)
    """Criterion → 0–5; a criterion not scored counts as 0."""
    scored_on: date | None = None

    def stakeholder(self, contact_id: str) -> StakeholderView | None:
        return next((view for view in self.stakeholders if view.contact_id == contact_id), None)


class StageMove(Record):
    """A key account moved from one relationship stage to another: when, why, by whom."""

    table: ClassVar[str] = STAGE_MOVES
    references: ClassVar[dict[str, str]] = {"client_id": "clients"}

    client_id: str
    on: date
    from_stage: RelationshipStage | None = None
    to_stage: RelationshipStage | None = None
    reason: Reason
    by: str = ""
    """The OS login of whoever moved it."""


class Scale(StrEnum):
    CSAT = "csat"
    """A score of 1 to 5."""
    NPS = "nps"
    """How likely to recommend us: 0 to 10."""


SATISFIED_FROM = {Scale.CSAT: 4, Scale.NPS: 9}
"""The lowest score that counts as satisfied: 4 of 5, or a promoter's 9 of 10."""
UNHAPPY_UP_TO = {Scale.CSAT: 2, Scale.NPS: 6}
"""The highest score that counts as unhappy: 2 of 5, or a detractor's 6 of 10."""


class Survey(Record):
    """A satisfaction survey answer from a client."""

    table: ClassVar[str] = SURVEYS
    references: ClassVar[dict[str, str]] = {"client_id": "clients"}

    client_id: str
    on: date
    scale: Scale = Scale.CSAT
    score: int
    comment: Annotated[str, StringConstraints(max_length=2000)] = ""

    @model_validator(mode="after")
    def _score_on_scale(self) -> Survey:
        low, high = (1, 5) if self.scale == Scale.CSAT else (0, 10)
        if not low <= self.score <= high:
            raise ValueError(_("score: a {value} score is {low} to {high}, not {score}").format(
                value=self.scale.value, low=low, high=high, score=self.score))
        return self

    @property
    def satisfied(self) -> bool:
        return satisfied(self.scale, self.score)

    @property
    def index(self) -> Decimal:
        """The score on a 0–100 scale: (score − 1) × 25 for 1–5, score × 10 for NPS."""
        return score_index(self.scale, self.score)


def satisfied(scale: Scale, score: int) -> bool:
    return score >= SATISFIED_FROM[scale]


def score_index(scale: Scale, score: int) -> Decimal:
    """``score`` on a 0–100 scale: (score − 1) × 25 for 1–5, score × 10 for NPS."""
    if scale == Scale.CSAT:
        return Decimal((score - 1) * 25)
    return Decimal(score * 10)


@dataclass(frozen=True, slots=True)
class SurveyScore:
    """What the KPIs need of a survey answer: the team view keeps thousands of them, a
    tenth of a :class:`Survey`'s size each (the comment is left in the file)."""

    client_id: str
    on: date
    created_at: str
    """When it was stored, as stored (ISO, in UTC): orders the answers of one day."""
    scale: Scale
    score: int

    @classmethod
    def of(cls, raw: dict[str, Any]) -> SurveyScore:
        """The score of a stored survey record."""
        return cls(str(raw["client_id"]), date.fromisoformat(raw["on"]),
                   str(raw.get("created_at", "")), Scale(raw.get("scale", Scale.CSAT)),
                   int(raw["score"]))

    @property
    def satisfied(self) -> bool:
        return satisfied(self.scale, self.score)

    @property
    def index(self) -> Decimal:
        return score_index(self.scale, self.score)


class HistoryEntry(BaseModel):
    """What a client was from a day on: status, recurring revenue, cost to serve, owner."""

    model_config = ConfigDict(defer_build=True)

    on: date
    status: ClientStatus
    revenue: Decimal = Field(ge=0)
    cost: Decimal = Field(ge=0)
    owner_id: str | None = None

    def same_as(self, other: HistoryEntry) -> bool:
        return (self.status, self.revenue, self.cost, self.owner_id) == (
            other.status, other.revenue, other.cost, other.owner_id)


class AccountHistory(Record):
    """Every change of one client's status, revenue, cost to serve and owner, oldest first.
    Kept by the plugin from the day it first sees the client (the portfolio KPIs come from
    it)."""

    table: ClassVar[str] = HISTORY

    client_id: str
    entries: list[HistoryEntry] = Field(default_factory=list)


# Settings ------------------------------------------------------------------------------------

def _default_weights() -> dict[Criterion, Decimal]:
    return dict.fromkeys(Criterion, Decimal(1))


class KamSettings(BaseModel):
    """The ``[kam_team]`` section of ``workspace.toml``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    weights: dict[Criterion, Decimal] = Field(default_factory=_default_weights)
    """Criterion → weight (0 or more) in the checklist score; criteria left out weigh 1."""
    pareto_share: Decimal = Field(default=Decimal(80), gt=0, le=100)
    """The share of revenue (%) that marks the Pareto line."""
    key_score: int = Field(default=60, ge=0, le=100)
    """A checklist score (0–100) from which an account qualifies as key."""
    pareto_months: int = Field(default=12, ge=1, le=60)
    """The Pareto's default period: this many months up to the current one."""

    @field_validator("weights")
    @classmethod
    def _weights(cls, weights: dict[Criterion, Decimal]) -> dict[Criterion, Decimal]:
        for criterion, weight in weights.items():
            if not weight.is_finite() or weight < 0:
                raise ValueError(_("{value}: a weight is 0 or more, not {weight}").format(
                    value=Criterion(criterion).value, weight=weight))
        full = {**_default_weights(), **weights}
        if not any(full.values()):
            raise ValueError(_("at least one criterion must weigh more than 0"))
        return full


def settings_of(workspace: Workspace) -> KamSettings:
    """The workspace's ``[kam_team]`` settings, as amtui checked them when the plugin was
    given the workspace (defaults where it says nothing)."""
    settings = workspace.plugin_settings.get(PLUGIN)
    return settings if isinstance(settings, KamSettings) else KamSettings()
