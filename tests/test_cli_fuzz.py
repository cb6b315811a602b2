"""Every command and option of ``amtui``, fed generated values: never a traceback, never "this
is a bug", an exit status of 0, 1 or 2 only, and bad input (2) leaves every file of the
workspace byte for byte as it was.

The commands and options are read from the parser itself (``amtui.cli.build_parser``, the
plugins' commands included), so a new option is fuzzed without touching this file. Values mix
what people type (names, dates, amounts, enum words) with what they should not: bytes that are
not UTF-8 (as the shell hands them over: lone surrogates), huge and tiny numbers, far dates,
long and empty text, control characters, records that do not exist, ``/dev/null`` and
``/dev/zero``. Most runs call ``amtui.cli.main`` in this process (fast) with the same argv,
stdin and stdout encoding a process would have; a few run ``amtui`` as a process and must give
the same answer.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from amtui.cli import build_parser, main
from amtui.models import (
    Cadence,
    Channel,
    ClientKind,
    ClientStatus,
    DealStatus,
    Direction,
    Influence,
    MessageKind,
    MessageStatus,
    NoteKind,
    Priority,
    RelationshipStage,
    Role,
)
from amtui.storage import Workspace
from conftest import snapshot_files

WORKSPACE = "{workspace}"
SCRATCH = "{scratch}"
"""Placeholders in generated values: the example's workspace and its scratch folder (the
current folder of the run, where relative paths land)."""

READ_DESTS = {"workspace", "body_file", "file", "dir"}
"""Options (by ``dest``) that name files or folders to read (or to make things in): they get
paths inside the example's scratch folder (where a command may make what it is for: a
workspace, a plugin), and /dev/null and /dev/zero, which cannot hold anything."""

WRITE_DESTS = {"output"}
"""Options that name a file to write: paths inside the scratch folder only, where a device
like /dev/null is made to stand for the real one (a writer that replaced its target would
replace that copy, not the machine's /dev/null)."""


@dataclass(frozen=True)
class Command:
    """One parser of the command line: its words, positionals and options."""

    words: tuple[str, ...]
    positionals: tuple[argparse.Action, ...]
    options: tuple[argparse.Action, ...]

    def __repr__(self) -> str:
        return " ".join(self.words) or "(amtui)"


def commands_of(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Command]:
    """Every parser under ``parser``, the ones with subcommands too (``amtui plugins`` lists,
    ``amtui add`` alone is an error worth feeding)."""
    positionals, options = [], []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from commands_of(child, (*words, name))
        elif isinstance(action, argparse._HelpAction | argparse._VersionAction):
            continue
        elif action.option_strings:
            options.append(action)
        else:
            positionals.append(action)
    yield Command(words, tuple(positionals), tuple(options))


ENUM_WORDS = sorted({
    member.value for enum in (Cadence, Channel, ClientKind, ClientStatus, DealStatus, Direction,
                              Influence, MessageKind, MessageStatus, NoteKind, Priority,
                              RelationshipStage, Role)
    for member in enum
} | {"clients", "tasks", "messages", "notes", "contacts", "deals", "members", "trash",
     "daily", "small", "todo", "backlog", "in_progress", "done", "seo", "copywriting", "design",
     "brief", "spec", "meeting", "anti-disaster", "ics", "csv", "md", "json", "person",
     "today", "inbox", "board", "calendar", "team", "bonus", "textual-dark", "RUB", "JPY",
     "smm_calendar/posts", "followups", "Europe/Moscow", "Asia/Yekaterinburg", "UTC"})

NUMBERS = ["0", "1", "-1", "150000", "1 200 000,50", "1e29", "1e15", "999999999999999.99",
           "9" * 400, "1e-400", "0.001", "NaN", "inf", "-0", "1_000", "12,5", "0x10", "٣"]
DATES = ["2026-11-26", "2026-12-01", "2026-02-30", "2026-13-01", "9999-12-31", "0001-01-01",
         "1899-12-31", "2200-12-31", "2201-01-01", "2026-11", "9999-12", "0000-01", "2026-W48",
         "2026-11-26 10:00", "9999-12-31 23:59", "0001-01-01 00:00+14:00",
         "2026-11-26T10:00:00-23:59", "10:00", "25:61", "23:59", "00:00", "mon,wed,fri", "1,8"]
MISSING = ["Нет Такого", "01KQ0000000000000000000000", "nobody", "ghost", "-", "."]
NASTY = ["", " ", "\t", "\x1b[2J\x1b]0;pwned\x07", "a\nb", "\r", "\x7f", "\u202eabc", "\x9b31m",
         "[bold]x[/]", "[@click=app.quit]q[/]", "--json", "-w", "%s%n", "..", "../../etc/passwd",
         "~nosuchuser/x", "x" * 300, "я" * 5000, "x" * 100_001]


SCRATCH_PATHS = [f"{SCRATCH}/out.md", f"{SCRATCH}/deep/er/out.ics", f"{SCRATCH}/folder",
                 f"{SCRATCH}/file.txt", f"{SCRATCH}/plan.toml", f"{SCRATCH}/null-device",
                 "out.csv", "", "~nosuchuser/x", f"{SCRATCH}/" + "x" * 300,
                 f"{SCRATCH}/\udcff\udcfe.md", f"{SCRATCH}/new-ws/out.md"]


def path_values(dest: str) -> st.SearchStrategy[str]:
    if dest in WRITE_DESTS:
        return st.sampled_from(SCRATCH_PATHS)
    return st.sampled_from([
        WORKSPACE, WORKSPACE, WORKSPACE, f"{SCRATCH}/new-ws", *SCRATCH_PATHS, "-",
        "/dev/null", "/dev/zero", f"{SCRATCH}/missing/x", f"{WORKSPACE}/data/tasks.json",
    ])


def invalid_utf8() -> st.SearchStrategy[str]:
    """Bytes as a shell passes them, decoded as Python decodes a process's argv."""
    return st.binary(min_size=1, max_size=12).filter(lambda raw: b"\0" not in raw).map(
        os.fsdecode)


def general_values(names: list[str]) -> st.SearchStrategy[str]:
    text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\0"),
                   max_size=30)
    return st.one_of(
        st.sampled_from(ENUM_WORDS), st.sampled_from(names), st.sampled_from(MISSING),
        st.sampled_from(NUMBERS), st.sampled_from(DATES), st.sampled_from(NASTY), text,
        invalid_utf8(), st.integers(-10**30, 10**30).map(str),
    )


HINTS = {
    **dict.fromkeys(("due", "signed", "paid", "since", "start", "end", "day", "received",
                     "answer_by", "period", "time", "days", "when"), DATES),
    **dict.fromkeys(("revenue", "cost", "amount", "estimate", "limit", "seed"), NUMBERS),
    **dict.fromkeys(("currency", "timezone", "kind", "status", "stage", "cadence", "channel",
                     "priority", "influence", "role", "column", "department", "table",
                     "size", "restore", "pane", "theme", "template", "format"), ENUM_WORDS),
}
"""Values people would type for an option (by ``dest``), tried half of the time, so that
commands get past their first check and deeper code is fed too."""


def values_for(action: argparse.Action, names: list[str]) -> st.SearchStrategy[str]:
    if action.dest in READ_DESTS | WRITE_DESTS:
        return path_values(action.dest)
    general = general_values(names)
    likely: list[str] = list(HINTS.get(action.dest, ()))
    if action.dest in ("client", "owner", "member", "contact", "name", "title", "text", "id"):
        likely += names
    if action.dest == "when":
        likely += ["1", "3", "365", "366"]
    if action.choices:
        likely += [str(choice) for choice in action.choices]
    if not likely:
        return general
    return st.booleans().flatmap(lambda plausible: st.sampled_from(likely) if plausible
                                 else general)


@st.composite
def invocations(draw: st.DrawFn, commands: list[Command], names: list[str]) -> list[str]:
    """An ``amtui`` command line: a command, its positionals (now and then one left out), its
    required options (mostly) and some others, in an order argparse accepts."""
    command = draw(st.sampled_from(commands))
    argv = list(command.words)
    for positional in command.positionals:
        if draw(st.integers(0, 15)):
            argv.append(draw(values_for(positional, names)))
    required = [option for option in command.options if option.required]
    optional = [option for option in command.options if not option.required]
    chosen = [option for option in required if draw(st.integers(0, 9))]
    chosen += draw(st.lists(st.sampled_from(optional), max_size=4, unique=True)
                   if optional else st.just([]))
    if not any(option.dest == "workspace" for option in chosen) and draw(st.integers(0, 19)):
        argv += ["--workspace", WORKSPACE]
    for option in chosen:
        flag = draw(st.sampled_from(option.option_strings))
        if option.nargs == 0:
            argv.append(flag)
        else:
            argv += [flag, draw(values_for(option, names))]
    if not draw(st.integers(0, 29)):
        argv.insert(draw(st.integers(0, len(argv))), draw(st.sampled_from(
            ["--bogus", "--help", "--version", "--safe-mode", "-w"])))
    return argv


# running


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str


def concrete(argv: list[str], workspace: Path, scratch: Path) -> list[str]:
    return [word.replace(WORKSPACE, str(workspace)).replace(SCRATCH, str(scratch))
            for word in argv]


@contextmanager
def process_like_streams() -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """stdin, stdout and stderr as a process has them under PYTHONIOENCODING=utf-8: empty
    stdin, a strict UTF-8 stdout (printing a lone surrogate fails there too), a stderr that
    escapes what it cannot encode."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict",
                              write_through=True)
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace",
                              write_through=True)
    stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield stdout, stderr
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8", "replace")


def run_in_process(argv: list[str]) -> Run:
    with process_like_streams() as (stdout, stderr):
        try:
            status = main(argv)
        except SystemExit as exit_:  # argparse: --help, --version, a usage error
            status = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:
            sys.stderr.write(traceback.format_exc())  # what a process would print
            status = 1
        return Run(status, _text(stdout), _text(stderr))


def run_as_process(argv: list[str], cwd: Path) -> Run:
    env = {key: value for key, value in os.environ.items()
           if key not in ("AMTUI_WORKSPACE", "AMTUI_DEBUG", "PYTEST_CURRENT_TEST")}
    env.update(PYTHONIOENCODING="utf-8", COLUMNS="120")
    result = subprocess.run([sys.executable, "-m", "amtui", *argv], capture_output=True,
                            stdin=subprocess.DEVNULL, env=env, cwd=cwd, timeout=120)
    return Run(result.returncode, result.stdout.decode("utf-8", "replace"),
               result.stderr.decode("utf-8", "replace"))


def check(run: Run, argv: list[str], before: dict[str, bytes], workspace: Path) -> None:
    shown = f"amtui {argv!r}\nstatus {run.status}\nstdout {run.stdout[-2000:]!r}\n" \
            f"stderr {run.stderr[-3000:]}"
    assert "Traceback" not in run.stderr, shown
    assert "this is a bug" not in run.stderr, shown
    assert run.status in (0, 1, 2), shown
    if run.status == 2:
        lines = run.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("amtui: error: "), shown
        assert snapshot_files(workspace) == before, shown


# the tests


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace (the plugins' tables filled too), copied for each example."""
    root = tmp_path_factory.mktemp("fuzz") / "template"
    with process_like_streams():
        assert main(["demo", "--workspace", str(root)]) == 0
    return root


@pytest.fixture
def fuzz_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No workspace or plugins from the machine, HOME and the data folder inside the test,
    the terminal width of a pipe."""
    for name in ("AMTUI_WORKSPACE", "AMTUI_DEBUG", "AMTUI_LOAD_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("COLUMNS", "120")
    return tmp_path


def names_in(workspace: Path) -> list[str]:
    """Names and ids that exist, so that generated commands also get past the lookups."""
    opened = Workspace.open(workspace)
    names: list[str] = []
    for table, field in (("clients", "name"), ("members", "login"), ("members", "name"),
                         ("contacts", "name"), ("notes", "title"), ("tasks", "id"),
                         ("messages", "id"), ("notes", "id"), ("clients", "id"),
                         ("contacts", "id"), ("deals", "id"), ("trash", "record_id")):
        for record, _ in zip(opened.file(table).scan(), range(2), strict=False):
            names.append(str(record[field]))
    names += [name[:20].lower() for name in names if len(name) == 26]  # ids' starts
    return names


@contextmanager
def example_folders(template: Path, base: Path) -> Iterator[tuple[Path, Path]]:
    """A fresh copy of the workspace and an empty scratch folder (the current folder)."""
    scratch = base / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    (scratch / "folder").mkdir()
    (scratch / "file.txt").write_text("a file, not a folder\n")
    (scratch / "plan.toml").write_text('name = "x"\nvalid_from = 2026-11-01\nrole = "kam"\n')
    if os.geteuid() == 0:  # a device like /dev/null, where replacing it does no harm
        os.mknod(scratch / "null-device", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    workspace = base / "ws"
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.copytree(template, workspace)
    previous = Path.cwd()
    os.chdir(scratch)
    try:
        yield workspace, scratch
    finally:
        os.chdir(previous)


def fuzz(template: Path, base: Path, data: st.DataObject, commands: list[Command],
         names: list[str], *, as_process: bool) -> None:
    argv_template = data.draw(invocations(commands, names), label="argv")
    with example_folders(template, base) as (workspace, scratch):
        argv = concrete(argv_template, workspace, scratch)
        if "demo" in argv and "large" in argv:
            argv[argv.index("large")] = "small"  # the large demo takes seconds: left out
        before = snapshot_files(workspace)
        run = run_in_process(argv)
        check(run, argv, before, workspace)
        device = scratch / "null-device"
        if os.geteuid() == 0:
            assert stat.S_ISCHR(device.lstat().st_mode), f"amtui {argv!r} replaced a device"
        if as_process:
            shutil.rmtree(workspace)
            shutil.copytree(template, workspace)
            # The default workspace too: `amtui demo` alone fills it, then refuses to again.
            shutil.rmtree(os.environ["XDG_DATA_HOME"], ignore_errors=True)
            for child in scratch.iterdir():
                if child.name not in ("folder", "file.txt", "plan.toml", "null-device"):
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            process = run_as_process(argv, scratch)
            check(process, argv, before, workspace)
            assert (process.status, masked(process.stdout), masked(process.stderr)) == (
                run.status, masked(run.stdout), masked(run.stderr)), f"amtui {argv!r}"


ULID = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{26}\b")


def masked(text: str) -> str:
    """Output with new record ids blanked (they differ between two runs)."""
    return ULID.sub("<id>", text)


@pytest.fixture
def commands(fuzz_environment: Path) -> list[Command]:
    found = list(commands_of(build_parser(["--", "a-command-only-plugins-could-have"])))
    assert {"add client", "list", "doctor", "plugins new", "calendar export", "done", "edit",
            "move", "assign", "snooze", "delete", "restore", "undo"} <= {
        " ".join(command.words) for command in found}
    return found


FUZZ = settings(max_examples=150, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(data=st.data())
def test_no_command_line_crashes_or_changes_files_on_bad_input(
        template: Path, fuzz_environment: Path, commands: list[Command],
        data: st.DataObject) -> None:
    fuzz(template, fuzz_environment, data, commands, names_in(template), as_process=False)


@settings(FUZZ, max_examples=12)
@given(data=st.data())
def test_a_process_answers_as_the_in_process_run_does(
        template: Path, fuzz_environment: Path, commands: list[Command],
        data: st.DataObject) -> None:
    fuzz(template, fuzz_environment, data, commands, names_in(template), as_process=True)


@pytest.mark.slow
@settings(FUZZ, max_examples=800)
@given(data=st.data())
def test_many_more_command_lines(template: Path, fuzz_environment: Path,
                                 commands: list[Command], data: st.DataObject) -> None:
    fuzz(template, fuzz_environment, data, commands, names_in(template), as_process=False)


@pytest.mark.slow
@settings(FUZZ, max_examples=50)
@given(data=st.data())
def test_many_more_processes(template: Path, fuzz_environment: Path,
                             commands: list[Command], data: st.DataObject) -> None:
    fuzz(template, fuzz_environment, data, commands, names_in(template), as_process=True)


def test_the_in_process_run_sees_the_argv_a_process_gets(
        template: Path, fuzz_environment: Path) -> None:
    """A byte that is not UTF-8 reaches ``main`` as the same lone surrogate either way."""
    word = os.fsdecode(b"Caf\xe9 \xff")
    with example_folders(template, fuzz_environment) as (workspace, scratch):
        argv = ["add", "client", "x", "--industry", word, "--workspace", str(workspace)]
        before = snapshot_files(workspace)
        run = run_in_process(argv)
        process = run_as_process(argv, scratch)
    assert run.status == process.status == 2
    assert run.stderr == process.stderr
    assert "industry" in run.stderr and "not UTF-8" in run.stderr
    assert snapshot_files(workspace) == before
