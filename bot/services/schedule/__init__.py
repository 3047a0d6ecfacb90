"""Reminders: what should exist (planning), when (rules), and delivering them."""
