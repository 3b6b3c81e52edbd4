"""The counter's list of residents a DTKS snapshot took out."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pghistory.models
import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from core.pagination import PAGE_SIZE
from registry.models import (
    DtksLeaverContact,
    DtksProposalStatus,
    Household,
    Person,
    Relationship,
)
from registry.services.dtks_leavers import dtks_leaver_record_contact
from tests.factories.registry import (
    dtks_proposal,
    in_dtks,
    issued_sktm,
    left_dtks,
    person,
)

pytestmark = pytest.mark.django_db

URL = "/registry/keluar-dtks/"


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_resident_a_snapshot_took_out_is_listed_with_the_period(
    client, operator_a, kelurahan_a
):
    left_dtks(person(kelurahan=kelurahan_a, name="Budi Keluar"))

    page = _page(client, operator_a)

    assert "Budi Keluar" in page
    assert "11-2026" in page


def test_the_counter_sees_only_its_own_kelurahan(
    client, operator_a, kelurahan_a, kelurahan_b
):
    left_dtks(person(kelurahan=kelurahan_b, name="Warga Sebelah"))

    assert "Warga Sebelah" not in _page(client, operator_a)


def test_those_still_in_dtks_or_deceased_are_not_listed(
    client, operator_a, kelurahan_a
):
    in_dtks(person(kelurahan=kelurahan_a, name="Masih Aktif"))
    deceased = person(kelurahan=kelurahan_a, name="Almarhum")
    left_dtks(deceased)
    Person.objects.filter(pk=deceased.pk).update(
        is_deceased=True, deceased_on=dt.date(2026, 10, 5)
    )

    page = _page(client, operator_a)

    assert "Masih Aktif" not in page
    assert "Almarhum" not in page


def test_a_valid_sktm_and_an_open_usulan_dtks_show_as_follow_up(
    client, operator_a, kelurahan_a
):
    with_sktm = person(kelurahan=kelurahan_a, name="Punya SKTM")
    issued_sktm(for_person=with_sktm, purpose="bpjs")
    left_dtks(with_sktm)
    proposal = dtks_proposal(kelurahan=kelurahan_a, to=DtksProposalStatus.AGREED)
    left_dtks(proposal.household.members.get())
    left_dtks(person(kelurahan=kelurahan_a, name="Belum Dihubungi"))

    page = _page(client, operator_a)

    # Each mark on its own resident's row only.
    assert page.count("SKTM berlaku") == 1
    assert page.count("Usulan DTKS berjalan") == 1
    assert page.count("Belum ada") == 1


def _sktm_request(resident: Person) -> str:
    return reverse("registry:sktm_request", args=[resident.public_id])


def _proposal_create(household: Household) -> str:
    return reverse("registry:proposal_create", args=[household.public_id])


def test_a_resident_without_follow_up_has_the_sktm_request_and_the_usulan_on_the_row(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a, name="Belum Ditindaklanjuti")
    left_dtks(resident)
    assert resident.household is not None

    page = _page(client, operator_a)

    assert _sktm_request(resident) in page
    assert _proposal_create(resident.household) in page


def test_a_follow_up_under_way_is_not_offered_again(client, operator_a, kelurahan_a):
    with_sktm = person(kelurahan=kelurahan_a, name="Punya SKTM")
    issued_sktm(for_person=with_sktm, purpose="bpjs")
    left_dtks(with_sktm)
    proposal = dtks_proposal(kelurahan=kelurahan_a, to=DtksProposalStatus.AGREED)
    proposed = proposal.household.members.get()
    left_dtks(proposed)

    page = _page(client, operator_a)

    assert _sktm_request(with_sktm) not in page
    assert _proposal_create(proposal.household) not in page
    # What is not under way yet is still offered.
    assert _sktm_request(proposed) in page


def test_a_household_with_a_member_still_in_dtks_is_not_offered_for_usulan(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a, name="Keluar Sendiri")
    left_dtks(resident)
    assert resident.household is not None
    in_dtks(
        person(
            in_household=resident.household,
            name="Masih Aktif",
            relationship=Relationship.WIFE,
        )
    )

    page = _page(client, operator_a)

    assert _proposal_create(resident.household) not in page


def test_dinsos_narrows_the_city_wide_list_to_one_kelurahan(
    client, supervisor, kelurahan_a, kelurahan_b
):
    left_dtks(person(kelurahan=kelurahan_a, name="Warga A"))
    left_dtks(person(kelurahan=kelurahan_b, name="Warga B"))
    client.force_login(supervisor)

    whole = client.get(URL).content.decode()
    one = client.get(URL, {"kelurahan": kelurahan_b.pk}).content.decode()

    assert "Warga A" in whole
    assert "Warga B" in whole
    assert "Warga A" not in one
    assert "Warga B" in one
    assert f'<option value="{kelurahan_b.pk}" selected>' in one


def test_dinsos_narrows_the_city_wide_list_to_one_kecamatan(
    client, supervisor, kelurahan_a, kelurahan_b
):
    left_dtks(person(kelurahan=kelurahan_a, name="Warga A"))
    left_dtks(person(kelurahan=kelurahan_b, name="Warga B"))
    client.force_login(supervisor)

    page = client.get(URL, {"kecamatan": kelurahan_a.kecamatan_id}).content.decode()

    assert "Warga A" in page
    assert "Warga B" not in page
    assert f'<option value="{kelurahan_a.kecamatan_id}" selected>' in page


def test_the_list_goes_page_by_page_latest_departure_first(
    client, operator_a, kelurahan_a
):
    earlier = person(kelurahan=kelurahan_a, name="Keluar Lebih Dulu")
    left_dtks(earlier, period=dt.date(2026, 10, 1))
    for i in range(PAGE_SIZE):
        left_dtks(person(kelurahan=kelurahan_a, name=f"Warga {i}"))
    client.force_login(operator_a)

    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()

    assert "Keluar Lebih Dulu" not in first
    assert 'rel="next"' in first
    assert "Keluar Lebih Dulu" in second
    assert 'rel="next"' not in second


def test_the_counter_cannot_widen_its_list_to_another_kelurahan(
    client, operator_a, kelurahan_a, kelurahan_b
):
    left_dtks(person(kelurahan=kelurahan_b, name="Warga Sebelah"))
    client.force_login(operator_a)

    page = client.get(URL, {"kelurahan": kelurahan_b.pk}).content.decode()

    assert "Warga Sebelah" not in page
    assert 'name="kelurahan"' not in page  # no choice of kelurahan offered
    assert 'name="kecamatan"' not in page


# Calls: the counter records whether a resident on the list was reached.


def _call(client, user, resident, **data):
    client.force_login(user)
    return client.post(
        f"{URL}{resident.public_id}/panggilan/",
        {"outcome": "terhubung", "note": "", **data},
    )


def test_a_call_is_recorded_and_shown_with_who_made_it_and_the_note(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a, name="Budi Keluar")
    left_dtks(resident)

    response = _call(client, operator_a, resident, note="Akan datang Senin")

    assert response.status_code == 302
    assert response["Location"] == URL
    [contact] = DtksLeaverContact.objects.all()
    assert (contact.person, contact.left_on, contact.contacted_by) == (
        resident,
        dt.date(2026, 11, 1),
        operator_a,
    )
    page = _page(client, operator_a)
    assert "Akan datang Senin" in page
    assert operator_a.get_full_name() in page
    assert "Belum dihubungi" not in page


def test_the_call_is_in_the_audit_trail_with_the_caller(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    left_dtks(resident)

    _call(client, operator_a, resident, outcome="tidak_terhubung")

    [event] = pghistory.models.Events.objects.filter(
        pgh_model="registry.DtksLeaverContactEvent"
    )
    assert event.pgh_context["user"] == operator_a.pk


def test_the_same_call_sent_twice_is_recorded_once(client, operator_a, kelurahan_a):
    resident = person(kelurahan=kelurahan_a)
    left_dtks(resident)

    _call(client, operator_a, resident, note="Tidak diangkat")
    _call(client, operator_a, resident, note="Tidak diangkat")

    assert DtksLeaverContact.objects.count() == 1


def test_a_second_call_with_another_outcome_is_a_new_call_and_the_latest_shows(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    left_dtks(resident)

    _call(client, operator_a, resident, outcome="tidak_terhubung", note="Pertama")
    _call(client, operator_a, resident, outcome="terhubung", note="Kedua")

    assert DtksLeaverContact.objects.count() == 2
    page = _page(client, operator_a)
    assert "Kedua" in page
    assert "Pertama" not in page


def test_a_resident_of_another_kelurahan_cannot_be_called_from_this_counter(
    client, operator_a, kelurahan_b
):
    elsewhere = person(kelurahan=kelurahan_b)
    left_dtks(elsewhere)

    assert _call(client, operator_a, elsewhere).status_code == 404
    with pytest.raises(ApplicationError, match="bukan warga kelurahan Anda"):
        dtks_leaver_record_contact(
            actor=operator_a, person=elsewhere, outcome="terhubung"
        )
    assert not DtksLeaverContact.objects.exists()


def test_a_resident_back_in_dtks_is_no_longer_called(client, operator_a, kelurahan_a):
    resident = person(kelurahan=kelurahan_a)
    in_dtks(resident)

    response = _call(client, operator_a, resident)

    assert response.status_code == 302
    assert not DtksLeaverContact.objects.exists()
    assert "tidak ada lagi di daftar" in client.get(URL).content.decode()
    with pytest.raises(ApplicationError, match="tidak ada lagi di daftar"):
        dtks_leaver_record_contact(
            actor=operator_a, person=resident, outcome="terhubung"
        )


def test_a_supervisor_follows_the_list_without_the_counters_calls_and_follow_ups(
    client, supervisor, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a, name="Budi Keluar")
    left_dtks(resident)
    assert resident.household is not None

    page = _page(client, supervisor)

    assert "Budi Keluar" in page
    assert "Catat panggilan" not in page
    assert _sktm_request(resident) not in page
    assert _proposal_create(resident.household) not in page
    assert _call(client, supervisor, resident).status_code == 403


def test_not_reached_only_leaves_out_those_a_call_reached(
    client, operator_a, kelurahan_a
):
    reached = person(kelurahan=kelurahan_a, name="Sudah Terhubung")
    tried = person(kelurahan=kelurahan_a, name="Tidak Diangkat")
    uncalled = person(kelurahan=kelurahan_a, name="Belum Ditelepon")
    for resident in (reached, tried, uncalled):
        left_dtks(resident)
    _call(client, operator_a, reached, outcome="terhubung")
    back = _call(client, operator_a, tried, outcome="tidak_terhubung", tampil="belum")
    assert back["Location"] == f"{URL}?tampil=belum"

    response = client.get(URL, {"tampil": "belum"})

    page = response.content.decode()
    assert "Sudah Terhubung" not in page
    assert "Tidak Diangkat" in page
    assert "Belum Ditelepon" in page


@pytest.mark.parametrize("area", ["kelurahan", "kecamatan"])
def test_a_call_from_one_areas_list_returns_to_that_list(
    client, admin_user, kelurahan_a, area
):
    resident = person(kelurahan=kelurahan_a, name="Budi Keluar")
    left_dtks(resident)
    code = kelurahan_a.pk if area == "kelurahan" else kelurahan_a.kecamatan_id

    back = _call(client, admin_user, resident, **{area: code})
    odd = _call(client, admin_user, resident, **{area: "bukan-kode"}, note="lagi")

    assert back["Location"] == f"{URL}?{urlencode({area: code})}"
    assert odd["Location"] == URL  # only an area that exists is carried back


def test_a_call_about_an_earlier_departure_does_not_count_for_a_later_one(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a, name="Keluar Lagi")
    entry = left_dtks(resident, period=dt.date(2026, 5, 1))
    _call(client, operator_a, resident, note="Panggilan Mei")
    # Back in DTKS, then out again in November.
    entry.inactive_since = dt.date(2026, 11, 1)
    entry.save(update_fields=["inactive_since"])

    page = _page(client, operator_a)

    assert "Panggilan Mei" not in page
    assert "Belum dihubungi" in page


def test_a_note_longer_than_the_column_is_refused_in_words_and_nothing_recorded(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    left_dtks(resident)

    with pytest.raises(ApplicationError, match="paling banyak 200 huruf"):
        dtks_leaver_record_contact(
            actor=operator_a, person=resident, outcome="terhubung", note="x" * 201
        )
    _call(client, operator_a, resident, note="x" * 201)

    assert not DtksLeaverContact.objects.exists()
    assert "paling banyak 200 huruf" in client.get(URL).content.decode()
