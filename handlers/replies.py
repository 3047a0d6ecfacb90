"""Editing a shown message robustly: the one helper lives in bot/views/replies.py (Ctx uses it
too); handlers keep importing it from here."""

from __future__ import annotations

from bot.views.replies import edit_or_send as edit_or_send

__all__ = ["edit_or_send"]
