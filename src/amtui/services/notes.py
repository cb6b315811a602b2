"""Notes: the list with its filters, ranked full-text search, checklists, and changes.

Search compares folded text (case-insensitive, Cyrillic too, ё read as е). Every word typed
must occur in the title or the body; the title counts more than the body, a word's start more
than its middle, and the words together in the title more than apart.
"""

from __future__ import annotations

import bisect
import heapq
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from amtui.i18n import _
from amtui.models import Note, NoteKind
from amtui.services import undo
from amtui.services.projection import Interner
from amtui.text import fold, one_line

if TYPE_CHECKING:
    from amtui.storage import Workspace

Span = tuple[int, int]
"""Start and end of a highlighted stretch of text."""

_CHECKBOX = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)\[([ xX])\]", re.MULTILINE)
"""A Markdown task-list item: ``- [ ] text`` or ``- [x] text``."""


@dataclass(slots=True)
class NoteRow:
    """What the list shows of a note. Not its body: bodies can be long, and the preview reads
    the one note it shows from the store."""

    id: str
    title: str
    client_id: str
    client_name: str
    kind: str
    tags: tuple[str, ...]
    pinned: bool
    updated_at: str
    """ISO moment: sorts as text."""
    checklist: tuple[int, int]
    """(ticked, all) items of the note's task list."""


def row_of(note: Mapping[str, Any], client_names: Mapping[str, str],
           shared: Interner | None = None) -> NoteRow:
    """The list's row for a stored note; ``shared`` keeps one copy of values that repeat."""
    share = shared or Interner()
    body = str(note.get("body", ""))
    client_id = share(str(note.get("client_id") or ""))
    return NoteRow(
        id=str(note["id"]), title=str(note.get("title", "")), client_id=client_id,
        client_name=client_names.get(client_id, ""), kind=share(str(note.get("kind", ""))),
        tags=share(tuple(share(str(tag)) for tag in note.get("tags") or ())),
        pinned=bool(note.get("pinned")), updated_at=str(note.get("updated_at", "")),
        checklist=checklist_progress(body),
    )


def read_notes(workspace: Workspace) -> NoteIndex:
    """Every note as a row, in list order, with the index of their words.

    The notes file is read twice, a record at a time, rather than held whole: first the rows
    (which fix the order), then the bodies' words. Bodies can be long; a workspace can hold
    many.
    """
    notes = workspace.file("notes")
    shared = Interner()
    rows = [row_of(note, {}, shared) for note in notes.scan()]
    wanted = {row.client_id for row in rows if row.client_id}
    clients = workspace.file("clients")
    if len(wanted) < 50:  # a few lookups beat reading every client
        found = (clients.get(client_id) for client_id in wanted)
        names = {str(client["id"]): str(client.get("name", ""))
                 for client in found if client is not None}
    else:
        names = {str(client["id"]): str(client.get("name", ""))
                 for client in clients.scan() if client["id"] in wanted}
    for row in rows:
        row.client_name = names.get(row.client_id, "")
    return NoteIndex.indexed(in_order(rows), (
        (str(note["id"]), str(note.get("body", ""))) for note in notes.scan()))


def in_order(rows: list[NoteRow]) -> list[NoteRow]:
    """Pinned first, then the most recently changed."""
    rows.sort(key=lambda row: row.updated_at, reverse=True)
    rows.sort(key=lambda row: not row.pinned)
    return rows


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
WORD_START_BONUS, PHRASE_IN_TITLE = 0.5, 20.0
SCORES_KEPT = 16
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    """A note that matches, and how well."""

    row: NoteRow
    score: float


def search_words(query: str) -> list[str]:
    """The words of a query as search compares them: folded, punctuation dropped."""
    return _WORD.findall(fold(query))


class NoteIndex:
    """The words of every note, and which notes hold each: a search looks at the words that
    contain what was typed and at their notes, never at every note's text."""

    def __init__(self, rows: list[NoteRow], bodies: list[str]) -> None:
        """``rows`` in list order, and each row's whole body."""
        self._start(rows)
        for position, body in enumerate(bodies):
            self._add_body(position, body)
        self._finish()

    @classmethod
    def indexed(cls, rows: list[NoteRow], bodies: Iterable[tuple[str, str]]) -> NoteIndex:
        """The index of ``rows`` (in list order) from (note id, body) pairs in any order."""
        index = cls.__new__(cls)
        index._start(rows)
        positions = {row.id: position for position, row in enumerate(rows)}
        for note_id, body in bodies:
            if note_id in positions:
                index._add_body(positions[note_id], body)
        index._finish()
        return index

    def _start(self, rows: list[NoteRow]) -> None:
        self.rows = rows
        self._in_titles: dict[str, array[int]] = {}
        """Word → the positions of the rows whose title holds it."""
        self._in_bodies: dict[str, array[int]] = {}
        """Word → (row position << 8 | occurrences, at most 255) for the bodies holding it.
        Positions come in any order; :meth:`_finish` sorts them."""
        for position, row in enumerate(rows):
            for word in set(_WORD.findall(fold(row.title))):
                self._in_titles.setdefault(word, array("I")).append(position)

    def _add_body(self, position: int, body: str) -> None:
        for word, count in Counter(_WORD.findall(fold(body))).items():
            self._in_bodies.setdefault(word, array("I")).append(position << 8 | min(count, 255))

    def _finish(self) -> None:
        for word, postings in self._in_bodies.items():
            self._in_bodies[word] = array("I", sorted(postings))
        self._words = sorted(self._in_titles.keys() | self._in_bodies.keys())
        self._scored: dict[str, dict[int, float]] = {}
        """The last few words' scores: typing "бриф д" scores «бриф» once, not per key."""

    @classmethod
    def from_notes(cls, notes: Iterable[Mapping[str, Any]],
                   client_names: Mapping[str, str] | None = None) -> NoteIndex:
        """The index of stored notes (dicts), their rows in list order: pinned first, then
        the most recently changed."""
        shared = Interner()
        stored = list(notes)
        rows = in_order([row_of(note, client_names or {}, shared) for note in stored])
        return cls.indexed(rows, ((str(note["id"]), str(note.get("body", "")))
                                  for note in stored))

    def search(self, query: str, rows: Iterable[int] | None = None,
               limit: int | None = None) -> tuple[list[Hit], int]:
        """The rows holding every word of ``query`` (inside their words: «риф» finds «брифа»;
        a single letter only at a word's start), best first, ties in list order; and how many
        there are. ``rows``: look only at these positions; ``limit``: only the best so many."""
        words = search_words(query)
        if not words:
            positions = list(rows) if rows is not None else range(len(self.rows))
            return [Hit(self.rows[position], 0.0)
                    for position in positions[:limit]], len(positions)
        scores: dict[int, float] | None = None
        for word in words:
            found = self._scored.get(word)
            if found is None:
                found = self._scored[word] = self._score_word(word)
                while len(self._scored) > SCORES_KEPT:
                    del self._scored[next(iter(self._scored))]
            if scores is None:
                scores = dict(found) if rows is None else {
                    position: found[position] for position in rows if position in found}
            else:
                scores = {position: score + found[position]
                          for position, score in scores.items() if position in found}
            if not scores:
                return [], 0
        assert scores is not None
        if len(words) > 1:
            phrase = " ".join(words)
            for position in scores:
                if phrase in fold(self.rows[position].title):
                    scores[position] += PHRASE_IN_TITLE
        ranked = (heapq.nsmallest(limit, scores.items(), key=_best_first)
                  if limit is not None else sorted(scores.items(), key=_best_first))
        return [Hit(self.rows[position], score) for position, score in ranked], len(scores)

    def _score_word(self, wanted: str) -> dict[int, float]:
        """Row position → how much ``wanted`` weighs in it (rows without it are left out)."""
        in_title: dict[int, float] = {}
        in_body: dict[int, tuple[int, bool]] = {}
        if len(wanted) == 1:  # one letter inside words matches nearly every note: starts only
            first = bisect.bisect_left(self._words, wanted)
            last = bisect.bisect_left(self._words, wanted + "\U0010ffff")
            candidates: Iterable[str] = self._words[first:last]
        else:
            candidates = (word for word in self._words if wanted in word)
        for word in candidates:
            at_start = word.startswith(wanted)
            for position in self._in_titles.get(word, ()):
                if at_start or position not in in_title:
                    in_title[position] = TITLE_WEIGHT * (1 + WORD_START_BONUS * at_start)
            for packed in self._in_bodies.get(word, ()):
                position = packed >> 8
                count, started = in_body.get(position, (0, False))
                in_body[position] = (count + (packed & 255), started or at_start)
        scores = in_title
        for position, (count, started) in in_body.items():
            scores[position] = scores.get(position, 0.0) + BODY_WEIGHT * (
                min(count, BODY_CAP) + WORD_START_BONUS * started)
        return scores


def _best_first(item: tuple[int, float]) -> tuple[float, int]:
    return -item[1], item[0]


def search(notes: Iterable[Mapping[str, Any]], query: str) -> list[Hit]:
    """Search stored notes once (a pane keeps a :class:`NoteIndex` instead)."""
    return NoteIndex.from_notes(notes).search(query)[0]


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

def _title(note: Note) -> str:
    return one_line(note.title, 40)


def add_note(workspace: Workspace, note: Note) -> undo.Undo:
    return undo.add(workspace, note, _("note «{title}» created").format(title=_title(note)))[1]


def save_note(workspace: Workspace, note: Note) -> undo.Undo:
    """Save an edited note; ConflictError if someone saved it since it was read."""
    return undo.update(workspace, note, _("note «{title}» edited").format(title=_title(note)))[1]


def overwrite_note(workspace: Workspace, note: Note) -> undo.Undo:
    """Save an edited note over a newer version someone else saved."""
    return undo.overwrite(workspace, note, _("note «{title}» edited").format(title=_title(note)))[1]


def set_pinned(workspace: Workspace, note_id: str, pinned: bool) -> undo.Undo:
    note = workspace.repo(Note).get(note_id)
    note.pinned = pinned
    what = _("note «{title}» pinned") if pinned else _("note «{title}» unpinned")
    return undo.update(workspace, note, what.format(title=_title(note)))[1]


def tick(workspace: Workspace, note_id: str, line_number: int) -> undo.Undo:
    """Tick or untick the checklist item on a line of the stored note."""
    note = workspace.repo(Note).get(note_id)
    body = toggle_checkbox(note.body, line_number)
    if body is None:
        raise ValueError(_("that line is not a checklist item"))
    note.body = body
    return undo.update(workspace, note, _("note «{title}»: checklist item ticked").format(
        title=_title(note)))[1]


def delete_note(workspace: Workspace, note_id: str) -> undo.Undo:
    note = workspace.repo(Note).get(note_id)
    return undo.delete(workspace, Note, note_id, _("note «{title}» deleted").format(
        title=_title(note)))


NOTE_KINDS = [kind.value for kind in NoteKind]
