"""Pindah datang: residents registered in another kelurahan of the city arrive at
this one. The receiving counter records it (the family stands before it with the
letter of moving, SKPWNI): the origin kelurahan is never asked to do anything, and
the records follow the family instead of being registered a second time.

What stays where it was made: an SKTM issued or being processed by the origin
kelurahan, BPJS applications submitted there and Puskesos cases filed there are that
kelurahan's acts. What follows the family: its members' scope (the new kelurahan
sees them, the old one no longer does) and an open DTKS proposal, which the new
kelurahan carries on (a proposal already sent to the ministry stays valid, and one
waiting for a musyawarah is heard by the new kelurahan's).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ApplicationError
from core.identity import normalize_number
from core.models import Kelurahan, User
from registry.models import (
    DtksProposal,
    Household,
    HouseholdKkNumber,
    HouseholdMembership,
    Person,
    PopulationChange,
    Relationship,
)
from registry.models.proposals import OPEN_PROPOSAL_STATES
from registry.services.households import (
    check_actor_area,
    full_clean,
    household_create,
    lock_current,
    person_move,
    record_kk_number,
    settle_reported_moves,
)


@transaction.atomic
def household_move_in(
    *,
    actor: User,
    household: Household,
    version: int,
    kelurahan: Kelurahan,
    kk_number: str | None,
    rt: str,
    rw: str,
    address: str,
    moved_on: dt.date | None = None,
) -> Household:
    """The whole family moves to `kelurahan`: the household keeps its identity and
    history, with its new address and, when Dukcapil issued one, its new KK number."""
    check_actor_area(actor, kelurahan.pk)
    current: Household = lock_current(Household, household.pk, version)
    if current.kelurahan_id == kelurahan.pk:
        raise ApplicationError(_("Keluarga ini sudah tercatat di kelurahan ini."))
    moved_on = moved_on or timezone.localdate()
    new_kk = normalize_number(kk_number) or None
    kk_changes = new_kk is not None and new_kk != current.kk_number
    if kk_changes:
        current.kk_number = new_kk
    current.kelurahan = kelurahan
    current.rt, current.rw, current.address = rt, rw, address
    current.version += 1
    current.updated_at = timezone.now()
    full_clean(current)
    with actor_context(actor):
        if kk_changes:
            record_kk_number(
                current, reason=HouseholdKkNumber.Reason.MOVE, valid_from=moved_on
            )
        current.save()
        # Every member, the deceased too: they stay part of the family's record.
        # Their versions move on, so an edit opened at the old kelurahan is refused.
        Person.objects.filter(household=current).update(
            kelurahan=kelurahan, version=F("version") + 1, updated_at=timezone.now()
        )
        DtksProposal.objects.filter(
            household=current, status__in=OPEN_PROPOSAL_STATES
        ).update(kelurahan=kelurahan)
        settle_reported_moves(
            Person.objects.filter(household=current).values_list("nik", flat=True),
            kelurahan_id=kelurahan.pk,
            actor=actor,
        )
    return current


@transaction.atomic
def person_move_in(
    *,
    actor: User,
    person: Person,
    version: int,
    kelurahan: Kelurahan,
    join_kk_number: str | None = None,
    relationship: str = "",
    new_kk_number: str | None = None,
    rt: str = "",
    rw: str = "",
    address: str = "",
    moved_on: dt.date | None = None,
) -> Household:
    """One resident moves to `kelurahan` alone: into a family registered there
    (`join_kk_number`, with their `relationship` in it) or heading a new one
    (`new_kk_number` may come later, when Dukcapil issues it). Returns the family."""
    check_actor_area(actor, kelurahan.pk)
    if person.kelurahan_id == kelurahan.pk:
        raise ApplicationError(_("Penduduk ini sudah tercatat di kelurahan ini."))
    if join_kk_number:
        household = Household.objects.filter(
            kelurahan=kelurahan, kk_number=normalize_number(join_kk_number)
        ).first()
        if household is None:
            raise ApplicationError(
                _("Tidak ada keluarga dengan nomor KK ini di kelurahan tujuan."),
                field="kk_number",
            )
        move_relationship = relationship or Relationship.OTHER_RELATIVE
    else:
        household = household_create(
            actor=actor,
            kelurahan=kelurahan,
            kk_number=new_kk_number,
            rt=rt,
            rw=rw,
            address=address,
            kk_reason=HouseholdKkNumber.Reason.MOVE,
        )
        move_relationship = Relationship.HEAD
    person_move(
        actor=actor,
        person=person,
        version=version,
        to_household=household,
        relationship=move_relationship,
        reason=HouseholdMembership.Reason.MOVE_IN,
        leave_reason=HouseholdMembership.Reason.MOVE_OUT,
        moved_on=moved_on,
    )
    return household


@transaction.atomic
def reported_move_dismiss(
    *, actor: User, change: PopulationChange, note: str
) -> PopulationChange:
    """The receiving counter could not find a resident Dukcapil reported moving into
    its kelurahan (nobody of that NIK lives at any address it knows): the report is
    closed with who and why, for Dinsos to take up with Dukcapil."""
    note = " ".join(note.split())
    if not note:
        raise ApplicationError(_("Tuliskan alasannya."), field="note")
    current = PopulationChange.objects.select_for_update().get(pk=change.pk)
    if current.status != PopulationChange.Status.WAITING_FOR_COUNTER:
        raise ApplicationError(_("Laporan pindah ini sudah tidak menunggu."))
    check_actor_area(actor, current.destination_id)
    current.status = PopulationChange.Status.NOT_FOUND
    current.applied_at = timezone.now()
    current.handled_by = actor
    current.handled_note = note[:255]
    current.save(update_fields=["status", "applied_at", "handled_by", "handled_note"])
    return current
