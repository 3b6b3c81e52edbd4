"""Demo data for `make run`: ODGJ outreach cases found on the street, at home and in
a panti, one of them verified and ready for Dukcapil's recording."""

from __future__ import annotations

from typing import Any

from core.demo import demo_actor
from core.models import Kelurahan
from core.roles import Role
from odgj.models import (
    Guardian,
    LegalBasis,
    OdgjSubject,
    PlaceType,
    ReporterType,
    Stage,
)
from odgj.services import (
    guardian_add,
    odgj_case_transition,
    odgj_subject_create,
    odgj_subject_update_notes,
)
from registry.demo import DEMO_KELURAHAN

# Invented people and places: no real person's data in a demo.
SUBJECTS: list[dict[str, Any]] = [
    {
        "alias": "Pak Tua Pasar Manggar",
        "sex": "L",
        "estimated_age": 55,
        "found_place": "Pasar Manggar Baru",
        "found_place_type": PlaceType.STREET,
        "reporter_type": ReporterType.TRC,
        "legal_basis": LegalBasis.VITAL_INTEREST,
        "condition_notes": "Berbicara sendiri, tidak mengenali nama sendiri.",
    },
    {
        "alias": "Ibu di Rumah Antaran",
        "sex": "P",
        "estimated_age": 40,
        "found_place": "Rumah Antaran Dinsos",
        "found_place_type": PlaceType.SHELTER,
        "reporter_type": ReporterType.PANTI,
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "condition_notes": "Tenang, mau diajak bicara; tidak membawa identitas.",
    },
    {
        "alias": "Pemuda Gang Mawar",
        "sex": "L",
        "estimated_age": 28,
        "found_place": "Rumah keluarga, Gang Mawar",
        "found_place_type": PlaceType.HOME,
        "reporter_type": ReporterType.FAMILY,
        "legal_basis": LegalBasis.CONSENT,
        "condition_notes": "Dipasung keluarga selama dua tahun; belum pernah ber-KTP.",
    },
]


def seed_odgj() -> None:
    worker = demo_actor(Role.PEKERJA_SOSIAL_ODGJ)
    if worker is None or OdgjSubject.objects.exists():
        return
    kelurahan = Kelurahan.objects.get(pk=DEMO_KELURAHAN[0])
    subjects = [
        odgj_subject_create(actor=worker, kelurahan=kelurahan, **fields)
        for fields in SUBJECTS
    ]
    sheltered = subjects[1]
    guardian_add(
        actor=worker,
        subject=sheltered,
        guardian_type=Guardian.Type.INSTITUTION,
        relation=Guardian.Relation.DINSOS,
        name="Kepala Bidang Rehabilitasi Sosial, Dinsos Kota Balikpapan",
    )
    sheltered = odgj_subject_update_notes(
        actor=worker,
        subject=sheltered,
        laporan_sosial="Keluarga tidak ditemukan setelah penelusuran dua minggu.",
    )
    odgj_case_transition(actor=worker, subject=sheltered, to_stage=Stage.DATA_VERIFIED)
