"""Shared fixtures: a temporary workspace with a clock that only moves when told to.

The fixtures of ``amtui.testing`` are loaded too (its ``pytest11`` entry point in pyproject.toml).
Every test runs on that clock: ``AMTUI_NOW`` holds its moment (see ``amtui.testing``), so the
``amtui`` processes a test starts see the same day as the test, whatever the machine's date.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

import amtui
from amtui.clock import ENVIRONMENT_VARIABLE as NOW_VARIABLE
from amtui.i18n import use_locale
from amtui.language import ENVIRONMENT_VARIABLE as LANGUAGE_VARIABLE
from amtui.storage import Workspace
from amtui.testing import START, StillClock

if TYPE_CHECKING:
    from textual.app import App

# Module- and session-wide fixtures run before any test's clock: they see the same moment.
os.environ[NOW_VARIABLE] = START.isoformat()
# The tests read amtui's English, whatever the workspace's locale or the machine's LANG; a test
# of another language says so (`--lang ru`, `use_locale`, or removing AMTUI_LANG).
os.environ[LANGUAGE_VARIABLE] = "en"
# Record indexes made by module- and session-wide fixtures go to a folder of the test run, not
# to the user's cache (each test then has its own: see own_config_folder).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="amtui-tests-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Each test starts in English, and a test that switches language leaves no trace."""
    use_locale("en_US")
    yield
    use_locale("en_US")


@pytest.fixture(autouse=True)
def own_config_folder(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own (empty) user config and cache folders: no remembered theme, no
    user plugins from the machine running the tests, no record index another test made."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def clock(amtui_clock: StillClock) -> StillClock:
    """The test's clock, for every test: the day never comes from the machine."""
    return amtui_clock


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "ws"


STORES = ("files", "postgresql")
both_stores = pytest.mark.parametrize("store", STORES, indirect=True)
"""Runs a test that uses ``workspace`` once on each store."""


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    """Where the ``workspace`` fixture's records live: "files" unless a test is parametrised
    with ``both_stores`` (or ``indirect`` "store")."""
    return str(getattr(request, "param", "files"))


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """The connection to a PostgreSQL server this test session started (see pg_server)."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[test]'), so the PostgreSQL "
                    "store's tests cannot run")
    from pg_server import Server, find_bindir

    bindir = find_bindir()
    if bindir is None:
        unavailable("PostgreSQL is not installed (no initdb), so the PostgreSQL store's tests "
                    "cannot run")
    root = os.geteuid() == 0
    server = Server(bindir, as_nobody if root else None, NOBODY if root else None)
    try:
        server.start()
        yield server.conninfo
    finally:
        from amtui.storage.postgresql import close_pools

        close_pools()
        server.stop()


def postgresql_workspace(root: Path, clock: StillClock, schema: str | None = None) -> Workspace:
    """A new workspace at ``root`` whose records are in the test server, in a schema of its
    own (``AMTUI_DATABASE_URL`` must name the server)."""
    from pg_server import new_schema

    Workspace.open(root, create=True, clock=clock)
    with open(root / "workspace.toml", "a", encoding="utf-8") as settings:
        settings.write(f'\n[store]\nbackend = "postgresql"\nschema = "{schema or new_schema()}"\n')
    return Workspace.open(root, clock=clock)


@pytest.fixture
def workspace(workspace_path: Path, clock: StillClock, store: str,
              request: pytest.FixtureRequest) -> Iterator[Workspace]:
    if store == "postgresql":
        url = request.getfixturevalue("postgresql_url")
        request.getfixturevalue("monkeypatch").setenv("AMTUI_DATABASE_URL", url)
        yield postgresql_workspace(workspace_path, clock)
        return
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


def palette_lines(app: App[object]) -> str:
    """What the open command palette lists, one line per line of each option."""
    from textual.command import CommandList

    options = app.screen.query_one(CommandList)
    return "\n".join(str(options.get_option_at_index(index).prompt)
                     for index in range(options.option_count))


def snapshot_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (but the lock folder) with its bytes, to compare before/after."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".locks" not in path.parts
    }


def stored_records(workspace: Workspace, table: str) -> dict[str, dict[str, object]]:
    """What the store holds of ``table`` (read afresh, as another process would): the data
    file's records, or the database table's."""
    if workspace.settings.store.backend == "postgresql":
        return Workspace.open(workspace.root).file(table).records()
    path = workspace.root / "data" / f"{table}.json"
    if not path.exists():
        return {}
    import orjson

    data = orjson.loads(path.read_bytes())
    assert data["_meta"]["schema"] == 1
    return data[table]  # type: ignore[no-any-return]


def audit_entries(workspace: Workspace) -> list[dict[str, object]]:
    """The audit, oldest first: ``audit.jsonl``'s lines, or the database's audit table."""
    if workspace.settings.store.backend == "postgresql":
        return workspace.audit()  # type: ignore[attr-defined, no-any-return]
    path = workspace.root / "audit.jsonl"
    if not path.exists():
        return []
    import orjson

    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def snapshot_store(workspace: Workspace) -> object:
    """Everything stored, to compare before and after: the workspace's files, or every
    table of the database (records, versions, counts of saves) and the audit."""
    if workspace.settings.store.backend != "postgresql":
        return snapshot_files(workspace.root)
    fresh = Workspace.open(workspace.root)
    tables = {name: (fresh.file(name).records(), fresh.file(name).version_on_disk())
              for name in fresh.table_names}
    return tables, audit_entries(workspace)


def edit_outside(workspace: Workspace, table: str, record: dict[str, object]) -> None:
    """Store ``record`` as another program would, past amtui: into the data file, or the
    database table (without counting a save)."""
    if workspace.settings.store.backend == "postgresql":
        import psycopg
        from psycopg import sql
        from psycopg.types.json import Jsonb

        with psycopg.connect(os.environ["AMTUI_DATABASE_URL"]) as connection:
            connection.execute(
                sql.SQL("INSERT INTO {} (id, rev, doc) VALUES (%s, %s, %s) ON CONFLICT (id) "
                        "DO UPDATE SET doc = excluded.doc, rev = excluded.rev").format(
                            sql.Identifier(workspace.schema, table)),  # type: ignore[attr-defined]
                [record["id"], record.get("rev", 0), Jsonb(record)])
        return
    import orjson

    path = workspace.root / "data" / f"{table}.json"
    data = orjson.loads(path.read_bytes())
    data[table][record["id"]] = record
    path.write_bytes(orjson.dumps(data))


def unavailable(reason: str) -> NoReturn:
    """This machine cannot run the test (not root, no tmpfs…): skip it here, but never on CI,
    where every test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must be able to run this test, but {reason}")
    pytest.skip(reason)


NOBODY = 65534
"""The uid and gid of ``nobody``: the other user in multi-user tests."""


def as_nobody() -> None:
    """``preexec_fn`` for a subprocess that runs as ``nobody``."""
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def python_for_other_user(preexec: Callable[[], None] | None,
                          env: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A Python that another user may run and that imports amtui, with its environment.

    The virtualenv's interpreter may live where only its owner can reach it (e.g. pyenv under
    /root); a system Python of the same version can then use the virtualenv's packages.
    """
    source = str(Path(amtui.__file__).resolve().parent.parent)
    packages = sysconfig.get_paths()["purelib"]
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates: list[tuple[str, dict[str, str]]] = [(sys.executable, {})]
    for name in (f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"):
        if os.path.exists(name):
            candidates.append((name, {"PYTHONPATH": f"{source}:{packages}"}))
    for executable, extra in candidates:
        try:
            probe = subprocess.run(
                [executable, "-c", "import amtui.cli, amtui.storage, pydantic, orjson, tinydb"],
                capture_output=True, env={**env, **extra}, preexec_fn=preexec, timeout=60,
                cwd="/",
            )
        except OSError:
            continue
        if probe.returncode == 0:
            return executable, {**env, **extra}
    unavailable("no Python that the other user can run imports amtui")
