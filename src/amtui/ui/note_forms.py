"""The Notes pane's dialogs: which notes to show, and which template a new note starts from.
Imported when first needed (it loads the models)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from amtui.i18n import _
from amtui.services.notes import NOTE_KINDS, NoteFilter
from amtui.services.templates import NoteTemplate
from amtui.text import one_line
from amtui.ui.forms import FilterForm, FormField
from amtui.ui.picker import Picker
from amtui.ui.safe import line

if TYPE_CHECKING:
    from amtui.services.finder import NameFinder

BLANK = ""
"""The template choice for a note that starts empty."""


def template_options(templates: list[NoteTemplate]) -> list[tuple[Content, str]]:
    """Choices for :class:`~amtui.ui.ask.PickScreen`: a blank note, then the
    templates (the workspace's own marked as such)."""
    options = [(Content(_("Blank note")), BLANK)]
    for template in templates:
        own = _(" (this workspace)") if template.source == "workspace" else ""
        options.append((Content.assemble(line(template.name, 50), (own, "dim"),
                                         (f"  {template.kind}", "dim")), template.key))
    return options


def filter_form(current: NoteFilter, finder: NameFinder,
                tags: list[str]) -> FilterForm[NoteFilter]:
    """Which notes the list shows: by client, kind and tag."""
    tags = [tag for tag in tags if tag]
    if current.tag and current.tag not in tags:
        tags.append(current.tag)
    if current.client_id:
        finder.add(current.client_id, one_line(current.client_name))
    any_ = (_("any"), "")
    fields = [
        FormField("client", _("Client"), picker=Picker(finder, _("client")),
                  placeholder=_("any client; type part of the name")),
        FormField("kind", _("Kind"), [any_, *((kind, kind) for kind in NOTE_KINDS)]),
        FormField("tag", _("Tag"), [any_, *((one_line(tag, 30), tag) for tag in tags)]),
    ]
    values = {"client": current.client_id, "kind": current.kind, "tag": current.tag}

    def build(typed: dict[str, str]) -> NoteFilter:
        return NoteFilter(client_id=typed["client"], client_name=finder.name(typed["client"]),
                          kind=typed["kind"], tag=typed["tag"])

    return FilterForm(_("Show notes"), fields, values, build, NoteFilter())
