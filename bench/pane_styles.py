"""The first visit to each pane, and the first return to Today: UI-thread work with amtui's
styling (a pane styled once, as it is made: ``AmtuiApp.refresh_css``) and with Textual's (all
CSS parsed again and every screen shown styled again when a mode's screen is first shown).

    python bench/pane_styles.py [--rounds 3] [--before TREE]

Each round opens a fresh app in a new process, on a scratch copy of the large workspace, and
presses 2, 3, … (every pane once) then 1, timing each key by the UI thread's CPU time until the
app has settled. The variants take turns. ``--before TREE`` adds a third: the code in another
checkout (its ``src`` first on ``PYTHONPATH``), played the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import scratch_copy  # noqa: E402

PLAY = '''
import asyncio, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from workspaces import user_app
from amtui.testing import settle
workspace, textuals = Path(sys.argv[2]), sys.argv[3] == "textual"
if textuals:
    from textual.app import App
    from amtui.ui.app import AmtuiApp
    AmtuiApp.refresh_css = App.refresh_css

async def main():
    app = user_app(workspace)
    times = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in [*"23456789"[:len(app.panes) - 1], "1"]:
            started = time.thread_time()
            await pilot.press(key)
            await settle(pilot)
            times[key] = time.thread_time() - started
    print(json.dumps(times))

asyncio.run(main())
'''


def play(variant: str, workspace: Path, tree: Path) -> dict[str, float]:
    environment = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run([sys.executable, "-c", PLAY, str(HERE), str(workspace),
                           "textual" if variant == "Textual's" else "amtui"],
                          env=environment, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path)
    args = parser.parse_args()
    workspace = scratch_copy("large")
    trees = {"amtui's": HERE.parent, "Textual's": HERE.parent}
    if args.before:
        trees["before"] = args.before.resolve()
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in trees}
    for _round in range(args.rounds):
        for name, tree in trees.items():
            for key, seconds in play(name, workspace, tree).items():
                samples[name].setdefault(key, []).append(seconds)
    keys = list(samples["amtui's"])
    print(f"UI-thread ms per key, median of {args.rounds} fresh apps (first visits, then the "
          "first return to Today: 1)")
    print("key   " + "".join(f"{name:>11}" for name in trees))
    for key in keys:
        print(f"{key:<6}" + "".join(f"{statistics.median(samples[name][key]) * 1000:11.0f}"
                                    for name in trees))
    print("sum   " + "".join(
        f"{sum(statistics.median(samples[name][key]) for key in keys) * 1000:11.0f}"
        for name in trees))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
