"""What one change made elsewhere costs an open app: the CPU time of one app (headless, on
one pane, the bundled plugins loaded) after one ``amtui add task`` from another process, on a
scratch copy of the large demo workspace, until it has read and drawn what changed.

    python bench/change_elsewhere.py PANE [PANE ...]

One app at a time, so a pane's figure is its own (bench/goals.py measures ten at once). The
process's own CPU (``os.times``, 10 ms ticks): run it a few times and with the code before a
change, close together in time.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import scratch_copy, user_app  # noqa: E402

from amtui.testing import settle  # noqa: E402

SETTLE_SECONDS = 3.0
"""After the app has settled, for its start's last timers."""
READ_SECONDS = 6.0
"""After the change, for the app to see it (it looks every 2 s) and read it in a worker."""


def cpu() -> float:
    times = os.times()
    return times.user + times.system


async def change_cost(path: Path, pane: str) -> float:
    """Seconds of CPU the app on ``pane`` spent on one task added by another process."""
    app = user_app(path, pane=pane)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await asyncio.sleep(SETTLE_SECONDS)
        subprocess.run([str(Path(sys.executable).with_name("amtui")), "add", "task",
                        "Проверить макеты", "--workspace", str(path)],
                       check=True, stdout=subprocess.DEVNULL)
        before = cpu()
        await asyncio.sleep(READ_SECONDS)
        await settle(pilot)
        return cpu() - before


def main() -> int:
    for pane in sys.argv[1:] or ["today", "inbox", "board", "team"]:
        cost = asyncio.run(change_cost(scratch_copy("large"), pane))
        print(f"{pane:<10} {cost * 1000:6.0f} ms of CPU after one change made elsewhere",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
