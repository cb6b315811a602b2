"""What can go wrong with stored data, each with a message a person can act on."""

from __future__ import annotations

from typing import Any


class StorageError(Exception):
    """A problem with the workspace's files. ``str(error)`` is the message to show."""


class WorkspaceNotFound(StorageError):
    pass


class LockTimeout(StorageError):
    """Another process held a data file's lock for too long."""


class ReadOnlyError(StorageError):
    """The table cannot be changed: damaged, written by a newer amtui, or not writable."""


class DiskFullError(StorageError):
    pass


class UnsafePathError(StorageError):
    """A link (or another kind of file) stands where a workspace file or folder should be;
    amtui refuses to follow it, so a teammate cannot make it write or copy elsewhere."""


class RecordNotFound(StorageError):
    """No record has the id (or the name) asked for."""


class InvalidRecord(StorageError):
    """A record failed validation; nothing was saved."""


class ConflictError(StorageError):
    """Someone saved the record after we read it; saving over it would lose their change."""

    def __init__(self, message: str, current: Any) -> None:
        super().__init__(message)
        self.current = current
        """The record as it is stored now."""
