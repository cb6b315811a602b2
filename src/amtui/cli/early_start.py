"""Today's first sections, read by a forked copy of ``amtui`` while Textual starts.

Reading Today (loading the store, asking the record index) and starting Textual (importing
it, building and drawing the first screen) are both mostly Python: in two threads they take
turns, in two processes they run side by side on two cores, and Today's data is on screen
with the first frames instead of a few hundred milliseconds after them. The copy is forked
before any thread is started, writes the sections (pickled: plain data, see
:mod:`amtui.services.agenda_items`) to a pipe and ends. A copy that fails or is stopped, or a
system without ``fork``, leaves Today to read its sections itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from amtui.services.agenda_items import FirstAgenda


class EarlyAgenda:
    """Today's first sections (``lines`` per section), being read by a copy of the process."""

    def __init__(self, path: Path, lines: int) -> None:
        self.path = path
        self.lines = lines
        self._read = threading.Event()
        self._agenda: FirstAgenda | None = None
        self._child = 0
        pipe = self._fork_reader() if hasattr(os, "fork") else None
        if pipe is None:
            self._read.set()
        else:
            threading.Thread(target=self._receive, args=(pipe,), name="amtui-early-agenda",
                             daemon=True).start()

    def _fork_reader(self) -> int | None:
        """Fork the copy that reads the sections; the end of the pipe they come through."""
        try:
            reading, writing = os.pipe()
            child = os.fork()
        except OSError:
            return None
        if child == 0:  # the copy: never returns
            os.close(reading)
            self._read_in_copy(writing)
        os.close(writing)
        self._child = child
        return reading

    def _read_in_copy(self, writing: int) -> None:
        """In the copy: read the sections, send them, end (nothing it does may reach the
        terminal or run the parent's exit handlers)."""
        status = 1
        try:
            quiet = os.open(os.devnull, os.O_RDWR)
            for stream in (0, 1, 2):
                os.dup2(quiet, stream)
            # lazy: pydantic, loaded in the copy while the parent starts Textual
            from amtui.services.agenda import first_agenda
            from amtui.storage import Workspace

            sections = pickle.dumps(first_agenda(Workspace.open(self.path), self.lines))
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(sections)
            status = 0
        finally:
            os._exit(status)

    def _receive(self, pipe: int) -> None:
        try:
            with os.fdopen(pipe, "rb") as reading:
                sent = reading.read()
            _pid, status = os.waitpid(self._child, 0)
            if status == 0 and sent:
                self._agenda = pickle.loads(sent)  # our own copy's, through our own pipe
        except Exception:  # Today reads its sections itself, and says what is wrong
            self._agenda = None
        finally:
            self._read.set()

    def __call__(self) -> FirstAgenda | None:
        """The sections once read; None if they could not be, or the copy takes longer than
        :data:`WAIT_SECONDS` (it is stopped: Today reads them itself)."""
        if not self._read.wait(WAIT_SECONDS) and self._child:
            with contextlib.suppress(OSError):
                os.kill(self._child, signal.SIGKILL)
            self._read.wait()
        return self._agenda


WAIT_SECONDS = 10.0
"""The longest Today waits for the copy's sections (a lock held elsewhere, a slow disk)."""
