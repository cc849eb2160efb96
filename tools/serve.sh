#!/usr/bin/env bash
# Serve Beacon for `make run`: migrate, load demo content once, start the background
# worker and gunicorn, and stop both cleanly on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
mkdir -p var/mail

$PY manage.py migrate --noinput --verbosity 0
$PY manage.py load_crisis_lines
$PY manage.py load_places --if-empty
if [ ! -f var/.demo-seeded ]; then
  $PY manage.py seed_demo
  touch var/.demo-seeded
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping Beacon..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  echo "Stopped."
}
trap stop INT TERM EXIT

$PY manage.py db_worker --queue-name default --interval 1 --no-reload --verbosity 0 &
pids+=($!)
.venv/bin/gunicorn -c python:beacon.config.gunicorn beacon.config.wsgi:application \
  --bind "$HOST:$PORT" --access-logfile - --error-logfile - --log-level warning &
server=$!
pids+=($server)

# Print the address only once the server answers (or stop if it could not start).
until curl -fsS -o /dev/null "http://$HOST:$PORT/" 2>/dev/null; do
  kill -0 "$server" 2>/dev/null || { echo "The server could not start (is port $PORT in use? Try PORT=8001)." >&2; exit 1; }
  sleep 0.2
done

cat <<BANNER

  Beacon is running at http://$HOST:$PORT/

  Demo accounts (password: beacon-demo-2026):
    admin@demo.beacon.example       administrator (also /admin/)
    moderator@demo.beacon.example   moderator
    curator@demo.beacon.example     directory curator
    member@demo.beacon.example      member
  Mail is written to var/mail/ (one file per message).
  Press Ctrl-C to stop the server and the worker.

BANNER
wait -n "${pids[@]}"
