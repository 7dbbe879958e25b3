#!/usr/bin/env bash
# Install crm-console into .venv, build a demo database once, and open the console on it.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
export CRM_DB=${CRM_DB:-$PWD/demo.sqlite3}
if [ ! -f "$CRM_DB" ] && [[ "$CRM_DB" != *"://"* ]]; then
  .venv/bin/crm demo --clients "${CRM_DEMO_CLIENTS:-2000}" --seed 7
else
  .venv/bin/crm db upgrade >/dev/null  # a demo built by an older version: its schema brought up to date
fi
echo "Sign in as office/office (sees the clients' phones) or operator/operator (phones masked);"
echo "the password is the login. The one-time code: F9 on the code step, or in another terminal"
echo "  .venv/bin/crm --db $CRM_DB outbox --limit 1"
if [ -t 0 ] && [ -z "${CRM_NO_WAIT:-}" ]; then  # read the above first; the console takes the screen
  read -r -p "Press Enter to open the console... " _
fi
exec .venv/bin/crm "$@"
