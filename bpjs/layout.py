"""The column layout BPJS needs for PBPU Pemda registration, in one place.

[U] The official template comes from BPJS Cabang Balikpapan / Dinas Kesehatan (often
uploaded through the e-Dabu channel). Change BPJS_EXPORT_COLUMNS in settings to match it;
each entry is (column header, attribute path on the application).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from bpjs.models import Application

DEFAULT_EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("NO", "row_number"),
    ("NIK", "person.nik"),
    ("NO_KK", "household.kk_number"),
    ("NAMA_LENGKAP", "person.name"),
    ("TANGGAL_LAHIR", "birth_date"),
    ("JENIS_KELAMIN", "person.sex"),
    ("STATUS_HUBUNGAN_KELUARGA", "relationship"),
    ("ALAMAT", "household.address"),
    ("RT", "household.rt"),
    ("RW", "household.rw"),
    ("KELURAHAN", "kelurahan.name"),
    ("KECAMATAN", "kelurahan.kecamatan.name"),
    ("NO_HP", "person.phone"),
    ("KODE_FASKES", "facility.code"),
    ("NAMA_FASKES", "facility.name"),
    ("KELAS_RAWAT", "class_of_care"),
    ("SEGMEN", "segment"),
    ("TMT", "tmt"),
]
_RELATIONSHIP_CODES = {"kepala_keluarga": "1", "istri": "2", "suami": "2", "anak": "3"}


def export_columns() -> list[tuple[str, str]]:
    return getattr(settings, "BPJS_EXPORT_COLUMNS", DEFAULT_EXPORT_COLUMNS)


def _value(application: Application, path: str, row_number: int, tmt: str) -> Any:
    computed: dict[str, Callable[[], Any]] = {
        "row_number": lambda: row_number,
        "birth_date": lambda: (
            application.person.birth_date.strftime("%d-%m-%Y")
            if application.person.birth_date
            else ""
        ),
        "relationship": lambda: _RELATIONSHIP_CODES.get(
            application.person.relationship, "4"
        ),
        "class_of_care": lambda: "3",
        "segment": lambda: "PBPU PEMDA",
        "tmt": lambda: tmt,
    }
    if path in computed:
        return computed[path]()
    value: Any = application
    for part in path.split("."):
        value = getattr(value, part, "") if value is not None else ""
    return value if value is not None else ""


def export_rows(
    applications: list[Application], *, tmt: str
) -> tuple[list[str], list[list[Any]]]:
    columns = export_columns()
    header = [name for name, _ in columns]
    rows = [
        [_value(app, path, n, tmt) for _, path in columns]
        for n, app in enumerate(applications, start=1)
    ]
    return header, rows
