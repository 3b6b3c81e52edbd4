"""Demo data for `make run`: a few hundred residents in two kelurahan."""

from __future__ import annotations

from registry import synthetic
from registry.models import Household

DEMO_KELURAHAN = ["64.71.01.1001", "64.71.06.1001"]  # Manggar, Prapatan


def seed_registry() -> None:
    if Household.objects.exists():
        return
    generator = synthetic.CityGenerator(seed=42)
    synthetic.load_households(
        generator.households(persons=400, kelurahan_ids=DEMO_KELURAHAN, dtks_share=0.3),
        with_dtks=True,
    )
