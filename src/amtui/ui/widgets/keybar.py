"""The key bar at the bottom of a screen: the keys that work here and what they do."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


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

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh_keys()

    def refresh_keys(self) -> None:
        """Show the keys of the focused widget, its containers, the screen and the app."""
        active = self.screen.active_bindings
        palette = self.app.COMMAND_PALETTE_BINDING
        entries = [(binding, enabled) for key, (_node, binding, enabled, _tip) in active.items()
                   if binding.show and key != palette]
        if self.app.ENABLE_COMMAND_PALETTE and palette in active:
            _node, binding, enabled, _tip = active[palette]
            entries.append((binding, enabled))
        parts: list[Content] = []
        keys: list[tuple[int, int, str]] = []
        actions: set[str] = set()
        column = 0
        for binding, enabled in entries:
            if binding.action in actions:
                continue
            actions.add(binding.action)
            style = "" if enabled else " dim"
            part = Content.assemble(
                (f" {self.app.get_key_display(binding)}", f"bold $footer-key-foreground{style}"),
                (f" {binding.description} ", f"$footer-description-foreground{style}"),
            )
            if enabled:
                keys.append((column, column + part.cell_length, binding.key))
            column += part.cell_length
            parts.append(part)
        content = Content("").join(parts)
        self._keys = keys
        if content != self._shown:
            self._shown = content
            self.update(content)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._keys:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
