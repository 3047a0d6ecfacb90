"""/undo and the journal it reads."""
