"""A whole workspace in one ZIP file, to move it to another host: ``amtui export --all`` and
``amtui import --all``.

The archive holds ``manifest.json`` (its format and version, and each table with its schema
version and record count), ``workspace.toml``, every table's data file under ``data/`` (the
trash and plugins' tables too) and the workspace's own files (``files/``: saved attachments;
``templates/``: the team's note templates). It is read from the tables under their locks, so
its tables are as they were at one moment.

An import goes into an empty workspace only. Every entry is checked before anything is written
(no absolute path, no ``..``, no link, sizes within limits, each table readable, each record
valid for its table's model); then the files, the settings and all the tables are written, the
tables in one transaction; if any of it fails, what was written is taken back.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import orjson

from amtui.i18n import _

if TYPE_CHECKING:
    from amtui.storage import Workspace
    from amtui.storage.datafile import RawRecords

FORMAT_NAME = "amtui-workspace"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SETTINGS = "workspace.toml"
OWN_FOLDERS = ("files", "templates")
"""The workspace's folders of plain files that an archive carries."""
MAX_ENTRIES = 100_000
MAX_ENTRY_BYTES = 2 * 1024**3
MAX_TOTAL_BYTES = 16 * 1024**3
MAX_RATIO = 200
"""An entry unpacking to more than this many times its packed size is refused (a zip bomb)."""

PROGRESS_EVERY = 2000
"""Records between two calls of the progress callback."""

Progress = Callable[[int, int], None]


class BadArchive(ValueError):
    """The archive cannot be imported (not an amtui archive, a hostile or broken entry, a
    table this host cannot hold): nothing was written."""


class NotEmpty(ValueError):
    """The target workspace holds data already: nothing was written."""


@dataclass
class Summary:
    """What an archive holds, or what was written from it."""

    path: Path
    tables: dict[str, int] = field(default_factory=dict)
    """Data file (relative to ``data/``) → records."""
    files: int = 0
    left_out: list[str] = field(default_factory=list)
    """Data files of tables no loaded plugin registers (exported without them)."""

    def as_json(self) -> dict[str, Any]:
        return {"archive": str(self.path), "tables": self.tables,
                "records": sum(self.tables.values()), "files": self.files,
                "left_out": self.left_out}


# Export


def export_archive(workspace: Workspace, output: Path, progress: Progress | None = None,
                   version: str = "") -> Summary:
    """Write the whole workspace to ``output`` (replaced whole, readable by the owner only)."""
    # lazy: pydantic, loaded on first use
    from amtui.storage.datafile import data_files, encoded_blocks

    output = output.absolute()
    if output.is_dir() or (output.exists() and not output.is_file()):
        raise BadArchive(_("{output} is not a regular file; give a file name").format(
            output=output))
    if output.is_relative_to(workspace.root.absolute()):
        raise BadArchive(_("{output} is inside the workspace; write the archive elsewhere")
                         .format(output=output))
    summary = Summary(output)
    specs = {name: workspace.table_spec(name) for name in workspace.table_names}
    registered = {spec.relative_path for spec in specs.values() if spec is not None}
    summary.left_out = [path for path in data_files(workspace.root) if path not in registered]
    fd, temp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.tmp-")
    try:
        with os.fdopen(fd, "wb") as handle, \
                zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive, \
                workspace.transaction(*workspace.table_names) as tx:
            _check_whole(workspace)
            stamp = workspace.clock().timetuple()[:6]
            counts = {name: workspace.file(name).count() for name in workspace.table_names}
            total, done = sum(counts.values()), 0
            tables = []
            for name, spec in specs.items():
                assert spec is not None
                records = list(tx.scan(name))
                info = zipfile.ZipInfo(f"data/{spec.relative_path}", stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w", force_zip64=True) as entry:
                    for block in encoded_blocks(name, spec.version, records):
                        entry.write(block)
                tables.append({"path": spec.relative_path, "table": name,
                               "plugin": spec.folder, "schema": spec.version,
                               "records": len(records)})
                summary.tables[spec.relative_path] = len(records)
                done += counts[name]
                if progress is not None:
                    progress(done, total)
            archive.writestr(SETTINGS, _read_own(workspace.root, workspace.root / SETTINGS))
            for relative, data in _own_files(workspace.root):
                archive.writestr(relative, data)
                summary.files += 1
            archive.writestr(MANIFEST, orjson.dumps({
                "format": FORMAT_NAME, "version": FORMAT_VERSION, "amtui": version,
                "workspace": workspace.settings.name,
                "made_at": workspace.clock().isoformat(timespec="seconds"),
                "tables": tables, "files": summary.files,
            }, option=orjson.OPT_INDENT_2))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, output)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return summary


def _check_whole(workspace: Workspace) -> None:
    """StorageError if a table is damaged: its invalid records would be left out."""
    # lazy: pydantic, loaded on first use
    from amtui.storage.errors import StorageError

    for name in workspace.table_names:
        data_file = workspace.file(name)
        data_file.refresh()
        if data_file.damage or data_file.invalid:
            raise StorageError(_("{file} is damaged, so an archive would miss some of its "
                                 "records: see `amtui doctor`, restore it with `amtui doctor "
                                 "--restore {table}`, then export again").format(
                file=data_file.relative_name, table=name))


def _read_own(root: Path, path: Path) -> bytes:
    """A workspace file's bytes, reached without following a link."""
    # lazy: pydantic, loaded on first use
    from amtui.storage.files import FILE_FLAGS, open_in

    fd = open_in(root, path, os.O_RDONLY | FILE_FLAGS)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def _own_files(root: Path) -> Iterator[tuple[str, bytes]]:
    """Each plain file in the workspace's own folders, by its path in the workspace; a link
    there is refused."""
    # lazy: pydantic, loaded on first use
    from amtui.storage.files import link_refused, walk_folder

    for name in OWN_FOLDERS:
        for folder, _fd, entries in walk_folder(root, root / name):
            for entry in sorted(entries, key=lambda entry: entry.name):
                path = folder / entry.name
                if entry.is_symlink():
                    raise link_refused(path)
                if entry.is_file(follow_symlinks=False):
                    yield path.relative_to(root).as_posix(), _read_own(root, path)


# Reading an archive


@dataclass
class Archive:
    """An archive's checked contents, ready to be written."""

    path: Path
    settings: bytes
    tables: dict[str, tuple[str, int, RawRecords]]
    """Data file (relative to ``data/``) → its table, schema version and records."""
    files: dict[str, bytes]
    """Path in the workspace (``files/…``, ``templates/…``) → bytes."""


def read_archive(path: Path) -> Archive:
    """The checked contents of the archive at ``path``; BadArchive saying what is wrong."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise BadArchive(_("{path}: not a regular file").format(path=path))
        with zipfile.ZipFile(path) as archive:
            return _read(path, archive)
    except FileNotFoundError:
        raise BadArchive(_("{path}: no such file").format(path=path)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise BadArchive(_("{path}: not a ZIP archive ({error})").format(
            path=path, error=error)) from None
    except OSError as error:
        raise BadArchive(f"{path}: {error.strerror or error}") from None


def _read(path: Path, archive: zipfile.ZipFile) -> Archive:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise BadArchive(_("the archive holds more than {count} entries").format(
            count=MAX_ENTRIES))
    seen: set[str] = set()
    total = 0
    for info in entries:
        check_entry(info)
        if info.filename in seen:
            raise BadArchive(_("{name}: the archive holds it twice").format(name=info.filename))
        seen.add(info.filename)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise BadArchive(_("the archive unpacks to more than {size} GB").format(
                size=MAX_TOTAL_BYTES // 1024**3))
    if MANIFEST not in seen:
        raise BadArchive(_("no {name}: not an amtui workspace archive").format(name=MANIFEST))
    manifest = _manifest(_entry(archive, MANIFEST))
    settings = _entry(archive, SETTINGS) if SETTINGS in seen else b""
    _check_settings(settings)
    tables: dict[str, tuple[str, int, RawRecords]] = {}
    for table in manifest["tables"]:
        name = f"data/{table['path']}"
        if name not in seen:
            raise BadArchive(_("{name}: named in the manifest, missing from the archive")
                             .format(name=name))
        tables[table["path"]] = (table["table"], *_table(name, _entry(archive, name),
                                                          table["table"]))
    files = {}
    for info in entries:
        name = info.filename
        if info.is_dir() or name in (MANIFEST, SETTINGS):
            continue
        top = name.split("/", 1)[0]
        if top in OWN_FOLDERS:
            files[name] = _entry(archive, name)
        elif not (top == "data" and name[len("data/"):] in tables):
            raise BadArchive(_("{name}: not part of a workspace archive").format(name=name))
    return Archive(path, settings, tables, files)


def check_entry(info: zipfile.ZipInfo) -> None:
    """BadArchive unless the entry is a plain file or folder with a relative path that stays
    inside the workspace, of a size within the limits."""
    name = info.filename
    parts = PurePosixPath(name).parts
    if (not name or name.startswith("/") or "\\" in name or "\x00" in name
            or (len(name) > 1 and name[1] == ":") or ".." in parts
            or any(part in ("", ".") for part in name.rstrip("/").split("/"))):
        raise BadArchive(_("{name}: an entry outside the workspace").format(name=name[:200]))
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise BadArchive(_("{name}: a link or a special file").format(name=name))
    if info.file_size > MAX_ENTRY_BYTES:
        raise BadArchive(_("{name}: larger than {size} GB").format(
            name=name, size=MAX_ENTRY_BYTES // 1024**3))
    if info.file_size > 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise BadArchive(_("{name}: unpacks to {ratio}× its packed size").format(
            name=name, ratio=info.file_size // max(info.compress_size, 1)))


def _entry(archive: zipfile.ZipFile, name: str) -> bytes:
    """An entry's bytes, never more than it says it holds."""
    info = archive.getinfo(name)
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise BadArchive(_("{name}: its size is not what the archive says").format(name=name))
    return data


def _manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise BadArchive(_("{name}: not JSON ({error})").format(name=MANIFEST, error=error)) \
            from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise BadArchive(_("{name}: not an amtui workspace archive").format(name=MANIFEST))
    version = manifest.get("version")
    if not isinstance(version, int) or version < 1:
        raise BadArchive(_("{name}: no format version").format(name=MANIFEST))
    if version > FORMAT_VERSION:
        raise BadArchive(_("the archive's format version is {version}; this amtui reads "
                           "version {known}: update amtui").format(version=version,
                                                                   known=FORMAT_VERSION))
    tables = manifest.get("tables")
    if not isinstance(tables, list) or not all(
            isinstance(table, dict) and isinstance(table.get("path"), str)
            and isinstance(table.get("table"), str) and isinstance(table.get("schema"), int)
            for table in tables):
        raise BadArchive(_("{name}: its list of tables is malformed").format(name=MANIFEST))
    return manifest


def _check_settings(data: bytes) -> None:
    # lazy: pydantic, loaded on first use
    from pydantic import ValidationError

    # lazy: pydantic, loaded on first use
    from amtui.models import describe_validation_error
    from amtui.models.workspace import WorkspaceSettings

    try:
        WorkspaceSettings.model_validate(tomllib.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadArchive(f"{SETTINGS}: {error}") from None
    except ValidationError as error:
        raise BadArchive(f"{SETTINGS}: {describe_validation_error(error)}") from None


def _table(name: str, data: bytes, table: str) -> tuple[int, RawRecords]:
    # lazy: pydantic, loaded on first use
    from amtui.storage.datafile import DamagedFile, parse_table_file

    try:
        return parse_table_file(data, table)
    except DamagedFile as error:
        raise BadArchive(f"{name}: {error}") from None


# Import


def check_empty(workspace: Workspace) -> None:
    """NotEmpty unless the workspace holds no record in any table and no file of its own."""
    # lazy: pydantic, loaded on first use
    from amtui.storage.datafile import data_files

    filled = [name for name in workspace.table_names if workspace.file(name).count()]
    registered = {spec.relative_path for name in workspace.table_names
                  if (spec := workspace.table_spec(name)) is not None}
    filled += [path for path in data_files(workspace.root) if path not in registered]
    if not filled and any(True for _name in _own_files(workspace.root)):
        filled.append("files")
    if filled:
        raise NotEmpty(_("{root} is not empty ({filled}): import a workspace archive into a "
                         "new or empty workspace").format(root=workspace.root,
                                                          filled=", ".join(filled)))


def import_into_new(target: Path, archive: Archive, attach: Callable[[Workspace], None],
                    progress: Progress | None = None) -> Summary:
    """Make a new workspace at ``target`` (which does not exist, or is an empty folder) from
    ``archive``: it is built beside ``target`` under a hidden name and renamed into place when
    whole, so whatever stops the import (a crash, a kill) leaves no ``target`` behind, at
    most a ``.<name>.import-…`` folder. ``attach`` gives the new workspace the plugins'
    tables."""
    # lazy: pydantic, loaded on first use
    from amtui.storage import Workspace

    staging = target.parent / f".{target.name}.import-{os.urandom(4).hex()}"
    try:
        workspace = Workspace.open(staging, create=True, name=target.name)
        attach(workspace)
        summary = import_archive(workspace, archive, progress)
        try:
            os.rename(staging, target)
        except OSError as error:
            raise NotEmpty(_("{root} is not empty ({filled}): import a workspace archive into "
                             "a new or empty workspace").format(
                root=target, filled=error.strerror)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


def import_archive(workspace: Workspace, archive: Archive,
                   progress: Progress | None = None) -> Summary:
    """Write ``archive`` into the empty ``workspace``: everything, or (on any failure) nothing."""
    # lazy: pydantic, loaded on first use
    from amtui.storage.datafile import checked_record
    from amtui.storage.errors import InvalidRecord

    check_empty(workspace)
    by_path = {spec.relative_path: spec for name in workspace.table_names
               if (spec := workspace.table_spec(name)) is not None}
    staged: dict[str, list[dict[str, Any]]] = {}
    summary = Summary(archive.path, files=len(archive.files))
    total = 2 * sum(len(records) for _table, _version, records in archive.tables.values())
    done = 0
    for path, (table, version, records) in archive.tables.items():
        spec = by_path.get(path)
        if spec is None or spec.name != table:
            plugin = path.split("/", 1)[0] if "/" in path else ""
            raise BadArchive(_("data/{path}: no plugin here keeps this table; install and "
                               "enable the plugin {plugin} first").format(path=path,
                                                                         plugin=plugin or "?"))
        if version > spec.version:
            raise BadArchive(_("data/{path}: schema version {version} is newer than this "
                               "host's {known}: update amtui or the plugin").format(
                path=path, version=version, known=spec.version))
        for step in range(version, spec.version):
            migrate = spec.migrations.get(step)
            if migrate is None:
                raise BadArchive(_("data/{path}: no way to upgrade schema version {version}")
                                 .format(path=path, version=step))
            records = migrate(records)
        for record_id, record in records.items():
            try:
                checked_record(spec.model, record)
            except InvalidRecord as error:
                raise BadArchive(_("data/{path}: record {record_id}: {error}").format(
                    path=path, record_id=record_id[:40], error=error)) from None
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
        staged[spec.name] = list(records.values())
        summary.tables[path] = len(records)
    _write(workspace, archive, staged, _counting_from(done, total, progress))
    return summary


def _counting_from(start: int, total: int, progress: Progress | None) -> Progress | None:
    """``progress`` for the second half of the work: the records checked are done already."""
    if progress is None:
        return None
    return lambda done, _total: progress(start + done, total)


def _write(workspace: Workspace, archive: Archive, staged: dict[str, list[dict[str, Any]]],
           progress: Progress | None) -> None:
    """The files, then the settings, then every table in one transaction; on a failure the
    files written are removed and the settings put back."""
    # lazy: pydantic, loaded on first use
    from amtui.storage.files import atomic_write
    from amtui.storage.workspace import CONFIG_NAME

    root = workspace.root
    written: list[Path] = []
    """Files and folders made, in the order they were made."""
    settings = _read_own(root, root / CONFIG_NAME)
    try:
        for relative, data in archive.files.items():
            target = root / relative
            if target.exists() or target.is_symlink():
                raise NotEmpty(_("{path} is there already").format(path=target))
            folders = [folder for folder in target.relative_to(root).parents
                       if folder.parts and not (root / folder).exists()]
            written.extend(root / folder for folder in reversed(folders))
            atomic_write(target, data, workspace.file_mode, within=root)
            written.append(target)
        if archive.settings:
            atomic_write(root / CONFIG_NAME, _with_own_store(archive.settings, settings),
                         workspace.file_mode, within=root)
        total = sum(len(records) for records in staged.values())
        done = 0
        with workspace.transaction(*staged) as tx:
            for table, records in staged.items():
                for start in range(0, len(records), PROGRESS_EVERY):
                    tx.insert(table, records[start:start + PROGRESS_EVERY])
                    done += len(records[start:start + PROGRESS_EVERY])
                    if progress is not None:
                        progress(done, total)
    except BaseException:
        _take_back(workspace, staged)
        for path in reversed(written):
            with suppress(FileNotFoundError):
                if path.is_dir() and not path.is_symlink():
                    path.rmdir()
                else:
                    path.unlink()
        atomic_write(root / CONFIG_NAME, settings, workspace.file_mode, within=root)
        raise


def _with_own_store(imported: bytes, own: bytes) -> bytes:
    """The archive's settings with the workspace's own ``[store]`` (or none): where the
    records live is the workspace's, never the archive's (it could name another database)."""
    # lazy: tomlkit, only when settings are written
    import tomlkit

    document = tomlkit.parse(imported.decode("utf-8"))
    document.pop("store", None)
    store = tomlkit.parse(own.decode("utf-8")).get("store")
    if store is not None:
        document["store"] = store
    return tomlkit.dumps(document).encode("utf-8")


def _take_back(workspace: Workspace, staged: dict[str, list[dict[str, Any]]]) -> None:
    """Remove the records of the tables a failed import had written already (a transaction
    writes its files one after another)."""
    with workspace.transaction(*staged) as tx:
        for table, records in staged.items():
            for record in records:
                if tx.get(table, record["id"]) is not None:
                    tx.remove(table, record["id"], action="discard")
