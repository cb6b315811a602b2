"""Plugin failures remembered per workspace, until the plugin's files change.

A plugin whose hook raised at run time stays switched off in every later process (the app, each
command) with the time, the hook and the message, until one of its files changes (edited,
replaced, touched): then it is tried again. They are kept in ``.state/plugin-failures.json``
in the workspace, written whole (atomically) under the lock ``.locks/plugin-failures.lock``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

STATE_FILE = Path(".state") / "plugin-failures.json"
LOCK_FILE = Path(".locks") / "plugin-failures.lock"


@dataclass(frozen=True)
class Failure:
    """A plugin's remembered failure."""

    time: str
    """When, ISO 8601 with the offset."""
    hook: str
    """The hook (or pane, command) that failed."""
    error: str
    fingerprint: str
    """Of the plugin's files when it failed (see :func:`fingerprint`)."""


def fingerprint(source: str, location: str, version: str = "") -> str:
    """What changes when a plugin's files change: the path, size and modification time of
    each of its files (an installed plugin: its version)."""
    if source == "entry point":
        return f"{location} {version}"
    path = Path(location)
    files = [path] if path.is_file() else sorted(
        item for item in path.rglob("*")
        if "__pycache__" not in item.parts and item.is_file())
    digest = hashlib.sha256()
    for item in files:
        try:
            info = item.stat()
        except OSError:
            continue
        digest.update(f"{item}\0{info.st_size}\0{info.st_mtime_ns}\n".encode(
            "utf-8", "surrogateescape"))
    return digest.hexdigest()


def remembered(root: Path) -> dict[str, Failure]:
    """The failures remembered in the workspace at ``root`` (none if it has not any, or the
    file cannot be read)."""
    try:
        fd = os.open(root / STATE_FILE, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        with os.fdopen(fd, "rb") as handle:
            found = json.loads(handle.read())
        return {str(name): Failure(**entry) for name, entry in found.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}  # damaged: as if nothing were remembered; the next failure rewrites it


def remember(root: Path, changes: dict[str, Failure | None]) -> None:
    """Remember (a Failure) or forget (None) each plugin's failure, under the lock; a
    workspace this user cannot write to remembers nothing (the failure is still shown)."""
    # lazy: the store, only when there is a failure to remember or forget
    from amtui.storage.errors import StorageError
    from amtui.storage.files import atomic_write, file_mode_for
    from amtui.storage.locks import FileLock

    try:
        mode = file_mode_for(root)
        with FileLock(root / LOCK_FILE, mode, timeout=2.0, root=root):
            failures = remembered(root)
            for name, failure in changes.items():
                if failure is None:
                    failures.pop(name, None)
                else:
                    failures[name] = failure
            text = json.dumps({name: asdict(failure) for name, failure in failures.items()},
                              ensure_ascii=False, indent=1)
            atomic_write(root / STATE_FILE, text.encode(), mode, within=root)
    except (StorageError, OSError):
        return
