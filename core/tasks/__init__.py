"""Tasks for employees (SPEC M6): set, done, accepted or returned; reminders; recurrence."""
