"""Inbox: client messages, newest first, with their answer-by countdown."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from amtui.i18n import _
from amtui.services.actions import mark_message_done
from amtui.ui.panes.listing import ListPane, Row
from amtui.ui.safe import cell

STATUS_LABELS = {"new": "new", "waiting_on_us": "on us", "waiting_on_client": "on client",
                 "done": "done"}


def countdown(answer_by: str | None, status: str, now: datetime) -> tuple[str, bool]:
    """How long until the answer is due (or how late it is), and whether it is late."""
    if not answer_by or status not in ("new", "waiting_on_us"):
        return "", False
    seconds = (datetime.fromisoformat(answer_by) - now).total_seconds()
    hours, minutes = divmod(int(abs(seconds)) // 60, 60)
    text = f"{hours}h{minutes:02d}" if hours < 48 else f"{hours // 24}d"
    return (f"-{text}", True) if seconds < 0 else (text, False)


class InboxPane(ListPane):
    PANE_ID = "inbox"
    TITLE_TEXT = _("Inbox")
    TABLE = "messages"
    COLUMNS: ClassVar[list[str]] = [_("Received"), _("Answer in"), _("Status"), _("Client"),
                                    _("Message"), _("Kind")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", _("Answered"), id="inbox.done",
                tooltip=_("Mark the message answered (done)")),
    ]

    def rows_from(self, records: dict[str, dict[str, Any]]) -> list[Row]:
        workspace = self.amtui.workspace
        clients = workspace.file("clients").records()
        now = workspace.clock()
        rows: list[Row] = []
        for message in sorted(records.values(), key=lambda m: m.get("received_at", ""),
                              reverse=True):
            client = str(clients.get(message.get("client_id", ""), {}).get("name", ""))
            due, late = countdown(message.get("answer_by"), message.get("status", ""), now)
            received = datetime.fromisoformat(message["received_at"]).astimezone()
            rows.append((message["id"], f"{client} {message['text']}".casefold(), [
                cell(received.strftime("%d.%m %H:%M")),
                cell(due, style="bold red" if late else ""),
                cell(STATUS_LABELS.get(message.get("status", ""), "")),
                cell(client, 20),
                cell(message["text"], 100),
                cell(message.get("kind", "")),
            ]))
        return rows

    def action_done(self) -> None:
        record_id = self.current_id()
        if record_id and self.query_one(DataTable).has_focus:
            workspace = self.amtui.workspace
            self.amtui.change(lambda: mark_message_done(workspace, record_id), _("Answered"))
