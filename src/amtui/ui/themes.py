"""Colour themes: TOML files checked by a model, turned into Textual themes, and the choice
remembered between runs.

amtui's own themes ship in the package (``amtui/themes/*.toml``); a user adds or replaces
themes with files in ``themes/`` in the config folder; plugins register theirs through
``amtui_register_themes``. A bad file gives one message naming it and why, and is skipped.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

DEFAULT_THEME = "amtui-dark"

AMTUI_VARIABLES = {
    "amtui-overdue": "error",
    "amtui-due-today": "warning",
    "amtui-waiting-client": "accent",
    "amtui-stale": "warning",
    "amtui-key-account": "accent",
    "amtui-done": "success",
}
"""amtui's own colours, each defaulting to one of the theme's base colours; a theme may set
any of them in its ``[variables]``."""


COLOUR_FIELDS = ("primary", "secondary", "accent", "warning", "error", "success",
                 "foreground", "background", "surface", "panel", "boost")
THEME_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


@dataclass
class LoadedThemes:
    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """One line per file that was skipped: which, and why."""


def theme_from(values: dict[str, Any], source: str) -> Theme:
    """A theme from a file's (or a plugin's) values, every field checked; ValueError naming
    ``source``, the field and the problem if one is wrong.

    (Checked here rather than by a pydantic model: the theme is needed for the first frame,
    and importing pydantic would delay it by a fifth of a second.)
    """

    def problem(where: str, message: str) -> ValueError:
        return ValueError(f"{source}: {where}: {message}")

    known = {"name", "dark", "ansi", "luminosity_spread", "variables", *COLOUR_FIELDS}
    unknown = sorted(set(values) - known)
    if unknown:
        raise problem(unknown[0], f"not a theme field ({', '.join(sorted(known))})")
    name = values.get("name")
    if not isinstance(name, str) or not THEME_NAME.match(name):
        raise problem("name", "required: lowercase letters, digits and dashes")
    if "primary" not in values:
        raise problem("primary", "required")
    colours = {key: _colour(values[key], key, problem) for key in COLOUR_FIELDS
               if key in values}
    for key in ("dark", "ansi"):
        if not isinstance(values.get(key, False), bool):
            raise problem(key, "must be true or false")
    spread = values.get("luminosity_spread", 0.15)
    if isinstance(spread, bool) or not isinstance(spread, int | float) or not 0 <= spread <= 1:
        raise problem("luminosity_spread", "must be a number from 0 to 1")
    variables = values.get("variables", {})
    if not isinstance(variables, dict):
        raise problem("variables", "must be a table of name = colour")
    for key, value in variables.items():
        if key.startswith("amtui-") and key not in AMTUI_VARIABLES:
            raise problem(f"variables.{key}",
                          f"unknown (amtui's: {', '.join(AMTUI_VARIABLES)})")
        _colour(value, f"variables.{key}", problem)
    return Theme(name=name, dark=values.get("dark", True), ansi=values.get("ansi", False),
                 luminosity_spread=float(spread), variables=dict(variables), **colours)


def _colour(value: object, where: str, problem: Callable[[str, str], ValueError]) -> str:
    if not isinstance(value, str):
        raise problem(where, "must be a colour in quotes")
    try:
        Color.parse(value)
    except ColorParseError:
        raise problem(where, f"{value!r} is not a colour (e.g. #1e90ff, rgb(30,144,255), "
                             "ansi_blue)") from None
    return value


def shipped_theme_folder() -> Path:
    """``amtui/themes`` in the installed package, or ``themes/`` of a checkout."""
    inside = Path(__file__).resolve().parents[1] / "themes"
    return inside if inside.is_dir() else Path(__file__).resolve().parents[3] / "themes"


def user_config_folder() -> Path:
    # lazy: platformdirs, only when the config dir is needed
    from platformdirs import user_config_path

    return user_config_path("amtui", appauthor=False)


def load_theme_files(user_folder: Path | None = None) -> LoadedThemes:
    """amtui's themes, then the user's (a user file of the same name replaces amtui's)."""
    loaded = LoadedThemes()
    files: list[tuple[str, str | bytes]] = [
        (path.name, path.read_bytes()) for path in sorted(shipped_theme_folder().glob("*.toml"))]
    folder = (user_folder or user_config_folder()) / "themes"
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
        try:
            files.append((str(path), path.read_bytes()))
        except OSError as error:
            loaded.problems.append(f"{path}: cannot be read ({error.strerror})")
    by_name: dict[str, Theme] = {}
    for source, content in files:
        try:
            values = tomllib.loads(content.decode("utf-8") if isinstance(content, bytes)
                                   else content)
            theme = theme_from(values, source)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            loaded.problems.append(f"{source}: not a TOML file ({error})")
            continue
        except ValueError as error:
            loaded.problems.append(str(error))
            continue
        by_name[theme.name] = theme
    loaded.themes = list(by_name.values())
    return loaded


# The choice, remembered --------------------------------------------------------------------

CONFIG_FILE = "config.toml"


def remembered_theme(folder: Path | None = None) -> str | None:
    path = (folder or user_config_folder()) / CONFIG_FILE
    try:
        with open(path, "rb") as handle:
            value = tomllib.load(handle).get("theme")
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) else None


def remember_theme(name: str, folder: Path | None = None) -> None:
    """Write the theme's name into the user's ``config.toml`` (see :func:`remember_setting`)."""
    remember_setting("theme", name, folder)


def remember_setting(key: str, value: object, folder: Path | None = None) -> None:
    """Set ``key`` in the user's ``config.toml`` to ``value``; the file's other keys, tables
    and comments are kept byte for byte. Raises StorageError (a link there, a file that is
    not TOML, a full disk) with the file unchanged."""
    from amtui.storage.toml_files import set_toml_keys  # lazy: tomlkit, not needed before then

    folder = folder or user_config_folder()
    folder.mkdir(parents=True, exist_ok=True)
    set_toml_keys(folder / CONFIG_FILE, {key: value})
