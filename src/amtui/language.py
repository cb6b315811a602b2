"""Which language amtui speaks, chosen once at start, before any screen or command builds text.

The first of these that names a language amtui has wins:

1. ``--lang ru`` on the command line (any command, and the full-screen app);
2. ``AMTUI_LANG``, the same for a whole shell session or a script;
3. ``locale`` in the user's ``config.toml`` (the user config folder, where the theme is kept);
4. ``locale`` in the workspace's ``workspace.toml`` (a new workspace says ``"ru_RU"``);
5. ``LC_ALL``, ``LC_MESSAGES`` or ``LANG``, as for any program;

and English when none does. Only ``tomllib`` is used to read the files: Babel and the store are
not imported for this.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from amtui.i18n import use_locale

ENVIRONMENT_VARIABLE = "AMTUI_LANG"
ENGLISH = "en_US"
TERRITORIES = {"en": "en_US", "ru": "ru_RU"}
"""The locale meant by a bare language: ``--lang ru`` is ``ru_RU``."""
CATALOGUES = Path(__file__).parent / "locale"
_NAME = re.compile(r"([a-z]{2,3})(?:[_-]([A-Za-z]{2}|\d{3}))?")


def languages() -> list[str]:
    """The languages amtui speaks: English, and each one it has a catalogue for."""
    found = {"en"}
    if CATALOGUES.is_dir():
        found.update(folder.name for folder in CATALOGUES.iterdir()
                     if (folder / "LC_MESSAGES" / "amtui.mo").is_file())
    return sorted(found)


def normalised(name: str) -> str | None:
    """``name`` as a locale amtui can use (``"ru"``, ``"ru-RU"``, ``"ru_RU.UTF-8"`` are all
    ``"ru_RU"``), or None when amtui has no such language. ``C`` and ``POSIX`` are English."""
    plain = name.strip().partition(".")[0].partition("@")[0]
    if plain in ("C", "POSIX"):
        return ENGLISH
    match = _NAME.fullmatch(plain)
    if match is None or match[1] not in languages():
        return None
    territory = match[2]
    return f"{match[1]}_{territory.upper()}" if territory else TERRITORIES.get(
        match[1], match[1])


def from_environment(environ: Mapping[str, str]) -> str | None:
    """The language of the user's locale settings, as POSIX reads them: the first of
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set decides."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            return normalised(value)
    return None


def from_settings(path: Path) -> str | None:
    """``locale`` in the TOML file at ``path``, if it names a language amtui has."""
    try:
        with open(path, "rb") as handle:
            value = tomllib.load(handle).get("locale")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None  # the command that reads the file in full says what is wrong with it
    return normalised(value) if isinstance(value, str) else None


def chosen(option: str | None, config_file: Path, workspace_file: Path | None,
           environ: Mapping[str, str]) -> str:
    """The locale to use: ``--lang``, ``AMTUI_LANG``, the user's config, the workspace, the
    locale settings, in that order (see the module's docstring); English otherwise."""
    for found in (
        normalised(option) if option else None,
        normalised(environ.get(ENVIRONMENT_VARIABLE, "")),
    ):
        if found:
            return found
    for path in (config_file, workspace_file):
        found = from_settings(path) if path is not None else None
        if found:
            return found
    return from_environment(environ) or ENGLISH


def user_config_file() -> Path:
    """``config.toml`` in the user config folder (``$XDG_CONFIG_HOME/amtui`` on Linux)."""
    # lazy: platformdirs, only when the config dir is needed
    from platformdirs import user_config_path

    return user_config_path("amtui", appauthor=False) / "config.toml"


def choose(option: str | None, workspace_folder: Path | None,
           environ: Mapping[str, str] = os.environ) -> str:
    """Choose the language for this run (see :func:`chosen`) and use it; returns it."""
    workspace_file = workspace_folder / "workspace.toml" if workspace_folder else None
    locale = chosen(option, user_config_file(), workspace_file, environ)
    use_locale(locale)
    return locale
