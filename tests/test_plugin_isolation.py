"""Nothing a plugin does takes amtui down or holds it up: a hook that never returns, exits or
prints, a pane that raises while it is built, read or shown, a save that raises."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from amtui.models import Client
from amtui.plugins.guard import LIMIT_VARIABLE
from amtui.plugins.host import ALLOW_VARIABLE
from amtui.storage import Workspace
from amtui.testing import settle, wait_until
from amtui.ui.app import AmtuiApp
from conftest import run_cli, snapshot_files, unavailable
from test_plugins import host_for, plugins_dir, write

STUCK = '''
import threading
from amtui.api import AgendaEntry, CommandSpec, hookimpl

@hookimpl
def amtui_agenda(workspace, now, add):
    threading.Event().wait()  # never returns

@hookimpl
def amtui_register_commands(register):
    threading.Event().wait()
'''

CHATTY = '''
from amtui.api import AgendaEntry, hookimpl

print("chatty: imported")

@hookimpl
def amtui_register_commands(register):
    print("chatty: registering")

@hookimpl
def amtui_agenda(workspace, now, add):
    print("chatty: adding a line")
    add(AgendaEntry("From chatty", "a line"))
'''

EXITS = '''
import sys
from amtui.api import AgendaEntry, hookimpl

@hookimpl
def amtui_agenda(workspace, now, add):
    sys.exit("goodbye")
'''

GOOD = '''
from amtui.api import AgendaEntry, hookimpl

@hookimpl
def amtui_agenda(workspace, now, add):
    add(AgendaEntry("From good", "good line"))
'''


@pytest.fixture(autouse=True)
def no_user_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(ALLOW_VARIABLE, raising=False)
    monkeypatch.setattr("amtui.plugins.host.bundled_folder", lambda: tmp_path / "no-bundled")


def only(*names: str, seconds: float | None = None) -> dict[str, str]:
    env = {ALLOW_VARIABLE: ",".join(names)}
    if seconds is not None:
        env[LIMIT_VARIABLE] = str(seconds)
    return env


def test_a_hook_that_never_returns_fails_its_plugin_and_holds_nothing_up(
        workspace: Workspace) -> None:
    write(plugins_dir(workspace), "stuck", STUCK)
    write(plugins_dir(workspace), "good", GOOD)
    today = run_cli("today", "--json", workspace=workspace.root,
                    env=only("stuck", "good", seconds=0.5))
    assert today.returncode == 0, today.stderr
    titles = [section["title"] for section in json.loads(today.stdout)]
    assert "From good" in titles
    assert ("amtui: plugin stuck failed and is switched off: amtui_agenda: PluginTimeout: did "
            "not return within 0.5 s") in today.stderr


async def test_the_app_opens_past_a_plugin_that_never_returns(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    write(plugins_dir(workspace), "stuck", STUCK)
    write(plugins_dir(workspace), "good", GOOD)
    monkeypatch.setenv(LIMIT_VARIABLE, "0.5")
    host = host_for(workspace)
    app = AmtuiApp(workspace, plugins=host)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        agenda = "\n".join(str(option.prompt)
                           for option in app.screen.query_one("#agenda")._options)
        assert "From good" in agenda
        assert host.plugins["stuck"].status == "failed"
        assert "PluginTimeout: did not return within 0.5 s" in host.plugins["stuck"].error
        assert host.plugins["good"].status == "loaded"


def test_what_a_plugin_prints_goes_to_stderr_and_the_json_stays_whole(
        workspace: Workspace) -> None:
    write(plugins_dir(workspace), "chatty", CHATTY)
    today = run_cli("today", "--json", workspace=workspace.root, env=only("chatty"))
    assert today.returncode == 0, today.stderr
    assert "From chatty" in [section["title"] for section in json.loads(today.stdout)]
    assert "chatty: imported" in today.stderr and "chatty: adding a line" in today.stderr
    listed = run_cli("plugins", "--json", workspace=workspace.root, env=only("chatty"))
    assert {plugin["name"]: plugin["status"] for plugin in json.loads(listed.stdout)}[
        "chatty"] == "loaded"
    assert "chatty: imported" in listed.stderr
    added = run_cli("add", "client", "Ромашка", workspace=workspace.root, env=only("chatty"))
    assert added.stdout.strip() == workspace.repo(Client).resolve("Ромашка").id


def test_a_hook_that_exits_fails_only_its_plugin(workspace: Workspace) -> None:
    write(plugins_dir(workspace), "exits", EXITS)
    write(plugins_dir(workspace), "good", GOOD)
    today = run_cli("today", workspace=workspace.root, env=only("exits", "good"))
    assert today.returncode == 0, today.stderr
    assert "From good (1)" in today.stdout
    assert "plugin exits failed and is switched off: amtui_agenda: SystemExit: goodbye" in \
        today.stderr


PANES = '''
from amtui.api import PaneSpec, hookimpl

@hookimpl
def amtui_register_panes(register):
    register(PaneSpec("ok", "Fine", lambda: make("ok"), order=1))
    register(PaneSpec("bad", "Broken", lambda: make(WHERE), order=2))

def make(where):
    from textual.widgets import Static
    from amtui.api.ui import PaneScreen

    class Pane(PaneScreen):
        PANE_ID = "ok" if where == "ok" else "bad"

        def compose_body(self):
            yield Static("fine so far", id="first")
            if where == "compose":
                raise RuntimeError("no body today")
            yield Static("the end", id="last")

        def read(self):
            if where == "read":
                raise RuntimeError("cannot read")
            return 1

        def show(self, payload):
            if where == "show":
                raise RuntimeError("cannot show")
    return Pane()
'''


@pytest.mark.parametrize("where", ["compose", "read", "show"])
async def test_a_plugin_pane_that_raises_shows_why_and_the_app_goes_on(
        workspace: Workspace, where: str) -> None:
    write(plugins_dir(workspace), "panes", PANES.replace("WHERE", repr(where)))
    host = host_for(workspace)
    app = AmtuiApp(workspace, plugins=host)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("7")  # the broken pane
        await wait_until(pilot, lambda: app.screen.query("#failed-pane"), "the failure notice")
        notice = str(app.screen.query_one("#failed-pane", Static).render())
        assert "Plugin: panes" in notice and "RuntimeError" in notice
        assert host.plugins["panes"].status == "failed"
        assert any("Plugin panes failed" in str(note.message) for note in app._notifications)
        await pilot.press("3")  # the rest of amtui works
        await settle(pilot)
        assert app.current_pane == "clients" and app.is_running


SAVES = '''
from amtui.api import CommandSpec, hookimpl

@hookimpl
def amtui_register_commands(register):
    register(CommandSpec("refuse: save", "A save that refuses its input", refuse))
    register(CommandSpec("bug: save", "A save with a bug", bug))

def refuse(app):
    from amtui.api.ui import save_change

    def save():
        raise ValueError("the amount must be positive")
    save_change(app, save, "saved")

def bug(app):
    from amtui.api.ui import save_change
    save_change(app, lambda: {}["missing"], "saved")
'''


@pytest.mark.parametrize(("command", "message"), [
    ("refuse: save", "the amount must be positive"),
    ("bug: save", "The change was not saved: KeyError: 'missing'"),
])
async def test_a_plugin_save_that_raises_says_so_and_changes_nothing(
        workspace: Workspace, command: str, message: str) -> None:
    workspace.repo(Client).add(Client(name="Ромашка"))
    write(plugins_dir(workspace), "saves", SAVES)
    stored_data_before = stored_data(workspace.root)
    host = host_for(workspace)
    app = AmtuiApp(workspace, plugins=host)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = {item.title: item for item in app.get_system_commands(app.screen)}
        commands[command].callback()
        await settle(pilot)
        assert app.is_running
        assert any(message in str(note.message) for note in app._notifications)
    assert stored_data(workspace.root) == stored_data_before


def stored_data(root: Path) -> dict[str, bytes]:
    """The data files and the audit log (not the plugin sources and their caches)."""
    return {name: data for name, data in snapshot_files(root).items()
            if not name.startswith("plugins")}


DEMO_FAILS = '''
from amtui.api import hookimpl

@hookimpl
def amtui_demo(workspace, size, seed, say):
    from amtui.storage.errors import DiskFullError
    raise DiskFullError("the disk is full: posts.json was not saved")
'''


def test_demo_fails_when_a_plugin_could_not_add_its_data(tmp_path: Path) -> None:
    config = tmp_path / "config"
    write(config / "amtui" / "plugins", "posts", DEMO_FAILS)
    result = run_cli("demo", workspace=tmp_path / "ws",
                     env={"XDG_CONFIG_HOME": str(config), ALLOW_VARIABLE: "posts"})
    assert result.returncode == 1
    assert result.stdout == ""  # no "demo workspace at …" success line
    assert "plugin posts failed and is switched off: amtui_demo: DiskFullError" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "amtui: error: the demo data is incomplete: posts could not add theirs (see above)")


def test_demo_on_a_nearly_full_disk_does_not_say_it_succeeded(tmp_path: Path) -> None:
    """The core data fits on 800 KiB; the bundled plugins' data does not."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        unavailable("mounting a tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=800k", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        unavailable(f"a tmpfs cannot be mounted here: {mounted.stderr.strip()}")
    try:
        command = [sys.executable, "-m", "amtui", "demo", "--workspace", str(disk / "ws")]
        env = {key: value for key, value in os.environ.items()
               if key not in (ALLOW_VARIABLE, "XDG_CONFIG_HOME")}
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    finally:
        subprocess.run(["umount", str(disk)], check=False)
    assert result.returncode == 1
    assert "demo workspace at" not in result.stdout
    assert "the disk is full" in result.stderr
    assert "this is a bug" not in result.stderr and "Traceback" not in result.stderr
