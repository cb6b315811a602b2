"""The words shown for stored values: a stage, a purpose, an attitude, a client's status.
The stored value stays English; only what is shown is translated."""

from __future__ import annotations

from .i18n import N_, _

WORDS = {
    "tactical": N_("tactical"), "operational": N_("operational"),
    "functional": N_("functional"), "strategic": N_("strategic"),
    "growth": N_("growth"), "preservation": N_("preservation"), "image": N_("image"),
    "supporter": N_("supporter"), "neutral": N_("neutral"), "opponent": N_("opponent"),
    "lead": N_("lead"), "active": N_("active"), "dormant": N_("dormant"),
    "churned": N_("churned"), "none": N_("none"),
}


def word(value: str) -> str:
    """``value`` as shown in the current language (itself if it is not one of ours)."""
    return _(WORDS[value]) if value in WORDS else value
