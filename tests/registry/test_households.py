from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import ApplicationError, ConcurrentEditError
from registry.models import (
    HouseholdKkNumber,
    HouseholdMembership,
    Person,
    Relationship,
    Sex,
)
from registry.services.households import (
    household_change_kk,
    household_update,
    person_move,
    person_update,
)
from tests.factories.registry import household, make_kk, make_nik, person

pytestmark = pytest.mark.django_db


def test_person_is_created_in_household_with_open_membership(kelurahan_a, operator_a):
    siti = person(kelurahan=kelurahan_a, actor=operator_a)

    membership = HouseholdMembership.objects.get(person=siti)
    assert membership.left_on is None
    assert siti.kelurahan_id == kelurahan_a.pk
    assert siti.name_search == "siti aminah"


def test_operator_cannot_create_household_in_another_kelurahan(kelurahan_b, operator_a):
    with pytest.raises(ApplicationError, match="kelurahan Anda sendiri"):
        household(kelurahan=kelurahan_b, actor=operator_a)


def test_duplicate_nik_is_refused_with_indonesian_message(kelurahan_a, operator_a):
    nik = make_nik()
    person(kelurahan=kelurahan_a, actor=operator_a, nik=nik)

    with pytest.raises(ApplicationError, match="NIK ini sudah terdaftar"):
        person(kelurahan=kelurahan_a, actor=operator_a, nik=nik)


def test_person_without_nik_is_allowed_and_many_can_exist(kelurahan_a, operator_a):
    person(kelurahan=kelurahan_a, actor=operator_a, nik=None)
    person(kelurahan=kelurahan_a, actor=operator_a, nik=None)

    assert Person.objects.filter(nik__isnull=True).count() == 2


def test_second_head_of_household_is_refused(kelurahan_a, operator_a):
    home = household(kelurahan=kelurahan_a, actor=operator_a)
    person(in_household=home, actor=operator_a)

    with pytest.raises(ApplicationError, match="sudah memiliki kepala keluarga"):
        person(in_household=home, actor=operator_a, name="Budi", sex=Sex.MALE)


def test_invalid_kk_is_refused(kelurahan_a, operator_a):
    with pytest.raises(ApplicationError, match="16 digit"):
        household(kelurahan=kelurahan_a, actor=operator_a, kk_number="12345")


def test_stale_household_save_is_refused_and_nothing_overwritten(
    kelurahan_a, operator_a
):
    home = household(kelurahan=kelurahan_a, actor=operator_a, address="Jl. Lama")
    seen_version = home.version
    household_update(
        actor=operator_a, household=home, version=seen_version, address="Jl. A"
    )

    with pytest.raises(ConcurrentEditError, match="sudah diubah oleh petugas lain"):
        household_update(
            actor=operator_a, household=home, version=seen_version, address="Jl. B"
        )

    home.refresh_from_db()
    assert home.address == "Jl. A"


def test_stale_person_save_is_refused(kelurahan_a, operator_a):
    siti = person(kelurahan=kelurahan_a, actor=operator_a)
    person_update(actor=operator_a, person=siti, version=1, occupation="Pedagang")

    with pytest.raises(ConcurrentEditError):
        person_update(actor=operator_a, person=siti, version=1, occupation="Buruh")

    siti.refresh_from_db()
    assert siti.occupation == "Pedagang"


def test_kk_change_keeps_the_old_number_in_history(kelurahan_a, operator_a):
    home = household(kelurahan=kelurahan_a, actor=operator_a)
    old = home.kk_number
    new = make_kk()

    household_change_kk(
        actor=operator_a,
        household=home,
        version=home.version,
        kk_number=new,
        reason=HouseholdKkNumber.Reason.SPLIT,
        valid_from=dt.date(2026, 11, 1),
    )

    history = list(home.kk_history.order_by("id").values_list("kk_number", "valid_to"))
    assert history == [(old, dt.date(2026, 11, 1)), (new, None)]


def test_move_closes_old_membership_and_opens_new(kelurahan_a, kelurahan_b, operator_b):
    siti = person(kelurahan=kelurahan_a)
    new_home = household(kelurahan=kelurahan_b, actor=operator_b)

    moved = person_move(
        actor=operator_b,
        person=siti,
        version=siti.version,
        to_household=new_home,
        relationship=Relationship.OTHER_RELATIVE,
    )

    assert moved.kelurahan_id == kelurahan_b.pk
    memberships = list(
        siti.memberships.order_by("id").values_list("household_id", "left_on")
    )
    assert memberships[0][1] is not None
    assert memberships[1] == (new_home.pk, None)


def test_person_changes_are_audited_with_actor(kelurahan_a, operator_a):
    import pghistory.models

    siti = person(kelurahan=kelurahan_a, actor=operator_a)
    person_update(actor=operator_a, person=siti, version=1, occupation="Pedagang")

    events = pghistory.models.Events.objects.filter(
        pgh_model="registry.PersonEvent", pgh_obj_id=str(siti.pk)
    ).order_by("pgh_id")
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events.last().pgh_data["occupation"] == "Pedagang"
    assert events.last().pgh_context["user"] == operator_a.pk


def test_history_of_a_move_records_both_kelurahan(kelurahan_a, kelurahan_b, operator_b):
    """The event tables keep their copy of the kelurahan (unindexed: no query looks
    history up by area)."""
    from registry.models import PersonEvent

    siti = person(kelurahan=kelurahan_a)
    person_move(
        actor=operator_b,
        person=siti,
        version=siti.version,
        to_household=household(kelurahan=kelurahan_b, actor=operator_b),
        relationship=Relationship.OTHER_RELATIVE,
    )

    recorded = PersonEvent.objects.filter(pgh_obj=siti).order_by("pgh_id")
    assert list(recorded.values_list("kelurahan_id", flat=True)) == [
        kelurahan_a.pk,
        kelurahan_b.pk,
    ]
