"""What importing amtui pulls in: the models, the store and the capture CLI never load Textual,
and the bare package and ``--help`` load neither Textual nor pydantic."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HEAVY = ("textual", "pydantic", "rich")


def loaded_after(code: str, tmp_path: Path) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; return what it reported and which heavy modules
    were imported by then."""
    script = "\n".join([
        "import json, sys",
        "result = {}",
        textwrap.dedent(code),
        "result['modules'] = sorted(name for name in sys.modules",
        "                           if name.split('.')[0] in ('textual', 'pydantic', 'rich'))",
        "sys.__stdout__.write('\\nRESULT ' + json.dumps(result) + '\\n')",
    ])
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    marker = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(marker) == 1, completed.stdout + completed.stderr
    result: dict[str, object] = json.loads(marker[0].removeprefix("RESULT "))
    return result


def top_level(modules: object) -> set[str]:
    assert isinstance(modules, list)
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize("module", ["amtui.models", "amtui.storage", "amtui.cli",
                                    "amtui.cli.capture", "amtui.cli.listing",
                                    "amtui.services.hours", "amtui.text"])
def test_core_modules_import_without_textual(tmp_path: Path, module: str) -> None:
    result = loaded_after(f"import {module}", tmp_path)
    assert "textual" not in top_level(result["modules"])


def test_models_really_load(tmp_path: Path) -> None:
    """The check above means something: the models do import pydantic."""
    result = loaded_after("import amtui.models", tmp_path)
    assert "pydantic" in top_level(result["modules"])


def test_capture_and_listing_commands_run_without_textual(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    result = loaded_after(f"""
        import io, contextlib
        from amtui.cli import main
        ws = {str(workspace)!r}

        def run(key, argv):
            out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
            with contextlib.redirect_stdout(out):
                result[key] = main(argv)
                out.flush()
            result[key + "_out"] = out.buffer.getvalue().decode()

        run("client", ["add", "client", "ООО «Ромашка»", "--workspace", ws])
        run("task", ["add", "task", "x", "--client", "ООО «Ромашка»", "--due", "2026-12-01",
                     "--workspace", ws])
        run("message", ["add", "message", "Когда?", "--client", "ООО «Ромашка»",
                        "--workspace", ws])
        run("note", ["add", "note", "n", "--body", "b", "--workspace", ws])
        run("list", ["list", "tasks", "--workspace", ws])
        run("list_json", ["list", "tasks", "--json", "--client", "ООО «Ромашка»",
                          "--workspace", ws])
        run("summary", ["--workspace", ws])
    """, tmp_path)
    statuses = ("client", "task", "message", "note", "list", "list_json", "summary")
    assert {key: result[key] for key in statuses} == dict.fromkeys(statuses, 0)
    task_id = str(result["task_out"]).strip()
    assert len(task_id) == 26
    assert task_id in str(result["list_out"])  # the task was really stored and listed
    assert [r["id"] for r in json.loads(str(result["list_json_out"]))] == [task_id]
    assert (workspace / "workspace.toml").exists()
    assert "textual" not in top_level(result["modules"])


def test_a_failing_capture_command_does_not_load_textual(tmp_path: Path) -> None:
    result = loaded_after(f"""
        result["status"] = __import__("amtui.cli", fromlist=["main"]).main(
            ["add", "task", "x", "--due", "2026-02-30", "--workspace", {str(tmp_path / "ws")!r}])
    """, tmp_path)
    assert result["status"] == 2
    assert "textual" not in top_level(result["modules"])


def test_bare_package_imports_neither_textual_nor_pydantic(tmp_path: Path) -> None:
    result = loaded_after("import amtui; result['version'] = amtui.__version__", tmp_path)
    assert result["version"]
    assert top_level(result["modules"]).isdisjoint(HEAVY)


@pytest.mark.parametrize("argv", [["--help"], ["add", "--help"], ["add", "task", "--help"],
                                  ["list", "--help"], ["--version"]])
def test_help_imports_neither_textual_nor_pydantic(tmp_path: Path, argv: list[str]) -> None:
    result = loaded_after(f"""
        import io, contextlib
        from amtui.cli import main
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                main({argv!r})
        except SystemExit as stop:
            result["status"] = stop.code
        result["help"] = out.getvalue()
    """, tmp_path)
    assert result["status"] in (0, None)
    assert "amtui" in str(result["help"])
    assert top_level(result["modules"]).isdisjoint({"textual", "pydantic"})


def test_help_as_a_command(tmp_path: Path) -> None:
    """``python -m amtui --help`` (the script's entry point), with the import log."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "amtui", "--help"], capture_output=True,
        text=True, cwd=tmp_path, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "usage: amtui" in completed.stdout
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in completed.stderr.splitlines() if line.startswith("import time:")}
    assert "amtui" in imported
    assert imported.isdisjoint({"textual", "pydantic"})


@pytest.mark.parametrize("made", [True, False], ids=["workspace", "new folder"])
def test_the_app_starts_before_the_store_or_pydantic_is_imported(tmp_path: Path,
                                                                 made: bool) -> None:
    """The first screen is painted before the store is read: everything ``amtui`` does
    before it runs the app stays clear of the store and of pydantic (70 ms together), for a
    workspace and for a new folder (the first-run screen)."""
    workspace = tmp_path / "ws"
    if made:
        workspace.mkdir()
        (workspace / "workspace.toml").write_text('name = "Agency"\n', encoding="utf-8")
    result = loaded_after(f"""
        import amtui.cli.open_app as open_app
        from amtui.cli import main
        from amtui.ui.app import AmtuiApp

        open_app.sys = type("Terminal", (), {{
            "stdin": type("In", (), {{"isatty": staticmethod(lambda: True)}}),
            "stdout": type("Out", (), {{"isatty": staticmethod(lambda: True)}})}})

        def run(self):
            import amtui.ui.first_run  # noqa: F401 (its screen is painted first, in a new folder)
            result["title"] = self.sub_title or self.title
            result["store_before_run"] = "amtui.storage" in sys.modules
            result["pydantic_before_run"] = "pydantic" in sys.modules
            result["first_run"] = self.new_workspace_at is not None

        AmtuiApp.run = run
        result["status"] = main(["--workspace", {str(workspace)!r}])
    """, tmp_path)
    assert result["status"] == 0
    assert "store_before_run" in result  # the app was really started
    assert result["store_before_run"] is False
    assert result["pydantic_before_run"] is False
    assert result["first_run"] is not made
