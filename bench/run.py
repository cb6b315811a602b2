"""Storage and quick-capture benchmarks on the large demo workspace; prints ratios.

    python bench/run.py [--rounds N]

- one saved change: amtui's repository update vs stock TinyDB ``JSONStorage`` on the same
  tasks (50,000), in the same run;
- ``amtui add task`` (whole process) vs Taskwarrior's ``task add`` holding 50,000 tasks
  (Taskwarrior is installed with apt-get when missing).

Absolute times drift on shared machines; compare the ratios, which come from one run. Both
save, so they run on a copy of the large workspace (bench/.work/scratch-large).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspaces import WORK, ensure_large_workspace, scratch_copy  # noqa: E402

__all__ = ["ensure_large_workspace"]  # the other benches import it from here
TASKS = 50_000


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_save(workspace_path: Path, rounds: int) -> tuple[float, float]:
    import orjson
    from tinydb import TinyDB

    from amtui.models import Task
    from amtui.storage import Workspace

    workspace = Workspace.open(workspace_path)
    tasks = workspace.repo(Task)
    task_ids = [raw["id"] for raw, _ in zip(tasks.scan(), range(rounds), strict=False)]

    stock_path = WORK / "stock-tasks.json"
    records = orjson.loads((workspace_path / "data" / "tasks.json").read_bytes())["tasks"]
    stock_ids = {record_id: index for index, record_id in enumerate(records, start=1)}
    stock_path.write_bytes(orjson.dumps(
        {"tasks": {str(index): records[record_id] for record_id, index in stock_ids.items()}}
    ))
    del records
    stock = TinyDB(stock_path).table("tasks")

    ours, theirs = [], []
    for round_number, task_id in enumerate(task_ids):
        task = tasks.get(task_id)
        task.title = f"{task.title} ({round_number})"
        started = time.perf_counter()
        tasks.update(task)
        ours.append(time.perf_counter() - started)

        started = time.perf_counter()
        stock.update({"title": task.title}, doc_ids=[stock_ids[task_id]])
        theirs.append(time.perf_counter() - started)
    stock_path.unlink()
    return median_ms(ours), median_ms(theirs)


def ensure_taskwarrior() -> str:
    found = shutil.which("task")
    if found:
        return found
    print("installing Taskwarrior with apt-get…", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "taskwarrior"], check=False,
                   stdout=subprocess.DEVNULL)
    found = shutil.which("task")
    if not found:
        raise SystemExit("Taskwarrior is not installed and apt-get could not install it")
    return found


def taskwarrior_with_tasks(count: int) -> dict[str, str]:
    folder = WORK / "taskwarrior"
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n"
                  "recurrence=off\ngc=on\n")
    now = int(time.time())
    with open(data / "pending.data", "w", encoding="utf-8") as pending:
        for index in range(count):
            pending.write(
                f'[description:"Подготовить тексты для лендинга {index}" entry:"{now - index}" '
                f'modified:"{now - index}" project:"client{index % 1000}" status:"pending" '
                f'uuid:"{uuid.UUID(int=index + 1)}"]\n'
            )
    for name in ("completed.data", "undo.data", "backlog.data"):
        (data / name).write_text("")
    return {"TASKRC": str(rc), "TASKDATA": str(data)}


def bench_capture(workspace_path: Path, rounds: int) -> tuple[float, float]:
    import orjson

    task = ensure_taskwarrior()
    tw_env = {**os.environ, **taskwarrior_with_tasks(TASKS)}
    clients = orjson.loads((workspace_path / "data" / "clients.json").read_bytes())["clients"]
    client_id = next(iter(clients))
    amtui = [shutil.which("amtui") or "amtui"]
    if not shutil.which("amtui"):
        amtui = [sys.executable, "-m", "amtui"]
    ours, theirs = [], []
    for round_number in range(rounds + 1):
        title = f"Согласовать баннеры {round_number}"
        started = time.perf_counter()
        subprocess.run([*amtui, "add", "task", title, "--client", client_id, "--due",
                        "2026-12-01", "--workspace", str(workspace_path)],
                       check=True, stdout=subprocess.DEVNULL)
        elapsed_ours = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([task, "add", title, "project:bench", "due:2026-12-01"], env=tw_env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed_theirs = time.perf_counter() - started
        if round_number:  # the first round warms the page cache for both
            ours.append(elapsed_ours)
            theirs.append(elapsed_theirs)
    return median_ms(ours), median_ms(theirs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    workspace_path = scratch_copy("large")  # both benches save

    ours, stock = bench_save(workspace_path, args.rounds)
    print(f"one saved change, 50,000 tasks: amtui {ours:.1f} ms, stock TinyDB {stock:.1f} ms "
          f"-> amtui is {stock / ours:.1f}x faster (need >= 10x)")

    ours, taskwarrior = bench_capture(workspace_path, args.rounds)
    print(f"add task, whole process, 50,000 tasks: amtui {ours:.0f} ms, Taskwarrior "
          f"{taskwarrior:.0f} ms -> ratio {ours / taskwarrior:.2f} (need <= 1.00)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
