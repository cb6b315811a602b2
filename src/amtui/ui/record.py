"""A read-only view of one record, opened with Enter from any list."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from amtui.i18n import N_, _
from amtui.ui.safe import content, line

HIDDEN = {"rev", "created_at", "updated_at", "id"}


class RecordScreen(ModalScreen[None]):
    """Every field of a record, and for a client its contacts, deals and latest messages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", N_("Close"), id="record.close"),
    ]

    def __init__(self, title: str, record: dict[str, Any],
                 related: list[tuple[str, list[str]]] | None = None) -> None:
        super().__init__()
        self.record_title = title
        self.record = record
        self.related = related or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="record-box"):
            yield Static(line(self.record_title).stylize("bold"), id="record-title")
            rows = []
            for field, value in self.record.items():
                if field in HIDDEN or value in (None, "", [], {}):
                    continue
                rows.append(Content.assemble((f"{field.replace('_', ' ')}: ", "bold"),
                                             content(_plain(value))))
            yield Static(Content("\n").join(rows))
            for heading, lines in self.related:
                yield Static(Content(heading).stylize("bold underline"), classes="related")
                yield Static(Content("\n").join(content(text) for text in lines)
                             if lines else Content(_("none")))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


def _plain(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    if isinstance(value, list):
        return ", ".join(str(item.get("text", item)) if isinstance(item, dict) else str(item)
                         for item in value)
    return str(value)
