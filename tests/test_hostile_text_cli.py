"""No control character from the workspace reaches the terminal through a command.

Every command that prints workspace or plugin data (text, Markdown, CSV and JSON), amtui's and
the bundled plugins', runs on a workspace with hostile text in every text field
(``hostile_text``); nothing it writes to stdout or stderr may hold a raw control character,
and its JSON must still be JSON that means the stored text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from amtui.cli import main
from amtui.cli.output import echo, echo_json, visible_output
from amtui.models import Client, Member
from amtui.storage import Workspace, os_user
from conftest import run_cli
from hostile_text import (
    CORPUS,
    HOSTILE_NAME,
    SHOWN_MARKERS,
    build_hostile_workspace,
    raw_controls,
)

EVIL_PLUGIN = f"""
raise RuntimeError({HOSTILE_NAME!r})
"""


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile workspace, and a workspace plugin whose error message is hostile too."""
    root = tmp_path_factory.mktemp("hostile-cli") / "workspace"
    build_hostile_workspace(root)
    (root / "plugins").mkdir()
    (root / "plugins" / "evil.py").write_text(EVIL_PLUGIN, encoding="utf-8")
    return root


def ids(root: Path) -> dict[str, str]:
    """A hostile client and the member at the keyboard, by id."""
    workspace = Workspace.open(root)
    client = next(client for client in workspace.repo(Client).all()
                  if client.name == CORPUS["osc0-title"])
    member = next(member for member in workspace.repo(Member).all() if member.login == os_user())
    return {"client": client.id, "member": member.id}


COMMANDS: list[tuple[str, ...]] = [
    *(("list", table) for table in ("clients", "tasks", "messages", "notes", "contacts",
                                     "deals", "members")),
    ("today",),
    ("report", "daily", "--client", "{client}"),
    ("doctor",),
    ("plugins",),
    (),  # no command, no terminal: the summary
    ("bonus", "statement", "--member", "{member}", "--period", "2026-11"),
    ("bonus", "statement", "--member", "{member}", "--period", "2026-11", "--format", "csv"),
    ("bonus", "plan", "show", "--member", "{member}", "--period", "2026-11"),
    ("bonus", "market"),
    ("calendar", "plan"),
    ("team", "report"),
    ("team", "report", "--format", "csv"),
    ("team", "dossier", "--client", "{client}"),
]
"""Commands printing text, Markdown or CSV."""

JSON_COMMANDS: list[tuple[str, ...]] = [
    *(("list", table, "--json") for table in ("clients", "tasks", "messages", "notes",
                                              "contacts", "deals", "members")),
    ("today", "--json"),
    ("plugins", "--json"),
    ("bonus", "statement", "--member", "{member}", "--period", "2026-11", "--format", "json"),
    ("team", "report", "--format", "json"),
]

BAD_INPUT: list[tuple[str, ...]] = [
    ("list", "tasks", "--client", HOSTILE_NAME),
    ("list", HOSTILE_NAME),
    ("add", "task", "x", "--client", HOSTILE_NAME),
    ("add", "client", "x", "--timezone", HOSTILE_NAME),
    ("bonus", "statement", "--member", HOSTILE_NAME),
    ("team", "dossier", "--client", HOSTILE_NAME),
    (HOSTILE_NAME,),
]
"""Commands refusing hostile input, which their message quotes."""


def run(root: Path, capfd: pytest.CaptureFixture[str], command: tuple[str, ...]
        ) -> tuple[int, str, str]:
    argv = [word.format(**ids(root)) if word.startswith("{") else word for word in command]
    try:
        status = main([*argv, "--workspace", str(root)])
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capfd.readouterr()
    return status, out, err


def problems_in(out: str, err: str) -> list[str]:
    return ([f"stdout has {control!r}" for control in sorted(set(raw_controls(out)))]
            + [f"stderr has {control!r}" for control in sorted(set(raw_controls(err)))])


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_text_output_shows_control_characters_as_escapes(
        hostile_root: Path, capfd: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    status, out, err = run(hostile_root, capfd, command)
    assert status == 0, err
    assert not problems_in(out, err)
    if command not in (("doctor",), ("bonus", "market")):  # these print no record's text
        assert any(marker in out for marker in SHOWN_MARKERS), out[:2000]
    if command[:1] in (("bonus",), ("calendar",), ("team",)):  # plugins were loaded
        assert "amtui: plugin evil failed: " in err and "\\x1b]0;pwned" in err


@pytest.mark.parametrize("command", JSON_COMMANDS, ids=" ".join)
def test_json_output_has_no_raw_control_character_and_keeps_the_text(
        hostile_root: Path, capfd: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    status, out, err = run(hostile_root, capfd, command)
    assert status == 0, err
    assert not problems_in(out, err)
    strings = set(strings_in(json.loads(out)))
    assert strings & {*CORPUS.values(), HOSTILE_NAME} or any(
        payload in text for text in strings for payload in CORPUS.values()), out[:2000]


@pytest.mark.parametrize("command", BAD_INPUT, ids=["list-client", "list-what", "add-task",
                                                    "add-client", "bonus", "team", "command"])
def test_bad_input_is_quoted_with_control_characters_as_escapes(
        hostile_root: Path, capfd: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    status, out, err = run(hostile_root, capfd, command)
    assert status == 2
    assert not problems_in(out, err)
    assert "\\x1b]0;pwned" in err


def strings_in(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def test_a_real_amtui_process_prints_escapes(hostile_root: Path) -> None:
    client = ids(hostile_root)["client"]
    for command, shown in ((["list", "clients"], "\\x1b]0;pwned"),
                           (["list", "clients", "--json"], "\\u001b]0;pwned"),
                           (["report", "daily", "--client", client], "\\x1b]0;pwned")):
        result = run_cli(*command, workspace=hostile_root)
        assert result.returncode == 0, result.stderr
        assert not problems_in(result.stdout, result.stderr), command
        assert shown in result.stdout, command


# The helpers plugins print with ---------------------------------------------------------------

def test_echo_shows_control_characters_and_keeps_lines(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    echo("a\x1b]0;t\x07\tb\nc\r\nd\re\u202e\u2028\x9b")
    echo("to stderr \x1b[6n", err=True)
    out, err = capsys.readouterr()
    assert out == "a\\x1b]0;t\\x07\tb\nc\r\nd\\x0de\\u202e\\u2028\\u009b\n"
    assert err == "to stderr \\x1b[6n\n"


def test_echo_json_is_json_of_the_same_text(capsys: pytest.CaptureFixture[str]) -> None:
    data = {"name": "".join(CORPUS.values()), "list": ["\x7f\x85\u2029"]}
    echo_json(data)
    out = capsys.readouterr().out
    assert not raw_controls(out)
    assert "\\u2028" in out and "\\u009b" in out and "\\u001b" in out
    assert json.loads(out) == data


def test_a_bare_print_in_a_command_is_made_visible_too(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    import sys

    with visible_output():
        print("plugin \x1b]52;c;eA==\x07 says", end="\r")
        print()
        sys.stdout.buffer.write("bytes \x9b6n \u202e\n".encode())
        sys.stdout.buffer.flush()
        print("err \x1b[2J", file=sys.stderr)
    out, err = capsys.readouterr()
    assert out == "plugin \\x1b]52;c;eA==\\x07 says\r\nbytes \\u009b6n \\u202e\n"
    assert err == "err \\x1b[2J\n"


def test_the_plan_shown_is_toml_holding_the_stored_text(
        hostile_root: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import tomllib

    status, out, err = run(hostile_root, capfd, ("bonus", "plan", "show", "--member",
                                                 "{member}", "--period", "2026-11"))
    assert status == 0, err
    shown = tomllib.loads(out)
    assert shown["name"] in CORPUS.values()
    assert "\\u001b" in out or "\\u009b" in out or "\\u202e" in out or "\\u2028" in out


def test_the_daily_update_logged_as_sent_holds_no_raw_control(hostile_root: Path) -> None:
    from amtui.services.report import compose_daily_update

    workspace = Workspace.open(hostile_root)
    for client in workspace.repo(Client).all():
        markdown = compose_daily_update(workspace, client.id).markdown
        assert not raw_controls(markdown), client.id


@pytest.mark.parametrize("command", [command for command in COMMANDS
                                     if command[:1] in (("bonus",), ("calendar",), ("team",))],
                         ids=" ".join)
def test_the_bundled_plugins_print_through_echo(
        hostile_root: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    """Called as a script of one's own would, without amtui's guard on the streams."""
    import argparse

    from amtui.plugins.host import PluginHost

    workspace = Workspace.open(hostile_root)
    host = PluginHost.load(hostile_root, safe_mode=True)
    host.attach(workspace)
    (found,) = [spec for _plugin, spec in host.cli_commands() if spec.name == command[0]]
    parser = argparse.ArgumentParser()
    found.configure(parser)
    argv = [word.format(**ids(hostile_root)) if word.startswith("{") else word
            for word in command[1:]]
    assert found.run(parser.parse_args(argv), workspace) == 0
    out, err = capsys.readouterr()
    assert not problems_in(out, err)
    assert any(marker in out for marker in SHOWN_MARKERS) or command == ("bonus", "market")
