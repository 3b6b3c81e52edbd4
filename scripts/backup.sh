#!/usr/bin/env bash
# Back up the database to a custom-format dump (compressed, restorable table by table).
#   scripts/backup.sh [FILE]        default: backups/dinsos-YYYYmmdd-HHMMSS.dump
# Connection from DATABASE_URL (or the embedded server when unset). Store dumps
# encrypted and off-site: they hold personal data (UU 27/2022).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-backups/dinsos-$(date +%Y%m%d-%H%M%S).dump}"
mkdir -p "$(dirname "$out")"
eval "$(PYTHONPATH=. .venv/bin/python scripts/pg_env.py)"
"$PG_BIN/pg_dump" --format=custom --no-owner --no-privileges --file "$out" "$PG_URI"
echo "$out"
