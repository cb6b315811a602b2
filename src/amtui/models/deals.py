"""Deals with clients, and the people on our side."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from amtui.i18n import _
from amtui.models.base import Day, Money, NonBlank, Record, ShortText


class DealStatus(StrEnum):
    """Where a deal stands: from a proposal to won or lost."""

    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


class Deal(Record):
    """A contract or an offer to a client."""

    table = "deals"
    references = {"client_id": "clients", "owner_id": "members"}

    client_id: str
    title: NonBlank
    amount: Money
    status: DealStatus = DealStatus.PROPOSAL
    owner_id: str | None = None
    signed_on: Day | None = None
    paid_on: Day | None = None

    @model_validator(mode="after")
    def _paid_after_signed(self) -> Deal:
        if self.signed_on and self.paid_on and self.paid_on < self.signed_on:
            raise ValueError(
                _("paid on {paid_on} is before the deal was signed on {signed_on}").format(
                    paid_on=self.paid_on, signed_on=self.signed_on)
            )
        return self


class Role(StrEnum):
    """A team member's role in the agency."""

    ACCOUNT_MANAGER = "account_manager"
    KAM = "kam"
    ASSISTANT = "assistant"
    HEAD = "head"


class Member(Record):
    """A person on our side: an account manager, a KAM, an assistant, the head."""

    table = "members"

    name: NonBlank
    role: Role = Role.ACCOUNT_MANAGER
    login: str = Field(default="", max_length=64)
    """The OS login the member uses on the shared host."""
    email: ShortText = ""
