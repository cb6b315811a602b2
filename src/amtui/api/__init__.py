"""Everything a plugin may import from amtui, and nothing else is public.

Importing this module is cheap and imports no Textual: the hook marker and the types a plugin
registers come from :mod:`amtui.plugins.specs`; record models, the store and the text helpers
are imported on first use of their name. The UI building blocks (a pane base class, tables,
forms) are in :mod:`amtui.api.ui`, which imports Textual: import it inside a pane's factory.

What is here is stable within a major version of amtui; anything imported from another
``amtui`` module may change without notice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from amtui.plugins.app import PluginApp
from amtui.plugins.specs import (
    AgendaEntry,
    CliCommand,
    ClientSection,
    CommandSpec,
    EntryAction,
    Event,
    PaneSpec,
    SettingsSection,
    TableSpec,
    ThemeSpec,
    TimelineItem,
    hookimpl,
)

_LAZY = {
    # records
    **dict.fromkeys(
        ("Record", "Money", "Channel", "Priority", "Client", "Contact", "Message", "Task",
         "Note", "Deal", "Member", "NoteKind", "MessageStatus", "MessageKind", "Direction",
         "ClientStatus", "DealStatus", "Role", "Influence", "RelationshipStage", "ChecklistItem",
         "new_id", "describe_validation_error", "in_own_words", "problem_field", "problem_message"),
        "amtui.models"),
    # field types for a plugin's own records: a UTC moment, a YYYY-MM-DD day, a non-empty name,
    # a short text; and the bounds of money and dates every record keeps to
    **dict.fromkeys(("Moment", "Day", "NonBlank", "ShortText", "check_amount", "check_day"),
                    "amtui.models.base"),
    # a department in plain words in the language in use ("context_ads": «контекст»)
    "department": "amtui.models.work",
    # money in the current locale: one formatter, one parser, the currency's digits
    **dict.fromkeys(("format_money", "format_amount", "format_number", "parse_money", "minor_unit",
                     "MoneyError", "MAX_AMOUNT"), "amtui.money"),
    # what a change returns so that ``u`` can revert it (see ``amtui.api.ui.save_change``)
    "Undo": "amtui.services.undo",
    # working time: days of the week as typed ("Mon-Fri", "пн–пт"), and which days are worked
    # (public holidays of the workspace's country, its own days off): WorkingDays.of(settings)
    **dict.fromkeys(("parse_weekdays", "describe_weekdays", "WorkingDays"),
                    "amtui.services.hours"),
    # the domain's facts, decided in one place (see amtui.services.rules)
    **dict.fromkeys(("message_open", "message_late", "message_snoozed", "task_overdue",
                     "task_due_within", "OPEN_MESSAGE_STATUSES"), "amtui.services.rules"),
    # the store
    **dict.fromkeys(
        ("Workspace", "Repository", "StorageError", "ConflictError", "InvalidRecord",
         "RecordNotFound", "ReadOnlyError", "TrashBin", "os_user"),
        "amtui.storage"),
    # several changes, all or nothing: what ``workspace.transaction(...)`` gives
    "Transaction": "amtui.storage.workspace",
    # exports: a file written whole (temp file, fsync, rename)
    "write_text_file": "amtui.storage.files",
    # TOML written by tomlkit, strings escaped so that a printed file is safe (never by hand)
    "toml_string": "amtui.storage.toml_files", "toml_value": "amtui.storage.toml_files",
    # text and translation
    "visible": "amtui.text", "one_line": "amtui.text", "fold": "amtui.text",
    # days as people type them (one reader for every date field) and days, times and lengths
    # of time as they read them, in the current locale (see amtui.dates)
    # a moment in the agency's time ("today 10:30", "03.12 10:30", ``day_and_time``), and
    # in another zone, saying whose, when it keeps another time (``elsewhere``)
    **dict.fromkeys(("BadDate", "parse_date", "today_of", "duration", "format_day",
                     "format_moment", "weekday_names", "zone_city", "agency_zone",
                     "day_and_time", "elsewhere", "zone_label", "WEEKDAY", "DAY_MONTH",
                     "DAY_MONTH_YEAR", "WEEKDAY_DAY", "WEEKDAY_DAY_MONTH",
                     "WEEKDAY_DAY_MONTH_YEAR", "LONG_DAY", "MONTH_YEAR", "MONTH", "TIME"),
                    "amtui.dates"),
    # a command's output, made visible on the way to the terminal
    "echo": "amtui.cli.output", "echo_json": "amtui.cli.output",
    # a plugin's own catalogue: ``Domain.beside(__file__)`` (see docs/plugins.md); the locale
    # dates, numbers and money are shown in
    **dict.fromkeys(("_", "N_", "ngettext", "Domain", "current_locale"), "amtui.i18n"),
}

__all__ = [
    "AgendaEntry", "CliCommand", "ClientSection", "CommandSpec", "EntryAction", "Event",
    "PaneSpec", "PluginApp",
    "SettingsSection", "TableSpec", "ThemeSpec", "TimelineItem", "hookimpl", *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"amtui.api has no {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # what type checkers see: the same names, imported at once
    from amtui.cli.output import (
        echo as echo,
        echo_json as echo_json,
    )
    from amtui.dates import (
        DAY_MONTH as DAY_MONTH,
        DAY_MONTH_YEAR as DAY_MONTH_YEAR,
        LONG_DAY as LONG_DAY,
        MONTH as MONTH,
        MONTH_YEAR as MONTH_YEAR,
        TIME as TIME,
        WEEKDAY as WEEKDAY,
        WEEKDAY_DAY as WEEKDAY_DAY,
        WEEKDAY_DAY_MONTH as WEEKDAY_DAY_MONTH,
        WEEKDAY_DAY_MONTH_YEAR as WEEKDAY_DAY_MONTH_YEAR,
        BadDate as BadDate,
        agency_zone as agency_zone,
        day_and_time as day_and_time,
        duration as duration,
        elsewhere as elsewhere,
        format_day as format_day,
        format_moment as format_moment,
        parse_date as parse_date,
        today_of as today_of,
        weekday_names as weekday_names,
        zone_city as zone_city,
        zone_label as zone_label,
    )
    from amtui.i18n import (
        N_ as N_,
        Domain as Domain,
        _ as _,
        current_locale as current_locale,
        ngettext as ngettext,
    )
    from amtui.models import (
        Channel as Channel,
        ChecklistItem as ChecklistItem,
        Client as Client,
        ClientStatus as ClientStatus,
        Contact as Contact,
        Deal as Deal,
        DealStatus as DealStatus,
        Direction as Direction,
        Influence as Influence,
        Member as Member,
        Message as Message,
        MessageKind as MessageKind,
        MessageStatus as MessageStatus,
        Money as Money,
        Note as Note,
        NoteKind as NoteKind,
        Priority as Priority,
        Record as Record,
        RelationshipStage as RelationshipStage,
        Role as Role,
        Task as Task,
        describe_validation_error as describe_validation_error,
        in_own_words as in_own_words,
        new_id as new_id,
        problem_field as problem_field,
        problem_message as problem_message,
    )
    from amtui.models.base import (
        Day as Day,
        Moment as Moment,
        NonBlank as NonBlank,
        ShortText as ShortText,
        check_amount as check_amount,
        check_day as check_day,
    )
    from amtui.models.work import department as department
    from amtui.money import (
        MAX_AMOUNT as MAX_AMOUNT,
        MoneyError as MoneyError,
        format_amount as format_amount,
        format_money as format_money,
        format_number as format_number,
        minor_unit as minor_unit,
        parse_money as parse_money,
    )
    from amtui.services.hours import (
        WorkingDays as WorkingDays,
        describe_weekdays as describe_weekdays,
        parse_weekdays as parse_weekdays,
    )
    from amtui.services.rules import (
        OPEN_MESSAGE_STATUSES as OPEN_MESSAGE_STATUSES,
        message_late as message_late,
        message_open as message_open,
        message_snoozed as message_snoozed,
        task_due_within as task_due_within,
        task_overdue as task_overdue,
    )
    from amtui.services.undo import (
        Undo as Undo,
    )
    from amtui.storage import (
        ConflictError as ConflictError,
        InvalidRecord as InvalidRecord,
        ReadOnlyError as ReadOnlyError,
        RecordNotFound as RecordNotFound,
        Repository as Repository,
        StorageError as StorageError,
        TrashBin as TrashBin,
        Workspace as Workspace,
        os_user as os_user,
    )
    from amtui.storage.files import (
        write_text_file as write_text_file,
    )
    from amtui.storage.toml_files import (
        toml_string as toml_string,
        toml_value as toml_value,
    )
    from amtui.storage.workspace import (
        Transaction as Transaction,
    )
    from amtui.text import (
        fold as fold,
        one_line as one_line,
        visible as visible,
    )
