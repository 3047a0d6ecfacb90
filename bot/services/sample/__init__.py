"""The /demo sandbox's sample base."""
