"""The core panes, in the order of the pane bar and the number keys."""

from __future__ import annotations

from amtui.ui.panes.base import PaneScreen
from amtui.ui.panes.clients import ClientsPane
from amtui.ui.panes.inbox import InboxPane
from amtui.ui.panes.today import TodayPane

CORE_PANES: tuple[type[PaneScreen], ...] = (TodayPane, InboxPane, ClientsPane)
