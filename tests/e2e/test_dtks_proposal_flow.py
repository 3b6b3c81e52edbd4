"""A household not in DTKS goes from the operator's page through the muskel and the
verivali to the verifier's file, and a later DTKS import closes it."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.models import DtksProposal, DtksProposalStatus
from tests.factories.registry import in_dtks, person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_proposal_goes_from_the_counter_to_the_centre_and_back(
    live_server,
    login,
    page,
    console_errors,
    operator_a,
    koordinator_a,
    verifikator,
    kelurahan_a,
):
    resident = person(kelurahan=kelurahan_a, name="Rahmat Hidayat")
    household_page = (
        f"{live_server.url}/registry/keluarga/{resident.household.public_id}/"
    )

    login(operator_a)
    page.goto(household_page)
    page.get_by_role("link", name="Usulkan ke DTKS/DTSEN").click()
    page.fill("textarea[name=reason]", "Buruh harian, istri sakit menahun")
    page.get_by_role("button", name="Catat usulan").click()
    page.wait_for_url("**/registry/usulan-dtks/*/")
    assert page.locator("#proposal-status").inner_text() == "Didaftarkan di kelurahan"

    page.context.clear_cookies()
    login(koordinator_a)
    page.get_by_role("link", name="Usulan DTKS").first.click()
    page.locator("#filter-waiting").click()
    page.locator("table a").first.click()
    page.get_by_label("Disetujui diusulkan").check()
    page.fill("input[name=muskel_date]", "20/11/2026")
    page.fill("input[name=muskel_reference]", "005/BA-MUSKEL/2026")
    page.get_by_role("button", name="Simpan hasil musyawarah").click()
    page.wait_for_load_state()
    assert page.locator("#proposal-status").inner_text() == (
        "Disetujui musyawarah kelurahan"
    )

    page.context.clear_cookies()
    login(verifikator)
    proposal = DtksProposal.objects.get()
    page.goto(f"{live_server.url}/registry/usulan-dtks/{proposal.public_id}/")
    page.fill("input[name=visited_on]", "25/11/2026")
    page.select_option("select[name=result]", "selesai")
    page.get_by_role("button", name="Simpan hasil verivali").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/registry/usulan-dtks/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh berkas (CSV)").click()
    assert resident.nik in download.value.path().read_text(encoding="utf-8")
    page.get_by_role("button", name="Tandai terkirim").click()
    page.wait_for_load_state()
    proposal.refresh_from_db()
    assert proposal.status == DtksProposalStatus.SUBMITTED

    in_dtks(resident, period=dt.date(2027, 3, 1))
    page.goto(f"{live_server.url}/registry/usulan-dtks/{proposal.public_id}/")
    assert page.locator("#proposal-status").inner_text() == "Masuk DTKS/DTSEN"
    assert console_errors == []
