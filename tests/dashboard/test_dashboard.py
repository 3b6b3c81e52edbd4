from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from core.dashboard import DashboardFilter, build_panels
from registry.models import DtksProposalStatus, Person
from registry.services.dtks_leavers import dtks_leaver_record_contact
from tests.factories.bpjs import participant
from tests.factories.core import PASSWORD
from tests.factories.odgj import subject, verified_subject
from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import (
    dtks_proposal,
    in_dtks,
    issued_sktm,
    left_dtks,
    person,
)

pytestmark = pytest.mark.django_db


def _figures(filters):
    return {
        str(label): value
        for panel in build_panels(filters)
        for label, value, _link in panel.figures
    }


def test_figures_match_a_known_data_set(kelurahan_a, kelurahan_b, peksos_odgj):
    issued_sktm(for_person=person(kelurahan=kelurahan_a))
    participant(kelurahan_a, start=dt.date(2026, 1, 1))
    participant(kelurahan_b, start=dt.date(2026, 1, 1), card="2")
    subject(actor=peksos_odgj, kelurahan=kelurahan_a)

    figures = _figures(DashboardFilter(month=dt.date(2026, 11, 1)))

    assert figures["Peserta aktif"] == 2
    assert figures["Iuran bulan ini"] == "Rp75.600"
    assert figures["SKTM berlaku"] == 3  # one direct + one per participant's SKTM basis
    assert figures["Kasus aktif"] == 1


def test_kelurahan_filter_narrows_every_figure(kelurahan_a, kelurahan_b):
    participant(kelurahan_a, start=dt.date(2026, 1, 1))
    participant(kelurahan_b, start=dt.date(2026, 1, 1), card="2")

    figures = _figures(
        DashboardFilter(kelurahan=kelurahan_b.pk, month=dt.date(2026, 11, 1))
    )

    assert figures["Peserta aktif"] == 1
    assert figures["SKTM berlaku"] == 1


def test_operator_cannot_open_the_dashboard(client, operator_a):
    client.login(username=operator_a.username, password=PASSWORD)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302


def test_verifier_sees_no_dashboard_figures(client, verifikator):
    client.login(username=verifikator.username, password=PASSWORD)

    response = client.get(reverse("admin:index"))

    assert "Dasbor hanya untuk supervisor" in response.content.decode()


def test_supervisor_dashboard_renders_with_filters(client, supervisor, kelurahan_a):
    participant(kelurahan_a, start=dt.date(2026, 1, 1))
    client.login(username=supervisor.username, password=PASSWORD)

    response = client.get(
        reverse("admin:index"), {"kelurahan": kelurahan_a.pk, "bulan": "2026-11"}
    )

    body = response.content.decode()
    assert "BPJS PBPU Pemda" in body
    assert 'data-type="line"' in body


def test_monthly_report_xlsx_and_pdf(client, supervisor):
    client.login(username=supervisor.username, password=PASSWORD)

    xlsx = client.get(reverse("reports:monthly"), {"bulan": "2026-11"})
    pdf = client.get(reverse("reports:monthly_pdf"), {"bulan": "2026-11"})

    assert xlsx.content[:2] == b"PK"
    assert pdf.content.startswith(b"%PDF")


def test_public_transparency_suppresses_small_counts_and_personal_data(
    client, kelurahan_a
):
    covered = participant(kelurahan_a, start=dt.date(2026, 1, 1))

    this_month = timezone.localdate().strftime("%Y-%m")

    response = client.get(reverse("transparency"), {"bulan": this_month})

    body = response.content.decode()
    assert "&lt; 5" in body
    assert covered.person.name not in body
    assert covered.person.nik not in body


def test_odgj_funnel_counts_cases_reaching_each_stage(peksos_odgj, kelurahan_a):
    subject(actor=peksos_odgj, kelurahan=kelurahan_a)
    verified_subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias="Maju")

    panel = next(p for p in build_panels(DashboardFilter()) if "ODGJ" in p.title)

    assert panel.chart["datasets"][0]["data"][:3] == [2, 1, 0]


def test_puskesos_and_removal_figures(operator_a, supervisor, kelurahan_a):
    from bpjs.services.removals import removal_propose
    from core.jobs import run_job

    puskesos_case(
        actor=operator_a,
        kelurahan=kelurahan_a,
        applicant_name="A",
        sla_due=dt.date(2026, 1, 5),
    )
    coverage = participant(kelurahan_a, start=dt.date(2026, 1, 1))
    removal_propose(
        actor=supervisor,
        coverage=coverage,
        reason="meninggal",
        effective_date=dt.date(2026, 11, 1),
    )
    run_job(name="sktm_expire")

    figures = _figures(DashboardFilter(month=dt.date(2026, 11, 1)))

    assert figures["Kasus terbuka"] == 1
    assert figures["Terlambat"] == 1
    assert figures["Dihapus: meninggal"] == 1
    assert figures["Kedaluwarsa SKTM"].startswith("Berhasil")


def test_registry_budget_and_service_figures(
    supervisor, operator_a, koordinator_a, kelurahan_a
):
    from django.core.cache import cache
    from django.core.files.base import ContentFile

    from bpjs.models import BudgetCeiling
    from puskesos.models import Agency, NeedCategory, Referral
    from puskesos.services import (
        case_intake,
        case_refer,
        case_transition,
        referral_update_by_receiver,
    )
    from registry.services.dtks import (
        dtks_batch_commit,
        dtks_batch_upload,
        dtks_batch_validate,
    )

    cache.clear()
    resident = person(kelurahan=kelurahan_a)
    csv = (
        f"NIK;NO_KK;NAMA;KODE_KELURAHAN;DESIL\n{resident.nik};"
        f"{resident.household.kk_number};{resident.name};{kelurahan_a.pk};1\n"
    )
    batch = dtks_batch_upload(
        actor=supervisor,
        file=ContentFile(csv.encode(), name="d.csv"),
        period=dt.date(2026, 10, 1),
    )
    dtks_batch_commit(actor=supervisor, batch=dtks_batch_validate(batch=batch))
    today = timezone.localdate()
    issued_sktm(for_person=resident, issued_on=today)
    participant(kelurahan_a, start=dt.date(today.year, 1, 1))
    BudgetCeiling.objects.update_or_create(
        year=today.year, defaults={"amount": 10_000_000}
    )
    case, _ = case_intake(
        actor=operator_a,
        kelurahan=kelurahan_a,
        person=resident,
        need=NeedCategory.objects.get(code="adminduk"),
        request_type="pengaduan",
        description="KTP hilang",
    )
    case = case_transition(actor=operator_a, case=case, to="assessed")
    case = case_transition(
        actor=koordinator_a,
        case=case,
        to="service_decided",
        service_decision="Rujuk Dukcapil",
    )
    referral = case_refer(
        actor=operator_a, case=case, agency=Agency.objects.get(code="dukcapil")
    )
    referral_update_by_receiver(referral=referral, status=Referral.Status.ACCEPTED)
    case_transition(actor=operator_a, case=case, to="resolved")

    figures = _figures(DashboardFilter(month=today.replace(day=1)))

    assert figures["Penduduk di DTKS (aktif)"] == 1
    assert figures["Keluarga di DTKS"] == 1
    assert figures["SKTM terbit bulan ini"] == 2  # this one + the participant's basis
    assert figures["Anggaran terpakai / pagu"].endswith("/ Rp10.000.000")
    assert figures["Selesai sesuai SLA"] == "1/1"
    assert figures["Rujukan: Diterima"] == 1


def test_transparency_shows_counts_of_five_and_more(client, kelurahan_a):
    for i in range(5):
        participant(kelurahan_a, start=dt.date(2026, 1, 1), card=str(i))

    this_month = timezone.localdate().strftime("%Y-%m")

    response = client.get(reverse("transparency"), {"bulan": this_month})

    row = next(
        r for r in response.context["rows"] if r["kelurahan"] == kelurahan_a.name
    )
    assert row["participants"] == 5
    assert row["cost"] == 5 * 37800
    assert row["received"] == 5  # five applications created this month


def test_dtks_figures_follow_an_admin_edit_of_an_entry(supervisor, kelurahan_a):
    from django.core.cache import cache

    from registry.models import DtksEntry

    cache.clear()
    resident = person(kelurahan=kelurahan_a)
    in_dtks(resident, supervisor=supervisor)
    month = DashboardFilter(month=dt.date(2026, 11, 1))
    assert _figures(month)["Penduduk di DTKS (aktif)"] == 1

    entry = DtksEntry.objects.get(person=resident)
    entry.active = False
    entry.save()

    assert _figures(month)["Penduduk di DTKS (aktif)"] == 0


def test_budget_figure_agrees_with_the_premium_page_and_coverage_is_counted_once(
    kelurahan_a,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bpjs.models import BudgetCeiling
    from bpjs.services.premiums import budget_status
    from core.templatetags.rupiah import rupiah

    today = timezone.localdate()
    participant(kelurahan_a, start=dt.date(today.year, 1, 1), card="1")
    participant(kelurahan_a, start=today.replace(day=1), card="2")
    BudgetCeiling.objects.update_or_create(
        year=today.year, defaults={"amount": 900_000_000}
    )
    alone = budget_status(year=today.year, today=today)

    with CaptureQueriesContext(connection) as queries:
        figures = _figures(DashboardFilter(month=today.replace(day=1)))

    assert figures["Anggaran terpakai / pagu"] == (
        f"{rupiah(alone.spent)} / {rupiah(alone.ceiling)}"
    )
    coverage_counts = [
        q
        for q in queries
        if 'FROM "bpjs_coverage"' in q["sql"] and "FILTER" in q["sql"]
    ]
    assert len(coverage_counts) == 1


def test_bar_charts_have_visible_bars_and_a_count_axis():
    from core.dashboard import Panel

    panel = Panel(
        title="x",
        figures=[],
        chart={"labels": ["a"], "datasets": [{"data": [3]}]},
    )

    [dataset] = json.loads(panel.chart_json)["datasets"]

    assert dataset["maxBarThickness"] > 4
    assert dataset["displayYAxis"] is True
    assert dataset["data"] == [3]


def test_the_jobs_panel_names_each_job_for_the_supervisor_in_their_language():
    from django.utils import translation

    from puskesos.dashboard import jobs_panel

    with translation.override("en"):
        labels = [
            label for label, _value, _link in jobs_panel(DashboardFilter()).figures
        ]

    assert "SKTM expiry" in labels
    assert "sktm_expire" not in labels


def test_a_charts_numbers_are_also_a_table():
    from core.dashboard import Panel

    panel = Panel(
        title="x",
        figures=[],
        chart={
            "labels": ["Balikpapan Timur", "Balikpapan Kota"],
            "datasets": [{"label": "Penduduk DTKS", "data": [12, 7]}],
        },
    )

    heading, rows = panel.chart_table

    assert heading == ["Uraian", "Penduduk DTKS"]
    assert rows == [["Balikpapan Timur", 12], ["Balikpapan Kota", 7]]


def test_the_dashboard_gives_each_chart_its_numbers_for_screen_readers(
    client, supervisor, kelurahan_a
):
    participant(kelurahan_a, start=dt.date(2026, 1, 1))
    client.login(username=supervisor.username, password=PASSWORD)

    body = client.get(reverse("admin:index"), {"bulan": "2026-11"}).content.decode()

    assert body.count('class="text-xs mt-2 chart-table"') == body.count("<canvas")
    assert '<th scope="row"' in body


def test_the_registry_panel_counts_dtks_proposals_open_and_included(
    kelurahan_a, kelurahan_b
):
    dtks_proposal(kelurahan=kelurahan_a, name="Calon A")
    dtks_proposal(kelurahan=kelurahan_b, name="Calon B", to=DtksProposalStatus.VERIFIED)
    included = dtks_proposal(kelurahan=kelurahan_a, name="Calon C")
    in_dtks(included.household.members.get())

    city = _figures(DashboardFilter(month=dt.date(2026, 11, 1)))
    one = _figures(
        DashboardFilter(kelurahan=kelurahan_b.pk, month=dt.date(2026, 11, 1))
    )

    assert (city["Usulan DTKS dalam proses"], city["Usulan DTKS yang masuk"]) == (2, 1)
    assert (one["Usulan DTKS dalam proses"], one["Usulan DTKS yang masuk"]) == (1, 0)


def test_the_registry_panel_counts_those_out_of_dtks_and_those_no_call_reached(
    operator_a, kelurahan_a, kelurahan_b
):
    reached = person(kelurahan=kelurahan_a, name="Sudah Ditelepon")
    left_dtks(reached)
    dtks_leaver_record_contact(actor=operator_a, person=reached, outcome="terhubung")
    left_dtks(person(kelurahan=kelurahan_a, name="Belum Ditelepon"))
    left_dtks(person(kelurahan=kelurahan_b, name="Warga Sebelah"))
    deceased = person(kelurahan=kelurahan_b, name="Almarhum")
    left_dtks(deceased)
    Person.objects.filter(pk=deceased.pk).update(
        is_deceased=True, deceased_on=dt.date(2026, 11, 20)
    )

    city = _figures(DashboardFilter(month=dt.date(2026, 11, 1)))
    one = _figures(
        DashboardFilter(kelurahan=kelurahan_b.pk, month=dt.date(2026, 11, 1))
    )

    labels = ("Keluar dari DTKS (belum kembali)", "Keluar dari DTKS, belum terhubung")
    assert tuple(city[label] for label in labels) == (3, 2)
    assert tuple(one[label] for label in labels) == (1, 1)


LEAVER_LABELS = (
    "Keluar dari DTKS (belum kembali)",
    "Keluar dari DTKS, belum terhubung",
)


def _leaver_figures() -> tuple[int, int]:
    figures = _figures(DashboardFilter(month=dt.date(2026, 11, 1)))
    return tuple(figures[label] for label in LEAVER_LABELS)


def test_a_call_that_reaches_a_resident_shows_on_the_dashboard_at_once(
    operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    left_dtks(resident)
    left_dtks(person(kelurahan=kelurahan_a))
    before = _leaver_figures()

    dtks_leaver_record_contact(actor=operator_a, person=resident, outcome="terhubung")

    assert before == (2, 2)
    assert _leaver_figures() == (2, 1)


def test_someone_else_leaving_dtks_shows_on_the_dashboard_at_once(kelurahan_a):
    left_dtks(person(kelurahan=kelurahan_a))
    before = _leaver_figures()

    left_dtks(person(kelurahan=kelurahan_a))

    assert before == (1, 1)
    assert _leaver_figures() == (2, 2)


def test_the_leaver_figures_link_to_the_list_of_the_kelurahan_chosen(kelurahan_a):
    def links(filters):
        return {
            str(label): link
            for panel in build_panels(filters)
            for label, _value, link in panel.figures
        }

    city = links(DashboardFilter(month=dt.date(2026, 11, 1)))
    one = links(DashboardFilter(kelurahan=kelurahan_a.pk, month=dt.date(2026, 11, 1)))

    assert city["Keluar dari DTKS (belum kembali)"] == "/registry/keluar-dtks/"
    assert city["Keluar dari DTKS, belum terhubung"] == (
        "/registry/keluar-dtks/?tampil=belum"
    )
    assert one["Keluar dari DTKS, belum terhubung"] == (
        f"/registry/keluar-dtks/?tampil=belum&kelurahan={kelurahan_a.pk}"
    )


def test_with_only_a_kecamatan_chosen_the_leaver_figures_link_to_its_list(
    kelurahan_a,
):
    filters = DashboardFilter(
        kecamatan=kelurahan_a.kecamatan_id, month=dt.date(2026, 11, 1)
    )

    links = {
        str(label): link
        for panel in build_panels(filters)
        for label, _value, link in panel.figures
    }

    assert links["Keluar dari DTKS (belum kembali)"] == (
        f"/registry/keluar-dtks/?{urlencode({'kecamatan': kelurahan_a.kecamatan_id})}"
    )
