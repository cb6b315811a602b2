"""Which damaged data files a piece of work read, so that what shows its result can say so.

A pane, ``amtui today`` or ``amtui list`` reads through services that may touch many tables;
rather than each naming the tables it reads, the work runs inside :func:`damaged_files_read`
and every damaged file read in between (in this thread) is collected with the reason it is
read-only, which names the file and how to restore it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_collectors: ContextVar[tuple[dict[str, str], ...]] = ContextVar("damaged_files_read",
                                                                 default=())


@contextmanager
def damaged_files_read() -> Iterator[dict[str, str]]:
    """Collect ``{file: what is wrong and how to restore it}`` for each damaged data file
    read inside the block (in this thread or task); nested blocks each collect."""
    found: dict[str, str] = {}
    token = _collectors.set((*_collectors.get(), found))
    try:
        yield found
    finally:
        _collectors.reset(token)


def note_damaged(file_name: str, reason: str) -> None:
    """Tell the collecting blocks that ``file_name`` was read and is damaged."""
    for found in _collectors.get():
        found[file_name] = reason
