"""Text that tries to take over the terminal, and a workspace full of it.

``CORPUS`` holds escape sequences (OSC 0/8/52, CSI, DSR, DCS), C1 controls, bidi overrides, line
separators, other C0 controls, Rich markup and Textual variables. ``fill_with_hostile_text``
puts them into every text field of every record of every table a workspace has (amtui's own
and its plugins'), found from the records' models, so that a field added later is covered
without changing the tests. ``raw_controls`` finds what must never reach a terminal.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from amtui.models import Note, Task
from amtui.plugins.host import PluginHost
from amtui.services.demo import fill_demo
from amtui.storage import Workspace, os_user
from amtui.testing import StillClock

CORPUS: dict[str, str] = {
    "osc0-title": "\x1b]0;pwned\x07T",
    "osc8-link": "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\",
    "osc52-clipboard": "\x1b]52;c;cHduZWQ=\x07",
    "csi": "\x1b[2J\x1b[31;1mred\x1b[?1049l",
    "dsr": "\x1b[6nDSR",
    "dcs": "\x1bP+q544e\x1b\\DCS",
    "c1": "\x9b31m\x9d0;T\x9c\x85C1",
    "bidi": "\u202eevil\u202c\u2066x\u2069\u200e\u200f\u061cBIDI",
    "separators": "a\u2028b\u2029c",
    "c0": "\x00nul\x07bel\x08bs\x7fdel\x0bvt\x0cff\rcr",
    "markup": "[bold]B[/bold][link=http://evil.example]L[/link]",
    "click": "[@click=app.quit]x[/]",
    "variable": "[$accent]v[/]$text",
}
"""Name → hostile text. None has a space (a tag or a hashtag takes no spaces)."""

HOSTILE_NAME = "".join(CORPUS.values())[:200]
"""Everything at once (as much as a short name may hold): for the workspace's name."""

_RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
"""What a terminal acts on: C0 but newline and tab, DEL, C1, bidi controls, line separators.
Written here, not taken from amtui's sanitiser, so that the tests check it."""


def raw_controls(text: str) -> list[str]:
    """The control characters in ``text`` that a terminal would act on (``\\r\\n`` is a line
    end, not one of them)."""
    return [match.group() for match in _RAW_CONTROL.finditer(text.replace("\r\n", "\n"))]


SHOWN_MARKERS = ("\\x1b", "\\u001b", "\\u009b", "\\u202e", "\\u2028", "\\x00", "\\x07")
"""How escaped control characters look on screen (``\\u001b`` in JSON and TOML): one of these
on a screen shows that hostile text was drawn there, and made visible."""


# Every text field of a model ---------------------------------------------------------------

def _is_reference(name: str, model: type[Any]) -> bool:
    return name == "id" or name.endswith("_id") or name in getattr(model, "references", {})


def _alternatives(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    return [annotation]


def text_fields(model: type[Any], prefix: str = "") -> set[str]:
    """The paths of every ``str`` field of ``model``, nested models and lists included
    (``trail[].text``), but ids and references to other records."""
    found: set[str] = set()
    if dataclasses.is_dataclass(model):
        annotations = typing.get_type_hints(model)
    else:
        annotations = {name: info.annotation for name, info in model.model_fields.items()}
    for name, annotation in annotations.items():
        if _is_reference(name, model):
            continue
        for kind in _alternatives(annotation):
            path = f"{prefix}{name}"
            if typing.get_origin(kind) is list:
                (kind,) = typing.get_args(kind)
                path += "[]"
            if kind is str:
                found.add(path)
            elif isinstance(kind, type) and (issubclass(kind, BaseModel)
                                             or dataclasses.is_dataclass(kind)):
                found |= text_fields(kind, path + ".")
    return found


# Filling a workspace ------------------------------------------------------------------------

def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path, container, key) of each string in a stored record, and of each empty list (a
    string may go there), but ids."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" or key.endswith("_id"):
                continue
            inner = f"{path}{key}"
            if isinstance(item, str):
                yield inner, value, key
            elif isinstance(item, list) and not item:
                yield inner + "[]", value, key
            else:
                yield from _leaves(item, inner + ("" if isinstance(item, list) else "."))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield path + "[]", value, index
            else:
                yield from _leaves(item, path + "[]" + ("." if isinstance(item, dict) else ""))


def _hostile(raw: dict[str, Any], model: type[BaseModel], payload: str,
             accepted: set[str]) -> dict[str, Any]:
    """``raw`` with ``payload`` in every string the model accepts it in."""
    me = os_user()
    for path, container, key in list(_leaves(raw)):
        old = container[key]
        if old == me:
            continue  # the member at the keyboard stays who they are
        for attempt in (payload, f"{payload}@example.com"):  # an e-mail needs its @
            container[key] = [attempt] if isinstance(old, list) else attempt
            try:
                model.model_validate(raw)
            except ValidationError:
                continue
            accepted.add(path)
            break
        else:
            container[key] = old
    return raw


def fill_with_hostile_text(workspace: Workspace) -> dict[str, set[str]]:
    """Put the corpus into every text field of every record of every table (record ``i``
    gets payload ``i`` of the corpus, round and round). Returns, per table, the text fields
    that took it."""
    payloads = list(CORPUS.values())
    taken: dict[str, set[str]] = {}
    for table in workspace.table_names:
        spec = workspace.table_spec(table)
        assert spec is not None, table
        accepted: set[str] = set()
        records = list(workspace.file(table).scan())
        with workspace.transaction(table) as change:
            for index, raw in enumerate(records):
                changed = _hostile(copy.deepcopy(raw), spec.model, payloads[index % len(payloads)],
                                   accepted)
                change.put(table, spec.model.model_validate(changed).model_dump(mode="json"),
                           "update", sorted(accepted))
        taken[table] = accepted
    return taken


def build_hostile_workspace(root: Path) -> dict[str, set[str]]:
    """The demo agency with the corpus in every text field, a few records in the trash, and a
    hostile workspace name. Returns the text fields filled, per table."""
    workspace = Workspace.open(root, create=True, clock=StillClock())
    host = PluginHost.load(root, safe_mode=True)
    host.attach(workspace)
    fill_demo(workspace, "small", 1, progress=lambda _text: None)
    host.fill_demo(workspace, "small", 1, lambda _text: None)
    assert not host.failures
    from amtui.services import actions, journal

    journal.record(workspace, actions.mark_task_done(  # an entry in the undo journal
        workspace, workspace.repo(Task).all()[0].id), journal.FROM_COMMAND)
    filled = fill_with_hostile_text(workspace)
    for record_type in (Note, Task):
        workspace.repo(record_type).delete(workspace.repo(record_type).all()[0].id)
    settings = root / "workspace.toml"
    escaped = "".join(f"\\u{ord(char):04x}" if ord(char) < 0x20 or char in '\x7f\\"'
                      else char for char in HOSTILE_NAME)
    settings.write_text(re.sub(r'(?m)^name = ".*"$', lambda _line: f'name = "{escaped}"',
                               settings.read_text(encoding="utf-8")), encoding="utf-8")
    assert Workspace.open(root).settings.name == HOSTILE_NAME
    return filled
