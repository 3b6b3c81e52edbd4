#!/usr/bin/env bash
# Serve the app with a real Celery worker and beat beside it; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

mkdir -p .data/logs
# solo pool: the filesystem transport (no Redis) is single-host; with REDIS_URL set,
# run more workers elsewhere (README, "Production shape").
.venv/bin/celery -A config worker --pool=solo --loglevel=INFO >.data/logs/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --pidfile= >.data/logs/beat.log 2>&1 &
pids+=($!)
echo "Celery worker and beat started (logs in .data/logs/)."
echo "Serving on http://127.0.0.1:8000  (Ctrl-C to stop)"
$PY manage.py runserver 127.0.0.1:8000 --noreload
