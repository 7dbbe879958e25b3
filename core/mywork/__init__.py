"""'My work' (issue 12): today for one employee — due actions, call-backs, tasks, clients online."""
