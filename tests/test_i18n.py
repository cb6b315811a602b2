"""Translation: the catalogues are complete and in step, every user-facing string is marked,
and the language is chosen as README.md says (``--lang``, ``AMTUI_LANG``, config, workspace,
``LANG``)."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from amtui.cli import choose_language
from amtui.i18n import Domain, _, current_locale, ngettext, use_locale
from amtui.language import chosen, from_environment, languages, normalised, user_config_file
from amtui.storage import Workspace
from conftest import run_cli
from i18n_check import CORE, PLUGINS, REPO, shown, unmarked, unmarked_in


def _tools() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages", REPO / "tools" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


messages = _tools()
DOMAINS = list(messages.domains())
PLUGIN_DOMAINS = [name for name, _source, _locale in DOMAINS if name != "amtui"]
CATALOGUES = [(name, po) for name, _source, locale in DOMAINS
              for po in sorted(locale.glob(f"*/LC_MESSAGES/{name}.po"))]
RUSSIAN_PLURALS = 3


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


# The catalogues ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, source, locale", DOMAINS, ids=[d[0] for d in DOMAINS])
def test_each_template_holds_exactly_the_strings_marked_in_the_sources(
        name: str, source: Path, locale: Path) -> None:
    extracted = ids(messages.template(name, source, None))
    committed = ids(read(locale / f"{name}.pot"))
    assert extracted == committed, (
        f"run `make messages`: new {sorted(map(str, extracted - committed))[:5]}, "
        f"gone {sorted(map(str, committed - extracted))[:5]}")


@pytest.mark.parametrize("name, po", CATALOGUES, ids=[str(po.parent.parent.name) + "-" + name
                                                      for name, po in CATALOGUES])
def test_each_catalogue_is_in_step_with_its_template_and_compiled(name: str, po: Path) -> None:
    """Every string of the template is in the .po, and the committed .mo is the .po compiled
    (`make messages` does both)."""
    language = po.parent.parent.name
    catalogue = read(po, language)
    template = read(po.parents[2] / f"{name}.pot")
    assert ids(template) <= ids(catalogue), "run `make messages`"
    assert po.with_suffix(".mo").read_bytes() == messages.mo_bytes(catalogue), (
        "run `make messages`")


def _russian(name: str) -> Path:
    locale = dict((n, loc) for n, _source, loc in DOMAINS)[name]
    return locale / "ru" / "LC_MESSAGES" / f"{name}.po"


@pytest.mark.parametrize("name", ["amtui", *PLUGIN_DOMAINS])
def test_every_message_has_a_russian_translation(name: str) -> None:
    """Red until the Russian catalogue is written: it names the strings still missing."""
    catalogue = read(_russian(name), "ru")
    template = read(_russian(name).parents[2] / f"{name}.pot")
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        strings = translated.string if translated is not None else ""
        forms = strings if isinstance(strings, tuple) else (strings,)
        if translated is None or translated.fuzzy or not all(forms):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert not missing, f"{len(missing)} without a Russian translation, e.g. {missing[:10]}"


def _fields(text: str) -> set[str]:
    """The format fields of ``text``; a ``!r`` may be dropped by a translation that quotes the
    value in «» itself."""
    return {field.replace("!r", "") for field in re.findall(r"\{[^{}]*\}", text)}


@pytest.mark.parametrize("name", ["amtui", *PLUGIN_DOMAINS])
def test_russian_catalogues_have_three_plural_forms_and_keep_the_placeholders(
        name: str) -> None:
    catalogue = read(_russian(name), "ru")
    assert catalogue.num_plurals == RUSSIAN_PLURALS
    wrong = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple) and len(strings) != RUSSIAN_PLURALS:
            wrong.append((sources[0], "needs three plural forms"))
        wanted = _fields(sources[-1])
        for string in strings:
            if string and _fields(string) != wanted:
                wrong.append((sources[0], string))
    assert not wrong, wrong[:10]


def test_russian_plurals_follow_the_numbers() -> None:
    """One, few, many: 1 клиент, 2 клиента, 5 клиентов, 11 клиентов, 21 клиент."""
    import gettext

    with _russian("amtui").with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert [compiled.plural(n) for n in (1, 2, 5, 11, 21, 22, 112)] == [0, 1, 2, 2, 0, 1, 2]


def test_a_domain_reads_its_own_catalogue_in_the_language_in_use(tmp_path: Path) -> None:
    from babel.messages.mofile import write_mo

    catalogue = Catalog(locale="ru", domain="leads", fuzzy=False)
    catalogue.add("Lead", "Лид")
    catalogue.add(("{n} lead", "{n} leads"), ("{n} лид", "{n} лида", "{n} лидов"))
    (tmp_path / "leads" / "locale" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    with open(tmp_path / "leads" / "locale" / "ru" / "LC_MESSAGES" / "leads.mo", "wb") as out:
        write_mo(out, catalogue)
    domain = Domain.beside(str(tmp_path / "leads" / "__init__.py"))
    assert domain.gettext("Lead") == "Lead"
    use_locale("ru_RU")
    assert current_locale() == "ru_RU"
    assert domain.gettext("Lead") == "Лид"
    assert [domain.ngettext("{n} lead", "{n} leads", n).format(n=n) for n in (1, 3, 5)] == [
        "1 лид", "3 лида", "5 лидов"]
    assert _("Some text amtui never marked") == "Some text amtui never marked"
    use_locale("en_US")
    assert domain.gettext("Lead") == "Lead"
    assert ngettext("{count} problem found", "{count} problems found", 2) == (
        "{count} problems found")


# Every user-facing string is marked -------------------------------------------------------

def test_every_user_facing_literal_of_the_core_is_marked() -> None:
    found = unmarked(CORE)
    assert not found, "wrap these in _() (or ALLOWED in tests/i18n_check.py, with why):\n" + (
        "\n".join(map(str, found[:40])))


@pytest.mark.parametrize("name", PLUGIN_DOMAINS or ["(none yet)"])
def test_every_user_facing_literal_of_a_translated_plugin_is_marked(name: str) -> None:
    """A bundled plugin is checked once it has its own catalogue (a ``locale/`` folder)."""
    if name == "(none yet)":
        pytest.skip("no bundled plugin has a locale/ folder yet")
    found = unmarked(PLUGINS / name)
    assert not found, "\n".join(map(str, found[:40]))


def _marker(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in {"_", "N_", "ngettext"})


def test_every_marked_string_reaches_the_catalogue() -> None:
    """``_(f"…{x}")`` cannot be in the catalogue (the text differs each time), and Babel does
    not see ``N_("…")`` inside another ``_(…)``: both would stay English."""
    lost = []
    for folder in (CORE, PLUGINS):
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if _marker(node) and any(
                        isinstance(inner, ast.JoinedStr) or (inner is not node and _marker(inner))
                        for arg in node.args for inner in ast.walk(arg)):  # type: ignore[union-attr]
                    lost.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not lost


def test_no_text_of_the_core_is_translated_when_its_module_is_imported() -> None:
    """A module's constants are marked with ``N_()`` and translated where shown: ``_()`` run
    at import would fix them in the language of that moment (tests switch after it)."""
    early = []
    for path in CORE.rglob("*.py"):
        if path.name == "argparse_words.py":  # marks argparse's plural, used by argparse
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
        inside = {id(inner) for node in ast.walk(tree) if isinstance(node, functions)
                  for inner in ast.walk(node)}
        early += [f"{path.relative_to(REPO)}:{node.lineno}" for node in ast.walk(tree)
                  if id(node) not in inside and isinstance(node, ast.Call)
                  and isinstance(node.func, ast.Name) and node.func.id in {"_", "ngettext"}]
    assert not early


SAMPLE = '''
from amtui.i18n import _
def f(app, x):
    app.notify("Saved")                                   # 1: found
    app.notify(_("Saved"))
    raise UsageError(f"no client {x!r}")                  # 2: found, as "no client {}"
    raise UsageError(_("no client {x!r}").format(x=x))
    raise TypeError("a programming error")                # not the user's
    yield Static("Nothing yet" if x else _("Something"))  # 3: found
    Binding("a", "add", "Add client", id="clients.add")   # 4: found
    Input(placeholder="type an amount")                   # 5: found
    Finding("note", f"{x}: unreadable")                   # 6: found, as "{}: unreadable"
    Content.assemble(("Client: ", "bold"), x or "nobody")  # 7, 8: found, not "bold"
    print("done")                                         # only in command-line modules
    app.notify(x)                                         # a value, not a literal
    app.notify("  —  ")                                   # no word in it
'''


def test_the_check_finds_what_a_user_reads_unmarked() -> None:
    found = [text for _line, text in unmarked_in(SAMPLE, "src/amtui/ui/sample.py")]
    assert found == ["Saved", "no client {}", "Nothing yet", "Add client", "type an amount",
                     "{}: unreadable", "Client: ", "nobody"]
    in_cli = [text for _line, text in unmarked_in(SAMPLE, "src/amtui/cli/sample.py")]
    assert "done" in in_cli
    assert list(shown(ast.parse("x = 1"), command_line=True)) == []


# Choosing the language ----------------------------------------------------------------------

def settings(folder: Path, name: str, locale: str | None) -> Path:
    path = folder / name
    path.write_text(f'locale = "{locale}"\n' if locale else 'name = "x"\n', encoding="utf-8")
    return path


def test_names_of_languages() -> None:
    assert languages() == ["en", "ru"]
    assert [normalised(name) for name in ("ru", "ru_RU", "ru-RU", "ru_RU.UTF-8", "en",
                                          "en_GB.UTF-8", "C", "POSIX", "de_DE", "", "русский")
            ] == ["ru_RU", "ru_RU", "ru_RU", "ru_RU", "en_US", "en_GB", "en_US", "en_US", None,
                  None, None]
    assert from_environment({"LC_ALL": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}) == "ru_RU"
    assert from_environment({"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}) == "ru_RU"
    assert from_environment({"LANG": "en_US.UTF-8"}) == "en_US"
    assert from_environment({}) is None


def test_the_order_of_the_choices(tmp_path: Path) -> None:
    ru_config = settings(tmp_path, "ru-config.toml", "ru")
    en_config = settings(tmp_path, "en-config.toml", "en_US")
    ru_workspace = settings(tmp_path, "ru-workspace.toml", "ru_RU")
    en_workspace = settings(tmp_path, "en-workspace.toml", "en")
    silent = settings(tmp_path, "silent.toml", None)
    missing = tmp_path / "missing.toml"
    ru_env = {"LANG": "ru_RU.UTF-8"}
    en_env = {"LANG": "en_US.UTF-8"}
    # --lang beats everything
    assert chosen("en", ru_config, ru_workspace, {**ru_env, "AMTUI_LANG": "ru"}) == "en_US"
    assert chosen("ru", en_config, en_workspace, {**en_env, "AMTUI_LANG": "en"}) == "ru_RU"
    # then AMTUI_LANG
    assert chosen(None, ru_config, ru_workspace, {**ru_env, "AMTUI_LANG": "en"}) == "en_US"
    # then the user's config.toml
    assert chosen(None, en_config, ru_workspace, ru_env) == "en_US"
    assert chosen(None, ru_config, en_workspace, en_env) == "ru_RU"
    # then the workspace's locale
    assert chosen(None, silent, ru_workspace, en_env) == "ru_RU"
    assert chosen(None, missing, en_workspace, ru_env) == "en_US"
    # then LC_ALL / LC_MESSAGES / LANG
    assert chosen(None, missing, silent, ru_env) == "ru_RU"
    assert chosen(None, missing, None, {"LC_ALL": "ru_RU.UTF-8", **en_env}) == "ru_RU"
    # and English when nothing names a language amtui has
    assert chosen(None, missing, None, {"LANG": "de_DE.UTF-8"}) == "en_US"
    assert chosen(None, settings(tmp_path, "odd.toml", "xx"), missing, {}) == "en_US"
    (tmp_path / "broken.toml").write_text("locale = ", encoding="utf-8")
    assert chosen(None, tmp_path / "broken.toml", ru_workspace, {}) == "ru_RU"


@pytest.fixture
def russian_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new workspace (``locale = "ru_RU"``) with the machine set to English and no
    AMTUI_LANG, and the user config folder to write a config.toml into."""
    monkeypatch.delenv("AMTUI_LANG", raising=False)
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    Workspace.open(tmp_path / "ws", create=True)
    assert 'locale = "ru_RU"' in (tmp_path / "ws" / "workspace.toml").read_text()
    return tmp_path / "ws"


def user_config(text: str) -> None:
    path = user_config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_command_chooses_by_the_same_order(russian_workspace: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    where = ["list", "clients", "--workspace", str(russian_workspace)]
    assert choose_language(where) == "ru_RU"  # the workspace's locale over LANG
    assert current_locale() == "ru_RU"
    assert choose_language([*where, "--lang", "en"]) == "en_US"
    assert choose_language(["--lang", "en", *where]) == "en_US"
    assert choose_language(["--lang=ru", "--workspace", str(russian_workspace / "none")]) == (
        "ru_RU")
    user_config('theme = "amtui-dark"\nlocale = "en"\n')
    assert choose_language(where) == "en_US"  # the user's config over the workspace
    assert choose_language([*where, "--lang", "ru"]) == "ru_RU"
    monkeypatch.setenv("AMTUI_LANG", "ru")
    assert choose_language(where) == "ru_RU"  # AMTUI_LANG over the config
    monkeypatch.delenv("AMTUI_LANG")
    user_config('theme = "amtui-dark"\n')
    monkeypatch.setenv("AMTUI_WORKSPACE", str(russian_workspace))
    assert choose_language(["today"]) == "ru_RU"  # the workspace named by the environment
    assert choose_language(["today", "--workspace", str(russian_workspace.parent)]) == "en_US"


def test_choosing_the_language_imports_neither_babel_nor_the_store() -> None:
    code = ("import sys; from amtui.cli import choose_language, build_parser; "
            "choose_language(['--lang', 'ru']); build_parser(['today']); "
            "print(sorted(m for m in ('babel', 'amtui.storage', 'textual') if m in sys.modules))")
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert ran.stdout.strip() == "[]", ran.stderr


def test_a_bad_language_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run_cli("list", "clients", "--lang", "de", workspace=tmp_path / "ws")
    assert result.returncode == 2
    assert result.stderr == ("amtui: error: argument --lang: no language 'de' (languages: en, "
                             "ru) (see `amtui list --help`)\n")
    assert not (tmp_path / "ws").exists()


def test_lang_en_is_english_whatever_the_workspace_and_lang_say(
        russian_workspace: Path) -> None:
    env = {"LANG": "ru_RU.UTF-8", "LC_ALL": "ru_RU.UTF-8"}
    result = run_cli("doctor", "--lang", "en", workspace=russian_workspace, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("workspace is healthy\n")
    english = run_cli("--lang", "en", "--help", env={"LANG": "en_US.UTF-8"})
    assert "A keyboard-driven terminal workspace for account managers." in english.stdout
    assert "language of screens and messages" in english.stdout


def test_lang_ru_and_a_russian_workspace_speak_russian(russian_workspace: Path) -> None:
    """Red until the Russian catalogue has these strings."""
    healthy = read(_russian("amtui"), "ru").get("workspace is healthy")
    assert healthy is not None and healthy.string, "no Russian for 'workspace is healthy' yet"
    by_option = run_cli("doctor", "--lang", "ru", workspace=russian_workspace,
                        env={"AMTUI_LANG": "en"})
    by_workspace = run_cli("doctor", workspace=russian_workspace, env={"LANG": "en_US.UTF-8"})
    for result in (by_option, by_workspace):
        assert result.stdout.endswith(f"{healthy.string}\n"), result.stdout + result.stderr


def test_the_language_file_is_where_the_theme_is_remembered() -> None:
    from amtui.ui.themes import CONFIG_FILE, user_config_folder

    assert user_config_folder() / CONFIG_FILE == user_config_file()


def test_the_keys_of_textuals_widgets_are_in_the_catalogue() -> None:
    """The help screen lists the keys of Textual's widgets: each description is marked in
    amtui.ui.textual_words, so it is translated (a new Textual with new keys fails here)."""
    import textual.widgets
    from textual.app import App
    from textual.command import CommandPalette
    from textual.screen import Screen
    from textual.scroll_view import ScrollView

    from amtui.ui.textual_words import KEYS, WIDGETS

    classes = [getattr(textual.widgets, name) for name in WIDGETS]
    described = {binding.description
                 for cls in [*classes, ScrollView, CommandPalette, Screen, App]
                 for klass in cls.__mro__
                 for binding in getattr(klass, "BINDINGS", None) or ()
                 if getattr(binding, "description", "")}
    assert described <= set(KEYS), sorted(described - set(KEYS))


# Shown in the language in use ---------------------------------------------------------------

STAND_IN = {"Today": "Сегодня", "Clients": "Клиенты", "Client": "Клиент", "Search": "Поиск",
            "Keys": "Клавиши", "Cursor down": "Курсор вниз", "go: {title}": "перейти: {title}",
            "Search for commands…": "Найти команду…", "Quit": "Выйти",
            "usage: ": "использование: ", "options": "параметры",
            "argument %(argument_name)s: %(message)s": "параметр %(argument_name)s: %(message)s"}
"""A few Russian words, in a stand-in for amtui's catalogue: what this test needs, whatever
the real one holds yet."""


@pytest.fixture
def stand_in_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from babel.messages.mofile import write_mo

    import amtui.i18n

    catalogue = Catalog(locale="ru", domain="amtui", fuzzy=False)
    for message, translation in STAND_IN.items():
        catalogue.add(message, translation)
    folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "amtui.mo", "wb") as handle:
        write_mo(handle, catalogue)
    monkeypatch.setattr(amtui.i18n, "_amtui", Domain("amtui", tmp_path / "locale"))


async def test_words_defined_at_import_are_shown_in_the_language_chosen_later(
        workspace: Workspace, stand_in_catalogue: None) -> None:
    """Key descriptions, pane titles and column headings are made when their module is
    imported (here, in English, before the switch): they are translated where shown."""
    from textual.widgets import DataTable, Static

    from amtui.testing import settle
    from amtui.ui.app import AmtuiApp
    from amtui.ui.panes import clients  # noqa: F401  (imported in English)
    from amtui.ui.widgets.keybar import KeyBar

    use_locale("ru_RU")
    app = AmtuiApp(workspace, pane="clients")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Сегодня" in str(app.screen.query_one("#pane-bar", Static).render())
        assert "Клиенты" in str(app.screen.query_one("#pane-bar", Static).render())
        assert "Поиск" in str(app.screen.query_one(KeyBar).render())
        headings = [str(column.label) for column in
                    app.screen.query_one(DataTable).columns.values()]
        assert headings[0] == "Клиент"
        await pilot.press("question_mark")
        await settle(pilot)
        shown = "\n".join(str(static.render()) for static in app.screen.query(Static))
        assert "Клавиши" in shown and "Поиск" in shown
        await pilot.press("escape", "ctrl+p")
        await settle(pilot)
        from textual.command import CommandInput

        assert app.screen.query_one(CommandInput).placeholder == "Найти команду…"


def test_argparse_says_its_own_words_in_the_language_in_use(
        stand_in_catalogue: None, capsys: pytest.CaptureFixture[str]) -> None:
    from amtui.cli import main

    with pytest.raises(SystemExit):
        main(["--lang", "ru", "--help"])
    shown = capsys.readouterr().out
    assert shown.startswith("использование: amtui") and "\nпараметры:\n" in shown
    with pytest.raises(SystemExit):
        main(["list", "--lang", "ru", "clients", "--limit", "many"])
    assert capsys.readouterr().err.startswith("amtui: error: параметр --limit: ")


def test_every_value_a_record_may_hold_has_its_words_in_the_catalogue() -> None:
    """Statuses, channels, kinds… are shown through amtui.ui.values.shown: each is marked."""
    import enum

    import amtui.models
    from amtui.ui.values import WORDS, shown

    choices = {cls for name in dir(amtui.models)
               if isinstance(cls := getattr(amtui.models, name), type)
               and issubclass(cls, enum.Enum)}
    values = {shown(member) for cls in choices for member in cls}
    assert values <= set(WORDS), sorted(values - set(WORDS))
