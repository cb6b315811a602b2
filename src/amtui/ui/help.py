"""The help screen: every key of the current pane and the global ones."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from amtui.i18n import N_, _
from amtui.ui.widgets.light import LightScreen

KeyRow = tuple[str, str]


class HelpScreen(LightScreen, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", N_("Close"), id="help.close"),
    ]

    def __init__(self, pane_title: str, pane_keys: list[KeyRow], global_keys: list[KeyRow],
                 widget_keys: list[KeyRow] | None = None) -> None:
        """``pane_keys``: the pane's own actions, listed first; ``global_keys``: the app's;
        ``widget_keys``: moving about in lists and text boxes, listed last."""
        super().__init__()
        self.pane_title = pane_title
        self.pane_keys = pane_keys
        self.global_keys = global_keys
        self.widget_keys = widget_keys or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Content(_("Keys")).stylize("bold"), id="help-title")
            for heading, keys in ((self.pane_title, self.pane_keys),
                                  (_("Everywhere"), self.global_keys),
                                  (_("In lists and text boxes"), self.widget_keys)):
                if not keys:
                    continue
                yield Static(Content(heading).stylize("bold underline"), classes="help-heading")
                yield Static(Content("\n").join(
                    Content.assemble((f"{key:>14}  ", "bold"), description)
                    for key, description in keys
                ))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
