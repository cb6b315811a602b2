"""Import clients, contacts, deals and tasks from CSV, XLSX and vCard files.

A file is read whole (:func:`read_file`): CSV in UTF-8 (with or without a BOM), UTF-16 or
cp1251, with ``;``, ``,`` or tab between the cells, told apart from its bytes; XLSX through
openpyxl (imported only for an ``.xlsx``); vCard (``.vcf``) through vobject, for contacts. Its
columns are mapped to amtui's fields by their headers (:func:`map_columns`): the user's
``--map``, then the preset of the CRM that made the file (HubSpot, amoCRM, Bitrix24, chosen or
recognised by its headers), then the English and Russian names of amtui's own fields.

:func:`plan_import` turns the rows into records (checked by the models), finds the duplicates
(against the store and within the file) and says for each row what happens to it;
:func:`run_import` does it in one transaction, under the tables' locks, or nothing at all.
"""

from __future__ import annotations

import csv
import io
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zipfile import BadZipFile

import orjson
from pydantic import ValidationError

from amtui.dates import parse_date
from amtui.i18n import _, ngettext
from amtui.models import Client, Contact, Deal, Record, Task, describe_validation_error
from amtui.models.base import Channel, Money, Priority
from amtui.models.clients import Cadence, ClientKind, ClientStatus, Influence, RelationshipStage
from amtui.models.deals import DealStatus
from amtui.money import parse_money
from amtui.services.clients import client_name_key, parse_tags
from amtui.services.undo import Undo
from amtui.text import fold, one_line

if TYPE_CHECKING:
    from amtui.storage import Workspace
    from amtui.storage.workspace import Transaction

Raw = dict[str, Any]
Values = dict[str, Any]
"""One row's cells by amtui field name (text, or a date or number from a spreadsheet)."""

TABLES = ("clients", "contacts", "deals", "tasks")
SPREADSHEETS = (".xlsx", ".xlsm")
VCARDS = (".vcf", ".vcard")
PROGRESS_EVERY = 500
"""Rows between two calls of the progress callback."""


class UnreadableFile(ValueError):
    """The file cannot be imported at all (not readable, no header, no column for a field
    every record needs): bad input, nothing is imported."""


class BadRow(ValueError):
    """What is wrong with one row, in the words shown after its line number."""


# Values: the adapters to the project's parsers of money and dates


def read_amount(value: object, currency: str = "XXX") -> Decimal:
    """An amount of ``currency`` as a file holds it ("1 200 000,50", "1,200,000.50", a
    spreadsheet number): through the parser every amount typed in amtui goes through."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))

    return parse_money(str(value), currency)


_DOTTED = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})(?:[ T,]+\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}.*)?")


def read_day(value: object) -> date:
    """The day a cell names: ``2026-11-26``, ``26.11.2026`` (a time after either is ignored, as
    exports write one), a spreadsheet date, or anything else a date field takes
    (:func:`amtui.dates.parse_date`)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if dotted := _DOTTED.fullmatch(text):
        day, month, year = (int(part) for part in dotted.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(_("{text} is not a date that exists").format(text=text)) from None
    if iso := _ISO.fullmatch(text):
        try:
            return date.fromisoformat(iso.group(1))
        except ValueError:
            raise ValueError(_("{text} is not a date that exists").format(text=text)) from None

    return parse_date(text)


def _text(value: object) -> str:
    """A cell as text: a whole number without ``.0``, a date as YYYY-MM-DD."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(" ", "minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


_YES = {"1", "yes", "y", "true", "да", "д", "+", "x", "✓"}
_NO = {"0", "no", "n", "false", "нет", "н", "-", ""}


def _flag(value: object) -> bool:
    text = fold(_text(value))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("«{text}» is not yes or no").format(text=one_line(_text(value), 40)))


def _choice(value: object, kind: type[StrEnum], synonyms: Mapping[str, str] = {}) -> str:
    """The value of ``kind`` a cell names: its own value (any case) or a synonym."""
    text = fold(_text(value))
    known = {member.value for member in kind}
    if text in known:
        return text
    for word, meant in synonyms.items():
        if word in text:
            return meant
    raise ValueError(_("«{text}» is not one of {choices}").format(
        text=one_line(_text(value), 40), choices=", ".join(sorted(known))))


def _tags(value: object) -> list[str]:
    return parse_tags(_text(value).replace(";", ","))


STATUS_WORDS = {"лид": "lead", "lead": "lead", "потенц": "lead", "subscriber": "lead",
                "opportunity": "lead", "prospect": "lead", "customer": "active",
                "клиент": "active", "актив": "active", "действ": "active", "спящ": "dormant",
                "evangelist": "active", "other": "active", "dormant": "dormant",
                "неактив": "dormant", "ушел": "churned",
                "отток": "churned", "churn": "churned", "former": "churned"}
"""Client statuses as files say them (HubSpot's lifecycle stages among them)."""
DEAL_WORDS = {"won": "won", "успеш": "won", "выигр": "won", "lost": "lost", "провал": "lost",
              "не реализ": "lost", "проигр": "lost", "отказ": "lost", "закрыто и не": "lost",
              "proposal": "proposal", "предлож": "proposal", "нов": "proposal",
              "переговор": "negotiation", "negotiation": "negotiation"}
"""Deal stages as CRMs name them: won and lost; any other stage is negotiation."""
PRIORITY_WORDS = {"высок": "high", "важн": "high", "срочн": "urgent", "низк": "low",
                  "обычн": "normal", "средн": "normal", "medium": "normal", "none": "normal"}
CHANNEL_WORDS = {"телеграм": "telegram", "tg": "telegram", "ватсап": "whatsapp",
                 "whats": "whatsapp", "почт": "email", "mail": "email", "телефон": "phone",
                 "звон": "phone", "встреч": "meeting", "сайт": "site"}
KIND_WORDS = {"физ": "b2c", "person": "b2c", "частн": "b2c", "юр": "b2b", "компан": "b2b",
              "company": "b2b"}
CADENCE_WORDS = {"ежедн": "daily", "кажд день": "daily", "еженед": "weekly",
                 "раз в неделю": "weekly", "раз в две": "biweekly", "ежемес": "monthly",
                 "раз в месяц": "monthly", "нет": "none"}
STAGE_WORDS = {"тактич": "tactical", "операц": "operational", "функц": "functional",
               "стратег": "strategic"}
INFLUENCE_WORDS = {"лпр": "decision_maker", "decision": "decision_maker", "чемпион": "champion",
                   "блок": "blocker", "участ": "stakeholder"}


# Fields: amtui's own, with the headers that name them in English and Russian


FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "clients": {
        "name": ("name", "client", "company", "company name", "название", "клиент", "компания",
                 "наименование", "название компании", "организация"),
        "tax_id": ("tax id", "tax_id", "inn", "инн", "tin", "vat"),
        "kind": ("kind", "тип", "тип клиента", "вид"),
        "status": ("status", "статус"),
        "stage": ("stage", "стадия отношений", "уровень"),
        "industry": ("industry", "отрасль", "сфера", "сфера деятельности"),
        "owner": ("owner", "manager", "ответственный", "менеджер", "владелец"),
        "key_account": ("key account", "key_account", "ключевой", "ключевой клиент"),
        "preferred_channel": ("channel", "preferred channel", "preferred_channel", "канал"),
        "timezone": ("timezone", "time zone", "часовой пояс"),
        "cadence": ("cadence", "частота отчётов", "частота"),
        "monthly_revenue": ("monthly revenue", "monthly_revenue", "revenue", "выручка",
                            "выручка в месяц", "доход в месяц"),
        "cost_to_serve": ("cost to serve", "cost_to_serve", "cost", "затраты",
                          "затраты в месяц", "себестоимость"),
        "tags": ("tags", "теги", "метки"),
        "email": ("email", "e-mail", "почта", "электронная почта"),
        "domain": ("domain", "website", "site", "web", "сайт", "домен"),
    },
    "contacts": {
        "name": ("name", "full name", "contact", "имя контакта", "фио", "контакт",
                 "полное имя", "полное имя контакта", "контактное лицо"),
        "first_name": ("first name", "first_name", "имя"),
        "middle_name": ("middle name", "middle_name", "отчество"),
        "last_name": ("last name", "last_name", "surname", "фамилия"),
        "client": ("client", "company", "organization", "org", "клиент", "компания",
                   "организация", "компания контакта"),
        "role": ("role", "title", "job title", "position", "должность", "роль"),
        "email": ("email", "e-mail", "почта", "электронная почта"),
        "phone": ("phone", "телефон", "мобильный", "мобильный телефон"),
        "messenger": ("messenger", "telegram", "мессенджер", "телеграм"),
        "influence": ("influence", "влияние", "роль в решении"),
    },
    "deals": {
        "title": ("title", "deal", "name", "сделка", "название", "название сделки"),
        "client": ("client", "company", "клиент", "компания"),
        "amount": ("amount", "sum", "сумма", "бюджет"),
        "currency": ("currency", "валюта"),
        "status": ("status", "stage", "статус", "этап", "стадия"),
        "signed_on": ("signed", "signed on", "signed_on", "подписан", "дата подписания"),
        "paid_on": ("paid", "paid on", "paid_on", "оплачен", "дата оплаты"),
        "owner": ("owner", "manager", "ответственный", "менеджер"),
    },
    "tasks": {
        "title": ("title", "task", "name", "задача", "название"),
        "description": ("description", "описание"),
        "client": ("client", "company", "клиент", "компания"),
        "due": ("due", "due date", "deadline", "срок", "крайний срок", "дедлайн"),
        "department": ("department", "отдел"),
        "assignee": ("assignee", "исполнитель"),
        "column": ("column", "колонка"),
        "priority": ("priority", "приоритет"),
        "estimate_hours": ("estimate", "estimate hours", "estimate_hours", "оценка",
                           "оценка в часах"),
    },
}
"""Each table's fields, with the headers (folded) that name them. Fields that are not the
record's own: ``client`` (a client's name or id), ``owner`` (a member's name, login or
e-mail), ``first_name``/``middle_name``/``last_name`` (joined into a contact's name),
``email``/``domain`` of a client (to find it among the stored ones), ``currency``."""

REQUIRED = {"clients": ("name",), "contacts": ("name",), "deals": ("title", "amount"),
            "tasks": ("title",)}

PRESETS: dict[str, dict[str, dict[str, str]]] = {
    "hubspot": {
        "clients": {"record id": "", "company name": "name", "company domain name": "domain",
                    "company owner": "owner", "industry": "industry",
                    "lifecycle stage": "status", "time zone": "timezone",
                    "annual revenue": "", "phone number": "", "city": "",
                    "country/region": "", "create date": ""},
        "contacts": {"record id": "", "first name": "first_name", "last name": "last_name",
                     "email": "email", "phone number": "phone", "mobile phone number": "phone",
                     "job title": "role", "company name": "client",
                     "associated company": "client", "contact owner": "",
                     "lifecycle stage": "", "create date": ""},
        "deals": {"record id": "", "deal name": "title", "deal stage": "status",
                  "amount": "amount", "close date": "signed_on", "deal owner": "owner",
                  "associated company": "client", "pipeline": "", "create date": "",
                  "currency": "currency"},
        "tasks": {"record id": "", "task title": "title", "title": "title",
                  "due date": "due", "priority": "priority", "notes": "description",
                  "task notes": "description", "associated company": "client",
                  "task owner": "", "task status": "", "task type": ""},
    },
    "amocrm": {
        "clients": {"id": "", "наименование": "name", "название компании": "name",
                    "ответственный": "owner", "рабочий телефон": "", "email": "email",
                    "рабочий email": "email", "web": "domain", "адрес": "", "теги": "tags",
                    "дата создания": "", "кем создан": "", "примечание": "",
                    "примечание 1": ""},
        "contacts": {"id": "", "полное имя": "name", "имя": "first_name",
                     "фамилия": "last_name", "компания": "client", "должность": "role",
                     "рабочий телефон": "phone", "мобильный телефон": "phone",
                     "рабочий email": "email", "личный email": "email",
                     "ответственный": "", "теги": "", "дата создания": ""},
        "deals": {"id": "", "название сделки": "title", "бюджет": "amount",
                  "этап сделки": "status", "статус": "status", "компания": "client",
                  "ответственный": "owner", "дата закрытия": "signed_on", "воронка": "",
                  "полное имя контакта": "", "теги": "", "дата создания": ""},
        "tasks": {"id": "", "текст задачи": "title", "срок": "due", "тип задачи": "",
                  "ответственный": "", "результат": "", "компания": "client",
                  "дата создания": ""},
    },
    "bitrix24": {
        "clients": {"id": "", "название компании": "name", "тип компании": "",
                    "сфера деятельности": "industry", "ответственный": "owner",
                    "рабочий телефон": "", "рабочий e-mail": "email",
                    "корпоративный сайт": "domain", "комментарий": "", "инн": "tax_id",
                    "реквизит: инн": "tax_id", "годовой оборот": "", "валюта": "",
                    "дата создания": ""},
        "contacts": {"id": "", "обращение": "", "имя": "first_name", "отчество": "middle_name",
                     "фамилия": "last_name", "должность": "role", "компания": "client",
                     "рабочий телефон": "phone", "мобильный телефон": "phone",
                     "рабочий e-mail": "email", "частный e-mail": "email",
                     "telegram": "messenger", "ответственный": "", "дата создания": ""},
        "deals": {"id": "", "название сделки": "title", "стадия сделки": "status",
                  "сумма": "amount", "валюта": "currency", "компания": "client",
                  "контакт": "", "ответственный": "owner",
                  "предполагаемая дата закрытия": "signed_on", "дата начала": "",
                  "направление": "", "комментарий": "", "дата создания": ""},
        "tasks": {"id": "", "название": "title", "описание": "description",
                  "крайний срок": "due", "статус": "", "постановщик": "",
                  "ответственный": "assignee", "приоритет": "priority", "проект": "",
                  "важная задача": "", "дата создания": ""},
    },
}
"""The columns of each CRM's export (headers folded) → amtui field; "" for a column that is
known to the preset (it counts towards recognising the export) but not imported."""


def header_key(header: object) -> str:
    """A header as it is looked up: folded, spaces collapsed, a trailing ``:`` or ``*`` off."""
    return " ".join(fold(_text(header)).split()).rstrip(":* ").lstrip("\ufeff")


# Reading files


@dataclass
class Sheet:
    """A file's header and rows, each with the line (or spreadsheet row) it starts on."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def read_file(path: Path) -> Sheet:
    """The header and rows of a CSV or XLSX file. UnreadableFile if it cannot be read."""
    if path.suffix.lower() in SPREADSHEETS:
        with _reading(path):
            return _read_xlsx(path)
    with _reading(path):
        data = path.read_bytes()
    if path.suffix.lower() == ".json":
        return read_json(data)
    return read_csv(data)


def read_json(data: bytes) -> Sheet:
    """A JSON array of objects (as `amtui export --format json` writes) as a sheet: the keys
    are the headers; lists are joined with commas."""
    try:
        items = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise UnreadableFile(_("not valid JSON: {reason}").format(reason=error)) from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise UnreadableFile(_("the JSON should be an array of objects, one per record"))
    headers = list(dict.fromkeys(str(key) for item in items for key in item))
    if not headers:
        raise UnreadableFile(_("the file is empty: the first line should name the columns"))

    def cell(value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(part) for part in value)
        return "" if value is None else value

    return Sheet(headers, [(number, [cell(item.get(key)) for key in headers])
                           for number, item in enumerate(items, start=1)])


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Read ``path`` in the block if it is a regular file (not a device such as /dev/zero, a
    pipe or a folder); a file that cannot be read is UnreadableFile, saying why."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise UnreadableFile(_("a folder, not a file") if path.is_dir()
                                 else _("not a regular file"))
        yield
    except FileNotFoundError:
        raise UnreadableFile(_("no such file")) from None
    except IsADirectoryError:
        raise UnreadableFile(_("a folder, not a file")) from None
    except OSError as error:
        raise UnreadableFile(_("cannot read it: {reason}").format(
            reason=error.strerror)) from None


def decode(data: bytes) -> str:
    """Text from the bytes of a CSV file as people have them: UTF-8 with or without a BOM,
    UTF-16 with a BOM (Excel's "Unicode text"), else cp1251 (Russian Excel)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise UnreadableFile(_("the file is neither UTF-8 nor cp1251 text; save it from the "
                               "spreadsheet as CSV UTF-8")) from None


def delimiter_of(text: str) -> str:
    """The delimiter of a CSV text: whichever of ``;``, tab and ``,`` its header line holds
    most of (a header rarely holds one inside a name; numbers with a decimal comma do)."""
    first = text.split("\n", 1)[0]
    counts = {mark: first.count(mark) for mark in (";", "\t", ",")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] else ","


def read_csv(data: bytes) -> Sheet:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    rows: list[tuple[int, list[Any]]] = []
    headers: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            if headers is None:
                if any(cell.strip() for cell in cells):
                    headers = cells
            elif any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise UnreadableFile(_("line {line}: {reason}").format(line=start, reason=error)) \
            from None
    if headers is None:
        raise UnreadableFile(_("the file is empty: the first line should name the columns"))
    return Sheet(headers, rows)


def _read_xlsx(path: Path) -> Sheet:
    # lazy: openpyxl, only for .xlsx
    import openpyxl  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError) as error:
        raise UnreadableFile(_("not an Excel workbook (.xlsx): {reason}").format(
            reason=error)) from None
    try:
        sheet = book.worksheets[0]
        headers: list[str] | None = None
        rows: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(_text(cell) for cell in cells):
                continue
            if headers is None:
                headers = [_text(cell) for cell in cells]
            else:
                rows.append((number, list(cells)))
    finally:
        book.close()
    if headers is None:
        raise UnreadableFile(_("the workbook's first sheet is empty: its first row should "
                               "name the columns"))
    return Sheet(headers, rows)


def read_vcards(path: Path) -> list[tuple[int, Values]]:
    """The contacts of a vCard file, each with the line its card starts on: name (FN, else N),
    client (the first part of ORG), role (TITLE), e-mail, phone and Telegram."""
    with _reading(path):
        text = decode(path.read_bytes())
    cards: list[tuple[int, str]] = []
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().upper() == "BEGIN:VCARD":
            start, lines = number, []
        lines.append(line)
        if line.strip().upper() == "END:VCARD" and start:
            cards.append((start, "\r\n".join(lines) + "\r\n"))
            start = 0
    if not cards:
        raise UnreadableFile(_("holds no vCard (BEGIN:VCARD … END:VCARD)"))
    return [(line, _card_values(card)) for line, card in cards]


def _card_values(card: str) -> Values:
    """One card's values; ``_problem`` says what makes it unreadable."""
    # lazy: vobject, only for vCard
    import vobject  # type: ignore[import-untyped]

    try:
        parsed = vobject.readOne(card)
    except Exception as error:  # vobject raises several kinds for a broken card
        return {"_problem": _("not a readable vCard: {reason}").format(
            reason=one_line(str(error), 80))}
    values: Values = {}

    def first(name: str) -> Any:
        items = parsed.contents.get(name) or []
        return items[0].value if items else None

    name = first("fn")
    if not name and (parts := first("n")) is not None:
        name = " ".join(part for part in (parts.given, parts.additional, parts.family)
                        if isinstance(part, str) and part)
    values["name"] = name or ""
    organisation = first("org")
    if isinstance(organisation, list):
        organisation = organisation[0] if organisation else ""
    values["client"] = organisation or ""
    values["role"] = first("title") or ""
    values["email"] = first("email") or ""
    values["phone"] = first("tel") or ""
    for item in parsed.contents.get("impp", []) + parsed.contents.get("x-telegram", []):
        values["messenger"] = str(item.value).removeprefix("tg:").removeprefix("telegram:")
        break
    return values


# Mapping columns to fields


@dataclass
class ColumnMap:
    """Which columns give which field, and the preset that chose them."""

    columns: dict[str, list[int]]
    """Field → the columns (left to right) that give it: the first with a value wins."""
    preset: str | None
    ignored: list[str] = field(default_factory=list)
    """Headers no field is taken from."""


def parse_map(text: str, table: str) -> dict[str, str]:
    """``--map "Компания=name,ИНН=tax_id"`` → folded header → field."""
    mapping: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        header, equals, name = pair.rpartition("=")
        name = name.strip()
        if not equals or not header.strip():
            raise UnreadableFile(_("--map: «{pair}» is not COLUMN=field").format(pair=pair))
        if name not in FIELDS[table] and name != "-":
            raise UnreadableFile(_("--map: {table} have no field «{name}» (fields: "
                                   "{fields})").format(table=table, name=name,
                                                       fields=", ".join(FIELDS[table])))
        mapping[header_key(header)] = "" if name == "-" else name
    return mapping


def detect_preset(headers: Iterable[str], table: str) -> str | None:
    """The CRM whose export has these headers: the preset that knows most of them (two at
    least, and more than amtui's own names know)."""
    keys = {header_key(header) for header in headers}
    own = {alias for aliases in FIELDS[table].values() for alias in aliases}
    generic = len(keys & own)
    scores = {name: len(keys & set(preset[table])) for name, preset in PRESETS.items()}
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] >= 2 and scores[best] > generic else None


def map_columns(headers: list[str], table: str, preset: str | None = None,
                mapping: str = "") -> ColumnMap:
    """Which column gives which field: ``mapping`` (``--map``) first, then the preset (given,
    or recognised), then amtui's own field names in English and Russian."""
    chosen = parse_map(mapping, table) if mapping else {}
    keys = [header_key(header) for header in headers]
    missing = [header for header in chosen if header not in keys]
    if missing:
        raise UnreadableFile(_("--map: the file has no column «{column}» (columns: "
                               "{columns})").format(column=missing[0],
                                                    columns=", ".join(headers)))
    if preset is None:
        preset = detect_preset(headers, table)
    presets = PRESETS[preset][table] if preset else {}
    own = {alias: name for name, aliases in FIELDS[table].items() for alias in aliases}
    columns: dict[str, list[int]] = {}
    ignored = []
    for index, key in enumerate(keys):
        name = (chosen[key] if key in chosen else presets[key] if key in presets
                else own.get(key, ""))
        if name:
            columns.setdefault(name, []).append(index)
        elif key:
            ignored.append(headers[index])
    for name in REQUIRED[table]:
        if name not in columns and not (name == "name" and table == "contacts"
                                        and {"first_name", "last_name"} & set(columns)):
            raise UnreadableFile(_("no column gives the {table} field «{name}» (columns: "
                                   "{columns}); name one with --map \"COLUMN={name}\"").format(
                table=table, name=name, columns=", ".join(headers)))
    return ColumnMap(columns, preset, ignored)


def row_values(cells: list[Any], mapping: ColumnMap) -> Values:
    """A row's values by field: for each field the first of its columns with a value."""
    values: Values = {}
    for name, indexes in mapping.columns.items():
        for index in indexes:
            value = cells[index] if index < len(cells) else None
            if _text(value):
                values[name] = _unneutralised(value)
                break
    return values


def _unneutralised(value: Any) -> Any:
    """A cell without the apostrophe a spreadsheet export puts before text that begins like a
    formula (``'=SUM`` is the text ``=SUM``)."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


# Planning: what each row becomes


class Action(StrEnum):
    CREATE = "created"
    UPDATE = "updated"
    SKIP = "skipped"
    BAD = "bad"


@dataclass
class Outcome:
    """What happens (or happened) to one row."""

    line: int
    action: Action
    label: str = ""
    record_id: str = ""
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "outcome": self.action.value, "id": self.record_id or None,
                "name": self.label, "reason": self.reason or None}


class Source(Protocol):
    """Where the planner reads stored records: the workspace, or a transaction."""

    def scan(self, table: str) -> Iterator[Raw]: ...


class _StoredSource:
    """The records as stored; those of the tables ``transaction`` holds as it has them."""

    def __init__(self, workspace: Workspace, transaction: Transaction | None = None) -> None:
        self.workspace = workspace
        self.transaction = transaction

    def scan(self, table: str) -> Iterator[Raw]:
        if self.transaction is not None and table in self.transaction.files:
            return self.transaction.scan(table)
        return self.workspace.file(table).scan()


@dataclass
class Options:
    """How to import: what to do with duplicates and bad rows, which client rows without
    one belong to, whether clients named in a row and missing are made."""

    on_duplicate: str = "skip"
    skip_bad: bool = False
    client: str | None = None
    create_clients: bool = False


@dataclass
class Plan:
    """What an import does: each row's outcome, and the records to write."""

    table: str
    outcomes: list[Outcome] = field(default_factory=list)
    new: dict[str, dict[str, Raw]] = field(default_factory=dict)
    """Table → id → a new record."""
    changed: dict[str, dict[str, tuple[Raw, Raw]]] = field(default_factory=dict)
    """Table → id → (the stored record, its new version)."""
    preset: str | None = None

    def count(self, action: Action) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action is action)

    @property
    def bad(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action is Action.BAD]

    def as_json(self) -> dict[str, Any]:
        return {"table": self.table, "preset": self.preset,
                "created": self.count(Action.CREATE), "updated": self.count(Action.UPDATE),
                "skipped": self.count(Action.SKIP), "bad": self.count(Action.BAD),
                "clients_created": len(self.new.get("clients", {}))
                if self.table != "clients" else 0,
                "rows": [outcome.as_json() for outcome in self.outcomes]}


PUBLIC_MAIL = frozenset({"gmail.com", "mail.ru", "yandex.ru", "ya.ru", "bk.ru", "list.ru",
                         "inbox.ru", "rambler.ru", "outlook.com", "hotmail.com", "icloud.com",
                         "yahoo.com", "proton.me", "protonmail.com", "yandex.com"})
"""Mail domains shared by many people: an address there says nothing about its company."""


def mail_domain(text: str) -> str:
    """The company domain in an e-mail address or a web address ("" for public mail)."""
    text = fold(text.strip())
    if "@" in text:
        text = text.rpartition("@")[2]
    text = re.sub(r"^[a-z]+://", "", text).split("/", 1)[0].removeprefix("www.").strip(". ")
    return "" if text in PUBLIC_MAIL or "." not in text else text


def tax_key(text: str) -> str:
    return re.sub(r"\D", "", text)


class _Clients:
    """The clients to match rows against: stored ones and those this import adds, by name,
    tax id and mail domain."""

    def __init__(self, source: Source, with_domains: bool) -> None:
        self.key = client_name_key
        self.by_id: dict[str, Raw] = {}
        self.by_name: dict[str, list[str]] = {}
        self.by_tax: dict[str, str] = {}
        self.by_domain: dict[str, str] = {}
        for raw in source.scan("clients"):
            self.add(raw)
        if with_domains:
            owners: dict[str, set[str]] = {}
            for contact in source.scan("contacts"):
                domain = mail_domain(str(contact.get("email") or ""))
                if domain and contact.get("client_id") in self.by_id:
                    owners.setdefault(domain, set()).add(str(contact["client_id"]))
            self.by_domain.update({domain: next(iter(ids)) for domain, ids in owners.items()
                                   if len(ids) == 1})

    def add(self, raw: Raw, domain: str = "") -> None:
        self.by_id[raw["id"]] = raw
        self.by_name.setdefault(self.key(str(raw.get("name", ""))), []).append(raw["id"])
        if tax := tax_key(str(raw.get("tax_id") or "")):
            self.by_tax.setdefault(tax, raw["id"])
        if domain:
            self.by_domain.setdefault(domain, raw["id"])

    def match(self, name: str, tax: str, domain: str) -> tuple[str, str] | None:
        """The client a row names, and why: same tax id, same name, or same mail domain."""
        if tax and tax in self.by_tax:
            return self.by_tax[tax], _("same tax id")
        if ids := self.by_name.get(self.key(name)):
            return ids[0], _("same name")
        if domain and domain in self.by_domain:
            return self.by_domain[domain], _("same e-mail domain")
        return None

    def named(self, text: str) -> list[str]:
        """The ids of the clients a cell names, by id or by name."""
        if text in self.by_id:
            return [text]
        return list(dict.fromkeys(self.by_name.get(self.key(text), [])))


class Planner:
    """Turns rows into records to create or update, one row at a time."""

    def __init__(self, workspace: Workspace, source: Source, table: str,
                 options: Options) -> None:
        self.workspace = workspace
        self.table = table
        self.options = options
        self.plan = Plan(table)
        self.now = workspace.clock().isoformat()
        self.clients = _Clients(source, with_domains=table == "clients")
        self.members = list(source.scan("members"))
        self.stored: dict[str, Raw] = {}
        """The stored records of the table (other than clients), by id."""
        self.keys: dict[tuple[Any, ...], tuple[str, int]] = {}
        """A record's duplicate key → its id and the line it came from (0: stored)."""
        if table != "clients":
            for raw in source.scan(table):
                self.stored[raw["id"]] = raw
                for key in self._keys(raw):
                    self.keys.setdefault(key, (raw["id"], 0))
        self.default_client = self._default_client()

    # rows

    def row(self, line: int, values: Values) -> None:
        """Plan one row; a bad one is noted with the reason."""
        try:
            if problem := values.get("_problem"):
                raise BadRow(problem)
            getattr(self, f"_{self.table}")(line, values)
        except BadRow as error:
            self._note(line, Action.BAD, _text(values.get("name") or values.get("title")),
                       reason=str(error))
        except ValidationError as error:
            self._note(line, Action.BAD, _text(values.get("name") or values.get("title")),
                       reason=describe_validation_error(error))

    def _clients(self, line: int, values: Values) -> None:
        given = self._given(values, {
            "name": _text, "tax_id": _text, "industry": _text, "timezone": _text,
            "kind": lambda v: _choice(v, ClientKind, KIND_WORDS),
            "status": lambda v: _choice(v, ClientStatus, STATUS_WORDS),
            "stage": lambda v: _choice(v, RelationshipStage, STAGE_WORDS),
            "preferred_channel": lambda v: _choice(v, Channel, CHANNEL_WORDS),
            "cadence": lambda v: _choice(v, Cadence, CADENCE_WORDS),
            "monthly_revenue": read_amount,
            "cost_to_serve": read_amount,
            "tags": _tags, "key_account": _flag, "owner": self._member,
        })
        if "owner" in given:
            given["owner_id"] = given.pop("owner")
        domain = mail_domain(_text(values.get("domain") or values.get("email") or ""))
        name = str(given.get("name", ""))
        matched = self.clients.match(name, tax_key(str(given.get("tax_id", ""))), domain)
        record = Client.model_validate(given)
        if matched is None:
            raw = self._new("clients", record)
            self.clients.add(raw, domain)
            self._note(line, Action.CREATE, record.name, raw["id"])
            return
        self._duplicate(line, "clients", matched[0], given, matched[1])

    def _contacts(self, line: int, values: Values) -> None:
        given = self._given(values, {
            "name": _text, "role": _text, "email": _text, "phone": _text,
            "messenger": _text,
            "influence": lambda v: _choice(v, Influence, INFLUENCE_WORDS),
        })
        if "name" not in given:
            parts = (_text(values.get(part)) for part in ("first_name", "middle_name",
                                                          "last_name"))
            given["name"] = " ".join(part for part in parts if part)
        given["client_id"] = self._client_of(values, Contact, given)
        self._add_or_match(line, Contact, given)

    def _deals(self, line: int, values: Values) -> None:
        given = self._given(values, {
            "title": _text,
            "status": lambda v: _choice(v, DealStatus, {**DEAL_WORDS, "": "negotiation"}),
            "signed_on": read_day, "paid_on": read_day, "owner": self._member,
        })
        if "owner" in given:
            given["owner_id"] = given.pop("owner")
        currency = (_text(values.get("currency")) or self.workspace.settings.currency).upper()
        if "amount" not in values:
            raise BadRow(_("amount: is required"))
        try:
            amount = read_amount(values["amount"], currency)
        except ValueError as error:
            raise BadRow(_("amount: {problem}").format(problem=error)) from None
        given["amount"] = Money(amount=amount, currency=currency)
        given["client_id"] = self._client_of(values, Deal, given)
        self._add_or_match(line, Deal, given)

    def _tasks(self, line: int, values: Values) -> None:
        settings = self.workspace.settings
        given = self._given(values, {
            "title": _text, "description": _text, "assignee": _text, "due": read_day,
            "priority": lambda v: _choice(v, Priority, PRIORITY_WORDS),
            "department": lambda v: _known(v, settings.departments, _("department")),
            "column": lambda v: _known(v, settings.columns, _("column")),
            "estimate_hours": read_amount,
        })
        given.setdefault("column", settings.columns[0])
        client_id = self._client_of(values, Task, given, required=False)
        if client_id:
            given["client_id"] = client_id
        self._add_or_match(line, Task, given)

    # helpers

    def _given(self, values: Values, readers: Mapping[str, Callable[[Any], Any]]) -> Values:
        """The row's values read for the model; a value that does not read is a bad row."""
        given: Values = {}
        for name, reader in readers.items():
            if name not in values:
                continue
            try:
                given[name] = reader(values[name])
            except ValueError as error:
                raise BadRow(f"{name.replace('_', ' ')}: {error}") from None
        return given

    def _member(self, value: object) -> str | None:
        """The member a cell names (id, login, e-mail or name); None if no member is."""
        wanted = fold(_text(value))
        for member in self.members:
            if wanted in (fold(str(member.get(key) or "")) for key in ("id", "login", "email",
                                                                      "name")):
                return str(member["id"])
        return None

    def _default_client(self) -> str | None:
        if not self.options.client:
            return None
        ids = self.clients.named(self.options.client)
        if len(ids) != 1:
            raise UnreadableFile(_("--client: no single client named «{name}»").format(
                name=self.options.client))
        return ids[0]

    def _client_of(self, values: Values, record_type: type[Record], given: Values, *,
                   required: bool = True) -> str | None:
        """The id of the client a row belongs to: named in it, else ``--client``; a client
        named and missing is made with ``--create-clients`` (once the row's record is known
        to be good: a bad row makes no client)."""
        named = _text(values.get("client"))
        if not named:
            if self.default_client or not required:
                return self.default_client
            raise BadRow(_("no client: the row names none (give one with --client)"))
        ids = self.clients.named(named)
        if len(ids) > 1:
            raise BadRow(_("{count} clients are named «{name}»: name one by its id").format(
                count=len(ids), name=one_line(named, 60)))
        if ids:
            return ids[0]
        if not self.options.create_clients:
            raise BadRow(_("no client named «{name}» (import the clients first, or add "
                           "--create-clients)").format(name=one_line(named, 60)))
        record_type.model_validate({**given, "client_id": "-"})
        raw = self._new("clients", Client(name=named))
        self.clients.add(raw)
        return str(raw["id"])

    def _add_or_match(self, line: int, record_type: type[Record], given: Values) -> None:
        record = record_type.model_validate(given)
        raw = record.model_dump(mode="json")
        for key in self._keys(raw):
            if key in self.keys:
                record_id, first = self.keys[key]
                why = (_("same as line {line}").format(line=first) if first
                       else _("already stored"))
                self._duplicate(line, self.table, record_id, given, why)
                return
        raw = self._new(self.table, record)
        for key in self._keys(raw):
            self.keys.setdefault(key, (raw["id"], line))
        self._note(line, Action.CREATE, record.label(), raw["id"])

    def _keys(self, raw: Raw) -> list[tuple[Any, ...]]:
        """What makes two records of the table the same one."""
        if self.table == "contacts":
            keys: list[tuple[Any, ...]] = [(raw.get("client_id"), fold(str(raw["name"])))]
            if raw.get("email"):
                keys.append((raw.get("client_id"), "@", fold(str(raw["email"]))))
            return keys
        if self.table == "deals":
            return [(raw.get("client_id"), fold(str(raw["title"])))]
        if self.table == "tasks":
            return [(raw.get("client_id"), fold(str(raw["title"])), raw.get("due"))]
        return []

    def _new(self, table: str, record: Record) -> Raw:
        raw = record.model_dump(mode="json")
        raw.update(rev=1, created_at=self.now, updated_at=self.now)
        self.plan.new.setdefault(table, {})[raw["id"]] = raw
        return raw

    def _duplicate(self, line: int, table: str, record_id: str, given: Values,
                   why: str) -> None:
        """A row naming a record stored or planned already: update it (its name or title
        stays as it is), or skip the row."""
        current = self._current(table, record_id)
        label = str(current.get("name") or current.get("title") or record_id)
        if self.options.on_duplicate != "update":
            self._note(line, Action.SKIP, label, record_id,
                       _("{why} as «{name}»").format(why=why, name=one_line(label, 60)))
            return
        given = {key: value for key, value in given.items() if key not in ("name", "title")}
        model = _MODELS[table]
        merged = {**current, **model.model_validate({**current, **given}).model_dump(
            mode="json", include=set(given))}
        new = self.plan.new.get(table, {})
        if record_id in new:
            new[record_id] = merged
        else:
            before = self.plan.changed.get(table, {}).get(record_id, (current, current))[0]
            merged.update(rev=int(before.get("rev", 0)) + 1, updated_at=self.now)
            self.plan.changed.setdefault(table, {})[record_id] = (before, merged)
        if table == "clients":
            self.clients.by_id[record_id] = merged
        self._note(line, Action.UPDATE, label, record_id,
                   _("{why} as «{name}»").format(why=why, name=one_line(label, 60)))

    def _current(self, table: str, record_id: str) -> Raw:
        if record_id in self.plan.new.get(table, {}):
            return self.plan.new[table][record_id]
        if record_id in self.plan.changed.get(table, {}):
            return self.plan.changed[table][record_id][1]
        return self.clients.by_id[record_id] if table == "clients" else self.stored[record_id]

    def _note(self, line: int, action: Action, label: str, record_id: str = "",
              reason: str = "") -> None:
        self.plan.outcomes.append(Outcome(line, action, label, record_id, reason))


_MODELS: dict[str, type[Record]] = {"clients": Client, "contacts": Contact, "deals": Deal,
                                    "tasks": Task}


def _known(value: object, known: list[str], what: str) -> str:
    text = _text(value)
    for name in known:
        if fold(name) == fold(text) or fold(name.replace("_", " ")) == fold(text):
            return name
    raise ValueError(_("unknown {what} «{name}» (known: {known})").format(
        what=what, name=one_line(text, 40), known=", ".join(known)))


# The import


Progress = Callable[[int, int], None]


@dataclass
class Rows:
    """A file's rows by field, and the preset that mapped them."""

    rows: list[tuple[int, Values]]
    preset: str | None = None
    ignored: list[str] = field(default_factory=list)


def load_rows(path: Path, table: str, preset: str | None = None, mapping: str = "") -> Rows:
    """The rows of ``path`` for ``table``, mapped to fields."""
    if path.suffix.lower() in VCARDS:
        if table != "contacts":
            raise UnreadableFile(_("a vCard file holds contacts: import it with "
                                   "`amtui import contacts`"))
        return Rows(read_vcards(path))
    sheet = read_file(path)
    columns = map_columns(sheet.headers, table, preset, mapping)
    return Rows([(line, row_values(cells, columns)) for line, cells in sheet.rows],
                columns.preset, columns.ignored)


def plan_import(workspace: Workspace, table: str, rows: Rows, options: Options,
                source: Source | None = None, progress: Progress | None = None) -> Plan:
    """What importing ``rows`` into ``table`` would do; nothing is written."""
    planner = Planner(workspace, source or _StoredSource(workspace), table, options)
    planner.plan.preset = rows.preset
    total = len(rows.rows)
    for done, (line, values) in enumerate(rows.rows, start=1):
        planner.row(line, values)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return planner.plan


class ImportRefused(ValueError):
    """Rows are bad and ``--skip-bad`` was not given: nothing was imported."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(ngettext(
            "nothing was imported: {count} bad row (fix it, or import the others with "
            "--skip-bad)",
            "nothing was imported: {count} bad rows (fix them, or import the others with "
            "--skip-bad)", len(plan.bad)).format(count=len(plan.bad)))
        self.plan = plan


def run_import(workspace: Workspace, table: str, rows: Rows, options: Options,
               progress: Progress | None = None) -> tuple[Plan, Undo]:
    """Import ``rows`` into ``table`` in one transaction: every record or none. ImportRefused
    (nothing written) when a row is bad, unless ``options.skip_bad``."""
    tables = ["clients", table] if table != "clients" else ["clients"]
    with workspace.transaction(*tables) as tx:
        plan = plan_import(workspace, table, rows, options, _StoredSource(workspace, tx),
                           progress)
        if plan.bad and not options.skip_bad:
            raise ImportRefused(plan)
        for name in tables:
            if new := plan.new.get(name):
                tx.insert(name, list(new.values()))
            for before, after in plan.changed.get(name, {}).values():
                fields = sorted(key for key, value in after.items()
                                if key not in ("rev", "updated_at") and before.get(key) != value)
                tx.put(name, after, "update", fields)
    return plan, _undo(workspace, plan, tables)


def _undo(workspace: Workspace, plan: Plan, tables: list[str]) -> Undo:
    """Take the import back: the records it added (while they are as added) go, and those it
    changed get their old version back (unless changed again since)."""
    description = _("import of {count} {table}").format(
        count=plan.count(Action.CREATE) + plan.count(Action.UPDATE), table=plan.table)

    def revert() -> None:
        with workspace.transaction(*tables) as tx:
            for name in tables:
                for record_id, raw in plan.new.get(name, {}).items():
                    current = tx.get(name, record_id)
                    if current is not None and current.get("rev") == raw["rev"]:
                        tx.remove(name, record_id, action="discard")
                for record_id, (before, after) in plan.changed.get(name, {}).items():
                    current = tx.get(name, record_id)
                    if current is not None and current.get("rev") == after["rev"]:
                        tx.put(name, {**before, "rev": after["rev"] + 1,
                                      "updated_at": workspace.clock().isoformat()},
                               "update", [])

    return Undo(description, revert)
