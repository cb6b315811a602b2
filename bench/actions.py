"""An account manager's day, key by key, on the large demo workspace: UI-thread work per action.

    python bench/actions.py [--rounds N] [--size 120x40]

Played on a fresh copy of the large workspace (``workspaces.scratch_copy``: the day saves
changes), headless with Textual's Pilot, the bundled plugins loaded. Each action is one key
press: the CPU time of the UI thread (``time.thread_time()``) from the press until the app has
settled (``amtui.testing.settle``: no worker running, no message waiting). Work done in worker
threads is not counted: it does not hold the keyboard. Every pane, core and the plugins' (keys
1-8), is visited once first; then the same day is played ``--rounds`` times: pane switches,
cursor moves in each list, Today's keys (m, z, ], [, Enter on a message, d then u), the Inbox's
search, filter, message view, new message, reply and snooze, the client card and its forms (new
and edit contact, new and edit deal), the client filter and form, the edit forms, the board's
new task form, task view, filter, moves, delete, undo and swimlanes, the note editor and the
notes' filter, the palette, help and the trash.

Prints every action sorted by its median, with its budget (50 ms for a key, 100 ms for opening a
form, dialog, card, editor or view) and a mark when the median or the slowest is over it; then
the slowest ten; then keys that opened nothing or failed.

Then Today's data after the first frame: on a fresh app in a new process, the wall time from
the first frame drawn to the first frame that shows a section of Today (budget 0.5 s). This is
in-process and headless, not a terminal: a terminal adds the drawing (``first-paint`` in
bench/ui.py's notes measures that).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import scratch_copy  # noqa: E402

KEY, OPEN = 50, 100
"""Budgets in ms of UI-thread work: any key; opening a form, dialog, card, editor or view."""
TODAY_BUDGET = 0.5
"""Seconds from the first frame to Today's data."""
FRESH_RUNS = 5
MOVES = ("down", "up", "pagedown", "end", "home")

Setup = Callable[[Any, Any], Awaitable[None] | None]


@dataclass
class Step:
    """One key press; measured under ``label`` with ``budget`` ms unless ``budget`` is None."""

    label: str
    key: str
    budget: int | None = KEY
    opens: bool = False
    """The key must show another screen (a form, a dialog, a card, a view)."""
    closes: bool = False
    """The key must go back to the pane (with ``within``: to the screen under the one it
    closes)."""
    within: bool = False
    """The key opens or closes a screen over another one (the client card), not over a pane."""


@dataclass
class Results:
    samples: dict[str, list[float]] = field(default_factory=dict)
    budgets: dict[str, int] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    opened: dict[str, str] = field(default_factory=dict)
    drew: dict[str, bool] = field(default_factory=dict)
    """Label → whether the key ever changed what is on the screen (drew a frame)."""
    frames: int = 0
    """Label → the screen the key opened."""


def moves(pane: str) -> list[Step]:
    return [Step(f"{pane}: {key}", key) for key in MOVES]


def typing(pane: str, word: str) -> list[Step]:
    """Typing ``word`` into a search field, each letter one sample."""
    return [Step(f"{pane}: a letter typed in the search", letter) for letter in word]


def erase(word: str) -> list[Step]:
    return [Step("", "backspace", None) for _letter in word]


def open_close(pane: str, key: str, what: str, close: str = "escape",
               within: bool = False) -> list[Step]:
    return [Step(f"{pane}: {key} ({what})", key, OPEN, opens=True, within=within),
            Step(f"{pane}: {close} (close the {what})", close, KEY, closes=True, within=within)]


def in_card(key: str, what: str) -> list[Step | Setup]:
    """A key of the client card that opens a form over it (for a record to edit: the form, or
    the dialog asking which one when there are several, then Enter takes the first), and Esc
    back to the card."""
    card = "client card"
    return [Step(f"{card}: {key} ({what})", key, OPEN, opens=True, within=True),
            through_pick,
            Step(f"{card}: escape (close the {what})", "escape", KEY, closes=True,
                 within=True)]


async def through_pick(app: Any, pilot: Any) -> None:
    """In the dialog asking which record to edit: Enter, the first one (its form opens)."""
    from amtui.testing import settle
    from amtui.ui.ask import PickScreen

    if isinstance(app.screen, PickScreen):
        await pilot.press("enter")
        await settle(pilot)


def on_message(app: Any, _pilot: Any) -> None:
    """Today: the cursor on the first message line (Enter then opens the message view)."""
    pane = app.screen
    agenda = pane.query_one("#agenda")
    for index, option in enumerate(agenda.options):
        item = pane.items.get(option.id) if option.id else None
        if item is not None and item.table == "messages":
            agenda.highlighted = index
            return
    raise LookupError("no message on Today")


def day(titles: list[str]) -> list[Step | Setup]:
    """One round of the day: each pane in turn, its keys, then the app's own."""
    first = "Today"
    steps: list[Step | Setup] = [Step(f"switch to {titles[0]} (1)", "1"), *moves(first),
                                 Step("Today: m (mine / everyone)", "m"),
                                 Step("Today: m (mine / everyone)", "m"),
                                 Step("", "home", None),
                                 Step("Today: z (fold)", "z"), Step("Today: z (fold)", "z"),
                                 Step("Today: ] (next section)", "right_square_bracket"),
                                 Step("Today: [ (previous section)", "left_square_bracket"),
                                 on_message,
                                 *open_close("Today", "enter", "message view"),
                                 Step("Today: d (done)", "d"), Step("Today: u (undo)", "u")]
    word = "счёт"
    steps += [Step(f"switch to {titles[1]} (2)", "2"), *moves("Inbox"),
              Step("Inbox: / (search)", "slash"), *typing("Inbox", word),
              Step("Inbox: escape (leave the search)", "escape"),
              Step("", "slash", None), *erase(word), Step("", "escape", None),
              *open_close("Inbox", "f", "filter"),
              *open_close("Inbox", "enter", "message view"),
              *open_close("Inbox", "n", "new message form"),
              *open_close("Inbox", "a", "reply form"),
              *open_close("Inbox", "z", "snooze dialog")]
    word = "ром"
    steps += [Step(f"switch to {titles[2]} (3)", "3"), *moves("Clients"),
              *open_close("Clients", "enter", "client card"),
              Step("", "enter", None),
              *in_card("c", "new contact form"), *in_card("n", "new deal form"),
              *in_card("C", "contact form, or which contact"),
              *in_card("D", "deal form, or which deal"),
              Step("", "escape", None),
              *open_close("Clients", "f", "filter"),
              *open_close("Clients", "n", "new client form"),
              Step("Clients: / (search)", "slash"), *typing("Clients", word),
              Step("Clients: escape (leave the search)", "escape"),
              Step("", "slash", None), *erase(word), Step("", "escape", None),
              *open_close("Clients", "e", "edit form")]
    steps += [Step(f"switch to {titles[3]} (4)", "4"), *moves("Board"),
              Step("Board: l (column right)", "l"), Step("Board: h (column left)", "h"),
              Step("Board: L (move the card right)", "L"),
              Step("Board: H (move the card left)", "H"),
              *open_close("Board", "e", "edit form"),
              *open_close("Board", "n", "new task form"),
              *open_close("Board", "enter", "task view"),
              *open_close("Board", "slash", "filter"),
              Step("Board: x (delete: the question)", "x", OPEN, opens=True),
              Step("Board: y (the card to the trash)", "y", KEY, closes=True),
              Step("Board: u (undo the delete)", "u"),
              Step("Board: w (swimlanes)", "w"), Step("Board: w (swimlanes)", "w")]
    word = "встреч"
    steps += [Step(f"switch to {titles[4]} (5)", "5"), *moves("Notes"),
              *open_close("Notes", "enter", "note editor"),
              *open_close("Notes", "f", "filter"),
              Step("Notes: / (search)", "slash"), *typing("Notes", word),
              Step("Notes: escape (leave the search)", "escape"),
              Step("", "slash", None), *erase(word), Step("", "escape", None)]
    for number, title in enumerate(titles[5:8], start=6):
        steps += [Step(f"switch to {title} ({number})", str(number)), *moves(title)]
    word = "ром"
    steps += [Step("", "1", None),
              Step("ctrl+p (palette)", "ctrl+p", OPEN, opens=True),
              *[Step("palette: a letter typed", letter) for letter in word],
              Step("palette: escape", "escape", KEY, closes=True),
              *open_close("app", "question_mark", "help"),
              *open_close("app", "f8", "trash")]
    return steps


async def play(app: Any, pilot: Any, steps: list[Step | Setup], results: Results) -> None:
    from amtui.testing import settle
    from amtui.ui.panes.base import PaneScreen

    for step in steps:
        if not isinstance(step, Step):
            try:
                done = step(app, pilot)
                if done is not None:
                    await done
            except Exception as error:  # a bench reports it and goes on
                results.problems[getattr(step, "__name__", "setup")] = repr(error)
            continue
        before, frames = app.screen, results.frames
        started = time.thread_time()
        try:
            await pilot.press(step.key)
            await settle(pilot)
        except Exception as error:  # a bench reports it and goes on
            results.problems[step.label or step.key] = f"failed: {error!r}"
            await settle(pilot)
            continue
        spent = time.thread_time() - started
        if step.budget is None:
            continue
        results.samples.setdefault(step.label, []).append(spent)
        results.budgets[step.label] = step.budget
        results.drew[step.label] = results.drew.get(step.label, False) or (
            results.frames > frames)
        shown = app.screen
        if step.opens and (shown is before or isinstance(shown, PaneScreen)):
            results.problems[step.label] = f"opened nothing (still {type(shown).__name__})"
        elif step.closes and step.within and (shown is before or isinstance(shown, PaneScreen)):
            results.problems[step.label] = f"did not go back (now {type(shown).__name__})"
        elif step.closes and not step.within and not isinstance(shown, PaneScreen):
            results.problems[step.label] = f"did not close (still {type(shown).__name__})"
            while not isinstance(app.screen, PaneScreen) and len(app.screen_stack) > 1:
                app.pop_screen()
                await settle(pilot)
        elif step.opens:
            results.opened[step.label] = type(shown).__name__


async def measure(workspace_path: Path, rounds: int, size: tuple[int, int]) -> Results:
    from amtui.plugins.host import PluginHost
    from amtui.storage import Workspace
    from amtui.testing import settle
    from amtui.ui.app import AmtuiApp

    app = AmtuiApp(Workspace.open(workspace_path), plugins=PluginHost.load(workspace_path))
    titles = [title for _pane, title in app.pane_titles()]
    results = Results()
    first_visits = Results()
    display = app._display

    def counting(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            results.frames += 1

    app._display = counting  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await play(app, pilot, [Step(f"first visit: {title} ({number})", str(number), None)
                                for number, title in enumerate(titles[1:8], start=2)],
                   first_visits)
        for _round in range(rounds):
            await play(app, pilot, day(titles), results)
    return results


def report(results: Results, rounds: int) -> None:
    rows = sorted(((statistics.median(samples) * 1000, max(samples) * 1000,
                    f"{label} -> {results.opened[label]}" if label in results.opened else label)
                   for label, samples in results.samples.items()), reverse=True)
    budgets = {shown: results.budgets[label] for label, shown in
               zip(results.samples, (f"{label} -> {results.opened[label]}"
                                     if label in results.opened else label
                                     for label in results.samples), strict=True)}
    width = max(len(label) for *_times, label in rows)
    print(f"UI-thread work per action, {rounds} rounds (ms; budget 50 for a key, 100 for "
          "opening a form, dialog, card, editor or view)")
    print(f"{'action':<{width}}  median     max  budget")
    for median, most, label in rows:
        budget = budgets[label]
        mark = "  OVER" if median > budget else "  (max over)" if most > budget else ""
        print(f"{label:<{width}}  {median:6.1f}  {most:6.1f}  {budget:6d}{mark}")
    print()
    print("the slowest ten (median, max, budget):")
    for median, most, label in rows[:10]:
        budget = budgets[label]
        mark = " OVER" if median > budget else ""
        print(f"  {median:6.1f} {most:6.1f} {budget:4d}{mark}  {label}")
    over = sum(median > budgets[label] for median, _most, label in rows)
    print(f"{over} of {len(rows)} actions over their budget (median)")
    problems = dict(results.problems)
    for label, drew in results.drew.items():
        if not drew:
            problems.setdefault(label, "changed nothing on the screen in any round")
    print("keys that failed or did nothing:" if problems else "every key did something")
    for label, problem in problems.items():
        print(f"  {label}: {problem}")


FRESH = '''
import asyncio, json, sys, time
from pathlib import Path

async def main(path):
    from amtui.plugins.host import PluginHost
    from amtui.storage import Workspace
    from amtui.ui.app import AmtuiApp

    app = AmtuiApp(Workspace.open(path), plugins=PluginHost.load(path))
    frames = []

    def shows_data():
        screen = app.screen
        if getattr(screen, "PANE_ID", None) != "today":
            return False
        agenda = screen.query("#agenda")
        return bool(agenda) and any((option.id or "").startswith("section:")
                                    for option in agenda.first().options)

    display = app._display

    def recording(screen, renderable):
        display(screen, renderable)
        if renderable is not None:
            frames.append((time.perf_counter(), shows_data()))

    app._display = recording
    async with app.run_test(size=(%d, %d)) as pilot:
        while not any(shown for _at, shown in frames):
            await pilot.pause()
    first = frames[0][0]
    data = next(at for at, shown in frames if shown)
    print(json.dumps(data - first))

asyncio.run(main(Path(sys.argv[1])))
'''


def today_after_first_frame(workspace_path: Path, size: tuple[int, int]) -> None:
    """Fresh processes: seconds from the first frame to the first frame with Today's data."""
    seconds = []
    for _run in range(FRESH_RUNS):
        done = subprocess.run([sys.executable, "-c", FRESH % size, str(workspace_path)],
                              capture_output=True, text=True, check=True)
        seconds.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"Today's data after the first frame (fresh app, in-process headless Pilot, not a "
          f"terminal; wall time, {FRESH_RUNS} runs): median {statistics.median(seconds):.2f} s, "
          f"max {max(seconds):.2f} s (budget {TODAY_BUDGET} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.split("x"))
    workspace = scratch_copy("large")
    results = asyncio.run(measure(workspace, args.rounds, (columns, rows)))
    report(results, args.rounds)
    print()
    today_after_first_frame(workspace, (columns, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
