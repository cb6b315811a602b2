"""Pydantic models of the core records. No I/O, no Textual."""

from amtui.models.base import (
    Channel,
    Money,
    Priority,
    Record,
    describe_validation_error,
    in_own_words,
    problem_field,
    problem_message,
)
from amtui.models.clients import (
    Cadence,
    Client,
    ClientKind,
    ClientStatus,
    Contact,
    Influence,
    LegalForm,
    RelationshipStage,
    WorkingHours,
)
from amtui.models.deals import Deal, DealStatus, Member, Role
from amtui.models.ids import new_id
from amtui.models.work import (
    DEFAULT_COLUMNS,
    DEFAULT_DEPARTMENTS,
    ChecklistItem,
    Direction,
    Message,
    MessageKind,
    MessageStatus,
    Note,
    NoteKind,
    Task,
)

CORE_RECORD_TYPES: tuple[type[Record], ...] = (Client, Contact, Message, Task, Note, Deal, Member)
"""Every core record type, one table each."""

__all__ = [
    "CORE_RECORD_TYPES",
    "DEFAULT_COLUMNS",
    "DEFAULT_DEPARTMENTS",
    "Cadence",
    "Channel",
    "ChecklistItem",
    "Client",
    "ClientKind",
    "ClientStatus",
    "Contact",
    "Deal",
    "DealStatus",
    "Direction",
    "Influence",
    "LegalForm",
    "Member",
    "Message",
    "MessageKind",
    "MessageStatus",
    "Money",
    "Note",
    "NoteKind",
    "Priority",
    "Record",
    "RelationshipStage",
    "Role",
    "Task",
    "WorkingHours",
    "describe_validation_error",
    "in_own_words",
    "new_id",
    "problem_field",
    "problem_message",
]
