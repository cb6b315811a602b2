"""Find the user-facing string literals in amtui's sources that are not marked for translation.

"User-facing" means, concretely, a string literal (or the literal parts of an f-string, or the
template of ``"…".format()``) that contains a word and is:

- the text of a notification (``notify(...)``), of a ``Static``/``Label``/``Button`` and the
  like, the description of a ``Binding``, what ``amtui doctor`` found (``Finding``), the
  parts of a ``Content.assemble(...)`` (not their styles);
- a keyword argument that is shown (``title=``, ``placeholder=``, ``description=``,
  ``tooltip=``, ``label=``, ``help=``, ``prompt=``, ``subtitle=``, ``message=``);
- assigned to what a screen shows as its title (``TITLE``, ``TITLE_TEXT``, ``border_title``…);
- the message of an exception that reaches the user (bad input, the store's errors: see
  ``USER_ERRORS``; not programming errors such as ``TypeError`` or ``AssertionError``);
- printed by a command (``print(...)``, ``sys.stdout.write``/``sys.stderr.write``,
  ``parser.error(...)``) in the command line's modules.

Marked means inside ``_()``, ``N_()`` or ``ngettext()`` (a plugin's own, from its i18n module,
have the same names). ``ALLOWED`` lists the few literals that stay as they are, with the reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "src" / "amtui"
PLUGINS = REPO / "plugins"

MARKERS = {"_", "N_", "ngettext", "gettext"}
SHOWN_CALLS = {
    "notify": (0,), "Static": (0,), "Label": (0,), "Button": (0,), "Checkbox": (0,),
    "RadioButton": (0,), "Binding": (2,), "Option": (0,), "error": (0,),
    "AgendaSection": (1, 2), "ClientSection": (0,), "Finding": (1,),
}
"""Calls whose positional arguments at these places are shown."""
PASSED_ON = {"one_line", "visible", "cell", "content", "line", "Text", "from_markup"}
"""Calls that show their first argument as it is (made safe, or cut to one line)."""
SHOWN_KEYWORDS = {"title", "placeholder", "description", "tooltip", "label", "help", "prompt",
                  "subtitle", "message", "sub_title", "fact", "detail", "empty"}
SHOWN_ATTRIBUTES = {"TITLE", "SUB_TITLE", "TITLE_TEXT", "border_title", "border_subtitle",
                    "tooltip"}
USER_ERRORS = {
    "ValueError", "UsageError", "CommandFailed", "InvalidRecord", "DamagedFile", "StorageError",
    "RecordNotFound", "TemplateError", "ReadOnlyError", "NothingToUndo", "LockTimeout",
    "ConflictError", "WorkspaceNotFound", "WorkspaceExists", "UnsafePathError", "PluginTimeout",
    "LoginTaken", "DiskFullError", "BadClockSetting", "PlanError", "BadDate", "BadRow",
    "ImportRefused", "MoneyError", "NewWorkspaceProblems", "NotAllowed", "PlanFileError",
    "UnreadableFile", "Refused",
}
WORD = re.compile(r"[A-Za-z]{2,}")

ALLOWED: dict[str, set[str]] = {
    # Names and codes, the same in every language: the program's name, an IANA zone, a
    # messenger handle, a currency code, the word the `report` command takes.
    "src/amtui/ui/app.py": {"amtui"},
    "src/amtui/ui/panes/base.py": {"amtui"},
    "src/amtui/ui/client_forms.py": {"Europe/Moscow, Asia/Yekaterinburg", "@username"},
    "src/amtui/ui/deal_forms.py": {"RUB"},
    "src/amtui/cli/listing.py": {"daily"},
    # A mistake in amtui's own code (a question for a column the index does not keep), never
    # shown to a user.
    "src/amtui/storage/index.py": {"the index of {} has no column {}"},
    # Python's own message for a closed stream, which code reading it may compare with.
    "src/amtui/cli/output.py": {"I/O operation on closed file."},
    # Parsers of amounts, dates and working days that the money, dates and days work of
    # issue 16 replaces (with their messages translated): not wrapped here to spare a conflict.
    "src/amtui/cli/common.py": {
        "{}: {} is not an amount (e.g. 150000 or 1 200 000,50)", "{}: {} is not an amount",
        "{}: {} is not a date and time (use YYYY-MM-DD HH:MM)"},
    "src/amtui/services/clients.py": {
        "cannot be negative ({})", "«{}» is not an amount: type digits, e.g. {}",
        "at most four digits after the decimal comma ({})", "«{}» is not an amount",
        "unknown day «{}»: use Mon Tue Wed Thu Fri Sat Sun, or a range such as Mon-Fri",
        "«{}» is not working hours: type e.g. 10:00-19:00 Mon-Fri",
        "«{}» names a time that does not exist", "type the deal's amount, e.g. 150 000"},
}
"""File (relative to the repository) → literals that stay untranslated there, and why."""


@dataclass(frozen=True)
class Unmarked:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}: {self.text!r}"


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def literals(node: ast.expr | None) -> Iterator[tuple[int, str]]:
    """The unmarked literal text in ``node``, with its line."""
    if node is None:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if WORD.search(node.value):
            yield node.lineno, node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value if isinstance(part, ast.Constant) else "{}"
                       for part in node.values)
        if WORD.search("".join(part.value for part in node.values
                               if isinstance(part, ast.Constant))):
            yield node.lineno, text
    elif isinstance(node, ast.Call):
        if _name(node.func) in MARKERS:
            return
        if isinstance(node.func, ast.Attribute) and node.func.attr != "join":
            yield from literals(node.func.value)  # "…".format(…), f"…".replace(…)
        elif _name(node.func) in PASSED_ON and node.args:
            yield from literals(node.args[0])
    elif isinstance(node, ast.BinOp):
        yield from literals(node.left)
        yield from literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from literals(node.body)
        yield from literals(node.orelse)
    elif isinstance(node, ast.BoolOp):  # name or "nobody"
        for value in node.values:
            yield from literals(value)
    elif isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from literals(element)


def _is_command_output(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "print") or (
        isinstance(func, ast.Attribute) and func.attr == "write"
        and _name(func.value) in {"stdout", "stderr"})


def _texts_assembled(part: ast.expr) -> Iterator[ast.expr]:
    """The texts of one part of ``Content.assemble``: a text, or a (text, style) pair."""
    if isinstance(part, ast.Tuple) and part.elts:
        yield part.elts[0]
    elif isinstance(part, ast.IfExp):
        yield from _texts_assembled(part.body)
        yield from _texts_assembled(part.orelse)
    else:
        yield part


def shown(tree: ast.AST, command_line: bool) -> Iterator[ast.expr]:
    """The expressions of ``tree`` whose text the user reads."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            places = SHOWN_CALLS.get(_name(node.func))
            if places is not None:
                yield from (node.args[i] for i in places if i < len(node.args))
            if _name(node.func) == "assemble":  # Content.assemble("text", ("text", "style"))
                for arg in node.args:
                    yield from _texts_assembled(arg)
            if command_line and _is_command_output(node):
                yield from node.args
            yield from (keyword.value for keyword in node.keywords
                        if keyword.arg in SHOWN_KEYWORDS)
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            if _name(node.exc.func) in USER_ERRORS and node.exc.args:
                yield node.exc.args[0]
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_name(target) in SHOWN_ATTRIBUTES for target in targets):
                yield from [node.value] if node.value is not None else []


def unmarked_in(source: str, where: str) -> list[tuple[int, str]]:
    """The unmarked user-facing literals of the module ``source``, found at ``where`` (a path
    relative to the repository: it says whether it is the command line's, and what is
    allowed there), in the order they come."""
    command_line = "/cli" in where or where.endswith("cli.py")
    allowed = ALLOWED.get(where, set())
    found = {(line, text) for expression in shown(ast.parse(source), command_line)
             for line, text in literals(expression) if text not in allowed}
    return sorted(found)


def unmarked(folder: Path) -> list[Unmarked]:
    """Every unmarked user-facing literal in the Python files under ``folder``."""
    return [Unmarked(path, line, text)
            for path in sorted(folder.resolve().rglob("*.py"))
            for line, text in unmarked_in(path.read_text(encoding="utf-8"),
                                          path.relative_to(REPO).as_posix())]


if __name__ == "__main__":
    import sys

    for item in unmarked(Path(sys.argv[1]) if len(sys.argv) > 1 else CORE):
        print(item)
