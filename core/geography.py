"""Balikpapan's kecamatan and kelurahan from the versioned data file (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "wilayah_balikpapan.json"


def load_geography(kecamatan_model: Any, kelurahan_model: Any) -> None:
    """Takes the model classes so the migration can pass its historical models."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for kec in data["kecamatan"]:
        kecamatan, _ = kecamatan_model.objects.update_or_create(
            code=kec["code"], defaults={"name": kec["name"]}
        )
        for suffix, name in kec["kelurahan"]:
            kelurahan_model.objects.update_or_create(
                code=f"{kec['code']}.{suffix}",
                defaults={"name": name, "kecamatan": kecamatan},
            )


def ensure_geography() -> None:
    from core.models import Kecamatan, Kelurahan

    if Kelurahan.objects.count() != 34:
        load_geography(Kecamatan, Kelurahan)
