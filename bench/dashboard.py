"""Dashboard server time on the synthetic city (run after bench.registry/bench.jobs,
which leave ~1M persons and 200k participants in `dinsos_bench`).
Writes bench/results/dashboard.json."""

from __future__ import annotations

import datetime as dt
import statistics
import time

from bench._setup import bench_user, machine, setup_django, write_results


def main() -> None:
    setup_django()
    from django.test import Client

    from core.roles import Role
    from registry.models import Person

    user = bench_user("bench-dashboard", Role.SUPERVISOR_DINSOS)
    from django.conf import settings

    settings.TWO_FACTOR_ROLES = frozenset()  # measuring the page, not the login
    client = Client()
    client.force_login(user)
    client.get("/admin/", HTTP_HOST="127.0.0.1")  # warm-up
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get("/admin/", HTTP_HOST="127.0.0.1")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "persons": Person.objects.count(),
        "dashboard_ms": round(statistics.median(timings), 1),
        "dashboard_max_ms": round(max(timings), 1),
    }
    write_results("dashboard", results)
    print(f"dashboard: median {results['dashboard_ms']} ms (target < 500 ms)")


if __name__ == "__main__":
    main()
