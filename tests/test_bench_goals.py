"""``bench/goals.py`` prints one line per goal of the issue, with its figure, goal, measured
value and whether it passes; the benchmark itself is run by ``make bench``, never by the tests.
Here its table is fed made-up measurements."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def goals() -> ModuleType:
    path = list(sys.path)
    try:
        spec = importlib.util.spec_from_file_location("bench_goals", BENCH / "goals.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # for its dataclasses
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = path  # goals.py puts bench/ first, for its neighbours
    return module


def rows(text: str) -> list[list[str]]:
    """The table's lines (not its rule, not the details under it), split into cells."""
    table = text.split("\n\n")[0].splitlines()
    return [[cell.strip() for cell in line.split(" | ")] for line in table if " | " in line]


def test_one_line_per_goal_with_its_measure_and_verdict(goals: ModuleType) -> None:
    results = {goal.key: goals.Measured(goal.limit / 2, f"{goal.key} made of this")
               for goal in goals.GOALS}
    results["paint"] = goals.Measured(7.6, "large 3000 ms, bare Textual 400 ms")
    results["palette"] = goals.Measured(480.0)
    del results["elsewhere"]

    text = goals.table(results)
    header, *lines = rows(text)

    assert header == ["figure", "goal", "measured", "pass"]
    assert [line[0] for line in lines] == [goal.figure for goal in goals.GOALS]
    by_figure = {line[0]: line[1:] for line in lines}
    assert by_figure["Today's data on screen / bare Textual, large"] == ["<= 1.6x", "7.60x",
                                                                        "FAIL"]
    assert by_figure["palette open, UI-thread work, large"] == ["<= 100 ms", "480 ms", "FAIL"]
    assert by_figure["client card, 500 records, UI-thread work"] == ["<= 100 ms", "50 ms",
                                                                    "pass"]
    assert by_figure["amtui add task / task add, 50k tasks (CPU)"] == ["<= 0.8x", "0.40x",
                                                                      "pass"]
    assert by_figure["a change elsewhere: CPU of an open app, worst"] == ["<= 50 ms", "—", "—"]
    assert "  paint: large 3000 ms, bare Textual 400 ms" in text.splitlines()
    assert "  card: card made of this" in text.splitlines()


def test_every_goal_of_the_issue_has_a_line(goals: ModuleType) -> None:
    keys = [goal.key for goal in goals.GOALS]
    assert len(set(keys)) == len(keys)
    assert set(keys) == {"paint", "paint-2x", "today", "today-2x", "add", "add-flat", "memory",
                         "palette", "card", "elsewhere"}


def test_a_ratio_is_the_median_of_the_pairs_ratios(goals: ModuleType) -> None:
    assert goals.ratio([2.0, 9.0, 3.0], [1.0, 3.0, 1.0]) == 3.0
