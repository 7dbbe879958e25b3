"""F5 — the live floor (issue 14), an employee's calls of today, and the way to Administration."""
