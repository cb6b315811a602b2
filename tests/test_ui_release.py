"""What a pane read last time is let go of in a thread of its own, never emptying what is
still in use."""

from __future__ import annotations

import threading

from amtui.ui.panes.base import release_off_thread


def test_what_is_still_held_elsewhere_is_left_whole() -> None:
    kept_rows = [{"id": "m1"}, {"id": "m2"}]
    kept_by_id = {row["id"]: row for row in kept_rows}
    old_rows = [{"id": "m0"}]
    held = {"rows": kept_rows, "by_id": kept_by_id, "old": old_rows, "old_again": old_rows}
    del old_rows
    release_off_thread(held)
    for thread in threading.enumerate():
        if thread.name == "amtui-release":
            thread.join(timeout=30)
    assert held == {}
    assert kept_rows == [{"id": "m1"}, {"id": "m2"}]
    assert kept_by_id == {"m1": {"id": "m1"}, "m2": {"id": "m2"}}
