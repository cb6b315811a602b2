"""Note templates: Markdown files chosen when a note is created.

amtui ships its own (``amtui/templates/notes/*.md``), with translations in a folder named after
the language (``amtui/templates/notes/ru/brief.md``): the interface's language chooses them. A
team adds or replaces templates with files in the workspace's ``templates/notes/`` folder (a file
with the same name replaces the shipped one), and its translations in ``templates/notes/ru/``.
A file may start with a front matter block::

    ---
    name: Client brief
    kind: brief
    title: Brief — {{client}}
    ---

``{{client}}``, ``{{date}}`` and ``{{me}}`` in the title and body are filled in when the note
is made; nothing else in the text is interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from amtui.i18n import _, current_language
from amtui.models import NoteKind

if TYPE_CHECKING:
    from amtui.storage import Workspace

WORKSPACE_FOLDER = Path("templates") / "notes"
KINDS = {kind.value for kind in NoteKind}


@dataclass(frozen=True)
class NoteTemplate:
    key: str
    """The file name without ``.md``."""
    name: str
    kind: str
    title: str
    body: str
    source: str
    """"amtui" or "workspace"."""

    def fill(self, client: str, today: date, me: str) -> tuple[str, str]:
        """(title, body) with the placeholders filled in."""
        values = {"{{client}}": client, "{{date}}": today.isoformat(), "{{me}}": me}
        title, body = self.title, self.body
        for placeholder, value in values.items():
            title, body = title.replace(placeholder, value), body.replace(placeholder, value)
        return " ".join(title.split()).strip(" —-,") or self.name, body


def author(workspace: Workspace) -> str:
    """Who a note is by (``{{me}}``): the name of the member who logs in as the OS user, or
    the login when no member does."""
    # lazy: looked up at each call (tests stand in another user)
    from amtui.identity import os_user
    from amtui.services.agenda import member_by_login

    login = os_user()
    member = member_by_login(workspace, login)
    return str(member.get("name") or login) if member else login


class TemplateError(ValueError):
    """A template file that cannot be used; the message names it and says why."""


def parse_template(key: str, text: str, source: str) -> NoteTemplate:
    """A template from a file's text; TemplateError if its front matter is wrong."""
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end < 0:
            raise TemplateError(_("{key}.md: the front matter has no closing ---").format(key=key))
        for number, line in enumerate(text[4:end].splitlines(), start=2):
            if not line.strip():
                continue
            name, colon, value = line.partition(":")
            if not colon or name.strip() not in ("name", "kind", "title"):
                raise TemplateError(_("{key}.md line {number}: expected name:, kind: or "
                                      "title:, got {strip!r}").format(
                                          key=key, number=number, strip=line.strip()[:40]))
            meta[name.strip()] = value.strip()
        body = text[end + 5:]
    kind = meta.get("kind", NoteKind.KNOWLEDGE.value)
    if kind not in KINDS:
        raise TemplateError(_("{key}.md: unknown kind {kind!r} (one of: {kinds})").format(
            key=key, kind=kind, kinds=", ".join(sorted(KINDS))))
    name = meta.get("name") or key.replace("-", " ").replace("_", " ").capitalize()
    return NoteTemplate(key, name, kind, meta.get("title") or name, body, source)


def _files(folder: Traversable, language: str) -> list[Traversable]:
    """The ``.md`` files of a folder, those in its ``language`` subfolder replacing the ones
    with the same name."""
    chosen: dict[str, Traversable] = {}
    for place in (folder, folder / language):
        if place.is_dir():
            chosen.update({item.name: item for item in sorted(place.iterdir(),
                                                              key=lambda item: item.name)
                           if item.name.endswith(".md") and item.is_file()})
    return list(chosen.values())


def load_templates(workspace: Workspace | None) -> tuple[list[NoteTemplate], list[str]]:
    """The templates to offer, by name, in the interface's language where one is written in
    it, and the problems with files that were skipped."""
    found: dict[str, NoteTemplate] = {}
    problems: list[str] = []
    language = current_language()
    shipped = resources.files("amtui") / "templates" / "notes"
    sources: list[tuple[str, list[tuple[str, str]]]] = [(
        "amtui", [(item.name, item.read_text(encoding="utf-8"))
                  for item in _files(shipped, language)])]
    if workspace is not None:
        own: list[tuple[str, str]] = []
        for item in _files(workspace.root / WORKSPACE_FOLDER, language):
            try:
                own.append((item.name, item.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as error:
                problems.append(_("{name}: cannot be read ({error})").format(
                    name=item.name, error=error.__class__.__name__))
        sources.append(("workspace", own))
    for source, files in sources:
        for file_name, text in files:
            key = file_name.removesuffix(".md")
            try:
                found[key] = parse_template(key, text, source)
            except TemplateError as error:
                problems.append(str(error))
    return sorted(found.values(), key=lambda template: template.name.casefold()), problems
