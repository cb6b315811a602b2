"""Export a table as CSV, JSON or XLSX; contacts as vCard, tasks as iCalendar, notes as Markdown.

The columns are the field names :mod:`amtui.services.importing` reads, so an export imports
back with no ``--map``: a client, contact or member is named rather than given by id, dates are
ISO (``2026-11-26``), money a plain decimal (``1200000.50``) with its currency beside it.
Messages and notes export the same way (the importer takes messages from mail, not tables).

For spreadsheets a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` would be read as a
formula: a CSV puts an apostrophe before it (the importer takes it off again), an XLSX stores
every text cell as text, which Excel never evaluates; JSON keeps every text exactly.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.i18n import _
from amtui.services import rules

if TYPE_CHECKING:
    from amtui.storage import Workspace

Raw = dict[str, Any]

TABLES = ("clients", "contacts", "deals", "tasks", "messages", "notes")
FORMATS = ("csv", "json", "xlsx", "vcf", "ics", "markdown")
ONLY_FOR = {"vcf": "contacts", "ics": "tasks", "markdown": "notes"}
"""Formats that one table alone has."""
TO_FILE = ("xlsx", "markdown")
"""Formats that cannot go to standard output."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "clients": ("id", "name", "tax_id", "kind", "status", "stage", "industry", "owner",
                "key_account", "preferred_channel", "timezone", "cadence", "monthly_revenue",
                "cost_to_serve", "tags"),
    "contacts": ("id", "name", "client", "role", "email", "phone", "messenger", "influence"),
    "deals": ("id", "title", "client", "amount", "currency", "status", "signed_on", "paid_on",
              "owner"),
    "tasks": ("id", "title", "description", "client", "due", "department", "assignee",
              "column", "priority", "estimate_hours"),
    "messages": ("id", "client", "contact", "channel", "direction", "kind", "status",
                 "priority", "text", "received_at", "answer_by", "assignee", "snoozed_until",
                 "external_id"),
    "notes": ("id", "title", "client", "kind", "tags", "pinned", "body", "created_at",
              "updated_at"),
}
"""Each table's columns: amtui's field names as the importer reads them (``id`` it ignores)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula."""

BOM = "\ufeff"


class ExportRefused(ValueError):
    """Bad input for an export (a table or format amtui lacks, an output it cannot write):
    nothing was written."""


@dataclass
class Filters:
    """Which records an export takes: one client's (by name or id), only open ones."""

    client: str | None = None
    open_only: bool = False


def check_choice(table: str, form: str, output: Path | None) -> None:
    """ExportRefused unless ``table`` can be exported as ``form`` to ``output``."""
    if table not in TABLES:
        raise ExportRefused(_("no table {table!r} to export (tables: {tables})").format(
            table=table, tables=", ".join(TABLES)))
    if form not in FORMATS:
        raise ExportRefused(_("no format {form!r} (formats: {formats})").format(
            form=form, formats=", ".join(FORMATS)))
    if form in ONLY_FOR and ONLY_FOR[form] != table:
        raise ExportRefused(_("--format {form} is for {table} only").format(
            form=form, table=ONLY_FOR[form]))
    if form in TO_FILE and output is None:
        raise ExportRefused(_("--format {form} needs --output").format(form=form))


# Records as rows


def records(workspace: Workspace, table: str, filters: Filters | None = None) -> list[Raw]:
    """The table's records that ``filters`` take, oldest first."""
    filters = filters or Filters()
    client_id = _client_id(workspace, filters.client) if filters.client else None
    done = workspace.settings.columns[-1]
    chosen = []
    for raw in workspace.file(table).scan():
        if client_id is not None and raw.get("client_id" if table != "clients" else "id") \
                != client_id:
            continue
        if filters.open_only and not _open(raw, table, done):
            continue
        chosen.append(raw)
    return sorted(chosen, key=lambda raw: str(raw.get("id")))


def _open(raw: Raw, table: str, done: str) -> bool:
    """Whether a record is open: a task not done, a message awaiting our answer (as
    :mod:`amtui.services.rules` says), a deal neither won nor lost, a client not churned."""
    if table == "tasks":
        return rules.task_open(raw, done)
    if table == "messages":
        return rules.message_open(raw)
    if table == "deals":
        return raw.get("status") not in ("won", "lost")
    if table == "clients":
        return raw.get("status") != "churned"
    return True


def _client_id(workspace: Workspace, name: str) -> str:
    # lazy: pydantic, loaded on first use
    from amtui.models import Client
    from amtui.storage.errors import RecordNotFound

    try:
        return workspace.repo(Client).resolve(name).id
    except RecordNotFound as error:
        raise ExportRefused(f"--client: {error}") from None


class Names:
    """Ids of clients, contacts and members → their names, read once."""

    def __init__(self, workspace: Workspace) -> None:
        self.tables = {table: {raw["id"]: str(raw.get("name") or "")
                               for raw in workspace.file(table).scan()}
                       for table in ("clients", "contacts", "members")}

    def of(self, table: str, record_id: object) -> str:
        return self.tables[table].get(str(record_id), "") if record_id else ""


def rows(table: str, chosen: list[Raw], names: Names) -> Iterator[dict[str, Any]]:
    """Each record's cells by column: dates and decimals as they are, names for ids."""
    for raw in chosen:
        values: dict[str, Any] = {}
        for column in COLUMNS[table]:
            values[column] = _cell(table, column, raw, names)
        yield values


def _cell(table: str, column: str, raw: Raw, names: Names) -> Any:
    if column == "client":
        return names.of("clients", raw.get("client_id"))
    if column == "contact":
        return names.of("contacts", raw.get("contact_id"))
    if column == "owner":
        return names.of("members", raw.get("owner_id"))
    if column == "assignee" and table == "messages":
        return names.of("members", raw.get("assignee_id"))
    if table == "deals" and column in ("amount", "currency"):
        money = raw.get("amount") or {}
        return Decimal(str(money.get("amount", "0"))) if column == "amount" \
            else str(money.get("currency", ""))
    value = raw.get(column)
    if column in ("monthly_revenue", "cost_to_serve", "estimate_hours") and value is not None:
        return Decimal(str(value))
    if column in ("due", "signed_on", "paid_on") and value:
        return date.fromisoformat(str(value))
    if column == "tags":
        return ", ".join(str(tag) for tag in value or [])
    return "" if value is None else value


def _plain(value: Any, decimal_comma: bool = False) -> str:
    """A cell as text: yes/no, ISO dates, decimals without exponent."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def neutralised(text: str) -> str:
    """A spreadsheet cell that cannot be read as a formula: an apostrophe before text that
    begins like one."""
    return "'" + text if text.startswith(FORMULA_START) else text


# Formats


def as_csv(table: str, chosen: list[Raw], names: Names, *, excel: bool = False) -> bytes:
    """CSV: UTF-8 with ``,``; ``excel``: what Russian Excel opens by a double click (UTF-8
    with a BOM, ``;`` between cells, decimal commas, CRLF). Either way a cell that begins
    like a formula is neutralised: whatever the file is meant for, a spreadsheet may open it."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if excel else ",",
                        lineterminator="\r\n" if excel else "\n")
    writer.writerow(COLUMNS[table])
    for values in rows(table, chosen, names):
        writer.writerow([neutralised(_plain(value, decimal_comma=excel))
                         for value in values.values()])
    return ((BOM if excel else "") + out.getvalue()).encode("utf-8")


def as_json(table: str, chosen: list[Raw], names: Names) -> bytes:
    """A JSON array of objects with the CSV's columns (decimals as strings, flags as
    booleans)."""
    # lazy: orjson, loaded with the store
    import orjson

    objects = [{column: (value if isinstance(value, bool) or not isinstance(
                    value, Decimal | date) else _plain(value))
                for column, value in values.items()}
               for values in rows(table, chosen, names)]
    return orjson.dumps(objects, option=orjson.OPT_INDENT_2) + b"\n"


def as_xlsx(table: str, chosen: list[Raw], names: Names) -> bytes:
    """An Excel workbook, one sheet: text cells stored as text (never a formula), dates as
    dates, amounts as numbers where a number holds them exactly."""
    # lazy: openpyxl, only for .xlsx
    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(table)
    sheet.append(list(COLUMNS[table]))
    for values in rows(table, chosen, names):
        cells: list[Any] = []
        for value in values.values():
            if isinstance(value, bool):
                value = "yes" if value else "no"
            if isinstance(value, Decimal):
                number = float(value)
                cells.append(number if Decimal(repr(number)) == value else format(value, "f"))
                continue
            if isinstance(value, date):
                cells.append(value)
                continue
            cell = openpyxl.cell.WriteOnlyCell(sheet, value=None)
            cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
            cell.data_type = "s"  # text, even when it begins with "="
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_vcards(chosen: list[Raw], names: Names) -> bytes:
    """vCard 3.0, one card per contact: FN and N, ORG (the client), TITLE, EMAIL, TEL, and
    the messenger as IMPP."""
    # lazy: vobject, only for vCard
    import vobject  # type: ignore[import-untyped]

    cards = []
    for raw in chosen:
        card = vobject.vCard()
        name = str(raw.get("name") or "")
        card.add("fn").value = name
        given, _space, family = name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family if given else "",
                                                 given=given or family)
        if client := names.of("clients", raw.get("client_id")):
            card.add("org").value = [client]
        for field, key in (("role", "title"), ("email", "email"), ("phone", "tel")):
            if raw.get(field):
                card.add(key).value = str(raw[field])
        if raw.get("messenger"):
            card.add("impp").value = "tg:" + str(raw["messenger"])
        card.add("uid").value = f"{raw['id']}@amtui"
        cards.append(card.serialize())
    return "".join(cards).encode("utf-8")


def as_ics(chosen: list[Raw], names: Names, workspace_name: str) -> bytes:
    """An iCalendar file: each task with a due date as an all-day event on that day (which
    every calendar shows), its client and department in the description."""
    # lazy: icalendar, only for .ics
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//amtui//tasks//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", workspace_name)
    for raw in chosen:
        if not raw.get("due"):
            continue
        due = date.fromisoformat(str(raw["due"]))
        event = icalendar.Event()
        event.add("uid", f"{raw['id']}@amtui")
        event.add("summary", str(raw.get("title") or ""))
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("dtstamp", datetime.fromisoformat(str(raw.get("updated_at"))))
        client = names.of("clients", raw.get("client_id"))
        about = [part for part in (client, str(raw.get("department") or ""),
                                   str(raw.get("description") or "")) if part]
        if about:
            event.add("description", "\n".join(about))
        event.add("categories", [str(raw.get("column") or "")])
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def write_notes(folder: Path, chosen: list[Raw], names: Names) -> list[Path]:
    """Each note as ``<title>.md`` with front matter, in ``folder``: made new, or an empty
    folder (never a link); no file is overwritten and no link followed."""
    if folder.is_symlink():
        raise ExportRefused(_("{folder} is a symbolic link").format(folder=folder))
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        if not folder.is_dir():
            raise ExportRefused(_("{folder} is a file, not a folder").format(
                folder=folder)) from None
        if any(folder.iterdir()):
            raise ExportRefused(_("{folder} is not empty: give a new or empty folder").format(
                folder=folder)) from None
    except OSError as error:
        raise ExportRefused(f"{folder}: {error.strerror}") from None
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    written = []
    try:
        taken: set[str] = set()
        for raw in chosen:
            name = _note_file_name(str(raw.get("title") or ""), taken)
            text = front_matter(raw, names) + str(raw.get("body") or "")
            if not text.endswith("\n"):
                text += "\n"
            handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                             0o644, dir_fd=fd)
            with os.fdopen(handle, "wb") as out:
                out.write(text.encode("utf-8"))
            written.append(folder / name)
    finally:
        os.close(fd)
    return written


def _note_file_name(title: str, taken: set[str]) -> str:
    """A safe file name from a title, new in this export: «План (2).md» after «План.md»."""
    # lazy: pydantic, loaded on first use
    from amtui.services.mail_import import safe_name

    stem = safe_name(" ".join(title.split()))[:100].strip(" .") or "note"
    name, number = f"{stem}.md", 1
    while name.casefold() in taken:
        number += 1
        name = f"{stem} ({number}).md"
    taken.add(name.casefold())
    return name


def front_matter(raw: Raw, names: Names) -> str:
    """The note's fields as YAML front matter (strings quoted as JSON, which YAML reads)."""
    # lazy: orjson, loaded with the store
    import orjson

    def quoted(value: object) -> str:
        return orjson.dumps(str(value)).decode()

    lines = ["---", f"id: {quoted(raw['id'])}", f"title: {quoted(raw.get('title', ''))}"]
    if client := names.of("clients", raw.get("client_id")):
        lines.append(f"client: {quoted(client)}")
    lines.append(f"kind: {quoted(raw.get('kind', ''))}")
    lines.append("tags: [" + ", ".join(quoted(tag) for tag in raw.get("tags") or []) + "]")
    lines.append(f"pinned: {'true' if raw.get('pinned') else 'false'}")
    for moment in ("created_at", "updated_at"):
        if raw.get(moment):
            lines.append(f"{moment}: {quoted(raw[moment])}")
    return "\n".join(lines) + "\n---\n\n"


# The export


@dataclass
class Exported:
    """What an export wrote."""

    table: str
    form: str
    count: int
    output: Path | None
    files: int = 1

    def as_json(self) -> dict[str, Any]:
        return {"table": self.table, "format": self.form, "records": self.count,
                "output": str(self.output) if self.output else None, "files": self.files}


def export(workspace: Workspace, table: str, form: str, output: Path | None, *,
           excel: bool = False, filters: Filters | None = None,
           write: Callable[[bytes], None] | None = None) -> Exported:
    """Export ``table`` as ``form`` to the file ``output`` (written whole, atomically), or
    through ``write`` (standard output) when there is none."""
    check_choice(table, form, output)
    if output is not None and form != "markdown":
        check_output(output)
    chosen = records(workspace, table, filters)
    names = Names(workspace)
    if form == "markdown":
        assert output is not None
        files = write_notes(output, chosen, names)
        return Exported(table, form, len(chosen), output, len(files))
    if form == "csv":
        data = as_csv(table, chosen, names, excel=excel)
    elif form == "json":
        data = as_json(table, chosen, names)
    elif form == "xlsx":
        data = as_xlsx(table, chosen, names)
    elif form == "vcf":
        data = as_vcards(chosen, names)
    else:
        chosen = [raw for raw in chosen if raw.get("due")]
        data = as_ics(chosen, names, workspace.settings.name)
    if output is None:
        assert write is not None
        write(data)
    else:
        write_file(output, data)
    return Exported(table, form, len(chosen), output)


def check_output(output: Path) -> None:
    """ExportRefused unless a file can be written at ``output``: its folder exists and may be
    written, and it is not a folder or a device."""
    if output.is_dir():
        raise ExportRefused(_("{output} is a folder; give a file name").format(output=output))
    if output.exists() and not output.is_file():
        raise ExportRefused(_("{output} is not a regular file; give a file name").format(
            output=output))
    folder = output.parent
    if not folder.is_dir():
        raise ExportRefused(_("{folder}: no such folder").format(folder=folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportRefused(_("{folder}: this user may not write there").format(folder=folder))


def write_file(output: Path, data: bytes) -> None:
    """Write an export whole: readers see the old file or the new (0644)."""
    # lazy: pydantic, loaded on first use
    from amtui.storage.files import atomic_write

    atomic_write(output, data, 0o644)
