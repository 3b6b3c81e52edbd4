"""Reference data the BPJS app ships with (loaded by migration, idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

# Puskesmas of Balikpapan as first-level facilities [U: names/codes to be replaced by
# BPJS's official FKTP list; editable in the admin].
FACILITIES = [
    ("PKM-MANGGAR", "Puskesmas Manggar"),
    ("PKM-MANGGARBARU", "Puskesmas Manggar Baru"),
    ("PKM-TERITIP", "Puskesmas Teritip"),
    ("PKM-BARUILIR", "Puskesmas Baru Ilir"),
    ("PKM-BARUTENGAH", "Puskesmas Baru Tengah"),
    ("PKM-MARGASARI", "Puskesmas Marga Sari"),
    ("PKM-KARIANGAU", "Puskesmas Kariangau"),
    ("PKM-BATUAMPAR", "Puskesmas Batu Ampar"),
    ("PKM-MUARARAPAK", "Puskesmas Muara Rapak"),
    ("PKM-KARANGJOANG", "Puskesmas Karang Joang"),
    ("PKM-GUNUNGSAMARINDA", "Puskesmas Gunung Samarinda"),
    ("PKM-KARANGREJO", "Puskesmas Karang Rejo"),
    ("PKM-GUNUNGSARIILIR", "Puskesmas Gunung Sari Ilir"),
    ("PKM-SEPINGGAN", "Puskesmas Sepinggan"),
    ("PKM-SEPINGGANBARU", "Puskesmas Sepinggan Baru"),
    ("PKM-KLANDASANILIR", "Puskesmas Klandasan Ilir"),
    ("PKM-PRAPATAN", "Puskesmas Prapatan"),
    ("PKM-DAMAI", "Puskesmas Damai"),
]


def load_reference_data(
    facility_model: Any, rate_model: Any, budget_model: Any
) -> None:
    for code, name in FACILITIES:
        facility_model.objects.get_or_create(code=code, defaults={"name": name})
    rate_model.objects.get_or_create(
        valid_from=dt.date(2020, 7, 1),
        defaults={
            "premium": 42000,
            "central_share": 4200,
            "city_share": 37800,
            "legal_basis": "Perpres 64/2020; Perwali Balikpapan 26/2021",
        },
    )
    # 2024 budget reported at about Rp 94 bn [R]; set each year's ceiling in the admin.
    budget_model.objects.get_or_create(year=2026, defaults={"amount": 94_000_000_000})
