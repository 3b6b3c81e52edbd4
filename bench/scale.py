"""How the figures grow: the same benchmarks on a 5,000,000-person city.

    python -m bench.scale                 (not part of `make bench`: ~30 min)

Loads a synthetic 5M-person city straight into its own database `dinsos_bench_5m`
(COPY, as bench/jobs.py does; a quarter of households in DTKS), then on it measures
a 1,000,000-row DTKS re-import (the snapshot of a quarter of the city, most desil
values moved), NIK lookup and name search latency, and runs bench/jobs.py,
bench/dashboard.py, bench/pages.py and bench/api.py, which write <area>_5m.json.
Finally writes bench/results/scale.json: each figure at 1M (from the results
`make bench` left) and at 5M, with the ratio. docs/scaling.md discusses them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATABASE = "dinsos_bench_5m"
TAG = "_5m"
os.environ["BENCH_DATABASE"] = DATABASE
os.environ["BENCH_TAG"] = TAG

from bench._setup import RESULTS, machine, setup_django, write_results  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
AREAS = ("jobs", "dashboard", "pages", "api")


def load_city(persons: int, snapshot_persons: int) -> Path:
    """COPY the city into the tables; write the DTKS snapshot of its first households."""
    from core.models import Kelurahan
    from registry import synthetic

    kelurahan = list(Kelurahan.objects.values_list("code", flat=True))
    snapshot = []
    counted = 0

    def households() -> Iterator[Any]:
        nonlocal counted
        for household in synthetic.CityGenerator(seed=55).households(
            persons=persons, kelurahan_ids=kelurahan
        ):
            if counted < snapshot_persons:
                snapshot.append(household)
                counted += len(household.persons)
            yield household

    synthetic.load_households(households(), with_dtks=True)
    rng = random.Random(9)
    for household in snapshot:  # the next period: more households, desil moved
        household.in_dtks = True
        household.desil = rng.randint(1, 10)
    DATA.mkdir(exist_ok=True)
    path = DATA / f"dtks_scale_{snapshot_persons}.csv"
    synthetic.write_dtks_csv(path, synthetic.dtks_rows(snapshot, dirty_share=0.01))
    return path


def run_area(area: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", f"bench.{area}", *args], check=True)


def compare() -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for area in ("registry", *AREAS):
        small_path, big_path = RESULTS / f"{area}.json", RESULTS / f"{area}{TAG}.json"
        if not (small_path.exists() and big_path.exists()):
            continue
        small, big = (
            json.loads(small_path.read_text()),
            json.loads(big_path.read_text()),
        )
        for key, value in big.items():
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            before = small.get(key)
            rows[f"{area}.{key}"] = {
                "1m": before,
                "5m": value,
                "ratio": round(value / before, 2)
                if isinstance(before, int | float) and before
                else None,
            }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=5_000_000)
    parser.add_argument("--snapshot", type=int, default=1_000_000)
    parser.add_argument(
        "--reuse", action="store_true", help="keep an already loaded database"
    )
    args = parser.parse_args()

    from bench.registry import child_import, latencies

    setup_django(DATABASE, fresh=not args.reuse)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from registry.models import Person

    if Person.objects.count() < args.persons * 0.9:
        print(f"loading {args.persons:,} persons into {DATABASE}")
        snapshot = load_city(args.persons, args.snapshot)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        snapshot = DATA / f"dtks_scale_{args.snapshot}.csv"
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "persons": Person.objects.count(),
    }
    previous = RESULTS / f"registry{TAG}.json"
    if args.reuse and _snapshot_applied() and previous.exists():
        # The snapshot was already applied: re-importing it would measure unchanged
        # rows, so keep the figures of the run that loaded it.
        earlier = json.loads(previous.read_text())
        for key in ("reimport_rows_per_s", "reimport_peak_rss_mb", "reimport_detail"):
            results[key] = earlier.get(key)
    else:
        reimport = child_import(snapshot, "2026-12-01", DATABASE)
        results["reimport_rows_per_s"] = round(reimport["rows"] / reimport["seconds"])
        results["reimport_peak_rss_mb"] = reimport["peak_rss_mb"]
        results["reimport_detail"] = reimport
    results.update(latencies())
    write_results("registry", results)
    print(json.dumps(results, indent=2))

    run_area("jobs", "--persons", str(args.persons))
    for area in AREAS[1:]:
        run_area(area)

    scale = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "figures": compare(),
    }
    (RESULTS / "scale.json").write_text(json.dumps(scale, indent=2) + "\n")
    for key, row in scale["figures"].items():
        print(f"  {key}: {row['1m']} -> {row['5m']} (x{row['ratio']})")


def _snapshot_applied() -> bool:
    """Whether a committed import holds the snapshot; an unfinished one (a run
    stopped midway) is cancelled, so that the same file may be imported again."""
    from core.models import User
    from core.roles import Role
    from registry.models import DtksImportBatch
    from registry.services.dtks import dtks_batch_cancel

    status = DtksImportBatch.Status
    unfinished = DtksImportBatch.objects.exclude(
        status__in=[status.COMMITTED, status.CANCELLED, status.COMMITTING]
    )
    actor = User.objects.filter(role=Role.SUPERVISOR_DINSOS).first()
    for batch in unfinished:
        if actor is not None:
            dtks_batch_cancel(actor=actor, batch=batch)
    return DtksImportBatch.objects.filter(status=status.COMMITTED).exists()


if __name__ == "__main__":
    main()
