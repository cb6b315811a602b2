"""Note templates in the interface's language: the Russian ones under ru_RU, the English ones
under en_US, and a workspace's own translation beside its template."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import OptionList

from amtui.i18n import current_locale, use_locale
from amtui.models import Client, Note
from amtui.services.templates import load_templates
from amtui.storage import Workspace
from amtui.testing import settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.ask import PickScreen
from amtui.ui.note_editor import NoteEditor


@pytest.fixture
def locale() -> Iterator[None]:
    before = current_locale()
    yield
    use_locale(before)


@pytest.mark.parametrize(("name", "picked", "title", "heading"), [
    ("ru_RU", "Бриф клиента", "Бриф", "## Бизнес"),
    ("en_US", "Client brief", "Brief", "## The business"),
])
async def test_a_note_from_the_brief_template_in_the_interface_language(
        workspace: Workspace, locale: None, name: str, picked: str, title: str,
        heading: str) -> None:
    use_locale(name)
    workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    app = AmtuiApp(workspace, pane="notes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen), "the template picker")
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt)
                  for i in range(options.option_count)]
        assert any(label.startswith(picked) for label in labels), labels
        options.highlighted = next(i for i, label in enumerate(labels)
                                   if label.startswith(picked))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor), "the editor")
        await pilot.press("f2")
        await settle(pilot)
        [note] = workspace.repo(Note).all()
        assert (note.title, note.kind.value) == (title, "brief")
        assert heading in note.body


def test_the_russian_templates_are_the_english_ones_translated(locale: None) -> None:
    use_locale("en_US")
    english = {template.key: template for template in load_templates(None)[0]}
    use_locale("ru_RU")
    russian = {template.key: template for template in load_templates(None)[0]}
    assert set(russian) == set(english) == {"brief", "spec", "meeting", "report",
                                             "anti-disaster"}
    assert {key: template.name for key, template in russian.items()} == {
        "brief": "Бриф клиента", "spec": "Техническое задание (ТЗ)",
        "meeting": "Протокол встречи", "report": "Отчёт за период",
        "anti-disaster": "Антикризисный чек-лист"}
    for key, template in russian.items():
        assert template.kind == english[key].kind
        assert template.body.count("- [ ]") == english[key].body.count("- [ ]"), key
        assert template.body.count("{{") == english[key].body.count("{{"), key
    assert russian["anti-disaster"].body.count("- [ ]") == 10


def test_a_workspace_translates_its_own_template(workspace: Workspace, locale: None) -> None:
    folder = workspace.root / "templates" / "notes"
    (folder / "ru").mkdir(parents=True)
    (folder / "kickoff.md").write_text("---\nname: Kick-off\n---\nAgenda\n", encoding="utf-8")
    (folder / "ru" / "kickoff.md").write_text("---\nname: Старт проекта\n---\nПовестка\n",
                                              encoding="utf-8")
    use_locale("ru_RU")
    names = {template.key: template.name for template in load_templates(workspace)[0]}
    assert names["kickoff"] == "Старт проекта"
    use_locale("en_US")
    names = {template.key: template.name for template in load_templates(workspace)[0]}
    assert names["kickoff"] == "Kick-off"
