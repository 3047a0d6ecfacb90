"""Teams (issue 10): membership and invites, handing clients over, the audit log."""
