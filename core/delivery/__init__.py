"""Delivery of the e-mail and SMS outboxes by the worker (I2, I3)."""
