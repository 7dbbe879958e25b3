"""Automation rules (M8) in the console: the list of rules and the editor (from the Pipeline, Ctrl+R)."""
