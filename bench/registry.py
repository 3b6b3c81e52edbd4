"""Registry benchmark: `make bench` (or `python -m bench.registry`).

Measures, in one run on this machine, against baselines measured in the same run:
- our DTKS importer on a generated 1,000,000-row CSV (rows/s, peak RSS of the import
  process; the validation's forked helpers are each about as big), and a re-import
  where most rows change, whose validation is also run in one process as a baseline;
- raw COPY of the same file into an empty table with the same indexes (the limit);
- our importer vs django-import-export (defaults) on the same 20,000 rows;
- NIK lookup and name search latency through the selectors at 1M persons.
Writes bench/results/registry.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench._setup import (
    DATABASE,
    bench_user,
    machine,
    peak_rss_mb,
    settle_writes,
    setup_django,
    write_results,
)

DATA = Path(__file__).resolve().parent / "data"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[index], 3)


def generate_files(persons: int, subset: int) -> dict[str, Path]:
    from core.models import Kelurahan
    from registry import synthetic

    DATA.mkdir(exist_ok=True)
    full, changed, small = (
        DATA / f"dtks_{persons}.csv",
        DATA / f"dtks_{persons}_changed.csv",
        DATA / f"dtks_{subset}.csv",
    )
    if not (full.exists() and changed.exists() and small.exists()):
        kelurahan = list(Kelurahan.objects.values_list("code", flat=True))
        households = list(
            synthetic.CityGenerator(seed=2026).households(
                persons=persons, kelurahan_ids=kelurahan, dtks_share=1.0
            )
        )
        synthetic.write_dtks_csv(
            full, synthetic.dtks_rows(households, dirty_share=0.01)
        )
        rng = random.Random(5)
        for household in households:  # next period: most desil values move
            if rng.random() < 0.6:
                household.desil = rng.randint(1, 10)
        synthetic.write_dtks_csv(
            changed, synthetic.dtks_rows(households, dirty_share=0.01)
        )
        rows = synthetic.dtks_rows(households)
        synthetic.write_dtks_csv(small, (next(rows) for _ in range(subset)))
    return {"full": full, "changed": changed, "small": small}


@contextmanager
def _timing_index_builds() -> Iterator[list[float]]:
    """The seconds the commit spends in build_deferred_indexes (the search indexes a
    bulk load builds after its COMMIT), summed into the list's one item."""
    from registry.services import dtks

    build = dtks.build_deferred_indexes
    spent = [0.0]

    def timed() -> int:
        started = time.perf_counter()
        try:
            return build()
        finally:
            spent[0] += time.perf_counter() - started

    dtks.build_deferred_indexes = timed
    try:
        yield spent
    finally:
        dtks.build_deferred_indexes = build


def run_import(path: Path, period: str, *, commit: bool = True) -> dict[str, Any]:
    """Upload + validate + commit in this process; prints JSON (run as a child).
    Without commit the batch is cancelled after validation."""

    from django.core.files import File

    from core.models import User
    from core.roles import Role
    from registry.services.dtks import (
        dtks_batch_cancel,
        dtks_batch_commit,
        dtks_batch_upload,
        dtks_batch_validate,
    )

    actor = User.objects.filter(role=Role.SUPERVISOR_DINSOS).first()
    if actor is None:
        from core.services import staff_user_create

        actor = staff_user_create(
            username="bench-supervisor", password="x" * 12, role=Role.SUPERVISOR_DINSOS
        )
    started = time.perf_counter()
    with path.open("rb") as fh:
        batch = dtks_batch_upload(
            actor=actor,
            file=File(fh, name=path.name),
            period=dt.date.fromisoformat(period),
        )
    uploaded = time.perf_counter()
    batch = dtks_batch_validate(batch=batch)
    validated = time.perf_counter()
    with _timing_index_builds() as index_build_s:
        if commit:
            # The 5M city's snapshot covers a fifth of it and takes the rest out of
            # DTKS, which the commit saves only when the supervisor confirms it.
            batch = dtks_batch_commit(
                actor=actor, batch=batch, deactivation_confirmed=True
            )
        else:
            dtks_batch_cancel(actor=actor, batch=batch)
    finished = time.perf_counter()
    return {
        "rows": batch.rows_total,
        "seconds": round(finished - started, 2),
        "upload_s": round(uploaded - started, 2),
        "validate_s": round(validated - uploaded, 2),
        "commit_s": round(finished - validated, 2),
        # Part of commit_s: a bulk load's search indexes, built after its COMMIT (the
        # registry is readable and the batch committed meanwhile).
        "index_build_s": round(index_build_s[0], 2),
        "peak_rss_mb": peak_rss_mb(),
        "new": batch.count_new,
        "updated": batch.count_updated,
        "unchanged": batch.count_unchanged,
        "rejected": batch.count_rejected,
        "deactivated": batch.count_deactivated,
    }


def child_import(
    path: Path,
    period: str,
    database: str,
    *,
    validate_only: bool = False,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    settle_writes()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.registry",
            "--child-import",
            str(path),
            "--period",
            period,
            "--database",
            database,
            *(["--validate-only"] if validate_only else []),
        ],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def raw_copy(path: Path) -> float:
    """COPY the raw file into an empty table with the person table's indexes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")
        cursor.execute(
            "CREATE TABLE bench_raw_copy (nik text, no_kk text, nama text, tempat text,"
            " tgl text, jk text, hub text, alamat text, rt text, rw text, kel text,"
            " desil text, id_dtks text, padan text)"
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_raw_copy (nik)")
        cursor.execute(
            "CREATE INDEX ON bench_raw_copy USING gist (lower(nama) gist_trgm_ops)"
        )
        cursor.execute("CREATE INDEX ON bench_raw_copy (kel)")
        # As person_area_name_trgm (the kelurahan's token, then the name).
        cursor.execute(
            "CREATE INDEX ON bench_raw_copy USING gin "
            "(('q' || left(md5(kel), 8) || 'q ' || nama) gin_trgm_ops)"
        )
        settle_writes()
        started = time.perf_counter()
        sql = "COPY bench_raw_copy FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')"
        # Dirty rows include duplicate NIKs; COPY needs unique ones, so skip them.
        seen: set[str] = set()
        with path.open(encoding="utf-8") as fh, cursor.cursor.copy(sql) as copy:
            for line in fh:
                nik = line.split(";", 1)[0]
                if nik in seen:
                    continue
                seen.add(nik)
                copy.write(line)
        elapsed = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_raw_copy")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_raw_copy")
    return rows / elapsed


def import_export_baseline(path: Path) -> float:
    """django-import-export with defaults on the same rows (persons only)."""
    import tablib

    from registry.resources import PersonResource

    _header, *lines = path.read_text(encoding="utf-8").splitlines()
    data = tablib.Dataset(
        headers=["nik", "name", "birth_place", "birth_date", "sex", "kelurahan"]
    )
    for line in lines:
        cells = line.split(";")
        day, month, year = cells[4].split("/")
        data.append(
            [
                cells[0],
                cells[2],
                cells[3],
                f"{year}-{month}-{day}",
                cells[5],
                f"{cells[10][:2]}.{cells[10][2:4]}.{cells[10][4:6]}.{cells[10][6:]}",
            ]
        )
    started = time.perf_counter()
    result = PersonResource().import_data(data, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert not result.has_errors()
    return len(lines) / elapsed


def latencies(samples: int = 2000) -> dict[str, float]:
    from core.models import Kelurahan, User
    from core.roles import Role
    from registry.models import Person
    from registry.selectors import PersonSearch, person_get_by_nik_for_actor
    from registry.selectors import person_search_for_actor as search

    supervisor = User.objects.filter(role=Role.SUPERVISOR_DINSOS).first()
    kelurahan = Kelurahan.objects.get(code="64.71.03.1004")
    operator = bench_user(
        "bench-operator", Role.OPERATOR_KELURAHAN, kelurahan=kelurahan
    )
    rng = random.Random(11)
    niks = list(Person.objects.order_by("?").values_list("nik", flat=True)[:samples])
    names = list(Person.objects.order_by("?").values_list("name", flat=True)[:300])
    local_names = list(
        Person.objects.filter(kelurahan=kelurahan)
        .order_by("?")
        .values_list("name", flat=True)[:300]
    )

    def timed(fn: Any) -> float:
        started = time.perf_counter()
        fn()
        return (time.perf_counter() - started) * 1000

    for nik in niks[:50]:  # warm-up
        person_get_by_nik_for_actor(supervisor, nik)
    nik_ms = [
        timed(lambda n=n: person_get_by_nik_for_actor(supervisor, n)) for n in niks
    ]

    def typed(name: str) -> str:
        words = name.split()
        query = " ".join(words[:2])
        return (
            query.lower()
            if rng.random() < 0.5
            else query.replace("Muhammad", "Muhamad")
        )

    city_ms = [
        timed(lambda q=typed(n): list(search(supervisor, PersonSearch(query=q))[:25]))
        for n in names
    ]
    local_ms = [
        timed(lambda q=typed(n): list(search(operator, PersonSearch(query=q))[:25]))
        for n in local_names
    ]
    return {
        "nik_lookup_p50_ms": percentile(nik_ms, 50),
        "nik_lookup_p95_ms": percentile(nik_ms, 95),
        "nik_lookup_p99_ms": percentile(nik_ms, 99),
        "name_search_p50_ms": percentile(city_ms, 50),
        "name_search_p95_ms": percentile(city_ms, 95),
        "name_search_p99_ms": percentile(city_ms, 99),
        "name_search_kelurahan_p50_ms": percentile(local_ms, 50),
        "name_search_kelurahan_p95_ms": percentile(local_ms, 95),
        "name_search_kelurahan_p99_ms": percentile(local_ms, 99),
        "name_search_mean_ms": round(statistics.mean(city_ms), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--subset", type=int, default=20_000)
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--child-import", type=Path)
    parser.add_argument("--period", default="2026-10-01")
    parser.add_argument("--validate-only", action="store_true")
    args = parser.parse_args()

    if args.child_import:
        setup_django(args.database)
        print(
            json.dumps(
                run_import(
                    args.child_import, args.period, commit=not args.validate_only
                )
            )
        )
        return

    print(f"Registry benchmark: {args.persons:,} rows (database {args.database})")
    setup_django(args.database, fresh=True)
    files = generate_files(args.persons, args.subset)
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "rows": args.persons,
    }

    # Small file: our importer vs django-import-export, each on an empty registry.
    small = child_import(files["small"], "2026-09-01", args.database)
    ours_small = small["rows"] / small["seconds"]
    setup_django(args.database, fresh=True)
    baseline = import_export_baseline(files["small"])
    results["import_20k_rows_per_s"] = round(ours_small)
    results["django_import_export_20k_rows_per_s"] = round(baseline)
    results["ratio_vs_django_import_export"] = round(ours_small / baseline, 1)
    print(
        f"  20k rows: ours {ours_small:,.0f} rows/s, django-import-export "
        f"{baseline:,.0f} rows/s → {ours_small / baseline:.1f}×"
    )

    setup_django(args.database, fresh=True)
    results["copy_rows_per_s"] = round(raw_copy(files["full"]))
    print(f"  raw COPY (same indexes): {results['copy_rows_per_s']:,} rows/s")

    first = child_import(files["full"], "2026-10-01", args.database)
    results["import_rows_per_s"] = round(first["rows"] / first["seconds"])
    results["import_peak_rss_mb"] = first["peak_rss_mb"]
    results["import_detail"] = first
    results["import_vs_copy_pct"] = round(
        100 * results["import_rows_per_s"] / results["copy_rows_per_s"], 1
    )
    print(
        f"  first import of {first['rows']:,} rows: {results['import_rows_per_s']:,} rows/s, peak RSS "
        f"{first['peak_rss_mb']} MB ({results['import_vs_copy_pct']}% of raw COPY) {first}"
    )

    second = child_import(files["changed"], "2026-11-01", args.database)
    results["reimport_rows_per_s"] = round(second["rows"] / second["seconds"])
    results["reimport_peak_rss_mb"] = second["peak_rss_mb"]
    results["reimport_detail"] = second
    print(
        f"  re-import (mostly updates): {results['reimport_rows_per_s']:,} rows/s {second}"
    )

    # Same-run baseline of the validation step: the changed file in one process
    # (the imports above use one per core: registry.services.dtks_staging).
    serial = child_import(
        files["changed"],
        "2026-12-01",
        args.database,
        validate_only=True,
        env={"DTKS_VALIDATION_PROCESSES": "1"},
    )
    results["validation_processes"] = os.cpu_count() or 1
    results["reimport_validate_s"] = second["validate_s"]
    results["reimport_validate_one_process_s"] = serial["validate_s"]
    print(
        f"  re-import validation: {second['validate_s']} s in "
        f"{results['validation_processes']} processes, {serial['validate_s']} s in one"
    )

    results.update(latencies())
    for key in (
        "nik_lookup_p99_ms",
        "name_search_p95_ms",
        "name_search_kelurahan_p99_ms",
    ):
        print(f"  {key}: {results[key]}")
    write_results("registry", results)


if __name__ == "__main__":
    main()
