"""`amtui export --all ARCHIVE.zip` and `amtui import --all ARCHIVE.zip`: a whole workspace,
plugins' tables included, to another host; all of it or nothing."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import orjson
import pytest

from amtui.models import Client, Task
from amtui.services import archive as archive_service
from amtui.services.archive import (
    BadArchive,
    NotEmpty,
    import_archive,
    import_into_new,
    read_archive,
)
from amtui.storage import Workspace
from amtui.storage.datafile import DataFile, data_files
from conftest import run_cli, snapshot_files


def tables_of(root: Path) -> dict[str, dict[str, object]]:
    """Every data file's records by id."""
    found = {}
    for relative in data_files(root):
        data = orjson.loads((root / "data" / relative).read_bytes())
        table = data["_meta"]["table"]
        found[relative] = data[table]
    return found


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace (plugins' tables filled too), one record in the trash, a saved
    attachment and a note template."""
    root = tmp_path_factory.mktemp("source") / "ws"
    made = run_cli("demo", workspace=root)
    assert made.returncode == 0, made.stderr
    workspace = Workspace.open(root)
    task = workspace.repo(Task).all()[0]
    workspace.repo(Task).delete(task.id)
    (root / "files" / "01ABC").mkdir(parents=True)
    (root / "files" / "01ABC" / "смета.pdf").write_bytes(b"%PDF-1.4 \x00\xff")
    (root / "templates" / "notes").mkdir(parents=True)
    (root / "templates" / "notes" / "встреча.md").write_text("# Встреча\n")
    return root


@pytest.fixture(scope="module")
def archive(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "workspace.zip"
    made = run_cli("export", "--all", str(path), workspace=source)
    assert made.returncode == 0, made.stderr
    return path


def test_a_whole_workspace_moves_with_plugins_tables_trash_and_files(
        source: Path, archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "moved"

    result = run_cli("import", "--all", str(archive), "--json", workspace=target)

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    moved = tables_of(target)
    assert moved == tables_of(source)
    assert {"smm_calendar/posts.json", "kam_team/kam_surveys.json",
            "bonus_calculator/bonus_plans.json", "trash.json"} <= set(moved)
    assert all(moved[name] for name in ("smm_calendar/posts.json", "trash.json"))
    assert summary["records"] == sum(len(records) for records in moved.values())
    assert summary["files"] == 2
    assert (target / "files" / "01ABC" / "смета.pdf").read_bytes() == b"%PDF-1.4 \x00\xff"
    assert (target / "templates" / "notes" / "встреча.md").read_text() == "# Встреча\n"
    assert (target / "workspace.toml").read_bytes() == (source / "workspace.toml").read_bytes()
    doctor = run_cli("doctor", workspace=target)
    assert doctor.returncode == 0, doctor.stdout


def test_the_archive_has_a_manifest_with_each_tables_schema(archive: Path) -> None:
    with zipfile.ZipFile(archive) as packed:
        manifest = json.loads(packed.read("manifest.json"))
        names = packed.namelist()

    assert manifest["format"] == "amtui-workspace" and manifest["version"] == 1
    posts = next(table for table in manifest["tables"] if table["table"] == "posts")
    assert posts == {"path": "smm_calendar/posts.json", "table": "posts",
                     "plugin": "smm_calendar", "schema": 1, "records": posts["records"]}
    assert "data/smm_calendar/posts.json" in names and "workspace.toml" in names
    assert oct(archive.stat().st_mode & 0o777) == "0o600"


def test_a_workspace_with_data_is_refused_and_left_as_it_was(
        archive: Path, workspace: Workspace) -> None:
    workspace.repo(Client).add(Client(name="Своё"))
    before = snapshot_files(workspace.root)

    result = run_cli("import", "--all", str(archive), workspace=workspace.root)

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is not empty (clients)" in result.stderr
    assert snapshot_files(workspace.root) == before


def test_a_crash_while_writing_leaves_the_target_as_it_was(
        archive: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.plugins.host import PluginHost

    PluginHost.load(workspace.root).attach(workspace)
    before = snapshot_files(workspace.root)
    commit = DataFile.commit
    written: list[str] = []
    failed: list[str] = []

    def crashing(self: DataFile, *saved_by: object) -> None:
        """The second table's write fails, once."""
        if written and not failed:
            failed.append(self.name)
            raise OSError(5, "Input/output error")
        written.append(self.name)
        commit(self, *saved_by)  # type: ignore[arg-type]

    monkeypatch.setattr(DataFile, "commit", crashing)

    with pytest.raises(OSError):
        import_archive(workspace, read_archive(archive))

    monkeypatch.setattr(DataFile, "commit", commit)
    assert written[0] == "clients" and failed  # one table was written before the failure
    assert all(workspace.file(name).count() == 0 for name in workspace.table_names)
    assert not (workspace.root / "files").exists()
    assert not (workspace.root / "templates").exists()
    assert (workspace.root / "workspace.toml").read_bytes() == before["workspace.toml"]


def test_a_new_workspace_appears_whole_or_not_at_all(
        archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.plugins.host import PluginHost

    host = PluginHost.load(None)
    commit = DataFile.commit
    seen: list[list[str]] = []

    def crashing(self: DataFile, *saved_by: object) -> None:
        """While the second table is written, the new workspace is not there yet."""
        seen.append(sorted(path.name for path in tmp_path.iterdir()))
        if len(seen) == 2:
            raise OSError(5, "Input/output error")
        commit(self, *saved_by)  # type: ignore[arg-type]

    monkeypatch.setattr(DataFile, "commit", crashing)
    with pytest.raises(OSError):
        import_into_new(tmp_path / "new", read_archive(archive), host.attach)

    assert seen[1][0].startswith(".new.import-") and "new" not in seen[1]
    assert list(tmp_path.iterdir()) == []  # no target, and the half-made one removed

    monkeypatch.setattr(DataFile, "commit", commit)
    summary = import_into_new(tmp_path / "new", read_archive(archive), host.attach)
    assert [path.name for path in tmp_path.iterdir()] == ["new"]
    assert tables_of(tmp_path / "new")["tasks.json"]
    assert summary.tables["tasks.json"] == len(tables_of(tmp_path / "new")["tasks.json"])


def hostile(tmp_path: Path, archive: Path, name: str, data: bytes = b"x",
            link: bool = False) -> Path:
    """A copy of ``archive`` with one more entry."""
    path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(archive) as good, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bad:
        for info in good.infolist():
            bad.writestr(info, good.read(info))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        if link:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        bad.writestr(info, data)
    return path


def rewritten(tmp_path: Path, archive: Path, name: str, data: bytes) -> Path:
    """A copy of ``archive`` with one entry's bytes replaced."""
    path = tmp_path / "changed.zip"
    with zipfile.ZipFile(archive) as good, zipfile.ZipFile(path, "w") as bad:
        for info in good.infolist():
            bad.writestr(info, data if info.filename == name else good.read(info))
    return path


def manifest_of(archive: Path) -> dict[str, object]:
    with zipfile.ZipFile(archive) as packed:
        return dict(json.loads(packed.read("manifest.json")))


@pytest.mark.parametrize(("make", "said"), [
    (lambda tmp, good: hostile(tmp, good, "/etc/cron.d/evil"), "outside the workspace"),
    (lambda tmp, good: hostile(tmp, good, "files/../../evil"), "outside the workspace"),
    (lambda tmp, good: hostile(tmp, good, "files/link", b"/etc/passwd", link=True),
     "a link or a special file"),
    (lambda tmp, good: hostile(tmp, good, "plugins/evil/__init__.py"),
     "not part of a workspace archive"),
    (lambda tmp, good: hostile(tmp, good, "files/bomb", bytes(20 * 1024**2)), "unpacks to"),
    (lambda tmp, good: rewritten(tmp, good, "manifest.json", orjson.dumps(
        {**manifest_of(good), "version": 99})), "format version is 99"),
    (lambda tmp, good: rewritten(tmp, good, "manifest.json", b"{}"),
     "not an amtui workspace archive"),
    (lambda tmp, good: rewritten(tmp, good, "data/tasks.json",
                                 b'{"_meta":{"schema":1,"table":"tasks"},"tasks":{"1":'
                                 b'{"id":"1","rev":1,"title":""}}}'), "record 1"),
    (lambda tmp, good: rewritten(tmp, good, "workspace.toml", b"currency = ["),
     "workspace.toml"),
    (lambda tmp, good: tmp / "missing.zip", "no such file"),
    (lambda tmp, good: rewritten(tmp, good, "data/tasks.json", b"not json"),
     "data/tasks.json"),
])
def test_a_bad_archive_is_refused_and_no_workspace_is_made(
        archive: Path, tmp_path: Path, make: object, said: str) -> None:
    bad = make(tmp_path, archive)  # type: ignore[operator]
    target = tmp_path / "new"

    result = run_cli("import", "--all", str(bad), workspace=target)

    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and said in result.stderr, result.stderr
    assert not target.exists()


def test_an_archive_naming_a_plugin_not_here_is_refused(
        archive: Path, workspace: Workspace) -> None:
    before = snapshot_files(workspace.root)

    with pytest.raises(BadArchive, match="install and enable the plugin bonus_calculator first"):
        import_archive(workspace, read_archive(archive))  # no plugin loaded

    assert snapshot_files(workspace.root) == before


def test_an_empty_workspace_is_a_fine_target(archive: Path, workspace: Workspace) -> None:
    from amtui.plugins.host import PluginHost

    PluginHost.load(workspace.root).attach(workspace)

    summary = import_archive(workspace, read_archive(archive))

    assert summary.tables["clients.json"] == workspace.file("clients").count() > 0
    with pytest.raises(NotEmpty):
        archive_service.check_empty(workspace)


@pytest.mark.parametrize(("arguments", "said"), [
    (["import", "--all", "a.zip", "tasks"], "import --all takes the archive alone"),
    (["import", "tasks"], "name a table and a FILE, or give --all ARCHIVE"),
    (["export", "--all", "a.zip", "tasks"], "export --all takes the archive's name"),
    (["export", "--all", "/no/such/folder/a.zip"], "no such folder"),
])
def test_bad_command_lines_are_one_line_exit_2(workspace: Workspace, arguments: list[str],
                                               said: str) -> None:
    before = snapshot_files(workspace.root)

    result = run_cli(*arguments, workspace=workspace.root)

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and said in result.stderr, result.stderr
    assert snapshot_files(workspace.root) == before


def test_import_all_refuses_the_options_of_a_table_import(archive: Path, tmp_path: Path) -> None:
    result = run_cli("import", "--all", str(archive), "--dry-run", workspace=tmp_path / "new")

    assert result.returncode == 2 and "no table, file or other options" in result.stderr
    assert not (tmp_path / "new").exists()


def test_tables_of_plugins_not_loaded_are_left_out_with_a_warning(
        source: Path, tmp_path: Path) -> None:
    path = tmp_path / "core.zip"

    result = run_cli("export", "--all", str(path), "--json", workspace=source,
                     env={"AMTUI_LOAD_PLUGINS": ""})

    assert result.returncode == 0, result.stderr
    assert "warning: data/smm_calendar/posts.json left out" in result.stderr
    summary = json.loads(result.stdout)
    assert "smm_calendar/posts.json" in summary["left_out"]
    assert "smm_calendar/posts.json" not in summary["tables"] and summary["tables"]["tasks.json"]


def test_an_archive_inside_the_workspace_is_refused(source: Path) -> None:
    before = snapshot_files(source)

    result = run_cli("export", "--all", str(source / "files" / "copy.zip"), workspace=source)

    assert result.returncode == 2 and "inside the workspace" in result.stderr
    assert snapshot_files(source) == before


def test_a_damaged_table_stops_the_export(workspace: Workspace, tmp_path: Path) -> None:
    workspace.repo(Client).add(Client(name="Целый"))
    tasks = workspace.root / "data" / "tasks.json"
    tasks.write_text('{"_meta":{"schema":1,"table":"tasks"},"tasks":{"1":{"id":"1","rev":1}}}')

    result = run_cli("export", "--all", str(tmp_path / "a.zip"), workspace=workspace.root)

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "data/tasks.json is damaged" in result.stderr
    assert not (tmp_path / "a.zip").exists()
    assert [path.name for path in tmp_path.iterdir()] == ["ws"]
