"""Automation rules (M8): when an event happens, if the client matches the conditions, then effects."""
