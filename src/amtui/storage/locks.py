"""Exclusive per-file locks between processes, using ``flock`` on files that are never replaced."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import time
from datetime import UTC, datetime
from pathlib import Path

from amtui.i18n import _
from amtui.identity import host_name, os_user
from amtui.storage.errors import LockTimeout, ReadOnlyError, StorageError
from amtui.storage.files import check_one_name, open_in

LOCK_RECORD_BYTES = 512
"""Size of what a lock file holds: who holds the lock, and the data file as last written."""

DEFAULT_TIMEOUT = 10.0
"""Seconds to wait for another process to finish its save."""


class FileLock:
    """An exclusive lock on one data file; re-entrant within a process.

    The lock file also says who holds the lock, so a waiting process can name the holder.
    """

    def __init__(self, path: Path, file_mode: int, timeout: float = DEFAULT_TIMEOUT,
                 root: Path | None = None) -> None:
        self.path = path
        self.root = root or path.parent
        """The folder whose permissions a new lock folder copies (the workspace)."""
        self.file_mode = file_mode
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._depth > 0

    def acquire(self) -> None:
        if self._depth:
            self._depth += 1
            return
        fd = self._open()
        deadline = time.monotonic() + self.timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    raise LockTimeout(
                        _("{removesuffix} is being saved by {holder} and stayed locked for "
                          "{timeout:g} s; try again, or check that process").format(
                              removesuffix=self.path.name.removesuffix('.lock'), holder=holder,
                              timeout=self.timeout)
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        self._fd = fd
        self._depth = 1
        self._write_holder(fd)

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def try_acquire(self) -> bool:
        """Take the lock only if nobody holds it."""
        if self._depth:
            self._depth += 1
            return True
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd, self._depth = fd, 1
        return True

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def _open(self) -> int:
        """The lock file, made if missing; never through a link, never one with two names
        (amtui writes who holds the lock into it)."""
        try:
            fd = open_in(self.root, self.path, os.O_RDWR | os.O_CREAT, self.file_mode,
                         create_folders=True)
        except OSError as error:
            raise ReadOnlyError(
                _("cannot lock {path}: {strerror}; the workspace is not writable here").format(
                    path=self.path, strerror=error.strerror)
            ) from None
        try:
            status = check_one_name(fd, self.path)
            if status.st_uid == os.getuid() and stat.S_IMODE(status.st_mode) != self.file_mode:
                os.fchmod(fd, self.file_mode)
        except StorageError:
            os.close(fd)
            raise
        except OSError:
            pass
        return fd

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            text = os.pread(fd, LOCK_RECORD_BYTES, 0).decode("utf-8", "replace")
        except OSError:
            text = ""
        return text.partition("\n")[0].strip() or "another process"

    def _write_holder(self, fd: int) -> None:
        since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        holder = f"{os_user()}@{host_name()} (pid {os.getpid()}, since {since})"
        written, saved_by = self._read_record(fd)
        self._write(fd, holder, written, saved_by)

    # The lock file's second line records the data file as this lock's holder last wrote it,
    # so a later writer can tell the file is exactly as amtui left it without parsing it; the
    # third, the transaction (its ``tx`` in the audit) that wrote it, so that a reader can
    # follow the audit from a version of the file it knows to this one (see storage/index.py).

    def written(self) -> str | None:
        """What :meth:`record_written` last stored; only meaningful while holding the lock."""
        return self._read_written(self._fd) if self._fd is not None else None

    def peek_written(self) -> str | None:
        """What :meth:`record_written` last stored, read without taking the lock (a reader
        compares it with the data file; a torn read just fails to match)."""
        return self.peek_record()[0]

    def peek_record(self) -> tuple[str | None, str | None]:
        """What :meth:`record_written` last stored and the transaction that wrote it, read
        without taking the lock."""
        try:
            fd = open_in(self.root, self.path, os.O_RDONLY)
        except (OSError, StorageError):
            return None, None
        try:
            return self._read_record(fd)
        finally:
            os.close(fd)

    def saved_by(self) -> str | None:
        """The transaction that wrote the data file as :meth:`written` says it is; only
        meaningful while holding the lock."""
        return self._read_record(self._fd)[1] if self._fd is not None else None

    def record_written(self, fingerprint: str, saved_by: str | None = None) -> None:
        """Record the data file as just written, and by which transaction (None: not by
        one, e.g. a migration)."""
        if self._fd is not None:
            holder = self._holder(self._fd)
            self._write(self._fd, holder, fingerprint, saved_by)

    @classmethod
    def _read_written(cls, fd: int) -> str | None:
        return cls._read_record(fd)[0]

    @staticmethod
    def _read_record(fd: int) -> tuple[str | None, str | None]:
        try:
            lines = os.pread(fd, LOCK_RECORD_BYTES, 0).decode("utf-8", "replace").split("\n")
        except OSError:
            return None, None
        written = lines[1].strip() or None if len(lines) > 1 else None
        saved_by = lines[2].strip().removeprefix("tx ") or None if len(lines) > 2 else None
        return written, saved_by if written else None

    @staticmethod
    def _write(fd: int, holder: str, written: str | None, saved_by: str | None = None) -> None:
        # A fixed-size record: each write covers the last one, so no truncation is needed.
        tx = f"tx {saved_by}" if saved_by and written else ""
        text = f"{holder}\n{written or ''}\n{tx}\n".encode()[:LOCK_RECORD_BYTES]
        with contextlib.suppress(OSError):
            os.pwrite(fd, text.ljust(LOCK_RECORD_BYTES), 0)
