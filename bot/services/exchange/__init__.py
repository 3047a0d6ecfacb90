"""Moving a base in and out: /import, /export and restoring kambot.json."""
