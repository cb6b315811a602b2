"""``amtui`` with no command: open the workspace in the full-screen app.

When amtui is not talking to a terminal (a script, a pipe), it prints the summary instead.
"""

from __future__ import annotations

import argparse
import sys

from amtui.cli import UsageError
from amtui.cli.common import open_workspace
from amtui.ui.pane_ids import CORE_PANE_IDS


def open_app(args: argparse.Namespace) -> int:
    pane = args.pane or CORE_PANE_IDS[0]
    if pane not in CORE_PANE_IDS:
        raise UsageError(f"--pane: no pane {pane!r} (panes: {', '.join(CORE_PANE_IDS)})")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        from amtui.cli.listing import summary

        return summary(args)
    workspace = open_workspace(args)
    from textual.theme import BUILTIN_THEMES

    if args.theme and args.theme not in BUILTIN_THEMES:
        raise UsageError(f"--theme: no theme {args.theme!r} (themes: "
                         f"{', '.join(sorted(BUILTIN_THEMES))})")
    from amtui.ui.app import AmtuiApp

    AmtuiApp(workspace, pane, theme=args.theme).run()
    return 0
