"""Custody of a card (C17, F3): who is responsible for a client, and which of two duplicate cards survives."""
