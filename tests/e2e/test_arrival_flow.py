"""A family registered in one kelurahan moves to another: the receiving counter
finds it on the letter of moving and records the arrival; the family's records are
then the new kelurahan's and no longer the old one's."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.models import Relationship
from tests.factories.registry import person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_receiving_counter_moves_a_whole_family_in(
    live_server, login, page, console_errors, operator_a, operator_b, kelurahan_a
):
    head = person(kelurahan=kelurahan_a, name="Bapak Pendatang", sex="L")
    person(
        in_household=head.household,
        name="Ibu Pendatang",
        relationship=Relationship.WIFE,
        birth=dt.date(1987, 3, 12),
    )

    login(operator_b)
    page.get_by_role("button", name="Registri").click()
    page.get_by_role("link", name="Pindah datang", exact=True).click()
    page.fill("input[name=nik]", head.nik)
    page.fill("input[name=origin_kk]", head.household.kk_number)
    page.get_by_role("button", name="Cari").click()
    page.get_by_text("Ibu Pendatang").wait_for()
    assert head.nik not in page.url
    page.get_by_label("Seluruh keluarga").check()
    page.fill("input[name=rt]", "007")
    page.fill("input[name=rw]", "004")
    page.fill("input[name=address]", "Jl. Baru No. 7")
    page.get_by_role("button", name="Simpan pindah datang").click()
    page.wait_for_url("**/registry/keluarga/*/")
    household_page = page.url
    assert "Pindah datang tercatat" in page.locator("main").inner_text()
    assert "Jl. Baru No. 7 RT 007/RW 004" in page.locator("main").inner_text()
    assert console_errors == []

    page.context.clear_cookies()
    login(operator_a)
    assert page.goto(household_page).status == 404
