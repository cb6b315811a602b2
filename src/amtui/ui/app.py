"""The amtui app: one workspace, panes switched by number keys.

The first screen is painted before the store (and pydantic) is imported: the workspace is
opened by the first worker that needs it, and each pane's module is imported on first visit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Self

from rich.align import Align
from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Command, CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, LoadingIndicator
from textual.widgets.option_list import Option

from amtui.i18n import N_, _, current_language, key_words
from amtui.language import languages
from amtui.plugins.specs import Event
from amtui.text import one_line, visible
from amtui.ui.collector import CHECK_SECONDS, IdleCollector
from amtui.ui.conflict import ConflictScreen
from amtui.ui.help import HelpScreen, KeyRow
from amtui.ui.pane_ids import CORE_PANES, PluginPane, panes_with_plugins
from amtui.ui.panes.base import PaneBar, PaneScreen
from amtui.ui.record import RecordScreen
from amtui.ui.widgets.keybar import described
from amtui.ui.widgets.light import LightScreen

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from textual.app import ComposeResult
    from textual.command import Provider
    from textual.notifications import SeverityLevel
    from textual.visual import VisualType

    from amtui.plugins.host import PluginHost
    from amtui.services.agenda_items import FirstAgenda
    from amtui.services.undo import Undo
    from amtui.storage import TrashEntry, Workspace
    from amtui.storage.journal import JournalEntry
    from amtui.ui.confirm import ConfirmScreen
    from amtui.ui.first_run import FirstRunScreen

WorkspaceOpener = Callable[[], "Workspace"]

REFRESH_SECONDS = 2.0
"""How often the app looks for changes other processes made to the workspace."""

NEEDS_WORKSPACE = frozenset({"pane", "undo", "trash", "command_palette"})
"""The app's actions that the first-run screen leaves off: there is no workspace yet."""

WATCHED_TABLES = ("clients", "contacts", "messages", "tasks", "deals", "members", "notes")


class PaletteList(CommandList):
    """The palette's list of commands, whose one option that is not a command (Textual's
    "No matches found", shown when nothing matches what was typed) is in the language in
    use."""

    def add_options(self, new_options: Iterable[Option | VisualType | None]) -> Self:
        """Add options; the notice that is not a command gets amtui's words for it."""
        # lazy: kept out of the app start
        from amtui.ui.textual_words import NO_MATCHES

        return super().add_options(
            Option(Align.center(Text(_(NO_MATCHES), style="not bold")), disabled=True,
                   id=option.id)
            if isinstance(option, Option) and not isinstance(option, Command)
            and option.disabled else option
            for option in new_options)


class Palette(LightScreen, CommandPalette):
    """Textual's command palette, opened without styling it twice, and over a plain
    background: drawing the pane under it dimmed cost a third of its opening. Its widgets
    are Textual's (a test compares them with Textual's own palette), its list a
    :class:`PaletteList`."""

    DEFAULT_CSS = """
    Palette { background: $background; }
    """

    def __init__(self, placeholder: str, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.placeholder = placeholder
        """The words in the empty search box."""
        # Textual shows the search box once the first commands are found ("-ready"), which
        # styles the whole palette again; here the box is styled shown from the start.
        self.add_class("-ready")

    def compose(self) -> ComposeResult:
        """Textual's palette, as :meth:`CommandPalette.compose` makes it, with a
        :class:`PaletteList` for its list."""
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield CommandInput(placeholder=self.placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield PaletteList()
                yield LoadingIndicator()


def _finder_provider() -> type[Provider]:
    """The palette's record search, imported when the palette first opens."""
    # lazy: kept out of the app start
    from amtui.ui.finder import FinderProvider

    return FinderProvider


class AmtuiApp(App[None]):
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {_finder_provider}
    TITLE = "amtui"
    DEFAULT_MODE: ClassVar[str] = "(first pane)"
    """The mode of the first pane, the one shown at the start: Textual makes its screen with
    :meth:`get_default_screen`, without a mode's second pass over all CSS; named so that no
    pane's id can take it."""
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(number), f"pane('{pane.id}')", pane.title, id=f"app.pane_{pane.id}",
                  show=False)
          for number, pane in enumerate(CORE_PANES, start=1)),
        Binding("question_mark,f1", "help", N_("Help"), id="app.help"),
        Binding("u,ctrl+z", "undo", N_("Undo"), id="app.undo",
                tooltip=N_("Revert the last change made since amtui was opened")),
        Binding("f8", "trash", N_("Trash"), id="app.trash"),
        Binding("ctrl+p", "command_palette", N_("Palette"), id="app.palette", show=False,
                priority=True, tooltip=N_("Every command and record, by name")),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit"),
    ]

    def __init__(self, workspace: Workspace | WorkspaceOpener, pane: str = "today",
                 theme: str | None = None, name: str | None = None,
                 plugins: PluginHost | None = None,
                 keymap: dict[str, str] | None = None,
                 new_workspace_at: Path | None = None,
                 first_agenda: Callable[[], FirstAgenda | None] | None = None) -> None:
        """``workspace`` is an open Workspace, or a function that opens it (called by the
        first worker that reads); ``name`` is shown until it is open. ``plugins``: the
        loaded plugins (none if not given). ``keymap``: binding id → keys, from the
        workspace's settings (read from them if the workspace is given open).
        ``new_workspace_at``: a folder with no workspace yet, made by the first-run screen
        shown first. ``first_agenda``: Today's first sections if they were read before the
        app started (waits for them; None if they could not be)."""
        super().__init__()
        # lazy: kept out of the app start
        from amtui.plugins.host import PluginHost

        self.plugins = plugins or PluginHost()
        self.panes = panes_with_plugins(self.plugins)
        """Every pane: the core ones, then the plugins'."""
        self.collector = IdleCollector()
        """Full garbage collections while the keyboard rests."""
        self.pane_plugins = {pane.id: pane.plugin for pane in self.panes
                             if isinstance(pane, PluginPane)}
        """A plugin pane's id → its plugin."""
        self._workspace: Workspace | None = None
        self._open_workspace: WorkspaceOpener | None = None
        if callable(workspace):
            self._open_workspace = workspace
        else:
            self._workspace = workspace
            self.plugins.attach(workspace)
            name = name or workspace.settings.name
            keymap = keymap if keymap is not None else workspace.settings.keymap
        self.user_keymap = dict(keymap or {})
        self.workspace_name = name or ""
        self._opening = threading.Lock()
        self.first_pane = pane
        self._first_mode = self.DEFAULT_MODE
        """The first pane's mode: Textual's default one, or the pane's id once the first-run
        screen, shown in the default mode, has made the workspace."""
        self.new_workspace_at = new_workspace_at
        """Where the first-run screen will make the workspace (None once there is one)."""
        self._first_agenda = first_agenda
        self.undo_stack: list[tuple[str, Undo]] = []
        """Changes made since the app was opened, newest last, each with the id of the pane
        it was made in."""
        self._opened_at = workspace.clock() if self._workspace is not None else None
        """When the workspace was opened: ``u`` with nothing done here since takes back a
        change made elsewhere (``amtui done …``) since then."""
        self._saving = 0
        """Changes sent to a worker and not yet saved (or failed)."""
        self._undo_waiting = False
        """``u`` was pressed while a change was still being saved: undo once it is."""
        self._quit_question: ConfirmScreen | None = None
        """"Quit and discard your changes?" while it is asked."""
        self.styles_version = 0
        """How many times every screen shown was styled again (a theme chosen): a pane styled
        with this version is not styled again when shown (:meth:`refresh_css`)."""
        self.switching_panes = False
        """A pane is being shown by :meth:`action_pane`."""
        self.theme_problems: list[str] = []
        """Theme files that were skipped, and why; shown once the app is up."""
        self._use_theme(theme)
        # The first pane is the default screen; the others are modes made on first visit.
        # (A mode's first screen makes Textual parse all CSS again: fine on a later visit,
        # measured as a tenth of the time to the first screen if done for the first pane.)
        for info in self.panes:
            if info.id != pane:
                self.add_mode(info.id, info.create)
        self.pane_keys = {info.id: str(number)
                          for number, info in enumerate(self.panes[:9], start=1)}
        """Pane id → its number key (panes past the ninth have none: the palette opens
        them), fixed for the session even if a plugin's pane is switched off."""
        for info in self.panes[len(CORE_PANES):9]:
            self.bind(self.pane_keys[info.id], f"pane('{info.id}')", description=info.title,
                      show=False)

    def _use_theme(self, wanted: str | None) -> None:
        """Register amtui's, the user's and the plugins' themes, then show ``wanted``, else
        the one chosen last time, else amtui's dark theme."""
        # lazy: kept out of the app start
        from amtui.ui.themes import DEFAULT_THEME, load_theme_files, remembered_theme, theme_from

        loaded = load_theme_files()
        for found in loaded.themes:
            self.register_theme(found)
        for plugin, spec in self.plugins.themes():
            try:
                self.register_theme(theme_from(dict(spec.values), f"plugin {plugin}"))
            except ValueError as error:
                self.plugins.fail(plugin, str(error))
        self.theme_problems = loaded.problems
        chosen = wanted or remembered_theme() or DEFAULT_THEME
        if chosen not in self.available_themes:
            self.theme_problems.append(f"theme {chosen!r} not found; using {DEFAULT_THEME}")
            chosen = DEFAULT_THEME
        self.theme = chosen

    def get_css_variables(self) -> dict[str, str]:
        """Textual's variables and amtui's own (``$amtui-overdue``, …), which default to the
        theme's base colours."""
        # lazy: kept out of the app start
        from amtui.ui.themes import AMTUI_VARIABLES

        variables = super().get_css_variables()
        for name, base in AMTUI_VARIABLES.items():
            variables.setdefault(name, variables[base])
        self.theme_variables = variables
        return variables

    def _theme_chosen(self, theme: Any) -> None:
        # lazy: pydantic, loaded after the first paint
        # lazy: kept out of the app start
        from amtui.storage.errors import StorageError
        from amtui.ui.themes import remember_theme, remembered_theme

        if theme.name == remembered_theme():
            return
        try:
            remember_theme(theme.name)
        except (OSError, StorageError) as error:
            self.notify(_("The theme could not be remembered: {error}").format(
                error=getattr(error, "strerror", None) or error), severity="warning",
                markup=False)

    @property
    def workspace(self) -> Workspace:
        """The open workspace; opened on first use (from a worker, off the UI thread)."""
        if self._workspace is None:
            with self._opening:
                if self._workspace is None:
                    assert self._open_workspace is not None
                    workspace = self._open_workspace()
                    self.plugins.attach(workspace)
                    self._opened_at = workspace.clock()
                    self._workspace = workspace
        return self._workspace

    def has_first_agenda(self) -> bool:
        """Whether Today's first sections are being read while the app starts."""
        return self._first_agenda is not None

    def take_first_agenda(self) -> FirstAgenda | None:
        """Today's first sections, read while the app started (once; None if they were not:
        Today then reads them itself)."""
        early, self._first_agenda = self._first_agenda, None
        return early() if early is not None else None

    @property
    def opened_workspace(self) -> Workspace | None:
        """The workspace if it is open already (without opening it)."""
        return self._workspace

    def pane_titles(self) -> list[tuple[str, str]]:
        """Each pane's id and title, in the language in use; not the panes of plugins that
        are switched off."""
        return [(pane.id, _(pane.title)) for pane in self.panes if self.pane_is_on(pane.id)]

    def pane_is_on(self, pane_id: str) -> bool:
        """Whether the pane is amtui's or its plugin is loaded (not failed or switched off)."""
        plugin = self.pane_plugins.get(pane_id)
        return plugin is None or self.plugins.plugins[plugin].status == "loaded"

    def on_mount(self) -> None:
        # The first pane's screen is made already (Textual's default screen): as a mode too,
        # switch_mode can come back to it.
        self.add_mode(self.DEFAULT_MODE, self.get_default_screen)
        self.set_interval(REFRESH_SECONDS, self.look_for_changes)
        self.collector.start()
        self.set_interval(CHECK_SECONDS, self.collector.collect_if_idle)
        # Plugins hear of the start after the first frame, off the UI thread: what they do
        # then must not hold the first screen back.
        if self.new_workspace_at is None:  # else once the first-run screen made it
            self.call_after_refresh(self._start_plugins)
        self.show_plugin_failures()
        for problem in self.theme_problems:
            self.notify(_("Theme skipped: {problem}").format(problem=one_line(problem, 200)),
                        severity="warning", markup=False, timeout=10)
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

    def on_unmount(self) -> None:
        self.plugins.emit(self._workspace, Event("shutdown"))
        self.collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.input_seen()
        await super().on_event(event)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Show a notification as text, whoever asks (a pane, a plugin): control characters
        visible, never markup, since a message may quote a name from the workspace."""
        super().notify(visible(str(message)), title=one_line(title), severity=severity,
                       timeout=timeout, markup=False)

    def show_plugin_failures(self) -> None:
        """One notification per plugin that failed since the last call."""
        failures, self.plugins.failures = self.plugins.failures, []
        for name, error in failures:
            self.notify(_("Plugin {name} failed and is switched off: {error}").format(
                name=name, error=one_line(error, 200)), severity="error", markup=False,
                timeout=10)
        if failures:
            self.call_after_refresh(self._leave_switched_off_pane)

    def _leave_switched_off_pane(self) -> None:
        """A plugin was switched off: its pane goes from the bar, and from the screen unless
        it shows why it failed."""
        if not self.pane_is_on(self.current_pane) and not self.screen.query("#failed-pane"):
            self.action_pane("today")
        for bar in self.screen.query(PaneBar):
            bar.draw()

    def get_default_screen(self) -> Screen[Any]:
        if self.new_workspace_at is not None:
            # lazy: kept out of the app start
            from amtui.ui.first_run import FirstRunScreen

            return FirstRunScreen(self.new_workspace_at, self.plugins)
        first = next(info for info in self.panes if info.id == self.first_pane)
        screen: Screen[Any] = first.create()
        return screen

    def on_first_run_screen_made(self, message: FirstRunScreen.Made) -> None:
        """The first-run screen made the workspace: show the first pane on it."""
        self._workspace = message.workspace
        self.plugins.attach(message.workspace)
        self.workspace_name = message.workspace.settings.name
        self.new_workspace_at = None
        # The first pane becomes a mode like the others, and the first-run screen goes.
        first = next(info for info in self.panes if info.id == self.first_pane)
        self.add_mode(first.id, first.create)
        self.switch_mode(first.id)
        self.remove_mode(self.DEFAULT_MODE)
        self._first_mode = first.id
        self.show_plugin_failures()
        self._start_plugins()

    @work(thread=True, exit_on_error=False, group="plugins")
    def _start_plugins(self) -> None:
        """Tell the plugins amtui started, with the workspace (opened here if it is not yet),
        off the UI thread: what they do then must not hold the first screen back."""
        # lazy: pydantic, loaded after the first paint
        from amtui.storage import StorageError

        try:
            workspace = self.workspace
        except StorageError:
            return  # the pane says why it could not be opened
        self.plugins.emit(workspace, Event("startup"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until the first-run screen has made the workspace, what needs one does not work."""
        return self.new_workspace_at is None or action not in NEEDS_WORKSPACE

    @property
    def current_pane(self) -> str:
        """The id of the pane shown (or under the dialogs shown)."""
        return self.first_pane if self.current_mode == self.DEFAULT_MODE else self.current_mode

    def action_pane(self, pane_id: str) -> None:
        if not self.pane_is_on(pane_id):
            self.notify(_("That pane's plugin is switched off: see `amtui plugins`."),
                        severity="warning", markup=False)
            return
        if pane_id != self.current_pane:
            known = any(info.id == pane_id for info in self.panes)
            self.switching_panes = True
            try:
                self.switch_mode(pane_id if known and pane_id != self.first_pane
                                 else self._first_mode)
            finally:
                self.switching_panes = False

    def refresh_css(self, animate: bool = True) -> None:
        """Style every screen shown again, unless a pane is being shown and the screen in
        view is a pane styled with the styles as they are. Textual does it when it shows a
        mode's screen made or styled since the stylesheet last changed, on the first visit
        to a pane (twice) and the first return to one: parsing all CSS again, 40-100 ms
        each, for a screen whose widgets were styled with the same stylesheet as they were
        mounted (widgets new to the app still bring their own CSS then)."""
        if (self.switching_panes and isinstance(self.screen, PaneScreen)
                and self.screen.styled_with == self.styles_version):
            return
        super().refresh_css(animate)
        self.styles_version += 1
        for screen in self.screen_stack:
            if isinstance(screen, PaneScreen):
                screen.styled_with = self.styles_version

    async def action_quit(self) -> None:
        """Quit; a note editor open under a dialog (its kind's list, "new client…") saves its
        note first, as its own ctrl+q does, and keeps amtui open if the note cannot be saved."""
        # lazy: kept out of the app start
        from amtui.ui.note_editor import NoteEditor

        editor = next((screen for screen in self.screen_stack
                       if isinstance(screen, NoteEditor)), None)
        if editor is not None:
            editor.action_quit()
            return
        if self._asks_before_quitting():
            return
        await super().action_quit()

    def _asks_before_quitting(self) -> bool:
        """With a form (or the update composer) holding typed changes, ask before quitting
        (ctrl+q once more, or y, quits); True if it asks."""
        # lazy: kept out of the app start
        from amtui.ui.confirm import ConfirmScreen

        if self._quit_question is not None and self.screen is self._quit_question:
            return False
        if not any(callable(unsaved := getattr(screen, "unsaved_changes", None)) and unsaved()
                   for screen in self.screen_stack):
            return False

        def answered(quit_now: bool | None) -> None:
            self._quit_question = None
            if quit_now:
                self.exit()

        self._quit_question = ConfirmScreen(_("Quit amtui and discard your changes?"),
                                            _("Quit"), _("Keep editing"))
        self.push_screen(self._quit_question, answered)
        return True

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        # The pane's own keys (the screen's, then its widgets' that have amtui ids), then the
        # app's, then those of Textual's widgets; a binding's keys on one line.
        KeyRows = dict[tuple[int, str], KeyRow]
        screen_keys: KeyRows = {}
        pane_widget_keys: KeyRows = {}
        app_keys: KeyRows = {}
        widget_keys: KeyRows = {}
        # The keys of panes whose plugin is switched off open nothing: not listed.
        off = {f"pane('{pane.id}')" for pane in self.panes if not self.pane_is_on(pane.id)}
        for key, (node, binding, _enabled, _tooltip) in screen.active_bindings.items():
            if not binding.description or binding.action in off:
                continue
            group = (app_keys if node is self else screen_keys if node is screen and binding.id
                     else pane_widget_keys if binding.id else widget_keys)
            shown = self.get_key_display(binding) or key
            keys, _description = group.get((id(node), binding.action), ("", ""))
            group[id(node), binding.action] = (f"{keys}, {shown}" if keys else shown,
                                               described(screen, node, binding))
        titles = dict(self.pane_titles())
        title = titles.get(getattr(screen, "PANE_ID", ""), "") or _("This screen")
        self.push_screen(HelpScreen(title, [*screen_keys.values(), *pane_widget_keys.values()],
                                    list(app_keys.values()), list(widget_keys.values())))

    @staticmethod
    def _bindings_of(node: Any) -> list[Binding]:
        return [binding for binding in node.BINDINGS if isinstance(binding, Binding)]

    def open_record(self, table: str, record_id: str) -> None:
        plugin_opener = self.plugins.opener(table)
        if plugin_opener is not None:
            plugin_opener(self, record_id)
            self.show_plugin_failures()
            return
        if table == "clients":
            # lazy: kept out of the app start
            from amtui.ui.client_card import open_card

            open_card(self, record_id)
            return
        if table == "tasks":
            # lazy: pydantic, loaded after the first paint
            from amtui.ui.task_screen import TaskScreen

            self.push_screen(TaskScreen(record_id))
            return
        if table == "messages":
            # lazy: zoneinfo, loaded when a time zone is needed
            from amtui.ui.message_screen import MessageScreen

            self.push_screen(MessageScreen(record_id))
            return
        if table == "notes":
            # lazy: kept out of the app start
            from amtui.ui.panes.notes import open_note

            open_note(self, record_id)
            return
        record = self.workspace.file(table).get(record_id)
        if record is None:
            self.notify(_("That record is no longer there."), severity="warning")
            return
        title = str(record.get("name") or record.get("title") or record.get("text", ""))
        self.push_screen(RecordScreen(one_line(title, 80), record))

    def action_command_palette(self) -> None:
        """Textual's palette (light to open), with its prompt in the language in use."""
        # lazy: kept out of the app start
        from amtui.ui.textual_words import PALETTE_PROMPT

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(placeholder=_(PALETTE_PROMPT), id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's theme command gives way to amtui's "theme: switch" below: one, not two;
        # Textual's words are in amtui's catalogue (amtui.ui.textual_words).
        yield from (command._replace(title=_(command.title), help=_(command.help))
                    for command in super().get_system_commands(screen)
                    if command.callback != self.action_change_theme)
        for pane_id, title in self.pane_titles():
            number = self.pane_keys.get(pane_id)
            yield SystemCommand(_("go: {title}").format(title=title),
                                _("Open the pane (key {number})").format(number=number)
                                if number else _("Open the pane"),
                                partial(self.action_pane, pane_id))
        yield from self._screen_commands(screen)
        for plugin, command in self.plugins.commands():
            yield SystemCommand(command.title, command.help,
                                partial(self._run_plugin_command, plugin, command.run))
        yield SystemCommand(_("trash: open"), _("Deleted records; restore one (F8)"),
                            self.action_trash)
        yield SystemCommand(_("theme: switch"), _("Choose a colour theme, previewed as you move"),
                            self.action_change_theme)
        yield SystemCommand(_("edit: undo"), _("Revert the last change (u)"), self.action_undo)
        yield from self._language_commands()

    def _language_commands(self) -> Iterable[SystemCommand]:
        """"Language: Русский" for each language amtui speaks but this run does not."""
        for language in languages():
            if language != current_language():
                yield SystemCommand(
                    _("Language: {language}").format(language=language_name(language)),
                    _("Speak it from the next start (remembered in config.toml)"),
                    partial(self._choose_language, language))

    def _choose_language(self, language: str) -> None:
        """Remember ``language`` in the user's config.toml for the next start."""
        # lazy: the settings writer (tomlkit), only when a language is chosen
        from amtui.storage.errors import StorageError
        from amtui.ui.themes import remember_setting

        try:
            remember_setting("locale", language)
        except (OSError, StorageError) as error:
            self.notify(_("The language could not be remembered: {error}").format(
                error=getattr(error, "strerror", None) or error), severity="warning",
                markup=False)
            return
        self.notify(_("{language} from the next start of amtui (--lang and $AMTUI_LANG, when "
                      "given, still come first)").format(language=language_name(language)),
                    markup=False)

    def _run_plugin_command(self, plugin: str, run: Callable[[Any], None]) -> None:
        self.plugins.run_guarded(plugin, lambda: run(self), hook="command")
        self.show_plugin_failures()

    def _screen_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The keys of the screen under the palette as commands: "board: move right", the
        pane named by its title in the language in use (a plugin's pane: as it registered it,
        from its own catalogue)."""
        pane_id = getattr(screen, "PANE_ID", "")
        title = getattr(screen, "TITLE_TEXT", "")
        prefix = (dict(self.pane_titles()).get(pane_id) or (_(title) if title else pane_id)
                  or type(screen).__name__).lower()
        global_ids = {binding.id for binding in self._bindings_of(self)}
        seen: set[str] = set()
        for key, (node, binding, enabled, _tooltip) in screen.active_bindings.items():
            if (not enabled or not binding.description or not binding.id
                    or binding.id in global_ids or binding.action in seen or node is self):
                continue  # only amtui's own keys (they have ids), not Textual's widgets'
            seen.add(binding.action)
            key_shown = self.get_key_display(binding) or key
            help_text = f"{key_words(node, binding.tooltip or binding.description)} ({key_shown})"
            yield SystemCommand(f"{prefix}: {key_words(node, binding.description).lower()}",
                                help_text,
                                partial(self.run_action, binding.action, node))

    def change(self, save: Callable[[], Any], done_message: str,
               overwrite: Callable[[], Any] | None = None,
               then: Callable[[], None] | None = None) -> None:
        """Run a store change off the UI thread, then refresh what is shown. A change that
        returns an :class:`Undo` can be undone; ``overwrite`` is offered after a conflict.
        ``done_message`` is shown when it is saved (none if empty); ``then`` is called on the
        UI thread once it is saved (not if it failed)."""
        self._saving += 1
        self._save(save, done_message, overwrite, self.current_pane, then)

    @work(thread=True, exclusive=False, group="save")
    def _save(self, save: Callable[[], Any], done_message: str,
              overwrite: Callable[[], Any] | None, pane: str,
              then: Callable[[], None] | None = None) -> None:
        try:
            self._save_now(save, done_message, overwrite, pane, then)
        finally:
            self.call_from_thread(self._saved)

    def _save_now(self, save: Callable[[], Any], done_message: str,
                  overwrite: Callable[[], Any] | None, pane: str,
                  then: Callable[[], None] | None) -> None:
        # lazy: pydantic, loaded after the first paint
        from amtui.services import journal
        from amtui.services.undo import NothingToUndo, Undo
        from amtui.storage import ConflictError, StorageError

        try:
            result = save()
            if isinstance(result, Undo):  # shared with `amtui undo` (see services.journal)
                result = journal.undoable(self.workspace, result)
        except NothingToUndo as notice:
            self.call_from_thread(self.notify, one_line(str(notice)), markup=False)
            self.call_from_thread(self._refresh_panes)
            return
        except ConflictError as error:
            self.call_from_thread(self._conflict, str(error), done_message, overwrite)
            return
        except StorageError as error:
            self.call_from_thread(self.notify, one_line(str(error)), severity="error",
                                  markup=False)
            return
        except ValueError as error:  # bad input, the convention plugins follow too
            self.call_from_thread(self.notify, one_line(str(error)), severity="warning",
                                  markup=False)
            return
        except Exception as error:  # a plugin's save with a bug: it must not end the app
            self.call_from_thread(self.notify, _("The change was not saved: {error}").format(
                error=one_line(f"{type(error).__name__}: {error}", 200)), severity="error",
                markup=False)
            return
        self.call_from_thread(self._changed, done_message, result, pane)
        if then is not None:
            self.call_from_thread(then)

    def _saved(self) -> None:
        self._saving -= 1
        if not self._saving and self._undo_waiting:
            self._undo_waiting = False
            self.action_undo()

    def _changed(self, done_message: str, result: Any, pane: str) -> None:
        # lazy: pydantic, loaded after the first paint
        from amtui.services.undo import Undo

        if isinstance(result, Undo):
            self.undo_stack.append((pane, result))
        if done_message:  # empty when the screen shows the change itself (a card moved)
            self.notify(done_message, markup=False)
        self._refresh_panes()

    def _conflict(self, message: str, done_message: str,
                  overwrite: Callable[[], Any] | None) -> None:
        if overwrite is None:
            self.notify(one_line(message), severity="warning", markup=False)
            self._refresh_panes()
            return

        def chosen(overwrite_theirs: bool | None) -> None:
            if overwrite_theirs:
                self.change(overwrite, done_message)
            else:
                self._refresh_panes()

        self.push_screen(ConflictScreen(message), chosen)

    def action_undo(self) -> None:
        """Offer this user's newest change: one made on this pane is undone at once; one made
        on another pane, with the ``amtui`` command or in another window is named, with where,
        and undone only once the user says so. Pressed while a change is still being saved,
        it waits for that change, so that it is the one undone."""
        if self._saving:
            self._undo_waiting = True
            return
        self._find_newest(self.undo_stack[-1] if self.undo_stack else None)

    @work(thread=True, group="undo", exit_on_error=False)
    def _find_newest(self, last: tuple[str, Undo] | None) -> None:
        """Whether a change made elsewhere (see :mod:`amtui.services.journal`) is newer than
        ``last``, the newest made here; read off the UI thread, then offered."""
        # lazy: pydantic, loaded after the first paint
        from amtui.services import journal

        newer = journal.newer_change(self.workspace, last[1] if last else None,
                                     self._opened_at)
        self.call_from_thread(self._offer_undo, last, newer)

    def _offer_undo(self, last: tuple[str, Undo] | None, newer: JournalEntry | None) -> None:
        # lazy: pydantic, loaded after the first paint
        # lazy: kept out of the app start
        from amtui.services import journal
        from amtui.ui.confirm import ConfirmScreen

        if newer is not None:
            question = _("The last change was made {where}: {what}.\nUndo it?").format(
                where=journal.where_made(newer), what=one_line(newer.description, 120))
            undo = partial(journal.take_back, self.workspace, newer.id, newer.description)
            description = newer.description
        elif last is None:
            self.notify(_("Nothing to undo since amtui was opened."), markup=False)
            return
        elif not self.undo_stack or self.undo_stack[-1] is not last:
            self.action_undo()  # a second u, pressed before this one was answered: the next
            return
        else:
            pane, change = last
            if pane == self.current_pane:
                self.undo_stack.pop()
                self.change(partial(self._take_back, change.revert, change.description), "")
                return
            where = dict(self.pane_titles()).get(pane, pane)
            question = _("The last change was made in {pane}: {what}.\n"
                         "Undo it from here?").format(
                pane=where, what=one_line(change.description, 120))
            undo, description = change.revert, change.description

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            if newer is None:
                if not self.undo_stack or self.undo_stack[-1] is not last:
                    return
                self.undo_stack.pop()
            self.change(partial(self._take_back, undo, description), "")

        self.push_screen(ConfirmScreen(question, _("Undo it"), _("Keep it")), answered)

    def _take_back(self, undo: Callable[[], object], description: str) -> None:
        """Revert the change the user chose (off the UI thread) and say so."""
        undo()
        self.call_from_thread(self.notify, _("Undone: {what}").format(what=description),
                              markup=False)

    def action_trash(self) -> None:
        # lazy: kept out of the app start
        from amtui.ui.trash import TrashScreen

        if not isinstance(self.screen, TrashScreen):
            self._read_trash()

    @work(thread=True, exclusive=True, group="trash", exit_on_error=False)
    def _read_trash(self) -> None:
        """Read the trash (and the names of the clients its records were of) off the UI
        thread, then show it."""
        # lazy: pydantic, loaded after the first paint
        # lazy: zoneinfo, loaded when a time zone is needed
        from amtui.dates import agency_zone
        from amtui.storage import StorageError, TrashBin

        try:
            workspace = self.workspace
            entries = TrashBin(workspace).entries()
            clients_file = workspace.file("clients")
            client_ids = {str(entry.record.get("client_id") or "") for entry in entries}
            clients = {client_id: str(client.get("name", "")) for client_id in client_ids
                       if client_id and (client := clients_file.get(client_id)) is not None}
            now = workspace.clock().astimezone(agency_zone(workspace.settings.timezone))
        except StorageError as error:
            self.call_from_thread(self.notify, one_line(str(error)), severity="error",
                                  markup=False)
            return
        self.call_from_thread(self._show_trash, workspace, entries, now, clients)

    def _show_trash(self, workspace: Workspace, entries: list[TrashEntry], now: datetime,
                    clients: dict[str, str]) -> None:
        # lazy: pydantic, loaded after the first paint
        # lazy: kept out of the app start
        from amtui.services import actions
        from amtui.ui.trash import TrashScreen

        def chosen(entry: TrashEntry | None) -> None:
            if entry is not None:
                self.change(lambda: actions.restore(workspace, entry),
                            actions.restored_message(entry))

        if not isinstance(self.screen, TrashScreen):
            self.push_screen(TrashScreen(entries, now, clients), chosen)

    def look_for_changes(self) -> None:
        """Refresh the visible pane when another process saved something it shows."""
        if self._workspace is None:
            return
        watched = [*WATCHED_TABLES, *self.plugins.openers]  # the plugins' tables too
        if any(data_file.loaded and data_file.changed_on_disk()
               for data_file in map(self.workspace.file, watched)):
            self._refresh_panes()

    def _refresh_panes(self) -> None:
        """The pane reads its data again, and so does any screen above it that shows stored
        records (a client card). The other panes visited read theirs when next shown."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, PaneScreen):
                screen.data_changed()
                break
            refresh = getattr(screen, "data_changed", None)
            if callable(refresh):
                refresh()
        for mode in [self.DEFAULT_MODE, *(info.id for info in self.panes)]:
            if mode != self.current_mode:
                for screen in self._visited(mode):
                    if isinstance(screen, PaneScreen):
                        screen.stale = True
                    elif callable(refresh := getattr(screen, "data_changed", None)):
                        refresh()  # a card or a task: one record, read at once

    def _visited(self, mode: str) -> list[Screen[Any]]:
        """The screens of a pane's mode, bottom first; none if it was never shown."""
        try:
            return self.get_screen_stack(mode)
        except KeyError:
            return []


def language_name(language: str) -> str:
    """A language's name in that language, as its speakers look for it: "English", "Русский"."""
    from babel import Locale  # lazy: Babel, only when the palette lists languages

    return Locale.parse(language).get_display_name(language).capitalize()
