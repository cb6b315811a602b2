"""Notes without the UI: ranked search in Russian and English, highlights, checklists,
filters and templates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from amtui.models import Client, Note
from amtui.services import notes
from amtui.services.notes import NoteFilter, NoteIndex, NoteRow, row_of
from amtui.services.templates import TemplateError, load_templates, parse_template
from amtui.storage import Workspace


def row(title: str, body: str = "", *, pinned: bool = False, updated: str = "2026-11-01",
        **fields: object) -> dict[str, object]:
    """A stored note as the store hands it over."""
    return {"id": title, "title": title, "body": body, "pinned": pinned,
            "updated_at": updated, **fields}


def listed(*notes: dict[str, object]) -> list[NoteRow]:
    return NoteIndex.from_notes(notes, {"c1": "ООО «Ромашка»"}).rows


def titles(hits: list[notes.Hit]) -> list[str]:
    return [hit.row.title for hit in hits]


def test_every_word_must_occur_in_title_or_body() -> None:
    rows = [row("Бриф: сайт", "бюджет 300 000"), row("Бриф: SEO"), row("Встреча", "про сайт")]
    assert titles(notes.search(rows, "бриф сайт")) == ["Бриф: сайт"]
    assert titles(notes.search(rows, "сайт")) == ["Бриф: сайт", "Встреча"]
    assert notes.search(rows, "лендинг") == []


def test_title_ranks_above_body_and_phrase_above_scattered_words() -> None:
    rows = [
        row("Meeting notes", "we discussed the landing page and the budget"),
        row("Landing page brief", "goals"),
        row("Page for landing", "misc"),
    ]
    assert titles(notes.search(rows, "landing")) == [
        "Landing page brief", "Page for landing", "Meeting notes"]
    assert titles(notes.search(rows, "landing page"))[0] == "Landing page brief"


def test_cyrillic_is_case_insensitive_and_yo_reads_as_ye() -> None:
    rows = [row("Зелёный квартал: отчёт"), row("ЗЕЛЕНЫЙ ОТЧЕТ"), row("Синий отчёт")]
    assert titles(notes.search(rows, "зеленый")) == ["Зелёный квартал: отчёт", "ЗЕЛЕНЫЙ ОТЧЕТ"]
    assert len(notes.search(rows, "ОТЧЁТ")) == 3


def test_word_start_beats_middle_of_word_and_ties_keep_list_order() -> None:
    rows = [row("Переделка", updated="2026-11-02"), row("Дела клиента"), row("Дела", )]
    found = titles(notes.search(rows, "дел"))
    assert found == ["Дела клиента", "Дела", "Переделка"]


def test_more_occurrences_in_the_body_rank_higher() -> None:
    rows = [row("A", "seo"), row("B", "seo seo seo")]
    assert titles(notes.search(rows, "seo")) == ["B", "A"]


def test_title_spans_mark_every_word_in_the_original_text() -> None:
    title = "Бриф: Зелёный сайт"
    spans = notes.spans_of(title, notes.search_words("зеленый САЙТ"))
    assert [title[start:end] for start, end in spans] == ["Зелёный", "сайт"]


def test_spans_survive_folding_that_changes_length() -> None:
    title = "Straße Plan"
    spans = notes.spans_of(title, notes.search_words("plan"))
    assert [title[start:end] for start, end in spans] == ["Plan"]


def test_snippet_shows_the_first_match_with_its_spans() -> None:
    body = "Intro line.\n\n" + "filler " * 60 + "\nThe Budget is 300k, budget agreed."
    text, spans = notes.snippet(body, "budget", width=80)
    assert text.startswith("…")
    assert [text[start:end] for start, end in spans] == ["Budget", "budget"]
    assert "\n" not in text


def test_pinned_first_then_most_recently_changed() -> None:
    rows = listed(row("old"), row("new", updated="2026-11-20"),
                  row("pinned old", pinned=True, updated="2026-01-01"))
    assert [r.title for r in rows] == ["pinned old", "new", "old"]


def test_rows_keep_no_body_but_its_words_are_indexed() -> None:
    body = "- [x] done\n" + "слово " * 1000 + "конец"
    only = listed(row("long", body))[0]
    assert not hasattr(only, "body") and only.checklist == (1, 1)
    assert titles(notes.search([row("long", body)], "конец")) == ["long"]


def test_filter_by_client_kind_and_tag() -> None:
    rows = [row_of(note, {"c1": "ООО «Ромашка»"}) for note in (
        row("a", client_id="c1", kind="brief", tags=["seo"]),
        row("b", client_id="c1", kind="meeting"), row("c", kind="brief", tags=["seo"]))]
    assert rows[0].client_name == "ООО «Ромашка»"
    assert [r.title for r in rows if NoteFilter(client_id="c1").keeps(r)] == ["a", "b"]
    assert [r.title for r in rows if NoteFilter(kind="brief", tag="seo").keeps(r)] == ["a", "c"]
    assert not NoteFilter()


def test_checklist_progress_and_toggle() -> None:
    body = "# List\n- [ ] one\n- [x] two\n* [X] three\n1. [ ] four\nnot [ ] an item"
    assert notes.checklist_progress(body) == (2, 4)
    ticked = notes.toggle_checkbox(body, 1)
    assert ticked is not None and ticked.split("\n")[1] == "- [x] one"
    unticked = notes.toggle_checkbox(body, 3)
    assert unticked is not None and unticked.split("\n")[3] == "* [ ] three"
    assert notes.toggle_checkbox(body, 0) is None
    assert notes.toggle_checkbox(body, 5) is None
    assert notes.toggle_checkbox(body, 99) is None
    assert "☑ two" in notes.preview_markdown(body)


def test_read_notes_names_clients_and_orders_rows(workspace: Workspace) -> None:
    client = workspace.repo(Client).add(Client(name="Байкал"))
    workspace.repo(Note).add(Note(title="one", client_id=client.id, body="про бюджет"))
    workspace.repo(Note).add(Note(title="two", pinned=True))
    index = notes.read_notes(workspace)
    assert [r.title for r in index.rows] == ["two", "one"]
    assert index.rows[1].client_name == "Байкал"
    assert [hit.row.title for hit in index.search("бюджет")[0]] == ["one"]


def test_tick_saves_the_stored_note_and_undo_reverts(workspace: Workspace) -> None:
    note = workspace.repo(Note).add(Note(title="list", body="- [ ] a\n- [ ] b"))
    undo = notes.tick(workspace, note.id, 1)
    assert workspace.repo(Note).get(note.id).body == "- [ ] a\n- [x] b"
    undo.revert()
    assert workspace.repo(Note).get(note.id).body == "- [ ] a\n- [ ] b"
    with pytest.raises(ValueError):
        notes.tick(workspace, note.id, 5)


# Templates --------------------------------------------------------------------------------

def test_shipped_templates_include_the_ten_point_checklist() -> None:
    templates, problems = load_templates(None)
    assert problems == []
    by_key = {template.key: template for template in templates}
    assert {"brief", "spec", "meeting", "report", "anti-disaster"} <= set(by_key)
    checklist = by_key["anti-disaster"]
    assert checklist.kind == "checklist"
    title, body = checklist.fill("ООО «Ромашка»", date(2026, 11, 26), "anna")
    assert title == "Anti-disaster checklist — ООО «Ромашка»"
    assert notes.checklist_progress(body) == (0, 10)
    assert "editorial policy" in body and "overtime coefficient" in body
    assert by_key["brief"].kind == "brief" and by_key["spec"].kind == "spec"


def test_fill_without_a_client_leaves_no_dangling_dash() -> None:
    template = parse_template("t", "---\ntitle: Brief — {{client}}\n---\nby {{me}} {{date}}",
                              "amtui")
    title, body = template.fill("", date(2026, 1, 2), "igor")
    assert title == "Brief"
    assert body == "by igor 2026-01-02"


def test_a_note_is_by_the_members_name_when_the_user_is_a_member(workspace: Workspace) -> None:
    from amtui.identity import os_user
    from amtui.models import Member
    from amtui.services.templates import author

    assert author(workspace) == os_user()  # no member logs in as the user: the login
    workspace.repo(Member).add(Member(name="Анна Смирнова", login=os_user()))
    assert author(workspace) == "Анна Смирнова"


def test_workspace_templates_add_and_replace(workspace: Workspace) -> None:
    folder = workspace.root / "templates" / "notes"
    folder.mkdir(parents=True)
    (folder / "brief.md").write_text("---\nname: Our brief\nkind: brief\n---\n# Ours\n",
                                     encoding="utf-8")
    (folder / "retro.md").write_text("# Retro\n- [ ] went well\n", encoding="utf-8")
    (folder / "broken.md").write_text("---\nkind: poem\n---\nx", encoding="utf-8")
    templates, problems = load_templates(workspace)
    by_key = {template.key: template for template in templates}
    assert by_key["brief"].name == "Our brief" and by_key["brief"].source == "workspace"
    assert by_key["brief"].body == "# Ours\n"
    assert by_key["retro"].name == "Retro" and by_key["retro"].kind == "knowledge"
    assert "broken" not in by_key
    assert len(problems) == 1 and "broken.md" in problems[0] and "poem" in problems[0]


@pytest.mark.parametrize("text, message", [
    ("---\nkind: brief\n# no end", "no closing"),
    ("---\ncolour: red\n---\n", "expected name"),
])
def test_bad_front_matter_is_named(text: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        parse_template("bad", text, "workspace")


def test_templates_ship_in_the_package() -> None:
    import amtui

    folder = Path(amtui.__file__).parent / "templates" / "notes"
    assert len(list(folder.glob("*.md"))) >= 5
