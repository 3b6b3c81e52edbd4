"""Where a DTKS import's time goes, statement by statement:
`python -m bench.import_statements [--rows 1000000] [--min-ms 50]`.

Runs one first import of the bench's generated file (`make bench` writes it to
bench/data/) into a fresh database and prints, in the order they ended, every SQL
statement that took at least `--min-ms`, with the thread that ran it (the deferred
index builds run on a pool of their own connections) and the import's summary.
A diagnostic, not a benchmark: no baseline, nothing written to bench/results/.
The validation's forked processes are not timed here (their COPY is one statement
per chunk of rows; their Python is the rest of `validate_s`).
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._setup import settle_writes, setup_django

DATA = Path(__file__).resolve().parent / "data"
DATABASE = "dinsos_import_statements"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--min-ms", type=float, default=50.0)
    parser.add_argument("--period", default="2026-10-01")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN (ANALYZE, BUFFERS) of each commit step (slows them)",
    )
    args = parser.parse_args()
    path = DATA / f"dtks_{args.rows}.csv"
    if not path.exists():
        raise SystemExit(f"{path} is missing: `make bench` generates it.")
    setup_django(DATABASE, fresh=True)

    from django.db import connection
    from django.db.backends.signals import connection_created

    from registry.services.dtks import BULK_COMMIT_STEPS, COMMIT_STEPS

    steps = {sql: name for name, sql in (*COMMIT_STEPS, *BULK_COMMIT_STEPS)}
    plans: list[tuple[str, str]] = []
    timed: list[tuple[float, str, str]] = []
    lock = threading.Lock()

    def timer(
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        started = time.perf_counter()
        try:
            if args.explain and sql in steps:
                explain = "EXPLAIN (ANALYZE, BUFFERS) " + sql
                result = execute(explain, params, many, context)
                rows = context["cursor"].fetchall()
                plans.append((steps[sql], "\n".join(line for (line,) in rows)))
                return result
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            if seconds * 1000 >= args.min_ms:
                with lock:
                    timed.append(
                        (
                            seconds,
                            threading.current_thread().name,
                            " ".join(sql.split()),
                        )
                    )

    def install(sender: Any, connection: Any, **kwargs: Any) -> None:
        if timer not in connection.execute_wrappers:
            connection.execute_wrappers.append(timer)

    connection_created.connect(install)
    connection.ensure_connection()
    install(None, connection)

    from bench.registry import run_import

    settle_writes()
    summary = run_import(path, args.period)
    for seconds, thread, sql in timed:
        print(f"{seconds:8.2f} s  {thread:<24} {sql[:110]}")
    for step, plan in plans:
        print(f"\n== {step}\n{plan}")
    print(summary)


if __name__ == "__main__":
    main()
