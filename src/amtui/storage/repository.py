"""Repositories: the one way UI, CLI and plugins read and change records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import ValidationError
from tinydb.queries import QueryLike

from amtui.i18n import _
from amtui.identity import os_user
from amtui.models import Record, describe_validation_error
from amtui.storage.datafile import DataFile
from amtui.storage.errors import ConflictError, InvalidRecord, RecordNotFound, StorageError
from amtui.storage.index import Lookup, field_column, select_in_python
from amtui.storage.trash import KEEP_DAYS, TrashEntry

if TYPE_CHECKING:
    from amtui.storage.workspace import Workspace

R = TypeVar("R", bound=Record)

_BOOKKEEPING = frozenset({"rev", "updated_at", "created_at"})


class Repository(Generic[R]):
    """Records of one type: read them as models, change them safely."""

    def __init__(self, workspace: Workspace, record_type: type[R]) -> None:
        self.workspace = workspace
        self.record_type = record_type
        self.table = record_type.table

    # reading

    def raw(self) -> dict[str, dict[str, Any]]:
        """All stored records as plain dicts by id (do not modify). For small tables; large
        ones are better read with :meth:`scan`."""
        return self.workspace.file(self.table).records()

    def scan(self) -> Iterator[dict[str, Any]]:
        """The stored records as plain dicts, one at a time (do not modify)."""
        return self.workspace.file(self.table).scan()

    def stored(self, record_id: str | None) -> dict[str, Any] | None:
        """The stored record with this id as a plain dict (do not modify), or None: the fast
        read of one record, found without building a model or parsing the rest of a large
        file."""
        return self.workspace.file(self.table).get(record_id) if record_id else None

    def version(self) -> object:
        """A value that changes whenever the table's file changes, saved by this process or
        another (None while there is no file): keep what you compute from the table with it,
        and compute again when it differs."""
        return self.workspace.file(self.table).version_on_disk()

    def count(self, **lookups: Any) -> int:
        """How many records the table holds; with lookups, how many match them (as
        :meth:`query` says): ``repo.count(status="draft")``."""
        data_file = self.workspace.file(self.table)
        if not lookups:
            return data_file.count()
        parsed = [Lookup.parse(key, value) for key, value in lookups.items()]
        index = self.workspace.index
        if isinstance(data_file, DataFile) and all(
                index.column_of(data_file, lookup.field) for lookup in parsed):
            return index.count_where(data_file, parsed)
        return len(self._scanned(parsed))

    def count_by(self, field: str, **lookups: Any) -> dict[str | None, int]:
        """How many records match the lookups (as :meth:`query` takes them), per value of
        ``field``, a text or choice field: ``repo.count_by("client_id", status="open")`` →
        ``{"01H…": 3, …}``; records with the field empty are counted under None, values no
        record has are left out. One grouped question to SQLite when every field used is a
        column of the table's copy in the record index, else a read of the whole table."""
        data_file = self.workspace.file(self.table)
        parsed = [Lookup.parse(key, value) for key, value in lookups.items()]
        index = self.workspace.index
        column = index.column_of(data_file, field) or field_column(self.record_type, field)
        if column.kind not in ("text", "folded"):
            raise ValueError(_("{field} is not text: records are counted by a text or choice "
                               "field").format(field=field))
        if isinstance(data_file, DataFile) and all(
                index.column_of(data_file, name)
                for name in [field] + [lookup.field for lookup in parsed]):
            return {None if value is None else str(value): count for value, count in
                    index.count_by(data_file, field, parsed).items()}
        counts: Counter[str | None] = Counter()
        for record in self._scanned(parsed):
            value = column.value(record)
            counts[None if value is None else str(value)] += 1
        return dict(counts)

    def query(self, *, order_by: str | None = None, descending: bool = False,
              limit: int | None = None, **lookups: Any) -> list[R]:
        """The records that match every lookup, as models, in the order of ``order_by``
        (records with no value first; ties, and without ``order_by`` all, in the order
        stored), at most ``limit`` of them.

        Lookups are Django's: ``field=value``, ``field__ne=value``, ``field__in=[...]``,
        ``field__lt=value`` (``__lte``, ``__gt``, ``__gte``), ``field__isnull=True`` (or
        False). A record whose field is empty matches only ``__isnull=True`` (``field=None``
        is that too; ``__ne`` finds records whose field is set to another value). Values
        are given as the model holds them (a datetime, a date, a choice, a Decimal), e.g.
        ``repo.query(status__in=["draft", "review"], publish_at__gte=now, limit=20)``.

        When every field used is one the table's copy in the record index keeps as a column
        (``id``, ``client_id``, those of ``TableSpec.indexed``), SQLite answers and only the
        matching records are read; otherwise the table is read through, with the same
        answer. Either way it is what the file holds: a transaction's changes not yet
        saved are not seen. A core table's column is compared as it is kept: tasks'
        ``assignee`` trimmed and case-folded. Fields of other types than a moment, day,
        text, choice, flag or number cannot be looked up (ValueError)."""
        return [self._model(raw) for raw in self.query_raw(
            order_by=order_by, descending=descending, limit=limit, **lookups)]

    def query_raw(self, *, order_by: str | None = None, descending: bool = False,
                  limit: int | None = None, **lookups: Any) -> list[dict[str, Any]]:
        """What :meth:`query` finds, as the stored plain dicts (do not modify): for reading
        many records without building models."""
        if limit is not None and limit < 0:
            raise ValueError(_("limit is 0 or more, not {limit}").format(limit=limit))
        data_file = self.workspace.file(self.table)
        parsed = [Lookup.parse(key, value) for key, value in lookups.items()]
        fields = [lookup.field for lookup in parsed] + ([order_by] if order_by else [])
        index = self.workspace.index
        if isinstance(data_file, DataFile) and all(
                index.column_of(data_file, field) for field in fields):
            return index.select(data_file, parsed, order_by, descending, limit)
        return self._scanned(parsed, order_by, descending, limit)

    def _scanned(self, lookups: list[Lookup], order_by: str | None = None,
                 descending: bool = False, limit: int | None = None) -> list[dict[str, Any]]:
        """:meth:`query_raw` answered from a read of the whole file."""
        data_file = self.workspace.file(self.table)
        index = self.workspace.index
        columns = {field: index.column_of(data_file, field) or field_column(self.record_type, field)
                   for field in {lookup.field for lookup in lookups} | (
                       {order_by} if order_by else set())}
        return select_in_python(data_file.candidates(lookups), columns, lookups, order_by,
                                descending, limit)

    def exists(self, record_id: str) -> bool:
        """Whether a record has this id."""
        return self.workspace.file(self.table).contains(record_id)

    def get(self, record_id: str) -> R:
        """The record with this id, as a model; :class:`RecordNotFound` if there is none."""
        raw = self.workspace.file(self.table).get(record_id)
        if raw is None:
            raise RecordNotFound(_("no {noun} with id {record_id!r}").format(
                noun=self._noun, record_id=record_id))
        return self._model(raw)

    def find(self, record_id: str | None) -> R | None:
        """The record with this id, or None (also for an empty or None id)."""
        raw = self.workspace.file(self.table).get(record_id) if record_id else None
        return self._model(raw) if raw is not None else None

    def all(self) -> list[R]:
        """Every record, as models (for a large table, :meth:`scan` is faster)."""
        return [self._model(raw) for raw in self.scan()]

    def search(self, condition: QueryLike) -> list[R]:
        """Records matching a TinyDB query, e.g. ``where("client_id") == client.id``."""
        return [self._model(document) for document in self.scan() if condition(document)]

    def where(self, **values: Any) -> list[R]:
        """Records whose fields equal the given values."""
        return [
            self._model(raw)
            for raw in self.scan()
            if all(raw.get(field) == value for field, value in values.items())
        ]

    def resolve(self, name_or_id: str) -> R:
        """A record named by its id, or by its exact name (case-insensitive if unambiguous)."""
        data_file = self.workspace.file(self.table)
        by_id = data_file.get(name_or_id) if name_or_id else None
        if by_id is not None:
            return self._model(by_id)
        wanted = name_or_id.strip()
        label = "name" if "name" in self.record_type.model_fields else "title"
        folded = wanted.casefold()
        exact, similar = [], []
        names: dict[str, str] = {}
        for raw in data_file.scan():
            value = raw.get(label)
            if value == wanted:
                exact.append(raw)
            elif str(value or "").casefold() == folded:
                similar.append(raw)
            elif isinstance(value, str):
                names.setdefault(value.casefold(), value)
        matches = exact or similar
        if len(matches) == 1:
            return self._model(matches[0])
        if not matches:
            import difflib  # lazy: only for a did-you-mean hint

            close = difflib.get_close_matches(folded, list(names), n=3, cutoff=0.75)
            hint = (" (did you mean " + ", ".join(repr(names[name]) for name in close) + "?)"
                    if close else "")
            raise RecordNotFound(
                _("no {noun} named {wanted!r}{hint}; see `amtui list {table}` for names and ids")
                .format(noun=self._noun, wanted=wanted, hint=hint, table=self.table)
            )
        ids = ", ".join(raw["id"] for raw in matches[:5])
        raise RecordNotFound(
            _("{matches} {table} are named {wanted!r}; name one by id ({ids})").format(
                matches=len(matches), table=self.table, wanted=wanted, ids=ids)
        )

    # changing

    def add(self, record: R) -> R:
        """Store a new record; returns it as stored (revision 1)."""
        return self.add_many([record])[0]

    def add_many(self, records: list[R], *, keep_timestamps: bool = False) -> list[R]:
        """Store new records in one transaction and one write.

        ``keep_timestamps`` keeps the records' own creation times (imports, demo data).
        """
        now = self.workspace.clock().isoformat()
        raws = []
        for record in records:
            raw = self._dump(record)
            if keep_timestamps:
                raw["rev"] = max(record.rev, 1)
            else:
                raw.update(rev=1, created_at=now, updated_at=now)
            raws.append(raw)
        stored = [self._checked(raw) for raw in raws]
        with self.workspace.transaction(self.table) as tx:
            self._check_references(raws)
            tx.insert(self.table, raws)
        return stored

    def update(self, record: R) -> R:
        """Save changes to a record read earlier.

        Raises ConflictError if someone saved it after it was read: their change is never
        silently overwritten. Fields this version of amtui does not know are kept.
        """
        with self.workspace.transaction(self.table) as tx:
            stored = tx.get(self.table, record.id)
            if stored is None:
                self.workspace.file(self.table).check_writable()
                raise RecordNotFound(
                    _("{noun} {label!r} is no longer there (deleted meanwhile?)").format(
                        noun=self._noun, label=record.label())
                )
            if stored.get("rev") != record.rev:
                raise ConflictError(
                    _("{noun} {label!r} was changed by someone else after you opened it; "
                      "reload it, or save again to overwrite their change").format(
                          noun=self._noun, label=record.label()),
                    current=self._model(stored),
                )
            new = self._dump(record)
            changed = sorted(
                field for field, value in new.items()
                if field not in _BOOKKEEPING and stored.get(field) != value
            )
            merged = {**stored, **new}
            merged.update(
                rev=record.rev + 1,
                created_at=stored.get("created_at", new["created_at"]),
                updated_at=self.workspace.clock().isoformat(),
            )
            result = self._checked(merged)
            self._check_references([merged])
            tx.put(self.table, merged, "update", changed)
        return result

    def overwrite(self, record: R) -> R:
        """Save ``record`` over whatever is stored now (after the user chose to overwrite)."""
        current = self.get(record.id)
        return self.update(record.model_copy(update={"rev": current.rev}))

    def delete(self, record_id: str,
               unlinked: dict[str, list[str]] | None = None) -> TrashEntry:
        """Move a record to the trash, where it can be restored for 30 days. ``unlinked``:
        records that pointed to it and were unlinked (``"tasks.message_id"`` → ids), to be
        linked again when it is restored."""
        with self.workspace.transaction(TrashEntry.table, self.table) as tx:
            stored = tx.get(self.table, record_id)
            if stored is None:
                self.workspace.file(self.table).check_writable()
                raise RecordNotFound(_("no {noun} with id {record_id!r}").format(
                    noun=self._noun, record_id=record_id))
            now = self.workspace.clock()
            entry = TrashEntry(
                source_table=self.table, record_id=record_id,
                title=self._model(stored).label(), record=dict(stored),
                deleted_at=now, deleted_by=os_user(), rev=1, created_at=now, updated_at=now,
                unlinked=unlinked or {},
            )
            cutoff = now - timedelta(days=KEEP_DAYS)
            for old in list(tx.scan(TrashEntry.table)):
                if TrashEntry.model_validate(old).deleted_at < cutoff:
                    tx.remove(TrashEntry.table, old["id"], action="purge")
            tx.put(TrashEntry.table, entry.model_dump(mode="json"), "trash", [])
            tx.remove(self.table, record_id)
        return entry

    def discard(self, record_id: str) -> None:
        """Remove a record for good, not to the trash: for taking back a record just added
        (an undo) and for records amtui keeps for itself. What a person deletes goes to the
        trash (:meth:`delete`)."""
        with self.workspace.transaction(self.table) as tx:
            if tx.get(self.table, record_id) is None:
                self.workspace.file(self.table).check_writable()
                raise RecordNotFound(_("no {noun} with id {record_id!r}").format(
                    noun=self._noun, record_id=record_id))
            tx.remove(self.table, record_id, action="discard")

    # helpers

    @property
    def _noun(self) -> str:
        """What a record of this table is called, in the language in use («клиент»); a
        plugin's record by its class's name."""
        return _(self.record_type.__name__.lower())

    def _model(self, raw: dict[str, Any]) -> R:
        try:
            return self.record_type.model_validate(raw)
        except ValidationError as error:
            raise StorageError(
                _("{noun} {get!r} in data/{table}.json is not valid: "
                  "{describe_validation_error}; run `amtui doctor`").format(
                      noun=self._noun, get=raw.get('id'), table=self.table,
                      describe_validation_error=describe_validation_error(error))
            ) from None

    def _dump(self, record: R) -> dict[str, Any]:
        if not isinstance(record, self.record_type):
            raise TypeError(f"expected {self.record_type.__name__}, got {type(record).__name__}")
        return record.model_dump(mode="json")

    def _checked(self, raw: dict[str, Any]) -> R:
        try:
            return self.record_type.model_validate(raw)
        except ValidationError as error:
            raise InvalidRecord(describe_validation_error(error)) from None

    def _check_references(self, raws: list[dict[str, Any]]) -> None:
        for field, table in self.record_type.references.items():
            values = {str(raw[field]) for raw in raws if raw.get(field)}
            if not values:
                continue
            known = self.workspace.file(table)
            if len(values) > 20:
                stored = {raw["id"] for raw in known.scan() if raw["id"] in values}
                missing = sorted(values - stored)
            else:
                missing = sorted(value for value in values if not known.contains(value))
            if missing:
                noun = table.removesuffix("s")
                raise InvalidRecord(_("{replace}: unknown {noun} {missing!r}").format(
                    replace=field.replace('_', ' '), noun=noun, missing=missing[0]))


class TrashBin:
    """The workspace trash: list and restore deleted records."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def entries(self) -> list[TrashEntry]:
        """What the trash holds and may still be restored, newest first."""
        cutoff = self.workspace.clock() - timedelta(days=KEEP_DAYS)
        entries = self.workspace.repo(TrashEntry).all()
        return sorted(
            (entry for entry in entries if entry.deleted_at >= cutoff),
            key=lambda entry: entry.deleted_at, reverse=True,
        )

    def restore(self, entry_id: str) -> dict[str, Any]:
        """Put a deleted record back, and link again the records unlinked from it; returns
        it as stored. Refused (InvalidRecord) while a record it belongs to (its client) is
        in the trash or gone; a link it may do without (an assignee who left) is dropped."""
        trash = self.workspace.repo(TrashEntry)
        entry = trash.get(entry_id)
        links = {key: key.partition(".") for key in entry.unlinked}
        tables = {table for table, _dot, _field in links.values()}
        with self.workspace.transaction(entry.source_table, TrashEntry.table,
                                        *sorted(tables)) as tx:
            restored = dict(entry.record)
            if tx.get(entry.source_table, restored["id"]) is not None:
                raise InvalidRecord(_("{title!r} is already back in {source_table}").format(
                    title=entry.title, source_table=entry.source_table))
            self._check_owners(entry, restored)
            now = self.workspace.clock().isoformat()
            restored["rev"] = int(restored.get("rev", 0)) + 1
            restored["updated_at"] = now
            tx.put(entry.source_table, restored, "restore", [])
            tx.remove(TrashEntry.table, entry_id, action="restore")
            for key, (table, _dot, field) in links.items():
                for record_id in entry.unlinked[key]:
                    linked = tx.get(table, record_id)
                    if linked is not None and not linked.get(field):
                        tx.put(table, {**linked, field: restored["id"],
                                       "rev": int(linked.get("rev", 0)) + 1,
                                       "updated_at": now}, "update", [field])
        return restored

    def _check_owners(self, entry: TrashEntry, restored: dict[str, Any]) -> None:
        """Refuse to restore a record that points to one in the trash (its client): that one
        comes back first. A link to a record gone for good is dropped if the record can do
        without it (an assignee), else the restore is refused."""
        spec = self.workspace.table_spec(entry.source_table)
        if spec is None:
            return
        for field, table in spec.model.references.items():
            target = restored.get(field)
            if not target or self.workspace.file(table).contains(str(target)):
                continue
            noun = table.removesuffix("s")
            owner = next((other for other in self.entries()
                          if other.source_table == table and other.record_id == target), None)
            if owner is not None:
                raise InvalidRecord(_("restore the {noun} «{title}» first: {title2!r} belongs "
                                      "to it, and it is in the trash too").format(
                                          noun=noun, title=owner.title, title2=entry.title))
            info = spec.model.model_fields.get(field)
            if info is None or info.is_required():
                raise InvalidRecord(_("{title!r} cannot be restored: its {noun} is gone").format(
                    title=entry.title, noun=noun))
            restored[field] = None


