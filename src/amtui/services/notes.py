"""Notes: the list with its filters, ranked full-text search, checklists, and changes.

Search compares folded text (case-insensitive, Cyrillic too, ё read as е). Every word typed
must occur in the title or the body; the title counts more than the body, a word's start more
than its middle, and the whole phrase more than scattered words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from amtui.models import Note, NoteKind
from amtui.services import undo
from amtui.text import fold, one_line

if TYPE_CHECKING:
    from amtui.storage import Workspace

Span = tuple[int, int]
"""Start and end of a highlighted stretch of text."""

_CHECKBOX = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)\[([ xX])\]", re.MULTILINE)
"""A Markdown task-list item: ``- [ ] text`` or ``- [x] text``."""


@dataclass(slots=True)
class NoteRow:
    """What the list shows of a note, and what search looks in."""

    id: str
    title: str
    client_id: str
    client_name: str
    kind: str
    tags: tuple[str, ...]
    pinned: bool
    updated_at: str
    """ISO moment: sorts as text."""
    body: str
    checklist: tuple[int, int]
    """(ticked, all) items of the note's task list."""
    folded_title: str = ""
    folded_body: str = ""


def row_of(note: Mapping[str, Any], client_names: Mapping[str, str]) -> NoteRow:
    title, body = str(note.get("title", "")), str(note.get("body", ""))
    client_id = str(note.get("client_id") or "")
    return NoteRow(
        id=str(note["id"]), title=title, client_id=client_id,
        client_name=client_names.get(client_id, ""), kind=str(note.get("kind", "")),
        tags=tuple(str(tag) for tag in note.get("tags") or ()),
        pinned=bool(note.get("pinned")), updated_at=str(note.get("updated_at", "")),
        body=body, checklist=checklist_progress(body),
        folded_title=fold(title), folded_body=fold(body),
    )


def in_order(rows: list[NoteRow]) -> list[NoteRow]:
    """Pinned first, then the most recently changed."""
    rows.sort(key=lambda row: row.updated_at, reverse=True)
    rows.sort(key=lambda row: not row.pinned)
    return rows


def read_notes(workspace: Workspace) -> tuple[list[NoteRow], dict[str, str]]:
    """Every note as a row, in list order, and the names of the clients they belong to."""
    notes = list(workspace.file("notes").scan())
    wanted = {str(note["client_id"]) for note in notes if note.get("client_id")}
    clients = workspace.file("clients")
    if len(wanted) < 50:  # a few lookups beat reading every client
        found = (clients.get(client_id) for client_id in wanted)
        client_names = {str(client["id"]): str(client.get("name", ""))
                        for client in found if client is not None}
    else:
        client_names = {str(client["id"]): str(client.get("name", ""))
                        for client in clients.scan() if client["id"] in wanted}
    rows = [row_of(note, client_names) for note in notes]
    return in_order(rows), client_names


@dataclass(frozen=True)
class NoteFilter:
    """Which notes the list shows: empty fields do not narrow it."""

    client_id: str = ""
    client_name: str = ""
    kind: str = ""
    tag: str = ""

    def __bool__(self) -> bool:
        return bool(self.client_id or self.kind or self.tag)

    def keeps(self, row: NoteRow) -> bool:
        return ((not self.client_id or row.client_id == self.client_id)
                and (not self.kind or row.kind == self.kind)
                and (not self.tag or self.tag in row.tags))

    def describe(self) -> str:
        parts = [f"client {one_line(self.client_name, 30)}" if self.client_id else "",
                 f"kind {self.kind}" if self.kind else "", f"tag {self.tag}" if self.tag else ""]
        return ", ".join(part for part in parts if part)


def all_tags(rows: Iterable[NoteRow]) -> list[str]:
    return sorted({tag for row in rows for tag in row.tags}, key=fold)


# Search ------------------------------------------------------------------------------------

TITLE_WEIGHT, BODY_WEIGHT, BODY_CAP = 10.0, 1.0, 5
WORD_START_BONUS, PHRASE_IN_TITLE, PHRASE_IN_BODY = 1.5, 20.0, 5.0


@dataclass(frozen=True)
class Hit:
    """A note that matches, how well, and where."""

    row: NoteRow
    score: float
    title_spans: list[Span] = field(default_factory=list)


def search_words(query: str) -> list[str]:
    return [word for word in fold(query).split() if word]


def _at_word_start(text: str, index: int) -> bool:
    return index == 0 or not text[index - 1].isalnum()


def _score_in(text: str, word: str, weight: float, cap: int) -> float:
    """How much ``word``'s occurrences in ``text`` weigh (0 if it does not occur)."""
    score, start, found = 0.0, 0, 0
    while found < cap:
        index = text.find(word, start)
        if index < 0:
            break
        score += weight * (WORD_START_BONUS if _at_word_start(text, index) else 1.0)
        found += 1
        start = index + len(word)
    return score


def search(rows: Iterable[NoteRow], query: str) -> list[Hit]:
    """The rows holding every word of ``query``, best first (ties: list order)."""
    words = search_words(query)
    if not words:
        return [Hit(row, 0.0) for row in rows]
    phrase = " ".join(words)
    hits: list[tuple[float, int, Hit]] = []
    for position, row in enumerate(rows):
        title, body = row.folded_title, row.folded_body
        score = 0.0
        for word in words:
            in_title = _score_in(title, word, TITLE_WEIGHT, 1)
            in_body = _score_in(body, word, BODY_WEIGHT, BODY_CAP)
            if not in_title and not in_body:
                break
            score += in_title + in_body
        else:
            if len(words) > 1:
                score += PHRASE_IN_TITLE * (phrase in title) + PHRASE_IN_BODY * (phrase in body)
            hits.append((-score, position, Hit(row, score, spans_of(row.title, words))))
    hits.sort(key=lambda item: item[:2])
    return [hit for _score, _position, hit in hits]


def spans_of(text: str, words: list[str]) -> list[Span]:
    """Where the (folded) ``words`` occur in ``text``, merged, in order."""
    folded, positions = fold_with_positions(text)
    spans: list[Span] = []
    for word in words:
        start = 0
        while (index := folded.find(word, start)) >= 0:
            spans.append((positions[index], positions[index + len(word) - 1] + 1))
            start = index + len(word)
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` folded, and for each folded character the index of the original one
    (folding can lengthen text: «ß» becomes «ss»)."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, list(range(len(text)))
    parts, positions = [], []
    for index, char in enumerate(text):
        piece = fold(char)
        parts.append(piece)
        positions.extend([index] * len(piece))
    return "".join(parts), positions


def snippet(body: str, query: str, width: int = 240) -> tuple[str, list[Span]]:
    """A stretch of ``body`` around the first word found (the start if none), flattened to
    one line, with the words' spans in it."""
    words = search_words(query)
    flat = " ".join(one_line(body).split())
    folded = fold(flat)
    first = min((index for word in words if (index := folded.find(word)) >= 0), default=0)
    start = max(0, first - width // 4)
    if start:
        space = flat.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 and start - space < 20 else start
    piece = flat[start:start + width]
    prefix = "…" if start else ""
    spans = [(a + len(prefix), b + len(prefix)) for a, b in spans_of(piece, words)]
    return prefix + piece, spans


# Checklists --------------------------------------------------------------------------------

def checklist_progress(body: str) -> tuple[int, int]:
    """(ticked, all) task-list items in the Markdown ``body``."""
    if "[" not in body:
        return 0, 0
    marks = [match.group(2) for match in _CHECKBOX.finditer(body)]
    return sum(mark != " " for mark in marks), len(marks)


def toggle_checkbox(body: str, line_number: int) -> str | None:
    """``body`` with the task-list item on ``line_number`` (0-based) ticked or unticked;
    None if that line is not an item."""
    lines = body.split("\n")
    if not 0 <= line_number < len(lines):
        return None
    match = _CHECKBOX.match(lines[line_number])
    if match is None:
        return None
    mark = " " if match.group(2) != " " else "x"
    text = lines[line_number]
    lines[line_number] = text[:match.start(2)] + mark + text[match.end(2):]
    return "\n".join(lines)


def preview_markdown(body: str) -> str:
    """The body as the preview shows it: task-list marks drawn as boxes."""
    return _CHECKBOX.sub(lambda match: match.group(1) + ("☑" if match.group(2) != " "
                                                         else "☐"), body)


# Changes -----------------------------------------------------------------------------------

def _label(note: Note) -> str:
    return f"note «{one_line(note.title, 40)}»"


def add_note(workspace: Workspace, note: Note) -> undo.Undo:
    return undo.add(workspace, note, f"{_label(note)} created")[1]


def save_note(workspace: Workspace, note: Note) -> undo.Undo:
    """Save an edited note; ConflictError if someone saved it since it was read."""
    return undo.update(workspace, note, f"{_label(note)} edited")[1]


def overwrite_note(workspace: Workspace, note: Note) -> undo.Undo:
    """Save an edited note over a newer version someone else saved."""
    current = workspace.repo(Note).get(note.id)
    return save_note(workspace, note.model_copy(update={"rev": current.rev}))


def set_pinned(workspace: Workspace, note_id: str, pinned: bool) -> undo.Undo:
    note = workspace.repo(Note).get(note_id)
    note.pinned = pinned
    what = "pinned" if pinned else "unpinned"
    return undo.update(workspace, note, f"{_label(note)} {what}")[1]


def tick(workspace: Workspace, note_id: str, line_number: int) -> undo.Undo:
    """Tick or untick the checklist item on a line of the stored note."""
    note = workspace.repo(Note).get(note_id)
    body = toggle_checkbox(note.body, line_number)
    if body is None:
        raise ValueError("that line is not a checklist item")
    note.body = body
    return undo.update(workspace, note, f"{_label(note)} checklist ticked")[1]


def delete_note(workspace: Workspace, note_id: str) -> undo.Undo:
    note = workspace.repo(Note).get(note_id)
    return undo.delete(workspace, Note, note_id, f"{_label(note)} deleted")


NOTE_KINDS = [kind.value for kind in NoteKind]
