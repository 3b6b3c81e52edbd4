"""A case worker walks an ODGJ case from sighting to e-KTP delivered, in Chromium."""

from __future__ import annotations

import pytest

from odgj.models import OdgjSubject, Stage
from tests.factories.registry import make_kk, make_nik

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _advance(page, stage, fill=None):
    page.click(f"summary[data-stage={stage}]")
    form = page.locator(f"form:has(input[name=to_stage][value={stage}])")
    for name, value in (fill or {}).items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_case_worker_walks_case_to_ktp_delivered(
    live_server, login, console_errors, peksos_odgj, kelurahan_a
):
    page = login(peksos_odgj)
    page.goto(f"{live_server.url}/odgj/subjek/baru/")
    page.fill("input[name=alias]", "Bapak di Pasar Baru")
    page.select_option("select[name=sex]", "L")
    page.fill("input[name=estimated_age]", "45")
    page.fill("input[name=found_place]", "Pasar Baru, depan los ikan")
    page.select_option("select[name=kelurahan]", kelurahan_a.pk)
    page.select_option("select[name=reporter_type]", "trc")
    page.click("main button[type=submit]")
    page.wait_for_url("**/odgj/subjek/*/")

    # Unknown identity: a responsible institution and a Laporan Sosial.
    page.click("summary:has-text('Tambah wali')")
    page.select_option("select[name=guardian_type]", "institusi")
    page.select_option("select[name=relation]", "dinsos")
    page.fill("form[action*=wali] input[name=name]", "Dinas Sosial Kota Balikpapan")
    page.click("form[action*=wali] button")
    page.fill("textarea[name=laporan_sosial]", "Asesmen fisik, psikologis dan sosial.")
    page.click("text=Simpan catatan")

    _advance(page, "data_verified")
    _advance(page, "recorded", {"capture_result": "foto_saja"})
    _advance(page, "nik_issued", {"nik": make_nik(), "kk": make_kk()})
    _advance(page, "ktp_printed")
    _advance(page, "ktp_delivered")

    assert page.locator("#subject-stage").inner_text() == "KTP-el diserahkan"
    assert page.locator("#timeline li").count() >= 6
    subject = OdgjSubject.objects.get()
    assert subject.stage == Stage.KTP_DELIVERED
    assert subject.person is not None
    assert console_errors == []
