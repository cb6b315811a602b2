"""Crash-safe writes: a temp file beside the target, fsync, fchmod, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from amtui.storage.errors import DiskFullError, ReadOnlyError, StorageError

TEMP_MARK = ".tmp-"
"""Temp files are named ``.<target name>.tmp-<random>`` in the target's folder."""


def file_mode_for(folder: Path) -> int:
    """0660 in a group-writable folder (a team's shared workspace), 0600 otherwise."""
    try:
        folder_mode = folder.stat().st_mode
    except OSError:
        return 0o600
    return 0o660 if folder_mode & stat.S_IWGRP else 0o600


def make_folder(path: Path, like: Path, *, inherit_group: bool = True) -> None:
    """Create ``path`` (and parents) sharing the group permissions of folder ``like``.

    Without ``inherit_group`` the group bits are shared only when ``like`` is a setgid
    (team) folder; a workspace created in an ordinary folder is private to its owner.
    """
    if path.is_dir():
        return
    try:
        like_mode = stat.S_IMODE(like.stat().st_mode)
    except OSError:
        like_mode = 0
    shared = inherit_group or bool(like_mode & stat.S_ISGID)
    mode = 0o700 | (like_mode & (stat.S_ISGID | 0o070) if shared else 0)
    missing = []
    folder = path
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    try:
        for folder in reversed(missing):  # every new folder, not only the last, gets the mode
            folder.mkdir(exist_ok=True)
            folder.chmod(mode)
    except OSError as error:
        raise _as_storage_error(error, path) from None


def atomic_write(path: Path, content: bytes | Iterable[bytes | memoryview],
                 file_mode: int) -> os.stat_result:
    """Replace ``path`` with ``content`` (bytes, or pieces written one after another) so that
    readers see the old file or the new, never a mix.

    Returns the new file's stat. On failure the old file is untouched and the temp file removed.
    """
    pieces = [content] if isinstance(content, bytes) else content

    def fill(fd: int) -> None:
        for piece in pieces:
            _write_all(fd, piece)

    return _replace(path, file_mode, fill)


Edit = tuple[int, int, bytes]
"""Replace the bytes ``[start, end)`` of a file with new bytes."""


def atomic_patch(path: Path, edits: list[Edit], file_mode: int) -> os.stat_result:
    """Replace ``path`` with a copy that has ``edits`` (sorted, not overlapping) applied,
    atomically. Unchanged stretches are copied inside the kernel, so a large file is never
    read into memory and only the edited bytes are encoded."""
    try:
        source = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as error:
        raise _as_storage_error(error, path) from None

    def fill(fd: int) -> None:
        size = os.fstat(source).st_size
        cursor = 0
        for start, end, replacement in [*edits, (size, size, b"")]:
            _copy_range(source, fd, cursor, start)
            _write_all(fd, replacement)
            cursor = end

    try:
        return _replace(path, file_mode, fill)
    finally:
        os.close(source)


def _replace(path: Path, file_mode: int, fill: Callable[[int], None]) -> os.stat_result:
    """Write a temp file beside ``path`` with ``fill``, make it durable, rename it over
    ``path`` and make the rename durable. Returns the new file's stat."""
    try:
        fd, temp_name = _create_temp(path)
    except OSError as error:
        raise _as_storage_error(error, path) from None
    try:
        try:
            os.fchmod(fd, file_mode)
            fill(fd)
            os.fsync(fd)
            result = os.fstat(fd)
        finally:
            os.close(fd)
        os.replace(temp_name, path)
    except OSError as error:
        _remove_quietly(temp_name)
        raise _as_storage_error(error, path) from None
    except BaseException:
        _remove_quietly(temp_name)
        raise
    fsync_folder(path.parent)
    return result


def _create_temp(path: Path) -> tuple[int, str]:
    """A new, empty temp file beside ``path``, only readable by its owner."""
    while True:
        name = str(path.parent / f".{path.name}{TEMP_MARK}{os.urandom(6).hex()}")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue


def _copy_range(source: int, target: int, start: int, end: int) -> None:
    offset = start
    while offset < end:
        copied = os.copy_file_range(source, target, end - offset, offset)
        if copied == 0:
            raise OSError(errno.EIO, "the file shrank while it was copied")
        offset += copied


def _write_all(fd: int, content: bytes | memoryview) -> None:
    view = memoryview(content)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def append_line(path: Path, line: bytes, file_mode: int) -> None:
    """Append one line to an append-only log, durably."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, file_mode)
        try:
            status = os.fstat(fd)
            if status.st_uid == os.getuid() and stat.S_IMODE(status.st_mode) != file_mode:
                os.fchmod(fd, file_mode)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        raise _as_storage_error(error, path) from None


def fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_temp_file(name: str) -> bool:
    return name.startswith(".") and TEMP_MARK in name


def temp_target(name: str) -> str:
    """The data file a temp file was written for."""
    return name[1:].split(TEMP_MARK, 1)[0]


def _remove_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _as_storage_error(error: OSError, path: Path) -> StorageError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(
            f"the disk is full: {path.name} was not saved and is unchanged; free some space "
            "and try again"
        )
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyError(
            f"cannot write {path}: {error.strerror}; the workspace is read-only for "
            "this user, so nothing was changed"
        )
    return StorageError(f"could not save {path}: {error.strerror or error}; nothing was changed")


def write_text_file(path: Path | str, text: str, *, private: bool = False) -> Path:
    """Write an export (a report, a calendar, a statement) whole: readers see the old file or
    the new, never a part. ``private``: readable by the owner only (0600), else 0644."""
    try:
        target = Path(path).expanduser()
    except RuntimeError:  # ~user, and no such user
        raise ValueError(f"{path}: no user has that home folder") from None
    if target.is_dir():
        raise ValueError(f"{target} is a folder; give a file name")
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/null): the rename would put a file in its place.
        raise ValueError(f"{target} is not a regular file; give a file name")
    atomic_write(target, text.encode("utf-8"), 0o600 if private else 0o644)
    return target
