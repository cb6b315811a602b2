"""The key bar at the bottom of a screen: the keys that work here and what they do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from amtui.i18n import key_words

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.dom import DOMNode

PINNED_ACTIONS = ("help", "command_palette")
"""The app's keys always shown, at the right end, in this order: whatever else is cut at 80
columns, these two lead to every other key."""

Hint = tuple[Content, str]
"""A key as shown, and the key a click on it presses ("" for none: the key is disabled)."""

_HINTS: dict[tuple[str, str | None, str, bool], Content] = {}
"""Each key as drawn, by key, its display, description and whether it is enabled (the same
on every screen's bar, and drawing them was a tenth of opening a form)."""


def _cells(hints: list[Hint]) -> int:
    return sum(shown.cell_length for shown, _key in hints)


def _fitting(hints: list[Hint], width: int) -> list[Hint]:
    """As many of ``hints`` as fit in ``width`` cells, in their order: one too wide is left
    out, and a shorter one after it may still fit."""
    kept: list[Hint] = []
    for hint in hints:
        if hint[0].cell_length <= width:
            kept.append(hint)
            width -= hint[0].cell_length
    return kept


def described(screen: Screen[object], node: DOMNode, binding: Binding) -> str:
    """What a key of ``node``'s does: what the screen says it does now (its
    ``binding_description``, if it has one: a plugin's Today line names its own ``d``), else
    the binding's description in the language in use."""
    describe = getattr(screen, "binding_description", None)
    return ((describe(binding) if describe is not None else None)
            or key_words(node, binding.description))


class KeyBar(Static):
    """One line of key hints, kept up to date as focus and bindings change; a click on a key
    presses it.

    Textual's Footer builds a widget per key and rebuilds them all whenever the bindings
    change, which happens on every pane switch (measured: about half the work of a switch);
    this bar only redraws its one line, and only when the keys shown change.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="key-bar")
        self._keys: list[tuple[int, int, str]] = []
        """Where each key is drawn: start and end column, and the key it presses."""
        self._shown: Content | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.refresh_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self.refresh_keys()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh_keys()

    def refresh_keys(self) -> None:
        """Show the keys of the focused widget, its containers and the screen, then the app's,
        with help and the palette at the right end. When they do not all fit, the app's keys
        are left out first (quit, undo and trash are listed by help), then the pane's last
        ones: what the pane does matters most; help and the palette stay."""
        pane: list[Hint] = []
        shared: list[Hint] = []
        pinned: dict[str, Hint] = {}
        actions: set[str] = set()
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action in actions:
                continue
            hint = (self._hint(node, binding, enabled), binding.key if enabled else "")
            if node is self.app and binding.action in PINNED_ACTIONS:
                if binding.action != "command_palette" or self.app.ENABLE_COMMAND_PALETTE:
                    pinned[binding.action] = hint
            elif binding.show:
                (shared if node is self.app else pane).append(hint)
            else:
                continue
            actions.add(binding.action)
        right = [pinned[action] for action in PINNED_ACTIONS if action in pinned]
        width = self.size.width or self.app.size.width
        pane = _fitting(pane, width - _cells(right))
        shared = _fitting(shared, width - _cells(right) - _cells(pane))
        gap = max(width - _cells(pane) - _cells(shared) - _cells(right), 0)
        hints = [*pane, *shared, (Content(" " * gap), ""), *right]
        keys: list[tuple[int, int, str]] = []
        column = 0
        for shown, key in hints:
            if key:
                keys.append((column, column + shown.cell_length, key))
            column += shown.cell_length
        content = Content("").join(shown for shown, _key in hints)
        self._keys = keys
        if content != self._shown:
            self._shown = content
            self.update(content)

    def _hint(self, node: DOMNode, binding: Binding, enabled: bool) -> Content:
        description = described(self.screen, node, binding)
        wanted = (binding.key, binding.key_display, description, enabled)
        made = _HINTS.get(wanted)
        if made is None:
            style = "" if enabled else " dim"
            made = _HINTS[wanted] = Content.assemble(
                (f" {self.app.get_key_display(binding)}",
                 f"bold $footer-key-foreground{style}"),
                (f" {description} ", f"$footer-description-foreground{style}"),
            )
        return made

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._keys:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
