"""Themes: shipped and user files checked, bad files named and skipped with a fallback, the
choice remembered, amtui's own colour variables, and plugin themes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Static

from amtui.plugins.specs import ThemeSpec, hookimpl
from amtui.storage import Workspace
from amtui.testing import load_plugin, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.themes import (
    AMTUI_VARIABLES,
    DEFAULT_THEME,
    load_theme_files,
    remember_theme,
    remembered_theme,
)
from conftest import palette_lines, run_cli

GOOD = 'name = "ocean"\nprimary = "#0077be"\n[variables]\namtui-overdue = "#123456"\n'


@pytest.fixture
def config() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "amtui"


def user_theme(config: Path, file_name: str, text: str) -> None:
    folder = config / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / file_name).write_text(text, encoding="utf-8")


def test_shipped_themes_load_without_problems() -> None:
    loaded = load_theme_files()
    assert loaded.problems == []
    names = {theme.name for theme in loaded.themes}
    assert names == {"amtui-dark", "amtui-light", "amtui-high-contrast", "amtui-16"}
    assert not next(t for t in loaded.themes if t.name == "amtui-light").dark


@pytest.mark.parametrize("file_name, text, problem", [
    ("colour.toml", 'name = "a"\nprimary = "bluish"\n', "primary: 'bluish' is not a colour"),
    ("field.toml", 'name = "a"\nprimary = "#fff"\nshadow = "#000"\n',
     "shadow: not a theme field"),
    ("broken.toml", 'name = "a\n', "not a TOML file"),
    ("variable.toml", 'name = "a"\nprimary = "#fff"\n[variables]\namtui-late = "#f00"\n',
     "variables.amtui-late: unknown"),
    ("nameless.toml", 'primary = "#fff"\n', "name: required"),
    ("Upper.toml", 'name = "Bad Name"\nprimary = "#fff"\n', "name: required"),
    ("flag.toml", 'name = "a"\nprimary = "#fff"\ndark = "yes"\n', "dark: must be true"),
])
def test_a_bad_user_theme_is_named_with_its_problem(config: Path, file_name: str, text: str,
                                                    problem: str) -> None:
    user_theme(config, file_name, text)
    user_theme(config, "ocean.toml", GOOD)
    loaded = load_theme_files()
    assert len(loaded.problems) == 1
    assert file_name in loaded.problems[0] and problem in loaded.problems[0]
    assert "ocean" in {theme.name for theme in loaded.themes}


def test_a_user_theme_replaces_a_shipped_one_of_the_same_name(config: Path) -> None:
    user_theme(config, "mine.toml", 'name = "amtui-dark"\nprimary = "#ff00ff"\n')
    theme = next(t for t in load_theme_files().themes if t.name == "amtui-dark")
    assert theme.primary == "#ff00ff"


async def test_the_app_falls_back_and_says_which_file_was_bad(config: Path,
                                                              workspace: Workspace) -> None:
    user_theme(config, "bad.toml", 'name = "bad"\nprimary = 7\n')
    remember_theme("gone-theme")
    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        messages = [str(note.message) for note in app._notifications]
        assert any("bad.toml" in message and "primary" in message for message in messages)
        assert any("'gone-theme' not found" in message for message in messages)


async def test_the_choice_is_remembered(config: Path, workspace: Workspace) -> None:
    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == DEFAULT_THEME
        app.theme = "amtui-light"
        await settle(pilot)
        await settle(pilot)
    assert remembered_theme() == "amtui-light"
    assert 'theme = "amtui-light"' in (config / "config.toml").read_text()
    again = AmtuiApp(workspace)
    assert again.theme == "amtui-light"
    explicit = AmtuiApp(workspace, theme="amtui-16")
    assert explicit.theme == "amtui-16"


def test_remembering_keeps_other_settings(config: Path) -> None:
    config.mkdir(parents=True)
    (config / "config.toml").write_text('editor = "vim \\"x\\""\ntheme = "a"\n')
    remember_theme("amtui-16")
    text = (config / "config.toml").read_text()
    assert 'theme = "amtui-16"' in text and 'editor = "vim \\"x\\""' in text


async def test_amtui_colours_are_theme_variables(config: Path, workspace: Workspace) -> None:
    user_theme(config, "ocean.toml", GOOD)
    app = AmtuiApp(workspace, theme="ocean")
    async with app.run_test(size=(80, 24)) as pilot:
        variables = app.theme_variables
        assert variables["amtui-overdue"] == "#123456"  # set by the theme
        assert variables["amtui-due-today"] == variables["warning"]  # its default
        assert set(AMTUI_VARIABLES) <= set(variables)
        late = Static(Content("late").stylize("$amtui-overdue"))
        await app.screen.mount(late)
        await settle(pilot)
        style = late.render_line(0)._segments[0].style
        assert style is not None and style.color is not None
        assert style.color.triplet is not None and style.color.triplet.hex == "#123456"


class ThemePlugin:
    @hookimpl
    def amtui_register_themes(self, register):  # type: ignore[no-untyped-def]
        register(ThemeSpec({"name": "plugin-sea", "primary": "#006994"}))


class BadThemePlugin:
    @hookimpl
    def amtui_register_themes(self, register):  # type: ignore[no-untyped-def]
        register(ThemeSpec({"name": "plugin-bad", "primary": "not a colour"}))


def test_plugins_add_themes_and_a_bad_one_fails_its_plugin(workspace: Workspace) -> None:
    good = AmtuiApp(workspace, plugins=load_plugin(ThemePlugin(), name="sea"))
    assert "plugin-sea" in good.available_themes
    host = load_plugin(BadThemePlugin(), name="bad")
    AmtuiApp(workspace, plugins=host)
    assert host.plugins["bad"].status == "failed"
    assert "not a colour" in host.plugins["bad"].error


def test_theme_option_on_the_command_line(workspace_path: Path) -> None:
    run_cli("add", "client", "X", workspace=workspace_path)
    result = run_cli("--theme", "nope", workspace=workspace_path)
    assert result.returncode == 2
    assert "no theme 'nope'" in result.stderr and "amtui-high-contrast" in result.stderr


async def test_the_palette_switches_the_language_for_the_next_start(
        config: Path, workspace: Workspace) -> None:
    from amtui.language import chosen, user_config_file

    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('# mine\ntheme = "amtui-light"\n')
    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Language")
        await wait_until(pilot, lambda: "Language: Русский" in palette_lines(app),
                         "the palette to offer Russian")
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("Русский from the next start" in str(note.message)
                                            for note in app._notifications),
                         "the app to say when Russian comes")
    assert (config / "config.toml").read_text() == (
        '# mine\ntheme = "amtui-light"\nlocale = "ru"\n')
    assert chosen(None, user_config_file(), None, {}) == "ru_RU"
