"""Opening a record's screen on the large demo workspace: UI-thread work, budget 100 ms.

    python bench/screens.py

For the client card (from the Clients pane) and the note editor (from the Notes pane), the
CPU time of the UI thread from the key press until the screen shows its record, the
median and the slowest of several openings of different records. Work done in workers is
not counted: it does not hold the keyboard.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import ensure_large_workspace, user_app  # noqa: E402

ROUNDS = 7


async def settled(app: Any, pilot: Any) -> None:
    for _round in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def opening(app: Any, pilot: Any, open_one: Callable[[], None],
                  shown: Callable[[], bool]) -> float:
    """UI-thread CPU seconds from ``open_one()`` until ``shown()``, then the screen closed."""
    started = time.thread_time()
    open_one()
    while not shown():
        await pilot.pause()
    spent = time.thread_time() - started
    await settled(app, pilot)
    app.pop_screen()
    await settled(app, pilot)
    return spent


async def measure(workspace_path: Path) -> None:
    from amtui.ui.client_card import ClientCard
    from amtui.ui.note_editor import NoteEditor
    from amtui.ui.panes.notes import NotesPane, open_note

    app = user_app(workspace_path, pane="clients")
    workspace = app.workspace
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(app, pilot)
        client_ids = list(workspace.file("clients").records())[:ROUNDS]
        cards = []
        for client_id in client_ids:
            cards.append(await opening(
                app, pilot, lambda client_id=client_id: app.open_record("clients", client_id),
                lambda: isinstance(app.screen, ClientCard) and app.screen.details is not None))
        report("client card", cards)
        await pilot.press("5")
        await settled(app, pilot)
        pane = app.screen
        assert isinstance(pane, NotesPane)
        notes = []
        for _round in range(ROUNDS):
            notes.append(await opening(
                app, pilot, pane.action_open,
                lambda: isinstance(app.screen, NoteEditor) and app.screen.is_mounted))
            await pilot.press("down")
        report("note editor (Enter on the Notes list)", notes)
        note_ids = list(workspace.file("notes").records())[:ROUNDS]
        notes = []
        for note_id in note_ids:
            notes.append(await opening(
                app, pilot, lambda note_id=note_id: open_note(app, note_id),
                lambda: isinstance(app.screen, NoteEditor) and app.screen.is_mounted))
        report("note editor (from a card's timeline or the palette)", notes)


def report(what: str, samples: list[float]) -> None:
    print(f"opening the {what}: median {statistics.median(samples) * 1000:.1f} ms, max "
          f"{max(samples) * 1000:.1f} ms of UI-thread work (budget 100 ms; first "
          f"{samples[0] * 1000:.1f} ms)")


def main() -> int:
    asyncio.run(measure(ensure_large_workspace()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
