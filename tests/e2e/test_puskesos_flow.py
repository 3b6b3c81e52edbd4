"""An operator takes an intake, refers it to SKTM; the citizen's status page follows."""

from __future__ import annotations

import pytest

from puskesos.models import Case
from registry.models import Sktm
from tests.factories.registry import person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _check_status(page, live_server, ticket, last4):
    page.goto(f"{live_server.url}/layanan/status/")
    page.fill("input[name=ticket]", ticket)
    page.fill("input[name=nik_last4]", last4)
    page.click("#status-submit")
    page.wait_for_selector("#status-result")
    return page.locator("#status-text").inner_text()


def test_intake_referred_to_sktm_shows_on_public_status(
    live_server, login, page, console_errors, operator_a, koordinator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a, name="Rahmawati")

    login(operator_a)
    page.goto(f"{live_server.url}/puskesos/penerimaan/?person={resident.public_id}")
    assert "Tidak berhak" in page.locator("#intake-eligibility").inner_text()
    page.select_option("select[name=need]", "sktm")
    page.fill("textarea[name=description]", "Perlu SKTM untuk berobat ke RSUD")
    page.click("#intake-submit")
    page.wait_for_url("**/puskesos/kasus/*/")
    ticket = page.locator("#ticket-code").inner_text()

    page.context.clear_cookies()
    assert _check_status(page, live_server, ticket, resident.nik[-4:]) == (
        "Permohonan Anda sudah kami terima."
    )

    login(koordinator_a)
    case = Case.objects.get()
    page.goto(f"{live_server.url}/puskesos/kasus/{case.public_id}/")
    page.click("summary[data-state=assessed]")
    page.locator("form:has(input[name=to][value=assessed]) button").click()
    page.wait_for_load_state()
    page.click("summary[data-state=service_decided]")
    form = page.locator("form:has(input[name=to][value=service_decided])")
    form.locator("textarea[name=service_decision]").fill("Terbitkan SKTM kesehatan")
    form.locator("button").click()
    page.wait_for_load_state()
    page.select_option("select[name=target]", "internal:sktm")
    page.fill("input[name=pengantar_number]", "07/RT-04/XI/2026")
    page.click("#refer-submit")
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == "Dirujuk"
    assert Sktm.objects.filter(person=resident).exists()

    page.context.clear_cookies()
    assert _check_status(page, live_server, ticket, resident.nik[-4:]) == (
        "Anda dirujuk ke layanan yang sesuai; petugas memantau."
    )
    assert console_errors == []
