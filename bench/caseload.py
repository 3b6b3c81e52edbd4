"""The caseload of the benchmark city: SKTM, BPJS applications, Puskesos cases and
ODGJ subjects in realistic volumes, beside the registry and the 200,000 BPJS
participants that bench/registry.py and bench/jobs.py load.

Volumes are about three years of Balikpapan's work (DOMAIN.md: ~1,000 BPJS proposals
a month, ~16,000 poor residents known to Dinsos, ~170 ODGJ known in 2023, growing).
Every ODGJ subject has Dinas Sosial as institutional guardian and two in five also a
family member, and holds its place in the partner API's change sequence.
Rows are written with bulk_create, not through the services: the benchmarks that
follow measure reading them (dashboard, staff pages, API), and 86,000 service calls
would take longer than the benchmarks. The audit triggers still record every row.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from bench._setup import bench_user

SKTM = 20_000
APPLICATIONS = 36_000
CASES = 30_000
ODGJ = 500
BATCH = 2_000
YEARS_BACK = 3

SKTM_STATUSES = {
    "terbit": 55,
    "kedaluwarsa": 30,
    "diajukan": 4,
    "diverifikasi": 3,
    "ditolak": 6,
    "dicabut": 2,
}
APPLICATION_STATUSES = {
    "aktif": 70,
    "diajukan": 6,
    "disetujui_dinsos": 4,
    "diverifikasi_dkk": 3,
    "diusulkan_bpjs": 5,
    "ditolak_dinsos": 5,
    "ditolak_dkk": 2,
    "ditolak_bpjs": 3,
    "dibatalkan": 2,
}
CASE_STATUSES = {
    "resolved": 62,
    "referred": 10,
    "received": 6,
    "assessed": 5,
    "service_decided": 5,
    "rejected": 6,
    "cancelled": 3,
    "closed_unreachable": 3,
}
ODGJ_STAGES = {
    "identified": 10,
    "data_verified": 8,
    "recorded": 12,
    "existing_nik_found": 5,
    "nik_issued": 10,
    "ktp_printed": 5,
    "ktp_delivered": 15,
    "closed": 35,
}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _created(rng: random.Random, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=rng.randint(0, YEARS_BACK * 365 * 86_400))


def load_caseload(*, seed: int = 2026) -> dict[str, int]:
    """Replace the bench city's caseload; returns the row counts written."""
    from django.db import connection, transaction
    from django.utils import timezone

    from core.models import Kelurahan
    from core.roles import Role

    rng = random.Random(seed)
    now = timezone.now()
    actor = bench_user("bench-caseload", Role.SUPERVISOR_DINSOS)
    # Persons past the first 200k ids: those hold the BPJS participants (bench/jobs.py).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kelurahan_id, household_id, nik, name FROM registry_person"
            " WHERE nik IS NOT NULL AND kelurahan_id IS NOT NULL"
            " ORDER BY id OFFSET 200000 LIMIT %s",
            [SKTM + APPLICATIONS + CASES],
        )
        persons = cursor.fetchall()
    kelurahan = list(Kelurahan.objects.values_list("code", flat=True))
    with transaction.atomic():
        _clear()
        counts = {
            "sktm": _sktm(rng, now, actor, persons[:SKTM]),
            "bpjs_applications": _applications(
                rng, now, actor, persons[SKTM : SKTM + APPLICATIONS]
            ),
            "puskesos_cases": _cases(rng, now, persons[SKTM + APPLICATIONS :]),
            "odgj_subjects": _odgj(rng, now, actor, kelurahan),
        }
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE registry_sktm, bpjs_application, puskesos_case, odgj_odgjsubject"
        )
    return counts


def _clear() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (  # children first
            "puskesos_referral",
            "puskesos_trcdispatch",
            "puskesos_casetransition",
            "puskesos_case",
            "odgj_followup",
            "odgj_guardian",
            "odgj_visitencounter",
            "odgj_odgjtransition",
            "odgj_odgjsubject",
            "registry_sktmdocument",
            "registry_sktmtransition",
            "registry_sktm",
            "bpjs_applicationdocument",
            "bpjs_applicationtransition",
            "bpjs_application",
        ):
            cursor.execute(f"DELETE FROM {table}")


def _sktm(
    rng: random.Random, now: dt.datetime, actor: Any, persons: list[tuple[Any, ...]]
) -> int:
    from registry.models import Sktm, SktmPurpose

    purposes = list(SktmPurpose.objects.values_list("code", flat=True))
    sequences: dict[tuple[str, int], int] = {}
    rows = []
    for person_id, kelurahan_id, household_id, _nik, _name in persons:
        created = _created(rng, now)
        status = _weighted(rng, SKTM_STATUSES)
        issued = status in ("terbit", "kedaluwarsa", "dicabut")
        fields: dict[str, Any] = {}
        if issued:
            year = created.year
            sequence = sequences[(kelurahan_id, year)] = (
                sequences.get((kelurahan_id, year), 0) + 1
            )
            issued_on = created.date()
            valid = now.date() + dt.timedelta(days=rng.randint(1, 180))
            fields = {
                "year": year,
                "sequence": sequence,
                "number": f"{sequence:04d}/SKTM/{kelurahan_id[-4:]}/{year}",
                "issued_on": issued_on,
                "valid_until": valid
                if status == "terbit"
                else issued_on + dt.timedelta(days=180),
                "signed_by_name": "Lurah",
                "signed_by_nip": "197001011990031001",
            }
        rows.append(
            Sktm(
                person_id=person_id,
                household_id=household_id,
                kelurahan_id=kelurahan_id,
                purpose_id=rng.choice(purposes),
                pengantar_number=f"RT/{rng.randint(1, 999):03d}",
                pengantar_date=created.date(),
                status=status,
                rejection_reason="Bukan warga miskin" if status == "ditolak" else "",
                revocation_reason="Data tidak benar" if status == "dicabut" else "",
                created_by=actor,
                created_at=created,
                **fields,
            )
        )
    Sktm.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _applications(
    rng: random.Random, now: dt.datetime, actor: Any, persons: list[tuple[Any, ...]]
) -> int:
    from bpjs.models import Application, HealthFacility

    facilities = list(HealthFacility.objects.values_list("pk", flat=True))
    rows = [
        Application(
            person_id=person_id,
            kelurahan_id=kelurahan_id,
            basis=rng.choice(("dtks", "dtks", "sktm")),
            facility_id=rng.choice(facilities),
            status=_weighted(rng, APPLICATION_STATUSES),
            submitted_by=actor,
            created_at=_created(rng, now),
        )
        for person_id, kelurahan_id, _household, _nik, _name in persons
    ]
    Application.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _cases(rng: random.Random, now: dt.datetime, persons: list[tuple[Any, ...]]) -> int:
    from puskesos.models import Case, NeedCategory

    needs = list(NeedCategory.objects.values_list("pk", flat=True))
    rows = []
    for person_id, kelurahan_id, _household, nik, name in persons:
        created = _created(rng, now)
        status = _weighted(rng, CASE_STATUSES)
        done = status in ("resolved", "rejected", "cancelled", "closed_unreachable")
        rows.append(
            Case(
                kelurahan_id=kelurahan_id,
                person_id=person_id,
                applicant_name=name,
                nik=nik,
                request_type=rng.choice(("pengaduan", "pertanyaan", "pengaduan")),
                need_id=rng.choice(needs),
                description="Permohonan bantuan (data uji)",
                status=status,
                sla_due=(created + dt.timedelta(days=14)).date(),
                created_at=created,
                resolved_at=created + dt.timedelta(days=rng.randint(1, 20))
                if done
                else None,
            )
        )
    Case.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _odgj(
    rng: random.Random, now: dt.datetime, actor: Any, kelurahan: list[str]
) -> int:
    from django.db import connection

    from odgj.models import Guardian, OdgjSubject

    rows = [
        OdgjSubject(
            alias=f"Subjek uji {i}",
            sex=rng.choice("LP"),
            estimated_age=rng.randint(18, 75),
            found_place="Pasar (data uji)",
            found_place_type=rng.choice(("jalan", "panti", "rumah")),
            kelurahan_id=rng.choice(kelurahan),
            reporter_type=rng.choice(("puskesos", "trc", "panti", "keluarga")),
            legal_basis="kepentingan_vital",
            stage=_weighted(rng, ODGJ_STAGES),
            created_by=actor,
            created_at=_created(rng, now),
        )
        for i in range(ODGJ)
    ]
    OdgjSubject.objects.bulk_create(rows, batch_size=BATCH)
    with connection.cursor() as cursor:
        # Each subject's place in the partner API's incremental sync, as the services
        # give it (the recording queue pages by it).
        cursor.execute(
            "UPDATE odgj_odgjsubject SET change_seq = nextval('odgj_change_seq')"
        )
    guardians = [
        Guardian(
            subject=subject,
            guardian_type=Guardian.Type.INSTITUTION,
            relation=Guardian.Relation.DINSOS,
            name="Dinas Sosial",
        )
        for subject in rows
    ] + [
        Guardian(
            subject=subject,
            guardian_type=Guardian.Type.FAMILY,
            relation=rng.choice(("orang_tua", "saudara", "pasangan")),
            name=f"Keluarga uji {i}",
            contact="08xx (data uji)",
        )
        for i, subject in enumerate(rows)
        if rng.random() < 0.4
    ]
    Guardian.objects.bulk_create(guardians, batch_size=BATCH)
    return len(rows)
