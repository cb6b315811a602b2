"""Screens that open without laying out or styling anything twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import events

if TYPE_CHECKING:
    from textual.screen import Screen


class LightScreen:
    """For a screen made new each time it is shown (a card, a form, a dialog); put it before
    the Screen class in the bases.

    Textual applies the stylesheet to every widget as it is mounted, then, when the new screen
    is shown, applies it to the whole screen once more (``ScreenResume.refresh_styles``): for
    a screen just made, the same styles again. This drops that second pass on the first
    showing; a screen shown again (one above it closed) is restyled as usual.

    A new screen also gets a Resize once laid out, and Textual answers every Resize by laying
    out the screen and the screen under it again, even when neither changed size. This skips
    such a Resize when every screen of the stack has that size already; one that changes a
    size (the terminal's) is handled as usual.
    """

    _shown_before = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._shown_before:
            self._shown_before = True
            event.refresh_styles = False

    async def _on_resize(self, event: events.Resize) -> None:
        screen = cast("Screen[Any]", self)
        if all(shown.outer_size == event.size for shown in screen.app.screen_stack):
            event.stop()
            event.prevent_default()
