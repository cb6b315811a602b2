"""Find any client, task, note or message by its name or title, fast enough for every keystroke.

The index holds no object per record. Titles are folded (:func:`amtui.text.fold`) with their
words one space apart, kept once however many records share them, ordered shortest first and
joined into one string that ``str.find`` searches at C speed: the first titles found are the
shortest, the best. Records are rows of flat arrays sorted by title; ids are one byte string.
Typos are forgiven word by word (:class:`~amtui.services.finder_words.Vocabulary`).

The app builds the index in a child process (:func:`build_in_child`), so that the memory the
build needs for a moment, and its hold on the interpreter, stay out of the app.
"""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
import tempfile
import threading
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from amtui.i18n import _, shown
from amtui.services.finder_words import TYPO_MIN_CHARS, Vocabulary, near_start
from amtui.text import fold

if TYPE_CHECKING:
    from pathlib import Path

    from amtui.storage import Workspace
    from amtui.storage.datafile import Signature

TABLES = ("clients", "tasks", "notes", "messages")
"""The tables indexed, in the order records of equal score are listed."""

TITLE_CHARS = 120
"""Longest title kept (a message's first line can be long)."""

EXACT, TITLE_PREFIX, WORD_PREFIX, ALL_WORDS, SUBSTRING, ALL_SUBSTRINGS, WITH_CLIENT = (
    1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.72)
"""Scores of exact matches: the whole title, its start, a word's start, every word's start in
any order, the text inside a word, every word anywhere, every word in the title or the name
of the record's client."""
OTHER_LAYOUT = 0.9
"""Factor for a match found by reading the query in the other keyboard layout."""
TYPO = 0.7
"""Score of a title whose words are all like the typed ones, though not all the same."""

CANDIDATES = 1000
"""Most titles examined for a query of words in another order, or with typos."""
REMEMBERED_FINDS = 512
"""Texts whose first place in the titles is remembered (the searches typed lately); as many
sets of typed words whose clients are remembered."""

_SEPARATORS = re.compile(r"[\W_]+")
_LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_CYRILLIC = "йцукенгшщзхъфывапролджэячсмитьбюё"
_OTHER_LAYOUT = str.maketrans(_LATIN + _CYRILLIC, _CYRILLIC + _LATIN)


def search_text(text: str) -> str:
    """Text as the index holds it: folded, punctuation dropped, words one space apart."""
    return _SEPARATORS.sub(" ", fold(text)).strip()


def other_layout(text: str) -> str:
    """``text`` as if typed with the other keyboard layout (ЙЦУКЕН ↔ QWERTY)."""
    return text.lower().translate(_OTHER_LAYOUT)


def signatures(workspace: Workspace) -> tuple[Signature | None, ...]:
    """The indexed data files as they are on disk now."""
    return tuple(workspace.file(table).version_on_disk() for table in TABLES)


@dataclass(frozen=True, slots=True)
class Found:
    """A record that matches a search."""

    table: str
    record_id: str
    title: str
    """The name or title as stored (one line, clipped); not yet made safe to show."""
    detail: str
    """The client's name and the record's status, column, kind or date."""
    score: float
    """From 0 to 1; 1 is the whole title typed."""


def _title(table: str, record: dict[str, Any]) -> str:
    if table == "messages":
        return str(record.get("text") or "").strip().split("\n", 1)[0]
    return str(record.get("name") or record.get("title") or "")


def _state(table: str, record: dict[str, Any]) -> str:
    field = {"clients": "status", "tasks": "column", "notes": "kind"}.get(table)
    value = record.get(field) if field else str(record.get("received_at") or "")[:10]
    return str(value or "")


class _Scores(dict[int, float]):
    """Best score of each title found (by rank), and how many records those titles hold;
    and records found on their own (``single``: by row), not every record of their title."""

    def __init__(self, rows_of: array[int], limit: int) -> None:
        super().__init__()
        self.rows_of, self.limit, self.rows = rows_of, limit, 0
        self.single: dict[int, float] = {}

    def keep_row(self, row: int, score: float) -> None:
        known = self.single.get(row)
        if known is None:
            self.rows += 1
        if known is None or score > known:
            self.single[row] = score

    def keep(self, title: int, score: float) -> None:
        known = self.get(title)
        if known is None:
            self.rows += self.rows_of[title + 1] - self.rows_of[title]
        if known is None or score > known:
            self[title] = score

    @property
    def full(self) -> bool:
        return self.rows >= self.limit


NO_CLIENT_YET = -2
"""The client row of a message with no client yet (-1: none)."""
DELETED_CLIENT = -3
"""The client row of a record whose client is no longer there."""


class _Rows:
    """Records as they are read, one row each: distinct texts numbered, ids in one buffer."""

    def __init__(self, tables: tuple[str, ...]) -> None:
        self.tables = tables
        self.folded: dict[str, int] = {}
        self.shown: dict[str, int] = {}
        self.states: dict[str, int] = {}
        self.client_rows: dict[str, int] = {}
        self.title, self.shown_of, self.state_of = array("I"), array("I"), array("I")
        self.table, self.client = array("B"), array("i")
        self.ids, self.id_ends = bytearray(), array("I")

    def add(self, table_code: int, record: dict[str, Any]) -> None:
        table = self.tables[table_code]
        shown = " ".join(_title(table, record).split())[:TITLE_CHARS]
        if table == "clients":
            self.client_rows[record["id"]] = len(self.table)
        self.title.append(self.folded.setdefault(search_text(shown), len(self.folded)))
        self.shown_of.append(self.shown.setdefault(shown, len(self.shown)))
        self.state_of.append(self.states.setdefault(_state(table, record), len(self.states)))
        self.table.append(table_code)
        client_id = record.get("client_id") or ""
        self.client.append(
            NO_CLIENT_YET if table == "messages" and not client_id
            else self.client_rows.get(client_id, DELETED_CLIENT if client_id and "clients"
                                      in self.tables and table != "clients" else -1))
        self.ids += record["id"].encode()
        self.id_ends.append(len(self.ids))


class FinderIndex:
    """What :meth:`search` needs of every client, task, note and message, kept compact."""

    def __init__(self, workspace: Workspace) -> None:
        """Read the indexed tables once, record by record."""
        self.signatures = signatures(workspace)
        """The data files as they were just before the index read them."""
        self._column_titles = dict(workspace.settings.column_titles)
        """The board's own names for its columns (a task's state is its column)."""
        self._read(TABLES, [workspace.file(table).scan() for table in TABLES])

    @classmethod
    def of(cls, table: str, records: Iterable[dict[str, Any]]) -> FinderIndex:
        """An index of these records of one table only (the clients a picker offers)."""
        index = cls.__new__(cls)
        index.signatures = ()
        index._column_titles = {}
        index._read((table,), [records])
        return index

    def _read(self, tables: tuple[str, ...], records: list[Iterable[dict[str, Any]]]) -> None:
        self._tables = tables
        self._firsts: dict[str, int] = {}
        self._naming: dict[tuple[str, ...], set[int]] = {}
        """The clients (rows) whose names hold some typed words, as the searches found."""
        rows = _Rows(tables)
        for table_code, table_records in enumerate(records):
            for record in table_records:
                rows.add(table_code, record)
        rows.client_rows.clear()
        titles, rows.folded = list(rows.folded), {}
        ranks = self._arrange_titles(titles)
        del titles
        order = self._sort_rows(array("I", (ranks[title] for title in rows.title)))
        del ranks
        self._keep_rows(rows, order)

    def _keep_rows(self, rows: _Rows, order: array[int]) -> None:
        """Keep the rows in ``order``, with the texts they point to."""
        self._table = array("B", (rows.table[row] for row in order))
        self._shown_of = array("I", (rows.shown_of[row] for row in order))
        self._state_of = array("I", (rows.state_of[row] for row in order))
        new_row = array("i", bytes(4 * len(order)))
        for new, old in enumerate(order):
            new_row[old] = new
        self._client_of = array("i", (new_row[rows.client[row]] if rows.client[row] >= 0
                                      else rows.client[row] for row in order))
        del new_row
        self._ids, self._id_ends = bytearray(), array("I")
        """Every record's id, one after another; row ``r``'s ends at ``_id_ends[r]``."""
        ids, id_ends = rows.ids, rows.id_ends
        for row in order:
            self._ids += ids[id_ends[row - 1] if row else 0:id_ends[row]]
            self._id_ends.append(len(self._ids))
        rows.ids = bytearray()
        self._shown = "\n".join(rows.shown)
        """Every distinct title as stored, one per line."""
        self._shown_starts = _starts(rows.shown)
        self._states = list(rows.states)

    def _sort_rows(self, row_rank: array[int]) -> array[int]:
        """The rows (read in table order) sorted by title rank, and where each title's rows
        start; a counting sort keeps each title's rows in table order."""
        self._rows_of = array("I", bytes(4 * len(self._title_starts)))
        """Rows of the title ranked ``t``: from ``_rows_of[t]`` up to ``_rows_of[t + 1]``."""
        for rank in row_rank:
            self._rows_of[rank + 1] += 1
        for rank in range(1, len(self._rows_of)):
            self._rows_of[rank] += self._rows_of[rank - 1]
        next_slot = array("I", self._rows_of[:-1])
        order = array("I", bytes(4 * len(row_rank)))
        for row, rank in enumerate(row_rank):
            order[next_slot[rank]] = row
            next_slot[rank] += 1
        return order

    def _arrange_titles(self, titles: list[str]) -> array[int]:
        """Join the titles shortest first into the searched string, index their words;
        the rank of each title."""
        order = sorted(range(len(titles)), key=titles.__getitem__)
        lengths = array("I", map(len, titles))
        order.sort(key=lengths.__getitem__)  # stable: by length, then alphabetically
        del lengths
        ranks = array("I", bytes(4 * len(titles)))
        for rank, title in enumerate(order):
            ranks[title] = rank
        arranged = [titles[title] for title in order]
        del titles, order
        self._hay = "\n" + "".join(title + "\n" for title in arranged)
        """Every distinct folded title, shortest first, each followed by a newline."""
        self._title_starts = _starts(arranged, first=1)
        self.words = Vocabulary(arranged)
        return ranks

    def __len__(self) -> int:
        return len(self._table)

    def forget_searches(self) -> None:
        """Forget what the last searches found out (to measure a search typed afresh)."""
        self._firsts.clear()
        self._naming.clear()
        self.words.forget_searches()

    def is_stale(self, workspace: Workspace) -> bool:
        """Whether any indexed table was saved since the index read it."""
        return signatures(workspace) != self.signatures

    # searching

    def search(self, query: str, limit: int = 20) -> list[Found]:
        """The records whose titles match ``query`` best: exact matches first (the whole
        title, its start, a word's start, inside a word), then the query as typed in the
        other keyboard layout, then titles with words like the typed ones (as typed, then in
        the other layout)."""
        phrase = search_text(query)
        if not phrase:
            return []
        scores = _Scores(self._rows_of, limit)
        self._exact(phrase, scores)
        swapped = search_text(other_layout(query))
        if not scores.full and swapped and swapped != phrase:
            self._exact(swapped, scores, OTHER_LAYOUT)
        if not scores.full:
            self._typos(phrase.split(), scores)
        if not scores.full and swapped and swapped != phrase:
            self._typos(swapped.split(), scores, OTHER_LAYOUT)
        return self._found(scores, limit)

    def _exact(self, phrase: str, scores: _Scores, factor: float = 1.0) -> None:
        """Titles holding the phrase: at their start (the whole title is the shortest of
        those), at a word's start, anywhere; each kind shortest first, until enough records
        are found. Then titles holding its words in another order."""
        hay = self._hay
        for needle, kind in (("\n" + phrase, TITLE_PREFIX), (" " + phrase, WORD_PREFIX),
                             (phrase, SUBSTRING)):
            if self._first(phrase) < 0 or scores.full:
                break
            offset = 0 if kind == SUBSTRING else 1
            position = self._first(needle)
            while position >= 0 and not scores.full:
                whole = kind == TITLE_PREFIX and hay.startswith("\n", position + len(needle))
                scores.keep(self._title_at(position + offset), (EXACT if whole else kind) * factor)
                position = hay.find(needle, position + 1)
        if " " in phrase and not scores.full:
            self._every_word(phrase.split(), scores, factor)
        if " " in phrase and not scores.full:
            self._with_client(phrase.split(), scores, factor)

    def _every_word(self, words: list[str], scores: _Scores, factor: float) -> None:
        """Titles holding every word in any order (found through the longest word)."""
        anchor = max(words, key=len)
        hay = self._hay
        position, examined = self._first(anchor), 0
        while position >= 0 and examined < CANDIDATES and not scores.full:
            examined += 1
            title = self._title_at(position)
            text = self.title_text(title)
            spaced = " " + text
            if all(" " + word in spaced for word in words):
                scores.keep(title, ALL_WORDS * factor)
            elif all(word in text for word in words):
                scores.keep(title, ALL_SUBSTRINGS * factor)
            position = hay.find(anchor, self._title_starts[title + 1])

    def _with_client(self, words: list[str], scores: _Scores, factor: float) -> None:
        """Records whose title holds some of the words and whose client's name holds the
        others (a task "UTM tagging" of the client «Technopark»: "tagging technopark"): found
        through each word in turn, the longest first, in the titles that hold it."""
        if "clients" not in self._tables:
            return
        clients = self._tables.index("clients")
        for anchor in sorted(set(words), key=len, reverse=True):
            position, examined = self._first(anchor), 0
            while position >= 0 and examined < CANDIDATES:
                examined += 1
                title = self._title_at(position)
                rows = range(self._rows_of[title], self._rows_of[title + 1])
                # A title only clients have is no record's (clients' rows come first).
                if self._table[rows[-1]] != clients:
                    text = self.title_text(title)
                    missing = tuple(word for word in words if word not in text)
                    named = self._clients_naming(missing, clients) if missing else None
                    for row in rows if named else ():
                        if self._client_of[row] in named:
                            scores.keep_row(row, WITH_CLIENT * factor)
                            if scores.full:
                                return
                position = self._hay.find(anchor, self._title_starts[title + 1])

    def _clients_naming(self, words: tuple[str, ...], clients: int) -> set[int]:
        """The rows of the clients whose names hold every word (found through the longest,
        among the first CANDIDATES titles that hold it). Remembered, as the words are typed."""
        known = self._naming.get(words)
        if known is not None:
            return known
        anchor = max(words, key=len)
        found: set[int] = set()
        position, examined = self._first(anchor), 0
        while position >= 0 and examined < CANDIDATES:
            examined += 1
            title = self._title_at(position)
            if all(word in self.title_text(title) for word in words):
                found.update(row for row in range(self._rows_of[title], self._rows_of[title + 1])
                             if self._table[row] == clients)
            position = self._hay.find(anchor, self._title_starts[title + 1])
        if len(self._naming) >= REMEMBERED_FINDS:
            self._naming.clear()
        self._naming[words] = found
        return found

    def _title_of_row(self, row: int) -> int:
        return bisect_right(self._rows_of, row) - 1

    def _typos(self, words: list[str], scores: _Scores, factor: float = 1.0) -> None:
        """Titles where every typed word starts, or is like, one of the title's words; found
        through the typed word whose look-alikes are in the fewest titles."""
        likes = [self.words.like(word) for word in words]
        anchor_like = min((like for like in likes if like), default=None,
                          key=lambda like: sum(map(self.words.title_count, like)))
        if anchor_like is None:
            return
        examined = 0
        for word in sorted(anchor_like, key=anchor_like.__getitem__, reverse=True):
            for title in self.words.titles_with(word):
                examined += 1
                if title not in scores:
                    match = self._typo_match(self.title_text(title), words, likes)
                    if match:
                        scores.keep(title, TYPO * match * factor)
                if examined >= CANDIDATES or scores.full:
                    return

    @staticmethod
    def _typo_match(title: str, words: list[str], likes: list[dict[str, float]]) -> float:
        """How well every typed word matches a word of the title (mean, 0 to 1): 1 if it
        starts one, less if it is like one; 0 if a typed word matches none."""
        spaced = " " + title
        title_words: set[str] = set()
        total = 0.0
        for word, like in zip(words, likes, strict=True):
            if " " + word in spaced:
                total += 1.0
                continue
            title_words = title_words or set(title.split())
            best = max((like[alike] for alike in like.keys() & title_words), default=0.0)
            if not best and len(word) < TYPO_MIN_CHARS:
                best = max(map(partial(near_start, word), title_words), default=0.0)
            if not best:
                return 0.0
            total += best
        return total / len(words)

    def _first(self, needle: str) -> int:
        """Where ``needle`` first occurs in the titles, -1 if nowhere. Remembered, so that as
        a word is typed letter by letter, each search starts where the last one found it (or
        knows at once that nothing has it)."""
        known = self._firsts.get(needle)
        if known is not None:
            return known
        start = self._firsts.get(needle[:-1], 0)
        first = self._hay.find(needle, start) if start >= 0 else -1
        if len(self._firsts) >= REMEMBERED_FINDS:
            self._firsts.clear()
        self._firsts[needle] = first
        return first

    def _title_at(self, position: int) -> int:
        return bisect_right(self._title_starts, position) - 1

    def title_text(self, title: int) -> str:
        """The folded text of the title ranked ``title``."""
        return self._hay[self._title_starts[title]:self._title_starts[title + 1] - 1]

    def _found(self, scores: _Scores, limit: int) -> list[Found]:
        """The records of the titles found and the records found on their own (unless their
        title is found), best first."""
        ranked = [(-score, title, -1) for title, score in scores.items()]
        for row, score in scores.single.items():
            title = self._title_of_row(row)
            if title not in scores:
                ranked.append((-score, title, row))
        ranked.sort()
        found: list[Found] = []
        for negative, title, single in ranked:
            rows = range(self._rows_of[title], self._rows_of[title + 1]) if single < 0 \
                else (single,)
            for row in rows:
                if len(found) >= limit:
                    return found
                # Strictly falling scores keep this order among other providers' hits.
                found.append(self._row(row, -negative - len(found) * 1e-4))
        return found

    def _row(self, row: int, score: float) -> Found:
        client = self._client_of[row]
        client_name = (self._shown_text(self._shown_of[client]) if client >= 0
                       else _("no client yet") if client == NO_CLIENT_YET
                       else _("deleted client") if client == DELETED_CLIENT else "")
        table = self._tables[self._table[row]]
        state = self._state_words(table, self._states[self._state_of[row]])
        return Found(
            table=table,
            record_id=self._ids[self._id_ends[row - 1] if row else 0:self._id_ends[row]].decode(),
            title=self._shown_text(self._shown_of[row]),
            detail=" · ".join(part for part in (client_name, state) if part),
            score=max(score, 0.0),
        )

    def _state_words(self, table: str, state: str) -> str:
        """A record's state as the UI says it: a task's column by its title, a client's
        status and a note's kind in words, in the language in use."""
        if not state or table == "messages":
            return state
        if table == "tasks":
            from amtui.services.board import COLUMN_TITLES  # lazy: the child needs no models

            return (self._column_titles.get(state) or _(COLUMN_TITLES.get(state, ""))
                    or state.replace("_", " "))
        return shown(state)

    def _shown_text(self, shown: int) -> str:
        return self._shown[self._shown_starts[shown]:self._shown_starts[shown + 1] - 1]


class NameFinder:
    """Records of one kind (clients, members) found by a typed name as the palette finds them:
    a word's start, any part of a word, ё as е, without «», with a typo, or typed in the other
    keyboard layout. What a picker field offers.

    The records are read and indexed on first use, or by :meth:`warm` (from a worker, so that
    a form opens without waiting for them); ``lookup`` names one record by its id meanwhile.
    """

    def __init__(self, records: Iterable[dict[str, Any]], table: str = "clients",
                 lookup: Callable[[str], str] | None = None) -> None:
        self._records: Iterable[dict[str, Any]] | None = records
        self._table = table
        self._lookup = lookup
        self._lock = threading.Lock()
        self._names: dict[str, str] = {}
        self._index: FinderIndex | None = None
        self._added: dict[str, str] = {}

    def warm(self) -> None:
        """Read and index the records now, if that is not done yet (safe from any thread)."""
        with self._lock:
            if self._records is None:
                return
            # One record at a time: ten thousand clients held at once would be a peak of
            # 25 MB, and the names kept among them would keep most of it from the system.
            self._index = FinderIndex.of(self._table, self._named(self._records))
            self._records = None

    def _named(self, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """The records with an id, their names noted as they pass."""
        for record in records:
            if record.get("id"):
                self._names[str(record["id"])] = str(record.get("name") or "")
                yield record

    def _ready(self) -> FinderIndex:
        self.warm()
        assert self._index is not None
        return self._index

    def name(self, record_id: str) -> str:
        """The name of the record, "" if there is none with that id."""
        if not record_id:
            return ""
        if record_id in self._added:
            return self._added[record_id]
        if self._records is not None and self._lookup is not None:
            return self._lookup(record_id)
        self._ready()
        return self._names.get(record_id, "")

    def add(self, record_id: str, name: str) -> None:
        """Know a record made since (a client created from a picker): it is found by its
        exact name or id, not yet by parts of it."""
        self._added[record_id] = name

    def find(self, typed: str, limit: int = 50) -> list[tuple[str, str]]:
        """(id, name) of the records that match ``typed``, best first; the first ``limit``
        by name when nothing is typed."""
        index = self._ready()
        if not search_text(typed):
            names = self._names | self._added
            return sorted(names.items(), key=lambda item: fold(item[1]))[:limit]
        return [(found.record_id, self._names.get(found.record_id, found.title))
                for found in index.search(typed, limit)]

    def resolve(self, typed: str) -> str | None:
        """The one record ``typed`` means: its id, its exact name (case, ё and quotes aside),
        or the only match; None if it names none, or several."""
        typed = typed.strip()
        if not typed:
            return None
        self._ready()
        names = self._names | self._added
        if typed in names:
            return typed
        wanted = search_text(typed)
        exact = [record_id for record_id, name in names.items() if search_text(name) == wanted]
        if exact:
            return exact[0] if len(exact) == 1 else None
        found = self.find(typed, limit=2)
        return found[0][0] if len(found) == 1 else None


def build_in_child(root: Path, cancelled: Callable[[], bool] = lambda: False,
                   ) -> FinderIndex | None:
    """The index of the workspace at ``root``, built by another Python process and read
    back; None if ``cancelled()`` turned true first (the child is stopped then). Raises
    RuntimeError saying why if the child failed."""
    command = [sys.executable, "-c",
               "from amtui.services.finder import write_index; write_index()", str(root)]
    with tempfile.TemporaryFile() as pickled, tempfile.TemporaryFile() as errors:
        with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=pickled,
                              stderr=errors) as child:
            while True:
                try:
                    child.wait(timeout=0.1)
                    break
                except subprocess.TimeoutExpired:
                    if cancelled():
                        child.kill()
                        return None
        errors.seek(0)
        said = errors.read().decode(errors="replace").strip().splitlines()
        if child.returncode:
            raise RuntimeError(said[-1] if said else f"the indexer ended with {child.returncode}")
        pickled.seek(0)
        try:
            index = pickle.load(pickled)
        except (EOFError, pickle.UnpicklingError) as error:
            raise RuntimeError(f"the indexer's answer could not be read ({error})") from None
    if not isinstance(index, FinderIndex):
        raise RuntimeError("the indexer's answer is not an index")
    return index


def write_index() -> None:
    """In the child: index the workspace named on the command line, pickled to stdout."""
    # lazy: pydantic, loaded on first use
    from amtui.storage import StorageError, Workspace

    try:
        index = FinderIndex(Workspace.open(sys.argv[1]))
    except StorageError as error:
        sys.exit(str(error))
    pickle.dump(index, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


def _starts(texts: Iterable[str], first: int = 0) -> array[int]:
    """Where each text starts when joined with one separator, and where the next would."""
    starts = array("I", [first])
    for text in texts:
        starts.append(starts[-1] + len(text) + 1)
    return starts
