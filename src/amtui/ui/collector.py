"""Full garbage collections while the keyboard rests, not in the middle of a key press."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

FULL_AFTER = 1000
"""Collections of the young objects between two full ones that Python starts by itself
(Python's default: 10). A full collection walks every object a large workspace's panes hold
(measured: 150-250 ms), and Python starts one whenever enough young ones were made: on the
large demo, one key in ten paid for it, opening a form or the palette most often."""
IDLE_SECONDS = 5.0
"""No key or mouse for this long: a full collection now goes unnoticed."""
CHECK_SECONDS = 1.0
"""How often the app asks :meth:`IdleCollector.collect_if_idle`."""


class IdleCollector:
    """Makes Python's own full collections a hundred times rarer while amtui runs and makes one
    when nobody has typed for :data:`IDLE_SECONDS` and objects aged since the last one, so
    cycles of closed screens are freed all the same."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_input = clock()
        """When the last key or mouse event came (``clock`` time)."""
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Python's full collections made rarer; :meth:`stop` puts them back as they were."""
        if self._thresholds is None:
            self._thresholds = young, older, _full = gc.get_threshold()
            gc.set_threshold(young, older, FULL_AFTER)

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def input_seen(self) -> None:
        self.last_input = self.clock()

    def collect_if_idle(self) -> bool:
        """A full collection if the keyboard rests and objects aged since the last one;
        whether one was made."""
        aged = gc.get_count()[2] > 0
        if not aged or self.clock() - self.last_input < IDLE_SECONDS:
            return False
        gc.collect()
        return True
