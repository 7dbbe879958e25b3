"""Offices (O1-O4): offices, visiting times, booking, the products offered."""
