"""Crash-safe writes that follow no link inside a workspace.

A file is replaced by writing a temp file beside it: flush, fsync, fchmod, rename, fsync the
folder. Inside a workspace every folder on the way is opened one at a time from the workspace
folder without following a symbolic link (``O_NOFOLLOW`` and ``dir_fd``), and every file is
opened the same way and checked to be a regular file, so a teammate who may write to a shared
workspace cannot point amtui's writes, chmods or copies at someone else's files.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from amtui.i18n import _
from amtui.storage.errors import (
    DiskFullError,
    LockTimeout,
    ReadOnlyError,
    StorageError,
    UnsafePathError,
)

TEMP_MARK = ".tmp-"
"""Temp files are named ``.<target name>.tmp-<random>`` in the target's folder."""

FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
"""Added to every open of a workspace file: no link, and no waiting on a FIFO put there."""

APPEND_LOCK_SECONDS = 10.0
"""How long an append waits for another process's append to the same log."""


def file_mode_for(folder: Path) -> int:
    """0660 in a group-writable folder (a team's shared workspace), 0600 otherwise."""
    try:
        folder_mode = folder.stat().st_mode
    except OSError:
        return 0o600
    return 0o660 if folder_mode & stat.S_IWGRP else 0o600


def _folder_mode(like_mode: int, shared: bool) -> int:
    return 0o700 | (like_mode & (stat.S_ISGID | 0o070) if shared else 0)


def link_refused(path: Path) -> UnsafePathError:
    return UnsafePathError(
        f"{path} is a symbolic link, and amtui follows no link inside a workspace (it could "
        "lead to someone else's files); nothing was changed: put the real file or folder "
        "there, or remove the link"
    )


def _not_regular(path: Path, what: str) -> UnsafePathError:
    return UnsafePathError(
        f"{path} is {what}, not a regular file; amtui reads and writes only regular files in "
        "a workspace, so nothing was changed: remove it and try again"
    )


def open_folder(root: Path, folder: Path, *, create: bool = False) -> int:
    """A descriptor of ``folder`` (``root`` itself or a folder inside it), reached from
    ``root`` one folder at a time without following a link. With ``create`` missing folders
    are made, with the group permissions of ``root``.

    Raises UnsafePathError for a link (or a file) on the way, else OSError
    (FileNotFoundError when a folder is missing).
    """
    parts = folder.relative_to(root).parts
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        mode = _folder_mode(stat.S_IMODE(os.fstat(fd).st_mode), True) if create and parts \
            else None
        where = root
        for part in parts:
            where = where / part
            child = _open_child_folder(fd, part, where, mode)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_child_folder(parent: int, name: str, path: Path, create_mode: int | None) -> int:
    try:
        return os.open(name, FOLDER_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if create_mode is None:
            raise
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            raise _refusal(parent, name, path) from None
        raise
    try:
        os.mkdir(name, 0o700, dir_fd=parent)
        made = True
    except FileExistsError:
        made = False  # made by another process just now
    child = _open_child_folder(parent, name, path, None)
    if made:
        try:
            os.fchmod(child, create_mode)
        except BaseException:
            os.close(child)
            raise
        _note(path, None)
    return child


def _refusal(parent: int, name: str, path: Path) -> UnsafePathError:
    try:
        kind = os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode
    except OSError:
        kind = 0
    if stat.S_ISLNK(kind):
        return link_refused(path)
    return UnsafePathError(f"{path} is a file where amtui keeps a folder; nothing was changed: "
                           "move it aside and try again")


def open_in(within: Path, path: Path, flags: int, mode: int = 0o600, *,
            create_folders: bool = False) -> int:
    """Open ``path`` (inside folder ``within``) following no link, to it or to a folder
    between; it must be a regular file. Raises UnsafePathError, else OSError."""
    folder = open_folder(within, path.parent, create=create_folders)
    try:
        return open_at(folder, path, flags, mode)
    finally:
        os.close(folder)


def open_at(folder: int, path: Path, flags: int, mode: int = 0o600) -> int:
    """Open ``path.name`` in the folder open as ``folder``, as :func:`open_in` does."""
    created = False
    fd = -1
    if flags & os.O_CREAT and _LOGS:
        try:  # learn whether this process makes the file (see CreationLog)
            fd = os.open(path.name, flags | os.O_EXCL | FILE_FLAGS, mode, dir_fd=folder)
            created = True
        except FileExistsError:
            pass
        except OSError as error:
            raise _open_refusal(error, path) from None
    if fd < 0:
        try:
            fd = os.open(path.name, flags | FILE_FLAGS, mode, dir_fd=folder)
        except OSError as error:
            raise _open_refusal(error, path) from None
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        raise _not_regular(path, "a folder" if stat.S_ISDIR(status.st_mode) else "a special file")
    if created:
        _note(path, status, in_place=True)
    return fd


def _open_refusal(error: OSError, path: Path) -> OSError | StorageError:
    if error.errno == errno.ELOOP:
        return link_refused(path)
    if error.errno == errno.ENXIO:  # a FIFO nobody reads
        return _not_regular(path, "a special file")
    return error


def check_one_name(fd: int, path: Path) -> os.stat_result:
    """The stat of a file amtui changes in place (a lock, the audit log), refused if it has
    another name: a hard link could lead to someone else's file."""
    status = os.fstat(fd)
    if status.st_nlink != 1:
        raise UnsafePathError(
            _("{path} has {st_nlink} names (hard links); amtui changes such a file in place "
              "only when it has one, so nothing was changed: remove it and try again").format(
                  path=path, st_nlink=status.st_nlink)
        )
    return status


def make_folder(path: Path, like: Path, *, inherit_group: bool = True) -> None:
    """Create ``path`` (and parents) sharing the group permissions of folder ``like``.

    A folder inside ``like`` (a workspace) is reached without following links. Without
    ``inherit_group`` (the workspace folder itself) the group bits are shared only when
    ``like`` is a setgid (team) folder; a workspace created in an ordinary folder is private
    to its owner.
    """
    if inherit_group and path.is_relative_to(like):
        try:
            os.close(open_folder(like, path, create=True))
        except OSError as error:
            raise _as_storage_error(error, path) from None
        return
    if path.is_dir():
        return
    try:
        like_mode = stat.S_IMODE(like.stat().st_mode)
    except OSError:
        like_mode = 0
    mode = _folder_mode(like_mode, inherit_group or bool(like_mode & stat.S_ISGID))
    missing = []
    folder = path
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    try:
        for folder in reversed(missing):  # every new folder, not only the last, gets the mode
            folder.mkdir(exist_ok=True)
            fd = os.open(folder, FOLDER_FLAGS)
            try:
                os.fchmod(fd, mode)
            finally:
                os.close(fd)
            _note(folder, None)
    except OSError as error:
        raise _as_storage_error(error, path) from None


def atomic_write(path: Path, content: bytes | Iterable[bytes | memoryview],
                 file_mode: int, *, within: Path | None = None) -> os.stat_result:
    """Replace ``path`` with ``content`` (bytes, or pieces written one after another) so that
    readers see the old file or the new, never a mix.

    ``within``: the workspace holding ``path``; its folders on the way are made if missing
    and reached without following a link. Returns the new file's stat. On failure the old
    file is untouched and the temp file removed.
    """
    pieces = [content] if isinstance(content, bytes) else content

    def fill(fd: int) -> None:
        for piece in pieces:
            _write_all(fd, piece)

    return _replace(path, file_mode, fill, within)


Edit = tuple[int, int, bytes]
"""Replace the bytes ``[start, end)`` of a file with new bytes."""


def atomic_patch(path: Path, edits: list[Edit], file_mode: int, *,
                 within: Path | None = None) -> os.stat_result:
    """Replace ``path`` with a copy that has ``edits`` (sorted, not overlapping) applied,
    atomically. Unchanged stretches are copied inside the kernel, so a large file is never
    read into memory and only the edited bytes are encoded."""
    try:
        source = open_in(within or path.parent, path, os.O_RDONLY)
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
        return _replace(path, file_mode, fill, within)
    finally:
        os.close(source)


def _replace(path: Path, file_mode: int, fill: Callable[[int], None],
             within: Path | None) -> os.stat_result:
    """Write a temp file beside ``path`` with ``fill``, make it durable, rename it over
    ``path`` and make the rename durable. Returns the new file's stat."""
    try:
        folder = open_folder(within or path.parent, path.parent, create=within is not None)
    except OSError as error:
        raise _as_storage_error(error, path) from None
    try:
        try:
            fd, temp_name = _create_temp(folder, path)
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
            os.replace(temp_name, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        except OSError as error:
            _remove_quietly(temp_name, folder)
            raise _as_storage_error(error, path) from None
        except BaseException:
            _remove_quietly(temp_name, folder)
            raise
        with contextlib.suppress(OSError):
            os.fsync(folder)
    finally:
        os.close(folder)
    _note(path, result)
    return result


def _create_temp(folder: int, path: Path) -> tuple[int, str]:
    """A new, empty temp file beside ``path``, only readable by its owner."""
    while True:
        name = f".{path.name}{TEMP_MARK}{os.urandom(6).hex()}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
            return os.open(name, flags, 0o600, dir_fd=folder), name
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


@dataclass(frozen=True)
class Appended:
    """Lines appended to a log: where, so that they can be taken back (:func:`retract`)."""

    path: Path
    within: Path
    inode: int
    start: int
    end: int


def append_line(path: Path, line: bytes, file_mode: int, *,
                within: Path | None = None) -> Appended:
    """Append whole lines to an append-only log, durably, or nothing at all.

    Appends are serialised by a ``flock`` on the log itself. A write cut short (a full disk)
    is truncated away before the error is raised; a torn last line left by a killed process
    is ended first, so the new lines start on a line of their own.
    """
    folder = within or path.parent
    try:
        fd = open_in(folder, path, os.O_RDWR | os.O_APPEND | os.O_CREAT, file_mode)
    except OSError as error:
        raise _as_storage_error(error, path) from None
    try:
        status = check_one_name(fd, path)
        if status.st_uid == os.getuid() and stat.S_IMODE(status.st_mode) != file_mode:
            os.fchmod(fd, file_mode)
        _lock_exclusively(fd, path)
        start = _end_torn_line(fd)
        try:
            _write_all(fd, line)
            os.fsync(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, start)
            raise
        status = os.fstat(fd)
        _note(path, status)
        return Appended(path, folder, status.st_ino, start, start + len(line))
    except OSError as error:
        raise _as_storage_error(error, path) from None
    finally:
        os.close(fd)  # and so unlock


def retract(appended: Appended) -> bool:
    """Take back lines :func:`append_line` wrote, if nothing was appended after them (the
    change they describe was not saved after all). Whether they were taken back."""
    try:
        fd = open_in(appended.within, appended.path, os.O_RDWR)
    except (OSError, StorageError):
        return False
    try:
        _lock_exclusively(fd, appended.path)
        status = os.fstat(fd)
        if status.st_ino != appended.inode or status.st_size != appended.end:
            return False
        os.ftruncate(fd, appended.start)
        os.fsync(fd)
        _note(appended.path, os.fstat(fd))
        return True
    except (OSError, StorageError):
        return False
    finally:
        os.close(fd)


def _lock_exclusively(fd: int, path: Path) -> None:
    deadline = time.monotonic() + APPEND_LOCK_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(_("{path} stayed locked by another process for "
                                    "{APPEND_LOCK_SECONDS:g} s; try again").format(
                                        path=path,
                                        APPEND_LOCK_SECONDS=APPEND_LOCK_SECONDS)) from None
            time.sleep(0.005)


def _end_torn_line(fd: int) -> int:
    """Where new lines go: the end of the log, after ending a torn last line."""
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        _write_all(fd, b"\n")
        size += 1
    return size


def walk_folder(root: Path, folder: Path) -> Iterator[tuple[Path, int, list[os.DirEntry[str]]]]:
    """Each folder under ``folder`` (``folder`` first), open as a descriptor, with its
    entries; reached from ``root`` without following a link, and a linked folder is listed
    among the entries, never entered. A folder that does not exist yields nothing."""
    try:
        fd = open_folder(root, folder)
    except FileNotFoundError:
        return
    yield from _walk(fd, folder)


def _walk(fd: int, path: Path) -> Iterator[tuple[Path, int, list[os.DirEntry[str]]]]:
    try:
        with os.scandir(fd) as listing:
            entries = list(listing)
        yield path, fd, entries
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                try:
                    child = os.open(entry.name, FOLDER_FLAGS, dir_fd=fd)
                except OSError:
                    continue  # removed or replaced meanwhile
                yield from _walk(child, path / entry.name)
    finally:
        os.close(fd)


def is_temp_file(name: str) -> bool:
    return name.startswith(".") and TEMP_MARK in name


def temp_target(name: str) -> str:
    """The data file a temp file was written for."""
    return name[1:].split(TEMP_MARK, 1)[0]


def _remove_quietly(name: str, folder: int) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=folder)


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
        raise ValueError(_("{path}: no user has that home folder").format(path=path)) from None
    if target.is_dir():
        raise ValueError(_("{target} is a folder; give a file name").format(target=target))
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/null): the rename would put a file in its place.
        raise ValueError(_("{target} is not a regular file; give a file name").format(
            target=target))
    atomic_write(target, text.encode("utf-8"), 0o600 if private else 0o644)
    return target


# What a command made, so that it can take back a workspace it created and then failed in.


@dataclass
class CreationLog:
    """The folders and files this process made under ``top`` since the log began."""

    top: Path
    files: dict[Path, tuple[int, int, int] | int] = field(default_factory=dict)
    """Each file made: (inode, size, mtime) as this process last wrote it, or only the inode
    of one that any process rewrites in place (a lock file)."""
    folders: set[Path] = field(default_factory=set)


_LOGS: list[CreationLog] = []


def creation_top(path: Path) -> tuple[Path, bool]:
    """Where to note what making a folder at ``path`` (absolute) creates: the top-most folder
    it will make, or ``path`` itself when it is there already; True in that case (keep it)."""
    if path.exists():
        return path, True
    top = path
    while not top.parent.exists():
        top = top.parent
    return top, False


def log_creations(top: Path) -> CreationLog:
    """Start noting what this process makes under ``top`` (an absolute path)."""
    log = CreationLog(top)
    _LOGS.append(log)
    return log


def stop_logging(log: CreationLog) -> None:
    if log in _LOGS:
        _LOGS.remove(log)


def _note(path: Path, status: os.stat_result | None, *, in_place: bool = False) -> None:
    """Note a folder (``status`` None) or a file made or written by this process."""
    for log in _LOGS:
        if not path.is_relative_to(log.top):
            continue
        if status is None:
            log.folders.add(path)
        elif in_place:
            log.files.setdefault(path, status.st_ino)
        elif isinstance(log.files.get(path), int):
            continue  # rewritten in place by anyone: only its inode says it is ours
        else:
            log.files[path] = (status.st_ino, status.st_size, status.st_mtime_ns)


def remove_created(log: CreationLog, *, keep_top: bool, last: str = "") -> str:
    """Remove what this process made under ``log.top`` (and ``log.top`` itself unless
    ``keep_top``), but only if everything there is as this process left it and no other
    process is saving there. Files named ``last`` go after everything else in their folder
    (the workspace settings, so that what remains is still a workspace).

    Returns "" when removed, else why everything was kept.
    """
    stop_logging(log)
    held: list[int] = []
    try:
        for path, made in log.files.items():
            if isinstance(made, tuple):
                continue
            try:
                fd = open_in(log.top, path, os.O_RDONLY)
            except (OSError, StorageError):
                continue
            held.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return f"another process is saving into it ({path.name} is locked)"
        for folder, _fd, entries in walk_folder(log.top, log.top):
            for entry in entries:
                if not _made_here(entry, folder / entry.name, log):
                    return f"it holds {folder / entry.name}, which this command did not make"
        fd = open_folder(log.top, log.top)
        try:
            whole = _remove_made(fd, log.top, log, last)
        finally:
            os.close(fd)
        if not whole:
            return "something was added to it while it was being removed"
        if not keep_top:
            os.rmdir(log.top)
        return ""
    except (OSError, StorageError) as error:
        return str(error)
    finally:
        for fd in held:
            os.close(fd)


def _made_here(entry: os.DirEntry[str], path: Path, log: CreationLog) -> bool:
    if entry.is_dir(follow_symlinks=False):
        return path in log.folders
    if not entry.is_file(follow_symlinks=False):
        return False
    made = log.files.get(path)
    status = entry.stat(follow_symlinks=False)
    if isinstance(made, int):
        return made == status.st_ino
    return made == (status.st_ino, status.st_size, status.st_mtime_ns)


def _remove_made(fd: int, path: Path, log: CreationLog, last: str) -> bool:
    """Unlink what this process made in the folder open as ``fd``, deepest first; whether
    the folder is empty afterwards."""
    with os.scandir(fd) as listing:
        entries = sorted(listing, key=lambda entry: entry.name == last)
    whole = True
    for entry in entries:
        child_path = path / entry.name
        if not whole and entry.name == last:
            return False
        if not _made_here(entry, child_path, log):
            whole = False
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                child = os.open(entry.name, FOLDER_FLAGS, dir_fd=fd)
                try:
                    emptied = _remove_made(child, child_path, log, last)
                finally:
                    os.close(child)
                if emptied:
                    os.rmdir(entry.name, dir_fd=fd)
                else:
                    whole = False
            else:
                os.unlink(entry.name, dir_fd=fd)
        except OSError:
            whole = False
    return whole
