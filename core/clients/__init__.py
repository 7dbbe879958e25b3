"""Clients (F1-F3, C1-C12): search, names, phones, the card and its rules, duplicates, SMS."""
