"""Logging touches (/call, /log, taps), notes, and moving an entry to the right client."""
