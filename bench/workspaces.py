"""The benches' demo workspaces, and the app built as a user's ``amtui`` builds it.

Workspaces live in bench/.work/, made once: ``small`` and ``large`` with ``amtui demo``, and
``2xlarge`` (twice the large one: 20,000 clients, 100,000 tasks, 40,000 messages, 10,000
notes, twice the Calendar's posts) with the same generator given a doubled plan. Benches that
save copy a workspace first (:func:`scratch_copy`): the ones made here are only read.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
SIZES = ("small", "large", "2xlarge")

DOUBLE = '''
import importlib, sys
from dataclasses import replace
from amtui.services import demo
from amtui.plugins.host import PluginHost

demo.SIZES["2xlarge"] = {name: count * 2 for name, count in demo.SIZES["large"].items()}
PluginHost.load(None)  # imports the bundled plugins, as the command's own host finds them
calendar = importlib.import_module("amtui_plugin_bundled_smm_calendar.demo")
large = calendar.SIZES["large"]
calendar.SIZES["2xlarge"] = replace(large, posts=large.posts * 2, clients=large.clients * 2,
                                    rules=large.rules * 2)
from amtui.cli import main
sys.exit(main(["demo", "--size", "2xlarge", "--seed", "1", "--workspace", sys.argv[1]]))
'''
"""``amtui demo`` with a doubled plan, core and the Calendar's (the Team and Bonus plugins
scale with the clients and members they find)."""


def ensure_workspace(size: str) -> Path:
    """The demo workspace of ``size`` (one of :data:`SIZES`), made the first time."""
    path = WORK / size
    if (path / "data" / "tasks.json").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"making the {size} demo workspace (once)…", flush=True)
    if size == "2xlarge":
        command = [sys.executable, "-c", DOUBLE, str(path)]
    else:
        command = [sys.executable, "-m", "amtui", "demo", "--size", size, "--seed", "1",
                   "--workspace", str(path)]
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    return path


def ensure_large_workspace() -> Path:
    return ensure_workspace("large")


def scratch_copy(size: str) -> Path:
    """A fresh copy of the ``size`` workspace, for a bench that saves."""
    source = ensure_workspace(size)
    copy = WORK / f"scratch-{size}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("backups"))
    _as_written(source, copy)
    return copy


def _as_written(source: Path, copy: Path) -> None:
    """A copied data file is new to amtui: its lock file records the original (inode, size,
    modification time), so the copy would be read as a file changed by hand, each record
    checked, several times slower. Where the lock file recorded the original exactly, it
    records the copy instead (the copy keeps the size and the modification time)."""
    locks = copy / ".locks"
    for lock in locks.rglob("*.lock"):
        relative = lock.relative_to(locks).with_suffix("")
        original, copied = source / "data" / relative, copy / "data" / relative
        text = lock.read_bytes()
        holder, _newline, rest = text.decode("utf-8", "replace").partition("\n")
        written = rest.partition("\n")[0].split()
        if len(written) != 6 or written[0] != "written" or not copied.exists():
            continue
        was, now = original.stat(), copied.stat()
        if written[1:4] != [str(was.st_ino), str(was.st_size), str(was.st_mtime_ns)]:
            continue
        record = f"{holder}\nwritten {now.st_ino} {now.st_size} {now.st_mtime_ns} rules " \
                 f"{written[5]}\n".encode()
        lock.write_bytes(record.ljust(len(text)))


def user_app(path: Path, pane: str = "today", *, opener: bool = False) -> Any:
    """The app on ``path`` as ``amtui`` builds it: the bundled and installed plugins loaded
    (less those ``workspace.toml`` disables), the workspace's keymap. With ``opener`` the
    workspace is opened by the app's first worker, as a started ``amtui`` does; else now."""
    from amtui.cli.plugins import disabled_plugins
    from amtui.plugins.host import PluginHost
    from amtui.storage import Workspace
    from amtui.ui.app import AmtuiApp

    plugins = PluginHost.load(path, disabled=disabled_plugins(path))
    if opener:
        return AmtuiApp(lambda: Workspace.open(path), pane, name=path.name, plugins=plugins)
    return AmtuiApp(Workspace.open(path), pane, plugins=plugins)
