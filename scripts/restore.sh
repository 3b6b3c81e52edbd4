#!/usr/bin/env bash
# Restore a dump made by backup.sh into the configured database (replacing objects).
#   scripts/restore.sh FILE
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:?usage: scripts/restore.sh FILE}"
eval "$(PYTHONPATH=. .venv/bin/python scripts/pg_env.py)"
"$PG_BIN/pg_restore" --clean --if-exists --no-owner --no-privileges --single-transaction \
  --dbname "$PG_URI" "$file"
