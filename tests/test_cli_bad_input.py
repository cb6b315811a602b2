"""Bad input on the command line: exit status 2, one clear line on stderr, nothing changed."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from amtui.models import Client, Contact, Member, Task
from amtui.storage import Workspace
from conftest import (
    NOW_VARIABLE,
    as_nobody,
    python_for_other_user,
    run_cli,
    snapshot_files,
    unavailable,
)

ROMASHKA = "ООО «Ромашка»"
TWIN = "Двойник"
OTHER_CONTACT = "Чужой Контакт"
MISSING_ID = "01KQ0000000000000000000000"


def assert_rejected(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit status 2, exactly one line on stderr naming ``words``, no traceback, no output."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr
    line = lines[0].casefold()
    for pydantic_words in ("input should", "string should", "value error", "pydantic"):
        assert pydantic_words not in line, f"not in amtui's own words: {lines[0]!r}"
    for word in words:
        assert word.casefold() in line, f"{word!r} not in {lines[0]!r}"
    assert result.stdout == ""


@pytest.fixture
def filled(workspace: Workspace) -> Workspace:
    """A workspace with a client, two clients of the same name, a task and another client's
    contact."""
    clients = workspace.repo(Client)
    romashka = clients.add(Client(name=ROMASHKA))
    clients.add(Client(name=TWIN))
    clients.add(Client(name=TWIN))
    other = clients.add(Client(name="Blue Fern Studio"))
    workspace.repo(Contact).add(Contact(name=OTHER_CONTACT, client_id=other.id))
    workspace.repo(Contact).add(Contact(name="Свой Контакт", client_id=romashka.id))
    workspace.repo(Member).add(Member(name="Анна Смирнова", login="anna"))
    workspace.repo(Task).add(Task(title="Уже есть", client_id=romashka.id))
    return workspace


# Cases against a workspace that has data: (arguments, words the one line must contain).
CASES: list[tuple[list[str], list[str]]] = [
    # dates
    (["add", "task", "x", "--due", "2026-02-30"], ["due", "2026-02-30", "not a date that exists"]),
    (["add", "task", "x", "--due", "2026-13-01"], ["due", "2026-13-01"]),
    (["add", "task", "x", "--due", "next week"], ["due", "next week", "10.12.2026"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "100", "--signed", "2026-02-30"],
     ["signed", "2026-02-30"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "100", "--signed", "2026-10-10",
      "--paid", "2026-10-01"], ["paid", "before"]),
    (["add", "message", "m", "--client", ROMASHKA, "--received", "yesterday"],
     ["--received", "yesterday"]),
    (["add", "message", "m", "--client", ROMASHKA, "--answer-by", "2026-02-30 10:00"],
     ["--answer-by", "2026-02-30"]),
    (["add", "message", "m", "--client", ROMASHKA, "--received", "2026-11-20 10:00",
      "--answer-by", "2026-11-19 10:00"], ["--answer-by", "before"]),
    # amounts
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "-5"], ["amount", "negative"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "сто"], ["amount", "сто"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "NaN"], ["amount", "nan"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "100", "--currency", "рубли"],
     ["currency"]),
    (["add", "client", "c", "--revenue", "много"], ["--revenue", "много"]),
    (["add", "client", "c", "--cost", "-1"], ["--cost", "negative"]),
    (["add", "task", "t", "--estimate", "-3"], ["--estimate", "negative"]),
    # clients, contacts, members that are not there or not unique
    (["add", "task", "x", "--client", "Нет Такого"], ["client", "Нет Такого"]),
    (["add", "task", "x", "--client", MISSING_ID], ["client", MISSING_ID]),
    (["add", "message", "m", "--client", "Нет Такого"], ["client", "Нет Такого"]),
    (["add", "deal", "d", "--client", MISSING_ID, "--amount", "1"], ["client", MISSING_ID]),
    (["add", "contact", "c", "--client", "Нет Такого"], ["client", "Нет Такого"]),
    (["add", "note", "n", "--client", "Нет Такого"], ["client", "Нет Такого"]),
    (["add", "task", "x", "--client", TWIN], ["2", TWIN, "id"]),
    (["add", "message", "m", "--client", ROMASHKA, "--contact", OTHER_CONTACT],
     ["contact", OTHER_CONTACT, ROMASHKA]),
    (["add", "message", "m", "--client", ROMASHKA, "--contact", "Никто"], ["contact", "Никто"]),
    (["add", "client", "c", "--owner", "nobody"], ["member", "nobody"]),
    (["list", "tasks", "--client", "Нет Такого"], ["client", "Нет Такого"]),
    (["list", "tasks", "--client", TWIN], [TWIN, "id"]),
    # values that are not among the known ones
    (["add", "client", "c", "--kind", "b2g"], ["kind", "b2g", "b2b"]),
    (["add", "client", "c", "--status", "vip"], ["status", "vip", "active"]),
    (["add", "client", "c", "--stage", "eternal"], ["stage", "eternal"]),
    (["add", "client", "c", "--cadence", "hourly"], ["cadence", "hourly"]),
    (["add", "client", "c", "--channel", "pigeon"], ["channel", "pigeon"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "1", "--status", "maybe"],
     ["status", "maybe", "won"]),
    (["add", "task", "t", "--priority", "asap"], ["priority", "asap", "urgent"]),
    (["add", "message", "m", "--client", ROMASHKA, "--priority", "asap"], ["priority", "asap"]),
    (["add", "message", "m", "--client", ROMASHKA, "--channel", "pigeon"],
     ["channel", "pigeon", "telegram"]),
    (["add", "message", "m", "--client", ROMASHKA, "--kind", "gossip"], ["kind", "gossip"]),
    (["add", "note", "n", "--kind", "poem"], ["kind", "poem", "meeting"]),
    (["add", "contact", "c", "--client", ROMASHKA, "--influence", "boss"], ["influence", "boss"]),
    (["add", "contact", "c", "--client", ROMASHKA, "--email", "не-почта"], ["email", "не-почта"]),
    (["add", "member", "m", "--role", "ceo"], ["role", "ceo"]),
    (["add", "task", "t", "--department", "marketing"], ["department", "marketing", "seo"]),
    (["add", "task", "t", "--column", "someday"], ["column", "someday", "backlog"]),
    (["add", "client", "c", "--timezone", "Mars/Olympus"], ["time zone", "Mars/Olympus"]),
    (["add", "client", "c", "--timezone", "MSK+3"], ["time zone", "MSK+3"]),
    (["add", "client", "c", "--timezone", "Europe/" + "Z" * 300], ["time zone", "Europe/ZZZ"]),
    (["add", "client", "c", "--timezone", "../../../etc/passwd"], ["time zone"]),
    # bytes that are not UTF-8 (the shell hands them over as lone surrogates)
    *[(["add", "client", "c", option, "ok\udcff\udcfe"], [field, "not UTF-8"])
      for option, field in (("--industry", "industry"), ("--tag", "tags"))],
    *[(["add", "task", "t", option, "\udcff"], [field, "not UTF-8"])
      for option, field in (("--assignee", "assignee"), ("--description", "description"),
                            ("--check", "text"))],
    *[(["add", "contact", "c", "--client", ROMASHKA, option, "x\udce9"], [field, "not UTF-8"])
      for option, field in (("--role", "role"), ("--phone", "phone"),
                            ("--messenger", "messenger"), ("--email", "email"))],
    (["add", "task", "\udcff"], ["title", "not UTF-8"]),
    (["add", "note", "n", "--body", "\udcff"], ["body", "not UTF-8"]),
    (["add", "member", "m", "--login", "\udcff"], ["login", "not UTF-8"]),
    # far dates, huge and over-precise amounts
    (["add", "message", "m", "--client", ROMASHKA, "--received", "9999-12-31 23:59"],
     ["--received", "9999-12-31", "between 1900 and 2200"]),
    (["add", "message", "m", "--client", ROMASHKA, "--answer-by", "0001-01-01 00:00+03:00"],
     ["--answer-by", "0001-01-01"]),
    (["add", "task", "t", "--due", "9999-12-31"], ["due", "9999-12-31", "1900"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "1", "--signed", "1066-10-14"],
     ["signed", "1066-10-14"]),
    (["report", "daily", "--client", ROMASHKA, "--since", "0001-01-01"], ["--since", "0001"]),
    (["add", "client", "Big", "--revenue", "1" + "0" * 29], ["--revenue", "too large"]),
    (["add", "client", "Big", "--cost", "1 000 000 000 000 000"], ["--cost", "too large"]),
    (["add", "client", "Big", "--revenue", "0,000001"], ["--revenue", "digits after the point"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "1" + "0" * 15],
     ["--amount", "too large"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "10,0051"], ["--amount", "digits"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "10.5", "--currency", "JPY"],
     ["--amount", "digits"]),
    (["add", "task", "t", "--estimate", "1" + "0" * 9], ["--estimate", "too large"]),
    # empty text, too long text
    (["add", "task", ""], ["title: cannot be empty"]),
    (["add", "task", "   "], ["title: cannot be empty"]),
    (["add", "client", ""], ["name: cannot be empty"]),
    (["add", "note", "\t"], ["title: cannot be empty"]),
    (["add", "message", " ", "--client", ROMASHKA], ["text", "empty"]),
    (["add", "member", ""], ["person's name: cannot be empty"]),
    (["add", "contact", "", "--client", ROMASHKA], ["person's name: cannot be empty"]),
    (["add", "client", "c", "--tag", ""], ["tags #1: cannot be empty"]),
    (["add", "task", "x" * 501], ["title: can be at most 500 characters long"]),
    (["add", "member", "m", "--login", "x" * 65], ["login: can be at most 64 characters"]),
    (["add", "deal", "d", "--client", ROMASHKA, "--amount", "1", "--currency", "zz"],
     ["currency", "'ZZ' is not a currency code"]),
    # a login that is a member's already
    (["add", "member", "Анна Другая", "--login", "anna"], ["--login", "anna", "Анна Смирнова"]),
    (["add", "member", "Анна Другая", "--login", "ANNA"], ["--login", "anna", "already"]),
    # files
    (["add", "note", "n", "--body-file", "/nonexistent/бриф.md"],
     ["--body-file", "/nonexistent/бриф.md"]),
    (["add", "note", "n", "--body-file", "/dev/zero"], ["--body-file", "/dev/zero", "longer"]),
    (["add", "note", "n", "--body-file", "/"], ["--body-file", "/"]),
    # listing
    (["list", "projects"], ["projects", "clients"]),
    (["list", "notes", "--department", "seo"], ["--department", "notes", "tasks"]),
    (["list", "clients", "--column", "done"], ["--column", "clients"]),
    (["list", "clients", "--overdue"], ["--overdue"]),
    (["list", "tasks", "--limit", "-1"], ["--limit"]),
    (["list", "tasks", "--limit", "few"], ["--limit", "few"]),
    # demo
    (["demo", "--size", "huge"], ["--size", "huge", "small"]),
    (["demo"], ["already has data"]),
    (["demo", "--seed", "lucky"], ["--seed", "lucky"]),
    # the parser itself
    (["frobnicate"], ["frobnicate"]),
    (["add", "project", "x"], ["project"]),
    (["add", "task"], ["title", "required"]),
    (["add", "message", "m"], ["--client", "required"]),
    (["add", "contact", "c"], ["--client", "required"]),
    (["add", "deal", "d", "--client", ROMASHKA], ["--amount", "required"]),
    (["add", "task", "t", "--bogus"], ["--bogus"]),
    (["list", "tasks", "--bogus"], ["--bogus"]),
    (["list"], ["required"]),
    (["add", "note", "n", "--body", "a", "--body-file", "b"], ["--body", "--body-file"]),
    (["--pane"], ["--pane"]),
    # the verbs (more in test_cli_verbs.py)
    (["done", MISSING_ID], ["no record", MISSING_ID]),
    (["move", MISSING_ID, "todo"], ["no record", MISSING_ID]),
    (["assign", MISSING_ID, "anna"], ["no record", MISSING_ID]),
    (["snooze", MISSING_ID, "3"], ["no record", MISSING_ID]),
    (["edit", MISSING_ID, "--title", "x"], ["no record", MISSING_ID]),
    (["delete", MISSING_ID], ["no record", MISSING_ID]),
    (["restore", MISSING_ID], ["nothing in the trash", MISSING_ID]),
    (["undo"], ["nothing to undo"]),
    (["done", "0"], ["starts the ids of", "type more"]),
    (["edit", "0", "--bogus", "x"], ["--bogus"]),
    (["today", "--format", "html"], ["--format", "html"]),
]


@pytest.mark.parametrize(("args", "words"), CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_bad_input_changes_nothing(filled: Workspace, args: list[str], words: list[str]) -> None:
    before = snapshot_files(filled.root)
    result = run_cli(*args, workspace=filled.root)
    assert_rejected(result, *words)
    assert snapshot_files(filled.root) == before


@pytest.mark.parametrize(("args", "words"), [
    (["--dir", "/dev/null"], ["--dir", "/dev/null", "not a folder"]),
    (["--dir", "/dev/zero"], ["--dir", "/dev/zero", "not a folder"]),
    (["--dir", "{tmp}/not/here"], ["--dir", "/not/here", "does not exist"]),
    (["--dir", "{tmp}/" + "x" * 300], ["--dir", "too long"]),
], ids=lambda value: " ".join(value)[:30] if isinstance(value, list) else None)
def test_a_plugin_cannot_be_made_where_no_folder_is(tmp_path: Path, args: list[str],
                                                     words: list[str]) -> None:
    result = run_cli("plugins", "new", "followups",
                     *(arg.replace("{tmp}", str(tmp_path)) for arg in args))
    assert_rejected(result, *words)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["abc\n", "abc\nversion = 2", "Abc", "a", "a-b", "abc\udcff"])
def test_a_plugin_name_that_would_break_its_package_is_refused(tmp_path: Path,
                                                                name: str) -> None:
    assert_rejected(run_cli("plugins", "new", name, "--dir", str(tmp_path)), "plugin name")
    assert list(tmp_path.iterdir()) == []


def test_add_without_a_kind(filled: Workspace) -> None:
    before = snapshot_files(filled.root)
    result = run_cli("add", env={"AMTUI_WORKSPACE": str(filled.root)})
    assert_rejected(result, "required")
    assert snapshot_files(filled.root) == before


def test_ambiguous_client_names_both_ids(filled: Workspace) -> None:
    twins = [c.id for c in filled.repo(Client).all() if c.name == TWIN]
    result = run_cli("add", "task", "x", "--client", TWIN, workspace=filled.root)
    assert_rejected(result, TWIN)
    assert all(twin in result.stderr for twin in twins)


def test_bad_input_with_the_workspace_from_the_environment(filled: Workspace) -> None:
    before = snapshot_files(filled.root)
    result = run_cli("add", "task", "x", "--due", "2026-02-30",
                     env={"AMTUI_WORKSPACE": str(filled.root)})
    assert_rejected(result, "2026-02-30")
    assert snapshot_files(filled.root) == before


def test_control_characters_in_bad_input_stay_on_one_line(filled: Workspace) -> None:
    before = snapshot_files(filled.root)
    result = run_cli("add", "task", "x", "--client", "Evil\nName\x1b[2J", workspace=filled.root)
    assert_rejected(result, "client")
    assert "\x1b" not in result.stderr
    assert snapshot_files(filled.root) == before


# A workspace that did not exist before must not exist after.

NEW_WORKSPACE_CASES: list[tuple[list[str], list[str]]] = [
    (["add", "task", "x", "--due", "2026-02-30"], ["2026-02-30"]),
    (["add", "task", "x", "--due", "next week"], ["next week"]),
    (["add", "task", ""], ["title"]),
    (["add", "task", "x", "--client", "Нет Такого"], ["Нет Такого"]),
    (["add", "task", "x", "--department", "marketing"], ["marketing"]),
    (["add", "message", "m", "--client", MISSING_ID], [MISSING_ID]),
    (["add", "deal", "d", "--client", "Нет Такого", "--amount", "-1"], ["amount"]),
    (["add", "client", "c", "--timezone", "Mars/Olympus"], ["Mars/Olympus"]),
    (["add", "client", "c", "--kind", "b2g"], ["b2g"]),
    (["add", "client", "c", "--owner", "nobody"], ["nobody"]),
    (["add", "note", "n", "--body-file", "/nonexistent/file.md"], ["/nonexistent/file.md"]),
    (["demo", "--size", "huge"], ["huge"]),
    (["list", "tasks"], ["no workspace"]),
    (["list", "notes", "--department", "seo"], ["--department"]),
    ([], ["no workspace"]),
    (["doctor"], ["no workspace"]),
]


@pytest.mark.parametrize(("args", "words"), NEW_WORKSPACE_CASES,
                         ids=[" ".join(a)[:60] or "summary" for a, _ in NEW_WORKSPACE_CASES])
def test_bad_input_leaves_no_new_workspace(tmp_path: Path, args: list[str],
                                           words: list[str]) -> None:
    target = tmp_path / "new-ws"
    result = run_cli(*args, workspace=target)
    assert_rejected(result, *words)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_input_leaves_no_new_parent_folders(tmp_path: Path) -> None:
    target = tmp_path / "clients" / "2026" / "ws"
    result = run_cli("add", "task", "x", "--due", "2026-02-30", workspace=target)
    assert_rejected(result, "2026-02-30")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_input_keeps_an_empty_folder_made_beforehand(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    target.mkdir()
    result = run_cli("add", "task", "x", "--due", "2026-02-30", workspace=target)
    assert_rejected(result, "2026-02-30")
    assert target.is_dir()
    assert list(target.iterdir()) == []


def interrupted_demo(monkeypatch: pytest.MonkeyPatch, meanwhile: list[str] | None,
                     target: Path) -> int:
    """``amtui demo`` stopped by Ctrl-C after it stored a client, while another process
    ran ``amtui <meanwhile>`` in the new workspace (if given)."""
    from amtui.cli import main
    from amtui.services import demo

    def fill_until_interrupted(workspace: Workspace, *args: object, **kwargs: object) -> None:
        workspace.repo(Client).add(Client(name="From the demo"))
        if meanwhile is not None:
            other = run_cli(*meanwhile, workspace=target)
            assert other.returncode == 0, other.stderr
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "fill_demo", fill_until_interrupted)
    return main(["demo", "--workspace", str(target)])


@pytest.mark.parametrize("meanwhile", [["add", "client", "Another"],
                                       ["add", "task", "Another"]])
def test_an_interrupted_first_command_keeps_what_another_process_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    meanwhile: list[str],
) -> None:
    target = tmp_path / "new-ws"
    assert interrupted_demo(monkeypatch, meanwhile, target) == 130
    error = capsys.readouterr().err
    assert f"amtui: the new workspace {target} was kept: it holds {target}/" in error
    workspace = Workspace.open(target)
    assert workspace.read_only_tables() == {}
    names = {record.name for record in workspace.repo(Client).all()}
    titles = [task.title for task in workspace.repo(Task).all()]
    assert "Another" in names | set(titles)


def test_an_interrupted_first_command_removes_what_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "clients" / "new-ws"
    assert interrupted_demo(monkeypatch, None, target) == 130
    assert list(tmp_path.iterdir()) == []
    made_before = tmp_path / "empty"
    made_before.mkdir()
    assert interrupted_demo(monkeypatch, None, made_before) == 130
    assert list(made_before.iterdir()) == []


def test_bad_input_in_the_default_workspace_leaves_nothing(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    result = run_cli("add", "task", "x", "--due", "2026-02-30", env=env)
    assert_rejected(result, "2026-02-30")
    assert list(tmp_path.rglob("workspace.toml")) == []
    assert not (tmp_path / "xdg" / "amtui").exists()


# Paths that are not workspaces.


@pytest.mark.parametrize("args", [["add", "client", "c"], ["add", "task", "t"], ["list", "tasks"],
                                  ["demo"], ["doctor"], []])
def test_workspace_path_that_is_a_file(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "workspace.txt"
    path.write_text("not a folder\n")
    result = run_cli(*args, workspace=path)
    assert_rejected(result, str(path))
    assert "file" in result.stderr
    assert path.read_text() == "not a folder\n"
    assert [p.name for p in tmp_path.iterdir()] == ["workspace.txt"]


@pytest.mark.parametrize("args", [["list", "tasks"], ["list", "clients", "--json"], ["doctor"],
                                  []])
def test_listing_a_folder_that_is_not_a_workspace(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "report.docx").write_bytes(b"PK\x03\x04")
    before = snapshot_files(folder)
    result = run_cli(*args, workspace=folder)
    assert_rejected(result, "no workspace", str(folder))
    assert snapshot_files(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["report.docx"]


@pytest.mark.parametrize("args", [["add", "client", "c"], ["demo"]])
def test_creating_a_workspace_in_a_folder_with_other_files(tmp_path: Path,
                                                           args: list[str]) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "report.docx").write_bytes(b"PK\x03\x04")
    result = run_cli(*args, workspace=folder)
    assert_rejected(result, str(folder), "not a workspace")
    assert sorted(p.name for p in folder.iterdir()) == ["report.docx"]


def test_a_failing_command_keeps_what_earlier_commands_stored(
    workspace_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """``amtui.cli.main`` called in one process (a script, a plugin's test): a command that
    fails removes only a workspace it created itself, never one an earlier command made."""
    from amtui.cli import main

    where = ["--workspace", str(workspace_path)]
    assert main(["add", "client", ROMASHKA, *where]) == 0
    assert main(["add", "task", "Важная задача", "--client", ROMASHKA, *where]) == 0
    before = snapshot_files(workspace_path)
    capsys.readouterr()

    assert main(["add", "task", "x", "--due", "2026-02-30", *where]) == 2

    error = capsys.readouterr().err
    assert len(error.splitlines()) == 1 and "2026-02-30" in error
    assert snapshot_files(workspace_path) == before


def test_a_misspelt_client_name_suggests_the_close_ones(filled: Workspace) -> None:
    before = snapshot_files(filled.root)
    result = run_cli("add", "task", "x", "--client", "Blue Fren Studio", workspace=filled.root)
    assert_rejected(result, "no client named 'Blue Fren Studio'",
                    "did you mean 'Blue Fern Studio'?")
    far = run_cli("add", "task", "x", "--client", "Совсем другое", workspace=filled.root)
    assert_rejected(far, "no client named")
    assert "did you mean" not in far.stderr
    assert snapshot_files(filled.root) == before


# A workspace this user may not read.


@pytest.mark.parametrize("args", [["list", "tasks"], ["today"], ["add", "task", "x"], ["doctor"],
                                  ["backup"], ["report", "daily", "--client", ROMASHKA],
                                  ["plugins"], []],
                         ids=lambda args: " ".join(args) or "summary")
def test_a_workspace_this_user_may_not_read(clock: object, args: list[str]) -> None:
    if os.geteuid() != 0:
        unavailable("acting as a second user needs root")
    base = Path(tempfile.mkdtemp(prefix="amtui-private-"))
    try:
        base.chmod(0o755)
        private = base / "ws"
        Workspace.open(private, create=True).repo(Client).add(Client(name=ROMASHKA))
        private.chmod(0o700)
        before = snapshot_files(private)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONIOENCODING": "utf-8", "HOME": str(base), "LANG": "C.UTF-8",
               NOW_VARIABLE: os.environ[NOW_VARIABLE]}
        python, env = python_for_other_user(as_nobody, env)
        result = subprocess.run([python, "-m", "amtui", *args, "--workspace", str(private)],
                                capture_output=True, text=True, env=env, preexec_fn=as_nobody,
                                cwd=str(base), timeout=60)
        assert_rejected(result, "no access to the workspace", str(private), "nobody")
        assert snapshot_files(private) == before
    finally:
        shutil.rmtree(base, ignore_errors=True)


# Exports onto something that is not a regular file.


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace: the plugins' tables are filled too."""
    root = tmp_path_factory.mktemp("demo") / "ws"
    made = run_cli("demo", workspace=root)
    assert made.returncode == 0, made.stderr
    return root


def test_an_export_onto_a_pipe_is_refused_and_the_pipe_left(demo: Path, tmp_path: Path) -> None:
    """``-o /dev/null`` as root would otherwise put a file in place of the device (the export
    is written beside its target and renamed over it); a pipe shows it without harm."""
    workspace = Workspace.open(demo)
    client = workspace.repo(Client).all()[0].name
    login = next(member.login for member in workspace.repo(Member).all() if member.login)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    before = snapshot_files(demo)
    for args in (["calendar", "export", "-o", str(pipe)],
                 ["team", "dossier", "--client", client, "-o", str(pipe)],
                 ["bonus", "statement", "--member", login, "--output", str(pipe)]):
        assert_rejected(run_cli(*args, workspace=demo), str(pipe), "not a regular file")
        assert stat.S_ISFIFO(pipe.lstat().st_mode)
        assert [path.name for path in tmp_path.iterdir()] == ["pipe"]
    assert snapshot_files(demo) == before


# Found by the fuzz test (tests/test_cli_fuzz.py).


@pytest.mark.parametrize(("args", "words"), [
    (["backup", "--workspace", "~nosuchuser/ws"], ["--workspace", "~nosuchuser", "no user"]),
    (["plugins", "new", "followups", "--dir", "~nosuchuser"], ["--dir", "no user"]),
    (["bonus", "plan", "set", "/dev/zero", "--workspace", "{demo}"], ["/dev/zero", "longer"]),
    (["--bogus", "bonus", "lock", "--period", "-w"], ["--period", "expected one argument"]),
    (["calendar", "slots", "--client", "", "--channel", "vk", "--days", "mon",
      "--workspace", "{demo}"], ["--client"]),
    (["calendar", "plan", "--from", "9999-12-05", "--workspace", "{demo}"],
     ["--from", "9999-12-05", "between 1900 and 2200"]),
    (["calendar", "export", "-o", "~nosuchuser/x.ics", "--workspace", "{demo}"],
     ["~nosuchuser", "no user"]),
], ids=lambda value: " ".join(value)[:40] if isinstance(value, list) else None)
def test_found_by_fuzzing(demo: Path, tmp_path: Path, args: list[str], words: list[str]) -> None:
    before = snapshot_files(demo)
    result = run_cli(*(arg.replace("{demo}", str(demo)) for arg in args),
                     env={"HOME": str(tmp_path)})
    assert_rejected(result, *words)
    assert snapshot_files(demo) == before
    assert list(tmp_path.iterdir()) == []


def test_a_workspace_folder_named_in_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """The folder's name becomes the workspace's name, and paths are printed escaped."""
    folder = tmp_path / os.fsdecode(b"\xc1\xe3\xf0\xe0")  # "Агра" in Windows-1251
    added = run_cli("add", "client", ROMASHKA, workspace=folder)
    assert added.returncode == 0, added.stderr
    assert 'name = "\ufffd\ufffd\ufffd\ufffd"' in (folder / "workspace.toml").read_text()
    summary = run_cli(workspace=folder)
    assert summary.returncode == 0, summary.stderr
    assert "\\udcc1\\udce3\\udcf0\\udce0" in summary.stdout
