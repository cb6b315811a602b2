"""The ids of the core panes, importable without Textual (the command line checks --pane)."""

CORE_PANE_IDS = ("today", "inbox", "clients")
