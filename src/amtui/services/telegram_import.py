"""A Telegram Desktop chat export (``result.json``, "Export chat history" → JSON) brought in as
one client's messages.

Each message of type "message" is imported once (its external id is the chat's id and the
message's). Its author is matched to one of the client's contacts by name or Telegram handle;
a member's name (or the name given as ``me``) makes it outgoing. Answer-by times come from
:func:`amtui.services.inbox.new_message`, as for typed messages.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.i18n import _
from amtui.models import Direction, Message
from amtui.services.importing import UnreadableFile, _Clients, _StoredSource
from amtui.services.inbox import new_message
from amtui.services.mail_import import MAX_TEXT, MailPlan, _undo

if TYPE_CHECKING:
    from amtui.services.undo import Undo
    from amtui.storage import Workspace

Raw = dict[str, Any]


def read_chat(path: Path) -> Raw:
    """The export in ``path``; UnreadableFile when it is no Telegram chat export."""
    try:
        chat = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    except (UnicodeError, ValueError):
        raise UnreadableFile(_("not a Telegram chat export (result.json)")) from None
    if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
        raise UnreadableFile(_("not a Telegram chat export (result.json)"))
    return chat


def plain(text: object) -> str:
    """A Telegram message's text: a string, or a list of strings and entities with text."""
    if isinstance(text, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", ""))
                       for part in text if isinstance(part, str | dict))
    return text if isinstance(text, str) else ""


def _key(text: str) -> str:
    return " ".join(text.casefold().lstrip("@").split())


def plan_chat(workspace: Workspace, chat: Raw, client: str, me: str = "") -> MailPlan:
    """The messages of ``chat`` for the client named (or with the id) ``client`` that the
    workspace lacks. UnreadableFile when no single client has that name."""
    ids = _Clients(_StoredSource(workspace), with_domains=False).named(client)
    if len(ids) != 1:
        raise UnreadableFile(_("--client: no single client named «{name}»").format(name=client))
    client_id = ids[0]
    contacts: dict[str, str] = {}
    for contact in workspace.file("contacts").scan():
        if contact.get("client_id") == client_id:
            for name in (contact.get("name"), contact.get("messenger")):
                if name:
                    contacts.setdefault(_key(str(name)), contact["id"])
    ours = {_key(str(member.get("name", ""))): member["id"]
            for member in workspace.file("members").scan()}
    if me:
        ours.setdefault(_key(me), "")
    prefix = f"telegram:{chat.get('id', '')}:"
    known = {str(raw["external_id"]) for raw in workspace.file(Message.table).scan()
             if str(raw.get("external_id") or "").startswith(prefix)}
    plan = MailPlan()
    now = workspace.clock().isoformat()
    for item in chat["messages"]:
        if not isinstance(item, dict) or item.get("type") != "message":
            continue
        key = f"{prefix}{item.get('id')}"
        if key in known:
            plan.known += 1
            continue
        author = str(item.get("from") or "")
        text = plain(item.get("text")).strip()
        if item.get("file") or item.get("photo"):
            text = (text + "\n\n" + _("(a file: {name})").format(
                name=item.get("file_name") or item.get("file") or item.get("photo"))).strip()
        if not text:
            continue
        outgoing = _key(author) in ours
        person = None if outgoing else contacts.get(_key(author))
        if not outgoing and person is None and author:
            text = f"{author}: {text}"
        message = new_message(
            workspace, client_id=client_id, contact_id=person, text=text[:MAX_TEXT],
            channel="telegram", direction=Direction.OUTGOING if outgoing else Direction.INCOMING,
            received_at=_moment(item) or workspace.clock())
        raw = message.model_copy(update={"external_id": key}).model_dump(mode="json")
        if outgoing and ours[_key(author)]:
            raw["assignee_id"] = ours[_key(author)]
        raw.update(rev=1, created_at=now, updated_at=now)
        plan.new.append(raw)
        known.add(key)
    return plan


def _moment(item: Raw) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(item["date_unixtime"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def run_chat_import(workspace: Workspace, path: Path, client: str,
                    me: str = "") -> tuple[MailPlan, Undo]:
    """Import the chat in ``path`` in one transaction: every new message, or none."""
    chat = read_chat(path)
    with workspace.transaction(Message.table) as tx:
        plan = plan_chat(workspace, chat, client, me)
        if plan.new:
            tx.insert(Message.table, plan.new)
    return plan, _undo(workspace, plan)
