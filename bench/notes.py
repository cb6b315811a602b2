"""The Notes pane on the large demo workspace (5,000 notes), measured headless with Pilot.

    python bench/notes.py

Prints: the time to read the notes (worker), the work per keystroke of the ranked search
(budget 16 ms), and the time to open a note in the editor.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import ensure_large_workspace, user_app  # noqa: E402

QUERIES = ["б", "бр", "бри", "бриф", "бриф ", "бриф д", "бриф до", "бриф дос", "бриф дост",
           "", "s", "se", "seo", "seo b", "seo bu", "seo bud", "зеленый", "отчет", "ОТЧЁТ", ""]


async def measure(workspace_path: Path) -> None:
    from textual.widgets import Input

    from amtui.services.notes import read_notes
    from amtui.storage import Workspace
    from amtui.ui.panes.notes import NotesPane

    workspace = Workspace.open(workspace_path)
    started = time.perf_counter()
    tracemalloc.start()
    index = read_notes(workspace)
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"read and index {len(index.rows):,} notes: "
          f"{(time.perf_counter() - started) * 1000:.0f} ms (in a worker, traced), holding "
          f"{held / 2**20:.1f} MB")
    app = user_app(workspace_path, pane="notes")
    async with app.run_test(size=(120, 40)) as pilot:
        for _attempt in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        pane = app.screen
        assert isinstance(pane, NotesPane) and pane.notes
        search = pane.query_one("#search", Input)
        keystrokes = []
        for text in QUERIES:
            search.value = text
            started = time.perf_counter()
            pane.refilter()
            keystrokes.append(time.perf_counter() - started)
        slowest = QUERIES[keystrokes.index(max(keystrokes))]
        print(f"search 5,000 notes (slowest: {slowest!r}): median "
              f"{statistics.median(keystrokes) * 1000:.1f} ms, "
              f"max {max(keystrokes) * 1000:.1f} ms per keystroke (budget 16 ms)")
        started = time.thread_time()
        await pilot.press("enter")
        await pilot.pause()
        print(f"open a note in the editor: {(time.thread_time() - started) * 1000:.0f} ms of "
              "UI work")


def main() -> int:
    asyncio.run(measure(ensure_large_workspace()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
