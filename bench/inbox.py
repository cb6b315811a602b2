"""The Inbox on the large demo workspace (20,000 messages), measured headless with Pilot.

    python bench/inbox.py

Prints: the UI thread's work per keystroke in the search box (budget 16 ms), for the End key
that brings the next rows of a long list, and for opening the message view with Enter
(budget 100 ms; the conversation is read in a worker, its wall time is printed too).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import ensure_large_workspace, user_app  # noqa: E402


async def measure(workspace_path: Path) -> None:
    from textual.widgets import Input

    from amtui.ui.message_screen import MessageScreen
    from amtui.ui.panes.inbox import InboxPane

    app = user_app(workspace_path, pane="inbox")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.screen
        assert isinstance(pane, InboxPane)
        print(f"messages: {len(pane.all_rows)}")
        search = pane.query_one("#search", Input)
        keystrokes = []
        for text in ("о", "от", "отч", "отчё", "отчёт", "", "s", "se", "sen", "send", "",
                     "р", "ро", "ром", "рома", "ромашка", ""):
            search.value = text
            started = time.thread_time()
            pane.refilter()
            keystrokes.append(time.thread_time() - started)
        print(f"search keystroke, 20,000 messages: median "
              f"{statistics.median(keystrokes) * 1000:.1f} ms, max "
              f"{max(keystrokes) * 1000:.1f} ms of UI work (budget 16 ms)")
        await pilot.pause()
        pane.query_one("#records").focus()
        ends = []
        for _round in range(5):
            started = time.thread_time()
            await pilot.press("end")
            await pilot.pause()
            ends.append(time.thread_time() - started)
        print(f"End (the next 60 rows come): median {statistics.median(ends) * 1000:.1f} ms, "
              f"max {max(ends) * 1000:.1f} ms of UI work")
        opens, waits = [], []
        for _round in range(5):
            started, wall = time.thread_time(), time.perf_counter()
            await pilot.press("enter")
            await pilot.pause()
            opens.append(time.thread_time() - started)
            screen = app.screen
            assert isinstance(screen, MessageScreen)
            while screen.shown is None:
                await asyncio.sleep(0.005)
            await pilot.pause()
            waits.append(time.perf_counter() - wall)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("down")
            await pilot.pause()
        print(f"message view, Enter: median {statistics.median(opens) * 1000:.1f} ms, max "
              f"{max(opens) * 1000:.1f} ms of UI work (budget 100 ms); shown whole after a "
              f"median {statistics.median(waits) * 1000:.0f} ms (read in a worker)")


def main() -> int:
    asyncio.run(measure(ensure_large_workspace()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
