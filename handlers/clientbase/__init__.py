"""The client base: /client cards, /clients, contacts, /brief."""
