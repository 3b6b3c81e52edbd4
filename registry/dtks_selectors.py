"""Reads about DTKS status: a snapshot's reach, and who it took out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from core.models import Kelurahan
from registry.models import (
    DtksEntry,
    DtksImportBatch,
    DtksLeaverContact,
    DtksProposal,
    Person,
    Sktm,
)
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


def _still_out_q(person: str = "") -> Q:
    """Living persons a DTKS snapshot took out and who are still out; `person`: the
    path to the person from the model filtered ("person__" from a call)."""
    return Q(
        **{
            f"{person}is_deceased": False,
            f"{person}dtks__active": False,
            f"{person}dtks__deactivation_reason": DtksEntry.DeactivationReason.ABSENT,
        }
    )


def _still_out(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.filter(_still_out_q())


def _calls_about_this_departure() -> QuerySet[DtksLeaverContact]:
    """The calls about the outer person's latest departure from DTKS."""
    return DtksLeaverContact.objects.filter(
        person=OuterRef("pk"), left_on=OuterRef("dtks__inactive_since")
    )


def _reached() -> Exists:
    return Exists(
        _calls_about_this_departure().filter(outcome=DtksLeaverContact.Outcome.REACHED)
    )


def dtks_leavers_for_actor(
    actor: Actor,
    *,
    not_reached_only: bool = False,
    kelurahan_id: str | None = None,
    kecamatan_id: str | None = None,
) -> QuerySet[Person]:
    """Living persons in the actor's area whom a DTKS snapshot took out and who are
    still out, the latest departure first: the counter's list to call them back
    from. `not_reached_only` leaves out those a call reached, and `kelurahan_id` /
    `kecamatan_id` narrow a city-wide list to one kelurahan or one kecamatan (never
    widen the actor's area). What already follows each of them up is read for a
    page's rows by `with_follow_ups`."""
    people = Person.objects.for_actor(actor)
    if kelurahan_id:
        people = people.filter(kelurahan_id=kelurahan_id)
    if kecamatan_id:
        people = people.filter(kelurahan__kecamatan_id=kecamatan_id)
    leavers = (
        _still_out(people)
        .select_related("dtks", "kelurahan", "household")
        # The order of `dtks_entry_left_order`, which a page walks and leaves after
        # its rows (by name within a period: a sort of everyone out, 3.3 s at 1M).
        .order_by("-dtks__inactive_since", "pk")
    )
    if not_reached_only:
        leavers = leavers.exclude(_reached())
    return leavers


def with_follow_ups(leavers: Iterable[Person]) -> list[Person]:
    """A page's leavers, each with what already follows them up: `has_valid_sktm`
    (an issued SKTM that counts for gakin and is still valid), `has_open_proposal`
    (an open usulan DTKS of their household), `household_may_be_proposed` (none
    open, nobody of it still in DTKS: as the household page decides) and
    `latest_contact` (the counter's latest call about this departure, or None).
    Read for the page's rows only, in two queries: asked of the whole list, the
    household check was planned as a hash of every active entry (1.5 s at 5M)."""
    rows = list(leavers)
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
    household_in_dtks = DtksEntry.objects.filter(
        person__household=OuterRef("household"), active=True
    )
    follow_ups = {
        row["pk"]: row
        for row in Person.objects.filter(pk__in=[p.pk for p in rows])
        .annotate(
            has_valid_sktm=Exists(valid_sktm),
            has_open_proposal=Exists(open_proposal),
            household_may_be_proposed=ExpressionWrapper(
                Q(household__isnull=False)
                & ~Q(Exists(open_proposal))
                & ~Q(Exists(household_in_dtks)),
                output_field=BooleanField(),
            ),
            latest_contact_id=Subquery(
                _calls_about_this_departure()
                .order_by("-contacted_at", "-id")
                .values("pk")[:1]
            ),
        )
        .values(
            "pk",
            "has_valid_sktm",
            "has_open_proposal",
            "household_may_be_proposed",
            "latest_contact_id",
        )
    }
    contacts = DtksLeaverContact.objects.select_related("contacted_by").in_bulk(
        [
            row["latest_contact_id"]
            for row in follow_ups.values()
            if row["latest_contact_id"]
        ]
    )
    # A person erased between the two queries leaves the page.
    rows = [person for person in rows if person.pk in follow_ups]
    for person in rows:
        row = follow_ups[person.pk]
        person.has_valid_sktm = row["has_valid_sktm"]  # type: ignore[attr-defined]
        person.has_open_proposal = row["has_open_proposal"]  # type: ignore[attr-defined]
        person.household_may_be_proposed = row["household_may_be_proposed"]  # type: ignore[attr-defined]
        person.latest_contact = contacts.get(row["latest_contact_id"])  # type: ignore[attr-defined]
    return rows


def dtks_still_out_by_kelurahan() -> dict[str, int]:
    """Residents a snapshot took out who are still out, per kelurahan code: one
    grouped pass over the inactive entries (`dtks_entry_inactive`). It reads every
    one of them (5M persons with 1M out: 2.1 s), so the dashboard keeps it
    (registry.dashboard)."""
    rows = (
        _still_out(Person.objects.all())
        .values("kelurahan_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["kelurahan_id"]: row["n"] for row in rows}


def dtks_leavers_reached(*, kelurahan_ids: list[str] | None = None) -> int:
    """How many of those still out a call about this departure has reached; read
    from the calls (a counter's few thousand), never from every entry."""
    calls = DtksLeaverContact.objects.filter(
        _still_out_q("person__"),
        outcome=DtksLeaverContact.Outcome.REACHED,
        left_on=F("person__dtks__inactive_since"),
    )
    if kelurahan_ids is not None:
        calls = calls.filter(person__kelurahan_id__in=kelurahan_ids)
    return calls.values("person_id").distinct().count()


@dataclass(frozen=True)
class LeaverCounts:
    still_out: int
    not_reached: int


def dtks_leaver_counts(
    *,
    kelurahan_ids: list[str] | None = None,
    still_out_by_kelurahan: Mapping[str, int] | None = None,
) -> LeaverCounts:
    """The supervisors' figures of the lists: residents a snapshot took out who are
    still out, and those of them no call about this departure has reached; city-wide
    or for the kelurahan given. `still_out_by_kelurahan`: a kept copy of
    `dtks_still_out_by_kelurahan()`; the calls are always read afresh."""
    if still_out_by_kelurahan is None:
        still_out_by_kelurahan = dtks_still_out_by_kelurahan()
    still_out = sum(
        count
        for code, count in still_out_by_kelurahan.items()
        if kelurahan_ids is None or code in kelurahan_ids
    )
    reached = dtks_leavers_reached(kelurahan_ids=kelurahan_ids)
    # A kept copy may miss a death or a move for a few minutes: never below zero.
    return LeaverCounts(still_out=still_out, not_reached=max(still_out - reached, 0))
