"""Textual's own words that a user of amtui reads, marked for amtui's catalogue.

Textual shows them in English; amtui shows them through ``_()``: the keys of Textual's widgets
in the help screen (under "In lists and text boxes"), Textual's commands in the palette, and
the palette's prompt. ``tests/test_i18n.py`` checks that the keys of the widgets amtui uses
are all here, so that a new version of Textual cannot bring untranslated words in unseen.
"""

from __future__ import annotations

from amtui.i18n import N_

WIDGETS = ("Button", "Checkbox", "DataTable", "Input", "OptionList", "RadioSet", "Select",
           "SelectionList", "TextArea")
"""The Textual widgets amtui shows (with ScrollView, the command palette, Screen and App, whose
keys are listed too)."""

KEYS = (
    N_("Press button"), N_("Toggle"), N_("Select"), N_("Cursor up"), N_("Cursor down"),
    N_("Cursor right"), N_("Cursor left"), N_("Page up"), N_("Page down"), N_("Top"),
    N_("Bottom"), N_("Home"), N_("End"), N_("Scroll Up"), N_("Scroll Down"), N_("Scroll Left"),
    N_("Scroll Right"), N_("Scroll Home"), N_("Scroll End"), N_("Page Up"), N_("Page Down"),
    N_("Page Left"), N_("Page Right"), N_("Move cursor left"), N_("Move cursor left and select"),
    N_("Move cursor left a word"), N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"), N_("Move cursor right a word"),
    N_("Move cursor right a word and select"), N_("Delete character left"), N_("Select all"),
    N_("Go to start"), N_("Go to end"), N_("Select line start"), N_("Select line end"),
    N_("Delete character right"), N_("Submit"), N_("Delete left to start of word"),
    N_("Delete all to the left"), N_("Delete right to start of word"),
    N_("Delete all to the right"), N_("Cut selected text"), N_("Copy selected text"),
    N_("Paste text from the clipboard"), N_("Down"), N_("Last"), N_("First"), N_("Up"),
    N_("Next option"), N_("Previous option"), N_("Show menu"), N_("Toggle option"),
    N_("Cursor word left"), N_("Cursor word right"), N_("Cursor line start"),
    N_("Cursor line end"), N_("Cursor page up"), N_("Cursor page down"),
    N_("Cursor left word select"), N_("Cursor right word select"), N_("Cursor line start select"),
    N_("Cursor line end select"), N_("Cursor up select"), N_("Cursor down select"),
    N_("Cursor left select"), N_("Cursor right select"), N_("Select line"), N_("Cut"), N_("Copy"),
    N_("Paste"), N_("Delete to line start"), N_("Delete to line end"), N_("Delete line"),
    N_("Undo"), N_("Redo"), N_("Go to bottom"), N_("Go to top"), N_("Next command"),
    N_("Exit the command palette"), N_("Next page"), N_("Previous page"), N_("Previous command"),
    N_("Focus Next"), N_("Focus Previous"), N_("Quit"),
)
"""The descriptions of those widgets' keys."""

COMMANDS = (
    N_("Theme"), N_("Change the current theme"), N_("Quit"),
    N_("Quit the application as soon as possible"), N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"), N_("Minimize"),
    N_("Minimize the widget and restore to normal size"), N_("Maximize"),
    N_("Maximize the focused widget"), N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
"""The titles and help of Textual's palette commands (App.get_system_commands)."""

PALETTE_PROMPT = N_("Search for commands…")

NO_MATCHES = N_("No matches found")
"""What the palette shows when nothing matches what was typed."""
