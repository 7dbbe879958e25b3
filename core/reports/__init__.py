"""Reports (SPEC R1, R2, R5, R6): models, period and success rules, the port, the local operations."""
