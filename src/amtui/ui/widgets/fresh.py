"""Screens that are not styled twice when they are first shown."""

from __future__ import annotations

from textual import events


class StyledOnce:
    """For a screen made new each time it is shown (a card, a form, a dialog).

    Textual applies the stylesheet to every widget as it is mounted, then, when the new screen
    is shown, applies it to the whole screen once more (``ScreenResume.refresh_styles``) — for
    a screen just made, the same styles again (measured: 20-40 ms for a form or a card). This
    drops that second pass on the first showing only; a screen shown again (another closed
    above it) is restyled as usual.
    """

    _shown_before = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._shown_before:
            self._shown_before = True
            event.refresh_styles = False
