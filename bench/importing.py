"""Importing a large file into the large demo workspace: wall time of `amtui import`.

    python bench/importing.py [--rows 50000] [--table clients|tasks] [--format csv|xlsx]

The large workspace (bench/.work/large, made once by bench/run.py's helper) is copied to a
temporary folder first, so it is never written to. The file is what a Russian agency has: CSV in
cp1251 with ``;`` (or an XLSX), names, tax ids, money, tags; for clients one row in fifty names a
client the workspace holds already (skipped as a duplicate). Each run is a new process, as a
user runs it: the dry run (read, map, check, match) and the import (the same, then the write).
Budget: well under a minute for 50,000 rows.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import ensure_large_workspace  # noqa: E402

BUDGET = 60.0


def client_rows(count: int, stored: list[str]) -> list[list[str]]:
    rows = [["Название", "ИНН", "Отрасль", "Выручка в месяц", "Теги", "Статус"]]
    for number in range(count):
        if stored and number % 50 == 49:
            name = stored[number % len(stored)]
        else:
            name = f"ООО «Импорт {number}»"
        rows.append([name, f"{7700000000 + number}", "Ритейл", f"{100 + number % 900} 000",
                     "импорт, seo", "Активный" if number % 3 else "Лид"])
    return rows


def task_rows(count: int) -> list[list[str]]:
    rows = [["Задача", "Срок", "Отдел", "Приоритет", "Описание"]]
    departments = ["copywriting", "seo", "design", "analytics"]
    for number in range(count):
        rows.append([f"Задача из файла {number}", f"{1 + number % 28:02d}.12.2026",
                     departments[number % 4], "высокий" if number % 7 == 0 else "",
                     "Перенесено из таблицы"])
    return rows


def write_file(rows: list[list[str]], path: Path, form: str) -> Path:
    if form == "xlsx":
        import openpyxl  # type: ignore[import-untyped]

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in rows:
            sheet.append(row)
        target = path.with_suffix(".xlsx")
        book.save(target)
        return target
    target = path.with_suffix(".csv")
    text = "".join(";".join(row) + "\r\n" for row in rows)
    target.write_bytes(text.encode("cp1251"))
    return target


def timed(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "amtui", *args], capture_output=True,
                            text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"amtui {' '.join(args)} failed: {result.stderr}")
    return seconds, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--table", choices=["clients", "tasks"], default="clients")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()

    large = ensure_large_workspace().resolve()
    with tempfile.TemporaryDirectory(prefix="amtui-import-bench-") as folder:
        workspace = Path(folder) / "large"
        shutil.copytree(large, workspace, ignore=shutil.ignore_patterns(".locks", "backups"))
        from amtui.models import Client
        from amtui.storage import Workspace

        stored = [client.name for client in Workspace.open(workspace).repo(Client).all()]
        rows = (client_rows(args.rows, stored) if args.table == "clients"
                else task_rows(args.rows))
        source = write_file(rows, Path(folder) / "import", args.format)
        print(f"{args.rows} {args.table} rows ({source.suffix[1:]}, "
              f"{source.stat().st_size / 1e6:.1f} MB) into the large workspace "
              f"({len(stored)} clients)")
        for label, extra in (("dry run", ["--dry-run"]), ("import", [])):
            seconds, summary = timed("import", args.table, str(source), "--workspace",
                                     str(workspace), *extra)
            mark = "" if seconds < BUDGET else f"  OVER {BUDGET:.0f} s"
            print(f"  {label:8} {seconds:6.1f} s   {summary}{mark}")


if __name__ == "__main__":
    main()
