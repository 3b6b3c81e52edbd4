"""A separate benchmark database on the same server, freshly migrated."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

import django

RESULTS = Path(__file__).resolve().parent / "results"
# bench/scale.py runs the same benchmarks on a bigger city in another database and
# writes their results beside the 1M ones with a tag (api_5m.json ...).
DATABASE = os.environ.get("BENCH_DATABASE", "dinsos_bench")
TAG = os.environ.get("BENCH_TAG", "")


def write_results(area: str, results: dict[str, object]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{area}{TAG}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path


def setup_django(database: str = DATABASE, *, fresh: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DATABASE_NAME"] = database
    django.setup()
    if fresh:
        from django.db import connections

        connections.close_all()
        _recreate(database)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def bench_user(username: str, role: str, **extra: Any) -> Any:
    """The bench's staff user of that name, created the first time."""
    from core.models import User
    from core.services import staff_user_create

    return User.objects.filter(username=username).first() or staff_user_create(
        username=username, password="x" * 12, role=role, **extra
    )


def _recreate(database: str) -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    conninfo = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(
        **{k: v for k, v in conninfo.items() if v}, autocommit=True
    ) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{database}"')


def settle_writes() -> None:
    """CHECKPOINT before a timed write: the WAL of the measurement before (raw COPY
    with its GiST and GIN indexes writes gigabytes) otherwise starts a checkpoint in
    the middle of the next one, which then pays for flushing the other's pages and
    for full-page images. Measured on the 1M first import after raw COPY: 35.5 and
    37.8 s without, 34.1 and 34.6 s with. Needs a superuser or pg_checkpoint (the
    embedded server and the CI role have it); skipped otherwise."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        print("  (CHECKPOINT not allowed for this role: writes not settled)")


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux
    carries ru_maxrss over fork and exec, so a child started by a big parent (bench/
    scale.py after generating the city) would report the parent's peak."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def machine() -> dict[str, object]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(
                line.split(":", 1)[1].strip() for line in fh if "model name" in line
            )
    except (OSError, StopIteration):
        pass
    mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "python_1000_calls_us": python_speed_us(),
    }


def python_speed_us() -> float:
    """Microseconds for 1,000 plain Python function calls, best of five. The same
    machine kind has differed by more than 2x in speed from one day to the next (and
    within a day), so figures from different runs compare only through this and the
    baselines measured in the same run."""
    import timeit

    def call(x: int) -> int:
        return x + 1

    def loop() -> None:
        for i in range(1000):
            call(i)

    best = min(timeit.repeat(loop, number=200, repeat=5)) / 200
    return round(best * 1e6, 1)
