"""The words for the values records hold — a client's status, a message's channel, a note's
kind — marked for the catalogue, and shown in the language in use by :func:`amtui.i18n.shown`.

``tests/test_i18n.py`` checks that every value of the record models' choices is here.
"""

from __future__ import annotations

from amtui.i18n import N_, shown

__all__ = ["WORDS", "shown"]

WORDS = (
    N_("daily"), N_("weekly"), N_("biweekly"), N_("monthly"), N_("none"),
    N_("Telegram"), N_("WhatsApp"), N_("e-mail"), N_("phone"), N_("meeting"), N_("site"),
    N_("other"), N_("b2b"), N_("b2c"), N_("lead"), N_("active"), N_("dormant"), N_("churned"),
    N_("proposal"), N_("negotiation"), N_("won"), N_("lost"), N_("incoming"), N_("outgoing"),
    N_("decision maker"), N_("champion"), N_("blocker"), N_("stakeholder"), N_("company"),
    N_("person"), N_("question"), N_("request"), N_("complaint"), N_("approval"),
    N_("feedback"), N_("reply"), N_("update"), N_("call"), N_("new"), N_("waiting on us"),
    N_("waiting on client"), N_("done"), N_("brief"), N_("spec"), N_("knowledge"),
    N_("report"), N_("checklist"), N_("low"), N_("normal"), N_("high"), N_("urgent"),
    N_("tactical"), N_("operational"), N_("functional"), N_("strategic"),
    N_("account manager"), N_("kam"), N_("assistant"), N_("head"),
)
"""Each value in plain words (``waiting_on_us`` is "waiting on us")."""
