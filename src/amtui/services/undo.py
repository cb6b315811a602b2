"""Changes that can be undone: each saving helper returns what it saved and how to revert it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from amtui.i18n import _
from amtui.models import Record
from amtui.storage import ConflictError, StorageError, TrashBin, TrashEntry

if TYPE_CHECKING:
    from amtui.storage import Repository, Workspace

R = TypeVar("R", bound=Record)


Step = dict[str, Any]
"""One step of a change as data, enough to revert it in another process (see
:func:`revert_step`): ``{"action": "add" | "update" | "delete" | "restore", "table", "id",
…}``."""


@dataclass(frozen=True)
class Undo:
    """How to revert one change."""

    description: str
    """What the change was, e.g. "client «Ромашка» edited"."""
    revert: Callable[[], object]
    """Takes the change back (called in a worker when ``u`` is pressed); raises
    :class:`amtui.api.StorageError` if it cannot."""
    steps: tuple[Step, ...] = ()
    """The change as data, oldest step first, for the undo journal (see :mod:`amtui.services.
    journal`); empty for a change only this process can take back."""
    recorded: str = ""
    """Its entry in the undo journal, once recorded there."""


class NothingToUndo(Exception):
    """The change was taken back already, another way (its record restored from the trash):
    ``str(notice)`` says so, as a notice rather than an error."""


def add(workspace: Workspace, record: R, description: str) -> tuple[R, Undo]:
    """Store a new record; undo removes it: for good while it is as it was added (nobody
    deleted it, so it is not for the trash), to the trash if it was changed since (those
    changes can then still be restored)."""
    repository: Repository[R] = workspace.repo(type(record))
    saved = repository.add(record)
    step = _added(saved)
    return saved, Undo(description, lambda: revert_step(workspace, step), (step,))


def _added(saved: Record) -> Step:
    return {"action": "add", "table": saved.table, "id": saved.id,
            "record": saved.model_dump(mode="json")}


def _take_back(repository: Repository[R], saved: R) -> None:
    """Remove a record added by this session: for good while it is as added, to the trash if
    it was changed since; nothing if someone deleted it meanwhile."""
    current = repository.find(saved.id)
    if current is None:
        return
    if _content(current) != _content(saved):
        repository.delete(saved.id)
    else:
        repository.discard(saved.id)


def add_many(workspace: Workspace, records: list[R], description: str) -> tuple[list[R], Undo]:
    """Store new records of one type in one write; undo removes each as :func:`add`'s undo
    does, skipping those deleted since."""
    if not records:
        return [], Undo(description, lambda: None)
    repository: Repository[R] = workspace.repo(type(records[0]))
    saved = repository.add_many(records)
    steps = tuple(map(_added, saved))

    def revert() -> None:
        for step in steps:
            revert_step(workspace, step)

    return saved, Undo(description, revert, steps)


def update(workspace: Workspace, record: R, description: str) -> tuple[R, Undo]:
    """Save ``record`` (read earlier); undo puts back the version it replaced, unless someone
    changed it again since."""
    repository: Repository[R] = workspace.repo(type(record))
    before = repository.get(record.id)
    saved = repository.update(record)
    step = {"action": "update", "table": saved.table, "id": saved.id,
            "before": before.model_dump(mode="json"), "after": saved.model_dump(mode="json")}
    return saved, Undo(description, lambda: revert_step(workspace, step), (step,))


def overwrite(workspace: Workspace, record: R, description: str) -> tuple[R, Undo]:
    """Save ``record`` over a newer version someone else saved (the user chose to); undo
    puts back that version."""
    current = workspace.repo(type(record)).get(record.id)
    return update(workspace, record.model_copy(update={"rev": current.rev}), description)


def delete(workspace: Workspace, record_type: type[R], record_id: str,
           description: str, unlinked: dict[str, list[str]] | None = None) -> Undo:
    """Move a record to the trash; undo restores it (and links again the records
    ``unlinked`` from it: ``"tasks.message_id"`` → ids)."""
    entry = workspace.repo(record_type).delete(record_id, unlinked)
    step = {"action": "delete", "table": entry.source_table, "id": entry.record_id,
            "trash_id": entry.id, "title": entry.title}
    return Undo(description, lambda: revert_step(workspace, step), (step,))


def delete_unlinking(workspace: Workspace, record_type: type[R], record_id: str,
                     description: str, links: tuple[tuple[type[Record], str], ...]) -> Undo:
    """Move a record to the trash, first unlinking the records that point to it through each
    ``(type, field)`` of ``links`` (they stay, pointing to nothing); undo restores it and links
    them again. If the delete fails, they are linked again at once."""
    unlinked: list[tuple[Repository[Any], str, Record]] = []
    ids: dict[str, list[str]] = {}
    try:
        for linked_type, field in links:
            repository: Repository[Any] = workspace.repo(linked_type)
            key = f"{linked_type.table}.{field}"
            ids[key] = []
            for linked in repository.where(**{field: record_id}):
                saved = repository.update(linked.model_copy(update={field: None}))
                unlinked.append((repository, field, saved))
                ids[key].append(saved.id)
        return delete(workspace, record_type, record_id, description, ids)
    except Exception:
        for repository, field, record in unlinked:  # the record stays: so do its links
            repository.update(record.model_copy(update={field: record_id}))
        raise


def _restore_deleted(workspace: Workspace, step: Step) -> None:
    """Bring back the record a delete put in the trash: from its entry, or from the one a
    later delete of the same record made. If it is out of the trash already, say so."""
    trash = TrashBin(workspace)
    if workspace.repo(TrashEntry).exists(step["trash_id"]):
        trash.restore(step["trash_id"])
        return
    later = next((other for other in trash.entries() if other.source_table == step["table"]
                  and other.record_id == step["id"]), None)
    if later is not None:
        trash.restore(later.id)
    elif workspace.file(step["table"]).contains(step["id"]):
        raise NothingToUndo(_("«{name}» was restored from the trash already.").format(
            name=step["title"]))
    else:
        raise NothingToUndo(_("«{name}» is no longer in the trash.").format(
            name=step["title"]))


def restore(workspace: Workspace, entry: TrashEntry, description: str) -> Undo:
    """Put a deleted record back from the trash (linking again what its delete unlinked);
    undo deletes it again, to the trash, unlinking those records again."""
    spec = workspace.table_spec(entry.source_table)
    if spec is None:
        raise StorageError(_("no table named {source_table!r}").format(
            source_table=entry.source_table))
    TrashBin(workspace).restore(entry.id)
    step = {"action": "restore", "table": entry.source_table, "id": entry.record_id,
            "unlinked": entry.unlinked}
    return Undo(description, lambda: revert_step(workspace, step), (step,))


def _delete_again(workspace: Workspace, step: Step) -> None:
    """Delete a restored record again, to the trash, unlinking again the records its restore
    linked to it."""
    spec = workspace.table_spec(step["table"])
    if spec is None:
        raise StorageError(_("no table named {source_table!r}").format(
            source_table=step["table"]))
    unlinked: dict[str, list[str]] = {}
    for key, (repository, field, ids) in _relinked(workspace, step["unlinked"]).items():
        for record in map(repository.find, ids):
            if record is not None and getattr(record, field) == step["id"]:
                repository.update(record.model_copy(update={field: None}))
                unlinked.setdefault(key, []).append(record.id)
    workspace.repo(spec.model).delete(step["id"], unlinked)


def _relinked(workspace: Workspace, links: dict[str, list[str]],
              ) -> dict[str, tuple[Repository[Any], str, list[str]]]:
    """The records a restore linked again, by ``"table.field"``: their repository, field
    and ids."""
    relinked: dict[str, tuple[Repository[Any], str, list[str]]] = {}
    for key, ids in links.items():
        table, _dot, field = key.partition(".")
        spec = workspace.table_spec(table)
        if spec is not None and ids:
            relinked[key] = (workspace.repo(spec.model), field, ids)
    return relinked


def revert_step(workspace: Workspace, step: Step) -> object:
    """Take back one step of a change (see :attr:`Undo.steps`): an added record removed, an
    update's record put back as it was, a deleted record restored, a restored one deleted
    again."""
    action = step["action"]
    if action == "delete":
        _restore_deleted(workspace, step)
        return None
    if action == "restore":
        _delete_again(workspace, step)
        return None
    spec = workspace.table_spec(step["table"])
    if spec is None:
        raise StorageError(_("no table named {table!r}").format(table=step["table"]))
    repository: Repository[Any] = workspace.repo(spec.model)
    if action == "add":
        _take_back(repository, spec.model.model_validate(step["record"]))
        return None
    current = repository.get(step["id"])
    if _content(current) != _content(spec.model.model_validate(step["after"])):
        raise ConflictError(
            _("{label!r} was changed again since; it was not undone").format(
                label=current.label()), current
        )
    before = spec.model.model_validate(step["before"])
    return repository.update(before.model_copy(update={"rev": current.rev}))


def _content(record: Record) -> dict[str, Any]:
    """A record without its bookkeeping: what a person would call its content."""
    return record.model_dump(exclude={"rev", "updated_at"})
