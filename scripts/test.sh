#!/usr/bin/env bash
# THE test command. On a fresh Debian machine with only python3 (3.11+) it:
#   1. creates .venv if missing and installs the project with its test extras
#      (again only when pyproject.toml changed, or with CRM_TEST_REINSTALL=1);
#   2. makes sure PostgreSQL server binaries exist (initdb/postgres on PATH or under
#      /usr/lib/postgresql/*/bin), installing the Debian package when running as root;
#      likewise `ssh` (openssh-client) and `chromium` for the thin-client tests;
#   3. runs pytest with the arguments given here and exits with pytest's code.
# The tests start their own throw-away PostgreSQL server; nothing needs to be running.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
PYTHON=${PYTHON:-python3}

say() { printf '[test.sh] %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  say "installing $* with apt-get"
  if [ -z "${_APT_UPDATED:-}" ]; then
    apt-get update -qq </dev/null
    _APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null
}

# --- Python and the virtualenv ---------------------------------------------------------------
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  say "no $PYTHON on PATH; install Python 3.11 or newer"
  exit 2
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  say "$PYTHON is $("$PYTHON" -V 2>&1); Python 3.11 or newer is required"
  exit 2
fi

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
    # Debian's python3 ships without ensurepip; the venv module lives in python3-venv.
    rm -rf .venv
    pyver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "python${pyver}-venv" || apt_install python3-venv || {
      say "cannot create a virtualenv: install python3-venv"
      exit 2
    }
    "$PYTHON" -m venv .venv
  fi
fi

stamp=.venv/.crm-test-installed
want=$(cksum pyproject.toml | cut -d' ' -f1)
if [ "${CRM_TEST_REINSTALL:-}" = 1 ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing the project and its test dependencies into .venv"
  log=$(mktemp)
  # pip's (and the build backend's) chatter is shown only when the install fails.
  if ! { .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip &&
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    say "pip install failed"
    exit 2
  fi
  rm -f "$log"
  echo "$want" >"$stamp"
fi

# --- PostgreSQL server binaries (the tests start their own server) ------------------------
have_postgres() {
  if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
    return 0
  fi
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

if ! have_postgres; then
  apt_install postgresql || true
fi
if have_postgres; then
  if [ -n "${CI:-}" ] && [ "${CI}" != false ]; then
    # In CI both engines must be tested: a missing server fails the run instead of skipping.
    export CRM_TEST_REQUIRE_POSTGRES=1
  fi
else
  if [ -n "${CI:-}" ] && [ "${CI}" != false ]; then
    say "PostgreSQL server binaries are missing and could not be installed; CI needs them"
    exit 2
  fi
  say "WARNING: no PostgreSQL server binaries (initdb/postgres); PostgreSQL tests will be SKIPPED."
  say "         Install them with: sudo apt-get install postgresql"
fi

# --- the thin clients' programs: OpenSSH's client and Chromium (driven by Playwright) ----------
# Playwright uses Debian's chromium; it must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
for pair in ssh:openssh-client chromium:chromium; do
  program=${pair%%:*} package=${pair#*:}
  if ! command -v "$program" >/dev/null 2>&1; then
    apt_install "$package" || true
  fi
  require=CRM_TEST_REQUIRE_$(echo "$program" | tr '[:lower:]' '[:upper:]')
  if command -v "$program" >/dev/null 2>&1; then
    if [ -n "${CI:-}" ] && [ "${CI}" != false ]; then
      export "$require=1" # in CI the thin-client tests must run: a missing program fails them
    fi
  else
    if [ -n "${CI:-}" ] && [ "${CI}" != false ]; then
      say "$program is missing and could not be installed; CI needs it"
      exit 2
    fi
    say "WARNING: no $program; the thin-client tests that need it will be SKIPPED."
    say "         Install it with: sudo apt-get install $package"
  fi
done

# --- compiled modules are kept between runs -------------------------------------------------
# Every pytest process (the controller and each worker) and every server or console the tests
# start imports the project; pytest also rewrites the asserts of its plugins' packages
# (schemathesis, hypothesis, faker, anyio) on import. With PYTHONDONTWRITEBYTECODE set nothing is
# cached and all of it is compiled again in each process: ~4 s of CPU per pytest process and
# ~0.4 s per subprocess. The files go to __pycache__ folders (ignored by git).
unset PYTHONDONTWRITEBYTECODE

# --- the tests -------------------------------------------------------------------------------
# pytest exits 5 when it collects no tests: that is a failure too.
# Two workers (pytest-xdist) by default, one per core; each starts its own PostgreSQL server.
# `--dist worksteal`: the longest files go first (tests/conftest.py SLOW_FIRST) and a worker out
# of tests takes half of the other's queue, so both end together.
# CRM_TEST_WORKERS=0 (or `-n 0` among the arguments) runs in one process.
exec .venv/bin/pytest -n "${CRM_TEST_WORKERS:-2}" --dist worksteal "$@"
