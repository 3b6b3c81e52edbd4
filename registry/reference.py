"""Reference data the registry ships with (loaded by migration, idempotent)."""

from __future__ import annotations

from typing import Any

# Validity per purpose is local practice, not a national rule [U]: defaults only,
# editable in the admin.
SKTM_PURPOSES = [
    ("kesehatan", "Berobat / layanan kesehatan", 180, True),
    ("bpjs", "Pendaftaran BPJS Kesehatan PBPU Pemda", 180, True),
    ("pendidikan", "Pendidikan / keringanan biaya sekolah", 365, True),
    ("bantuan_sosial", "Permohonan bantuan sosial", 180, True),
    ("lainnya", "Keperluan lain", 90, False),
]


def load_sktm_purposes(purpose_model: Any) -> None:
    for code, name, days, gakin in SKTM_PURPOSES:
        purpose_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "validity_days": days, "counts_for_gakin": gakin},
        )
