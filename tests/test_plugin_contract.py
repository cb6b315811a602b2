"""The plugin contract kept (issue 19): a hook takes only the arguments it names, failures
are remembered and shown everywhere, a symlinked plugin folder is checked where it points,
plugin sub-commands take the options every command takes, shadowed plugins are listed, pane
keys stay put, and a plugin says what ``d`` and ``s`` do on its Today lines."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from textual.widgets import Static

from amtui.plugins.host import ALLOW_VARIABLE, PluginHost, bundled_folder
from amtui.services.agenda import plugin_sections
from amtui.storage import Workspace
from amtui.testing import settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.help import HelpScreen
from amtui.ui.panes.base import PaneBar
from conftest import NOBODY, run_cli, unavailable

BUNDLED = bundled_folder


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
import os
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


# A switched-off plugin's command says so ----------------------------------------------------

SWITCHED_OFF = {
    "workspace.toml": ("", "disabled in workspace.toml"),
    ALLOW_VARIABLE: ("", f"not in {ALLOW_VARIABLE}"),
    "import": ("raise ImportError('no client library')\n",
               "import failed: ImportError: no client library (rivals.py:18)"),
    "run time": ("@hookimpl\ndef amtui_agenda(add):\n    raise RuntimeError('rate limited')\n",
                 "amtui_agenda: RuntimeError: rate limited (rivals.py:20)"),
    "configure": ("def configure(parser):\n    raise RuntimeError('no parser')\n",
                  "RuntimeError: no parser (rivals.py:19)"),
}
"""How the plugin is switched off → what it adds to its code, and the reason said."""


@pytest.mark.parametrize("how", list(SWITCHED_OFF))
def test_a_switched_off_plugins_command_says_why_in_one_line(workspace: Workspace,
                                                             how: str) -> None:
    """The plugin "rivals" adds the command "competitors": found in its source, not run."""
    more, reason = SWITCHED_OFF[how]
    write(workspace.root / "plugins", "rivals", COMPETITORS + more)
    env = {ALLOW_VARIABLE: "smm_calendar"} if how == ALLOW_VARIABLE else {}
    if how == "workspace.toml":
        settings = workspace.root / "workspace.toml"
        settings.write_text(settings.read_text(encoding="utf-8").replace(
            "disabled_plugins = []", 'disabled_plugins = ["rivals"]'), encoding="utf-8")
    if how == "run time":
        assert run_cli("today", workspace=workspace.root).returncode == 0  # fails, remembered
    for words in (["competitors"], ["competitors", "list", "--json", "--since", "x"],
                  ["competitors", "--help"]):
        result = run_cli(*words, workspace=workspace.root, env=env)
        assert (result.returncode, result.stdout) == (2, "")
        (line,) = result.stderr.splitlines()
        assert line.startswith(
            "amtui: error: `amtui competitors` is a command of the plugin rivals, which is "
            f"switched off: {reason}"), line
        assert line.endswith("(see `amtui plugins`)")
    if how != "configure":  # (it failed only once its command was listed)
        listing = run_cli("--help", "calendar", workspace=workspace.root, env=env)
        assert listing.returncode == 0, listing.stderr
        assert "calendar" in listing.stdout and "competitors" not in listing.stdout


def test_a_command_whose_plugin_a_bad_settings_value_switches_off_says_so(
        workspace: Workspace) -> None:
    """Its settings are checked once the workspace is open: the command says why, runs not."""
    write(workspace.root / "plugins", "rivals", COMPETITORS + '''
from pydantic import BaseModel, Field
from amtui.api import SettingsSection

class Rivals(BaseModel):
    days: int = Field(default=1, ge=0)

@hookimpl
def amtui_register_settings(register):
    register(SettingsSection("rivals", Rivals))
''')
    settings = workspace.root / "workspace.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "[rivals]\ndays = -1\n",
                        encoding="utf-8")
    result = run_cli("competitors", "list", "--json", workspace=workspace.root)
    assert (result.returncode, result.stdout) == (2, "")
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        "amtui: error: `amtui competitors` is a command of the plugin rivals, which is "
        "switched off: workspace.toml [rivals]: ValidationError"), line


# Failures at run time are remembered per workspace until the plugin's files change ----------

RAISES_ON_TODAY = '''
from amtui.api import AgendaEntry, hookimpl

@hookimpl
def amtui_agenda(add):
    raise RuntimeError("the calendar is gone")
'''


def listed(workspace: Workspace) -> dict[str, dict[str, object]]:
    result = run_cli("plugins", "--json", workspace=workspace.root)
    assert result.returncode == 0, result.stderr
    return {entry["name"]: entry for entry in json.loads(result.stdout)}


def test_a_failure_at_run_time_is_remembered_until_the_files_change(
        workspace: Workspace) -> None:
    plugin = write(workspace.root / "plugins", "flaky", RAISES_ON_TODAY)
    write(workspace.root / "plugins", "good", '''
        from amtui.api import AgendaEntry, hookimpl

        @hookimpl
        def amtui_agenda(add):
            add(AgendaEntry("From good", "a line"))
    ''')
    first = run_cli("today", workspace=workspace.root)
    assert first.returncode == 0, first.stderr
    assert "From good" in first.stdout
    assert [line for line in first.stderr.splitlines() if "flaky" in line] == [
        "amtui: plugin flaky failed and is switched off: amtui_agenda: RuntimeError: the "
        "calendar is gone (flaky.py:6)"]

    entry = listed(workspace)["flaky"]
    assert (entry["status"], entry["hook"]) == ("failed", "amtui_agenda")
    assert "the calendar is gone" in str(entry["error"]) and entry["time"]
    assert listed(workspace)["good"]["status"] == "loaded"
    text = run_cli("plugins", workspace=workspace.root).stdout
    assert "flaky  [failed]" in text and "switched off until its files change" in text

    again = run_cli("today", workspace=workspace.root)  # a new process: still off, and said
    assert again.returncode == 0 and "From good" in again.stdout
    said = [line for line in again.stderr.splitlines() if "flaky" in line]
    assert len(said) == 1 and "remembered until the plugin's files change" in said[0]

    info = plugin.stat()
    os.utime(plugin, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert listed(workspace)["flaky"]["status"] == "loaded"  # tried again
    assert listed(workspace)["flaky"]["error"] == ""


# Pane keys: the bundled panes keep 6, 7, 8 --------------------------------------------------

EXTRA_PANE = '''
from amtui.api import PaneSpec, hookimpl

@hookimpl
def amtui_register_panes(register):
    register(PaneSpec("extra", "Extra", make, order=1))

def make():
    from textual.widgets import Static
    from amtui.api.ui import PaneScreen

    class Extra(PaneScreen):
        PANE_ID = "extra"
        def compose_body(self):
            yield Static("the extra pane", id="extra-text")
    return Extra()
'''


def bar_text(app: AmtuiApp) -> str:
    return str(app.screen.query_one(PaneBar).render())


async def test_bundled_panes_keep_their_keys_and_others_come_after(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("amtui.plugins.host.bundled_folder", BUNDLED)
    write(workspace.root / "plugins", "extra", EXTRA_PANE)
    app = AmtuiApp(workspace, plugins=host_for(workspace))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert " 6 Calendar " in bar_text(app) and " 9 Extra " in bar_text(app)
        for key, pane in [("6", "calendar"), ("7", "team"), ("8", "bonus"), ("9", "extra")]:
            await pilot.press(key)
            await settle(pilot)
            assert app.current_pane == pane
        assert str(app.screen.query_one("#extra-text", Static).render()) == "the extra pane"
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("9", "Extra") in help_screen.global_keys
        assert ("8", "Bonus") in help_screen.global_keys


async def test_the_eight_panes_titles_fit_whole_in_russian_at_80_columns(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight Russian titles do not fit with two spaces between them: the gaps narrow to one
    before any title is shortened."""
    from amtui.i18n import use_locale

    monkeypatch.setattr("amtui.plugins.host.bundled_folder", BUNDLED)
    use_locale("ru_RU")  # the autouse fixture makes it English again after the test
    app = AmtuiApp(workspace, plugins=host_for(workspace))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = bar_text(app)
        titles = [title for _pane, title in app.pane_titles()]
        assert len(titles) == 8 and "Календарь" in titles
        assert len(bar.rstrip()) <= 80 and "…" not in bar
        for number, title in enumerate(titles, start=1):
            assert f" {number} {title}" in bar


# A plugin switched off is off everywhere ----------------------------------------------------

PANE_AND_SETTINGS = EXTRA_PANE + '''
from pydantic import BaseModel, Field
from amtui.api import SettingsSection

class Extra(BaseModel):
    days: int = Field(default=1, ge=0)

@hookimpl
def amtui_register_settings(register):
    register(SettingsSection("extra", Extra))
'''


def app_with_a_bad_setting(workspace: Workspace) -> AmtuiApp:
    """The app as `amtui` starts it (the workspace opened, and the settings read, after the
    panes are known) with a plugin pane whose settings value is bad."""
    settings = workspace.root / "workspace.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "[extra]\ndays = -1\n",
                        encoding="utf-8")
    write(workspace.root / "plugins", "extra", PANE_AND_SETTINGS)
    root = workspace.root
    return AmtuiApp(lambda: Workspace.open(root), plugins=PluginHost.load(root))


async def test_a_bad_settings_value_takes_the_plugins_pane_away(workspace: Workspace) -> None:
    app = app_with_a_bad_setting(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "Extra" not in bar_text(app), "the pane to go")
        assert any("Plugin extra failed" in str(note.message) for note in app._notifications)
        assert "extra" not in dict(app.pane_titles())
        await pilot.press("6")
        await settle(pilot)
        assert app.current_pane == "today"
        assert any("switched off" in str(note.message) for note in app._notifications)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "go: Extra" not in titles and "go: Today" in titles


async def test_help_leaves_out_the_key_of_a_switched_off_plugins_pane(
        workspace: Workspace) -> None:
    app = app_with_a_bad_setting(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "Extra" not in bar_text(app), "the pane to go")
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("1", "Today") in help_screen.global_keys
        assert [row for row in help_screen.global_keys if "Extra" in row[1]] == []
        shown = "\n".join(str(line.render()) for line in help_screen.query(Static))
        assert "Today" in shown and "Extra" not in shown

RAISING_PANE_AND_LINES = EXTRA_PANE + '''
@hookimpl
def amtui_agenda(add):
    raise RuntimeError("no lines today")
'''


async def test_a_remembered_failure_keeps_the_plugin_off_in_the_app(
        workspace: Workspace) -> None:
    write(workspace.root / "plugins", "extra", RAISING_PANE_AND_LINES)
    app = AmtuiApp(workspace, plugins=host_for(workspace))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)  # Today asked the plugin for its lines, and it raised
        await wait_until(pilot, lambda: "Extra" not in bar_text(app), "the pane to go")
    again = AmtuiApp(workspace, plugins=host_for(workspace))  # the next session
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Extra" not in bar_text(again)
        notes = [str(note.message) for note in again._notifications]
        assert any("Plugin extra failed" in note and "no lines today" in note
                   and "remembered" in note for note in notes), notes


# A workspace plugin shadowing another of the same name ---------------------------------------

def test_amtui_plugins_shows_both_plugins_of_one_name_and_which_is_used(
        workspace: Workspace, tmp_path: Path) -> None:
    user = write(tmp_path / "config" / "amtui" / "plugins", "twin", FEW_ARGUMENTS)
    here = write(workspace.root / "plugins", "twin", FEW_ARGUMENTS)
    result = run_cli("plugins", "--json", workspace=workspace.root,
                     env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.returncode == 0, result.stderr
    entries = [(e["name"], e["source"], e["location"], e["status"])
               for e in json.loads(result.stdout) if e["name"] == "twin"]
    assert entries == [("twin", "workspace", str(here), "loaded"),
                       ("twin", "user", str(user), "shadowed")]
    text = run_cli("plugins", workspace=workspace.root,
                   env={"XDG_CONFIG_HOME": str(tmp_path / "config")}).stdout
    assert "twin  [shadowed]  user:" in text
    assert f"not used: the workspace plugin of the same name ({here}) replaces it" in text


# A linked plugin folder is checked where it points ------------------------------------------

def test_a_linked_plugin_folder_is_checked_where_it_points(workspace: Workspace,
                                                           tmp_path: Path) -> None:
    if os.getuid() != 0:
        unavailable("only root can give a file to another user")
    shelf = tmp_path / "shelf"
    shelf.mkdir(mode=0o755)
    shelf.chmod(0o755)
    write(shelf / "linked", "__init__", FEW_ARGUMENTS)
    (shelf / "linked").chmod(0o755)
    (workspace.root / "plugins").mkdir()
    (workspace.root / "plugins" / "linked").symlink_to(shelf / "linked")

    host = host_for(workspace)  # the owner's own checkout, writable by them only: loaded
    assert host.plugins["linked"].status == "loaded", host.plugins["linked"].error
    assert [s.title for s in plugin_sections(workspace, host)] == ["Few arguments"]

    shelf.chmod(0o775)  # a folder on the way that the group can change
    error = PluginHost.load(workspace.root).plugins["linked"].error
    assert f"{shelf} can be changed by other users (mode drwxrwxr-x)" in error
    assert f"run `chmod go-w {shelf}` to load it" in error
    shelf.chmod(0o755)

    os.chown(shelf / "linked", NOBODY, NOBODY)  # what it points to is another user's
    error = PluginHost.load(workspace.root).plugins["linked"].error
    assert f"{shelf / 'linked'} belongs to uid {NOBODY}" in error
    assert "copy the plugin into plugins/ instead" in error


# d and s on a plugin's Today lines; its lines lead with their fact --------------------------

APPROVALS = '''
from amtui.api import AgendaEntry, Client, EntryAction, hookimpl

def approve(workspace):
    workspace.repo(Client).add(Client(name="Approved by d"))

@hookimpl
def amtui_agenda(add):
    add(AgendaEntry("Approvals", "Post for Ромашка", fact="due today",
                    done=EntryAction("Approve", approve, "Post approved")))
    add(AgendaEntry("Approvals", "Post for Лютик", fact="2 d late"))
'''


async def test_a_plugin_says_what_d_does_on_its_today_lines(workspace: Workspace) -> None:
    from amtui.api import Client
    from amtui.ui.panes.today import TodayPane
    from amtui.ui.widgets.keybar import KeyBar

    write(workspace.root / "plugins", "approvals", APPROVALS)
    app = AmtuiApp(workspace, plugins=host_for(workspace))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, TodayPane)
        lines = [str(option.prompt) for option in pane.query_one("#agenda").options]
        assert "  due today  Post for Ромашка" in lines and "  2 d late   Post for Лютик" in lines

        def keys() -> str:
            return str(pane.query_one(KeyBar).render())

        await wait_until(pilot, lambda: "d Approve" in keys(), "d to say Approve")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert ("d", "Approve") in app.screen.pane_keys
        assert ("s", "not on this line") in app.screen.pane_keys
        await pilot.press("escape")
        await pilot.press("d")
        await settle(pilot)
        assert [c.name for c in workspace.repo(Client).all()] == ["Approved by d"]
        assert any("Post approved" in str(note.message) for note in app._notifications)

        await pilot.press("down")  # the line whose plugin says nothing about d
        await wait_until(pilot, lambda: "d not on this line" in keys(), "d to say nothing")
        await pilot.press("d")
        await settle(pilot)
        assert any("d does nothing on this line: the approvals plugin did not say"
                   in str(note.message) for note in app._notifications)
        assert len(workspace.repo(Client).all()) == 1


def test_amtui_today_json_names_what_a_plugins_d_and_s_do(workspace: Workspace) -> None:
    write(workspace.root / "plugins", "approvals", APPROVALS)
    result = run_cli("today", "--json", workspace=workspace.root)
    assert result.returncode == 0, result.stderr
    section = next(s for s in json.loads(result.stdout) if s["title"] == "Approvals")
    assert [(item["fact"], item["title"], item["plugin"], item["done"], item["snooze"])
            for item in section["items"]] == [
        ("due today", "Post for Ромашка", "approvals", "Approve", ""),
        ("2 d late", "Post for Лютик", "approvals", "", "")]
    text = run_cli("today", workspace=workspace.root).stdout
    assert "  due today  Post for Ромашка" in text
