"""docs/plugin-api.md is the plugin reference: what it shows is written from the code by
tools/plugin_api.py (`make docs`), so these tests keep the two together."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "plugin-api.md"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("plugin_api", REPO / "tools" / "plugin_api.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["plugin_api"] = module
    spec.loader.exec_module(module)
    return module


def test_the_committed_reference_is_what_the_code_says(generator: ModuleType) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert generator.render(text) == text, "docs/plugin-api.md is out of date: run `make docs`"


def test_every_name_the_reference_shows_has_a_docstring(generator: ModuleType) -> None:
    assert generator.missing_docs() == []


def test_every_exported_name_and_hook_is_in_the_reference() -> None:
    import amtui.api
    import amtui.api.ui
    from amtui.plugins import specs

    text = DOC.read_text(encoding="utf-8")
    shown = set(re.findall(r"^#### `([^`]+)`", text, re.MULTILINE))
    assert set(amtui.api.__all__) | set(amtui.api.ui.__all__) <= shown
    hooks = {name for name in vars(specs) if name.startswith("amtui_")}
    assert hooks <= set(re.findall(r"^### `(amtui_\w+)`", text, re.MULTILINE))


def test_the_app_a_plugin_is_handed_has_what_plugin_app_promises() -> None:
    from amtui.api import PluginApp
    from amtui.ui.app import AmtuiApp

    promised = [name for name in vars(PluginApp)
                if not name.startswith("_") and name not in ("copy_with",)]
    assert "workspace" in promised
    assert [name for name in promised if not hasattr(AmtuiApp, name)] == []


def test_the_recipes_are_python() -> None:
    """The examples written by hand (outside the generated parts, which show signatures)."""
    text = re.sub(r"<!-- generated: .*?<!-- end generated -->", "",
                  DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    assert len(blocks) >= 5
    for block in blocks:
        ast.parse(block)


def test_the_bundled_plugins_keep_to_the_documented_api() -> None:
    """They import only amtui.api and amtui.api.ui, read records through repositories (not
    the data files' dicts) and take their settings from ``workspace.plugin_settings``."""
    problems = []
    for path in sorted((REPO / "plugins").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(REPO)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("amtui"):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names if alias.name.startswith("amtui")]
            else:
                names = []
            problems += [f"{where}: imports {name}" for name in names
                         if name not in ("amtui.api", "amtui.api.ui")]
            if isinstance(node, ast.Attribute) and (
                    (node.attr == "file" and ast.unparse(node.value).endswith("workspace"))
                    or node.attr == "model_extra"):
                problems.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    assert problems == []


def recipe(title: str) -> str:
    """The first code block under the heading ``### title`` of docs/plugin-api.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"### {title}\n", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found is not None
    return found[1]


def test_the_recipe_for_reading_and_changing_records_works(amtui_workspace: Any) -> None:
    from amtui.api import Client

    namespace: dict[str, Any] = {}
    exec(recipe("Reading and changing records"), namespace)
    clients = amtui_workspace.repo(Client)
    atlas = clients.add(Client(name="Atlas", key_account=True))
    clients.add(Client(name="Bravo"))
    namespace["rename"](amtui_workspace, atlas.id, "Atlas Group")
    assert namespace["names"](amtui_workspace) == ["Atlas Group", "Bravo"]
    assert namespace["key_accounts"](amtui_workspace) == 1
    clients.update(clients.get(atlas.id).model_copy(update={"key_account": False}))
    assert namespace["key_accounts"](amtui_workspace) == 0  # the file changed: counted again
