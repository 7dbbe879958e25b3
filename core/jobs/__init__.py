"""The durable job queue (issue 12): job kinds by name, the claim/lease/backoff rules, the worker loop."""
