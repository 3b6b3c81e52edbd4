"""BPJS re-verification benchmark: 200,000 active participants against a
1,000,000-person registry (the real scheme has about 197,000).

    python -m bench.jobs          (make bench runs it after bench.registry)

Uses the `dinsos_bench` database; if it holds fewer than 1M persons, a synthetic
city is loaded first. Then loads the city's caseload (bench/caseload.py: SKTM, BPJS
applications, Puskesos cases, ODGJ subjects), which the dashboard, page and API
benchmarks after it read. Writes bench/results/jobs.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from bench._setup import DATABASE, machine, peak_rss_mb, setup_django, write_results
from bench.caseload import load_caseload


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--participants", type=int, default=200_000)
    parser.add_argument("--database", default=DATABASE)
    args = parser.parse_args()
    setup_django(args.database)
    from django.core.management import call_command
    from django.db import connection

    from bpjs.models import Coverage
    from core.jobs import run_job
    from core.models import Kelurahan
    from registry import synthetic
    from registry.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons * 0.9:  # the registry bench leaves ~99%
        kelurahan = list(Kelurahan.objects.values_list("code", flat=True))
        synthetic.load_households(
            synthetic.CityGenerator(seed=7).households(
                persons=args.persons, kelurahan_ids=kelurahan
            ),
            with_dtks=False,
        )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bpjs_removaltransition")
        cursor.execute("DELETE FROM bpjs_removalproposal")
        cursor.execute("DELETE FROM bpjs_coverage")
        cursor.execute(
            """
            INSERT INTO bpjs_coverage (person_id, segment, card_number, start_date, active,
                                       source)
            SELECT id, 'pbpu_pemda', lpad(id::text, 13, '0'), DATE '2026-01-01', true, 'bench'
            FROM registry_person ORDER BY id LIMIT %s
            """,
            [args.participants],
        )
        # About 2% flagged, as in a month of real changes.
        cursor.execute(
            "UPDATE registry_person SET formally_employed = (id % 100 = 0), "
            "domicile_status = CASE WHEN id % 100 = 1 THEN 'pindah_keluar' ELSE 'sesuai_kk' END "
            "WHERE id IN (SELECT person_id FROM bpjs_coverage)"
        )
        cursor.execute("ANALYZE")
    caseload = load_caseload()
    print("caseload: " + ", ".join(f"{n:,} {what}" for what, n in caseload.items()))
    participants = Coverage.objects.filter(active=True).count()
    started = time.perf_counter()
    run = run_job(name="bpjs_reverify", params={"chunk_size": 5000})
    elapsed = time.perf_counter() - started
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "participants": participants,
        "reverify_200k_s": round(elapsed, 2),
        "reverify_rows_per_s": round(participants / elapsed),
        "reverify_removals_proposed": run.changed,
        "reverify_peak_rss_mb": peak_rss_mb(),
        **{f"city_{what}": n for what, n in caseload.items()},
    }
    write_results("jobs", results)
    print(
        f"re-verification of {participants:,} participants: {elapsed:.1f} s, "
        f"{run.changed:,} removal proposals (target < 30 s)"
    )


if __name__ == "__main__":
    main()
