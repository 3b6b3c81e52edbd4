"""Writes to households and persons. Every function runs in one transaction, records
the actor in the audit trail and refuses a save based on a stale version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ApplicationError, ConcurrentEditError
from core.identity import normalize_number
from core.models import Kelurahan, User
from core.roles import KELURAHAN_BOUND_ROLES
from registry.models import (
    Household,
    HouseholdKkNumber,
    HouseholdMembership,
    Person,
    PopulationChange,
    Relationship,
)
from registry.names import normalize_name

HOUSEHOLD_FIELDS = ("rt", "rw", "address")
PERSON_FIELDS = (
    "nik",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "relationship",
    "marital_status",
    "occupation",
    "formally_employed",
    "disability",
    "is_deceased",
    "deceased_on",
    "domicile_status",
    "phone",
)


def check_actor_area(actor: User, kelurahan_id: str | None) -> None:
    if actor.role in KELURAHAN_BOUND_ROLES and actor.kelurahan_id != kelurahan_id:
        raise ApplicationError(
            _("Anda hanya dapat mengubah data kelurahan Anda sendiri.")
        )


def full_clean(obj: Person | Household, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        messages = [m for msgs in exc.message_dict.values() for m in msgs]
        field = next(iter(exc.message_dict), None)
        raise ApplicationError(" ".join(messages), field=field) from exc


def lock_current(model: type[Household] | type[Person], pk: int, version: int) -> Any:
    current = model.objects.select_for_update().get(pk=pk)
    if current.version != version:
        raise ConcurrentEditError(
            _(
                "Data ini sudah diubah oleh petugas lain setelah Anda membukanya. "
                "Muat ulang halaman untuk melihat perubahan terbaru, lalu ulangi."
            )
        )
    return current


@transaction.atomic
def household_create(
    *,
    actor: User,
    kelurahan: Kelurahan,
    kk_number: str | None,
    rt: str = "",
    rw: str = "",
    address: str = "",
    kk_reason: str = HouseholdKkNumber.Reason.FIRST,
) -> Household:
    check_actor_area(actor, kelurahan.pk)
    kk = normalize_number(kk_number) or None
    household = Household(
        kelurahan=kelurahan, kk_number=kk, rt=rt, rw=rw, address=address
    )
    full_clean(household)
    with actor_context(actor):
        household.save()
        if kk:
            HouseholdKkNumber.objects.create(
                household=household, kk_number=kk, reason=kk_reason
            )
    return household


@transaction.atomic
def household_update(
    *, actor: User, household: Household, version: int, **fields: Any
) -> Household:
    current = lock_current(Household, household.pk, version)
    check_actor_area(actor, current.kelurahan_id)
    for name in HOUSEHOLD_FIELDS:
        if name in fields:
            setattr(current, name, fields[name])
    current.version += 1
    current.updated_at = timezone.now()
    full_clean(current)
    with actor_context(actor):
        current.save()
    return current


@transaction.atomic
def household_change_kk(
    *,
    actor: User,
    household: Household,
    version: int,
    kk_number: str,
    reason: str,
    valid_from: dt.date | None = None,
) -> Household:
    """Record a new KK number (pecah KK, move, reissue), keeping the old one in history."""
    current = lock_current(Household, household.pk, version)
    check_actor_area(actor, current.kelurahan_id)
    current.kk_number = normalize_number(kk_number)
    current.version += 1
    current.updated_at = timezone.now()
    full_clean(current)
    with actor_context(actor):
        record_kk_number(
            current, reason=reason, valid_from=valid_from or timezone.localdate()
        )
        current.save()
    return current


def record_kk_number(household: Household, *, reason: str, valid_from: dt.date) -> None:
    """Close the household's current KK number in its timeline and open its new one
    (`household.kk_number`, which the caller saves)."""
    kk_number = household.kk_number
    assert kk_number, "only a KK number opens a period of the timeline"
    HouseholdKkNumber.objects.filter(household=household, valid_to__isnull=True).update(
        valid_to=valid_from
    )
    HouseholdKkNumber.objects.create(
        household=household,
        kk_number=kk_number,
        valid_from=valid_from,
        reason=reason,
    )


def _prepare_person(person: Person) -> None:
    person.nik = normalize_number(person.nik) or None
    person.name = " ".join(person.name.split())
    person.name_search = normalize_name(person.name)
    if not person.is_deceased:
        person.deceased_on = None


def _save_person(person: Person) -> None:
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        if "household_single_head" in str(exc):
            raise ApplicationError(
                _("Keluarga ini sudah memiliki kepala keluarga."), field="relationship"
            ) from exc
        if "person_unique_nik" in str(exc):
            raise ApplicationError(_("NIK ini sudah terdaftar."), field="nik") from exc
        raise


@transaction.atomic
def person_add_to_household(
    *,
    actor: User,
    household: Household,
    join_reason: str = HouseholdMembership.Reason.FIRST,
    joined_on: dt.date | None = None,
    **fields: Any,
) -> Person:
    household = Household.objects.select_for_update().get(pk=household.pk)
    check_actor_area(actor, household.kelurahan_id)
    person = Person(
        household=household,
        kelurahan_id=household.kelurahan_id,
        **{k: v for k, v in fields.items() if k in PERSON_FIELDS},
    )
    _prepare_person(person)
    full_clean(person, exclude=["household", "kelurahan"])
    with actor_context(actor):
        _save_person(person)
        HouseholdMembership.objects.create(
            person=person,
            household=household,
            relationship=person.relationship,
            joined_on=joined_on or timezone.localdate(),
            join_reason=join_reason,
        )
        settle_reported_moves(
            [person.nik], kelurahan_id=household.kelurahan_id, actor=actor
        )
    return person


@transaction.atomic
def person_update(
    *, actor: User, person: Person, version: int, **fields: Any
) -> Person:
    current = lock_current(Person, person.pk, version)
    check_actor_area(actor, current.kelurahan_id)
    nik_before = current.nik
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(current, name, fields[name])
    _prepare_person(current)
    current.version += 1
    current.updated_at = timezone.now()
    full_clean(current, exclude=["household", "kelurahan"])
    with actor_context(actor):
        _save_person(current)
        if current.nik != nik_before and current.kelurahan_id:
            settle_reported_moves(
                [current.nik], kelurahan_id=current.kelurahan_id, actor=actor
            )
        if "relationship" in fields:
            HouseholdMembership.objects.filter(
                person=current, left_on__isnull=True
            ).update(relationship=current.relationship)
    return current


@transaction.atomic
def person_move(
    *,
    actor: User,
    person: Person,
    version: int,
    to_household: Household,
    relationship: str = Relationship.OTHER_RELATIVE,
    reason: str = HouseholdMembership.Reason.MOVE_IN,
    moved_on: dt.date | None = None,
    leave_reason: str | None = None,
) -> Person:
    """Move a person to another household; the old membership is closed (with
    `leave_reason`, by default the same `reason`), not deleted."""
    current = lock_current(Person, person.pk, version)
    # The operator of the receiving kelurahan records the move.
    check_actor_area(actor, to_household.kelurahan_id)
    if current.household_id == to_household.pk:
        raise ApplicationError(_("Penduduk ini sudah menjadi anggota keluarga itu."))
    if current.is_deceased:
        raise ApplicationError(_("Penduduk tercatat telah meninggal dunia."))
    moved_on = moved_on or timezone.localdate()
    with actor_context(actor):
        HouseholdMembership.objects.filter(person=current, left_on__isnull=True).update(
            left_on=moved_on, leave_reason=leave_reason or reason
        )
        current.household = to_household
        current.kelurahan_id = to_household.kelurahan_id
        current.relationship = relationship
        current.version += 1
        current.updated_at = timezone.now()
        _save_person(current)
        HouseholdMembership.objects.create(
            person=current,
            household=to_household,
            relationship=relationship,
            joined_on=moved_on,
            join_reason=reason,
        )
        settle_reported_moves(
            [current.nik], kelurahan_id=to_household.kelurahan_id, actor=actor
        )
    return current


@transaction.atomic
def person_split_off(
    *,
    actor: User,
    person: Person,
    version: int,
    kk_number: str | None,
    rt: str = "",
    rw: str = "",
    address: str = "",
    moved_on: dt.date | None = None,
) -> Household:
    """Pecah KK: the person leaves their household and heads a new one in the same
    kelurahan (its KK number may come later, when Dukcapil issues it)."""
    if person.kelurahan is None:
        raise ApplicationError(
            _("Penduduk belum tercatat dalam keluarga di kelurahan.")
        )
    household = household_create(
        actor=actor,
        kelurahan=person.kelurahan,
        kk_number=kk_number,
        rt=rt,
        rw=rw,
        address=address,
        kk_reason=HouseholdKkNumber.Reason.SPLIT,
    )
    person_move(
        actor=actor,
        person=person,
        version=version,
        to_household=household,
        relationship=Relationship.HEAD,
        reason=HouseholdMembership.Reason.SPLIT,
        moved_on=moved_on,
    )
    return household


@transaction.atomic
def population_changes_record(*, changes: Sequence[Mapping[str, Any]]) -> int:
    """Queue deaths and moves reported by Dukcapil (`kind`, `nik`, `event_date`,
    optional `region_code` and `reference`, already validated); the hourly job
    (registry.jobs) applies them to the registry. One insert for the whole batch."""
    kelurahan_by_digits = {
        code.replace(".", ""): code
        for code in Kelurahan.objects.values_list("code", flat=True)
    }
    created = PopulationChange.objects.bulk_create(
        PopulationChange(
            kind=change["kind"],
            nik=change["nik"],
            event_date=change["event_date"],
            region_code=change.get("region_code", ""),
            destination_id=kelurahan_by_digits.get(
                normalize_number(change.get("region_code", ""))
            ),
            source_reference=change.get("reference", ""),
        )
        for change in changes
    )
    return len(created)


def settle_reported_moves(
    niks: Iterable[str | None], *, kelurahan_id: str, actor: User
) -> None:
    """Dukcapil's reports that these residents moved into the kelurahan wait no
    longer: its counter has recorded them there (a pindah datang, or a newcomer
    registered), `actor` at that counter. A report naming another kelurahan stays for
    that one's counter."""
    reported = [nik for nik in niks if nik]
    if not reported:
        return
    PopulationChange.objects.filter(
        kind=PopulationChange.Kind.MOVE_IN,
        status=PopulationChange.Status.WAITING_FOR_COUNTER,
        destination_id=kelurahan_id,
        nik__in=reported,
    ).update(
        status=PopulationChange.Status.APPLIED,
        applied_at=timezone.now(),
        handled_by=actor,
    )
