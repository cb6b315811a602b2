"""The workspace store: TinyDB documents in crash-safe, locked, versioned JSON files.

Only this package knows TinyDB; everything else uses repositories that return models.
"""

from amtui.identity import os_user
from amtui.storage.datafile import TableSpec
from amtui.storage.errors import (
    ConflictError,
    DiskFullError,
    InvalidRecord,
    LockTimeout,
    ReadOnlyError,
    RecordNotFound,
    StorageError,
    WorkspaceNotFound,
)
from amtui.storage.repository import Repository, TrashBin
from amtui.storage.trash import TrashEntry
from amtui.storage.workspace import Workspace

__all__ = [
    "ConflictError",
    "DiskFullError",
    "InvalidRecord",
    "LockTimeout",
    "ReadOnlyError",
    "RecordNotFound",
    "Repository",
    "StorageError",
    "TableSpec",
    "TrashBin",
    "TrashEntry",
    "Workspace",
    "WorkspaceNotFound",
    "os_user",
]
