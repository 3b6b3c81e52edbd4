from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from bpjs.models import (
    Application,
    AppStatus,
    Coverage,
    ProposalBatch,
    RemovalProposal,
    RemovalStatus,
    Segment,
)
from bpjs.services.applications import SUBMITTER_ROLES, VERIFIER_ROLES
from core.identity import is_digits, number_typed
from core.models import User
from core.roles import KELURAHAN_BOUND_ROLES, SUPERVISOR_ROLES
from core.scoping import get_for_actor_or_404
from core.workflow import states_waiting_on

_KELURAHAN_SUBMITTERS = SUBMITTER_ROLES & KELURAHAN_BOUND_ROLES
# Who takes the next step. Sent back by Dinsos or the health office, the kelurahan
# mends and resubmits or cancels; an approved application waits for the health
# office's answer, which the Dinsos verifier records.
APPLICATION_WAITS_ON = {
    AppStatus.SUBMITTED: VERIFIER_ROLES,
    AppStatus.APPROVED: VERIFIER_ROLES,
    AppStatus.REJECTED: _KELURAHAN_SUBMITTERS,
    AppStatus.DKK_REJECTED: _KELURAHAN_SUBMITTERS,
}
BATCH_WAITS_ON = {ProposalBatch.Status.DRAFT: VERIFIER_ROLES}
# A notified removal waits on the citizen's objection window, then on a daily job.
REMOVAL_WAITS_ON = {
    RemovalStatus.PROPOSED: SUPERVISOR_ROLES,
    RemovalStatus.OBJECTED: SUPERVISOR_ROLES,
}


def application_waiting(actor: User) -> QuerySet[Application]:
    states = states_waiting_on(actor.role, APPLICATION_WAITS_ON)
    return application_list_for_actor(actor).filter(status__in=states)


def application_waiting_count(actor: User) -> int:
    # An empty list of states runs no query at all.
    return application_waiting(actor).count()


def batch_waiting_count(actor: User) -> int:
    states = states_waiting_on(actor.role, BATCH_WAITS_ON)
    return ProposalBatch.objects.filter(status__in=states).count()


def removal_waiting(actor: User) -> QuerySet[RemovalProposal]:
    states = states_waiting_on(actor.role, REMOVAL_WAITS_ON)
    return removal_list_for_actor(actor).filter(status__in=states)


def removal_waiting_count(actor: User) -> int:
    return removal_waiting(actor).count()


def application_list_for_actor(actor: User) -> QuerySet[Application]:
    return Application.objects.for_actor(actor).select_related(
        "person", "kelurahan", "facility"
    )


def application_search_for_actor(actor: User, query: str) -> QuerySet[Application]:
    """Applications whose person's NIK or name matches, newest first."""
    text = " ".join(query.split())
    matches = Q(person__name__icontains=text)
    if nik := number_typed(text):
        matches |= Q(person__nik=nik)
    return application_list_for_actor(actor).filter(matches)


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
    """Current PBPU Pemda participants (the city pays), newest first. An application
    stays "active" after its coverage ends; the coverage is what says who is covered."""
    return (
        Coverage.objects.for_actor(actor)
        .filter(segment=Segment.PBPU_PEMDA, active=True)
        .select_related("person__kelurahan")
        .order_by("-start_date", "-pk")
    )


def participant_search_for_actor(actor: User, query: str) -> QuerySet[Coverage]:
    """Participants whose NIK, card number or name matches."""
    text = " ".join(query.split())
    matches = Q(person__name__icontains=text)
    if number := number_typed(text):
        matches = Q(person__nik=number)
    elif is_digits(text):
        matches |= Q(card_number=text)
    return participants_for_actor(actor).filter(matches)
