"""Finding, loading and calling plugins, each inside its own ``try``.

Where plugins come from, later overriding earlier (a plugin of the same name replaces the one
found before it): amtui's bundled plugins, the ``amtui`` entry-point group, ``plugins/`` in the
user config folder, ``plugins/`` in the workspace.

A plugin that fails to import, has a misspelt hook, raises (or exits) in a hook, takes longer
than its time limit (see :mod:`amtui.plugins.guard`) or whose pane cannot be made is marked
failed with the reason; the others, and amtui, go on. Core code calls plugins
only through :class:`PluginHost`'s typed methods, never ``pm.hook`` directly.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import stat
import sys
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from amtui.i18n import N_, _
from amtui.plugins import specs
from amtui.plugins.failures import Failure, fingerprint, remember, remembered
from amtui.plugins.guard import REGISTER_SECONDS, WORK_SECONDS, limit, run_plugin_code
from amtui.plugins.specs import (
    AgendaEntry,
    CliCommand,
    ClientSection,
    CommandSpec,
    Event,
    PaneSpec,
    SettingsSection,
    TableSpec,
    ThemeSpec,
)

if TYPE_CHECKING:
    from amtui.models import Record
    from amtui.storage import Workspace

ALLOW_VARIABLE = "AMTUI_LOAD_PLUGINS"
"""Comma-separated names of the only plugins to load; set but empty loads none."""

HOOK_NAMES = frozenset(name for name in dir(specs) if name.startswith("amtui_"))

SOURCE_WORDS = {"bundled": N_("bundled"), "entry point": N_("entry point"), "user": N_("user"),
                "workspace": N_("workspace")}
"""Where a plugin can come from, in load order, and how a user is told so."""
SOURCES = tuple(SOURCE_WORDS)


@dataclass
class PluginInfo:
    """What ``amtui plugins`` says about one plugin."""

    name: str
    source: str
    location: str
    version: str = ""
    hooks: list[str] = field(default_factory=list)
    status: str = "loaded"
    """loaded, disabled, failed, or shadowed (a later plugin of the same name is used)."""
    error: str = ""
    hook: str = ""
    """Where a failure at run time happened (a hook, ``pane``, ``command``, ``open``)."""
    time: str = ""
    """When it happened (ISO 8601), remembered until the plugin's files change."""

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "source": self.source,
                "location": self.location, "hooks": self.hooks, "status": self.status,
                "error": self.error, "hook": self.hook, "time": self.time}


@dataclass(frozen=True)
class Candidate:
    """A plugin found but not loaded yet."""

    name: str
    source: str
    location: str
    load: Callable[[], ModuleType]
    version: str = ""
    refusal: str = ""
    """Why it must not be loaded (an untrusted file in a shared workspace), if so."""


def bundled_folder() -> Path:
    """amtui's own plugins: inside the installed package, or ``plugins/`` of a checkout."""
    inside = Path(__file__).resolve().parent.parent / "bundled_plugins"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[3] / "plugins"


def user_plugin_folder() -> Path:
    # lazy: platformdirs, only when the config dir is needed
    from platformdirs import user_config_path

    return user_config_path("amtui", appauthor=False) / "plugins"


def import_from_path(module_name: str, path: Path) -> ModuleType:
    """Import a plugin file (``name.py``) or package folder as ``module_name``."""
    init = path / "__init__.py" if path.is_dir() else path
    spec = importlib.util.spec_from_file_location(
        module_name, init, submodule_search_locations=[str(path)] if path.is_dir() else None)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {init}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


FileCheck = Callable[[os.stat_result, Path], str]
"""Why a plugin's source file (its stat, its path) must not run ("" if it may)."""


class SourceOnlyFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Loads workspace and user plugins, and the modules of their packages, from their
    source files only: ``__pycache__`` is neither read nor written, since someone else may
    be able to write bytecode there that Python would run in place of the source. A checked
    plugin's files are opened without following a link and checked on the open file."""

    def __init__(self) -> None:
        self.packages: dict[str, tuple[Path, FileCheck | None]] = {}
        """Package module name → its folder and the check for its files."""

    def find_spec(self, fullname: str, path: Any = None,
                  target: Any = None) -> importlib.machinery.ModuleSpec | None:
        package, _dot, rest = fullname.partition(".")
        if not rest or package not in self.packages:
            return None
        folder, check = self.packages[package]
        base = folder.joinpath(*rest.split("."))
        if _is_real(base, stat.S_ISDIR) and _is_real(base / "__init__.py", stat.S_ISREG):
            return self.spec(fullname, base, check)
        candidate = base.with_name(base.name + ".py")
        if _is_real(candidate, stat.S_ISREG):
            return self.spec(fullname, candidate, check)
        return None

    def spec(self, name: str, path: Path,
             check: FileCheck | None) -> importlib.machinery.ModuleSpec:
        """The spec of a plugin module (``name.py``) or package (a folder)."""
        is_package = path.is_dir()
        origin = path / "__init__.py" if is_package else path
        spec = importlib.machinery.ModuleSpec(name, self, origin=str(origin),
                                              is_package=is_package)
        spec.has_location = True
        spec.loader_state = check
        if is_package:
            spec.submodule_search_locations = [str(path)]
        return spec

    def exec_module(self, module: ModuleType) -> None:
        spec = module.__spec__
        assert spec is not None and spec.origin is not None
        origin = Path(spec.origin)
        code = compile(_read_source(origin, spec.loader_state), str(origin), "exec",
                       dont_inherit=True)
        exec(code, module.__dict__)

    def get_resource_reader(self, fullname: str) -> Any:
        """Lets ``importlib.resources`` read the files of a plugin package."""
        # lazy: only when a plugin reads its files
        from importlib.readers import FileReader
        from types import SimpleNamespace

        spec = getattr(sys.modules.get(fullname), "__spec__", None)
        if spec is None or spec.origin is None:
            return None
        return FileReader(SimpleNamespace(path=spec.origin))  # type: ignore[arg-type]


def _is_real(path: Path, kind: Callable[[int], bool]) -> bool:
    """Whether ``path`` is there as that kind of file itself, not through a link."""
    try:
        return kind(path.lstat().st_mode)
    except OSError:
        return False


def _read_source(path: Path, check: FileCheck | None) -> bytes:
    """A plugin file's source; with ``check``, read from a descriptor that follows no link and
    whose file passed the check (so it cannot be swapped between the check and the read)."""
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK
    fd = os.open(path, flags | (os.O_NOFOLLOW if check else 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        problem = "" if stat.S_ISREG(info.st_mode) else _(
            "{file} is not a regular file").format(file=path.name)
        if not problem and check is not None:
            problem = check(info, path)
        if problem:
            raise ImportError(problem)
        return handle.read()


SOURCE_ONLY = SourceOnlyFinder()


def import_source_only(module_name: str, path: Path, check: FileCheck | None) -> ModuleType:
    """Import a plugin file or package folder as ``module_name`` from source (see
    :class:`SourceOnlyFinder`), its files checked with ``check``."""
    if SOURCE_ONLY not in sys.meta_path:
        sys.meta_path.insert(0, SOURCE_ONLY)
    spec = SOURCE_ONLY.spec(module_name, path, check)
    if path.is_dir():
        SOURCE_ONLY.packages[module_name] = (path, check)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        SOURCE_ONLY.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _module_from_path(name: str, path: Path, source: str,
                      check: FileCheck | None) -> Callable[[], ModuleType]:
    module_name = f"amtui_plugin_{source.replace(' ', '_')}_{name}"
    if source == "bundled":  # installed with amtui, like its own code
        return lambda: import_from_path(module_name, path)
    return lambda: import_source_only(module_name, path, check)


def plugins_in(folder: Path, source: str, check: Callable[[Path], str] | None = None,
               file_check: FileCheck | None = None) -> list[Candidate]:
    """The plugins in a folder: ``name.py`` files and ``name/`` packages (``_``-prefixed and
    hidden ones are skipped). ``check`` may refuse a plugin before it is loaded;
    ``file_check`` checks each of its files as it is read."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("_", ".")):
            continue
        if path.suffix == ".py" and path.is_file():
            name = path.stem
        elif path.is_dir() and (path / "__init__.py").is_file():
            name = path.name
        else:
            continue
        refusal = check(path) if check else ""
        # A checked plugin that is a link is loaded from where it points, once checked there.
        real = path.resolve() if check and path.is_symlink() else path
        found.append(Candidate(name, source, str(path),
                               _module_from_path(name, real, source, file_check),
                               refusal=refusal))
    return found


def _entry_points_declared() -> bool:
    """Whether any installed distribution declares ``amtui`` entry points, found by reading
    the few ``entry_points.txt`` files there are (importing importlib.metadata to ask costs
    more than the first frame can spare when no plugin is installed that way)."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder or ".", name, "entry_points.txt"),
                              encoding="utf-8") as handle:
                        if f"[{specs.PROJECT}]" in handle.read():
                            return True
                except OSError:
                    continue
    return False


def entry_point_plugins() -> list[Candidate]:
    if not _entry_points_declared():
        return []
    # lazy: importlib.metadata, only when entry points are declared
    from importlib.metadata import entry_points

    found = []
    for entry in entry_points(group=specs.PROJECT):
        version = entry.dist.version if entry.dist is not None else ""
        found.append(Candidate(entry.name, "entry point", entry.value, entry.load,
                               version=version))
    return found


def trust_problem(path: Path, workspace_root: Path) -> str:
    """Why a file in a shared workspace's ``plugins/`` must not run as whoever opens the
    workspace ("" if it may): it must belong to this user or to the workspace folder's owner,
    and nobody else may be able to change it."""
    check = owner_check(workspace_root)
    if path.is_symlink():
        return link_problem(path, workspace_root)
    paths = [path, *sorted(path.rglob("*.py"))] if path.is_dir() else [path]
    for item in paths:
        problem = check(item.lstat(), item)
        if problem:
            return problem
    return ""


def link_problem(link: Path, workspace_root: Path) -> str:
    """Why the plugin a link in ``plugins/`` points to must not run ("" if it may): what it
    points to, and every folder on the way there, must belong to this user, the workspace's
    owner or root, and nobody else may be able to change them (a folder with the sticky bit,
    like ``/tmp``, may be writable by all: nobody can replace what others put in it)."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError) as error:
        return _("{link} is a link that leads nowhere ({error})").format(link=link.name,
                                                                         error=error)
    trusted = (os.getuid(), workspace_root.stat().st_uid, 0)
    for item in (target, *target.parents):
        info = item.stat()
        if info.st_uid not in trusted:
            return _("{link} links to {target}, and {item} belongs to uid {uid} (neither you, "
                     "the workspace's owner nor root): its owner could change code that would "
                     "run as you; copy the plugin into plugins/ instead, or have {item} owned "
                     "by you (chown)").format(link=link.name, target=target, item=item,
                                              uid=info.st_uid)
        sticky = item != target and item.is_dir() and info.st_mode & stat.S_ISVTX
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not sticky:
            return _("{link} links to {target}, and {item} can be changed by other users "
                     "(mode {mode}); run `chmod go-w {item}` to load it").format(
                         link=link.name, target=target, item=item,
                         mode=stat.filemode(info.st_mode))
    return trust_problem(target, workspace_root)


def owner_check(workspace_root: Path) -> FileCheck:
    """The check of a workspace plugin's files: see :func:`trust_problem`."""
    me, admin = os.getuid(), workspace_root.stat().st_uid

    def check(info: os.stat_result, item: Path) -> str:
        if info.st_uid not in (me, admin):
            return _("{file} belongs to uid {uid}, neither you nor the workspace's owner; it "
                     "would run as you, so it is not loaded").format(file=item.name,
                                                                    uid=info.st_uid)
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return _("{file} can be changed by other users (mode {mode}); make it writable "
                     "by its owner only (chmod go-w) to load it").format(
                         file=item.name, mode=stat.filemode(info.st_mode))
        return ""

    return check


def discover(workspace_root: Path | None, *, safe_mode: bool = False,
             user_folder: Path | None = None) -> list[Candidate]:
    """Every plugin found, in load order (a later one of the same name replaces an earlier).
    User and workspace plugins are loaded from their source only (:class:`SourceOnlyFinder`),
    and a workspace plugin's files are checked as they are read."""
    found = plugins_in(bundled_folder(), "bundled")
    if safe_mode:
        return found
    found += entry_point_plugins()
    found += plugins_in(user_folder or user_plugin_folder(), "user")
    if workspace_root is not None:
        found += plugins_in(workspace_root / "plugins", "workspace",
                            lambda path: trust_problem(path, workspace_root),
                            owner_check(workspace_root))
    return found


def _one_line_error(error: BaseException) -> str:
    import traceback  # lazy: only when a plugin fails

    frames = traceback.extract_tb(error.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    text = " ".join(str(error).split()) or type(error).__name__
    return f"{type(error).__name__}: {text}{where}"


class PluginHost:
    """The loaded plugins and the typed calls into them."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(specs.PROJECT)
        self.pm.add_hookspecs(specs)
        self.plugins: dict[str, PluginInfo] = {}
        self.failures: list[tuple[str, str]] = []
        """(plugin, error) in the order they happened, for the app to show."""
        self.settings: dict[str, Any] = {}
        """Section name → the plugin's settings model, read from ``workspace.toml``."""
        self.root: Path | None = None
        """The workspace whose failures are remembered (see :mod:`amtui.plugins.failures`)."""
        self.shadowed: list[PluginInfo] = []
        """Plugins not used because a later one has their name, each after the one used."""
        self._attached: weakref.WeakSet[Workspace] = weakref.WeakSet()
        self.openers: dict[str, tuple[str, Callable[[Any, str], None] | None]] = {}
        """Plugin table → (plugin, how to show one of its records)."""

    @classmethod
    def load(cls, workspace_root: Path | None, *, safe_mode: bool = False,
             disabled: Iterable[str] = (), user_folder: Path | None = None) -> PluginHost:
        host = cls()
        host.root = workspace_root
        host.load_all(discover(workspace_root, safe_mode=safe_mode, user_folder=user_folder),
                      disabled)
        host.recall_failures()
        return host

    def recall_failures(self) -> None:
        """Switch off the loaded plugins that failed at run time in an earlier process, with
        that failure, unless their files changed since (then it is forgotten)."""
        if self.root is None:
            return
        forgotten: dict[str, Failure | None] = {}
        for name, failure in remembered(self.root).items():
            info = self.plugins.get(name)
            if info is None or info.status != "loaded":
                continue
            if failure.fingerprint != fingerprint(info.source, info.location, info.version):
                forgotten[name] = None
                continue
            self._fail(name, failure.error)
            info.hook, info.time = failure.hook, failure.time
            self.failures[-1] = (name, _(
                "{error} (in {hook} at {time}; remembered until the plugin's files change)")
                .format(error=failure.error, hook=failure.hook, time=failure.time))
        if forgotten:
            remember(self.root, forgotten)

    def load_all(self, candidates: list[Candidate], disabled: Iterable[str] = ()) -> None:
        disabled = set(disabled)
        allowed = os.environ.get(ALLOW_VARIABLE)
        allow = None if allowed is None else {
            name.strip() for name in allowed.split(",") if name.strip()}
        chosen: dict[str, Candidate] = {}
        replaced: dict[str, list[Candidate]] = {}
        for candidate in candidates:
            earlier = chosen.pop(candidate.name, None)
            if earlier is not None:
                replaced.setdefault(candidate.name, []).append(earlier)
            chosen[candidate.name] = candidate  # later sources override earlier ones
        for name, earlier_ones in replaced.items():
            used = chosen[name]
            self.shadowed += [PluginInfo(
                earlier.name, earlier.source, earlier.location, earlier.version,
                status="shadowed", error=_(
                    "not used: the {source} plugin of the same name ({location}) replaces it "
                    "(later sources win: {sources})").format(
                        source=_(SOURCE_WORDS[used.source]), location=used.location,
                        sources=", ".join(_(SOURCE_WORDS[source]) for source in SOURCES)))
                for earlier in earlier_ones]
        for candidate in chosen.values():
            info = PluginInfo(candidate.name, candidate.source, candidate.location,
                              candidate.version)
            self.plugins[candidate.name] = info
            if candidate.name in disabled:
                info.status, info.error = "disabled", _("disabled in workspace.toml")
            elif allow is not None and candidate.name not in allow:
                info.status, info.error = "disabled", _("not in {variable}").format(
                    variable=ALLOW_VARIABLE)
            elif candidate.refusal:
                self._fail(info.name, candidate.refusal)
            else:
                self._load_one(candidate, info)

    def _load_one(self, candidate: Candidate, info: PluginInfo) -> None:
        try:
            module = run_plugin_code(candidate.load, limit(REGISTER_SECONDS))
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # a plugin's import may raise anything, even exit
            self._fail(info.name, _("import failed: {error}").format(
                error=_one_line_error(error)))
            return
        info.version = info.version or str(getattr(module, "__version__", ""))
        misspelt = sorted(name for name in dir(module) if name.startswith("amtui_")
                          and callable(getattr(module, name)) and name not in HOOK_NAMES)
        if misspelt:
            self._fail(info.name, _("unknown hook {hook!r} (hooks: {hooks})").format(
                hook=misspelt[0], hooks=", ".join(sorted(HOOK_NAMES))))
            return
        try:
            self.pm.register(module, name=info.name)
            self.pm.check_pending()
        except Exception as error:
            if self.pm.is_registered(module):
                self.pm.unregister(module)
            self._fail(info.name, _one_line_error(error))
            return
        info.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(module) or ())

    def _fail(self, name: str, error: str) -> None:
        info = self.plugins[name]
        info.status, info.error = "failed", error
        plugin = self.pm.get_plugin(name)
        if plugin is not None:
            self.pm.unregister(plugin)
        self.failures.append((name, error))

    def fail(self, name: str, error: BaseException | str, *, hook: str = "") -> None:
        """Mark a loaded plugin failed (its pane could not be made, …); it is called no more.
        With ``hook`` (where its code raised at run time) the failure is remembered in the
        workspace until the plugin's files change."""
        message = error if isinstance(error, str) else _one_line_error(error)
        if name not in self.plugins or self.plugins[name].status == "failed":
            return
        self._fail(name, message)
        if hook and self.root is not None:
            info = self.plugins[name]
            info.hook = hook
            info.time = datetime.now(UTC).isoformat(timespec="seconds")
            remember(self.root, {name: Failure(info.time, hook, message, fingerprint(
                info.source, info.location, info.version))})

    @property
    def loaded(self) -> list[str]:
        return [name for name, info in self.plugins.items() if info.status == "loaded"]

    # Calling hooks: one implementation at a time, each in its own try ----------------------

    def _call(self, hook_name: str, make_kwargs: Callable[[str], dict[str, Any]],
              seconds: float | None = REGISTER_SECONDS) -> None:
        """Call each plugin's implementation of ``hook_name`` once, each allowed ``seconds``
        (``None``: no limit), each failing only its own plugin."""
        self._call_each(hook_name, lambda name: (make_kwargs(name),), seconds)

    def _call_each(self, hook_name: str, calls_for: Callable[[str], Iterable[dict[str, Any]]],
                   seconds: float | None) -> None:
        """Call each plugin's implementation of ``hook_name`` with each of the arguments
        ``calls_for(plugin)`` gives, in one thread per plugin allowed ``seconds`` for them
        all. An implementation gets only the arguments it names (as with pluggy: the names
        pluggy read from its signature when it was registered)."""
        caller = getattr(self.pm.hook, hook_name)
        allowed = None if seconds is None else limit(seconds)
        for impl in list(caller.get_hookimpls()):
            name = impl.plugin_name
            if self.plugins.get(name, PluginInfo(name, "", "")).status != "loaded":
                continue

            def calls(function: Callable[..., Any] = impl.function, name: str = name,
                      wanted: tuple[str, ...] = (*impl.argnames, *impl.kwargnames)) -> None:
                for kwargs in calls_for(name):
                    function(**{key: value for key, value in kwargs.items() if key in wanted})

            try:
                run_plugin_code(calls, allowed)
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # SystemExit too: a plugin never ends amtui
                self.fail(name, f"{hook_name}: {_one_line_error(error)}", hook=hook_name)

    def _collect(self, hook_name: str, kind: type[Any]) -> list[tuple[str, Any]]:
        """What the plugins register through ``hook_name``: (plugin, item) pairs; an item of
        the wrong type fails its plugin."""
        found: list[tuple[str, Any]] = []
        problems: list[tuple[str, str]] = []

        def kwargs(name: str) -> dict[str, Any]:
            def register(item: Any) -> None:
                if not isinstance(item, kind):
                    problems.append((name, _("{hook}: expected {kind}, got {got}").format(
                        hook=hook_name, kind=kind.__name__, got=type(item).__name__)))
                    return
                found.append((name, item))
            return {"register": register}

        self._call(hook_name, kwargs)
        for name, problem in problems:
            self.fail(name, problem, hook=hook_name)
        failed = {name for name, _problem in problems}
        return [(name, item) for name, item in found
                if name not in failed and self.plugins[name].status == "loaded"]

    def tables(self) -> list[tuple[str, TableSpec]]:
        return self._collect("amtui_register_tables", TableSpec)

    def panes(self) -> list[tuple[str, PaneSpec]]:
        panes = self._collect("amtui_register_panes", PaneSpec)
        return sorted(panes, key=lambda pair: (pair[1].order, pair[1].title))

    def commands(self) -> list[tuple[str, CommandSpec]]:
        return self._collect("amtui_register_commands", CommandSpec)

    def cli_commands(self) -> list[tuple[str, CliCommand]]:
        return self._collect("amtui_register_cli", CliCommand)

    def themes(self) -> list[tuple[str, ThemeSpec]]:
        return self._collect("amtui_register_themes", ThemeSpec)

    def settings_sections(self) -> list[tuple[str, SettingsSection]]:
        return self._collect("amtui_register_settings", SettingsSection)

    def agenda(self, workspace: Workspace, now: datetime) -> list[tuple[str, AgendaEntry]]:
        return self._added("amtui_agenda", AgendaEntry, workspace=workspace, now=now)

    def client_sections(self, workspace: Workspace,
                        client: Record) -> list[tuple[str, ClientSection]]:
        return self._added("amtui_client_sections", ClientSection, workspace=workspace,
                           client=client)

    def _added(self, hook_name: str, kind: type[Any], **given: Any) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []

        def kwargs(name: str) -> dict[str, Any]:
            def add(item: Any) -> None:
                if not isinstance(item, kind):
                    raise TypeError(_("expected {kind}, got {got}").format(
                        kind=kind.__name__, got=type(item).__name__))
                found.append((name, item))
            return {**given, "add": add}

        self._call(hook_name, kwargs, WORK_SECONDS)
        return [(name, item) for name, item in found if self.plugins[name].status == "loaded"]

    def fill_demo(self, workspace: Workspace, size: str, seed: int,
                  say: Callable[[str], None]) -> list[str]:
        """Let each plugin add its demo data; the plugins that failed to."""
        before = len(self.failures)
        self._call("amtui_demo", lambda _name: {"workspace": workspace, "size": size,
                                                "seed": seed, "say": say}, None)
        return [name for name, _error in self.failures[before:]]

    def emit(self, workspace: Workspace | None, *events: Event) -> None:
        """Tell the plugins of ``events``, in order: one thread per plugin for them all (a
        save of 50,000 records is one call each, not 50,000)."""
        self._call_each("amtui_event", lambda _name: ({"workspace": workspace, "event": event}
                                                      for event in events), WORK_SECONDS)

    def attach(self, workspace: Workspace) -> None:
        """Give the workspace the plugins' tables (in ``data/<plugin>/``), check their
        settings sections, and tell them of every saved change from now on."""
        # lazy: pydantic, loaded on first use
        from amtui.storage.datafile import TableSpec as StoredTable

        if workspace in self._attached:
            return
        self._attached.add(workspace)
        for name, table in self.tables():
            taken = workspace.table_spec(table.name)
            if taken is not None and taken.folder != name:  # amtui's or another plugin's
                self.fail(name, _("table {table!r} is taken").format(table=table.name))
                continue
            try:
                workspace.register_table(StoredTable(
                    table.name, table.model, table.version, dict(table.migrations),
                    folder=name, indexed=tuple(table.indexed)))
            except Exception as error:
                self.fail(name, _("table {table!r}: {error}").format(
                    table=table.name, error=_one_line_error(error)))
                continue
            self.openers[table.name] = (name, table.open)
        extra = workspace.settings.model_extra or {}
        for name, section in self.settings_sections():
            try:
                self.settings[section.name] = section.model.model_validate(
                    extra.get(section.name, {}))
            except Exception as error:
                self.fail(name, f"workspace.toml [{section.name}]: {_one_line_error(error)}")
        workspace.plugin_settings.update(self.settings)

        def changed(changes: list[Any]) -> None:
            self.emit(workspace, *(
                Event("record_deleted" if change.action in ("delete", "trash", "purge")
                      else "record_saved", change.table, change.record_id, tuple(change.fields))
                for change in changes))

        if self.loaded:
            workspace.observers.append(changed)

    def opener(self, table: str) -> Callable[[Any, str], None] | None:
        """How the plugin that owns ``table`` shows a record (None: it did not say, or the
        table is not a loaded plugin's)."""
        name, open_record = self.openers.get(table, ("", None))
        if open_record is None or self.plugins[name].status != "loaded":
            return None

        def guarded(app: Any, record_id: str) -> None:
            self.run_guarded(name, lambda: open_record(app, record_id), hook="open")

        return guarded

    def run_guarded(self, name: str, action: Callable[[], Any], *, hook: str = "") -> Any:
        """Run a plugin's own code on this thread (a command, a pane factory: they make
        widgets); None if it raised or exited (the plugin is then marked failed, and with
        ``hook``, where it ran, that is remembered: see :meth:`fail`)."""
        try:
            return action()
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            self.fail(name, error, hook=hook)
            return None

    def __iter__(self) -> Iterator[PluginInfo]:
        return iter(self.plugins.values())
