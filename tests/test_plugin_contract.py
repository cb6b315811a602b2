"""The plugin contract kept (issue 19): a hook takes only the arguments it names, failures
are remembered and shown everywhere, a symlinked plugin folder is checked where it points,
plugin sub-commands take the options every command takes, shadowed plugins are listed, pane
keys stay put, and a plugin says what ``d`` and ``s`` do on its Today lines."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from amtui.plugins.host import ALLOW_VARIABLE, PluginHost
from amtui.services.agenda import plugin_sections
from amtui.storage import Workspace
from conftest import run_cli


def write(folder: Path, name: str, code: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    path.chmod(0o644)
    return path


@pytest.fixture(autouse=True)
def no_other_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' own plugins only: no user plugins, no bundled ones."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(ALLOW_VARIABLE, raising=False)
    monkeypatch.setattr("amtui.plugins.host.bundled_folder", lambda: tmp_path / "no-bundled")


def host_for(workspace: Workspace) -> PluginHost:
    host = PluginHost.load(workspace.root)
    host.attach(workspace)
    return host


# A hook takes only the arguments it names ---------------------------------------------------

FEW_ARGUMENTS = '''
from amtui.api import AgendaEntry, ClientSection, hookimpl

@hookimpl
def amtui_agenda(add):
    add(AgendaEntry("Few arguments", "a line"))

@hookimpl
def amtui_client_sections(client, add):
    add(ClientSection("About " + client.name))
'''


def test_a_hook_takes_only_the_arguments_it_names(workspace: Workspace) -> None:
    from amtui.api import Client

    write(workspace.root / "plugins", "few", FEW_ARGUMENTS)
    host = host_for(workspace)
    assert [s.title for s in plugin_sections(workspace, host)] == ["Few arguments"]
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    assert [s.title for _name, s in host.client_sections(workspace, client)] == [
        "About Ромашка"]
    assert host.plugins["few"].status == "loaded", host.plugins["few"].error


# Plugin commands with sub-actions take --workspace and --lang anywhere ----------------------

COMPETITORS = '''
import json
from amtui.api import CliCommand, hookimpl

def configure(parser):
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list")
    listing.add_argument("--json", action="store_true")

def run(args, workspace):
    print(json.dumps({"action": args.action, "json": args.json,
                      "root": str(workspace.root)}))

@hookimpl
def amtui_register_cli(register):
    register(CliCommand("competitors", "competitors", configure, run))
'''


@pytest.mark.parametrize("words", [
    ["competitors", "list", "--json", "--workspace", "{root}"],
    ["competitors", "list", "--workspace", "{root}", "--json", "--lang", "ru"],
    ["--workspace", "{root}", "competitors", "list", "--json"],
    ["competitors", "--workspace", "{root}", "list", "--json"],
])
def test_workspace_and_lang_may_come_after_a_plugin_sub_action(workspace: Workspace,
                                                               words: list[str]) -> None:
    write(workspace.root / "plugins", "competitors", COMPETITORS)
    result = run_cli(*(word.format(root=workspace.root) for word in words))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"action": "list", "json": True,
                                         "root": str(workspace.root)}
