"""What the fields of the core records are called where people read them: in validation
messages and in a record's history ("changed: signed on, status")."""

from __future__ import annotations

from amtui.i18n import N_, _

FIELD_WORDS = {
    "name": N_("name"), "kind": N_("kind"), "legal_form": N_("legal form"),
    "status": N_("status"), "owner_id": N_("owner"), "stage": N_("relationship stage"),
    "key_account": N_("key account"), "industry": N_("industry"),
    "preferred_channel": N_("preferred channel"), "timezone": N_("time zone"),
    "working_hours": N_("working hours"), "start": N_("start"), "end": N_("end"),
    "weekdays": N_("weekdays"), "cadence": N_("update cadence"),
    "update_snoozed_until": N_("update snoozed until"),
    "monthly_revenue": N_("monthly revenue"), "cost_to_serve": N_("cost to serve"),
    "tags": N_("tags"), "tax_id": N_("tax number"), "client_id": N_("client"),
    "contact_id": N_("contact"), "role": N_("role"), "email": N_("email"),
    "phone": N_("phone"), "messenger": N_("messenger"), "influence": N_("influence"),
    "title": N_("title"), "amount": N_("amount"), "currency": N_("currency"),
    "signed_on": N_("signed on"), "paid_on": N_("paid on"), "login": N_("login"),
    "description": N_("description"), "department": N_("department"),
    "assignee": N_("assignee"), "assignee_id": N_("assignee"), "column": N_("column"),
    "position": N_("position"), "priority": N_("priority"), "due": N_("due"),
    "checklist": N_("checklist"), "text": N_("text"), "done": N_("done"),
    "blocked_by_client": N_("waiting on client"), "blocked_since": N_("waiting since"),
    "estimate_hours": N_("estimate, hours"), "done_at": N_("done at"),
    "column_since": N_("in the column since"), "message_id": N_("message"),
    "channel": N_("channel"), "direction": N_("direction"), "received_at": N_("received"),
    "answer_by": N_("answer by"), "snoozed_until": N_("snoozed until"),
    "reply_to_id": N_("reply to"), "sender_name": N_("sender's name"),
    "sender_address": N_("sender's address"), "body": N_("body"),
    "pinned": N_("pinned"),
}
"""Each field of a core record in plain words (marked here, translated where shown)."""

PERSON_WORDS = {"name": N_("person's name")}
"""Fields that a person's record (a contact, a member) calls otherwise."""

PEOPLE = frozenset({"contacts", "members", "Contact", "Member"})
"""The tables and models of people's records."""


def field_word(name: str, record: str = "") -> str:
    """The field ``name`` in words, in the language in use; ``record`` (a table or a model's
    name) tells a person's name from a company's. A field not known here (a plugin's) is
    said as it is stored, its underscores made spaces."""
    if record in PEOPLE and name in PERSON_WORDS:
        return _(PERSON_WORDS[name])
    word = FIELD_WORDS.get(name)
    return _(word) if word else name.replace("_", " ")
