"""B2C requests and reviews."""
