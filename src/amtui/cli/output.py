"""What the commands print, amtui's and the plugins' alike, goes through one sanitiser.

While a command runs, ``sys.stdout`` and ``sys.stderr`` are :class:`VisibleStream`\\ s: every
control character a terminal would act on is written as an escape (``\\x1b``), see
:mod:`amtui.text`; newlines, tabs and ``\\r\\n`` line ends stay. So a name holding an escape
sequence cannot set the window title, write the clipboard or answer for the terminal, whether
the command used :func:`echo` or a bare ``print``, and whether the output goes to a terminal, a
pipe or a file (a command that must keep bytes exact writes a file of its own, ``--output``).
The full-screen app draws through Textual and sanitises what it shows itself.
"""

from __future__ import annotations

import codecs
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO

from amtui.text import visible


class VisibleStream(io.TextIOBase):
    """A text stream that writes to ``stream`` with control characters made visible."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        """The stream written to."""
        self._carriage_return = ""
        """A ``\\r`` written last: kept until the next write says whether a newline follows."""
        self._bytes: _VisibleBytes | None = None

    def write(self, text: str) -> int:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        size = len(text)
        text, self._carriage_return = self._carriage_return + text, ""
        if text.endswith("\r"):
            text, self._carriage_return = text[:-1], "\r"
        self.stream.write(visible(text))
        return size

    def write_visible(self, text: str) -> None:
        """Write ``text`` that was made visible already (one pass over a long text, not
        two)."""
        if self._carriage_return:
            self.stream.write(visible(self._carriage_return))
            self._carriage_return = ""
        self.stream.write(text)

    def flush(self) -> None:
        if self._carriage_return:
            self.stream.write(visible(self._carriage_return))
            self._carriage_return = ""
        self.stream.flush()

    def close(self) -> None:
        """Closed for writing; the stream under it is closed by :func:`visible_output` if
        this was closed while the command ran."""
        if not self.closed and not self.stream.closed:
            with suppress(BrokenPipeError):
                self.flush()
        super().close()

    @property
    def buffer(self) -> _VisibleBytes:
        """Bytes written here are read as UTF-8 and made visible like text."""
        if self._bytes is None:
            self._bytes = _VisibleBytes(self)
        return self._bytes

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.stream, "errors", None)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


class _VisibleBytes(io.RawIOBase):
    def __init__(self, text: VisibleStream) -> None:
        super().__init__()
        self.text = text
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.text.write(self.decoder.decode(chunk))
        return len(chunk)

    def flush(self) -> None:
        self.text.write(self.decoder.decode(b"", final=True))
        self.text.flush()


@contextmanager
def visible_output() -> Iterator[None]:
    """Make ``sys.stdout`` and ``sys.stderr`` :class:`VisibleStream`\\ s until the end of the
    block (a stream that is one already stays as it is)."""
    before = sys.stdout, sys.stderr
    made = [VisibleStream(stream) for stream in before
            if stream is not None and not isinstance(stream, VisibleStream)]
    for stream in made:
        if stream.stream is sys.stdout:
            sys.stdout = stream
        else:
            sys.stderr = stream
    try:
        yield
    finally:
        sys.stdout, sys.stderr = before
        for stream in made:
            if stream.stream.closed:
                continue
            if stream.closed:  # closed on purpose (a broken pipe): close what it wrote to
                stream.stream.close()
                continue
            with suppress(BrokenPipeError):
                stream.flush()


@contextmanager
def terminal_output() -> Iterator[None]:
    """The streams as they were before :func:`visible_output`, for the full-screen app, which
    draws through Textual (and shows what it must as text itself)."""
    before = sys.stdout, sys.stderr
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, VisibleStream):
            stream.flush()
            setattr(sys, name, stream.stream)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = before


PROGRESS_FROM = 1000
"""Work on more items than this shows a progress bar on a terminal."""


class ProgressBar:
    """A progress bar on stderr, drawn when stderr is a terminal and the work counts more than
    :data:`PROGRESS_FROM` items; called with (done, total) as the work goes, then :meth:`done`.

    ``unit`` is the counted word, already translated ("rows", "records")."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if total <= PROGRESS_FROM or not sys.stderr.isatty():
            return
        width = 30
        filled = width * done // max(total, 1)
        with terminal_output():  # amtui's own text, with the \r that redraws the bar
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                             + self.unit)
            sys.stderr.flush()
        self.drawn = True

    def done(self) -> None:
        """End the bar's line, if one was drawn."""
        if self.drawn:
            sys.stderr.write("\n")
            self.drawn = False


def echo(text: object = "", *, err: bool = False, end: str = "\n") -> None:
    """Print ``text`` (and ``end``) to stdout, or stderr with ``err``, with every control
    character made visible: the way a plugin's command prints workspace text."""
    stream = sys.stderr if err else sys.stdout
    shown = visible(f"{text}{end}")
    if isinstance(stream, VisibleStream):
        stream.write_visible(shown)
    else:
        stream.write(shown)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON, e.g. for a command's ``--json``. No character a
    terminal acts on is left raw, and it is still JSON meaning the same: the encoder escapes C0
    controls, and DEL, C1, bidi controls and line separators come out as ``\\u009b``."""
    # lazy: orjson, loaded with the store
    import orjson

    echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
