"""The bundled plugins in Russian: each has its own catalogue (``plugins/NAME/locale``) that
holds every string its sources mark, translates each one (three plural forms) and is compiled
in step; a plugin's words follow the language chosen after it was imported.

The panes in Russian are tried in each plugin's own UI tests (``test_ui_*``), with ``russian``.
"""

from __future__ import annotations

import importlib
import io
import string
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from amtui.i18n import use_locale
from amtui.plugins.host import bundled_folder
from amtui.testing import import_bundled

if TYPE_CHECKING:
    from textual.pilot import Pilot

PLUGINS = ("bonus_calculator", "kam_team", "smm_calendar")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
RUSSIAN_PLURALS = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                   "(n%100<10 || n%100>=20) ? 1 : 2);")


@pytest.fixture
def russian() -> Iterator[None]:
    """amtui in Russian for one test (the words of every domain), English again after it."""
    use_locale("ru_RU")
    yield
    use_locale("en_US")


def screen_text(pilot: Pilot[None]) -> str:
    """What the terminal shows, line by line, as plain text."""
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())


def locale_of(name: str) -> Path:
    return bundled_folder() / name / "locale"


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="ru" if path.suffix == ".po" else None)


def russian_po(name: str) -> Path:
    return locale_of(name) / "ru" / "LC_MESSAGES" / f"{name}.po"


def placeholders(text: str) -> set[str]:
    return {field.split("!")[0].split(":")[0].split(".")[0]
            for _literal, field, _spec, _conversion in string.Formatter().parse(text)
            if field is not None}


@pytest.mark.parametrize("name", PLUGINS)
def test_the_template_holds_exactly_the_strings_the_plugin_marks(name: str) -> None:
    marked = {message for _file, _line, message, _comments, _context
              in extract_from_dir(bundled_folder() / name, keywords=KEYWORDS)}
    template = {message.id for message in read(locale_of(name) / f"{name}.pot") if message.id}
    assert template == marked


@pytest.mark.parametrize("name", PLUGINS)
def test_every_message_has_a_russian_translation_with_its_placeholders(name: str) -> None:
    template = [message.id for message in read(locale_of(name) / f"{name}.pot") if message.id]
    catalogue = read(russian_po(name))
    assert catalogue.plural_forms == RUSSIAN_PLURALS
    assert len(template) > 200
    for msgid in template:
        message = catalogue.get(msgid)
        assert message is not None and not message.fuzzy, msgid
        forms = message.string if isinstance(msgid, tuple) else (message.string,)
        assert len(forms) == (3 if isinstance(msgid, tuple) else 1), msgid
        wanted = set().union(*(placeholders(text) for text in
                               (msgid if isinstance(msgid, tuple) else (msgid,))))
        for form in forms:
            assert form.strip(), msgid
            assert placeholders(form) <= wanted, (msgid, form)


@pytest.mark.parametrize("name", PLUGINS)
def test_the_compiled_catalogue_is_in_step_with_the_russian_one(name: str) -> None:
    out = io.BytesIO()
    write_mo(out, read(russian_po(name)))
    assert (russian_po(name).with_suffix(".mo")).read_bytes() == out.getvalue()


@pytest.mark.parametrize(("name", "singular", "plural", "said"), [
    ("smm_calendar", "{count} post", "{count} posts", ("1 пост", "2 поста", "5 постов")),
    ("kam_team", "Reassign {count} account to…", "Reassign {count} accounts to…",
     ("Передать 1 аккаунт…", "Передать 2 аккаунта…", "Передать 5 аккаунтов…")),
    ("bonus_calculator", "writing {count} time entry", "writing {count} time entries",
     ("записываю 1 запись времени", "записываю 2 записи времени",
      "записываю 5 записей времени")),
])
def test_counts_take_the_russian_form_for_1_2_and_5(
        russian: None, name: str, singular: str, plural: str, said: tuple[str, ...]) -> None:
    import_bundled(name)
    i18n = importlib.import_module(f"{name}.i18n")
    assert tuple(i18n.ngettext(singular, plural, n).format(count=n) for n in (1, 2, 5)) == said
    use_locale("en_US")
    assert i18n.ngettext(singular, plural, 2).format(count=2) == plural.format(count=2)
