"""The core panes, one module each; see :mod:`amtui.ui.pane_ids` for their order."""
