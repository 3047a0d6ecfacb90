"""/import and /export."""
