"""amtui: a keyboard-driven terminal workspace for account managers."""

__version__ = "0.1.0"
