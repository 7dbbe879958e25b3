"""F5 Supervisor, its Administration part: employees, roles, desks and the audit log (S3-S6), one
screen per file; shown only with the administration permission (`manage_users`)."""
