"""Forms and help over a pane, the pane dimmed under them, and the palette: UI-thread work to
open each, and to draw the dimmed pane once, with amtui's drawing (``light.DimmedScreen``: each
style tinted once) and with Textual's (``BackgroundScreen``: each piece of text tinted through
Rich).

    python bench/modal_dimming.py [--rounds 3] [--before TREE]

Each round opens a fresh app in a new process (120x40), on a scratch copy of the large
workspace, and opens then closes each screen three times, timing each opening by the UI
thread's CPU time until the app has settled; with the screen open, the dimmed pane is drawn
20 times. The variants take turns. ``--before TREE`` adds the code in another checkout (its
``src`` first on ``PYTHONPATH``), played the same way.
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
from textual._context import visible_screen_stack
from textual.visual import Visual, visualize
from workspaces import user_app
from amtui.testing import settle
workspace, textuals = Path(sys.argv[2]), sys.argv[3] == "textual"
if textuals:
    from amtui.ui.widgets import light
    light.LightScreen.render = lambda self: super(light.LightScreen, self).render()

SCREENS = (("3", "e", "Clients: e (edit form)"), ("2", "n", "Inbox: n (new message form)"),
           ("2", "question_mark", "Inbox: ? (help)"), ("1", "ctrl+p", "Today: ctrl+p (palette)"))

async def main():
    app = user_app(workspace)
    times = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for pane, key, label in SCREENS:
            await pilot.press(pane)
            await settle(pilot)
            for _time in range(3):
                started = time.thread_time()
                await pilot.press(key)
                await settle(pilot)
                times.setdefault(label, []).append(time.thread_time() - started)
                if key == "ctrl+p":  # over a plain background
                    await pilot.press("escape")
                    await settle(pilot)
                    continue
                screen, below = app.screen, app.screen_stack[-2]
                width, height = screen.size
                started = time.thread_time()
                for _draw in range(20):
                    visible_screen_stack.set([below])  # Screen.render takes it off
                    drawn = visualize(screen, screen.render())
                    Visual.to_strips(screen, drawn, width, height, screen.visual_style)
                times.setdefault(label + ": the dimmed pane drawn", []).append(
                    (time.thread_time() - started) / 20)
                await pilot.press("escape")
                await settle(pilot)
    print(json.dumps(times))

asyncio.run(main())
'''


def play(variant: str, workspace: Path, tree: Path) -> dict[str, list[float]]:
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
            for label, seconds in play(name, workspace, tree).items():
                samples[name].setdefault(label, []).extend(seconds)
    labels = list(samples["amtui's"])
    width = max(map(len, labels))
    print(f"UI-thread ms, medians of {args.rounds} fresh apps x 3 openings, 120x40")
    print(f"{'':<{width}}" + "".join(f"{name:>11}" for name in trees))
    for label in labels:
        print(f"{label:<{width}}" + "".join(
            f"{statistics.median(samples[name][label]) * 1000:11.1f}" for name in trees))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
