"""Reads about DTKS status: a snapshot's reach, and who it took out."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from core.models import Kelurahan
from registry.models import DtksEntry, DtksImportBatch, DtksProposal, Person, Sktm
from registry.models.proposals import OPEN_PROPOSAL_STATES
from registry.models.sktm import SktmStatus
from registry.selectors import Actor


def dtks_absent_kelurahan(batch: DtksImportBatch) -> list[Kelurahan]:
    """The kelurahan none of whose persons in DTKS the batch's file lists."""
    if not batch.kelurahan_absent:
        return []
    return list(
        Kelurahan.objects.filter(code__in=batch.kelurahan_absent).select_related(
            "kecamatan"
        )
    )


def dtks_leavers_for_actor(actor: Actor) -> QuerySet[Person]:
    """Living persons in the actor's area whom a DTKS snapshot took out and who are
    still out, the latest first, each with what already follows them up: an issued
    SKTM that counts for gakin and is still valid, an open usulan DTKS of their
    household. The counter's list to call them back from."""
    today = timezone.localdate()
    valid_sktm = Sktm.objects.filter(
        person=OuterRef("pk"),
        status=SktmStatus.ISSUED,
        valid_until__gte=today,
        purpose__counts_for_gakin=True,
    )
    open_proposal = DtksProposal.objects.filter(
        household=OuterRef("household"), status__in=OPEN_PROPOSAL_STATES
    )
    return (
        Person.objects.for_actor(actor)
        .filter(
            is_deceased=False,
            dtks__active=False,
            dtks__deactivation_reason=DtksEntry.DeactivationReason.ABSENT,
        )
        .select_related("dtks", "kelurahan", "household")
        .annotate(
            has_valid_sktm=Exists(valid_sktm), has_open_proposal=Exists(open_proposal)
        )
        .order_by("-dtks__inactive_since", "name", "pk")
    )
