"""Moving a workspace's records to the other store: ``amtui store move --to postgresql|files``.

Every table (plugins' included, when they are loaded) is copied into the target in one
transaction, records as they are stored (ids, revisions, times); then ``workspace.toml``'s
``[store]`` names the target. A target that holds any record is refused: nothing is merged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from amtui.i18n import _
from amtui.models.workspace import StoreSettings
from amtui.storage import StorageError, Workspace
from amtui.storage.toml_files import read_toml_document, write_toml_document
from amtui.storage.workspace import CONFIG_NAME

if TYPE_CHECKING:
    from amtui.storage.datafile import Snapshot

STORES = ("files", "postgresql")
BATCH = 1000
"""Records inserted at a time (and the progress reported after each)."""

Progress = Callable[[int, int], None]


class MoveRefused(StorageError):
    """The move cannot be made as asked; nothing was changed."""


@dataclass
class Moved:
    """What a move copied: records by table, and the snapshot of the data files left
    behind (on a move to PostgreSQL)."""

    tables: dict[str, int] = field(default_factory=dict)
    snapshot: Snapshot | None = None

    @property
    def records(self) -> int:
        return sum(self.tables.values())


def move_store(workspace: Workspace, to: str, schema: str | None = None,
               progress: Progress | None = None) -> Moved:
    """Copy the records of ``workspace`` into the store ``to`` and switch the workspace to
    it. On PostgreSQL the tables go into ``schema`` (the ``[store]`` one, by default)."""
    current = workspace.settings.store
    if to not in STORES:
        raise MoveRefused(_("--to: {to!r} is not one of {stores}").format(
            to=to, stores=", ".join(STORES)))
    if to == current.backend:
        raise MoveRefused(_("the records are in {store} already").format(store=to))
    store = StoreSettings(backend=to,
                          schema=schema or current.schema_name, service=current.service)
    target = _open_target(workspace, store)
    names = workspace.table_names
    filled = [name for name in names if target.file(name).count()]
    if filled:
        raise MoveRefused(_("the target already holds records ({filled}); a move goes into an "
                            "empty store only").format(filled=", ".join(filled)))
    moved = Moved()
    total = sum(workspace.file(name).count() for name in names)
    done = 0
    with target.transaction(*names) as tx:
        for name in names:
            records = list(workspace.file(name).scan())
            for start in range(0, len(records), BATCH):
                tx.insert(name, records[start:start + BATCH])
                done += len(records[start:start + BATCH])
                if progress is not None:
                    progress(done, total)
            moved.tables[name] = len(records)
    _write_store(workspace, store)
    if to == "postgresql":
        moved.snapshot = _retire_data_files(workspace)
    return moved


def _open_target(workspace: Workspace, store: StoreSettings) -> Workspace:
    settings = workspace.settings.model_copy(update={"store": store})
    target: Workspace
    if store.backend == "postgresql":
        # lazy: psycopg, only for a move to PostgreSQL
        from amtui.storage.postgresql import PostgresWorkspace

        target = PostgresWorkspace(workspace.root, settings, clock=workspace.clock)
    else:
        target = Workspace(workspace.root, settings, clock=workspace.clock)
    for name in workspace.table_names:
        spec = workspace.table_spec(name)
        if spec is not None and target.table_spec(name) is None:
            target.register_table(spec)
    return target


def _write_store(workspace: Workspace, store: StoreSettings) -> None:
    """``[store]`` in workspace.toml names ``store`` (left out for the default, files);
    every other byte of the file is kept."""
    # lazy: tomlkit, only when settings are written
    import tomlkit

    path = workspace.root / CONFIG_NAME
    document, mode = read_toml_document(path)
    document.pop("store", None)
    if store.backend != "files":
        section = tomlkit.table()
        section["backend"] = store.backend
        section["schema"] = store.schema_name
        if store.service:
            section["service"] = store.service
        document["store"] = section
    write_toml_document(path, document, mode if mode is not None else workspace.file_mode,
                        within=workspace.root)


def _retire_data_files(workspace: Workspace) -> Snapshot:
    """Keep the data files the records were moved from in a snapshot in ``backups/``, and
    take them out of ``data/``: the workspace reads the database now, and a move back
    finds ``data/`` empty."""
    # lazy: the file store's own helpers
    from amtui.storage.datafile import backup_snapshot, data_files

    relatives = data_files(workspace.root)
    snapshot = backup_snapshot(workspace.root, relatives, "moved-to-postgresql")
    for relative in relatives:
        (workspace.root / "data" / relative).unlink(missing_ok=True)
    return snapshot
