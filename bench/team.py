"""The Team pane (plugins/kam_team) on the large demo workspace, measured headless with
Textual's Pilot:

    python bench/team.py

Prints the work of the first visit (the UI thread's, and when the figures are shown: they are
read and computed in a worker), the pane switch after the first visit with each of its views
shown (budget 50 ms), the first view of the KPIs (the chart's module is imported in a worker),
and one key press that marks an account key.

The workspace is ``bench/.work/team-large``: ``amtui demo --size large`` with the plugin's
demo data, made once.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# This folder is not a package of modules to import (its calendar.py would hide Python's).
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
WORKSPACE = HERE / ".work" / "team-large"
PLUGIN = "kam_team"


def ensure_workspace() -> Path:
    if not (WORKSPACE / "data" / PLUGIN / "kam_account_history.json").exists():
        import shutil

        shutil.rmtree(WORKSPACE, ignore_errors=True)
        print("making the large demo workspace with the team's data (once)…", flush=True)
        subprocess.run([sys.executable, "-m", "amtui", "demo", "--size", "large", "--seed", "1",
                        "--workspace", str(WORKSPACE)], check=True, stderr=subprocess.DEVNULL,
                       env={**os.environ, "AMTUI_LOAD_PLUGINS": PLUGIN})
    return WORKSPACE


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


async def measure(root: Path) -> None:
    os.environ["AMTUI_LOAD_PLUGINS"] = PLUGIN
    from amtui.plugins.host import PluginHost
    from amtui.storage import Workspace
    from amtui.ui.app import AmtuiApp

    host = PluginHost.load(root)
    workspace = Workspace.open(root)
    app = AmtuiApp(workspace, pane="today", plugins=host)
    team_key = str([pane_id for pane_id, _title in app.pane_titles()].index("team") + 1)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()

        started, wall = time.thread_time(), time.perf_counter()
        await pilot.press(team_key)
        await pilot.pause()
        first = time.thread_time() - started
        screen = app.screen
        while not getattr(screen, "loads_shown", 0):
            await app.workers.wait_for_complete()
            await pilot.pause()
        shown = time.perf_counter() - wall
        print(f"first visit: {ms(first)} of UI work to show the pane; the figures shown after "
              f"{shown * 1000:.0f} ms (read and computed in a worker: 10,000 clients, 50,000 "
              "tasks, 20,000 messages)")

        started = time.thread_time()
        await pilot.press("i")
        await pilot.pause()
        kpi_ui = time.thread_time() - started
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(f"first look at the KPIs: {ms(kpi_ui)} of UI work (the chart's module is "
              "imported in a worker, then drawn)")

        for view in ("t", "a", "g", "i"):
            await pilot.press(view)
            await app.workers.wait_for_complete()
            await pilot.pause()
            switches = []
            for _round in range(10):
                for key in ("1", team_key):
                    started = time.process_time()
                    await pilot.press(key)
                    await pilot.pause()
                    if key == team_key:
                        switches.append(time.process_time() - started)
            print(f"switch to the pane after the first visit, view {view!r} shown (CPU time): "
                  f"median {ms(statistics.median(switches))}, max {ms(max(switches))} "
                  "(budget 50 ms)")

        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        started = time.thread_time()
        await pilot.press("K")
        await pilot.pause()
        key_ui = time.thread_time() - started
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("K")  # and back
        await app.workers.wait_for_complete()
        print(f"K (mark an account key): {ms(key_ui)} of UI work (saved and read again in "
              "workers)")


def main() -> int:
    asyncio.run(measure(ensure_workspace()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
