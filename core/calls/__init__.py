"""Calls (K1-K17, C11): the result catalogue, scripts, call lists and the rules of saving a call."""
