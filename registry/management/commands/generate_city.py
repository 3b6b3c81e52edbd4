"""Generate a synthetic Balikpapan (default 1,000,000 persons), seeded and reproducible.

python manage.py generate_city --persons 1000000 --seed 2026
python manage.py generate_city --persons 20000 --no-load --dtks-csv /tmp/dtks.csv --dirty 0.01
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from core.models import Kelurahan
from registry import synthetic


class Command(BaseCommand):
    help = "Membuat data sintetis Kota Balikpapan (penduduk, keluarga, DTKS)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--persons", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--dtks-share", type=float, default=0.25)
        parser.add_argument(
            "--no-load", action="store_true", help="do not write the DB"
        )
        parser.add_argument("--with-dtks", action="store_true", help="set DTKS status")
        parser.add_argument("--dtks-csv", type=Path)
        parser.add_argument("--dtks-xlsx", type=Path)
        parser.add_argument(
            "--dirty", type=float, default=0.0, help="share of dirty rows"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        kelurahan_ids = list(Kelurahan.objects.values_list("code", flat=True))
        generator = synthetic.CityGenerator(seed=options["seed"])
        households = list(
            generator.households(
                persons=options["persons"],
                kelurahan_ids=kelurahan_ids,
                dtks_share=options["dtks_share"],
            )
        )
        persons = sum(len(h.persons) for h in households)
        self.stdout.write(f"generated {len(households)} households, {persons} persons")
        if not options["no_load"]:
            synthetic.load_households(households, with_dtks=options["with_dtks"])
            self.stdout.write("loaded into the database")
        rows = lambda: synthetic.dtks_rows(households, dirty_share=options["dirty"])  # noqa: E731
        if options["dtks_csv"]:
            n = synthetic.write_dtks_csv(options["dtks_csv"], rows())
            self.stdout.write(f"wrote {n} DTKS rows to {options['dtks_csv']}")
        if options["dtks_xlsx"]:
            n = synthetic.write_dtks_xlsx(options["dtks_xlsx"], rows())
            self.stdout.write(f"wrote {n} DTKS rows to {options['dtks_xlsx']}")
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
