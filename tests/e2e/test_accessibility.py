"""Every screen meets WCAG 2.1 AA (and 2.2 AA where it is ours) as axe-core checks it
in Chromium: contrast, labels, names of buttons and links, landmarks, headings.

Counter staff read these screens all day, citizens fill the public form on old
phones, and an Indonesian public service must be usable by people with
disabilities (UU 8/2016, Art. 19; Permen PANRB on public-service standards). The
admin is Unfold's: it is held to WCAG 2.1 AA without the 2.2 target sizes and
best-practice rules that its own templates would have to change for.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from axe_playwright_python.sync_playwright import Axe

from registry.models import Person
from registry.services.arrivals import reported_move_dismiss
from registry.services.dtks_leavers import dtks_leaver_record_contact
from tests.factories.registry import (
    dtks_proposal,
    issued_sktm,
    left_dtks,
    person,
    reported_move_in,
)
from tests.pages import record_pages, with_one_of_each

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OUR_RULES = [*WCAG_21_AA, "wcag22aa", "best-practice"]
# Best-practice rules the admin is held to as well: one main landmark, so a screen
# reader can jump past Unfold's sidebar and header (templates/admin/base.html).
MAIN_LANDMARK = [
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-main-is-top-level",
]

_axe = Axe()


def _violations(page, tags: list[str], rules: Sequence[str] = ()) -> list[str]:
    run_only = [{"type": "tag", "values": tags}]
    if rules:
        run_only.append({"type": "rule", "values": list(rules)})
    violations: list[dict] = []
    for selection in run_only:
        violations += _axe.run(
            page, options={"runOnly": selection, "resultTypes": ["violations"]}
        ).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['help']}) at {node['target']}: "
        + "; ".join(
            check["message"] for check in node["any"] + node["all"] + node["none"]
        )
        for v in violations
        for node in v["nodes"]
    ]


def _audit(
    page, base_url: str, urls: list[str], tags: list[str], rules: Sequence[str] = ()
) -> list[str]:
    found: list[str] = []
    for url in urls:
        response = page.goto(f"{base_url}{url}")
        assert response is not None
        assert response.status == 200, url
        found += _violations(page, tags, rules)
    return found


def _record_urls(records: dict, user) -> list[str]:
    return [url for owner, url in records.values() if owner == user]


@pytest.fixture
def records(kelurahan_a, peksos_odgj, operator_a, verifikator):
    with_one_of_each(kelurahan_a, peksos_odgj)
    return record_pages(kelurahan_a, peksos_odgj, operator_a, verifikator)


def test_the_citizens_pages_meet_wcag_aa(live_server, page, records):
    urls = [url for owner, url in records.values() if owner is None]

    found = _audit(page, live_server.url, [*urls, "/transparansi/"], OUR_RULES)

    assert found == []


def test_the_kelurahan_operators_screens_meet_wcag_aa(
    live_server, login, records, operator_a, kelurahan_b
):
    arriving = person(kelurahan=kelurahan_b, name="Warga Pindahan")
    reported_move_in(arriving, to=operator_a.kelurahan)
    not_found = person(kelurahan=kelurahan_b, name="Warga Tak Dikenal")
    reported_move_dismiss(  # the closed reports' table too
        actor=operator_a,
        change=reported_move_in(not_found, to=operator_a.kelurahan),
        note="Tidak dikenal RT",
    )
    # Every follow-up mark of the list of those out of DTKS.
    with_sktm = person(kelurahan=operator_a.kelurahan, name="Warga Ber-SKTM")
    issued_sktm(for_person=with_sktm, purpose="bpjs")
    left_dtks(with_sktm)
    dtks_leaver_record_contact(
        actor=operator_a, person=with_sktm, outcome="terhubung", note="Datang Senin"
    )
    proposed = dtks_proposal(kelurahan=operator_a.kelurahan)
    left_dtks(proposed.household.members.get())
    left_dtks(person(kelurahan=operator_a.kelurahan, name="Warga Belum Dihubungi"))
    page = login(operator_a)
    lists = ["/", "/puskesos/", "/puskesos/kasus/", "/registry/sktm/", "/bpjs/"]
    lists += ["/bpjs/penghapusan/", "/bpjs/peserta/", "/registry/cari/"]
    lists += ["/registry/usulan-dtks/", "/registry/pindah-datang/"]
    lists += ["/registry/keluar-dtks/"]

    found = _audit(page, live_server.url, lists, OUR_RULES)
    found += _audit(page, live_server.url, _record_urls(records, operator_a), OUR_RULES)
    page.goto(f"{live_server.url}/registry/cari/")
    page.fill("main input[name=q]", "siti")
    page.locator("main form button[type=submit]").first.click()
    page.locator("#search-results", has_text="Siti Warga").wait_for()
    found += _violations(page, OUR_RULES)
    page.goto(f"{live_server.url}/registry/pindah-datang/")
    page.fill("main [name=nik]", arriving.nik)
    page.fill("main [name=origin_kk]", arriving.household.kk_number)
    page.locator("main form button[type=submit]").click()
    page.locator("main", has_text="Warga Pindahan").wait_for()
    found += _violations(page, OUR_RULES)

    assert found == []


def test_the_dinsos_staffs_screens_meet_wcag_aa(
    live_server, login, records, kelurahan_a, verifikator, supervisor, peksos_odgj
):
    to_visit = dtks_proposal(kelurahan=kelurahan_a, name="Calon", to="disetujui_muskel")
    page = login(verifikator)
    verifier_pages = [
        "/",
        "/registry/usulan-dtks/",
        *_record_urls(records, verifikator),
    ]
    verifier_pages += [f"/registry/usulan-dtks/{to_visit.public_id}/"]
    found = _audit(page, live_server.url, verifier_pages, OUR_RULES)
    page.context.clear_cookies()
    login(supervisor)
    supervisor_lists = ["/", "/bpjs/batch/", "/bpjs/iuran/", "/registry/dtks/"]
    supervisor_lists += ["/odgj/", "/odgj/kunjungan/baru/", "/registry/keluar-dtks/"]
    found += _audit(page, live_server.url, supervisor_lists, OUR_RULES)
    page.context.clear_cookies()
    login(peksos_odgj)
    peksos_pages = ["/", "/odgj/", *_record_urls(records, peksos_odgj)]
    found += _audit(page, live_server.url, peksos_pages, OUR_RULES)

    assert found == []


def test_a_form_sent_back_with_errors_meets_wcag_aa(
    live_server, login, records, operator_a
):
    page = login(operator_a)
    found: list[str] = []
    for name, typed in [
        ("intake", {}),
        ("household_create", {"kk_number": "123"}),
        ("sktm_request", {}),
        ("person_add", {"nik": "123"}),
        ("public_apply", {}),
    ]:
        page.goto(f"{live_server.url}{records[name][1]}")
        for field, value in typed.items():
            page.fill(f"main [name={field}]", value)
        page.evaluate(
            "document.querySelectorAll('main form').forEach(f => f.noValidate = true)"
        )
        page.locator("main form button:not([type=button])").last.click()
        page.wait_for_load_state()
        assert page.locator(".is-invalid, .invalid-feedback, .alert-danger").count(), (
            name
        )
        found += _violations(page, OUR_RULES)

    assert found == []


def test_on_a_phone_the_citizens_and_operators_screens_meet_wcag_aa(
    live_server, login, records, operator_a
):
    page = login(operator_a)
    page.set_viewport_size({"width": 390, "height": 800})
    urls = ["/", "/puskesos/kasus/", "/registry/sktm/", "/bpjs/"]
    urls += _record_urls(records, operator_a)

    found = _audit(page, live_server.url, urls, OUR_RULES)
    page.context.clear_cookies()
    citizens = [url for owner, url in records.values() if owner is None]
    found += _audit(page, live_server.url, [*citizens, "/transparansi/"], OUR_RULES)

    assert found == []


def test_the_supervisors_admin_meets_wcag_21_aa(
    live_server, login, records, supervisor
):
    page = login(supervisor)
    admin_pages = ["/admin/", "/admin/bpjs/application/", "/admin/registry/person/"]
    admin_pages += ["/admin/puskesos/case/", "/admin/core/accesslog/"]
    admin_pages += [f"/admin/registry/person/{Person.objects.first().pk}/change/"]

    found = _audit(page, live_server.url, admin_pages, WCAG_21_AA, MAIN_LANDMARK)

    assert found == []


def test_the_pages_opened_from_a_letter_or_a_link_meet_wcag_aa(
    live_server,
    page,
    login,
    kelurahan_a,
    operator_a,
    koordinator_a,
    peksos_odgj,
    supervisor,
):
    import datetime as dt

    from core.documents import signed_code
    from odgj.services import visit_plan
    from puskesos.models import Agency, CaseStatus
    from puskesos.services import case_refer, case_transition
    from tests.factories.odgj import subject
    from tests.factories.puskesos import case as puskesos_case
    from tests.factories.registry import issued_sktm, person
    from tests.registry.dtks_files import ROWS, dtks_csv, dtks_import

    sktm = issued_sktm(for_person=person(kelurahan=kelurahan_a))
    case = puskesos_case(
        kelurahan=kelurahan_a, actor=operator_a, need="adminduk", applicant_name="A"
    )
    case = case_transition(actor=operator_a, case=case, to=CaseStatus.ASSESSED)
    case = case_transition(
        actor=koordinator_a,
        case=case,
        to=CaseStatus.SERVICE_DECIDED,
        service_decision="Rujuk ke Dukcapil",
    )
    referral = case_refer(
        actor=operator_a, case=case, agency=Agency.objects.get(code="dukcapil")
    )
    reported = subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias="Subjek")
    visit = visit_plan(
        actor=peksos_odgj,
        planned_date=dt.date(2026, 12, 10),
        place_type="panti",
        place="Panti Sosial",
        kelurahan=kelurahan_a,
        subjects=[reported],
    )
    citizens = [
        f"/cek/sktm/{signed_code(sktm.verification_code)}/",
        f"/rujukan/{signed_code(referral.letter_code)}/",
    ]

    found = _audit(page, live_server.url, citizens, OUR_RULES)
    page.goto(f"{live_server.url}/tidak-ada/")
    found += _violations(page, OUR_RULES)
    login(peksos_odgj)
    found += _audit(
        page, live_server.url, [f"/odgj/kunjungan/{visit.public_id}/"], OUR_RULES
    )
    page.context.clear_cookies()
    login(supervisor)
    staged = dtks_import(supervisor, dtks_csv([ROWS[0], "x;y"]), commit=False)
    supervisor_pages = [f"/registry/dtks/{staged.public_id}/"]
    supervisor_pages += [f"/odgj/subjek/{reported.public_id}/akses-darurat/"]
    found += _audit(page, live_server.url, supervisor_pages, OUR_RULES)

    assert found == []


def test_a_form_sent_back_puts_the_cursor_on_the_first_field_to_correct(
    live_server, login, operator_a
):
    page = login(operator_a)
    page.goto(f"{live_server.url}/registry/keluarga/baru/")
    page.fill("main [name=kk_number]", "123")

    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.evaluate("document.activeElement.name") == "kk_number"


def test_the_first_key_press_offers_to_skip_the_menu(live_server, login, operator_a):
    page = login(operator_a)

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "content"


def test_a_dtks_preview_that_takes_many_out_of_dtks_meets_wcag_aa(
    live_server, login, supervisor, settings
):
    import datetime as dt

    from tests.registry.dtks_files import ROWS, dtks_csv, dtks_import

    settings.DTKS_DEACTIVATION_CONFIRM_MIN = 1
    dtks_import(supervisor, dtks_csv(ROWS))
    partial = dtks_import(
        supervisor, dtks_csv(ROWS[:1]), period=dt.date(2026, 11, 1), commit=False
    )
    page = login(supervisor)

    found = _audit(
        page, live_server.url, [f"/registry/dtks/{partial.public_id}/"], OUR_RULES
    )

    assert page.locator("#dtks-deactivation-warning").is_visible()
    assert found == []
