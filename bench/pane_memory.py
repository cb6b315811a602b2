"""What each pane holds once shown, on the large demo workspace: the app built as ``amtui``
builds it (the bundled plugins loaded), every pane opened once in turn as bench/ui.py's
memory bench does, and after each the resident memory (after a full collection and
``malloc_trim``, so freed memory is not counted) and the peak so far.

    python bench/pane_memory.py [WORKSPACE]

A pane's figure is what the process grew by while it was shown: what it keeps, and what its
read left unusable to the system (memory freed in pieces among objects still held).
"""

from __future__ import annotations

import asyncio
import gc
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import ensure_large_workspace, user_app  # noqa: E402


def status(field: str) -> float:
    """A figure of /proc/self/status, in MiB."""
    with open("/proc/self/status") as lines:
        for line in lines:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


def resident() -> float:
    """Resident memory (MiB) once garbage is collected and freed memory handed back."""
    from amtui.ui.panes.base import release_free_memory

    gc.collect()
    release_free_memory()
    return status("VmRSS:")


async def measure(workspace: Path) -> list[str]:
    app = user_app(workspace)
    lines = []
    async with app.run_test(size=(120, 40)) as pilot:
        for _round in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        before = resident()
        lines.append(f"{'started, Today read':24} {before:6.1f} MiB  peak {status('VmHWM:'):6.1f}")
        for key in "123456789"[:len(app.panes)]:
            await pilot.press(key)
            for _round in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            now = resident()
            lines.append(f"{key} {type(app.screen).__name__:22} {now:6.1f} MiB  "
                         f"(+{now - before:5.1f})  peak {status('VmHWM:'):6.1f}")
            before = now
    return lines


def main() -> None:
    workspace = Path(sys.argv[1]) if len(sys.argv) > 1 else ensure_large_workspace()
    # Printed after the app has stopped (while it runs, it holds the standard output).
    print("\n".join(asyncio.run(measure(workspace))))


if __name__ == "__main__":
    main()
