"""A family over time through the operator's pages: a new KK number, a member
moving to another household, a member splitting off (pecah KK)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from registry.models import (
    Household,
    HouseholdKkNumber,
    HouseholdMembership,
    Relationship,
)
from registry.services.households import person_move, person_split_off
from tests.factories.registry import household, make_kk, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def son(kelurahan_a, operator_a):
    home = household(kelurahan=kelurahan_a, actor=operator_a, rt="003", rw="001")
    person(in_household=home, actor=operator_a, name="Bapak Kepala")
    return person(
        in_household=home,
        actor=operator_a,
        name="Andi Saputra",
        sex="L",
        birth=dt.date(1998, 3, 4),
        relationship=Relationship.CHILD,
    )


def test_splitting_off_makes_the_person_head_of_a_new_household(son, operator_a):
    old_home = son.household
    new_kk = make_kk()

    new_home = person_split_off(
        actor=operator_a,
        person=son,
        version=son.version,
        kk_number=new_kk,
        rt="005",
        rw="002",
        address="Jl. Baru No. 2",
        moved_on=dt.date(2026, 11, 30),
    )

    son.refresh_from_db()
    assert son.household == new_home
    assert son.relationship == Relationship.HEAD
    assert new_home.kk_history.get().reason == HouseholdKkNumber.Reason.SPLIT
    memberships = list(
        son.memberships.order_by("id").values_list(
            "household_id", "left_on", "join_reason"
        )
    )
    assert memberships == [
        (old_home.pk, dt.date(2026, 11, 30), HouseholdMembership.Reason.FIRST),
        (new_home.pk, None, HouseholdMembership.Reason.SPLIT),
    ]


def test_a_split_with_a_stale_version_changes_nothing(son, operator_a):
    before = Household.objects.count()

    with pytest.raises(ApplicationError, match="sudah diubah oleh petugas lain"):
        person_split_off(
            actor=operator_a, person=son, version=son.version - 1, kk_number=None
        )

    assert Household.objects.count() == before
    son.refresh_from_db()
    assert son.memberships.filter(left_on__isnull=True).count() == 1


def test_moving_into_ones_own_household_is_refused(son, operator_a):
    with pytest.raises(ApplicationError, match="sudah menjadi anggota"):
        person_move(
            actor=operator_a,
            person=son,
            version=son.version,
            to_household=son.household,
        )


def test_the_operator_moves_a_member_into_another_household_by_its_kk(
    client, kelurahan_a, operator_a, son
):
    wife_home = household(kelurahan=kelurahan_a, actor=operator_a)
    client.force_login(operator_a)

    response = client.post(
        reverse("registry:person_move", args=[son.public_id]),
        {
            "version": son.version,
            "destination": "ada",
            "kk_number": wife_home.kk_number,
            "relationship": Relationship.HUSBAND,
            "reason": HouseholdMembership.Reason.MARRIAGE,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "registry:household_detail", args=[wife_home.public_id]
    )
    son.refresh_from_db()
    assert son.household == wife_home
    assert son.relationship == Relationship.HUSBAND


def test_the_operator_splits_a_member_off_from_the_person_page(client, operator_a, son):
    client.force_login(operator_a)
    page = client.get(reverse("registry:person_detail", args=[son.public_id]))
    move = reverse("registry:person_move", args=[son.public_id])
    assert move in page.content.decode()

    client.post(
        move,
        {
            "version": son.version,
            "destination": "baru",
            "kk_number": "",
            "rt": "005",
            "rw": "002",
            "address": "Jl. Baru No. 2",
        },
    )

    son.refresh_from_db()
    assert son.relationship == Relationship.HEAD
    assert son.household.kk_number is None
    assert son.household.address == "Jl. Baru No. 2"


def test_a_kk_of_another_kelurahan_is_not_found_and_says_who_records_it(
    client, kelurahan_b, operator_a, operator_b, son
):
    elsewhere = household(kelurahan=kelurahan_b, actor=operator_b)
    client.force_login(operator_a)

    response = client.post(
        reverse("registry:person_move", args=[son.public_id]),
        {
            "version": son.version,
            "destination": "ada",
            "kk_number": elsewhere.kk_number,
            "relationship": Relationship.OTHER_RELATIVE,
            "reason": HouseholdMembership.Reason.MOVE_IN,
        },
    )

    assert response.status_code == 200
    assert "dicatat oleh kelurahan tujuan (Pindah datang)" in (
        response.content.decode()
    )
    son.refresh_from_db()
    assert son.household != elsewhere


def test_moving_into_an_existing_household_needs_its_kk_and_the_relationship(
    client, operator_a, son
):
    client.force_login(operator_a)

    response = client.post(
        reverse("registry:person_move", args=[son.public_id]),
        {"version": son.version, "destination": "ada"},
    )

    form = response.context["form"]
    assert set(form.errors) == {"kk_number", "relationship", "reason"}


def test_the_operator_records_a_new_kk_number_from_the_household_page(
    client, operator_a, son
):
    home = son.household
    old = home.kk_number
    new = make_kk()
    client.force_login(operator_a)

    client.post(
        reverse("registry:household_change_kk", args=[home.public_id]),
        {
            "version": home.version,
            "kk_number": new,
            "reason": HouseholdKkNumber.Reason.REISSUE,
        },
    )

    home.refresh_from_db()
    assert home.kk_number == new
    assert list(home.kk_history.order_by("id").values_list("kk_number", flat=True)) == [
        old,
        new,
    ]


def test_a_mangled_kk_number_is_refused_with_the_reason(client, operator_a, son):
    home = son.household
    client.force_login(operator_a)

    response = client.post(
        reverse("registry:household_change_kk", args=[home.public_id]),
        {"version": home.version, "kk_number": "6.47101E+15", "reason": "koreksi"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["kk_number"]
    home.refresh_from_db()
    assert home.kk_history.count() == 1


def test_a_koordinator_of_another_kelurahan_cannot_open_the_move_page(
    client, kelurahan_b, son
):
    from core.roles import Role
    from tests.factories.core import StaffFactory

    client.force_login(
        StaffFactory(role=Role.KOORDINATOR_PUSKESOS, kelurahan=kelurahan_b)
    )

    response = client.get(reverse("registry:person_move", args=[son.public_id]))

    assert response.status_code == 404


def test_the_move_form_makes_the_relationship_a_choice_not_a_default(
    client, operator_a, son
):
    client.force_login(operator_a)

    page = client.get(reverse("registry:person_move", args=[son.public_id]))

    select = page.content.decode().split('name="relationship"')[1].split("</select>")[0]
    assert '<option value="" selected>— pilih —</option>' in select
