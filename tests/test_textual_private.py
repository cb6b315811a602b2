"""amtui uses Textual through its public API, so that ``textual`` can be a range of versions
(pyproject.toml: ``>=8.2.5,<9``) rather than one. A private name of Textual's (an attribute
starting with ``_`` that Textual defines and amtui does not) may appear only where this file
lists it, with the reason: each is a place a new Textual may break, checked at both ends of
the range (``make test`` runs the UI tests with the oldest, ``make test-textual-oldest``)."""

from __future__ import annotations

import ast
from pathlib import Path

import textual

REPO = Path(__file__).resolve().parents[1]

ALLOWED: dict[tuple[str, str], str] = {
    # Each has no public replacement in Textual 8 short of rewriting the widget; the reason
    # says what it does and why not.
    ("src/amtui/ui/widgets/table.py", "_data"):
        "RecordTable redraws only the rows whose cells changed: the public update_cell makes "
        "every drawn cell render again (3 of 60 rows changed at 120x40: 37 ms of UI thread, "
        "not 10.5 ms, bench/table_update.py); without these, RecordTable would be a "
        "ScrollView of its own drawing its lines (render_line) in place of DataTable",
    ("src/amtui/ui/widgets/table.py", "_row_renderable_cache"): "as above",
    ("src/amtui/ui/widgets/table.py", "_update_count"): "as above",
    ("src/amtui/ui/widgets/table.py", "_cell_render_cache"): "as above",
    ("src/amtui/ui/widgets/table.py", "_row_render_cache"): "as above",
    ("src/amtui/ui/widgets/table.py", "_line_cache"): "as above",
}
"""(file, Textual's private name) → why amtui uses it."""


def private_names_defined(root: Path) -> set[str]:
    """The ``_names`` a package defines: functions, classes, attributes and module names."""
    names: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


STANDARD_MODULES = {"os", "sys"}
"""Modules whose private names (``os._exit``) are Python's, whatever Textual calls its own."""


def used_names(path: Path) -> set[str]:
    """The attributes a file uses, ``x._name`` or ``getattr(x, "_name")``, and the methods it
    defines (an override of a private method is a use of it)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.add(node.name)
        elif isinstance(node, ast.Attribute) and not (
                isinstance(node.value, ast.Name) and node.value.id in STANDARD_MODULES):
            found.add(node.attr)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) > 1
              and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
            found.add(node.args[1].value)
    return found


def test_amtui_uses_no_private_name_of_textual_but_those_listed() -> None:
    textuals = private_names_defined(Path(textual.__file__).parent)
    ours = private_names_defined(REPO / "src" / "amtui") | private_names_defined(
        REPO / "plugins")
    # Names amtui also defines (an override, an attribute it sets on Textual's object) count
    # where they are listed, and the two the issue named count everywhere.
    always = {"_modes", "_css_update_count"}
    listed = set(ALLOWED)
    used = set()
    for path in [*(REPO / "src" / "amtui").rglob("*.py"), *(REPO / "plugins").rglob("*.py")]:
        where = str(path.relative_to(REPO))
        for name in used_names(path) & textuals:
            if name not in ours or name in always or (where, name) in listed:
                used.add((where, name))
    assert sorted(used - set(ALLOWED)) == []
    assert sorted(set(ALLOWED) - used) == [], "listed but no longer used: take them out"


def test_the_app_names_textual_modes_through_add_mode() -> None:
    """The panes are Textual modes, the first one too, all made with ``add_mode``."""
    source = (REPO / "src" / "amtui" / "ui" / "app.py").read_text(encoding="utf-8")
    assert "._modes" not in source
    assert "self.add_mode(self.DEFAULT_MODE, self.get_default_screen)" in source
