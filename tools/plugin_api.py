"""`make docs`: write the reference parts of docs/plugin-api.md from the docstrings.

docs/plugin-api.md is written by hand except between the markers
``<!-- generated: PART -->`` and ``<!-- end generated -->``, which this fills from the code:
the hooks (from :mod:`amtui.plugins.specs`), every name :mod:`amtui.api` and
:mod:`amtui.api.ui` export (signature, fields, docstring) and the members of the classes a
plugin uses. tests/test_plugin_api_docs.py checks that the committed file is what this writes
and that every name it shows has a docstring, so the reference cannot drift from the code.

    python tools/plugin_api.py           # rewrite docs/plugin-api.md
    python tools/plugin_api.py --check   # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import enum
import importlib
import inspect
import itertools
import re
import sys
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "plugin-api.md"

MARKER = re.compile(r"(<!-- generated: (?P<part>[a-z-]+) -->\n)(.*?)(<!-- end generated -->)",
                    re.DOTALL)

GROUPS: list[tuple[str, list[str]]] = [
    ("What hooks are handed and what plugins register",
     ["amtui.plugins.specs", "amtui.plugins.app"]),
    ("Records", ["amtui.models", "amtui.models.base", "amtui.models.work"]),
    ("The store", ["amtui.storage", "amtui.storage.workspace", "amtui.storage.files",
                   "amtui.storage.toml_files",
                   "amtui.services.undo"]),
    ("Domain facts and working time", ["amtui.services.rules", "amtui.services.hours"]),
    ("Days, money and text", ["amtui.dates", "amtui.money", "amtui.text"]),
    ("Command-line output and translation", ["amtui.cli.output", "amtui.i18n"]),
]
"""The sections of the amtui.api reference, by the module each name comes from."""

MEMBERS: dict[str, list[str]] = {
    "Workspace": ["open", "root", "settings", "clock", "plugin_settings", "repo", "transaction",
                  "table_names", "table_spec"],
    "Repository": ["get", "find", "exists", "count", "query", "query_raw", "all", "where",
                   "search", "resolve", "scan",
                   "stored", "raw", "version", "add", "add_many", "update", "delete"],
    "TrashBin": ["entries", "restore"],
    "Transaction": ["get", "scan", "put", "insert", "remove"],
    "PaneScreen": ["PANE_ID", "TITLE_TEXT", "amtui", "compose_body", "read", "show", "load",
                   "data_changed"],
    "ListPane": ["TABLE", "COLUMNS", "rows_from", "current_id", "action_open", "row_matches",
                 "count_note", "rows", "matching"],
    "FormScreen": ["__init__", "typed", "show_problem"],
    "FilterForm": ["__init__"],
    "AskScreen": ["__init__"],
    "PickScreen": ["__init__"],
    "RecordTable": ["show_rows"],
    "Domain": ["beside", "gettext", "ngettext", "translate_keys"],
    "WorkingDays": ["of", "holiday", "works"],
    "Undo": [],
}
"""The members shown for a class (others: its own public methods and properties)."""

LEAVE_OUT = re.compile(r"^(_|on_|compose$|watch_|validate_|model_)")


# Reading the code --------------------------------------------------------------------------

def attribute_docs(source: str) -> dict[str, str]:
    """The docstrings written under assignments (``NAME = …`` then a string) in ``source``,
    at its top level (a module's, or a class's body)."""
    tree = ast.parse(textwrap.dedent(source))
    body = tree.body
    if len(body) == 1 and isinstance(body[0], ast.ClassDef):
        body = body[0].body
    found: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if not (isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            continue
        targets = (statement.targets if isinstance(statement, ast.Assign)
                   else [statement.target] if isinstance(statement, ast.AnnAssign) else [])
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = inspect.cleandoc(following.value.value)
    return found


def value_doc(module_name: str, name: str, seen: frozenset[str] = frozenset()) -> str:
    """The docstring of the value ``name`` in ``module_name``, following ``from … import``."""
    if module_name in seen:
        return ""
    module = importlib.import_module(module_name)
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return ""
    docs = attribute_docs(source)
    if name in docs:
        return docs[name]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and any(
                alias.name == name for alias in node.names):
            base = node.module or ""
            if node.level:
                package = module_name if hasattr(module, "__path__") else \
                    module_name.rpartition(".")[0]
                for _level in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            return value_doc(base, name, seen | {module_name})
    return ""


def is_documentable(value: object) -> bool:
    return inspect.isclass(value) or inspect.isroutine(value) or callable(value)


def doc_of(value: object, module_name: str, name: str) -> str:
    """What ``name`` says about itself: its docstring, or the one under its assignment."""
    if inspect.isclass(value) or inspect.isroutine(value):
        own = value.__doc__
        if inspect.isclass(value) and own and own == getattr(value.__mro__[1], "__doc__", None):
            own = None  # inherited, not its own
        if own:
            return inspect.cleandoc(own)
    wrapped = getattr(value, "__wrapped__", None)
    if wrapped is not None and wrapped.__doc__:
        return inspect.cleandoc(wrapped.__doc__)
    return value_doc(module_name, name)


def exports() -> Iterator[tuple[str, str, str, object]]:
    """(public module, name, module it comes from, value) for every name a plugin imports."""
    api = importlib.import_module("amtui.api")
    for name in api.__all__:
        value = getattr(api, name)
        yield "amtui.api", name, source_module(api, name, value), value
    ui = importlib.import_module("amtui.api.ui")
    for name in ui.__all__:
        value = getattr(ui, name)
        yield "amtui.api.ui", name, source_module(ui, name, value), value


def source_module(public: ModuleType, name: str, value: object) -> str:
    lazy: dict[str, str] = getattr(public, "_LAZY", {})
    if name in lazy:
        return lazy[name]
    module = getattr(value, "__module__", None)
    if isinstance(module, str) and (inspect.isclass(value) or inspect.isroutine(value)):
        return module
    return value_source(public.__name__, name)


def value_source(module_name: str, name: str) -> str:
    """The module ``name`` is imported from in ``module_name`` (itself if defined there)."""
    source = inspect.getsource(importlib.import_module(module_name))
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.module and any(
                alias.name == name for alias in node.names):
            return node.module
    return module_name


def missing_docs() -> list[str]:
    """Every name the reference shows that has no docstring (the test wants none)."""
    missing = []
    for public, name, module, value in exports():
        if not doc_of(value, module, name):
            missing.append(f"{public}.{name}")
        if inspect.isclass(value):
            for member, _kind, _signature, doc in class_members(value):
                if not doc:
                    missing.append(f"{public}.{name}.{member}")
    specs = importlib.import_module("amtui.plugins.specs")
    for name, hook in hooks(specs):
        if not hook.__doc__:
            missing.append(f"hook {name}")
    return missing


# Writing it down ---------------------------------------------------------------------------

def annotation(text: object) -> str:
    if isinstance(text, str):
        return text
    if inspect.isclass(text):
        return text.__name__
    return re.sub(r"\b(typing|collections\.abc|datetime|decimal)\.", "", str(text))


def shown_default(value: object) -> str:
    """A default as the source would write it (a function by its name, not its address)."""
    if inspect.isroutine(value) or inspect.isclass(value):
        return str(getattr(value, "__name__", "…"))
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, set | frozenset):  # in order, whatever the hash seed
        return f"{type(value).__name__}({{{', '.join(sorted(map(repr, value)))}}})"
    return repr(value)


def signature(value: Callable[..., object], name: str) -> str:
    """``name(parameter: type = default, …) -> returned`` as the source writes the types."""
    try:
        found = inspect.signature(value)
    except (TypeError, ValueError):
        return f"{name}(…)"
    shown = []
    star_done = False
    for parameter in found.parameters.values():
        if parameter.name in ("self", "cls"):
            continue
        text = parameter.name
        if parameter.kind is parameter.VAR_POSITIONAL:
            text, star_done = f"*{text}", True
        elif parameter.kind is parameter.VAR_KEYWORD:
            text = f"**{text}"
        elif parameter.kind is parameter.KEYWORD_ONLY and not star_done:
            shown.append("*")
            star_done = True
        if parameter.annotation is not parameter.empty:
            text += f": {annotation(parameter.annotation)}"
        if parameter.default is not parameter.empty:
            text += f" = {shown_default(parameter.default)}"
        shown.append(text)
    returned = ("" if found.return_annotation is found.empty or inspect.isclass(value)
                else f" -> {annotation(found.return_annotation)}")
    return f"{name}({', '.join(shown)}){returned}"


def fields_of(cls: type) -> list[tuple[str, str, str, str]]:
    """(name, type, default, docstring) of a dataclass's or a pydantic model's fields."""
    docs: dict[str, str] = {}
    annotations: dict[str, object] = {}
    for base in reversed(cls.__mro__):
        if base is object or base.__module__.startswith(("pydantic", "builtins")):
            continue
        with contextlib.suppress(OSError, TypeError):
            docs.update(attribute_docs(inspect.getsource(base)))
        annotations.update(inspect.get_annotations(base))
    rows = []
    if dataclasses.is_dataclass(cls):
        for item in dataclasses.fields(cls):
            default = ("" if item.default is dataclasses.MISSING and
                       item.default_factory is dataclasses.MISSING
                       else shown_default(item.default)
                       if item.default is not dataclasses.MISSING
                       else f"{getattr(item.default_factory, '__name__', '…')}()")
            rows.append((item.name, annotation(annotations.get(item.name, item.type)), default,
                         docs.get(item.name, "")))
        return rows
    model_fields = getattr(cls, "model_fields", None)
    if isinstance(model_fields, dict):
        for field_name, info in model_fields.items():
            if info.is_required():
                default = ""
            elif info.default_factory is not None:
                default = f"{getattr(info.default_factory, '__name__', '…')}()"
            else:
                default = shown_default(info.default)
            rows.append((field_name, annotation(annotations.get(field_name, info.annotation)),
                         default, docs.get(field_name, "")))
    return rows


def class_members(cls: type) -> list[tuple[str, str, str, str]]:
    """(name, kind, signature, docstring) of the members the reference shows for ``cls``."""
    chosen = MEMBERS.get(cls.__name__)
    if chosen is None:
        chosen = [name for name, value in cls.__dict__.items()
                  if not LEAVE_OUT.match(name)
                  and (inspect.isfunction(value) or isinstance(value, property | classmethod
                                                                  | staticmethod))]
    rows = []
    docs: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        if base.__module__.startswith("amtui"):
            docs.update(attribute_docs(inspect.getsource(base)))
    instance_docs = instance_attribute_docs(cls)
    for name in chosen:
        value = inspect.getattr_static(cls, name, None)
        if isinstance(value, property):
            rows.append((name, "property", name, inspect.cleandoc(value.__doc__ or "")))
        elif isinstance(value, classmethod | staticmethod):
            function = value.__func__
            rows.append((name, "method", signature(function, f"{cls.__name__}.{name}"),
                         inspect.cleandoc(function.__doc__ or "")))
        elif inspect.isfunction(value):
            shown = cls.__name__ if name == "__init__" else name
            rows.append((name, "method", signature(value, shown),
                         inspect.cleandoc(value.__doc__ or "")))
        else:
            rows.append((name, "attribute", name,
                         docs.get(name) or instance_docs.get(name, "")))
    return rows


def instance_attribute_docs(cls: type) -> dict[str, str]:
    """Docstrings under ``self.name = …`` in the ``__init__`` of ``cls`` and its amtui bases."""
    found: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        init = base.__dict__.get("__init__")
        if not base.__module__.startswith("amtui") or not inspect.isfunction(init):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(init)))
        except (OSError, TypeError):  # made by dataclasses: no source, no docstrings
            continue
        body = tree.body[0].body  # type: ignore[attr-defined]
        for statement, following in itertools.pairwise(body):
            if not (isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)):
                continue
            target = (statement.targets[0] if isinstance(statement, ast.Assign)
                      else statement.target if isinstance(statement, ast.AnnAssign) else None)
            if isinstance(target, ast.Attribute):
                found[target.attr] = inspect.cleandoc(following.value.value)
    return found


def quoted(text: str) -> str:
    """A docstring as Markdown: reST's double backticks and roles made plain code."""
    text = re.sub(r":(?:class|func|meth|data|attr|mod):`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`").replace("::\n", ":\n")


def render_value(name: str, module: str, value: object) -> list[str]:
    doc = quoted(doc_of(value, module, name))
    lines = [f"#### `{name}`", ""]
    if inspect.isclass(value):
        lines += render_class(name, value)
    elif inspect.isroutine(value) or hasattr(value, "__wrapped__"):
        lines += ["```python", signature(value, name), "```", ""]  # type: ignore[arg-type]
    elif type(value).__name__ == "HookimplMarker":
        lines += ["```python", "@hookimpl", "def amtui_…(…) -> None: …", "```", ""]
    elif type(value).__module__ == "typing" or "Alias" in type(value).__name__:
        base = annotation(typing.get_args(value)[0]) if typing.get_args(value) else "…"
        lines += ["```python", f"{name} = Annotated[{base}, …]", "```", ""]
    else:
        lines += ["```python", f"{name} = {shown_default(value)}", "```", ""]
    lines += [doc, ""]
    if inspect.isclass(value):
        lines += render_fields(value)
        lines += render_members(value)
    return lines


def type_name(value: object) -> str:
    """A class, a TypeVar or a generic like ``ModalScreen[R | None]`` as the source says it."""
    if isinstance(value, typing.TypeVar):
        return value.__name__
    origin, arguments = typing.get_origin(value), typing.get_args(value)
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(type_name(argument) for argument in arguments)
    if origin is not None and arguments:
        return f"{type_name(origin)}[{', '.join(type_name(item) for item in arguments)}]"
    if value is type(None):
        return "None"
    return str(getattr(value, "__name__", value))


def render_class(name: str, cls: type) -> list[str]:
    bases = ", ".join(type_name(base) for base in cls.__dict__.get("__orig_bases__", cls.__bases__)
                      if base is not object and type_name(base) != "Protocol")
    head = f"class {name}({bases})" if bases else f"class {name}"
    if issubclass(cls, enum.Enum):
        members = ", ".join(repr(item.value) for item in cls)
        return ["```python", head, f"    # values: {members}", "```", ""]
    if dataclasses.is_dataclass(cls):
        return ["```python", head, signature(cls, name), "```", ""]
    return ["```python", head, "```", ""]


def render_fields(cls: type) -> list[str]:
    if issubclass(cls, enum.Enum):
        return []
    rows = fields_of(cls)
    lines = []
    record = next((base for base in cls.__mro__[1:] if base.__name__ == "Record"
                   and base.__module__.startswith("amtui.models")), None)
    if record is not None:
        inherited = set(getattr(record, "model_fields", {}))
        rows = [row for row in rows if row[0] not in inherited]
        lines += ["The fields of `Record` (`id`, `rev`, `created_at`, `updated_at`), and:", ""]
    if not rows:
        return []
    lines += ["| field | type | default | meaning |", "|---|---|---|---|"]
    for field_name, kind, default, doc in rows:
        meaning = " ".join(quoted(doc).split()).replace("|", "\\|")
        lines.append(f"| `{field_name}` | `{kind.replace('|', '∣')}` | "
                     f"{f'`{default}`' if default else 'required'} | {meaning} |")
    return [*lines, ""]


def render_members(cls: type) -> list[str]:
    lines = []
    for _name, kind, shown, doc in class_members(cls):
        text = " ".join(quoted(doc).split())
        lines.append(f"- `{shown}`{' (property)' if kind == 'property' else ''}: {text}")
    return [*lines, ""] if lines else []


def hooks(specs: ModuleType) -> list[tuple[str, Callable[..., object]]]:
    return [(name, value) for name, value in vars(specs).items()
            if name.startswith("amtui_") and inspect.isfunction(value)]


def render_hooks() -> list[str]:
    specs = importlib.import_module("amtui.plugins.specs")
    lines: list[str] = []
    for name, hook in hooks(specs):
        lines += [f"### `{name}`", "", "```python", "@hookimpl",
                  f"def {signature(hook, name)}: ...", "```", "",
                  quoted(inspect.cleandoc(hook.__doc__ or "")), ""]
    return lines


def render_api(public: str) -> list[str]:
    names = [(name, module, value) for where, name, module, value in exports() if where == public]
    lines: list[str] = []
    if public == "amtui.api.ui":
        for name, module, value in names:
            lines += render_value(name, module, value)
        return lines
    placed: set[str] = set()
    for title, modules in GROUPS:
        group = [(name, module, value) for name, module, value in names
                 if module in modules]
        if not group:
            continue
        lines += [f"### {title}", ""]
        for name, module, value in group:
            lines += render_value(name, module, value)
            placed.add(name)
    left = [name for name, _module, _value in names if name not in placed]
    if left:
        raise SystemExit(f"tools/plugin_api.py: no GROUPS entry for {', '.join(left)}")
    return lines


PARTS: dict[str, Callable[[], list[str]]] = {
    "hooks": render_hooks,
    "api": lambda: render_api("amtui.api"),
    "ui": lambda: render_api("amtui.api.ui"),
}


def render(text: str) -> str:
    """``text`` with every generated part written again from the code."""
    def fill(match: re.Match[str]) -> str:
        part = PARTS[match["part"]]()
        while part and not part[-1]:
            part.pop()
        return match[1] + "\n".join(part) + "\n" + match[4]

    return MARKER.sub(fill, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if args.check:
        if wanted != current:
            print("docs/plugin-api.md is out of date: run `make docs`", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
