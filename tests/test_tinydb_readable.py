"""The data files stay readable by stock TinyDB: every core table and every bundled plugin's
table of a demo workspace opens with ``tinydb.TinyDB`` itself, read-only, and gives the records
amtui's repositories read. It takes what docs/data-format.md says: a ``Table`` whose document
ids are strings, and the file opened read-only as UTF-8."""

from __future__ import annotations

from pathlib import Path

import pytest
from tinydb import TinyDB
from tinydb.table import Table

from amtui.models.base import Record
from amtui.plugins.host import PluginHost
from amtui.storage import Workspace
from amtui.testing import StillClock
from conftest import run_cli

CORE_TABLES = {"clients", "contacts", "messages", "tasks", "notes", "deals", "members"}
BUNDLED_PLUGINS = {"bonus_calculator", "kam_team", "smm_calendar"}


class StringIds(Table):
    """A TinyDB table keyed by amtui's ids (ULIDs), not TinyDB's numbers."""

    document_id_class = str


def open_with_tinydb(path: Path, table: str) -> dict[str, dict[str, object]]:
    """The records of ``table`` in the data file at ``path``, read by stock TinyDB."""
    database = TinyDB(path, access_mode="r", encoding="utf-8")
    database.table_class = StringIds
    try:
        return {document.doc_id: dict(document) for document in database.table(table).all()}
    finally:
        database.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A small demo workspace made by ``amtui demo``, the bundled plugins' tables included."""
    root = tmp_path_factory.mktemp("demo") / "ws"
    made = run_cli("demo", workspace=root)
    assert made.returncode == 0, made.stderr
    workspace = Workspace.open(root, clock=StillClock())
    PluginHost.load(None, safe_mode=True).attach(workspace)
    return workspace


def test_every_table_opens_with_stock_tinydb_and_holds_what_amtui_reads(
        demo: Workspace) -> None:
    read: dict[str, int] = {}
    for table in demo.table_names:
        spec = demo.table_spec(table)
        assert spec is not None
        path = demo.root / "data" / spec.relative_path
        repository = demo.repo(spec.model)
        if not path.exists():
            assert repository.all() == [], table
            continue
        by_tinydb = open_with_tinydb(path, table)
        assert by_tinydb == {str(raw["id"]): raw for raw in repository.scan()}, table
        model: type[Record] = spec.model
        assert sorted((model.model_validate(raw) for raw in by_tinydb.values()),
                      key=lambda record: record.id) == sorted(repository.all(),
                                                              key=lambda record: record.id)
        read[spec.folder or table] = read.get(spec.folder or table, 0) + len(by_tinydb)
    assert all(read.get(name, 0) > 0 for name in CORE_TABLES | BUNDLED_PLUGINS), read


def test_stock_tinydb_needs_string_ids(demo: Workspace) -> None:
    """Without the string ids stock TinyDB cannot read a table at all: the line the docs
    give is needed."""
    database = TinyDB(demo.root / "data" / "clients.json", access_mode="r", encoding="utf-8")
    try:
        with pytest.raises(ValueError, match="invalid literal for int"):
            database.table("clients").all()
    finally:
        database.close()
