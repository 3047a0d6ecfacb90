"""The CRM's use cases: clients, contacts, touches, notes, sales, plans, requests, reviews."""
