"""Onboarding (/start) and /settings."""
