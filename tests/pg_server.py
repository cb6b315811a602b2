"""A PostgreSQL server of the test session's own, for the PostgreSQL store's tests.

Started from the installed binaries (``initdb`` and ``pg_ctl``, found by ``pg_config
--bindir`` or under /usr/lib/postgresql) in a temporary folder, listening only on a Unix
socket in that folder, and stopped at the end of the session: the tests never use a server
they did not start. PostgreSQL refuses to run as root, so as root it runs as ``nobody``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

PORT = 5432
"""Names the socket file only: the server listens on no network address."""
USER = "amtui"


def find_bindir() -> Path | None:
    """The folder of PostgreSQL's server programs, or None if they are not installed."""
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            candidates.append(subprocess.run([pg_config, "--bindir"], capture_output=True,
                                             text=True, timeout=30).stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                         key=lambda path: int(Path(path).parent.name)
                         if Path(path).parent.name.isdigit() else 0, reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").is_file() \
                and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    return None


class Server:
    """A server in ``folder`` (its data in ``folder/data``, its socket in ``folder``)."""

    def __init__(self, bindir: Path, as_user: Callable[[], None] | None, uid: int | None) -> None:
        self.bindir = bindir
        self.as_user = as_user
        self.folder = Path(tempfile.mkdtemp(prefix="amtui-pg-"))
        if uid is not None:
            os.chown(self.folder, uid, uid)
        self.data = self.folder / "data"
        self.started = False

    @property
    def conninfo(self) -> str:
        return f"host={self.folder} port={PORT} user={USER} dbname=postgres"

    def _run(self, *command: str) -> None:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                preexec_fn=self.as_user, cwd=self.folder,
                                env={**os.environ, "LC_ALL": "C", "LANG": "C"})
        if result.returncode:
            raise RuntimeError(f"{Path(command[0]).name} failed: {result.stderr or result.stdout}")

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER,
                  "--auth=trust", "--no-sync", "--encoding=UTF8", "--no-locale")
        options = (f"-c listen_addresses='' -k {self.folder} -p {PORT} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.folder / "server.log"), "-w", "-t", "60", "-o", options, "start")
        self.started = True
        # Stops the server and removes its folder when this process ends, however it ends
        # (killed too): its standard input, a pipe only this process writes, then closes.
        self.watcher = subprocess.Popen(
            ["sh", "-c", 'cat >/dev/null; "$0" -D "$1" -m immediate -w stop >/dev/null 2>&1; '
             'rm -rf "$2"', str(self.bindir / "pg_ctl"), str(self.data), str(self.folder)],
            stdin=subprocess.PIPE, preexec_fn=self.as_user, start_new_session=True,
            cwd="/", env={**os.environ, "LC_ALL": "C", "LANG": "C"})

    def stop(self) -> None:
        try:
            if self.started:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                          "-w", "stop")
        finally:
            if self.started:
                assert self.watcher.stdin is not None
                self.watcher.stdin.close()
                self.watcher.wait(timeout=120)
            shutil.rmtree(self.folder, ignore_errors=True)


def new_schema() -> str:
    """A schema name no other test uses: each test's workspace has its own tables."""
    return f"t_{uuid.uuid4().hex[:16]}"
