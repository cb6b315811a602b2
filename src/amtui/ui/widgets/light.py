"""Screens that open without laying out, styling or drawing anything twice."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any, cast

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.css.styles import RulesMap
    from textual.screen import Screen
    from textual.style import Style
    from textual.visual import RenderOptions


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

    A modal screen shows the pane under it dimmed: :class:`DimmedScreen` draws it the same,
    a few times cheaper.
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

    def render(self) -> RenderableType | Visual:
        rendered = super().render()  # type: ignore[misc]
        if isinstance(rendered, BackgroundScreen):
            return DimmedScreen(cast("Screen[Any]", self), rendered.screen, rendered.color)
        return cast("RenderableType", rendered)


class DimmedScreen(Visual):
    """The screen under a modal one, tinted by the modal's translucent background: what
    Textual's ``BackgroundScreen`` draws, cell for cell, made from the lower screen's lines
    with each distinct style tinted once, not each piece of text through Rich: 2.5 ms a
    drawing at 120x40 instead of 3.7 (bench/modal_dimming.py), and the dimmed screen is drawn
    several times as a form opens."""

    def __init__(self, modal: Screen[Any], below: Screen[Any], tint: Color) -> None:
        self.modal = modal
        self.below = below
        self.tint = tint

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        base = style.rich_style
        link = self.modal.link_style if self.modal.auto_links else None
        # The lower screen's lines as Textual's BackgroundScreen reads them, untinted: each
        # distinct style is then tinted once (_dimmed_style), not each piece of text.
        console = self.modal.app.console
        lines = Segment.split_lines(console.render(BackgroundScreen(self.below, UNTINTED),
                                                   console.options))
        if height is not None:
            lines = islice(lines, height)
        return [_dimmed(line, width, self.tint, base, link) for line in lines]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.below.outer_size.height


UNTINTED = Color(0, 0, 0, 0)


def _dimmed(line: Iterable[Segment], width: int, tint: Color, base: RichStyle,
            link: RichStyle | None) -> Strip:
    """One line of the lower screen, each piece in its dimmed style, cut to ``width``."""
    segments = []
    for text, style, control in line:
        dimmed = _dimmed_style(style, bool(control), tint, base, link)
        if link and dimmed is None:
            continue
        segments.append(Segment(text, dimmed, None if base else control))
    strip = Strip(segments)
    return strip.crop(0, width) if strip.cell_length > width else strip


@lru_cache(maxsize=4096)
def _dimmed_style(style: RichStyle | None, control: bool, tint: Color, base: RichStyle,
                  link: RichStyle | None) -> RichStyle | None:
    """The style a piece of text in ``style`` is drawn in under the modal screen: as Textual
    tints it (``BackgroundScreen``), then puts it under the screen's own style and link style
    (``Widget.post_render``)."""
    tinted = style if control else next(iter(BackgroundScreen.process_segments(
        [Segment(" ", style)], tint))).style
    if base:
        tinted = base + tinted
    if link and tinted is not None and tinted.meta and "@click" in tinted.meta:
        tinted = tinted + link
    return tinted
