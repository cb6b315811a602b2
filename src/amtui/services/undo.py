"""Changes that can be undone: each saving helper returns what it saved and how to revert it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from amtui.models import Record
from amtui.storage import ConflictError, TrashBin

if TYPE_CHECKING:
    from amtui.storage import Repository, Workspace

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Undo:
    """How to revert one change."""

    description: str
    """What the change was, e.g. "client «Ромашка» edited"."""
    revert: Callable[[], object]


def add(workspace: Workspace, record: R, description: str) -> tuple[R, Undo]:
    """Store a new record; undo removes it: for good while it is as it was added (nobody
    deleted it, so it is not for the trash), to the trash if it was changed since (those
    changes can then still be restored)."""
    repository: Repository[R] = workspace.repo(type(record))
    saved = repository.add(record)

    def revert() -> None:
        if _content(repository.get(saved.id)) != _content(saved):
            repository.delete(saved.id)
        else:
            repository.discard(saved.id)

    return saved, Undo(description, revert)


def update(workspace: Workspace, record: R, description: str) -> tuple[R, Undo]:
    """Save ``record`` (read earlier); undo puts back the version it replaced, unless someone
    changed it again since."""
    repository: Repository[R] = workspace.repo(type(record))
    before = repository.get(record.id)
    saved = repository.update(record)

    def revert() -> R:
        current = repository.get(saved.id)
        if _content(current) != _content(saved):
            raise ConflictError(
                f"{current.label()!r} was changed again since; it was not undone", current
            )
        return repository.update(before.model_copy(update={"rev": current.rev}))

    return saved, Undo(description, revert)


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
    return Undo(description, lambda: TrashBin(workspace).restore(entry.id))


def _content(record: Record) -> dict[str, Any]:
    """A record without its bookkeeping: what a person would call its content."""
    return record.model_dump(exclude={"rev", "updated_at"})
