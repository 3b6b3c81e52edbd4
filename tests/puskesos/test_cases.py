from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from bpjs.models import Application
from core.exceptions import ApplicationError, InvalidTransitionError
from odgj.models import OdgjSubject
from puskesos.models import Case, CaseStatus, NeedCategory, Referral
from puskesos.services import (
    case_intake,
    case_refer,
    case_transition,
    referral_update_by_receiver,
)
from puskesos.sla import add_working_days, due_date, is_overdue
from registry.models import DtksProposal, DtksProposalStatus, Sktm
from registry.services.sktm import sktm_issue, sktm_verify
from tests.factories.bpjs import eligible_person
from tests.factories.core import PASSWORD
from tests.factories.registry import person

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def need(code):
    return NeedCategory.objects.get(code=code)


def _intake(actor, resident, code="kesehatan_bpjs", **kw):
    case, _ = case_intake(
        actor=actor,
        kelurahan=resident.kelurahan,
        person=resident,
        need=need(code),
        request_type="pengaduan",
        description="Butuh bantuan berobat",
        **kw,
    )
    return case


def _decided(actor, koordinator, resident, code="kesehatan_bpjs"):
    case = _intake(actor, resident, code)
    case = case_transition(actor=actor, case=case, to=CaseStatus.ASSESSED)
    return case_transition(
        actor=koordinator,
        case=case,
        to=CaseStatus.SERVICE_DECIDED,
        service_decision="Rujuk ke layanan",
    )


def test_intake_with_sktm_basis_stores_eligibility(operator_a, kelurahan_a):
    resident = eligible_person(kelurahan_a)

    case = _intake(operator_a, resident)

    assert case.eligibility_evidence["basis"] == "sktm"
    assert case.eligibility_evidence["entitled"] is True
    assert len(case.ticket_code) == 9


def test_intake_with_dtks_basis(operator_a, supervisor, kelurahan_a):
    from django.core.files.base import ContentFile

    from registry.services.dtks import (
        dtks_batch_commit,
        dtks_batch_upload,
        dtks_batch_validate,
    )

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

    case = _intake(operator_a, resident)

    assert case.eligibility_evidence["basis"] == "dtks"
    assert case.eligibility_evidence["desil"] == 1


def test_intake_without_basis_records_none(operator_a, kelurahan_a):
    case = _intake(operator_a, person(kelurahan=kelurahan_a))

    assert case.eligibility_evidence["basis"] == "none"


def test_intake_for_unregistered_citizen(operator_a, kelurahan_a):
    case, created = case_intake(
        actor=operator_a,
        kelurahan=kelurahan_a,
        need=need("pangan"),
        request_type="pertanyaan",
        description="Info sembako",
        applicant_name="Warga Baru",
    )

    assert created
    assert case.person is None
    assert case.eligibility_evidence == {}


def test_same_nik_and_need_while_open_is_linked_not_duplicated(operator_a, kelurahan_a):
    resident = person(kelurahan=kelurahan_a)
    first = _intake(operator_a, resident)

    second, created = case_intake(
        actor=None,
        kelurahan=kelurahan_a,
        need=need("kesehatan_bpjs"),
        request_type="pengaduan",
        description="lagi",
        applicant_name="x",
        nik=resident.nik,
        channel="daring",
    )

    assert not created
    assert second == first
    assert Case.objects.count() == 1


def test_koordinator_decides_service_but_operator_cannot(
    operator_a, koordinator_a, kelurahan_a
):
    case = case_transition(
        actor=operator_a,
        case=_intake(operator_a, person(kelurahan=kelurahan_a)),
        to=CaseStatus.ASSESSED,
    )

    with pytest.raises(ApplicationError, match="tidak berwenang"):
        case_transition(
            actor=operator_a,
            case=case,
            to=CaseStatus.SERVICE_DECIDED,
            service_decision="x",
        )
    case = case_transition(
        actor=koordinator_a,
        case=case,
        to=CaseStatus.SERVICE_DECIDED,
        service_decision="SKTM",
    )
    assert case.status == CaseStatus.SERVICE_DECIDED


def test_forbidden_transition_is_refused(operator_a, kelurahan_a):
    case = _intake(operator_a, person(kelurahan=kelurahan_a))

    with pytest.raises(InvalidTransitionError):
        case_transition(actor=operator_a, case=case, to=CaseStatus.RESOLVED)


def test_refused_transition_leaves_status_and_history_untouched(
    operator_a, kelurahan_a
):
    case = _intake(operator_a, person(kelurahan=kelurahan_a))
    before = (case.status, case.transitions.count())

    with pytest.raises(InvalidTransitionError):
        case_transition(actor=operator_a, case=case, to=CaseStatus.RESOLVED)

    case.refresh_from_db()
    assert (case.status, case.transitions.count()) == before


def test_rejection_needs_a_reason(operator_a, kelurahan_a):
    case = _intake(operator_a, person(kelurahan=kelurahan_a))

    with pytest.raises(ApplicationError, match="alasan"):
        case_transition(actor=operator_a, case=case, to=CaseStatus.REJECTED)


def test_referral_to_sktm_starts_the_sktm_workflow(
    operator_a, koordinator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    case = _decided(operator_a, koordinator_a, resident, "sktm")

    referral = case_refer(
        actor=operator_a,
        case=case,
        internal_flow="sktm",
        pengantar_number="05/RT-02",
        pengantar_date=dt.date(2026, 11, 20),
    )

    sktm = Sktm.objects.get(person=resident)
    assert referral.target_public_id == sktm.public_id
    assert sktm.pengantar_number == "05/RT-02"
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED


def test_referral_to_dtks_proposes_the_household_with_the_complaint(
    operator_a, koordinator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    case = _decided(operator_a, koordinator_a, resident, "usulan_dtks")

    referral = case_refer(actor=operator_a, case=case, internal_flow="dtks")

    proposal = DtksProposal.objects.get(household=resident.household)
    assert referral.target_public_id == proposal.public_id
    assert proposal.reason == case.description
    assert proposal.status == DtksProposalStatus.REGISTERED


def test_the_case_page_links_an_internal_referral_to_the_record_it_started(
    client, operator_a, koordinator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    case = _decided(operator_a, koordinator_a, resident, "usulan_dtks")
    case_refer(actor=operator_a, case=case, internal_flow="dtks")
    client.force_login(operator_a)

    page = client.get(reverse("puskesos:case_detail", args=[case.public_id]))

    proposal = DtksProposal.objects.get()
    link = reverse("registry:proposal_detail", args=[proposal.public_id])
    assert f'href="{link}"' in page.content.decode()


def test_referral_to_bpjs_creates_the_application(
    operator_a, koordinator_a, kelurahan_a
):
    resident = eligible_person(kelurahan_a)
    case = _decided(operator_a, koordinator_a, resident)

    case_refer(actor=operator_a, case=case, internal_flow="bpjs")

    assert Application.objects.get().person == resident


def test_referral_to_odgj_creates_a_subject_with_ticket(
    operator_a, koordinator_a, kelurahan_a
):
    case = _decided(operator_a, koordinator_a, person(kelurahan=kelurahan_a), "odgj")

    case_refer(
        actor=operator_a, case=case, internal_flow="odgj", alias="Bapak di taman"
    )

    subject = OdgjSubject.objects.get()
    assert subject.reporter_reference == case.ticket_code


def test_external_referral_loop_closes_through_receiver(
    operator_a, koordinator_a, kelurahan_a
):
    from puskesos.models import Agency

    case = _decided(
        operator_a, koordinator_a, person(kelurahan=kelurahan_a), "adminduk"
    )
    referral = case_refer(
        actor=operator_a, case=case, agency=Agency.objects.get(code="dukcapil")
    )

    referral_update_by_receiver(referral=referral, status=Referral.Status.ACCEPTED)
    referral = referral_update_by_receiver(
        referral=referral, status=Referral.Status.DONE
    )

    assert referral.status == Referral.Status.DONE
    with pytest.raises(ApplicationError):
        referral_update_by_receiver(referral=referral, status=Referral.Status.ACCEPTED)


def test_receiver_page_needs_no_account_and_refuses_forged_code(
    client, operator_a, koordinator_a, kelurahan_a
):
    from core.documents import signed_code
    from puskesos.models import Agency

    case = _decided(
        operator_a, koordinator_a, person(kelurahan=kelurahan_a), "adminduk"
    )
    referral = case_refer(
        actor=operator_a, case=case, agency=Agency.objects.get(code="dukcapil")
    )
    url = reverse("referral_receive", args=[signed_code(referral.letter_code)])

    client.post(url, {"status": "accepted"})
    forged = client.get(reverse("referral_receive", args=[referral.letter_code + ":x"]))

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert "tidak dikenal" in forged.content.decode()


def test_sla_counts_working_days_over_weekends_and_holidays():
    # Fri 14 Aug 2026 + 2 working days: Mon 17 Aug is a holiday → Tue 18, Wed 19.
    assert add_working_days(dt.date(2026, 8, 14), 2) == dt.date(2026, 8, 19)


def test_sla_due_uses_makassar_date():
    # 23:30 UTC on Sunday 15 Nov is already Monday 16 Nov 07:30 in Makassar.
    received = dt.datetime(2026, 11, 15, 23, 30, tzinfo=dt.UTC)

    assert due_date("ringan", received) == dt.date(2026, 11, 18)


def test_overdue_is_judged_in_makassar_time():
    due = dt.date(2026, 11, 18)

    assert not is_overdue(due, now=dt.datetime(2026, 11, 18, 15, 59, tzinfo=dt.UTC))
    assert is_overdue(due, now=dt.datetime(2026, 11, 18, 16, 1, tzinfo=dt.UTC))


def test_urgent_need_dispatches_trc(operator_a, kelurahan_a):
    case = _intake(operator_a, person(kelurahan=kelurahan_a), "anak_terlantar")

    assert case.urgent
    assert case.trc.arrived_at is None


def test_operator_of_other_kelurahan_gets_404(
    client, operator_b, operator_a, kelurahan_a
):
    case = _intake(operator_a, person(kelurahan=kelurahan_a))
    client.login(username=operator_b.username, password=PASSWORD)

    assert (
        client.get(reverse("puskesos:case_detail", args=[case.public_id])).status_code
        == 404
    )
    assert (
        case.ticket_code
        not in client.get(reverse("puskesos:case_list")).content.decode()
    )


def test_the_public_status_tells_where_the_case_was_referred_and_how_far_it_got(
    client, operator_a, koordinator_a, kelurahan_a
):
    from puskesos.models import Agency

    resident = person(kelurahan=kelurahan_a)
    case = _decided(operator_a, koordinator_a, resident, "adminduk")
    referral = case_refer(
        actor=operator_a,
        case=case,
        agency=Agency.objects.get(code="dukcapil"),
        note="Catatan internal petugas",
    )
    referral_update_by_receiver(referral=referral, status=Referral.Status.ACCEPTED)

    response = client.post(
        reverse("public_status"),
        {"ticket": case.ticket_code, "nik_last4": resident.nik[-4:]},
    )

    body = response.content.decode()
    shown = body[body.index('id="status-referrals"') :][:300]
    assert Agency.objects.get(code="dukcapil").name in shown
    assert "Diterima" in shown
    assert "Catatan internal petugas" not in body


def test_the_public_status_tells_how_far_an_internal_referral_got(
    client, operator_a, koordinator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    case = _decided(operator_a, koordinator_a, resident, "sktm")
    case_refer(
        actor=operator_a,
        case=case,
        internal_flow="sktm",
        pengantar_number="05/RT-02",
        pengantar_date=dt.date(2026, 11, 20),
    )
    sktm = Sktm.objects.get(person=resident)
    sktm_issue(
        actor=koordinator_a,
        sktm=sktm_verify(actor=koordinator_a, sktm=sktm),
        signed_by_name="Lurah",
        signed_by_nip="1",
    )

    response = client.post(
        reverse("public_status"),
        {"ticket": case.ticket_code, "nik_last4": resident.nik[-4:]},
    )

    body = response.content.decode()
    shown = body[body.index('id="status-referrals"') :][:300]
    assert "Permohonan SKTM — Terbit" in shown


def test_the_public_status_never_tells_the_stage_of_a_reported_odgj_subject(
    client, operator_a, koordinator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    case = _decided(operator_a, koordinator_a, resident, "odgj")
    case_refer(actor=operator_a, case=case, internal_flow="odgj")

    response = client.post(
        reverse("public_status"),
        {"ticket": case.ticket_code, "nik_last4": resident.nik[-4:]},
    )

    body = response.content.decode()
    shown = body[body.index('id="status-referrals"') :][:300]
    assert "Laporan penjangkauan ODGJ — Diproses" in shown
