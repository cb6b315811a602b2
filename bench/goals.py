"""The goals of "cost that grows with open work" in one table: figure, goal, measured, pass.

    python bench/goals.py [--rounds N] [--apps N] [--quick]

On the large demo workspace (10,000 clients, 50,000 tasks, 20,000 messages) and one twice its
size (bench/.work/2xlarge, made once), the app built as ``amtui`` builds it, the bundled
plugins loaded:

- Today's data on screen: in a real terminal (tmux, 120x40), the wall time from launch until
  Today's first section line ("▾ …") is on screen, against a bare Textual app (Header, one
  Static, Footer) launched the same way; pairs in turns, the median of their ratios;
- ``amtui today`` against Taskwarrior's ``task next`` holding 50,000 tasks, and ``amtui add
  task`` against ``task add`` (Taskwarrior set up as bench/run.py does; installed with apt-get
  when missing); CPU time of the whole process (user + system), the median of the rounds;
- peak memory (VmHWM) after opening every pane once, the plugins' too, against the bare app;
- the UI thread's CPU time to open the palette (ctrl+p on Today), and a client card of a
  client with 500 records;
- one change made elsewhere: ``--apps`` apps (default 10) open headless on one workspace, on
  each pane in turn, the workspace watched as always; one ``amtui add task`` from outside; each
  app's CPU time (/proc) until it is idle again, less what it spends idle in as long; the
  worst app is the figure.

Ratios come from one run: the machine's load moves both sides of a pair alike. Benches that
save work on copies (bench/.work/scratch-*). ``--quick``: 1 round and 3 apps.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import ensure_workspace, scratch_copy  # noqa: E402


@dataclass(frozen=True)
class Goal:
    key: str
    figure: str
    limit: float
    unit: str
    """"x" for a ratio, "ms" for milliseconds."""

    @property
    def goal(self) -> str:
        return f"<= {self.limit:.1f}x" if self.unit == "x" else f"<= {self.limit:g} ms"


GOALS = (
    Goal("paint", "Today's data on screen / bare Textual, large", 1.6, "x"),
    Goal("paint-2x", "Today's data on screen, 2x large / large", 1.1, "x"),
    Goal("today", "amtui today / task next, 50k tasks (CPU)", 1.0, "x"),
    Goal("today-2x", "amtui today, 2x large / large (CPU)", 1.1, "x"),
    Goal("add", "amtui add task / task add, 50k tasks (CPU)", 0.8, "x"),
    Goal("add-flat", "amtui add task, 2x large / small (CPU)", 1.1, "x"),
    Goal("memory", "peak memory, every pane once / bare Textual", 3.0, "x"),
    Goal("palette", "palette open, UI-thread work, large", 100, "ms"),
    Goal("card", "client card, 500 records, UI-thread work", 100, "ms"),
    Goal("elsewhere", "a change elsewhere: CPU of an open app, worst", 50, "ms"),
)


@dataclass(frozen=True)
class Measured:
    value: float | None
    """The figure (a ratio, or ms); None when it could not be measured."""
    detail: str = ""
    """What it is made of, printed under the table."""


def table(results: dict[str, Measured]) -> str:
    """One line per goal: figure, goal, measured, pass or FAIL (or "—" if not measured)."""
    rows = [("figure", "goal", "measured", "pass")]
    for goal in GOALS:
        measured = results.get(goal.key, Measured(None, "not measured"))
        if measured.value is None:
            rows.append((goal.figure, goal.goal, "—", "—"))
            continue
        shown = (f"{measured.value:.2f}x" if goal.unit == "x" else f"{measured.value:.0f} ms")
        rows.append((goal.figure, goal.goal, shown,
                     "pass" if measured.value <= goal.limit else "FAIL"))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [" | ".join(cell.ljust(width) if column < 2 else cell.rjust(width)
                        for column, (cell, width) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    details = [f"  {goal.key}: {results[goal.key].detail}" for goal in GOALS
               if goal.key in results and results[goal.key].detail]
    return "\n".join([*lines, *(["", "details:"] if details else []), *details])


def ratio(ours: list[float], theirs: list[float]) -> float:
    """The median of the ratios of pairs measured one after the other."""
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.0f} ms"


def amtui_command() -> list[str]:
    script = Path(sys.executable).with_name("amtui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "amtui"]


# Today's data on screen, in a real terminal

HELLO = '''
from textual.app import App
from textual.widgets import Header, Footer, Static
class Hello(App):
    def compose(self):
        yield Header(); yield Static("HELLO-READY"); yield Footer()
Hello().run()
'''
SECTION = "▾ "
"""What Today's first section line starts with (an unfolded section's title)."""


class Terminal:
    """tmux on a server of its own: the time from launch until a text is on screen."""

    def __init__(self, size: str = "120x40", limit: float = 120.0) -> None:
        self.socket = f"amtui-bench-{os.getpid()}"
        self.size, self.limit = size.split("x"), limit

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=False)

    def paint(self, command: list[str], expect: str) -> float:
        name = "p" + uuid.uuid4().hex[:8]
        started = time.perf_counter()
        self.tmux("new-session", "-d", "-s", name, "-x", self.size[0], "-y", self.size[1],
                  shlex.join(command))
        try:
            while time.perf_counter() - started < self.limit:
                if expect in self.tmux("capture-pane", "-p", "-t", name).stdout:
                    return time.perf_counter() - started
                time.sleep(0.003)
            raise TimeoutError(f"{expect!r} not on screen after {self.limit:.0f} s: {command}")
        finally:
            self.tmux("kill-session", "-t", name)
            time.sleep(0.15)

    def close(self) -> None:
        self.tmux("kill-server")


def measure_paint(large: Path, double: Path, rounds: int) -> dict[str, Measured]:
    terminal = Terminal()
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as hello:
        hello.write(HELLO)
    bare: list[float] = []
    ours: list[float] = []
    twice: list[float] = []
    try:
        for round_number in range(rounds + 1):  # the first round warms the caches
            times = (terminal.paint([sys.executable, hello.name], "HELLO-READY"),
                     terminal.paint([*amtui_command(), "--workspace", str(large)], SECTION),
                     terminal.paint([*amtui_command(), "--workspace", str(double)], SECTION))
            if round_number:
                for samples, seconds in zip((bare, ours, twice), times, strict=True):
                    samples.append(seconds)
    finally:
        terminal.close()
        os.unlink(hello.name)
    return {
        "paint": Measured(ratio(ours, bare), f"large {ms(ours)}, bare Textual {ms(bare)} "
                                             f"(wall, to Today's first section line)"),
        "paint-2x": Measured(ratio(twice, ours), f"2x large {ms(twice)}, large {ms(ours)}"),
    }


# Whole commands: CPU time of the process

def cpu_seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    """The user and system CPU time of running ``command`` to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def rounds_of(rounds: int, *commands: Callable[[int], float]) -> list[list[float]]:
    """Each command's samples: every round runs them all in turn. (No round is left out to
    warm the page cache: the workspaces were just copied, and CPU time leaves out the disk.)"""
    samples: list[list[float]] = [[] for _command in commands]
    for round_number in range(rounds):
        for kept, command in zip(samples, commands, strict=True):
            kept.append(command(round_number))
    return samples


def measure_commands(workspaces: dict[str, Path], rounds: int) -> dict[str, Measured]:
    import orjson
    from run import TASKS, ensure_taskwarrior, taskwarrior_with_tasks

    task = ensure_taskwarrior()
    taskwarrior = {**os.environ, **taskwarrior_with_tasks(TASKS)}
    amtui = amtui_command()

    def today(size: str) -> Callable[[int], float]:
        return lambda _round: cpu_seconds([*amtui, "today", "--workspace",
                                           str(workspaces[size])])

    for size in ("large", "2xlarge"):  # untimed: the first run makes the record index
        today(size)(0)

    ours, twice, theirs = rounds_of(
        rounds, today("large"), today("2xlarge"),
        lambda _round: cpu_seconds([task, "next"], taskwarrior))
    results = {
        "today": Measured(ratio(ours, theirs),
                          f"amtui today {ms(ours)}, task next {ms(theirs)} (CPU)"),
        "today-2x": Measured(ratio(twice, ours), f"2x large {ms(twice)}, large {ms(ours)}"),
    }

    def add(size: str) -> Callable[[int], float]:
        path = workspaces[size]
        clients = orjson.loads((path / "data" / "clients.json").read_bytes())["clients"]
        client_id = next(iter(clients))
        return lambda round_number: cpu_seconds(
            [*amtui, "add", "task", f"Согласовать баннеры {round_number}", "--client", client_id,
             "--due", "2026-12-01", "--workspace", str(path)])

    small, large, double, theirs = rounds_of(
        rounds, add("small"), add("large"), add("2xlarge"),
        lambda round_number: cpu_seconds([task, "add", f"Согласовать баннеры {round_number}",
                                          "project:bench", "due:2026-12-01"], taskwarrior))
    results["add"] = Measured(ratio(large, theirs),
                              f"amtui add task {ms(large)}, task add {ms(theirs)} (CPU)")
    results["add-flat"] = Measured(ratio(double, small), f"small {ms(small)}, large "
                                                         f"{ms(large)}, 2x large {ms(double)}")
    return results


# Memory

def measure_memory(large: Path) -> dict[str, Measured]:
    from ui import BARE, VISITS

    def peak(*command: str) -> int:
        done = subprocess.run([sys.executable, "-c", *command], capture_output=True, text=True,
                              check=True)
        return int(done.stdout.strip().splitlines()[-1])

    ours, bare = peak(VISITS, str(large), str(HERE)), peak(BARE)
    return {"memory": Measured(ours / bare, f"amtui {ours / 1024:.0f} MiB, bare Textual "
                                            f"{bare / 1024:.0f} MiB (peak RSS)")}


# The palette and the client card, in one app

CARD_RECORDS = 500


def busy_client(path: Path, records: int = CARD_RECORDS) -> str:
    """A client of ``path`` given tasks, messages and notes up to ``records`` records of its
    own (contacts and deals counted); its id."""
    from amtui.models import Client, Contact, Member
    from amtui.services.demo import DemoBuilder
    from amtui.storage import Workspace

    workspace = Workspace.open(path)
    client = next(client for client in workspace.repo(Client).all()
                  if client.status == "active")
    own = sum(1 for table in ("tasks", "messages", "notes", "contacts", "deals")
              for raw in workspace.file(table).scan() if raw.get("client_id") == client.id)
    missing = max(0, records - own)
    settings = workspace.settings
    builder = DemoBuilder(7, workspace.clock(), settings.departments, settings.columns, settings)
    contacts = [contact for contact in workspace.repo(Contact).all()
                if contact.client_id == client.id]
    members = workspace.repo(Member).all()
    messages = builder.messages(missing * 2 // 5, [client], contacts, members)
    tasks = builder.tasks(missing * 2 // 5, [client], messages)
    notes = builder.notes(missing - len(messages) - len(tasks), [client], members)
    for made in (messages, tasks, notes):
        workspace.repo(type(made[0])).add_many(made)  # type: ignore[arg-type]
    return client.id


async def in_app(path: Path, client_id: str, rounds: int) -> tuple[list[float], list[float],
                                                                       dict[str, str]]:
    from actions import KEY, OPEN, Results, Step, play
    from screens import opening
    from workspaces import user_app

    from amtui.testing import settle
    from amtui.ui.client_card import ClientCard

    app = user_app(path)
    results = Results()
    cards = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await play(app, pilot, [Step("ctrl+p", "ctrl+p", OPEN, opens=True),
                                Step("escape", "escape", KEY, closes=True)] * rounds, results)
        for _round in range(rounds):
            cards.append(await opening(
                app, pilot, lambda: app.open_record("clients", client_id),
                lambda: isinstance(app.screen, ClientCard) and app.screen.details is not None))
    return results.samples.get("ctrl+p", []), cards, results.problems


def measure_in_app(path: Path, client_id: str, rounds: int) -> dict[str, Measured]:
    palette, cards, problems = asyncio.run(in_app(path, client_id, rounds))
    said = f"; {'; '.join(f'{key}: {problem}' for key, problem in problems.items())}"
    return {
        "palette": Measured(statistics.median(palette) * 1000 if palette else None,
                            f"median of {len(palette)} (max {max(palette, default=0) * 1000:.0f} "
                            f"ms){said if problems else ''}"),
        "card": Measured(statistics.median(cards) * 1000,
                         f"median of {len(cards)} openings (max {max(cards) * 1000:.0f} ms), "
                         f"the card's records read in a worker"),
    }


# A change made elsewhere, with several apps open

OPEN_APP = '''
import asyncio, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from workspaces import user_app
from amtui.testing import settle

async def main():
    app = user_app(Path(sys.argv[1]), pane=sys.argv[2])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
'''
"""One open app, headless, on a pane: says "ready" once it has settled, ends with its stdin."""
TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float:
    """A process's user and system CPU seconds so far, all its threads (/proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


@contextmanager
def open_apps(path: Path, panes: list[str]) -> Iterator[list[subprocess.Popen[str]]]:
    apps = [subprocess.Popen([sys.executable, "-c", OPEN_APP, str(path), pane, str(HERE)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True) for pane in panes]
    try:
        for app in apps:
            assert app.stdout is not None
            if app.stdout.readline().strip() != "ready":
                raise RuntimeError(f"an app on {panes[apps.index(app)]} did not start")
        yield apps
    finally:
        for app in apps:
            if app.stdin is not None:
                app.stdin.close()
        for app in apps:
            try:
                app.wait(timeout=30)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()


def measure_elsewhere(path: Path, count: int) -> dict[str, Measured]:
    from amtui.plugins.host import PluginHost
    from amtui.ui.pane_ids import panes_with_plugins

    pane_ids = [info.id for info in panes_with_plugins(PluginHost.load(path))]
    panes = [pane_ids[index % len(pane_ids)] for index in range(count)]
    idle_seconds, quiet_seconds = 6.0, 3.0
    with open_apps(path, panes) as apps:
        pids = [app.pid for app in apps]
        time.sleep(3)  # the last timers of the start
        before, started = [cpu_of(pid) for pid in pids], time.perf_counter()
        time.sleep(idle_seconds)
        idle = [(cpu_of(pid) - spent) / (time.perf_counter() - started)
                for pid, spent in zip(pids, before, strict=True)]
        before, started = [cpu_of(pid) for pid in pids], time.perf_counter()
        subprocess.run([*amtui_command(), "add", "task", "Проверить макеты", "--workspace",
                        str(path)], check=True, stdout=subprocess.DEVNULL)
        # Until no app has worked more than it does idle for quiet_seconds (the apps look for
        # changes every 2 s and read in workers), at most two minutes.
        last, quiet_since = before, time.perf_counter()
        while time.perf_counter() - started < 120:
            time.sleep(0.5)
            now = [cpu_of(pid) for pid in pids]
            if any(after - earlier > 0.02 for after, earlier in zip(now, last, strict=True)):
                quiet_since = time.perf_counter()
            last = now
            if time.perf_counter() - quiet_since >= quiet_seconds and \
                    time.perf_counter() - started >= 2 * quiet_seconds:
                break
        elapsed = time.perf_counter() - started
    costs = [max(0.0, after - spent - rate * elapsed)
             for after, spent, rate in zip(last, before, idle, strict=True)]
    by_pane = ", ".join(f"{pane} {cost * 1000:.0f}" for pane, cost in zip(panes, costs,
                                                                           strict=True))
    return {"elsewhere": Measured(max(costs) * 1000, f"{count} apps, ms each: {by_pane} "
                                                     f"(idle {statistics.median(idle) * 1000:.0f}"
                                                     " ms/s less)")}


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--apps", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="1 round, 3 apps")
    args = parser.parse_args()
    rounds, apps = (1, 3) if args.quick else (args.rounds, args.apps)
    large, double = ensure_workspace("large"), ensure_workspace("2xlarge")
    results: dict[str, Measured] = {}
    steps: list[tuple[str, Callable[[], dict[str, Measured]]]] = [
        ("Today's data on screen", lambda: measure_paint(large, double, rounds)),
        ("memory", lambda: measure_memory(large)),
    ]
    scratch = {size: scratch_copy(size) for size in ("small", "large", "2xlarge")}
    steps += [
        ("amtui today, amtui add task", lambda: measure_commands(scratch, rounds)),
        ("palette, client card",
         lambda: measure_in_app(scratch["large"], busy_client(scratch["large"]), rounds)),
        ("a change elsewhere", lambda: measure_elsewhere(scratch["large"], apps)),
    ]
    for what, step in steps:
        say(what)
        try:
            results.update(step())
        except Exception as error:  # a bench reports what it could not measure and goes on
            say(f"{what}: not measured: {error!r}")
    print(f"Goals of 'cost that grows with open work' ({rounds} rounds, medians; "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
