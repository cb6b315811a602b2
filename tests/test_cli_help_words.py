"""Every word of ``--help`` and of the plugin host's messages goes through a catalogue.

The catalogues are swapped for a pseudo-translation that turns each Latin letter into a Cyrillic
one (placeholders kept), so a word left in English is a Latin letter in the output, whatever the
Russian catalogue holds yet.
"""

from __future__ import annotations

import argparse
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from amtui.cli import build_parser, main
from amtui.i18n import Domain
from amtui.plugins.host import PluginHost

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
PSEUDO = str.maketrans(LATIN, "авсдефгхийклмнопярстуфшхуз" "АВСДЕФГХИЙКЛМНОПЯРСТУФШХУЗ")
PLACEHOLDER = re.compile(r"(\{[^{}]*\}|%\([a-z_]+\)[a-z]|%[a-z])")


def pseudo(message: str) -> str:
    """``message`` with every Latin letter outside its placeholders made Cyrillic."""
    if not message:
        return message
    return "".join(part if PLACEHOLDER.fullmatch(part) else part.translate(PSEUDO)
                   for part in PLACEHOLDER.split(message))


class PseudoCatalogue(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


@pytest.fixture
def pseudo_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every domain's catalogue (amtui's and the plugins') is the pseudo-translation."""
    monkeypatch.setattr(Domain, "_catalogue", lambda self: PseudoCatalogue())


def parsers(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
            ) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every parser under ``parser`` (plugin commands included), named by its words."""
    yield " ".join(words), parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, (*words, name))


def english(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", text)


@pytest.mark.usefixtures("pseudo_language")
def test_every_option_placeholder_of_every_command_is_translated() -> None:
    tree = dict(parsers(build_parser(["--", "a-command-only-plugins-could-have"])))
    assert {"add task", "export", "import", "done", "edit", "snooze", "bonus hours",
            "team dossier", "calendar slots", "plugins new"} <= set(tree)
    untranslated = {
        f"{command} {'/'.join(action.option_strings) or action.dest}": action.metavar
        for command, parser in tree.items() for action in parser._actions
        if action.nargs != 0 and not action.choices and not isinstance(action, argparse._HelpAction)
        and (action.metavar is None or english(str(action.metavar)))}
    assert untranslated == {}


@pytest.mark.usefixtures("pseudo_language")
def test_list_and_edit_say_which_records_an_option_takes_in_the_language_in_use() -> None:
    tree = dict(parsers(build_parser(["list"])))
    helps = {f"{command} {action.option_strings[0]}": action.help
             for command in ("list", "edit") for action in tree[command]._actions
             if action.option_strings and action.help
             and action.option_strings[0] not in ("-h", "--lang")}  # said by argparse; codes
    assert helps["list --client"] == pseudo(
        "only the tasks, messages, notes, contacts and deals of this client (its name or id)")
    assert helps["edit --title"].endswith(pseudo("tasks, notes, deals"))
    assert {option: text for option, text in helps.items() if english(text)} == {}


@pytest.mark.usefixtures("pseudo_language")
def test_the_plugin_host_says_why_a_plugin_is_off_in_the_language_in_use(tmp_path: Path) -> None:
    user = tmp_path / "user-plugins"
    user.mkdir()
    (user / "kam_team.py").write_text("")  # replaces the bundled one
    (user / "broken.py").write_text("raise RuntimeError('boom')\n")
    (user / "typo.py").write_text("def amtui_panes(register): pass\n")
    host = PluginHost.load(None, disabled=["smm_calendar"], user_folder=user)
    errors = {info.name: info.error for info in host.plugins.values()}
    assert errors["smm_calendar"] == pseudo("disabled in workspace.toml")
    assert errors["broken"].startswith(pseudo("import failed: "))
    assert errors["typo"].startswith(pseudo("unknown hook ") + "'amtui_panes'")
    [shadowed] = host.shadowed
    assert shadowed.error.startswith(pseudo("not used: the ") + pseudo("user"))
    assert shadowed.error.endswith(pseudo("(later sources win: ") + ", ".join(
        pseudo(source) for source in ("bundled", "entry point", "user", "workspace")) + ")")


@pytest.mark.usefixtures("pseudo_language")
def test_a_message_names_a_table_in_the_language_in_use(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = str(tmp_path / "ws")
    assert main(["add", "client", "ООО «Ромашка»", "-w", workspace]) == 0
    assert main(["list", "messages", "-w", workspace]) == 0
    said = capsys.readouterr().err
    assert said == pseudo("no {table} match").format(table=pseudo("messages")) + "\n", said


@pytest.mark.usefixtures("pseudo_language")
def test_an_error_names_the_argument_as_the_help_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = str(tmp_path / "ws")
    assert main(["add", "task", "Тексты для лендинга", "-w", workspace]) == 0
    task_id = capsys.readouterr().out.split()[-1]
    assert main(["assign", task_id, "nobody", "-w", workspace]) == 2
    said = capsys.readouterr().err
    assert f"{pseudo('LOGIN')}: " in said and "LOGIN" not in said, said


@pytest.mark.usefixtures("pseudo_language")
@pytest.mark.parametrize("args", [
    ["add", "client", "Q", "--kind", "xyz"], ["add", "member", "Q", "--role", "boss"],
    ["add", "client", ""], ["add", "member", ""], ["add", "client", "Q", "--cadence", "sometimes"],
    ["add", "client", "Q", "--timezone", "Mars/Base"], ["add", "task", "T", "--due", "2026-02-30"],
    ["add", "deal", "D", "--client", "Q", "--amount", "1", "--currency", "rubles"],
    ["add", "deal", "D", "--client", "Q", "--amount", "1", "--status", "maybe"],
], ids=lambda args: "-".join(word for word in args if word.startswith("--")) or args[1])
def test_a_value_that_is_refused_is_said_in_the_language_in_use(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    """The problem and the field it is in: only the typed value, the values that may be typed
    and names (a time zone's, a currency's) stay as they are."""
    workspace = str(tmp_path / "ws")
    assert main(["add", "client", "Q", "-w", workspace]) == 0
    capsys.readouterr()
    assert main([*args, "-w", workspace]) == 2
    said = capsys.readouterr().err
    words = re.sub(r"'[^']*'|--[a-z-]+|amtui|RUB|Europe/Moscow|Asia/Yekaterinburg|IANA|YYYY-MM-DD",
                   "", said)
    assert english(words) == [], said
