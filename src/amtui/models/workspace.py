"""Settings of a workspace, read from its ``workspace.toml``."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from amtui.i18n import _
from amtui.models.clients import check_timezone
from amtui.models.work import DEFAULT_COLUMNS, DEFAULT_DEPARTMENTS

DEFAULT_URGENT_WORDS = ("срочно", "упал", "не работает", "не открывается", "urgent", "down",
                        "asap")
"""Words that make a client's message urgent, unless ``urgent_words`` says otherwise."""


def _is_day(value: Any) -> bool:
    if isinstance(value, date):
        return not isinstance(value, datetime)
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class StoreSettings(BaseModel):
    """``[store]`` in ``workspace.toml``: where the records live. The connection to a database
    is never written here (the file is shared): it comes from ``AMTUI_DATABASE_URL`` or
    libpq's own settings (a service, ``PGHOST``…, ``~/.pgpass``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    backend: Literal["files", "postgresql"] = "files"
    """``files`` (the workspace folder's ``data/``) or ``postgresql``."""
    schema_name: str = Field(default="amtui", alias="schema",
                             pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    """The PostgreSQL schema that holds the workspace's tables."""
    service: str = Field(default="", pattern=r"^[A-Za-z0-9_.-]*$", max_length=200)
    """A libpq service (``~/.pg_service.conf``) to connect with; empty: the environment's."""

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: Any) -> Any:
        if isinstance(data, dict) and any("password" in str(key).casefold() for key in data):
            raise ValueError(_("[store] must not hold a password (workspace.toml is shared): "
                               "put it in ~/.pgpass or AMTUI_DATABASE_URL"))
        return data


class WorkspaceSettings(BaseModel):
    """Everything in ``workspace.toml``; unknown sections are kept for plugins."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    name: str = Field(default="Workspace", min_length=1, max_length=200)
    currency: str = Field(default="RUB", pattern=r"^[A-Z]{3}$")
    """Currency of revenue and costs that do not name their own."""
    locale: str = "ru_RU"
    timezone: str = "Europe/Moscow"
    """The agency's own time zone."""
    country: str = "RU"
    """Whose public holidays are days off (an ISO 3166 code such as "RU"; "" for none)."""
    days_off: list[date] = Field(default_factory=list, max_length=1000)
    """The workspace's own days off, besides the country's public holidays."""
    working_days: list[date] = Field(default_factory=list, max_length=1000)
    """Days worked although they are a weekend or a public holiday."""
    departments: list[str] = Field(default_factory=lambda: list(DEFAULT_DEPARTMENTS))
    columns: list[str] = Field(default_factory=lambda: list(DEFAULT_COLUMNS), min_length=1)
    """Board columns, left to right (ids stored on tasks; the last one means done)."""
    column_titles: dict[str, str] = Field(default_factory=dict)
    """Column id → the title shown, to rename a column without touching its tasks."""
    wip_limits: dict[str, Annotated[int, Field(ge=1)]] = Field(default_factory=dict)
    """Column id → most tasks it may hold."""
    board_done_days: int = Field(default=14, ge=0, le=3650)
    """Done tasks older than this are counted on the board, not shown as cards."""
    answer_within_hours: int = Field(default=4, ge=1, le=24 * 30)
    """Working hours within which a client message must be answered."""
    urgent_answer_minutes: int = Field(default=60, ge=1, le=60 * 24 * 30)
    """Working minutes within which an urgent message must be answered (instead of
    ``answer_within_hours``)."""
    urgent_words: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=lambda: list(DEFAULT_URGENT_WORDS), max_length=500)
    """A message whose text has one of these (as a word or with an ending of up to three
    letters, in any case, ё as е) is urgent, as is one of urgent priority."""
    push_client_after_days: int = Field(default=3, ge=1, le=365)
    stale_after_days: int = Field(default=5, ge=1, le=365)
    """A task in one column (with its department) this long is flagged on the Board and Today."""
    """A task waiting on the client this long shows on Today: time to push the client."""
    dormant_contact_days: int = Field(default=60, ge=1, le=3650)
    """A dormant client not contacted this long shows on Today, to offer them something."""
    remarket_after_days: int = Field(default=14, ge=1, le=3650)
    """A client whose last work was delivered this long ago, with nothing open, shows on Today."""
    disabled_plugins: list[str] = Field(default_factory=list)
    store: StoreSettings = Field(default_factory=StoreSettings)
    """Where the records live: ``[store] backend = "postgresql"`` (see docs/teams.md)."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id → keys, e.g. ``"board.move_right" = "L"``."""

    @field_validator("country")
    @classmethod
    def _country(cls, code: str) -> str:
        if not re.fullmatch(r"([A-Za-z]{2})?", code):
            raise ValueError(_("{code!r} is not a two-letter country code such as RU").format(
                code=code[:40]))
        return code.upper()

    @field_validator("days_off", "working_days", mode="before")
    @classmethod
    def _days(cls, days: Any) -> Any:
        """Days written as TOML dates (``2026-12-31``) or strings (``"2026-12-31"``)."""
        for day in days if isinstance(days, list) else ():
            if not _is_day(day):
                raise ValueError(_("{day!r} is not a day: write it as 2026-12-31").format(
                    day=str(day)[:40]))
        return days

    def model_post_init(self, __context: object) -> None:
        check_timezone(self.timezone)
        both = sorted(set(self.days_off) & set(self.working_days))
        if both:
            raise ValueError(_("days_off and working_days both name {day}").format(
                day=both[0].isoformat()))
        if len(set(self.columns)) != len(self.columns):
            raise ValueError(_("columns: a column is named twice"))
        unknown = sorted(set(self.wip_limits) - set(self.columns))
        if unknown:
            raise ValueError(_("wip_limits: {unknown!r} is not one of the columns").format(
                unknown=unknown[0]))
