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


def seed_sktm() -> None:
    """SKTM at each step for residents of Manggar not in DTKS: requested at the
    counter, verified by the coordinator, issued (two of them for BPJS)."""
    import datetime as dt

    from django.utils import timezone

    from core.demo import demo_actor
    from core.roles import Role
    from registry.models import Person, Sktm, SktmPurpose
    from registry.services.sktm import sktm_issue, sktm_request, sktm_verify

    operator = demo_actor(Role.OPERATOR_KELURAHAN, DEMO_KELURAHAN[0])
    koordinator = demo_actor(Role.KOORDINATOR_PUSKESOS, DEMO_KELURAHAN[0])
    if operator is None or koordinator is None or Sktm.objects.exists():
        return
    today = timezone.localdate()
    residents = list(
        Person.objects.filter(
            kelurahan_id=DEMO_KELURAHAN[0],
            dtks__isnull=True,
            is_deceased=False,
            birth_date__lte=today - dt.timedelta(days=18 * 365),
        ).order_by("id")[:8]
    )
    purposes = ["bpjs", "bpjs", "kesehatan", "pendidikan", "kesehatan"]
    for number, resident in enumerate(residents, 1):
        sktm = sktm_request(
            actor=operator,
            person=resident,
            purpose=SktmPurpose.objects.get(
                code=purposes[(number - 1) % len(purposes)]
            ),
            pengantar_number=f"{number:03d}/PENGANTAR-RT/{today:%Y}",
            pengantar_date=today - dt.timedelta(days=3),
        )
        if number > 6:
            continue  # waiting for the coordinator
        sktm = sktm_verify(actor=koordinator, sktm=sktm)
        if number > 4:
            continue  # verified, waiting for the lurah's signature
        sktm_issue(
            actor=koordinator,
            sktm=sktm,
            signed_by_name="Drs. H. Lurah Manggar",
            signed_by_nip="197001011990031001",
        )


def seed_dtks_proposals() -> None:
    """Households of Manggar not in DTKS proposed for it, one at each step: waiting
    for the muskel, agreed (waiting for the verivali), verified (ready to send) and
    sent."""
    import datetime as dt

    from django.utils import timezone

    from core.demo import demo_actor
    from core.roles import Role
    from registry.models import DtksProposal, Household, VerivaliResult
    from registry.services.proposals import (
        dtks_proposal_record_muskel,
        dtks_proposal_record_verivali,
        dtks_proposal_register,
        dtks_proposals_submit,
    )

    operator = demo_actor(Role.OPERATOR_KELURAHAN, DEMO_KELURAHAN[0])
    koordinator = demo_actor(Role.KOORDINATOR_PUSKESOS, DEMO_KELURAHAN[0])
    verifikator = demo_actor(Role.VERIFIKATOR_DINSOS)
    if (
        operator is None
        or koordinator is None
        or verifikator is None
        or DtksProposal.objects.exists()
    ):
        return
    today = timezone.localdate()
    households = list(
        Household.objects.filter(kelurahan_id=DEMO_KELURAHAN[0])
        .exclude(members__dtks__active=True)
        .filter(members__is_deceased=False)
        .distinct()
        .order_by("id")[:4]
    )
    reasons = [
        "Kepala keluarga buruh harian lepas, istri tidak bekerja, tiga anak sekolah.",
        "Ibu tunggal, penghasilan dari berjualan kue, rumah menumpang orang tua.",
        "Kepala keluarga sakit menahun sejak 2025 dan tidak dapat bekerja.",
        "Lansia tinggal sendiri tanpa penghasilan tetap.",
    ]
    for step, (household, reason) in enumerate(zip(households, reasons, strict=False)):
        proposal = dtks_proposal_register(
            actor=operator, household=household, reason=reason
        )
        if step == 0:
            continue  # waiting for the muskel
        proposal = dtks_proposal_record_muskel(
            actor=koordinator,
            proposal=proposal,
            agreed=True,
            muskel_date=today - dt.timedelta(days=14),
            muskel_reference=f"005/BA-MUSKEL/{today:%Y}",
        )
        if step == 1:
            continue  # waiting for Dinsos's home visit
        proposal = dtks_proposal_record_verivali(
            actor=verifikator,
            proposal=proposal,
            visited_on=today - dt.timedelta(days=7),
            result=VerivaliResult.DONE,
        )
        if step == 3:
            dtks_proposals_submit(
                actor=verifikator, proposals=[proposal], period=today.replace(day=1)
            )


def seed_reported_arrival() -> None:
    """A family of Prapatan that Dukcapil reports moved to Manggar: waiting on
    Manggar's Pindah datang page (and its home tile) for the counter to record. A
    second report, of another Prapatan resident, the Manggar counter has closed as
    not found, listed below with its reason."""
    import datetime as dt

    from django.utils import timezone

    from core.demo import demo_actor
    from core.jobs import run_job
    from core.roles import Role
    from registry.models import Person, PopulationChange
    from registry.services.arrivals import reported_move_dismiss
    from registry.services.households import population_changes_record

    operator = demo_actor(Role.OPERATOR_KELURAHAN, DEMO_KELURAHAN[0])
    if (
        operator is None
        or PopulationChange.objects.filter(kind=PopulationChange.Kind.MOVE_IN).exists()
    ):
        return
    heads = list(
        Person.objects.filter(
            kelurahan_id=DEMO_KELURAHAN[1],
            relationship="kepala_keluarga",
            is_deceased=False,
            household__kk_number__isnull=False,
        ).order_by("id")[:2]
    )
    if len(heads) < 2:
        return
    population_changes_record(
        changes=[
            {
                "kind": PopulationChange.Kind.MOVE_IN,
                "nik": head.nik,
                "event_date": timezone.localdate() - dt.timedelta(days=days),
                "region_code": DEMO_KELURAHAN[0],
            }
            for head, days in zip(heads, (3, 9), strict=True)
        ]
    )
    run_job(name="population_changes_apply")
    reported_move_dismiss(
        actor=operator,
        change=PopulationChange.objects.get(
            kind=PopulationChange.Kind.MOVE_IN, nik=heads[1].nik
        ),
        note="Tidak dikenal ketua RT 05; alamat baru tidak ada pada laporan",
    )


def seed_dtks_snapshot() -> None:
    """This month's DTKS snapshot, imported by the supervisor through the import's
    own steps (upload, validation, save): everyone in DTKS is in it but two
    households of Manggar, who are then on Manggar's "Keluar dari DTKS" list, one of
    them already called once without an answer.

    The file is written from the registry itself, so it matches whatever the demo
    city holds (the generated residents' NIKs encode birth dates relative to the day
    they were made)."""
    import csv
    import io

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from core.demo import demo_actor
    from core.roles import Role
    from registry.models import DtksEntry, DtksImportBatch, DtksLeaverContact
    from registry.services.dtks import (
        dtks_batch_commit,
        dtks_batch_upload,
        dtks_batch_validate,
    )
    from registry.services.dtks_leavers import dtks_leaver_record_contact
    from registry.synthetic import DTKS_HEADER

    supervisor = demo_actor(Role.SUPERVISOR_DINSOS)
    operator = demo_actor(Role.OPERATOR_KELURAHAN, DEMO_KELURAHAN[0])
    if supervisor is None or operator is None or DtksImportBatch.objects.exists():
        return
    entries = list(
        DtksEntry.objects.filter(active=True, person__is_deceased=False)
        .select_related("person__household")
        .order_by("person__household_id", "person_id")
    )
    manggar_households = sorted(
        {
            entry.person.household_id
            for entry in entries
            if entry.person.kelurahan_id == DEMO_KELURAHAN[0]
            and entry.person.household_id is not None
        }
    )
    leaving = manggar_households[-2:]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(DTKS_HEADER)
    for entry in entries:
        person, household = entry.person, entry.person.household
        if household is None or household.pk in leaving:
            continue
        writer.writerow(
            [
                person.nik,
                household.kk_number,
                person.name.upper(),
                person.birth_place,
                person.birth_date.strftime("%d/%m/%Y") if person.birth_date else "",
                person.sex,
                person.get_relationship_display().upper(),
                household.address,
                household.rt,
                household.rw,
                (person.kelurahan_id or household.kelurahan_id).replace(".", ""),
                entry.desil or "",
                entry.dtks_id,
                {True: "PADAN", False: "TIDAK PADAN"}.get(entry.padan_dukcapil, ""),
            ]
        )
    period = timezone.localdate().replace(day=1)
    batch = dtks_batch_upload(
        actor=supervisor,
        file=ContentFile(text.getvalue().encode(), name="dtks-demo.csv"),
        period=period,
        original_name=f"DTKS Balikpapan {period:%m-%Y}.csv",
    )
    batch = dtks_batch_validate(batch=batch)
    dtks_batch_commit(actor=supervisor, batch=batch)
    left = (
        DtksEntry.objects.filter(person__household_id__in=leaving, active=False)
        .select_related("person")
        .order_by("person_id")
        .first()
    )
    if left is not None:
        dtks_leaver_record_contact(
            actor=operator,
            person=left.person,
            outcome=DtksLeaverContact.Outcome.NOT_REACHED,
            note="Tidak diangkat; dicoba lagi besok pagi",
        )
