"""/today, reminders and the digest's views."""
