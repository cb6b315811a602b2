"""Before and after: bench/actions.py's day played by another checkout and by this one, taking
turns, on one fresh copy of the large demo workspace; prints each action's medians and their ratio.

    python bench/compare.py BEFORE [--runs 2] [--rounds 2] [--size 120x40]

``BEFORE`` is a checkout of the code to compare with (``git worktree add --detach /tmp/before
main``); its ``src`` is put first on ``PYTHONPATH`` in its runs, so this venv runs it. The runs
alternate (before, after, before, after…) so that a shared machine's load weighs on both
alike: compare the ratios, not the milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import scratch_copy  # noqa: E402

PLAY = '''
import asyncio, json, sys
from pathlib import Path
tree, workspace, rounds, size, out = sys.argv[1:6]
sys.path.insert(0, str(Path(tree) / "bench"))
import actions
import amtui
assert Path(amtui.__file__).resolve().is_relative_to(Path(tree).resolve()), amtui.__file__
columns, rows = (int(part) for part in size.split("x"))
results = asyncio.run(actions.measure(Path(workspace), int(rounds), (columns, rows)))
Path(out).write_text(json.dumps({"samples": results.samples, "budgets": results.budgets}))
'''

Samples = dict[str, list[float]]


def play(tree: Path, workspace: Path, rounds: int, size: str) -> tuple[Samples, dict[str, int]]:
    """The day played once by the code in ``tree``: samples and budgets by action."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        environment = {**os.environ, "PYTHONPATH": str(tree / "src")}
        subprocess.run([sys.executable, "-c", PLAY, str(tree), str(workspace), str(rounds), size,
                        out.name], check=True, env=environment)
        played = json.loads(Path(out.name).read_text())
    return played["samples"], played["budgets"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    workspace = scratch_copy("large")
    trees = {"before": args.before.resolve(), "after": HERE.parent}
    samples: dict[str, Samples] = {"before": {}, "after": {}}
    budgets: dict[str, int] = {}
    for _run in range(args.runs):
        for name, tree in trees.items():
            played, budgets_played = play(tree, workspace, args.rounds, args.size)
            budgets.update(budgets_played)
            for label, times in played.items():
                samples[name].setdefault(label, []).extend(times)
    medians = {name: {label: statistics.median(times) * 1000 for label, times in by.items()}
               for name, by in samples.items()}
    after, before = medians["after"], medians["before"]
    width = max(len(label) for label in after)
    print(f"UI-thread work per action, median ms of {args.runs} runs × {args.rounds} rounds "
          "each, the runs taking turns")
    print(f"{'action':<{width}}  before   after  ratio  budget")
    for label in sorted(after, key=after.__getitem__, reverse=True):
        then = before.get(label, float("nan"))
        mark = "  OVER" if after[label] > budgets[label] else ""
        print(f"{label:<{width}}  {then:6.1f}  {after[label]:6.1f}  {after[label] / then:5.2f}"
              f"  {budgets[label]:6d}{mark}")
    for name, by in medians.items():
        over = sum(median > budgets[label] for label, median in by.items())
        print(f"{name}: {over} of {len(by)} actions over their budget (median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
