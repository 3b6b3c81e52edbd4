"""Reads of the DTKS proposals (usulan DTKS), always scoped to the actor."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, Q, QuerySet

from core.identity import number_typed
from core.scoping import get_for_actor_or_404
from core.workflow import states_waiting_on
from registry.models import (
    OPEN_PROPOSAL_STATES,
    DtksProposal,
    DtksProposalStatus,
    Household,
    Person,
)
from registry.selectors import Actor, members_as_listed
from registry.services.proposals import MUSKEL_ROLES, SENDER_ROLES, VERIVALI_ROLES

# Sent proposals wait on the next national snapshot, not on anyone here.
PROPOSAL_WAITS_ON = {
    DtksProposalStatus.REGISTERED: MUSKEL_ROLES,
    DtksProposalStatus.AGREED: VERIVALI_ROLES,
    DtksProposalStatus.VERIFIED: SENDER_ROLES,
}


def proposal_list_for_actor(actor: Actor) -> QuerySet[DtksProposal]:
    return DtksProposal.objects.for_actor(actor).select_related(
        "household", "kelurahan"
    )


def proposal_waiting(actor: Actor) -> QuerySet[DtksProposal]:
    states = states_waiting_on(getattr(actor, "role", ""), PROPOSAL_WAITS_ON)
    return proposal_list_for_actor(actor).filter(status__in=states)


def proposal_waiting_count(actor: Actor) -> int:
    # An empty list of states runs no query at all.
    return proposal_waiting(actor).count()


def proposal_search_for_actor(actor: Actor, query: str) -> QuerySet[DtksProposal]:
    """Proposals whose household's KK number, or a member's NIK or name, matches."""
    text = " ".join(query.split())
    # From the proposals (few) to their members, not from the whole registry.
    if number := number_typed(text):
        matches = Q(household__kk_number=number) | Q(household__members__nik=number)
    else:
        matches = Q(household__members__name__icontains=text)
    return proposal_list_for_actor(actor).filter(matches).distinct()


def proposal_get_for_actor(actor: Actor, public_id: object) -> DtksProposal:
    proposal: DtksProposal = get_for_actor_or_404(
        DtksProposal.objects.select_related(
            "household", "kelurahan", "created_by"
        ).prefetch_related(
            Prefetch("household__members", queryset=members_as_listed())
        ),
        actor,
        public_id=public_id,
    )
    return proposal


def proposals_of(household: Household) -> list[DtksProposal]:
    return list(household.dtks_proposals.order_by("-created_at"))


def open_proposal_of(household_id: int | None) -> DtksProposal | None:
    """The household's proposal for DTKS still on its way, if any."""
    if household_id is None:
        return None
    return (
        DtksProposal.objects.filter(
            household_id=household_id, status__in=OPEN_PROPOSAL_STATES
        )
        .order_by("-created_at")
        .first()
    )


def household_may_be_proposed(
    household: Household, proposals: list[DtksProposal]
) -> bool:
    """No proposal of it still open and no member active in DTKS, read from the
    household as its page lists it (members with their DTKS status fetched) and its
    proposals (`proposals_of`); the service checks again when it registers one."""
    if any(p.status in OPEN_PROPOSAL_STATES for p in proposals):
        return False
    return not any(
        getattr(member, "dtks", None) is not None and member.dtks.active
        for member in household.members.all()
    )


def proposals_to_send(actor: Actor) -> QuerySet[DtksProposal]:
    """Verified proposals, ready for the centre, oldest first."""
    return (
        proposal_list_for_actor(actor)
        .filter(status=DtksProposalStatus.VERIFIED)
        .order_by("created_at", "pk")
    )


# By name, by address: one row per living member, as SIKS-NG's proposal upload
# takes it [U: the exact column layout of the upload template changes between
# versions; this is the verivali form's Blok I and IV core].
EXPORT_COLUMNS = [
    "kode_kelurahan",
    "kelurahan",
    "alamat",
    "rt",
    "rw",
    "no_kk",
    "nik",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "hubungan_keluarga",
    "pekerjaan",
    "disabilitas",
    "tanggal_muskel",
    "nomor_berita_acara",
    "tanggal_verivali",
]


def proposal_export_rows(actor: Actor) -> Iterator[list[str]]:
    living = Prefetch(
        "household__members",
        queryset=Person.objects.filter(is_deceased=False).order_by(
            "relationship", "birth_date", "pk"
        ),
    )
    for proposal in proposals_to_send(actor).prefetch_related(living):
        household = proposal.household
        for person in household.members.all():
            yield [
                household.kelurahan_id or "",
                proposal.kelurahan.name,
                household.address,
                household.rt,
                household.rw,
                household.kk_number or "",
                person.nik or "",
                person.name,
                person.birth_place,
                f"{person.birth_date:%d-%m-%Y}" if person.birth_date else "",
                person.sex,
                person.relationship,
                person.occupation,
                person.disability,
                f"{proposal.muskel_date:%d-%m-%Y}" if proposal.muskel_date else "",
                proposal.muskel_reference,
                f"{proposal.verivali_date:%d-%m-%Y}" if proposal.verivali_date else "",
            ]
