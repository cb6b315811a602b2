"""A record table shown 60 rows again with 3 of them changed (countdowns that moved on), at
120x40: UI-thread work until it is drawn, with RecordTable's redrawing of only the changed
rows and with DataTable's public ``update_cell`` (every drawn cell rendered again).

    python bench/table_update.py [--rounds 30]

One app, the two tables taking turns; CPU time of the UI thread from ``show_rows`` until the
app has drawn the change.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult

from amtui.ui.widgets.table import RecordTable

COLUMNS = ("Client", "Owner", "Status", "Last contact", "Next step", "Due", "Deals")


class PublicTable(RecordTable):
    """RecordTable with its few changed cells put in through DataTable's update_cell."""

    def _update_cells(self, changed: list[tuple[int, int, Any]]) -> None:
        for index, column, value in changed:
            row_key, column_key = self.coordinate_to_cell_key((index, column))  # type: ignore[arg-type]
            self.update_cell(row_key, column_key, value)


def rows(shift: int) -> list[list[Any]]:
    """60 rows; rows 5, 25 and 45 say "in N days" with N moved on by ``shift``."""
    return [[Text(f"ООО «Клиент {number}»"), f"Менеджер {number % 7}", "active",
             f"2026-11-{number % 28 + 1:02d}", f"Позвонить про договор №{number}",
             f"in {number + (shift if number in (5, 25, 45) else 0)} days", str(number % 5)]
            for number in range(60)]


class Tables(App[None]):
    def __init__(self, table: type[RecordTable]) -> None:
        super().__init__()
        self.table_class = table

    def compose(self) -> ComposeResult:
        yield self.table_class(id="table", cursor_type="row", zebra_stripes=True)


async def measure(table: type[RecordTable], rounds: int) -> list[float]:
    app = Tables(table)
    samples = []
    async with app.run_test(size=(120, 40)) as pilot:
        shown = app.query_one(RecordTable)
        shown.add_columns(*COLUMNS)
        shown.add_rows(rows(0))
        await pilot.pause()
        for shift in range(1, rounds + 1):
            started = time.thread_time()
            assert not shown.show_rows(rows(shift))
            await pilot.pause()
            samples.append(time.thread_time() - started)
    return samples


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {"RecordTable": [], "update_cell": []}
    for _turn in range(3):
        samples["RecordTable"] += await measure(RecordTable, args.rounds)
        samples["update_cell"] += await measure(PublicTable, args.rounds)
    print("3 of 60 rows changed, 120x40, UI-thread ms until drawn (median, max):")
    for name, times in samples.items():
        print(f"  {name:<12} {statistics.median(times) * 1000:6.1f} {max(times) * 1000:7.1f}")


if __name__ == "__main__":
    asyncio.run(main())
