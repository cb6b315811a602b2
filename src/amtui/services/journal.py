"""The undo journal shared by the app and the ``amtui`` command (see
:mod:`amtui.storage.journal`): each user's changes that can be undone, taken back newest
first by ``u`` in the app or by ``amtui undo``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amtui import identity
from amtui.i18n import _
from amtui.services.undo import NothingToUndo, Undo, revert_step
from amtui.storage import StorageError
from amtui.storage.journal import FROM_APP, FROM_COMMAND, KEEP_CHANGES, JournalEntry

if TYPE_CHECKING:
    from datetime import datetime

    from amtui.storage import Workspace


def record(workspace: Workspace, change: Undo, origin: str) -> str | None:
    """Note ``change`` as this user's last, made in ``origin`` (:data:`~amtui.storage.journal.
    FROM_COMMAND` or ``FROM_APP``); returns its entry's id. A change that only this
    process can take back (no steps), or a journal that cannot be written (a read-only
    workspace), leaves no entry: None."""
    if not change.steps:
        return None
    login = identity.os_user()
    journal = workspace.repo(JournalEntry)
    try:
        saved = journal.add(JournalEntry(login=login, description=change.description,
                                         made_at=workspace.clock(), origin=origin,
                                         steps=list(change.steps)))
        for old in changes_of(workspace, login)[:-KEEP_CHANGES]:
            journal.discard(old.id)
    except StorageError:
        return None
    return saved.id


def changes_of(workspace: Workspace, login: str) -> list[JournalEntry]:
    """The changes ``login`` can undo, oldest first."""
    mine = [entry for entry in workspace.repo(JournalEntry).all() if entry.login == login]
    return sorted(mine, key=lambda entry: (entry.made_at, entry.id))


def last_change(workspace: Workspace) -> JournalEntry | None:
    """This user's last change that can be undone, if any."""
    mine = changes_of(workspace, identity.os_user())
    return mine[-1] if mine else None


def where_made(entry: JournalEntry) -> str:
    """Where ``entry``'s change was made, as a question to undo it says it ("with the amtui
    command"), for a change this app did not make."""
    if entry.origin == FROM_COMMAND:
        return _("with the amtui command")
    if entry.origin == FROM_APP:
        return _("in another amtui window")
    return _("elsewhere")


def take_back(workspace: Workspace, entry_id: str, description: str) -> None:
    """Revert the change recorded as ``entry_id`` (newest step first) and forget it; if it is
    no longer recorded, it was undone already, elsewhere: NothingToUndo says so."""
    journal = workspace.repo(JournalEntry)
    entry = journal.find(entry_id)
    if entry is None:
        raise NothingToUndo(_("{what}: undone already (by `amtui undo` or in another "
                              "window).").format(what=description))
    unknown = {step["table"] for step in entry.steps} - set(workspace.table_names)
    if unknown:  # a plugin's table, and the plugin is not loaded: keep it for later
        raise StorageError(_("{what}: cannot be undone without the plugin of {tables}").format(
            what=description, tables=", ".join(sorted(unknown))))
    journal.discard(entry.id)
    for step in reversed(entry.steps):
        revert_step(workspace, step)


def undoable(workspace: Workspace, change: Undo) -> Undo:
    """``change``, made in the app, recorded in the journal; its undo takes it back through
    the journal, so a change undone elsewhere is not taken back twice."""
    entry_id = record(workspace, change, FROM_APP)
    if entry_id is None:
        return change
    return Undo(change.description,
                lambda: take_back(workspace, entry_id, change.description), change.steps,
                entry_id)


def newer_change(workspace: Workspace, change: Undo | None,
                 since: datetime | None = None) -> JournalEntry | None:
    """This user's last change, if it was made after ``change`` (elsewhere: by the ``amtui``
    command, or in another window) and ``change`` is still to be undone; with no ``change``,
    their last one made ``since``. None: ``change`` is the one to undo."""
    last = last_change(workspace)
    if last is None:
        return None
    if change is None:
        return last if since is None or last.made_at >= since else None
    if not change.recorded or last.id == change.recorded:
        return None
    return last if workspace.repo(JournalEntry).exists(change.recorded) else None
