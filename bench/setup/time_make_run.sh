#!/usr/bin/env bash
# Measure `make run`: seconds from the command to the first answered page, on a fresh clone
# (new .venv, npm packages, database, demo content) and again on the same clone.
# Usage: bash bench/setup/time_make_run.sh [PORT]   (prints one JSON line per run)
set -euo pipefail
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
port="${1:-8765}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/beacon"
cd "$work/beacon"

measure() {
  local label=$1 start end pid
  start=$(date +%s.%N)
  setsid make run PORT="$port" > "$work/run-$label.log" 2>&1 &
  pid=$!
  until curl -fsS "http://127.0.0.1:$port/help/" 2>/dev/null | grep -q "Crisis lines in"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/run-$label.log" >&2; exit 1; }
    sleep 0.2
  done
  end=$(date +%s.%N)
  kill -INT -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  printf '{"run": "%s", "seconds_to_first_page": %.1f}\n' "$label" "$(python3 -c "print($end - $start)")"
}

measure fresh
measure repeat
