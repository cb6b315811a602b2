"""A folder with no workspace yet opens on the first-run screen, which makes the workspace."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from amtui.api import hookimpl
from amtui.models import Client, Member
from amtui.plugins.host import PluginHost
from amtui.plugins.specs import Event
from amtui.storage import Workspace
from amtui.testing import load_plugin, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.first_run import FirstRunScreen
from amtui.ui.panes.base import PaneScreen
from conftest import run_cli


@pytest.fixture(autouse=True)
def os_account(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OS account the screen suggests as the first member, the same on every machine."""
    monkeypatch.setattr("amtui.ui.first_run.os_user", lambda: "ivan")
    monkeypatch.setattr("amtui.ui.first_run.os_user_full_name", lambda: "Иван Петров")
    monkeypatch.setattr("amtui.ui.first_run.machine_timezone", lambda: "Europe/Samara")


def first_run_app(path: Path, plugins: PluginHost | None = None) -> AmtuiApp:
    return AmtuiApp(lambda: Workspace.open(path), new_workspace_at=path, plugins=plugins)


def shown(app: AmtuiApp) -> str:
    return "\n".join(str(static.render()) for static in app.screen.query(Static))


async def test_the_answers_make_the_workspace_and_today_shows(tmp_path: Path) -> None:
    path = tmp_path / "agency"
    app = first_run_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert not path.exists()
        assert "A new amtui workspace" in shown(app)
        assert app.screen.query_one("#first-run-empty").region.bottom <= 23  # all in view
        # Tab leaves a field's text unselected: ctrl+u clears what is before the cursor.
        await pilot.press("ctrl+u", *"Север", "tab", "tab", "ctrl+u", *"ivan.p", "tab",
                          "ctrl+u", *"asia/yekaterinburg", "tab", "ctrl+u", *"usd", "f2")
        await wait_until(pilot, lambda: isinstance(app.screen, PaneScreen), "the Today pane")
        await settle(pilot)
        assert app.current_pane == "today"
        assert "Север" in str(app.screen.query_one("#workspace-header", Static).render())
    settings = tomllib.loads((path / "workspace.toml").read_text(encoding="utf-8"))
    assert (settings["name"], settings["timezone"], settings["currency"]) == (
        "Север", "Asia/Yekaterinburg", "USD")
    workspace = Workspace.open(path)
    assert [(m.name, m.login) for m in workspace.repo(Member).all()] == [
        ("Иван Петров", "ivan.p")]
    assert workspace.repo(Client).all() == []


async def test_key_1_comes_back_to_today_after_the_first_run(tmp_path: Path) -> None:
    """The first pane is shown in its own mode once the first-run screen is gone."""
    app = first_run_app(tmp_path / "agency")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+u", *"Север", "f2")
        await wait_until(pilot, lambda: isinstance(app.screen, PaneScreen), "the Today pane")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert app.current_pane == "clients"
        await pilot.press("1")
        await settle(pilot)
        assert app.current_pane == "today"
        assert isinstance(app.screen, PaneScreen) and app.screen.PANE_ID == "today"
        assert "Север" in str(app.screen.query_one("#workspace-header", Static).render())


async def test_load_demo_data_fills_the_new_workspace(tmp_path: Path) -> None:
    path = tmp_path / "agency"
    path.mkdir()  # an empty folder is a new workspace too
    app = first_run_app(path, PluginHost.load(None, safe_mode=True))  # the bundled ones
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, PaneScreen), "the Today pane")
        await settle(pilot)
        agenda = app.screen.query_one("#agenda", OptionList)
        assert "Tasks overdue (0)" not in [str(agenda.get_option_at_index(i).prompt)
                                           for i in range(agenda.option_count)]
    workspace = Workspace.open(path)
    clients = workspace.repo(Client).all()
    assert len(clients) == 40
    (me,) = workspace.repo(Member).where(login="ivan")
    assert me.name == "Иван Петров"
    assert any(client.owner_id == me.id for client in clients)  # the demo has work of mine
    posts = path / "data" / "smm_calendar" / "posts.json"
    assert posts.stat().st_size > 10_000  # the plugins' demo data too


async def test_wrong_answers_are_shown_by_their_fields_and_nothing_is_made(
        tmp_path: Path) -> None:
    path = tmp_path / "agency"
    app = first_run_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "ctrl+u", *"Mars/Base", "tab", "ctrl+u",
                          *"рубли", "f2")
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        problem = str(app.screen.query_one("#first-run-problem-timezone", Static).render())
        assert "IANA name such as Europe/Moscow" in problem
        assert "three-letter code" in str(
            app.screen.query_one("#first-run-problem-currency", Static).render())
        assert app.focused is app.screen.query_one("#first-run-timezone")
        assert not path.exists()


async def test_a_folder_filled_meanwhile_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "agency"
    app = first_run_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        path.mkdir()
        (path / "notes.txt").write_text("someone else's", encoding="utf-8")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        status = str(app.screen.query_one("#first-run-status", Static).render())
        assert status.startswith("Nothing was made: ") and "not empty" in status
    assert [child.name for child in path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("key", ["escape", "ctrl+q"])
async def test_leaving_makes_nothing(tmp_path: Path, key: str) -> None:
    path = tmp_path / "new" / "agency"
    app = first_run_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "f8", key)  # no pane and no trash without a workspace
        await wait_until(pilot, lambda: app.return_code is not None, "the app to end")
    assert not (tmp_path / "new").exists()


def test_without_a_terminal_a_new_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli(workspace=tmp_path / "agency")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no workspace at" in result.stderr
    assert not (tmp_path / "agency").exists()


def test_the_machines_zone_is_offered_when_it_is_a_known_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui import identity

    monkeypatch.setattr(identity, "_localtime_zone", lambda: "")
    monkeypatch.setattr(identity, "_etc_timezone", lambda: "")
    monkeypatch.setenv("TZ", "Asia/Novosibirsk")
    assert identity.machine_timezone() == "Asia/Novosibirsk"
    monkeypatch.setenv("TZ", "MSK-3")  # a POSIX rule, not a zone name
    assert identity.machine_timezone() == "Europe/Moscow"
    monkeypatch.setattr(identity, "_localtime_zone", lambda: "Asia/Vladivostok")
    assert identity.machine_timezone() == "Asia/Vladivostok"


async def test_tab_into_a_field_keeps_its_text_and_adds_to_it(tmp_path: Path) -> None:
    app = first_run_app(tmp_path / "agency")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab", *"_2")  # the login suggested: ivan
        await settle(pilot)
        login = app.screen.query_one("#first-run-login", Input)
        assert login.value == "ivan_2"
        assert login.selected_text == ""


class StartupListener:
    """A plugin that notes the startup events it hears, with their workspace."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, Workspace | None]] = []

    @hookimpl
    def amtui_event(self, workspace: Workspace | None, event: Event) -> None:
        if event.kind == "startup":
            self.heard.append((event.kind, workspace))


async def test_plugins_hear_of_the_start_once_the_workspace_is_made(tmp_path: Path) -> None:
    path = tmp_path / "agency"
    listener = StartupListener()
    app = first_run_app(path, load_plugin(listener, name="listener"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert listener.heard == []  # no workspace yet
        await pilot.press(*"Север", "f2")
        await wait_until(pilot, lambda: isinstance(app.screen, PaneScreen), "the Today pane")
        await settle(pilot)
        assert listener.heard == [("startup", app.workspace)]
        assert app.workspace.root == path
