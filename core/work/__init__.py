"""The manager's pipeline (M4, M5, M7): actions (funnel stages), saved views over clients and
actions, and tags on clients."""
