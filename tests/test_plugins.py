"""Plugins: discovery and its order, isolation of every kind of broken plugin, control
(disabled, allowlist, safe mode), trust in a shared workspace, and the plugin built from
docs/plugins.md alone."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from amtui.api import Client
from amtui.plugins.host import ALLOW_VARIABLE, PluginHost
from amtui.services.agenda import plugin_sections
from amtui.storage import Workspace
from amtui.testing import settle
from amtui.ui.app import AmtuiApp
from amtui.ui.client_card import ClientCard
from amtui.ui.panes.failed import FailedPane
from conftest import NOBODY, run_cli, snapshot_files, unavailable

DOCS = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"

GOOD = '''
from amtui.api import AgendaEntry, hookimpl

@hookimpl
def amtui_agenda(workspace, now, add):
    add(AgendaEntry("From good", "good line"))
'''


def write(folder: Path, name: str, code: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    path.chmod(0o644)
    return path


@pytest.fixture(autouse=True)
def no_user_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plugins of the person running the tests, and amtui's bundled ones, stay out of them."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(ALLOW_VARIABLE, raising=False)
    monkeypatch.setattr("amtui.plugins.host.bundled_folder", lambda: tmp_path / "no-bundled")


def plugins_dir(workspace: Workspace) -> Path:
    return workspace.root / "plugins"


def host_for(workspace: Workspace, **options: object) -> PluginHost:
    host = PluginHost.load(workspace.root, **options)  # type: ignore[arg-type]
    host.attach(workspace)
    return host


def statuses(host: PluginHost) -> dict[str, str]:
    return {info.name: info.status for info in host}


BROKEN = {
    "import_error": ("import nothing_like_this_exists\n", "ModuleNotFoundError"),
    "misspelt": ('from amtui.api import hookimpl\n@hookimpl\n'
                 'def amtui_register_pane(register):\n    pass\n', "amtui_register_pane"),
    "wrong_argument": ('from amtui.api import hookimpl\n@hookimpl\n'
                       'def amtui_agenda(workspace, when, add):\n    pass\n', "when"),
    "raises_in_hook": ('from amtui.api import hookimpl\n@hookimpl\n'
                       'def amtui_agenda(workspace, now, add):\n    raise RuntimeError("boom")\n',
                       "amtui_agenda: RuntimeError: boom"),
    "exits_on_import": ("raise SystemExit(3)\n", "SystemExit"),
}


def test_each_broken_plugin_fails_alone_and_the_good_one_works(workspace: Workspace) -> None:
    for name, (code, _error) in BROKEN.items():
        write(plugins_dir(workspace), name, code)
    write(plugins_dir(workspace), "good", GOOD)
    host = host_for(workspace)
    sections = plugin_sections(workspace, host)
    assert [section.title for section in sections] == ["From good"]
    found = {info.name: info for info in host}
    assert found["good"].status == "loaded" and found["good"].hooks == ["amtui_agenda"]
    for name, (_code, error) in BROKEN.items():
        assert found[name].status == "failed", name
        assert error in found[name].error, (name, found[name].error)


def test_a_plugin_raising_on_save_leaves_the_save_whole(workspace: Workspace) -> None:
    write(plugins_dir(workspace), "grumpy", '''
        from amtui.api import hookimpl

        @hookimpl
        def amtui_event(workspace, event):
            if event.kind == "record_saved":
                raise ValueError("no saving today")
    ''')
    write(plugins_dir(workspace), "listener", '''
        from amtui.api import hookimpl
        seen = []

        @hookimpl
        def amtui_event(workspace, event):
            seen.append((event.kind, event.table))
    ''')
    host = host_for(workspace)
    saved = workspace.repo(Client).add(Client(name="Ромашка"))
    assert workspace.repo(Client).get(saved.id).name == "Ромашка"  # stored, whole
    assert Workspace.open(workspace.root).repo(Client).get(saved.id).name == "Ромашка"
    assert statuses(host)["grumpy"] == "failed"
    assert "no saving today" in host.plugins["grumpy"].error
    listener = sys.modules["amtui_plugin_workspace_listener"]
    assert ("record_saved", "clients") in listener.seen  # the other plugin still heard it
    workspace.repo(Client).delete(saved.id)
    assert ("record_deleted", "clients") in listener.seen


def test_later_sources_override_earlier_ones(workspace: Workspace, tmp_path: Path) -> None:
    user = tmp_path / "config" / "amtui" / "plugins"
    write(user, "twin", GOOD.replace("From good", "From the user folder"))
    write(plugins_dir(workspace), "twin", GOOD.replace("From good", "From the workspace"))
    host = host_for(workspace)
    assert host.plugins["twin"].source == "workspace"
    assert [s.title for s in plugin_sections(workspace, host)] == ["From the workspace"]


def test_disabled_allowlist_and_safe_mode(workspace: Workspace,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    write(plugins_dir(workspace), "one", GOOD)
    write(plugins_dir(workspace), "two", GOOD)
    assert statuses(host_for(workspace, disabled=["two"])) == {"one": "loaded",
                                                               "two": "disabled"}
    monkeypatch.setenv(ALLOW_VARIABLE, "two")
    assert statuses(host_for(workspace)) == {"one": "disabled", "two": "loaded"}
    monkeypatch.setenv(ALLOW_VARIABLE, "")
    assert set(statuses(host_for(workspace)).values()) == {"disabled"}
    monkeypatch.delenv(ALLOW_VARIABLE)
    assert "one" not in statuses(host_for(workspace, safe_mode=True))


def test_untrusted_files_in_a_shared_workspace_are_refused(workspace: Workspace) -> None:
    writable = write(plugins_dir(workspace), "writable", GOOD)
    writable.chmod(0o666)
    foreign = write(plugins_dir(workspace), "foreign", GOOD)
    if os.getuid() != 0:
        unavailable("only root can give a file to another user")
    os.chown(foreign, NOBODY, NOBODY)
    host = host_for(workspace)
    assert statuses(host) == {"foreign": "failed", "writable": "failed"}
    assert "can be changed by other users" in host.plugins["writable"].error
    assert "belongs to uid 65534" in host.plugins["foreign"].error
    assert plugin_sections(workspace, host) == []  # neither ran


# Bytecode a teammate could write is never run ------------------------------------------

PLANTED = """
import pathlib
pathlib.Path({marker!r}).write_text("the planted bytecode ran")
"""

PACKAGE_INIT = """
from amtui.api import AgendaEntry, hookimpl

from .helper import TITLE

@hookimpl
def amtui_agenda(workspace, now, add):
    add(AgendaEntry(TITLE, "line"))
"""


def plant_bytecode(source: Path, marker: Path) -> Path:
    """A teammate's ``.pyc`` for ``source`` in a group-writable ``__pycache__`` (as umask 002
    makes it), with a header matching the source's mtime and size: Python's own import would
    run it in place of the source."""
    from importlib._bootstrap_external import (  # type: ignore[import-not-found]
        _code_to_timestamp_pyc,
    )
    from importlib.util import cache_from_source

    if os.getuid() != 0:
        unavailable("only root can give a file to another user")
    cached = Path(cache_from_source(str(source)))
    cached.parent.mkdir(exist_ok=True)
    cached.parent.chmod(0o2775)
    info = source.stat()
    code = compile(PLANTED.format(marker=str(marker)) + source.read_text(encoding="utf-8"),
                   str(source), "exec")
    cached.write_bytes(_code_to_timestamp_pyc(code, int(info.st_mtime), info.st_size))
    os.chown(cached, NOBODY, NOBODY)
    return cached


@pytest.mark.parametrize("layout", ["module", "package"])
@pytest.mark.parametrize("source", ["workspace", "user"])
def test_planted_bytecode_never_runs(workspace: Workspace, tmp_path: Path, source: str,
                                     layout: str) -> None:
    config = tmp_path / "victim-config"
    folder = plugins_dir(workspace) if source == "workspace" else config / "amtui" / "plugins"
    marker = tmp_path / "marker"
    if layout == "module":
        planted_for = write(folder, "hello", GOOD)
    else:
        write(folder / "hello", "__init__", PACKAGE_INIT)
        planted_for = write(folder / "hello", "helper", 'TITLE = "From good"\n')
    plant_bytecode(planted_for, marker)

    result = run_cli("plugins", "--json", workspace=workspace.root,
                     env={"XDG_CONFIG_HOME": str(config)})

    assert result.returncode == 0, result.stderr
    listed = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert listed["hello"]["status"] == "loaded", listed["hello"]["error"]
    assert listed["hello"]["source"] == source
    assert not marker.exists(), "the teammate's bytecode ran as the victim"


def test_workspace_plugins_write_no_bytecode(workspace: Workspace) -> None:
    write(plugins_dir(workspace), "hello", GOOD)
    write(plugins_dir(workspace) / "pack", "__init__", PACKAGE_INIT)
    write(plugins_dir(workspace) / "pack", "helper", 'TITLE = "From the package"\n')
    result = run_cli("plugins", "--json", workspace=workspace.root,
                     env={"PYTHONDONTWRITEBYTECODE": ""})
    assert result.returncode == 0, result.stderr
    assert {entry["status"] for entry in json.loads(result.stdout)} == {"loaded"}
    assert sorted(path.name for path in plugins_dir(workspace).rglob("*")
                  if "__pycache__" in path.parts or path.suffix == ".pyc") == []
    sections = plugin_sections(workspace, host_for(workspace))
    assert sorted(section.title for section in sections) == ["From good", "From the package"]


RESOURCES = """
from importlib.resources import files

from amtui.api import AgendaEntry, hookimpl

@hookimpl
def amtui_agenda(workspace, now, add):
    add(AgendaEntry(files(__name__).joinpath("title.txt").read_text(encoding="utf-8"), "x"))
"""


def test_a_package_plugin_reads_its_own_files(workspace: Workspace) -> None:
    """Loaded from source, a package still reaches its files with importlib.resources."""
    write(plugins_dir(workspace) / "pack", "__init__", RESOURCES)
    (plugins_dir(workspace) / "pack" / "title.txt").write_text("Из файла", encoding="utf-8")
    host = host_for(workspace)
    assert [section.title for section in plugin_sections(workspace, host)] == ["Из файла"]


LATE_IMPORT = """
from amtui.api import AgendaEntry, hookimpl

@hookimpl
def amtui_agenda(workspace, now, add):
    from . import late
    add(AgendaEntry(late.TITLE, "line"))
"""


def test_a_module_added_by_a_teammate_after_the_check_is_refused(workspace: Workspace,
                                                                 tmp_path: Path) -> None:
    """A trusted package's modules are checked as each is read, not only when the plugin is
    found: one a teammate adds later does not run."""
    if os.getuid() != 0:
        unavailable("only root can give a file to another user")
    write(plugins_dir(workspace) / "pack", "__init__", LATE_IMPORT)
    host = host_for(workspace)
    assert statuses(host) == {"pack": "loaded"}
    marker = tmp_path / "marker"
    late = write(plugins_dir(workspace) / "pack", "late",
                 PLANTED.format(marker=str(marker)) + 'TITLE = "late"\n')
    os.chown(late, NOBODY, NOBODY)

    assert plugin_sections(workspace, host) == []

    assert not marker.exists()
    assert statuses(host) == {"pack": "failed"}
    assert "late.py belongs to uid 65534" in host.plugins["pack"].error


def test_amtui_plugins_reports_each_state(workspace: Workspace) -> None:
    write(plugins_dir(workspace), "good", GOOD)
    write(plugins_dir(workspace), "misspelt", BROKEN["misspelt"][0])
    (workspace.root / "workspace.toml").write_text(
        (workspace.root / "workspace.toml").read_text() .replace(
            "disabled_plugins = []", 'disabled_plugins = ["off"]'), encoding="utf-8")
    write(plugins_dir(workspace), "off", GOOD)
    result = run_cli("plugins", "--json", workspace=workspace.root,
                     env={"XDG_CONFIG_HOME": str(workspace.root / "no-config")})
    assert result.returncode == 0, result.stderr
    listed = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert listed["good"]["status"] == "loaded" and listed["good"]["source"] == "workspace"
    assert listed["misspelt"]["status"] == "failed"
    assert "amtui_register_pane" in listed["misspelt"]["error"]
    assert listed["off"]["status"] == "disabled"
    text = run_cli("plugins", workspace=workspace.root).stdout
    assert "misspelt  [failed]" in text and "error: unknown hook" in text


# The app with plugins ----------------------------------------------------------------------

PANE_PLUGIN = '''
from amtui.api import CommandSpec, PaneSpec, hookimpl

calls = []

@hookimpl
def amtui_register_panes(register):
    register(PaneSpec("broken", "Broken", lambda: 1 / 0, order=2))
    register(PaneSpec("hello", "Hello", make, order=1))

def make():
    from textual.widgets import Static
    from amtui.api.ui import PaneScreen

    class Hello(PaneScreen):
        PANE_ID = "hello"
        def compose_body(self):
            yield Static("hello from a plugin", id="hello-text")
    return Hello()

@hookimpl
def amtui_register_commands(register):
    register(CommandSpec("hello: wave", "Wave", lambda app: calls.append(app)))
'''


async def test_plugin_panes_keys_commands_and_a_failing_pane(workspace: Workspace) -> None:
    write(plugins_dir(workspace), "panes", PANE_PLUGIN)
    host = host_for(workspace)
    app = AmtuiApp(workspace, plugins=host)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert [pane_id for pane_id, _title in app.pane_titles()][-2:] == ["hello", "broken"]
        await pilot.press("6")
        await settle(pilot)
        assert str(app.screen.query_one("#hello-text", Static).render()) == \
            "hello from a plugin"
        await pilot.press("7")
        await settle(pilot)
        assert isinstance(app.screen, FailedPane)
        assert "ZeroDivisionError" in str(app.screen.query_one("#failed-pane", Static).render())
        assert any("Plugin panes failed" in str(note.message) for note in app._notifications)
        assert host.plugins["panes"].status == "failed"
        await pilot.press("3")  # the core panes still work
        await settle(pilot)
        assert app.current_pane == "clients"
    module = sys.modules["amtui_plugin_workspace_panes"]
    assert module.calls == []


async def test_palette_command_and_failure_notification(workspace: Workspace) -> None:
    write(plugins_dir(workspace), "panes", PANE_PLUGIN.replace("lambda: 1 / 0", "make"))
    write(plugins_dir(workspace), "misspelt", BROKEN["misspelt"][0])
    host = host_for(workspace)
    app = AmtuiApp(workspace, plugins=host)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("Plugin misspelt failed" in str(note.message)
                   for note in app._notifications)
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        commands["hello: wave"].callback()
        module = sys.modules["amtui_plugin_workspace_panes"]
        assert module.calls == [app]


async def test_client_card_shows_plugin_sections_and_timeline(workspace: Workspace) -> None:
    write(plugins_dir(workspace), "card", '''
        from datetime import datetime, UTC
        from amtui.api import ClientSection, TimelineItem, hookimpl

        @hookimpl
        def amtui_client_sections(workspace, client, add):
            add(ClientSection("Posts", ["3 waiting for approval"], [
                TimelineItem(datetime(2026, 11, 25, tzinfo=UTC), "post", "Sale post approved")]))
    ''')
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    app = AmtuiApp(workspace, pane="clients", plugins=host_for(workspace))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_record("clients", client.id)
        await settle(pilot)
        assert isinstance(app.screen, ClientCard)
        section = str(app.screen.query_one("#card-plugins", Static).render())
        assert "Posts" in section and "3 waiting for approval" in section
        assert "Sale post approved" in str(app.screen.query_one("#card-timeline",
                                                                Static).render())


# The plugin in docs/plugins.md --------------------------------------------------------------

def plugin_from_docs(folder: Path) -> Path:
    """Write the files docs/plugins.md builds, from its code blocks alone."""
    text = DOCS.read_text(encoding="utf-8")
    files: dict[str, list[str]] = {}
    for name, code in re.findall(r"<!-- file: (\S+) -->\n```python\n(.*?)```", text, re.S):
        files.setdefault(name, []).append(code)
    assert set(files) == {"followups/__init__.py", "followups/pane.py"}
    for name, parts in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(parts), encoding="utf-8")
    return folder / "followups"


async def test_the_plugin_written_from_the_docs_works(workspace: Workspace) -> None:
    plugin_from_docs(plugins_dir(workspace))
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    added = run_cli("followups", "Call about the brief", "--client", "ООО «Ромашка»",
                    "--in-days", "0", workspace=workspace.root)
    assert added.returncode == 0, added.stderr
    host = host_for(workspace)
    assert host.plugins["followups"].status == "loaded"
    assert (workspace.root / "data" / "followups" / "followups.json").is_file()
    sections = plugin_sections(workspace, host)
    assert [(s.title, [i.title for i in s.items]) for s in sections] == [
        ("Follow-ups due", ["Call about the brief"])]
    app = AmtuiApp(workspace, pane="followups", plugins=host)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.get_row_at(0)[2].plain == "Call about the brief"
        assert "followups: open follow-ups" in [
            command.title for command in app.get_system_commands(app.screen)]
        app.open_record("clients", client.id)
        await settle(pilot)
        assert "Call about the brief" in str(app.screen.query_one("#card-plugins",
                                                                  Static).render())
    listed = run_cli("followups", workspace=workspace.root)
    assert "Call about the brief" in listed.stdout


def test_a_plugin_command_with_bad_input_changes_nothing(workspace: Workspace) -> None:
    plugin_from_docs(plugins_dir(workspace))
    workspace.repo(Client).add(Client(name="Ромашка"))
    before = snapshot_files(workspace.root)
    result = run_cli("followups", "x", "--client", "Nobody", workspace=workspace.root)
    assert result.returncode == 2
    assert result.stderr.startswith("amtui: error:") and "Traceback" not in result.stderr
    no_client = run_cli("followups", "x", workspace=workspace.root)  # the plugin's ValueError
    assert no_client.returncode == 2
    assert no_client.stderr == "amtui: error: --client is required to add a follow-up\n"
    assert snapshot_files(workspace.root) == before


@pytest.mark.slow
def test_plugins_new_makes_a_package_that_passes_its_own_test(tmp_path: Path) -> None:
    made = run_cli("plugins", "new", "leads_log", "--dir", str(tmp_path))
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip())
    assert (folder / "pyproject.toml").is_file()
    assert 'leads_log = "amtui_leads_log"' in (folder / "pyproject.toml").read_text()
    # Its tests import only what its pyproject declares (amtui's public modules, pytest) and
    # the standard library; amtui.testing's fixtures come by its pytest11 entry point.
    assert not (folder / "tests" / "conftest.py").exists()
    imported = imports_of(folder / "tests" / "test_leads_log.py")
    assert {name for name in imported if name.split(".")[0] not in sys.stdlib_module_names} <= {
        "amtui.api", "amtui.api.ui", "amtui.testing", "pytest", "amtui_leads_log",
        "amtui_leads_log.i18n"}
    assert "Leads log" in (folder / "tests" / "test_leads_log.py").read_text()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "-p", "no:xdist"], cwd=folder, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
    again = run_cli("plugins", "new", "leads_log", "--dir", str(tmp_path))
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = run_cli("plugins", "new", "Bad-Name", "--dir", str(tmp_path))
    assert bad.returncode == 2


def imports_of(path: Path) -> set[str]:
    """The modules a Python file imports (at any depth in it)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_amtui_never_imports_pytest() -> None:
    """amtui.testing is a pytest plugin, but the app and the plugin API do without pytest."""
    code = ("import sys, amtui, amtui.api, amtui.api.ui, amtui.cli, amtui.ui.app; "
            "assert 'pytest' not in sys.modules and '_pytest' not in sys.modules, "
            "sorted(name for name in sys.modules if 'pytest' in name); print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


def test_amtui_testing_is_a_pytest_plugin_by_its_entry_point() -> None:
    from importlib.metadata import entry_points

    found = entry_points(group="pytest11").select(name="amtui.testing")
    assert [entry.value for entry in found] == ["amtui.testing"]


def test_the_plugin_api_imports_without_textual() -> None:
    code = ("import sys, amtui.api, amtui.plugins.host; from amtui.api import hookimpl, "
            "PaneSpec; assert 'textual' not in sys.modules; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


SETTINGS_PLUGIN = '''
from pydantic import BaseModel, Field
from amtui.api import SettingsSection, hookimpl

class Followups(BaseModel):
    remind_days: int = Field(default=1, ge=0)

@hookimpl
def amtui_register_settings(register):
    register(SettingsSection("followups", Followups))
'''


@pytest.mark.parametrize("section, status", [
    ("", "loaded"), ("[followups]\nremind_days = 3\n", "loaded"),
    ("[followups]\nremind_days = -1\n", "failed"),
])
def test_plugin_settings_sections_are_checked(workspace_path: Path, section: str,
                                              status: str) -> None:
    Workspace.open(workspace_path, create=True)
    settings = workspace_path / "workspace.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + section, encoding="utf-8")
    write(workspace_path / "plugins", "settings_plugin", SETTINGS_PLUGIN)
    host = host_for(Workspace.open(workspace_path))
    assert host.plugins["settings_plugin"].status == status
    if status == "loaded":
        assert host.settings["followups"].remind_days == (3 if section else 1)
    else:
        assert "[followups]" in host.plugins["settings_plugin"].error


DEMO_PLUGIN = '''
from amtui.api import Record, TableSpec, hookimpl

class Tip(Record):
    table = "tips"
    text: str

@hookimpl
def amtui_register_tables(register):
    register(TableSpec("tips", Tip))

@hookimpl
def amtui_demo(workspace, size, seed, say):
    say("writing 2 tips")
    workspace.repo(Tip).add_many([Tip(text=f"tip {seed}-{n}") for n in range(2)])
'''


def test_amtui_demo_lets_plugins_fill_their_tables(tmp_path: Path) -> None:
    config = tmp_path / "config"
    write(config / "amtui" / "plugins", "tips", DEMO_PLUGIN)
    result = run_cli("demo", "--seed", "7", workspace=tmp_path / "ws",
                     env={"XDG_CONFIG_HOME": str(config)})
    assert result.returncode == 0, result.stderr
    assert "writing 2 tips" in result.stderr
    stored = json.loads((tmp_path / "ws" / "data" / "tips" / "tips.json").read_bytes())
    assert sorted(tip["text"] for tip in stored["tips"].values()) == ["tip 7-0", "tip 7-1"]


def test_write_text_file_writes_whole_files_for_plugin_exports(tmp_path: Path) -> None:
    from amtui.api import write_text_file

    report = write_text_file(tmp_path / "report.md", "# Отчёт\n")
    assert report.read_text(encoding="utf-8") == "# Отчёт\n"
    assert report.stat().st_mode & 0o777 == 0o644
    secret = write_text_file(tmp_path / "pay.csv", "a,b\n", private=True)
    assert secret.stat().st_mode & 0o777 == 0o600
    with pytest.raises(ValueError, match="is a folder"):
        write_text_file(tmp_path, "x")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pay.csv", "report.md"]


async def test_today_shows_plugin_lines_that_point_at_no_record(workspace: Workspace) -> None:
    write(plugins_dir(workspace), "lines", '''
        from amtui.api import AgendaEntry, hookimpl

        @hookimpl
        def amtui_agenda(workspace, now, add):
            add(AgendaEntry("Bonus", "Quota 40% reached"))
            add(AgendaEntry("Bonus", "Two statements to lock"))
    ''')
    app = AmtuiApp(workspace, plugins=host_for(workspace))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = [str(option.prompt) for option in app.screen.query_one("#agenda")._options]
        assert any("Quota 40% reached" in text for text in shown)
        assert any("Two statements to lock" in text for text in shown)
        await pilot.press("enter")  # nothing to open: no error
        await settle(pilot)


OPENER_PLUGIN = '''
from amtui.api import Record, TableSpec, hookimpl

opened = []

class Post(Record):
    table = "posts"
    title: str

@hookimpl
def amtui_register_tables(register):
    register(TableSpec("posts", Post, open=lambda app, record_id: opened.append(record_id)))
'''


async def test_a_plugin_shows_its_own_records_and_its_table_is_watched(
        workspace: Workspace) -> None:
    write(plugins_dir(workspace), "poster", OPENER_PLUGIN)
    host = host_for(workspace)
    module = sys.modules["amtui_plugin_workspace_poster"]
    post = workspace.repo(module.Post).add(module.Post(title="Sale"))
    app = AmtuiApp(workspace, plugins=host)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_record("posts", post.id)
        assert module.opened == [post.id]
        refreshed: list[bool] = []
        app._refresh_panes = lambda: refreshed.append(True)  # type: ignore[method-assign]
        other = Workspace.open(workspace.root)  # another process saves a post
        host_for(other)
        other.repo(module.Post).add(module.Post(title="Another"))
        app.look_for_changes()
        assert refreshed == [True]


def test_loading_the_bundled_plugins_imports_neither_pydantic_nor_textual() -> None:
    """What runs before the first frame: finding and loading plugins, their panes and
    themes. A plugin's models and widgets wait until they are needed."""
    code = ("import sys\n"
            "from amtui.plugins.host import PluginHost\n"
            "host = PluginHost.load(None)\n"
            "assert {'smm_calendar', 'kam_team', 'bonus_calculator'} <= set(host.loaded)\n"
            "host.panes(); host.themes()\n"
            "print(sorted(m for m in ('pydantic', 'textual') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_a_plugins_indexed_fields_are_asked_of_the_index_and_a_bad_one_is_named(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    write(plugins_dir(workspace), "tips", '''
        from datetime import date
        from amtui.api import Record, TableSpec, hookimpl

        class Tip(Record):
            table = "tips"
            text: str
            on: date

        @hookimpl
        def amtui_register_tables(register):
            register(TableSpec("tips", Tip, indexed=("on",)))
    ''')
    write(plugins_dir(workspace), "bad", '''
        from amtui.api import Record, TableSpec, hookimpl

        class Hint(Record):
            table = "hints"
            words: list[str] = []

        @hookimpl
        def amtui_register_tables(register):
            register(TableSpec("hints", Hint, indexed=("words", "colour")))
    ''')
    host = host_for(workspace)
    assert host.plugins["bad"].status == "failed"
    assert "table 'hints': ValueError: Hint.words cannot be looked up or indexed" in host.plugins[
        "bad"].error
    assert host.plugins["tips"].status == "loaded"
    tip = workspace.table_spec("tips")
    assert tip is not None and tip.indexed == ("on",)
    tips = workspace.repo(tip.model)
    tips.add_many([tip.model(text=f"tip {day}", on=date(2026, 11, day)) for day in (3, 1, 2)])
    assert tips.count(on__gte=date(2026, 11, 2)) == 2  # the copy is made here
    monkeypatch.setattr(workspace.file("tips"), "stored", None)  # never read whole again
    assert [found.text for found in tips.query(order_by="on", descending=True, limit=2)] == [
        "tip 3", "tip 2"]


def test_a_plugin_cannot_take_a_core_table(workspace: Workspace) -> None:
    write(plugins_dir(workspace), "thief", '''
        from amtui.api import Record, TableSpec, hookimpl

        class Fake(Record):
            table = "clients"
            name: str

        @hookimpl
        def amtui_register_tables(register):
            register(TableSpec("clients", Fake))
    ''')
    host = host_for(workspace)
    assert host.plugins["thief"].status == "failed"
    assert "table 'clients' is taken" in host.plugins["thief"].error
    assert workspace.repo(Client).add(Client(name="Still core")).name == "Still core"
