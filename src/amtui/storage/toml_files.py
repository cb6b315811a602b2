"""TOML files amtui writes, always through tomlkit: never a line built by hand.

A file a person may edit too (``config.toml``, ``workspace.toml``) is changed key by key:
tomlkit keeps its comments, its order and the tables amtui does not know, so the file differs
only in the keys amtui set. Every file is written whole like a data file (a temp file beside
it, fsync, rename, fsync the folder), and a symbolic link standing where the file is is
refused, never followed.

Strings are written with every character a terminal acts on as an escape (``\\u000a``,
``\\u009b``), so a file printed or shown in an editor is safe and reads back the same text.
tomlkit is imported on first use: it takes about 25 ms to import, which the first screen
does not spend.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.i18n import _
from amtui.storage.errors import StorageError, UnsafePathError
from amtui.storage.files import atomic_write, open_in

if TYPE_CHECKING:
    from tomlkit import TOMLDocument
    from tomlkit.items import Item

_ESCAPED = re.compile('["\\\\\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029'
                      '\u202a-\u202e\u2066-\u2069]')
"""What a TOML string shows as an escape: the quote and backslash, which TOML requires, and
the control characters but tab: TOML requires it for C0 and DEL, a terminal showing the file
needs it for the rest (C1, bidi controls, line separators)."""

MAX_SIZE = 1_000_000
"""The most bytes a TOML file amtui edits is read to (settings take a few hundred)."""


def toml_string(value: str) -> Item:
    """``value`` as a TOML basic string, every character a terminal acts on escaped."""
    # lazy: tomlkit, only when a TOML file is written
    import tomlkit

    return tomlkit.string(_ESCAPED.sub(_escape, value), escape=False)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    return "\\" + character if character in '"\\' else f"\\u{ord(character):04x}"


def toml_value(value: Any) -> Item:
    """``value`` (text, a number, a day, a list or table of them) as a tomlkit item, its
    strings escaped as :func:`toml_string` does."""
    # lazy: tomlkit, only when a TOML file is written
    import tomlkit

    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        array = tomlkit.array()
        array.extend(toml_value(item) for item in value)
        return array
    if isinstance(value, Mapping):
        table = tomlkit.inline_table()
        for key, item in value.items():
            table[key] = toml_value(item)
        return table
    scalar: Item = tomlkit.item(value)
    return scalar


def read_toml_document(path: Path) -> tuple[TOMLDocument, int | None]:
    """The TOML file at ``path`` as a tomlkit document, with its permission bits; an empty
    document and None when there is no such file. Raises StorageError for a link, a file that
    is not TOML, or one that cannot be read; nothing is changed."""
    # lazy: tomlkit, only when a TOML file is written
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        fd = open_in(path.parent, path, os.O_RDONLY)
    except FileNotFoundError:
        return tomlkit.document(), None
    except UnsafePathError:
        raise UnsafePathError(_(
            "{path} is a symbolic link or not a regular file; amtui writes settings only to a "
            "regular file, so nothing was changed: put the file itself there").format(
                path=path)) from None
    except OSError as error:
        raise StorageError(_("cannot read {path}: {error}; nothing was changed").format(
            path=path, error=error.strerror or error)) from None
    with os.fdopen(fd, "rb") as handle:
        mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
        content = handle.read(MAX_SIZE + 1)
    try:
        if len(content) > MAX_SIZE:
            raise ValueError(_("longer than {most:,} bytes").format(most=MAX_SIZE))
        return tomlkit.parse(content.decode("utf-8")), mode
    except (TOMLKitError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        raise StorageError(_("{path} is not valid TOML ({error}); it was left as it is: "
                             "correct it and try again").format(path=path, error=error)) from None


def write_toml_document(path: Path, document: TOMLDocument, file_mode: int, *,
                        within: Path | None = None) -> None:
    """Replace ``path`` with ``document`` atomically (see :func:`amtui.storage.files.
    atomic_write`; ``within``: the workspace holding it)."""
    atomic_write(path, document.as_string().encode("utf-8"), file_mode, within=within)


def set_toml_keys(path: Path, values: Mapping[str, Any], *, new_file_mode: int = 0o644) -> None:
    """Set top-level keys of the TOML file at ``path`` (made if missing, with
    ``new_file_mode``); every other byte of the file is kept. Raises StorageError (a link, a
    file that is not TOML, a full disk) with the file unchanged."""
    document, mode = read_toml_document(path)
    for key, value in values.items():
        document[key] = toml_value(value)
    write_toml_document(path, document, new_file_mode if mode is None else mode)
