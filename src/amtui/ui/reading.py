"""Reading a screen's record again, one read at a time."""

from __future__ import annotations

from typing import Any


class ReadInTurn:
    """For a screen that reads what it shows in a worker (its ``_read``): a reload asked for
    while a read runs is made once that read is done — never two reads at once, none lost.
    The screen calls :meth:`read_done` when a read's result (or failure) arrives."""

    _reading = False
    _read_again = False

    def _read(self) -> Any:
        raise NotImplementedError

    def reload(self) -> None:
        """Read again; a reload asked for while one runs follows it."""
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        self._read()

    def read_done(self) -> None:
        self._reading = False
        if self._read_again:
            self._read_again = False
            self.reload()
