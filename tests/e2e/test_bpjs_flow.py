"""An application submitted at the kelurahan and approved by the Dinsos verifier."""

from __future__ import annotations

import pytest

from bpjs.models import Application, AppStatus
from tests.factories.bpjs import eligible_person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_kelurahan_submits_and_verifier_approves(
    live_server, login, page, console_errors, operator_a, verifikator, kelurahan_a
):
    resident = eligible_person(kelurahan_a, name="Sri Rahayu")

    login(operator_a)
    page.goto(f"{live_server.url}/registry/penduduk/{resident.public_id}/")
    page.click("#bpjs-apply")
    assert page.locator("#bpjs-checks .list-group-item-danger").count() == 0
    page.select_option("select[name=facility]", "PKM-MANGGAR")
    page.click("#bpjs-submit")
    page.wait_for_url("**/bpjs/pengajuan/*/")
    assert page.locator("#application-status").inner_text() == "Diajukan kelurahan"

    page.context.clear_cookies()
    login(verifikator)
    application = Application.objects.get()
    page.goto(f"{live_server.url}/bpjs/pengajuan/{application.public_id}/")
    page.click("#bpjs-approve")
    page.wait_for_load_state()

    assert page.locator("#application-status").inner_text() == "Disetujui Dinsos"
    application.refresh_from_db()
    assert application.status == AppStatus.APPROVED
    assert console_errors == []
