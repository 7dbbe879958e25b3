"""Auto-assignment of new clients (SPEC M1): the desk's rule picks the responsible manager."""
