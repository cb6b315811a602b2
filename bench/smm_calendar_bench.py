"""The content calendar on the large demo workspace (10,000 posts), measured headless with
Textual's Pilot.

    python bench/smm_calendar_bench.py

Prints: the worker's read of every post on the first visit, the switch back to the month view
after the first visit (budget 50 ms, like every pane switch), a cursor step, a month step, a
switch to the week view, and a save (moving a post) as the UI thread sees it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE / ".work" / "calendar-large"


def ensure_workspace() -> Path:
    if not (WORKSPACE / "data" / "smm_calendar" / "posts.json").exists():
        shutil.rmtree(WORKSPACE, ignore_errors=True)
        print("making the large demo workspace with its posts (once)…", flush=True)
        subprocess.run([sys.executable, "-m", "amtui", "demo", "--size", "large", "--seed",
                        "1", "--workspace", str(WORKSPACE)], check=True,
                       stderr=subprocess.DEVNULL)
    return WORKSPACE


def ms(samples: list[float]) -> str:
    return (f"median {statistics.median(samples) * 1000:.1f} ms, "
            f"max {max(samples) * 1000:.1f} ms")


async def presses(pilot: Any, keys: tuple[str, ...]) -> list[float]:
    """The CPU time of each key press and the frame that follows it."""
    timed = []
    for key in keys:
        started = time.process_time()
        await pilot.press(key)
        await pilot.pause()
        timed.append(time.process_time() - started)
    return timed


async def measure(root: Path) -> None:
    from amtui.plugins.host import PluginHost
    from amtui.storage import Workspace
    from amtui.ui.app import AmtuiApp

    workspace = Workspace.open(root)
    os.environ["AMTUI_LOAD_PLUGINS"] = "smm_calendar"  # the calendar alone, as measured
    host = PluginHost.load(root)
    app = AmtuiApp(workspace, plugins=host)
    async with app.run_test(size=(120, 40)) as pilot:
        # Today reads the large workspace first: let it finish, so that its worker's CPU time
        # is not counted below.
        while not getattr(app.screen, "loads_shown", 0):
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        ids = [pane_id for pane_id, _title in app.pane_titles()]
        calendar_key = str(ids.index("calendar") + 1)
        started = time.perf_counter()
        await pilot.press(calendar_key)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.screen
        assert getattr(pane, "PANE_ID", "") == "calendar" and pane.data is not None
        posts = len(pane.data.by_id)
        print(f"first visit: {posts:,} posts read and shown after "
              f"{(time.perf_counter() - started) * 1000:.0f} ms (read in a worker)")
        reads = []
        for _round in range(3):
            started = time.perf_counter()
            pane.read()
            reads.append(time.perf_counter() - started)
        print(f"reading every post (the worker's part, off the UI thread): {ms(reads)}")
        timed = await presses(pilot, ("1", calendar_key) * 8)
        print(f"switch back to the month view (CPU time): {ms(timed[1::2])} (budget 50 ms)")
        timed = await presses(pilot, ("right", "right", "down", "left", "up") * 4)
        print(f"cursor step: {ms(timed)} (budget 16 ms)")
        print(f"month step: {ms(await presses(pilot, ('pagedown', 'pageup') * 4))}")
        timed = await presses(pilot, ("v", "v", "v") * 3)  # week, list, month
        print(f"month → week view: {ms(timed[::3])}")
        await pilot.press("t")
        await pilot.pause()
        day = pane.grid.cursor
        rows = pane.data.on_day(day)
        row = next((item for item in rows if item.status.value != "published"), None)
        if row is not None:
            pane.pick_up(row, copy=False)
            await pilot.pause()
            started = time.thread_time()  # the UI thread's part; the save runs in a worker
            await pilot.press("right", "enter")
            await pilot.pause()
            ui_part = time.thread_time() - started
            wall = time.perf_counter()
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.pause()
            moved = pane.data.by_id[row.id]
            print(f"moving a post: {ui_part * 1000:.1f} ms of UI work on the key, saved and "
                  f"shown {(time.perf_counter() - wall) * 1000:.0f} ms later "
                  f"(on {moved.day}, no re-read of the 10,000 posts)")
            await pilot.press("u")
            await app.workers.wait_for_complete()
            await pilot.pause()


def main() -> int:
    root = ensure_workspace()
    asyncio.run(measure(root))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
