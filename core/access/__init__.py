"""Access (S1-S7): sign-in, sessions, tokens, the sign-in guard, permissions, masking, desks."""
