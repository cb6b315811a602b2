"""Mail no client had yet, given one: a client made from its sender, or a client chosen.

An imported mail from an address no contact has (and from no client's company domain) is a
message with no client (:func:`amtui.services.rules.message_without_client`) that keeps its
sender's name and address. :func:`make_client` makes a client and a contact from them and
gives the client that message and every other from the sender
(:func:`amtui.services.rules.from_sender`); :func:`attach_to_client` gives them to a client
that exists. Either is one change, undone as one; the contact made means later mail from the
address finds its client on import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from amtui.i18n import _
from amtui.models import Client, ClientKind, Contact, Message, Task
from amtui.services import undo
from amtui.services.importing import mail_domain
from amtui.services.inbox import together
from amtui.services.rules import from_sender, message_without_client
from amtui.text import one_line

if TYPE_CHECKING:
    from amtui.storage import Workspace
    from amtui.storage.workspace import Transaction


@dataclass(frozen=True)
class Sender:
    """Who a message with no client is from."""

    name: str
    address: str

    @classmethod
    def of(cls, message: Message) -> Sender:
        return cls(message.sender_name.strip(), message.sender_address.strip().casefold())

    @property
    def domain(self) -> str:
        """The company domain of the address ("" for public mail such as gmail.com)."""
        return mail_domain(self.address)

    def client_name(self) -> str:
        """A name for a client made from the sender: the company domain, else (public mail:
        a person) the sender's name, else the address."""
        return self.domain or self.name or self.address

    def contact_name(self) -> str:
        return self.name or self.address.partition("@")[0] or self.address


def sender_form_values(sender: Sender, defaults: dict[str, str]) -> dict[str, str]:
    """The new-client form made from ``sender``: ``defaults`` (a new client's) with the
    client's name and kind and the contact's name and address."""
    return {**defaults, "name": sender.client_name(),
            "kind": (ClientKind.B2B if sender.domain else ClientKind.B2C).value,
            "contact_name": sender.contact_name(), "contact_email": sender.address}


@dataclass(frozen=True)
class SenderClient:
    """A client and its first contact, made from a sender, not yet saved."""

    client: Client
    contact: Contact | None


def sender_client(client: Client, values: dict[str, str]) -> SenderClient:
    """``client`` (checked already) with the contact the form's ``contact_name`` and
    ``contact_email`` describe (None when both are empty); raises ValidationError naming
    those fields."""
    name = values.get("contact_name", "").strip()
    address = values.get("contact_email", "").strip()
    if not (name or address):
        return SenderClient(client, None)
    try:
        contact = Contact(client_id=client.id, name=name or address, email=address)
    except ValidationError as error:
        field = {"name": "contact_name", "email": "contact_email"}
        raise ValidationError.from_exception_data("Contact", [
            {"type": "value_error", "loc": (field.get(str(problem["loc"][0]), "contact_name"),),
             "input": problem["input"],
             "ctx": {"error": ValueError(problem["msg"].removeprefix("Value error, "))}}
            for problem in error.errors()]) from None
    return SenderClient(client, contact)


def _attach(workspace: Workspace, message_id: str, sender: Sender, with_domain: bool,
            client: Client, contacts: dict[str, str], description: str) -> undo.Undo:
    """Give the message and the sender's other messages with no client (from the address,
    and with ``with_domain`` from anyone at its company domain) to ``client``, with the tasks
    made from them that have no client, in one write under the locks: from the contact
    ``contacts`` (address → contact id) names for the sender's address, and to the client's
    owner when nobody has them. Undo takes back those not changed since."""
    now = workspace.clock().isoformat()
    domain = sender.domain if with_domain else ""
    # (table, id) → the revision given, and the fields it changed as they were
    before: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}

    def change(tx: Transaction, table: str, stored: dict[str, Any],
               changes: dict[str, Any]) -> None:
        merged = {**stored, **changes, "rev": int(stored.get("rev", 1)) + 1, "updated_at": now}
        (Message if table == Message.table else Task).model_validate(merged)
        tx.put(table, merged, "update", sorted(changes))
        before[table, stored["id"]] = (merged["rev"], {field: stored.get(field)
                                                        for field in changes})

    with workspace.transaction(Message.table, Task.table) as tx:
        found = [stored for stored in tx.scan(Message.table)
                 if message_without_client(stored) and (
                     stored["id"] == message_id
                     or from_sender(stored, sender.address, domain))]
        for stored in found:
            changes: dict[str, Any] = {"client_id": client.id}
            if not stored.get("assignee_id"):
                changes["assignee_id"] = client.owner_id
            address = str(stored.get("sender_address") or "")
            if not stored.get("contact_id") and address in contacts:
                changes["contact_id"] = contacts[address]
            change(tx, Message.table, stored, changes)
        given = {stored["id"] for stored in found}
        linked = [task for task in tx.scan(Task.table)
                  if task.get("message_id") in given and not task.get("client_id")]
        for task in linked:
            change(tx, Task.table, task, {"client_id": client.id})

    def revert() -> None:
        with workspace.transaction(Message.table, Task.table) as tx:
            for (table, record_id), (rev, fields) in before.items():
                current = tx.get(table, record_id)
                if current is not None and current.get("rev") == rev:
                    tx.put(table, {**current, **fields, "rev": rev + 1,
                                   "updated_at": workspace.clock().isoformat()},
                           "update", sorted(fields))

    return undo.Undo(description, revert)


def make_client(workspace: Workspace, made: SenderClient, message: Message) -> undo.Undo:
    """Save the client (and contact) made from ``message``'s sender and give it the sender's
    messages with no client (from the address, or from anyone at its company domain) and the
    tasks made from them."""
    sender = Sender.of(message)
    description = _("client «{name}» made from {sender}").format(
        name=one_line(made.client.name, 40), sender=one_line(sender.address or sender.name))
    steps: list[Callable[[], undo.Undo]] = [
        lambda: undo.add(workspace, made.client, description)[1]]
    contacts: dict[str, str] = {}
    if made.contact is not None:
        contact = made.contact
        steps.append(lambda: undo.add(workspace, contact, description)[1])
        contacts[contact.email.strip().casefold()] = contact.id
    steps.append(lambda: _attach(workspace, message.id, sender, True, made.client, contacts,
                                 description))
    return together(description, steps)


def attach_to_client(workspace: Workspace, message: Message, client_id: str) -> undo.Undo:
    """Give ``message`` and the other messages with no client from its sender's address to
    the client; the client gets a contact with the address, unless one of its contacts has
    it, so later mail from it finds the client."""
    client = workspace.repo(Client).get(client_id)
    sender = Sender.of(message)
    description = _("mail from {sender} given to «{name}»").format(
        sender=one_line(sender.address or sender.name), name=one_line(client.name, 40))
    contacts = {str(contact.get("email") or "").strip().casefold(): str(contact["id"])
                for contact in workspace.file(Contact.table).scan()
                if contact.get("client_id") == client.id}
    steps: list[Callable[[], undo.Undo]] = []
    if sender.address and sender.address not in contacts:
        try:
            contact = Contact(client_id=client.id, name=sender.contact_name(),
                              email=sender.address)
        except ValidationError:
            pass  # an address no contact may have: the mail is given all the same
        else:
            steps.append(lambda: undo.add(workspace, contact, description)[1])
            contacts[sender.address] = contact.id
    steps.append(lambda: _attach(workspace, message.id, sender, False, client, contacts,
                                 description))
    return together(description, steps)
