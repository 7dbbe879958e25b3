"""The manager's pipeline in the console: the Pipeline place (actions and clients by view), the
card's tags, the prompts they use."""
