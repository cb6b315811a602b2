"""The handover dossier is written in the current language: its words come from the kam_team
plugin's catalogue (a tiny one here, so that the test does not wait for the real one) and the
days of the week from Babel."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from amtui.i18n import current_locale, use_locale
from amtui.models import Client
from amtui.storage import Workspace
from amtui.testing import import_bundled, load_plugin

NAME = "kam_team"
plugin = import_bundled(NAME)
dossier = importlib.import_module(f"{NAME}.dossier")
i18n = importlib.import_module(f"{NAME}.i18n")

RUSSIAN = {
    "Handover dossier: {client}": "Досье для передачи: {client}",
    "Company": "Компания",
    "Key account": "Ключевой клиент",
    "yes": "да",
    "The last {count} day": ("Последний {count} день", "Последние {count} дня",
                             "Последние {count} дней"),
    "Relationship stage: {stage}": "Стадия отношений: {stage}",
    "not set": "не задано",
}


@pytest.fixture
def russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    catalog = Catalog(locale="ru", domain=NAME)
    for msgid, msgstr in RUSSIAN.items():
        if isinstance(msgstr, tuple):
            catalog.add((msgid, msgid.replace("day", "days")), msgstr)
        else:
            catalog.add(msgid, msgstr)
    folder = tmp_path / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{NAME}.mo", "wb") as stream:
        write_mo(stream, catalog)
    monkeypatch.setattr(i18n._domain, "folder", tmp_path)
    before = current_locale()
    use_locale("ru_RU")
    yield
    use_locale(before)


@pytest.fixture(autouse=True)
def host(workspace: Workspace) -> None:
    load_plugin(plugin, workspace, NAME)


def test_the_dossier_in_russian(workspace: Workspace, russian: None) -> None:
    workspace.repo(Client).add(Client(name="ООО «Ромашка»", key_account=True))
    text, _name = dossier.dossier(workspace, "ООО «Ромашка»")
    assert text.startswith("# Досье для передачи: ООО «Ромашка»\n")
    assert "## Компания" in text and "| Ключевой клиент | да |" in text
    assert "10:00–19:00, пн, вт, ср, чт, пт |" in text
    assert "- Стадия отношений: не задано" in text
    assert "## Последние 30 дней" in text
    assert "Handover" not in text and "Mon" not in text


def test_the_dossier_in_english(workspace: Workspace) -> None:
    workspace.repo(Client).add(Client(name="ООО «Ромашка»", key_account=True))
    text, _name = dossier.dossier(workspace, "ООО «Ромашка»")
    assert text.startswith("# Handover dossier: ООО «Ромашка»\n")
    assert "| Key account | yes |" in text and "10:00–19:00, Mon, Tue, Wed, Thu, Fri |" in text
    assert "## The last 30 days" in text


@pytest.mark.parametrize(("path", "headings"), [
    ("plugins/kam_team/dossier.py", {"Handover dossier: {client}", "Company", "Open tasks",
                                     ("The last {count} day", "The last {count} days")}),
    ("src/amtui/services/report.py", {"Update for {client}", "Done since {date}", "In progress",
                                      "What we need from you"}),
])
def test_the_generated_texts_words_reach_the_catalogue_template(path: str,
                                                                 headings: set[object]) -> None:
    """Babel's extraction (``make messages``) finds them: on Python 3.11 it does not look
    inside f-strings, so a heading's ``_()`` must not be in one."""
    from babel.messages.extract import extract_from_file

    found = {message for _line, message, _comments, _context in extract_from_file(
        "python", Path(__file__).resolve().parents[1] / path,
        keywords={"_": None, "ngettext": (1, 2)})}
    assert headings <= found
