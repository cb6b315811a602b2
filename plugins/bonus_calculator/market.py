"""The plugin's settings (``[bonus]`` in ``workspace.toml``) and the market reference: what
account managers are paid elsewhere, and where a statement's total falls."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .i18n import N_, _
from .money import money, number

if TYPE_CHECKING:
    from amtui.api import Workspace

SECTION = "bonus"


REGION_NAMES = {"regions": N_("regions"), "Moscow": N_("Moscow")}
"""How the bundled ranges' regions read on screen; a workspace's own regions show as written."""


class MarketRange(BaseModel):
    """Monthly pay of an account manager in a segment and region."""

    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True)

    segment: Literal["b2b", "b2c"]
    region: str = Field(min_length=1, max_length=60)
    low: Decimal = Field(ge=0)
    high: Decimal = Field(ge=0)
    currency: str = Field(default="RUB", pattern=r"^[A-Z]{3}$")

    @model_validator(mode="after")
    def _low_below_high(self) -> MarketRange:
        if self.low > self.high:
            raise ValueError(_("{segment} {region}: low ({number}) is above high "
                               "({number2})").format(
                segment=self.segment, region=self.region, number=number(self.low),
                number2=number(self.high)))
        return self

    def label(self) -> str:
        region = _(REGION_NAMES[self.region]) if self.region in REGION_NAMES else self.region
        return (f"{self.segment.upper()} {region} {number(self.low)}–"
                f"{number(self.high)} {self.currency}")


DEFAULT_MARKET = [
    MarketRange(segment="b2c", region="regions", low=Decimal(15_000), high=Decimal(30_000)),
    MarketRange(segment="b2c", region="Moscow", low=Decimal(15_000), high=Decimal(50_000)),
    MarketRange(segment="b2b", region="regions", low=Decimal(20_000), high=Decimal(150_000)),
    MarketRange(segment="b2b", region="Moscow", low=Decimal(20_000), high=Decimal(300_000)),
]
"""Russia, per month (hh.ru and the profession's own descriptions): B2C 15–30k in the regions,
up to 50k in Moscow; B2B 20–150k in the regions, up to 300k in Moscow."""


class BonusSettings(BaseModel):
    """``[bonus]`` in ``workspace.toml``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    region: str = "regions"
    """The market region statements are compared with, unless a plan names its own."""
    client_overtime_coefficient: Decimal = Field(default=Decimal("1.5"), ge=0)
    """Overtime hours are billed to the client multiplied by this."""
    client_hourly_rate: Decimal | None = Field(default=None, ge=0)
    """What an hour is billed to a client at, in the workspace's currency (none: hours only)."""
    market: list[MarketRange] = Field(default_factory=lambda: list(DEFAULT_MARKET))
    """The market ranges, editable: ``[[bonus.market]]`` tables."""


def settings_of(workspace: Workspace) -> BonusSettings:
    """The ``[bonus]`` section, as amtui checked it when the plugin was given the workspace
    (a bad one switches the plugin off); the defaults where it says nothing."""
    settings = workspace.plugin_settings.get(SECTION)
    return settings if isinstance(settings, BonusSettings) else BonusSettings()


@dataclass(frozen=True)
class MarketPosition:
    """Where a total falls in a market range."""

    range: MarketRange
    text: str
    share: Decimal | None
    """0–100: how far from low to high (None outside the range)."""


def segment_for(role: str, plan_segment: str | None) -> str:
    if plan_segment:
        return plan_segment
    return "b2b" if role in ("kam", "head") else "b2c"


def position(total: Decimal, currency: str, ranges: list[MarketRange], segment: str,
             region: str) -> MarketPosition | None:
    """Where ``total`` falls among the range for ``segment`` and ``region`` (None: no such
    range)."""
    found = next((item for item in ranges if item.segment == segment
                  and item.region.casefold() == region.casefold()), None)
    if found is None:
        return None
    if found.currency != currency:
        return MarketPosition(found, _("{found}: not comparable, the statement is in "
                                       "{currency}").format(
            found=found.label(), currency=currency), None)
    if total < found.low:
        text = _("below range by {money}").format(money=money(found.low - total, currency))
        share = None
    elif total > found.high:
        text = _("above range by {money}").format(money=money(total - found.high, currency))
        share = None
    else:
        width = found.high - found.low
        share = ((total - found.low) * 100 / width).quantize(Decimal(1)) if width else \
            Decimal(100)
        text = _("in range, {number}% of the way up").format(number=number(share))
    return MarketPosition(found, f"{found.label()}: {text}", share)
