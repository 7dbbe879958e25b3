"""Administration (S3-S6): employees, roles, desks, masking, read-only and the audit log of changes."""
