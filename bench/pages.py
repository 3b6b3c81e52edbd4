"""Staff page server time on the bench database (~1M persons): person page, operator
home, person search, the "Keluar dari DTKS" list. Writes bench/results/pages.json."""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time

from bench._setup import bench_user, machine, setup_django, write_results


def _median_ms(client, method: str, url: str, **kwargs) -> float:
    getattr(client, method)(url, HTTP_HOST="127.0.0.1", **kwargs)  # warm-up
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        response = getattr(client, method)(url, HTTP_HOST="127.0.0.1", **kwargs)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return round(statistics.median(timings), 1)


def main() -> None:
    setup_django()
    from django.test import Client

    from core.models import Kelurahan
    from core.roles import Role
    from registry.models import Person

    kelurahan = Kelurahan.objects.get(code="64.71.03.1004")
    operator = bench_user(
        "bench-page-operator", Role.OPERATOR_KELURAHAN, kelurahan=kelurahan
    )
    client = Client()
    client.force_login(operator)
    person = Person.objects.filter(kelurahan=kelurahan).order_by("id").first()
    assert person is not None
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "person_page_ms": _median_ms(
            client, "get", f"/registry/penduduk/{person.public_id}/"
        ),
        "operator_home_ms": _median_ms(client, "get", "/puskesos/"),
        # The landing page's tiles count what waits on the role (one COUNT each).
        "landing_page_ms": _median_ms(client, "get", "/"),
        "person_search_ms": _median_ms(
            client, "post", "/registry/cari/", data={"q": person.name}
        ),
    }
    # Dinsos's city-wide "Keluar dari DTKS" list and one kelurahan's, as the
    # counter's: at 5M persons its snapshot takes a million out.
    from django.conf import settings

    settings.TWO_FACTOR_ROLES = frozenset()  # measuring the page, not the login
    supervisor = bench_user("bench-page-supervisor", Role.SUPERVISOR_DINSOS)
    results["dtks_leavers_kelurahan_ms"] = _median_ms(
        client, "get", "/registry/keluar-dtks/", data={"page": 3}
    )
    client.force_login(supervisor)
    results["dtks_leavers_city_ms"] = _median_ms(
        client, "get", "/registry/keluar-dtks/", data={"page": 3}
    )
    write_results("pages", results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
