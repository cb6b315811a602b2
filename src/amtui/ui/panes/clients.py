"""Clients: the client base, filtered as you type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from amtui.i18n import _
from amtui.ui.panes.listing import ListPane, Row
from amtui.ui.safe import cell


class ClientsPane(ListPane):
    PANE_ID = "clients"
    TITLE_TEXT = _("Clients")
    TABLE = "clients"
    COLUMNS: ClassVar[list[str]] = [_("Client"), _("Status"), _("Kind"), _("Key"),
                                    _("Revenue/mo"), _("Owner"), _("Cadence")]

    def rows_from(self, records: dict[str, dict[str, Any]]) -> list[Row]:
        members = self.amtui.workspace.file("members").records()
        rows: list[Row] = []
        for client in sorted(records.values(), key=lambda c: str(c.get("name", "")).casefold()):
            owner = str(members.get(client.get("owner_id") or "", {}).get("name", ""))
            revenue = f"{Decimal(str(client.get('monthly_revenue', 0))):,.0f}".replace(",", " ")
            tags = " ".join(client.get("tags", []))
            rows.append((client["id"], f"{client['name']} {owner} {tags}".casefold(), [
                cell(client["name"], 40),
                cell(client.get("status", "")),
                cell(client.get("kind", "")),
                cell("★" if client.get("key_account") else ""),
                cell(revenue),
                cell(owner, 24),
                cell(client.get("cadence", "")),
            ]))
        return rows
