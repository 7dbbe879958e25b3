"""The broker's screens: the card's trading tab (C13-C15) and the money-request queue (M3)."""
