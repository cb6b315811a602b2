"""TOML files amtui writes (``config.toml``, ``workspace.toml``, bonus plans) go through tomlkit:
a setting changed from the app changes that key and nothing else of a file a person edits;
files are written whole and never through a link; any text a user can type into a name reads
back the same from every one of them; and no TOML is built by hand in src/ or plugins/."""

from __future__ import annotations

import ast
import errno
import importlib
import os
import re
import tempfile
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from amtui.models import Member
from amtui.services.new_workspace import NewWorkspace, create_workspace
from amtui.storage import Workspace
from amtui.storage.errors import DiskFullError, StorageError, UnsafePathError
from amtui.testing import StillClock, import_bundled, load_plugin, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.themes import remember_setting, remember_theme
from conftest import palette_lines, run_cli, snapshot_files

ROOT = Path(__file__).resolve().parents[1]

CONFIG = """\
# My amtui settings, kept by hand.
locale = "ru"  # Russian, please
theme = "amtui-dark"   # the theme I chose last

editor = 'vim'  # a literal string, and a key amtui does not know

[keymap]
"inbox.next" = "j"   # like vim
"inbox.previous" = "k"

# a table from a newer amtui
[future.panes]
order = [
    "today",  # first
    "inbox",
]
"""

NAMES = ["Север\nЮг", 'ООО "Ромашка"', "C:\\new\\table", "[commission]", "]]", "a = 1",
         "Агентство 🚀", "\x1b[31mred\x1b[0m", "\x00\x7f\x9b\u202e", "tab\there", "'''\"\"\""]
"""Text a user can type, paste or import into a name that a hand-made writer gets wrong."""

TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                               "\u202a-\u202e\u2066-\u2069]")

name_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60)


@pytest.fixture
def config_folder() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "amtui"


def edit_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# One setting changed, nothing else ---------------------------------------------------------

async def test_choosing_a_theme_changes_that_key_and_nothing_else(
        config_folder: Path, workspace: Workspace) -> None:
    path = edit_config(config_folder, CONFIG)
    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "amtui-dark"
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"theme: switch")
        await wait_until(pilot, lambda: palette_lines(app).startswith("theme: switch"),
                         "the palette to offer the command")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"amtui-light")
        await wait_until(pilot, lambda: palette_lines(app).startswith("amtui-light"),
                         "the theme list to offer amtui-light")
        await pilot.press("enter")
        await wait_until(pilot, lambda: 'theme = "amtui-light"' in path.read_text("utf-8"),
                         "the choice to be remembered")
        assert app.theme == "amtui-light"
    assert path.read_bytes() == CONFIG.replace(
        'theme = "amtui-dark"', 'theme = "amtui-light"').encode()


@pytest.mark.parametrize(("key", "value", "before", "after"), [
    ("theme", "amtui-16", 'theme = "amtui-dark"', 'theme = "amtui-16"'),
    ("locale", "en", 'locale = "ru"', 'locale = "en"'),
    ("theme", "amtui-16", 'theme = "amtui-dark"   # the theme I chose last\n', ""),
], ids=["theme", "locale", "a new key"])
def test_a_setting_changes_only_its_own_bytes(config_folder: Path, key: str, value: str,
                                              before: str, after: str) -> None:
    original = CONFIG if after else CONFIG.replace(before, "")
    path = edit_config(config_folder, original)
    remember_setting(key, value, config_folder)
    if after:
        expected = CONFIG.replace(before, after)
    else:  # a new key goes after the file's last top-level key, before its tables
        expected = original.replace("key amtui does not know\n",
                                    'key amtui does not know\ntheme = "amtui-16"\n')
    assert path.read_text(encoding="utf-8") == expected


def test_a_missing_config_is_made_with_the_one_key(config_folder: Path) -> None:
    remember_theme("amtui-16", config_folder / "new")
    assert (config_folder / "new" / "config.toml").read_text() == 'theme = "amtui-16"\n'


# Written whole, never through a link ---------------------------------------------------------

def test_a_link_where_the_config_is_is_refused(config_folder: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "someone-elses.toml"
    elsewhere.write_text(CONFIG, encoding="utf-8")
    config_folder.mkdir(parents=True)
    (config_folder / "config.toml").symlink_to(elsewhere)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        remember_theme("amtui-16", config_folder)
    assert (config_folder / "config.toml").is_symlink()
    assert elsewhere.read_text(encoding="utf-8") == CONFIG


def test_a_config_that_is_not_toml_is_left_as_it_is(config_folder: Path) -> None:
    path = edit_config(config_folder, 'theme = "amtui-dark\n[keymap]\n')
    with pytest.raises(StorageError, match="is not valid TOML"):
        remember_theme("amtui-16", config_folder)
    assert path.read_text(encoding="utf-8") == 'theme = "amtui-dark\n[keymap]\n'


def test_the_file_is_replaced_whole_and_a_failed_write_changes_nothing(
        config_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = edit_config(config_folder, CONFIG)
    inode = path.stat().st_ino
    remember_theme("amtui-16", config_folder)
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert os.listdir(config_folder) == ["config.toml"]  # no temp file left

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    before = path.read_bytes()
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(DiskFullError):
        remember_theme("amtui-light", config_folder)
    assert path.read_bytes() == before
    assert os.listdir(config_folder) == ["config.toml"]


async def test_the_app_says_when_the_theme_cannot_be_remembered(
        config_folder: Path, workspace: Workspace) -> None:
    path = edit_config(config_folder, 'theme = "amtui-dark"\nbroken = [\n')
    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "amtui-light"
        await wait_until(pilot, lambda: app._notifications, "a notification")
        (notice,) = app._notifications
        assert notice.message.startswith("The theme could not be remembered: ")
        assert "is not valid TOML" in notice.message
    assert path.read_text(encoding="utf-8") == 'theme = "amtui-dark"\nbroken = [\n'


# Any name reads back the same -------------------------------------------------------------

def assert_terminal_safe(text: str) -> None:
    """A TOML file amtui wrote holds no character a terminal acts on: cat shows it as it is."""
    assert TERMINAL_CONTROLS.search(text) is None, repr(text)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=name_text)
@example(name="\n".join(NAMES))
def test_any_setting_reads_back_the_same_from_config(config_folder: Path, name: str) -> None:
    edit_config(config_folder, CONFIG)
    remember_setting("editor", name, config_folder)
    text = (config_folder / "config.toml").read_text(encoding="utf-8")
    assert_terminal_safe(text)
    settings_read = tomllib.loads(text)
    assert settings_read["editor"] == name
    assert settings_read["keymap"] == {"inbox.next": "j", "inbox.previous": "k"}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=name_text)
@example(name="\n".join(NAMES))
def test_any_agency_name_reads_back_the_same_from_workspace_toml(clock: StillClock,
                                                                 name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "agency"
        create_workspace(root, NewWorkspace(name, "Иван Петров", "ivan", "Europe/Moscow",
                                            "RUB"), clock)
        text = (root / "workspace.toml").read_text(encoding="utf-8")
        assert_terminal_safe(text)
        assert tomllib.loads(text)["name"] == name
        assert Workspace.open(root).settings.name == name


@pytest.mark.parametrize("name", NAMES)
def test_a_new_workspace_keeps_the_layout_people_read(tmp_path: Path, name: str) -> None:
    Workspace.open(tmp_path / "ws", create=True, name=name)
    lines = (tmp_path / "ws" / "workspace.toml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# amtui workspace settings"
    assert [line.partition(" = ")[0] for line in lines[1:]] == [
        "name", "currency", "locale", "timezone", "answer_within_hours", "disabled_plugins"]


bonus = import_bundled("bonus_calculator")
plan_file = importlib.import_module("bonus_calculator.plan_file")
plans = importlib.import_module("bonus_calculator.plan")
facts = importlib.import_module("bonus_calculator.facts")


def full_plan(name: str, region: str) -> object:
    """A plan for the head with every component, named ``name``, in market ``region``."""
    return plans.Plan.model_validate({
        "name": name, "role": "head", "valid_from": date(2026, 9, 1), "currency": "RUB",
        "base_salary": "80000.5", "market_region": region, "market_segment": "b2b",
        "commission": {"tiers": [{"from": 0, "to": 500_000, "rate": "12.25"},
                                 {"from": 500_000, "rate": 5}], "cap_per_deal": 150_000},
        "quota": {"amount": 1_000_000, "bands": [{"from": 0, "multiplier": 0},
                                                 {"from": 100, "multiplier": "1.2"}]},
        "kpis": [{"kind": "no_complaints", "target": 0, "percent_of_base": 5}],
        "overtime": {"hourly_rate": 400}})


@settings(max_examples=80, deadline=None)
@given(name=name_text.filter(lambda text: len(text) <= 100), region=name_text)
@example(name="Head\n2026", region="Казань 🚀")
@example(name="\n".join(NAMES)[:100], region="\n".join(NAMES))
def test_any_plan_name_reads_back_the_same_from_a_plan_file(name: str, region: str) -> None:
    plan = full_plan(name, region)
    text = plan_file.write_plan(plan, {})
    assert_terminal_safe(text)
    again = plan_file.read_plan(text, {}, keep_id=plan.id)
    assert again.model_dump(exclude={"created_at", "updated_at"}) == plan.model_dump(
        exclude={"created_at", "updated_at"})


@settings(max_examples=40, deadline=None)
@given(name=name_text)
@example(name='Анна "Дизайн" Смирнова\n]')
def test_any_member_name_reads_back_the_same_from_a_new_plan(name: str) -> None:
    member = facts.MemberInfo(id="m1", name=name, role="head", login="")
    text = plan_file.template(member, date(2026, 10, 1), "USD")
    assert_terminal_safe(text)
    plan = plan_file.read_plan(text, {"m1": member})
    assert (plan.name, plan.member_id, plan.valid_from, plan.currency) == (
        f"{name} 2026", "m1", date(2026, 10, 1), "USD")


def test_plan_show_prints_what_plan_set_accepts(workspace: Workspace, tmp_path: Path) -> None:
    from amtui.api import os_user

    load_plugin(bonus, workspace, "bonus_calculator")
    workspace.repo(Member).add(Member(name="Анна", role="head", login=os_user()))
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_file.write_plan(full_plan("Head\n\"2026\"", "Kazan\\"), {}),
                    encoding="utf-8")
    env = {"AMTUI_LOAD_PLUGINS": "bonus_calculator"}
    stored = run_cli("bonus", "plan", "set", str(plan), workspace=workspace.root, env=env)
    assert stored.returncode == 0, stored.stderr
    shown = run_cli("bonus", "plan", "show", "--member", "Анна", "--period", "2026-10",
                    workspace=workspace.root, env=env)
    assert shown.returncode == 0, shown.stderr
    assert 'name = "Head\\u000a\\"2026\\""' in shown.stdout
    before = snapshot_files(workspace.root)
    plan.write_text(shown.stdout, encoding="utf-8")
    again = run_cli("bonus", "plan", "set", str(plan), workspace=workspace.root, env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("replaced plan ")
    after = snapshot_files(workspace.root)
    assert after.keys() == before.keys()


# No TOML built by hand ----------------------------------------------------------------------

_FIELD = re.compile(r"\{[^{}]*\}")
_ASSIGNED = re.compile(r"""(?m)^[ \t]*(?:\{\}|[\w."'-]+)[ \t]*=[ \t]*"""
                       r"""(?:\{\}|"[^"\n]*\{\}[^"\n]*"|'[^'\n]*\{\}[^'\n]*')[ \t]*(?:#|$)""")
_HEADER = re.compile(r"(?m)^[ \t]*\[\[?[^\]\n]*\{\}[^\]\n]*\]\]?[ \t]*\n")
_OPEN_ASSIGNMENT = re.compile(r"""(?:^|\n)[ \t]*[\w."'-]+[ \t]*=[ \t]*["']?$""")


def _template(node: ast.AST) -> str | None:
    """The text an f-string, ``str.format`` or ``%`` builds, each value as ``{}``."""
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}"
                       for part in node.values)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"):
        target = node.func.value
        if isinstance(target, ast.Call) and target.args:  # _("…").format(…)
            target = target.args[0]
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            return _FIELD.sub("{}", target.value.replace("{{", "").replace("}}", ""))
    if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)):
        return re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[sdrfi]", "{}", node.left.value)
    return None


def hand_written_toml(source: str) -> list[int]:
    """Lines of ``source`` that build a TOML ``key = value`` line or a ``[table]`` header
    around a value by hand (an f-string, a format, ``%`` or ``"key = " + value``)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if _builds_a_line(_template(node)) or _adds_to_a_key(node)]


def _builds_a_line(text: str | None) -> bool:
    return bool(text) and bool(_ASSIGNED.search(text) or _HEADER.search(text))


def _adds_to_a_key(node: ast.AST) -> bool:
    """``"key = " + value``."""
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
            and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
            and _OPEN_ASSIGNMENT.search(node.left.value) is not None)


@pytest.mark.parametrize("source", [
    'lines = [f"{key} = {value}" for key, value in config.items()]',
    'out.append(f"name = {_value(plan.name)}")',
    'text = "# settings\\n" f"name = {name}\\n" "locale = \\"ru\\"\\n"',
    'text = "name = \\"{name}\\"\\n".format(name=name)',
    'text = _("# Plan for {name}\\nname = \\"{name} {year}\\"\\n").format(name=n, year=y)',
    'line = "theme = " + json.dumps(name)',
    'line = "theme = %s" % json.dumps(name)',
    'header = f"[{section}]\\n"',
])
def test_the_check_finds_toml_built_by_hand(source: str) -> None:
    assert hand_written_toml(source) == [1]


def test_no_toml_is_built_by_hand_in_src_or_plugins() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}"
             for folder in ("src", "plugins") for path in sorted((ROOT / folder).rglob("*.py"))
             for line in hand_written_toml(path.read_text(encoding="utf-8"))]
    assert found == [], "TOML built by hand (use tomlkit: amtui.storage.toml_files): " + \
        ", ".join(found)
