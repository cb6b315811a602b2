"""Mail brought in as client messages: an ``.eml`` file, an mbox or a Maildir.

Each mail becomes an incoming message of the client whose contact has the sender's address
(or whose contacts' company mail domain matches), or an outgoing one when it is from one of
the members. Mail no client can be found for is a message with no client ("no client yet"
in the Inbox) that keeps its sender's name and address (for mail we sent: the recipient's),
for a client to be made from them (:mod:`amtui.services.senders`). Mail is imported once,
by its Message-ID (kept as the message's external id), so running the import from cron every
minute adds only the new mail; mail from a sender who has a client by then is that client's.
The answer-by time comes from :func:`amtui.services.inbox.new_message`, the rule typed
messages follow.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.i18n import _, ngettext
from amtui.models import Direction, Message
from amtui.services.importing import UnreadableFile, mail_domain
from amtui.services.inbox import new_message
from amtui.services.undo import Undo
from amtui.storage.errors import StorageError
from amtui.storage.files import atomic_write, file_mode_for

if TYPE_CHECKING:
    from amtui.storage import Workspace

Raw = dict[str, Any]
MAX_TEXT = 100_000
MAIL_ID = "mail:"
"""The prefix of an imported mail's external id."""


# reading mail


def read_mails(path: Path) -> Iterator[bytes]:
    """The mails in ``path``, as they are stored: a Maildir (a folder with cur/ and new/), an
    mbox (a file that starts with a "From " line) or one mail. Raises UnreadableFile for
    anything else."""
    if path.is_dir():
        if not ((path / "cur").is_dir() and (path / "new").is_dir()):
            raise UnreadableFile(_("a folder that is not a Maildir (no cur/ and new/)"))
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(box.keys()):
            yield box.get_bytes(key)
        return
    try:
        with path.open("rb") as file:
            head = file.read(5)
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    if head == b"From ":
        box = mailbox.mbox(path, create=False)
        yield from (box.get_bytes(key) for key in box.iterkeys())
        return
    data = path.read_bytes()
    if not _headers(data)["From"]:
        raise UnreadableFile(_("not a mail, an mbox or a Maildir"))
    yield data


def _headers(data: bytes) -> EmailMessage:
    """Only the headers of a mail: enough to tell whether it was imported before."""
    mail = BytesHeaderParser(policy=email.policy.default).parsebytes(data)
    assert isinstance(mail, EmailMessage)
    return mail


def _parse(data: bytes) -> EmailMessage:
    mail = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(mail, EmailMessage)
    return mail


class _Text(HTMLParser):
    """The text of an HTML mail: no scripts or styles, a line break for each paragraph, line
    break and list item."""

    BREAKS = frozenset({"p", "br", "li", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in ("p", "div"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(html: str) -> str:
    """The text a reader sees in ``html``, with its paragraphs on lines of their own."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _content(part: EmailMessage) -> str:
    """A text part's text; a charset that lies gives its bytes as well as they can be read."""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        return data.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Attachment:
    name: str
    size: int
    data: bytes = field(repr=False)


def body_and_attachments(mail: EmailMessage) -> tuple[str, list[Attachment]]:
    """The mail's text (its plain text when it has one, else its HTML as text) and files."""
    body = mail.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text = _content(body)  # type: ignore[arg-type]
        if body.get_content_subtype() == "html":
            text = html_text(text)
    text = text.replace("\r\n", "\n").strip()
    files = []
    for part in mail.iter_attachments():
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        files.append(Attachment(part.get_filename() or _("unnamed"), len(data), data))
    return text, files


def safe_name(name: str) -> str:
    """A file name that stays in its folder: no folders, no hidden or empty names."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", name).strip(" .")
    return name[:150] or "attachment"


def _size(size: int) -> str:
    return f"{size} B" if size < 1024 else f"{size / 1024:.0f} KB"


# planning and storing


@dataclass
class MailPlan:
    """What an import of mail does: the messages to add and the mail left out, and why."""

    new: list[Raw] = field(default_factory=list)
    known: int = 0
    """Mail imported before (same Message-ID)."""
    unmatched: list[str] = field(default_factory=list)
    """The senders of the new mail no client could be found for (added without a client)."""
    files: list[tuple[str, Attachment]] = field(default_factory=list)
    """(message id, attachment) of the mail to add."""

    def as_json(self) -> dict[str, Any]:
        return {"created": len(self.new), "known": self.known,
                "unmatched": len(self.unmatched), "unmatched_senders": self.unmatched,
                "messages": [{"id": raw["id"], "client_id": raw["client_id"],
                              "direction": raw["direction"]} for raw in self.new]}


class _People:
    """Who an address belongs to: a contact, a client's company domain, or a member."""

    def __init__(self, workspace: Workspace) -> None:
        self.contacts: dict[str, tuple[str, str]] = {}
        owners: dict[str, set[str]] = {}
        for contact in workspace.file("contacts").scan():
            address = str(contact.get("email") or "").strip().casefold()
            if address and contact.get("client_id"):
                self.contacts.setdefault(address, (contact["client_id"], contact["id"]))
                if domain := mail_domain(address):
                    owners.setdefault(domain, set()).add(contact["client_id"])
        self.domains = {domain: next(iter(ids)) for domain, ids in owners.items()
                        if len(ids) == 1}
        self.members = {str(member.get("email") or "").strip().casefold(): member["id"]
                        for member in workspace.file("members").scan() if member.get("email")}

    def client_of(self, address: str) -> tuple[str, str | None] | None:
        if address in self.contacts:
            return self.contacts[address]
        if (domain := mail_domain(address)) and domain in self.domains:
            return self.domains[domain], None
        return None


def plan_mail(workspace: Workspace, mails: Iterator[bytes]) -> MailPlan:
    """The messages ``mails`` make that the workspace lacks (see the module's docstring). Only
    the headers of mail imported before are read."""
    people = _People(workspace)
    by_mail_id = {str(raw["external_id"]): str(raw["id"])
                  for raw in workspace.file(Message.table).scan() if raw.get("external_id")}
    plan = MailPlan()
    now = workspace.clock().isoformat()
    for data in mails:
        mail_id = str(_headers(data)["Message-ID"] or "").strip()
        key = MAIL_ID + mail_id if mail_id else ""
        if key and key in by_mail_id:
            plan.known += 1
            continue
        mail = _parse(data)
        sender_name, sender = _from(str(mail["From"] or ""))
        member = people.members.get(sender)
        party = (sender_name, sender)
        if member:
            recipients = [(name.strip(), address.strip().casefold()) for name, address
                          in getaddresses([str(mail[header] or "") for header in ("To", "Cc")])
                          if address.strip().casefold() not in people.members]
            found = next((people.client_of(address) for _name, address in recipients
                          if people.client_of(address)), None)
            party = recipients[0] if recipients else ("", "")
        else:
            found = people.client_of(sender)
        if found is None:
            plan.unmatched.append(party[1] or party[0] or sender)
        text, files = body_and_attachments(mail)
        subject = str(mail["Subject"] or "").strip()
        if subject:
            text = f"{subject}\n\n{text}".strip()
        if files:
            text += "\n\n" + _("Attachments:") + "".join(
                f"\n- {safe_name(file.name)} ({_size(file.size)})" for file in files)
        message = new_message(
            workspace, client_id=found[0] if found else None,
            contact_id=found[1] if found else None,
            text=text[:MAX_TEXT] or _("(empty mail)"), channel="email",
            direction=Direction.OUTGOING if member else Direction.INCOMING,
            received_at=_date(mail) or workspace.clock())
        replied = _replied(mail, by_mail_id)
        raw = message.model_copy(update={
            "external_id": key or None, "reply_to_id": replied,
            "sender_name": party[0][:500], "sender_address": party[1][:500],
            "assignee_id": member or message.assignee_id}).model_dump(mode="json")
        raw.update(rev=1, created_at=now, updated_at=now)
        plan.new.append(raw)
        plan.files += [(raw["id"], file) for file in files]
        if key:
            by_mail_id[key] = raw["id"]
    return plan


def _from(header: str) -> tuple[str, str]:
    """The sender's name and address (casefolded) in a From: header; from one that is not
    read as an address (a name with brackets not quoted), whatever text it gives as the
    name."""
    found = getaddresses([header])
    address = next((address for _name, address in found if "@" in address), "")
    name = next((name for name, _address in found if name), "") or (
        "" if address else " ".join(text for _name, text in found if text))
    return " ".join(name.split()), address.strip().casefold()


def _date(mail: EmailMessage) -> datetime | None:
    try:
        moment = parsedate_to_datetime(str(mail["Date"] or ""))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else None


def _replied(mail: EmailMessage, by_mail_id: dict[str, str]) -> str | None:
    """The stored (or just planned) message this mail answers: its In-Reply-To, else the
    newest of its References known."""
    ids = re.findall(r"<[^>]+>", str(mail["In-Reply-To"] or ""))
    ids += reversed(re.findall(r"<[^>]+>", str(mail["References"] or "")))
    return next((by_mail_id[MAIL_ID + one] for one in ids if MAIL_ID + one in by_mail_id),
                None)


def run_mail_import(workspace: Workspace, path: Path, *,
                    save_attachments: bool = False) -> tuple[MailPlan, Undo]:
    """Import the mail in ``path`` in one transaction: every new message, or none. With
    ``save_attachments``, their files go to ``files/<message id>/`` beside the workspace,
    written while the messages' lock is held, before the messages are."""
    folder = workspace.root / "files"
    if save_attachments and folder.is_symlink():
        raise UnreadableFile(_("{path} is a symbolic link").format(path=folder))
    with workspace.transaction(Message.table) as tx:
        plan = plan_mail(workspace, read_mails(path))
        if save_attachments:
            save_files(workspace.root, folder, plan.files)
        if plan.new:
            tx.insert(Message.table, plan.new)
    return plan, _undo(workspace, plan)


def save_files(root: Path, folder: Path, files: list[tuple[str, Attachment]]) -> None:
    """Write each attachment under ``folder/<message id>/`` (``folder`` inside the workspace
    ``root``), as the store writes its files: each whole or not at all, reached without
    following a link, never leaving that folder, never over another file."""
    mode = file_mode_for(root)
    for message_id, file in files:
        target = folder / safe_name(message_id)
        name = safe_name(file.name)
        stem, dot, suffix = name.rpartition(".")
        number = 1
        while (target / name).exists() or (target / name).is_symlink():
            number += 1
            name = f"{stem} ({number}).{suffix}" if dot else f"{suffix} ({number})"
        try:
            atomic_write(target / name, file.data, mode, within=root)
        except StorageError as error:
            raise UnreadableFile(str(error)) from None


def _undo(workspace: Workspace, plan: MailPlan) -> Undo:
    def revert() -> None:
        with workspace.transaction(Message.table) as tx:
            for raw in plan.new:
                current = tx.get(Message.table, raw["id"])
                if current is not None and current.get("rev") == raw["rev"]:
                    tx.remove(Message.table, raw["id"], action="discard")

    return Undo(ngettext("import of {count} mail", "import of {count} mails",
                         len(plan.new)).format(count=len(plan.new)), revert)
