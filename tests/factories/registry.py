"""Registry records made through the real services (Zulip style)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.core.files.base import ContentFile

from core.jobs import run_job
from core.models import Kelurahan, User
from core.roles import Role
from registry.models import (
    DeferredIndex,
    DtksEntry,
    DtksProposal,
    DtksProposalStatus,
    Household,
    Person,
    PopulationChange,
    Relationship,
    Sex,
    SktmPurpose,
    VerivaliResult,
)
from registry.services.dtks import (
    dtks_batch_commit,
    dtks_batch_upload,
    dtks_batch_validate,
)
from registry.services.households import (
    household_create,
    person_add_to_household,
    population_changes_record,
)
from registry.services.proposals import (
    dtks_proposal_record_muskel,
    dtks_proposal_record_verivali,
    dtks_proposal_register,
)
from registry.services.sktm import sktm_issue, sktm_request, sktm_verify
from tests.factories.core import StaffFactory

_serial = itertools.count(1)


def make_nik(
    *,
    birth: dt.date = dt.date(1985, 5, 12),
    sex: str = Sex.MALE,
    district: str = "647101",
    serial: int | None = None,
) -> str:
    day = birth.day + (40 if sex == Sex.FEMALE else 0)
    number = serial if serial is not None else next(_serial)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{number:04d}"


def make_kk(*, district: str = "647101", serial: int | None = None) -> str:
    number = serial if serial is not None else next(_serial)
    return f"{district}230119{number:04d}"


def _actor_for(kelurahan: Kelurahan) -> User:
    user: User = StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=kelurahan)
    return user


def household(
    *,
    kelurahan: Kelurahan,
    actor: User | None = None,
    kk_number: str | None = None,
    rt: str = "001",
    rw: str = "002",
    address: str = "Jl. Mulawarman No. 1",
) -> Household:
    return household_create(
        actor=actor or _actor_for(kelurahan),
        kelurahan=kelurahan,
        kk_number=kk_number or make_kk(),
        rt=rt,
        rw=rw,
        address=address,
    )


def person(
    *,
    kelurahan: Kelurahan | None = None,
    in_household: Household | None = None,
    actor: User | None = None,
    name: str = "Siti Aminah",
    sex: str = Sex.FEMALE,
    birth: dt.date = dt.date(1985, 5, 12),
    relationship: str = Relationship.HEAD,
    nik: str | None = "auto",
    **fields,
) -> Person:
    if in_household is None:
        assert kelurahan is not None
        in_household = household(kelurahan=kelurahan, actor=actor)
    if nik == "auto":
        nik = make_nik(birth=birth, sex=sex)
    return person_add_to_household(
        actor=actor or _actor_for(in_household.kelurahan),
        household=in_household,
        nik=nik,
        name=name,
        sex=sex,
        birth_date=birth,
        birth_place="Balikpapan",
        relationship=relationship,
        **fields,
    )


def requested_sktm(*, for_person: Person, purpose: str = "kesehatan"):
    return sktm_request(
        actor=_actor_for(for_person.kelurahan),
        person=for_person,
        purpose=SktmPurpose.objects.get(code=purpose),
        pengantar_number=f"RT/{random.randint(1, 999)}",
        pengantar_date=dt.date(2026, 11, 1),
    )


def issued_sktm(
    *, for_person: Person, purpose: str = "kesehatan", issued_on: dt.date | None = None
):
    koordinator = StaffFactory(
        role=Role.KOORDINATOR_PUSKESOS, kelurahan=for_person.kelurahan
    )
    sktm = requested_sktm(for_person=for_person, purpose=purpose)
    sktm = sktm_verify(actor=koordinator, sktm=sktm)
    return sktm_issue(
        actor=koordinator,
        sktm=sktm,
        signed_by_name="Drs. H. Lurah",
        signed_by_nip="197001011990031001",
        issued_on=issued_on,
    )


def in_dtks(
    resident: Person,
    *,
    supervisor: User | None = None,
    desil: str = "2",
    period: dt.date = dt.date(2026, 10, 1),
) -> None:
    """Put a person in DTKS through a real one-row import."""
    header = "NIK;NO_KK;NAMA;KODE_KELURAHAN;DESIL;ID_DTKS"
    line = (
        f"{resident.nik};{resident.household.kk_number};{resident.name};"
        f"{resident.kelurahan_id};{desil};D-9"
    )
    actor = supervisor or StaffFactory(role=Role.SUPERVISOR_DINSOS)
    batch = dtks_batch_upload(
        actor=actor,
        file=ContentFile(f"{header}\n{line}\n".encode(), name="d.csv"),
        period=period,
    )
    dtks_batch_commit(actor=actor, batch=dtks_batch_validate(batch=batch))


def left_dtks(resident: Person, *, period: dt.date = dt.date(2026, 11, 1)) -> DtksEntry:
    """A person a DTKS snapshot of `period` took out (absent from its file), as the
    import leaves them. Written directly: through imports, each later snapshot
    would have to list everyone else."""
    return DtksEntry.objects.create(
        person=resident,
        dtks_id="D-9",
        desil=2,
        active=False,
        active_since=dt.date(2025, 1, 1),
        inactive_since=period,
        deactivation_reason=DtksEntry.DeactivationReason.ABSENT,
    )


def dtks_proposal(
    *,
    kelurahan: Kelurahan,
    name: str = "Rahmat Hidayat",
    to: str = DtksProposalStatus.REGISTERED,
) -> DtksProposal:
    """A household not in DTKS, proposed, taken as far as `to` (up to verified)."""
    resident = person(kelurahan=kelurahan, name=name)
    assert resident.household is not None
    proposal = dtks_proposal_register(
        actor=_actor_for(kelurahan),
        household=resident.household,
        reason="Buruh harian, tiga anak sekolah",
    )
    if to == DtksProposalStatus.REGISTERED:
        return proposal
    proposal = dtks_proposal_record_muskel(
        actor=StaffFactory(role=Role.KOORDINATOR_PUSKESOS, kelurahan=kelurahan),
        proposal=proposal,
        agreed=True,
        muskel_date=dt.date(2026, 11, 20),
        muskel_reference="BA/12/MUSKEL/2026",
    )
    if to == DtksProposalStatus.AGREED:
        return proposal
    return dtks_proposal_record_verivali(
        actor=StaffFactory(role=Role.VERIFIKATOR_DINSOS),
        proposal=proposal,
        visited_on=dt.date(2026, 11, 25),
        result=VerivaliResult.DONE,
    )


def reported_move_in(
    resident: Person, *, to: Kelurahan, on: dt.date = dt.date(2026, 11, 20)
) -> PopulationChange:
    """Dukcapil reports the resident moved into `to`; the hourly job has run."""
    population_changes_record(
        changes=[
            {
                "kind": PopulationChange.Kind.MOVE_IN,
                "nik": resident.nik,
                "event_date": on,
                "region_code": to.code,
            }
        ]
    )
    run_job(name="population_changes_apply")
    return PopulationChange.objects.filter(nik=resident.nik).latest("id")


def name_index_left_to_build(name: str = "person_name_trgm_knn") -> DeferredIndex:
    """A name-search index a bulk DTKS import left for after its commit, not built
    yet (registry.services.dtks_bulk)."""
    return DeferredIndex.objects.create(
        table="registry_person",
        name=name,
        definition=f"CREATE INDEX IF NOT EXISTS {name} ON registry_person",
    )
