"""Shared fixtures: a temporary workspace with a clock that only moves when told to."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from amtui.storage import Workspace

FIXED_NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock for tests: starts at FIXED_NOW and moves only with ``advance``."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def workspace(workspace_path: Path, clock: FakeClock) -> Iterator[Workspace]:
    yield Workspace.open(workspace_path, create=True, clock=clock)


def run_cli(*args: str, workspace: Path | None = None, stdin: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``amtui`` in a subprocess, as a user would from the shell."""
    command = [sys.executable, "-m", "amtui", *args]
    if workspace is not None:
        command += ["--workspace", str(workspace)]
    full_env = {key: value for key, value in os.environ.items() if key != "AMTUI_WORKSPACE"}
    full_env.update(PYTHONIOENCODING="utf-8", **(env or {}))
    return subprocess.run(command, capture_output=True, text=True, input=stdin, env=full_env,
                          timeout=120)


def snapshot_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (but the lock folder) with its bytes, to compare before/after."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".locks" not in path.parts
    }
