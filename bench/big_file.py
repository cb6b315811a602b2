"""A workspace with one very large tasks file, to measure reading it: time and peak memory.

    python bench/big_file.py [--megabytes 200] [--foreign] [DIR]

makes DIR (default ``bench/.work/big``) holding a ``data/tasks.json`` of about the given size,
in amtui's one-record-per-line layout, then runs ``amtui list tasks --limit 3`` and
``amtui doctor`` under ``/usr/bin/time -v`` and prints the wall time and maximum resident
memory of each. ``--foreign`` leaves out the note amtui keeps of its own last write, as if
another tool had written the file (amtui then checks every record before trusting it).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NOW = "2026-11-26T09:00:00+03:00"


def tasks(megabytes: int) -> Iterator[dict[str, Any]]:
    """Tasks until the file holds about ``megabytes`` MB (ids in creation order)."""
    from amtui.models.ids import encode_ulid

    size, number = 0, 0
    columns = ("backlog", "todo", "in_progress", "review", "client_approval", "done")
    while size < megabytes * 1024 * 1024:
        number += 1
        record = {
            "id": encode_ulid(1_700_000_000_000 + number, number.to_bytes(10, "big")),
            "rev": 1, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "title": f"Задача номер {number}: тексты для лендинга клиента",
            "description": "Подготовить тексты, согласовать с клиентом, передать в вёрстку. " * 3,
            "department": "copywriting", "assignee": "Ирина", "column": columns[number % 6],
            "position": float(number), "priority": "normal",
            "due": f"2026-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
            "checklist": [{"text": "черновик", "done": True}, {"text": "правки", "done": False}],
            "blocked_by_client": False,
        }
        size += len(str(record)) + 60
        yield record


def make_workspace(folder: Path, megabytes: int, foreign: bool) -> Path:
    from amtui.storage import Workspace
    from amtui.storage.datafile import encoded_blocks

    shutil.rmtree(folder, ignore_errors=True)
    workspace = Workspace.open(folder, create=True)
    data_file = workspace.file("tasks")
    with data_file.lock:
        from amtui.storage.files import atomic_write, make_folder

        make_folder(data_file.path.parent, folder)
        stat = atomic_write(data_file.path,
                            encoded_blocks("tasks", data_file.spec.version, tasks(megabytes)),
                            workspace.file_mode)
        if not foreign:
            from amtui.storage.datafile import _fingerprint

            data_file.lock.record_written(_fingerprint(stat))
    return data_file.path


def measure(label: str, arguments: list[str]) -> None:
    """Run ``amtui ARGUMENTS`` under ``/usr/bin/time -v``; print wall time and peak memory."""
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "amtui", *arguments]
    result = subprocess.run(command, capture_output=True, text=True,
                            env={**os.environ, "AMTUI_NOW": NOW})
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", result.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    print(f"{label:<28} exit {result.returncode}  wall {wall.group(1) if wall else '?':>8}  "
          f"max RSS {int(peak.group(1)) // 1024 if peak else '?':>5} MB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=HERE / ".work" / "big")
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--foreign", action="store_true",
                        help="as if another tool wrote the file")
    args = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        print("needs /usr/bin/time (apt-get install time)", file=sys.stderr)
        return 1
    path = make_workspace(args.folder, args.megabytes, args.foreign)
    print(f"{path}: {path.stat().st_size / 1024**2:.0f} MB"
          f"{' (written as by another tool)' if args.foreign else ''}", flush=True)
    where = ["--workspace", str(args.folder)]
    measure("list tasks --limit 3", ["list", "tasks", "--limit", "3", *where])
    measure("list tasks --limit 3 --json", ["list", "tasks", "--limit", "3", "--json", *where])
    measure("doctor", ["doctor", *where])
    measure("today", ["today", *where])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
