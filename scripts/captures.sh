#!/usr/bin/env bash
# tmux captures of the console at 80x24 — English and Russian, modern and plain — for a person to
# look at: captures/<lang>-<plain|modern>/NN-<screen>.txt. The checks that fail on a cut value are
# in tests/tui/test_80x24.py; this shows the real terminal. Needs tmux.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${CAPTURES:-captures}
DB="$PWD/$OUT/demo.sqlite3"
CRM="$PWD/.venv/bin/crm"
mkdir -p "$OUT"
[ -f "$DB" ] || "$CRM" --db "$DB" demo --clients 300 --seed 7 >/dev/null

wait_for() {  # wait_for SESSION TEXT: until the pane shows TEXT (10 s at most)
  for _ in $(seq 100); do
    tmux capture-pane -p -t "$1" | grep -qF -- "$2" && return 0
    sleep 0.1
  done
  echo "captures: '$2' never showed in $1" >&2
  return 1
}

settle() {  # settle SESSION: until the pane stops changing
  local before after
  before=$(tmux capture-pane -p -t "$1")
  for _ in $(seq 50); do
    sleep 0.15
    after=$(tmux capture-pane -p -t "$1")
    [ "$before" = "$after" ] && return 0
    before=$after
  done
}

shot() {  # shot SESSION DIR NAME KEYS...: press the keys, wait, capture
  local session=$1 dir=$2 name=$3
  shift 3
  local before
  for key in "$@"; do
    before=$(tmux capture-pane -p -t "$session")
    tmux send-keys -t "$session" "$key"
    for _ in $(seq 30); do  # until the key shows an effect (3 s at most), then until it is still
      [ "$(tmux capture-pane -p -t "$session")" != "$before" ] && break
      sleep 0.1
    done
    settle "$session"
  done
  tmux capture-pane -p -t "$session" >"$dir/$name.txt"
}

for lang in en ru; do
  for plain in 0 1; do
    mode=$([ "$plain" = 1 ] && echo plain || echo modern)
    term=$([ "$plain" = 1 ] && echo xterm || echo xterm-256color)
    dir="$OUT/$lang-$mode"
    session="crm-cap-$lang-$mode"
    mkdir -p "$dir"
    tmux kill-session -t "$session" 2>/dev/null || true
    tmux new-session -d -s "$session" -x 80 -y 24 \
      "env TERM=$term CRM_PLAIN=$plain CRM_LANG=$lang $CRM --db $DB"
    wait_for "$session" ":"
    shot "$session" "$dir" 00-sign-in
    tmux send-keys -t "$session" "operator" Enter
    settle "$session"
    tmux send-keys -t "$session" "operator" Enter
    wait_for "$session" "SMS"  # the code step
    code=$("$CRM" --db "$DB" outbox --limit 1 | grep -oE '[0-9]{6}' | tail -1)
    tmux send-keys -t "$session" "$code" Enter
    wait_for "$session" "F5"  # signed in: the places line
    settle "$session"
    shot "$session" "$dir" 01-office
    shot "$session" "$dir" 02-search-results "а" Enter
    shot "$session" "$dir" 03-card Enter
    for tab in 2 3 4 5 6 7 8; do shot "$session" "$dir" "04-card-tab-$tab" "$tab"; done
    shot "$session" "$dir" 05-card-help "3" F1
    shot "$session" "$dir" 06-palette Escape C-p
    shot "$session" "$dir" 07-comment Escape m
    shot "$session" "$dir" 08-calls Escape F3
    shot "$session" "$dir" 09-outcome Enter
    shot "$session" "$dir" 10-call-screen 3
    shot "$session" "$dir" 11-call-help F1
    shot "$session" "$dir" 12-new-client Escape Escape F4
    tmux kill-session -t "$session"
  done
done
echo "captures in $OUT/"
