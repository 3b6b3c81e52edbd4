"""Partner API under load: gunicorn on loopback, wrk as the client (bounded in time).

    python -m bench.api            (make bench runs it last)

Measures status-by-NIK (OAuth2 token check and read log included) and the recording
queue, on the `dinsos_bench` database, against two baselines of the same run: a plain
DRF detail view (the framework) and a bare WSGI app (the ceiling that gunicorn, wrk
and loopback set on this machine). Writes bench/results/api.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench._setup import DATABASE, bench_user, machine, setup_django, write_results

PORT = 8765
BARE_PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"


def _token(app_id: str, secret: str) -> str:
    import base64
    import urllib.parse

    basic = base64.b64encode(f"{app_id}:{secret}".encode()).decode()
    body = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "scope": "odgj:read status:read"}
    ).encode()
    request = urllib.request.Request(
        f"{BASE}/api/oauth/token/",
        data=body,
        headers={"Authorization": f"Basic {basic}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["access_token"]


def _wrk(script: str, url: str, seconds: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", fh.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out)
        if not match:
            return -1.0
        value, unit = float(match.group(1)), match.group(2)
        return round(
            value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2
        )

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": round(rps),
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def _serve(
    app: str, port: int, workers: int, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for(url: str) -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.5)


def _stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(10)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed (Debian package 'wrk')")
    setup_django()
    from django.conf import settings
    from oauth2_provider.models import Application

    from core.roles import Role
    from registry.models import Person

    liaison = bench_user("bench-liaison", Role.LIAISON_DUKCAPIL)
    secret = "bench-secret-0123456789"
    Application.objects.filter(name="bench").delete()
    app = Application.objects.create(
        name="bench",
        user=liaison,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    niks = list(
        Person.objects.exclude(nik=None)
        .order_by("?")
        .values_list("nik", flat=True)[:1000]
    )
    person_id = Person.objects.values_list("id", flat=True).first()
    workers = 2 * (os.cpu_count() or 1) + 1  # gunicorn's advice, as in docs/scaling.md

    env = {
        **os.environ,
        "DATABASE_NAME": DATABASE,
        "API_RATE": "1000000/min",
        "DJANGO_SETTINGS_MODULE": "bench.server.settings",
    }
    bare = _serve("bench.server.bare:application", BARE_PORT, workers, env)
    try:
        _wait_for(f"http://127.0.0.1:{BARE_PORT}/")
        _wrk("", f"http://127.0.0.1:{BARE_PORT}/", 3)
        ceiling = _wrk("", f"http://127.0.0.1:{BARE_PORT}/", 10)
    finally:
        _stop(bare)
    server = _serve("config.wsgi:application", PORT, workers, env)
    try:
        _wait_for(f"{BASE}/masuk/")
        bearer = _token(app.client_id, secret)
        plain = ("", f"{BASE}/api/bench/plain/{person_id}/")
        by_nik = (
            # A different NIK per request, from 1,000 sampled persons.
            "niks = {%s}\n"
            "wrk.method = 'POST'\n"
            "wrk.headers['Content-Type'] = 'application/json'\n"
            "wrk.headers['Authorization'] = 'Bearer %s'\n"
            "request = function()\n"
            "  local body = '{\"nik\": \"' .. niks[math.random(#niks)] .. '\"}'\n"
            "  return wrk.format(nil, nil, nil, body)\n"
            "end\n" % (",".join(f"'{n}'" for n in niks), bearer),
            f"{BASE}/api/v1/status-layanan/",
        )
        queue_list = (
            "wrk.headers['Authorization']='Bearer %s'\n" % bearer,
            f"{BASE}/api/v1/odgj/menunggu/",
        )
        for script, url in (plain, by_nik, queue_list):
            # Unmeasured warm-up: every worker has imported, compiled and connected.
            _wrk(script, url, 3)
        baseline = _wrk(*plain, 10)
        status = _wrk(*by_nik, 15)
        queue = _wrk(*queue_list, 10)
    finally:
        _stop(server)
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "gunicorn_workers": workers,
        # The rate limit's shared counter: Redis as in production when REDIS_URL is
        # set, else each process's own memory (no round trip at all).
        "rate_limit_cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "wrk": "2 threads, 16 connections",
        "ceiling_bare_wsgi_rps": ceiling["rps"],
        "ceiling_bare_wsgi_p99_ms": ceiling["p99_ms"],
        "ceiling_bare_wsgi_non_2xx": ceiling["non_2xx"],
        "baseline_plain_drf_detail_rps": baseline["rps"],
        "baseline_plain_drf_detail_p99_ms": baseline["p99_ms"],
        "baseline_plain_drf_detail_non_2xx": baseline["non_2xx"],
        "api_status_by_nik_rps": status["rps"],
        "api_status_by_nik_p50_ms": status["p50_ms"],
        "api_status_by_nik_p99_ms": status["p99_ms"],
        "api_status_by_nik_non_2xx": status["non_2xx"],
        "api_recording_queue_rps": queue["rps"],
        "api_recording_queue_p99_ms": queue["p99_ms"],
        "api_recording_queue_non_2xx": queue["non_2xx"],
    }
    failed = {k: v for k, v in results.items() if k.endswith("non_2xx") and v}
    if failed:  # a figure for error answers measures the error path, not the call
        sys.exit(f"non-2xx answers under load: {failed}")
    write_results("api", results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
