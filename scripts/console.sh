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
fi
echo "Sign in as operator/operator; the one-time code: .venv/bin/crm --db $CRM_DB outbox --limit 1"
exec .venv/bin/crm "$@"
