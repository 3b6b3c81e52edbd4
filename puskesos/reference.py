"""Reference data of the Puskesos app (loaded by migration, idempotent, admin-editable)."""

from __future__ import annotations

import datetime as dt
from typing import Any

NEEDS = [
    # code, name, internal flow, urgent, general service for non-gakin citizens
    (
        "kesehatan_bpjs",
        "Kesehatan / BPJS",
        "bpjs",
        False,
        "Daftar BPJS Kesehatan mandiri (PBPU) di kantor BPJS atau aplikasi Mobile JKN; "
        "berobat di puskesmas terdekat.",
    ),
    ("sktm", "SKTM", "sktm", False, ""),
    (
        "usulan_dtks",
        "Usulan masuk DTKS/DTSEN",
        "dtks",
        False,
        "Keluarga yang belum terdaftar dapat diusulkan masuk DTKS/DTSEN melalui "
        "musyawarah kelurahan.",
    ),
    (
        "pendidikan",
        "Pendidikan",
        "",
        False,
        "Program Indonesia Pintar dan beasiswa daerah: tanyakan ke sekolah atau Disdikbud.",
    ),
    (
        "pangan",
        "Pangan / kebutuhan dasar",
        "",
        False,
        "Bantuan pangan dari Baznas dan lumbung sosial kelurahan.",
    ),
    ("perumahan", "Perumahan (RTLH)", "", False, "Program RTLH dikelola Disperkim."),
    ("disabilitas", "Disabilitas", "", False, "Layanan rehabilitasi sosial Dinsos."),
    ("lansia", "Lanjut usia", "", False, "Layanan lansia Dinsos dan posyandu lansia."),
    ("odgj", "Laporan ODGJ", "odgj", True, ""),
    (
        "anak_terlantar",
        "Anak terlantar",
        "",
        True,
        "Perlindungan anak: DP3AKB / UPTD PPA.",
    ),
    ("korban_kekerasan", "Korban kekerasan", "", True, "UPTD PPA Kota Balikpapan."),
    ("bencana", "Bencana", "", True, "Tagana dan BPBD Kota Balikpapan."),
    (
        "adminduk",
        "Administrasi kependudukan",
        "",
        False,
        "Disdukcapil Kota Balikpapan.",
    ),
    ("lainnya", "Lainnya", "", False, ""),
]
AGENCIES = [
    ("puskesmas", "Puskesmas"),
    ("rsud", "RSUD Kota Balikpapan"),
    ("dukcapil", "Disdukcapil Kota Balikpapan"),
    ("disdik", "Dinas Pendidikan dan Kebudayaan"),
    ("disnaker", "Dinas Tenaga Kerja"),
    ("disperkim", "Dinas Perumahan dan Permukiman"),
    ("baznas", "Baznas Kota Balikpapan"),
    ("uptd_ppa", "UPTD PPA"),
    ("bpbd", "BPBD / Tagana"),
]
# National holidays and cuti bersama 2026 [U: from the SKB 3 Menteri draft; confirm
# each year in the admin].
HOLIDAYS_2026 = [
    ("2026-01-01", "Tahun Baru Masehi", False),
    ("2026-01-16", "Isra Mikraj", False),
    ("2026-02-17", "Tahun Baru Imlek", False),
    ("2026-03-19", "Hari Suci Nyepi", False),
    ("2026-03-20", "Idulfitri", False),
    ("2026-03-21", "Idulfitri", False),
    ("2026-03-23", "Cuti bersama Idulfitri", True),
    ("2026-04-03", "Wafat Yesus Kristus", False),
    ("2026-05-01", "Hari Buruh", False),
    ("2026-05-14", "Kenaikan Yesus Kristus", False),
    ("2026-05-27", "Iduladha", False),
    ("2026-05-31", "Waisak", False),
    ("2026-06-01", "Hari Lahir Pancasila", False),
    ("2026-06-16", "Tahun Baru Islam", False),
    ("2026-08-17", "Hari Kemerdekaan", False),
    ("2026-08-25", "Maulid Nabi", False),
    ("2026-12-25", "Natal", False),
    ("2026-12-24", "Cuti bersama Natal", True),
]


def load_reference_data(
    need_model: Any,
    agency_model: Any,
    holiday_model: Any,
    counter_model: Any,
    kelurahan_model: Any,
) -> None:
    for order, (code, name, flow, urgent, general) in enumerate(NEEDS):
        need_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "internal_flow": flow,
                "urgent_by_default": urgent,
                "general_service": general,
                "order": order,
            },
        )
    for code, name in AGENCIES:
        agency_model.objects.get_or_create(code=code, defaults={"name": name})
    for day, name, leave in HOLIDAYS_2026:
        holiday_model.objects.get_or_create(
            date=dt.date.fromisoformat(day),
            defaults={"name": name, "collective_leave": leave},
        )
    for kelurahan in kelurahan_model.objects.all():
        counter_model.objects.get_or_create(
            kelurahan=kelurahan, defaults={"name": f"Puskesos {kelurahan.name}"}
        )
