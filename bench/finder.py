"""The palette's record finder on the large demo workspace (85,000 records).

    python bench/finder.py [--rounds N] [--distinct] [--app]

Prints the index's build time and the memory it adds: built in a child process and read back
as the app does (this process's resident and peak memory before and after), and built in this
process (what tracemalloc counts as held, and at peak while building); then the work per
keystroke (budget 16 ms) while queries are typed letter by letter: search plus the palette
lines of the hits.

``--distinct`` adds a made-up word and a number to every title first, so that no two records
share a title and the vocabulary has some 30,000 more words: the demo repeats its titles, real
workspaces less so. ``--app`` also measures the app's peak memory with the palette used, against
a bare Textual app (budget 3x).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import ensure_large_workspace, user_app  # noqa: E402

QUERIES = (
    ("English", "landing page"),
    ("Russian", "макет главной страницы"),
    ("Russian client", "ооо ромашка"),
    ("typo", "рамашка"),
    ("typo, two words", "перисобрать кампанию"),
    ("other layout", "hjvfirf"),
    ("title and client", "разметка utm ромашка"),
    ("no match", "щщщщ zzzz"),
)
SYLLABLES = ("ка", "ро", "ми", "ле", "ст", "но", "ва", "ту", "ше", "зо", "пи", "гу", "бр",
             "да", "ль", "ны", "ко", "ре", "ма", "ти")
MADE_UP_WORDS = 30_000


def status_kb(field: str) -> int:
    """A field of /proc/self/status, in kB: VmRSS (resident now), VmHWM (peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def made_up_word(number: int) -> str:
    word, number = "", number % MADE_UP_WORDS
    for _ in range(4):
        number, syllable = divmod(number, len(SYLLABLES))
        word += SYLLABLES[syllable]
    return word


class DistinctFile:
    """A data file whose records' titles each get a made-up word and a number."""

    def __init__(self, data_file: Any, field: str) -> None:
        self._file, self._field = data_file, field
        self.version_on_disk = data_file.version_on_disk

    def scan(self) -> Iterator[dict[str, Any]]:
        for number, record in enumerate(self._file.scan()):
            first, _newline, rest = str(record.get(self._field) or "").partition("\n")
            record[self._field] = f"{first} {made_up_word(number)} {number}\n{rest}".strip()
            yield record


class DistinctWorkspace:
    def __init__(self, workspace: Any) -> None:
        self._workspace = workspace

    def file(self, table: str) -> DistinctFile:
        field = {"clients": "name", "messages": "text"}.get(table, "title")
        return DistinctFile(self._workspace.file(table), field)


def build(workspace: Any, rounds: int) -> None:
    from amtui.services.finder import FinderIndex, build_in_child

    if not isinstance(workspace, DistinctWorkspace):  # a child reads the real titles only
        gc.collect()
        resident, peak = status_kb("VmRSS"), status_kb("VmHWM")
        started = time.perf_counter()
        index = build_in_child(workspace.root)
        took = time.perf_counter() - started
        assert index is not None
        gc.collect()
        print(f"index of {len(index):,} records built in a child process and read back in "
              f"{took:.2f} s: this process's resident memory "
              f"+{(status_kb('VmRSS') - resident) / 1024:.1f} MB, "
              f"peak +{(status_kb('VmHWM') - peak) / 1024:.1f} MB")
        del index
    gc.collect()
    started = time.perf_counter()
    index = FinderIndex(workspace)
    took = time.perf_counter() - started
    del index
    gc.collect()
    tracemalloc.start()
    index = FinderIndex(workspace)
    held, peak_traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"index of {len(index):,} records ({len(index.words):,} words for typos) built "
          f"in-process in {took:.2f} s; tracemalloc: it holds {held / 2**20:.1f} MB, "
          f"{peak_traced / 2**20:.1f} MB at peak while building")
    keystrokes(index, rounds)


def keystrokes(index: Any, rounds: int) -> None:
    from amtui.services.finder_words import warm_up
    from amtui.ui.finder import hit_display

    warm_up()  # as the app's worker does once the index is read

    every: list[float] = []
    print("work per keystroke (search + palette lines of the hits), ms:")
    for name, query in QUERIES:
        samples: list[tuple[float, str]] = []
        for _round in range(rounds):
            index.forget_searches()  # typed afresh: nothing remembered from the last round
            for end in range(1, len(query) + 1):
                typed = query[:end]
                started = time.perf_counter()
                for found in index.search(typed):
                    hit_display(found, typed)
                samples.append(((time.perf_counter() - started) * 1000, typed))
        top = index.search(query)
        first = f"{top[0].table}: {top[0].title}" if top else "nothing"
        slowest, slowest_typed = max(samples)
        print(f"  {name:16} {query!r:24} median {statistics.median(t for t, _ in samples):5.2f}"
              f"  max {slowest:5.2f} ({slowest_typed!r})  first hit: {first[:34]}")
        every += [took for took, _typed in samples]
    print(f"  all {len(every)} keystrokes: median {statistics.median(every):.2f}, "
          f"max {max(every):.2f} (budget 16)")


async def app_peak(workspace_path: Path) -> None:
    from textual.command import CommandList
    from textual.widgets import Input

    from amtui.ui.app import AmtuiApp
    from amtui.ui.finder import FinderProvider

    app = user_app(workspace_path)
    app.COMMANDS = AmtuiApp.COMMANDS | {FinderProvider}  # type: ignore[misc]
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p")
        await pilot.press(*"ромашка")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = app.screen.query_one(CommandList).option_count
        assert app.screen.query_one(Input).value == "ромашка" and shown, "no hits shown"
    from ui import BARE

    bare = subprocess.run([sys.executable, "-c", BARE], capture_output=True, text=True,
                          check=True)
    bare_peak = int(bare.stdout.strip())
    amtui_peak = status_kb("VmHWM")
    print(f"peak memory with the palette used: amtui {amtui_peak / 1024:.0f} MB, bare Textual "
          f"{bare_peak / 1024:.0f} MB -> {amtui_peak / bare_peak:.1f}x (budget 3x)")


def main() -> int:
    from amtui.storage import Workspace

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--distinct", action="store_true")
    parser.add_argument("--app", action="store_true")
    args = parser.parse_args()
    path = ensure_large_workspace()
    if args.app:
        asyncio.run(app_peak(path))
        return 0
    workspace = Workspace.open(path)
    build(DistinctWorkspace(workspace) if args.distinct else workspace, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
