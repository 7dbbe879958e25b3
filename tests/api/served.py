"""`python -m tests.api.served --db … --fd …`: `crm serve` (api.serve) with the tests' argon2 cost
(`tests.helpers.CHEAP_HASHER`, as every in-process test has), so a sign-in costs the server what it
costs a test in-process, and a password's hash is not rewritten to the other profile each time a
test of the shared world signs in the other way (25 ms each on this machine). The patch runs at
import, before a multi-worker server forks its workers (api.serve), which inherit it.
The real profile and its rehash are tested in tests/test_sign_in.py."""

from __future__ import annotations

import sys

import api.serve
from core.access import sign_in
from tests.helpers import CHEAP_HASHER

sign_in._hasher = CHEAP_HASHER
sign_in._dummy_hash = None  # made with it on first use

if __name__ == "__main__":
    api.serve.main(sys.argv[1:])
