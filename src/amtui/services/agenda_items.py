"""What Today is made of: its sections, their lines, whose agenda it is.

Plain data, importable without the store or pydantic: ``amtui`` reads Today's first sections
in a forked copy of itself while Textual starts (see :mod:`amtui.cli.early_start`), and the
app takes them in before the store is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from amtui.plugins.specs import EntryAction

Raw = dict[str, Any]


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One line of the agenda, pointing at the record it is about."""

    table: str
    record_id: str
    title: str
    client: str
    detail: str
    """More about it, said after the record: the department, the cadence; for a plugin's line,
    all it says."""
    client_id: str | None = None
    fact: str = ""
    """Why it is on the agenda, said first: "answer 2 d late", "3 d overdue", "due today"
    (a plugin's line: what its plugin says, if anything)."""
    plugin: str = ""
    """The plugin whose line it is ("" for amtui's own)."""
    done: EntryAction | None = None
    """What ``d`` does on a plugin's line (None: nothing, and the key says so)."""
    snooze: EntryAction | None = None
    """What ``s`` does on a plugin's line."""

    def as_json(self) -> dict[str, Any]:
        """Its fields for ``amtui today --json``: what a plugin's ``d`` and ``s`` do, by
        name (``done``, ``snooze``: their labels, "" if none)."""
        return {"table": self.table, "record_id": self.record_id, "title": self.title,
                "client": self.client, "detail": self.detail, "client_id": self.client_id,
                "fact": self.fact, "plugin": self.plugin,
                "done": self.done.label if self.done else "",
                "snooze": self.snooze.label if self.snooze else ""}


@dataclass
class AgendaSection:
    key: str
    title: str
    empty: str
    """What to say when nothing is in the section."""
    items: list[AgendaItem] = field(default_factory=list)
    total: int = 0
    """How many items the section has; more than ``items`` when the agenda was limited."""


@dataclass(frozen=True)
class Mine:
    """Whose agenda it is: the records a member owns or is assigned to.

    A client is theirs when they own it; a message when it is assigned to them or its client
    is theirs (mail with no client yet that nobody has is everyone's); a task when its client
    is theirs or its assignee is their name or login; a contact when its client is theirs; a
    plugin's line when its client is theirs (a line about no client is everyone's).
    """

    member_id: str
    name: str
    login: str

    @classmethod
    def of(cls, member: Raw) -> Mine:
        return cls(str(member["id"]), str(member.get("name", "")), str(member.get("login", "")))

    def assignee(self, assignee: object) -> bool:
        """A task's assignee (a name typed by someone) is this member."""
        typed = str(assignee or "").strip().casefold()
        return bool(typed) and typed in (self.name.casefold(), self.login.casefold())


@dataclass(frozen=True)
class FirstAgenda:
    """Today as it opens: everyone's, or the user's own when they are a member."""

    me: Mine | None
    """The member whose login is the OS user's, if any (then the agenda is theirs)."""
    at: datetime
    sections: list[AgendaSection]
    limit: int
    """Lines read per section."""
    versions: dict[str, object] = field(default_factory=dict)
    """Each table read, as it was on disk before it was read (a save after that one means
    the sections are read again)."""
