from __future__ import annotations

from django.db.models import Count, QuerySet

from bpjs.models import Application, Coverage, ProposalBatch, RemovalProposal, Segment
from core.models import User
from core.scoping import get_for_actor_or_404


def application_list_for_actor(actor: User) -> QuerySet[Application]:
    return Application.objects.for_actor(actor).select_related(
        "person", "kelurahan", "facility"
    )


def application_get_for_actor(actor: User, public_id: object) -> Application:
    application: Application = get_for_actor_or_404(
        Application.objects.select_related(
            "person", "household", "kelurahan", "facility", "batch"
        ),
        actor,
        public_id=public_id,
    )
    return application


def application_counts_by_status(actor: User) -> dict[str, int]:
    rows = Application.objects.for_actor(actor).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def batch_get_for_actor(actor: User, public_id: object) -> ProposalBatch:
    batch: ProposalBatch = get_for_actor_or_404(
        ProposalBatch.objects.all(), actor, public_id=public_id
    )
    return batch


def removal_list_for_actor(actor: User) -> QuerySet[RemovalProposal]:
    return RemovalProposal.objects.for_actor(actor).select_related(
        "coverage__person__kelurahan"
    )


def removal_get_for_actor(actor: User, public_id: object) -> RemovalProposal:
    proposal: RemovalProposal = get_for_actor_or_404(
        RemovalProposal.objects.select_related("coverage__person"),
        actor,
        public_id=public_id,
    )
    return proposal


def active_coverage(person_id: int) -> Coverage | None:
    return Coverage.objects.filter(person_id=person_id, active=True).first()


def participants_for_actor(actor: User) -> QuerySet[Coverage]:
    return (
        Coverage.objects.for_actor(actor)
        .filter(segment=Segment.PBPU_PEMDA, active=True)
        .select_related("person__kelurahan")
    )
