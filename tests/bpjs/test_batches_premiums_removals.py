from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from bpjs.models import AppStatus, Coverage, PremiumRate, RemovalStatus
from bpjs.services.batches import (
    AnswerRow,
    batch_create,
    batch_export_xlsx,
    batch_record_answer,
    parse_answer_file,
)
from bpjs.services.premiums import budget_status, monthly_bill, statement_build
from bpjs.services.removals import (
    RemovalFinding,
    removal_approve,
    removal_decide_objection,
    removal_finalize_due,
    removal_object,
    removal_propose,
    removals_propose,
)
from core.exceptions import ApplicationError
from core.models import Notification
from tests.factories.bpjs import dkk_verified, participant

pytestmark = pytest.mark.django_db


def _ready_for_month(kelurahan, verifier, n, period):
    """n applications ready for `period`'s batch, named apart from other months'."""
    return [
        dkk_verified(kelurahan, verifier, name=f"Warga {period.month} {i}")
        for i in range(n)
    ]


def test_batch_export_has_bpjs_columns_and_text_niks(kelurahan_a, verifikator):
    application = dkk_verified(kelurahan_a, verifikator, name="Siti Aminah")
    batch = batch_create(actor=verifikator, period=dt.date(2026, 12, 1))

    sheet = load_workbook(io.BytesIO(batch_export_xlsx(batch))).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]

    assert header[:4] == ["NO", "NIK", "NO_KK", "NAMA_LENGKAP"]
    values = dict(zip(header, row, strict=True))
    assert values["NIK"] == application.person.nik
    assert isinstance(values["NIK"], str)
    assert values["NAMA_LENGKAP"] == "Siti Aminah"
    assert values["KODE_FASKES"] == "PKM-MANGGAR"
    assert values["KELAS_RAWAT"] == "3"
    assert values["TMT"] == "01-12-2026"
    application.refresh_from_db()
    assert application.status == AppStatus.PROPOSED


def _active(nik: str, *, card: str) -> AnswerRow:
    """BPJS's answer that the person is an active participant from December."""
    return AnswerRow(
        nik=nik, accepted=True, card_number=card, start_date=dt.date(2026, 12, 1)
    )


def test_answer_activates_rejects_and_reports_unknown_nik(kelurahan_a, verifikator):
    yes = dkk_verified(kelurahan_a, verifikator)
    no = dkk_verified(kelurahan_a, verifikator, name="Budi", sex="L")
    batch = batch_create(actor=verifikator, period=dt.date(2026, 12, 1))

    report = batch_record_answer(
        actor=verifikator,
        batch=batch,
        rows=[
            _active(yes.person.nik, card="0002"),
            AnswerRow(nik=no.person.nik, accepted=False, reason_code="DATA_GANDA"),
            _active("6471019999990001", card="9"),
        ],
    )

    assert (report.activated, report.rejected, report.unknown_niks) == (
        1,
        1,
        ["6471019999990001"],
    )
    assert Coverage.objects.get(person=yes.person).card_number == "0002"
    no.refresh_from_db()
    assert (no.status, no.rejection_reason) == (AppStatus.BPJS_REJECTED, "Data ganda")


@pytest.mark.parametrize("card", ["0001-2345", "1" * 21])
def test_an_answer_with_a_card_number_that_is_not_one_is_reported_and_skipped(
    kelurahan_a, verifikator, card
):
    application = dkk_verified(kelurahan_a, verifikator)
    batch = batch_create(actor=verifikator, period=dt.date(2026, 12, 1))

    report = batch_record_answer(
        actor=verifikator,
        batch=batch,
        rows=[_active(application.person.nik, card=card)],
    )

    assert report.activated == 0
    assert "nomor kartu bukan angka" in report.errors[0]
    application.refresh_from_db()
    assert application.status == AppStatus.PROPOSED


def test_a_long_reason_code_in_the_answer_file_is_cut_to_its_column(tmp_path):
    path = tmp_path / "jawaban.csv"
    path.write_text("NIK;STATUS;KODE_ALASAN\n6471011205850001;DITOLAK;" + "X" * 90)

    (row,) = parse_answer_file(path)

    assert row.reason_code == "X" * 40


def test_answer_file_import_is_idempotent(kelurahan_a, verifikator, tmp_path):
    application = dkk_verified(kelurahan_a, verifikator)
    batch = batch_create(actor=verifikator, period=dt.date(2026, 12, 1))
    path = tmp_path / "jawaban.csv"
    path.write_text(
        f"NIK;STATUS;NO_KARTU;TMT\n{application.person.nik};AKTIF;0003;01-12-2026\n"
    )

    rows = parse_answer_file(path)
    batch_record_answer(actor=verifikator, batch=batch, rows=rows)
    again = batch_record_answer(actor=verifikator, batch=batch, rows=rows)

    assert again.activated == 0
    assert Coverage.objects.filter(person=application.person).count() == 1


def test_answer_file_without_status_column_is_refused(tmp_path):
    path = tmp_path / "jawaban.csv"
    path.write_text("NIK;NO_KARTU\n6471011205850001;1\n")

    with pytest.raises(ApplicationError, match="STATUS"):
        parse_answer_file(path)


def test_monthly_bill_uses_the_rate_of_each_month(kelurahan_a, kelurahan_b):
    participant(kelurahan_a, start=dt.date(2026, 1, 1))
    participant(kelurahan_b, start=dt.date(2026, 1, 1), card="2")
    participant(kelurahan_a, start=dt.date(2026, 7, 1), card="3")
    PremiumRate.objects.create(
        valid_from=dt.date(2026, 7, 1),
        premium=50000,
        central_share=4200,
        city_share=45800,
    )

    june = monthly_bill(dt.date(2026, 6, 1))[-1]
    july = monthly_bill(dt.date(2026, 7, 1))[-1]

    assert (june.participants, june.amount) == (2, 2 * 37800)
    assert (july.participants, july.amount) == (3, 3 * 45800)


def test_statement_has_a_line_per_kelurahan_and_city_total(kelurahan_a):
    participant(kelurahan_a, start=dt.date(2026, 1, 1))

    lines = statement_build(month=dt.date(2026, 3, 1))
    statement_build(month=dt.date(2026, 3, 1))  # rebuilding changes nothing

    assert len(lines) == 35
    city = next(s for s in lines if s.kelurahan_id is None)
    manggar = next(s for s in lines if s.kelurahan_id == kelurahan_a.pk)
    assert (city.participants, city.amount) == (1, 37800)
    assert manggar.participants == 1


def test_budget_warning_when_projection_nears_ceiling(kelurahan_a):
    from bpjs.models import BudgetCeiling

    participant(kelurahan_a, start=dt.date(2026, 1, 1))
    BudgetCeiling.objects.update_or_create(year=2026, defaults={"amount": 12 * 37800})

    status = budget_status(year=2026, today=dt.date(2026, 6, 15))

    assert status.projected_total == 12 * 37800
    assert status.warning


def test_removal_with_due_process_affects_next_months_bill(
    kelurahan_a, supervisor, operator_a
):
    coverage = participant(kelurahan_a, start=dt.date(2026, 1, 1))
    proposal = removal_propose(
        actor=supervisor,
        coverage=coverage,
        reason="bekerja_formal",
        evidence="Terdaftar PPU oleh PT X",
    )

    proposal = removal_approve(actor=supervisor, proposal=proposal)
    proposal.response_deadline = dt.date(2026, 11, 10)
    proposal.save()
    done = removal_finalize_due(today=dt.date(2026, 11, 20))

    coverage.refresh_from_db()
    assert done == 1
    assert (coverage.active, coverage.end_date) == (False, dt.date(2026, 11, 20))
    assert monthly_bill(dt.date(2026, 11, 1))[-1].participants == 1
    assert monthly_bill(dt.date(2026, 12, 1))[-1].participants == 0


def test_objection_upheld_keeps_the_participant(kelurahan_a, supervisor, operator_a):
    coverage = participant(kelurahan_a)
    proposal = removal_approve(
        actor=supervisor,
        proposal=removal_propose(
            actor=supervisor, coverage=coverage, reason="pindah_keluar"
        ),
    )

    proposal = removal_object(
        actor=operator_a,
        proposal=proposal,
        objection="Masih tinggal di RT 03, hanya kerja di luar kota",
    )
    proposal = removal_decide_objection(
        actor=supervisor, proposal=proposal, upheld=True
    )

    coverage.refresh_from_db()
    assert proposal.status == RemovalStatus.CANCELLED
    assert coverage.active


def test_death_takes_effect_at_once(kelurahan_a):
    coverage = participant(kelurahan_a)

    proposal = removal_propose(
        actor=None,
        coverage=coverage,
        reason="meninggal",
        effective_date=dt.date(2026, 11, 5),
    )

    coverage.refresh_from_db()
    assert proposal.status == RemovalStatus.EFFECTIVE
    assert coverage.end_date == dt.date(2026, 11, 5)


def test_proposing_twice_returns_the_open_proposal(kelurahan_a, supervisor):
    coverage = participant(kelurahan_a)

    first = removal_propose(actor=supervisor, coverage=coverage, reason="tidak_layak")
    second = removal_propose(actor=supervisor, coverage=coverage, reason="tidak_layak")

    assert first == second


def test_citizen_gets_a_letter_when_removal_is_approved(
    kelurahan_a, supervisor, django_capture_on_commit_callbacks
):
    coverage = participant(kelurahan_a)
    proposal = removal_propose(
        actor=supervisor, coverage=coverage, reason="tidak_layak"
    )

    with django_capture_on_commit_callbacks(execute=True):
        removal_approve(actor=supervisor, proposal=proposal)

    letter = Notification.objects.get(channel="surat")
    assert letter.kelurahan == kelurahan_a
    assert "sanggahan" in letter.body


def test_the_removal_letter_is_in_indonesian_when_approved_from_an_english_screen(
    kelurahan_a, supervisor, django_capture_on_commit_callbacks
):
    coverage = participant(kelurahan_a)
    proposal = removal_propose(
        actor=supervisor, coverage=coverage, reason="pindah_keluar"
    )

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        removal_approve(actor=supervisor, proposal=proposal)

    letter = Notification.objects.get(channel="surat")
    assert letter.subject.startswith("Pemberitahuan rencana penghapusan")
    assert "karena: Pindah ke luar Balikpapan" in letter.body


def test_many_findings_open_one_removal_each_and_deaths_end_at_once(kelurahan_a):
    employed, moved, died = (participant(kelurahan_a) for _ in range(3))

    opened = removals_propose(
        actor=None,
        findings=[
            RemovalFinding(employed.pk, "bekerja_formal", "PPU"),
            RemovalFinding(moved.pk, "pindah_keluar"),
            RemovalFinding(died.pk, "meninggal", effective_date=dt.date(2026, 11, 5)),
        ],
    )

    status = {p.coverage_id: p.status for p in opened}
    died.refresh_from_db()
    assert status == {
        employed.pk: RemovalStatus.PROPOSED,
        moved.pk: RemovalStatus.PROPOSED,
        died.pk: RemovalStatus.EFFECTIVE,
    }
    assert (died.active, died.end_date) == (False, dt.date(2026, 11, 5))
    assert [t.to_state for t in opened[2].transitions.order_by("pk")] == [
        RemovalStatus.PROPOSED,
        RemovalStatus.EFFECTIVE,
    ]


def test_findings_already_open_or_inactive_open_nothing(kelurahan_a, supervisor):
    open_already = participant(kelurahan_a)
    removal_propose(actor=supervisor, coverage=open_already, reason="tidak_layak")
    ended = participant(kelurahan_a)
    Coverage.objects.filter(pk=ended.pk).update(active=False)

    opened = removals_propose(
        actor=None,
        findings=[
            RemovalFinding(open_already.pk, "bekerja_formal"),
            RemovalFinding(ended.pk, "pindah_keluar"),
        ],
    )

    assert opened == []


def test_proposing_many_takes_the_same_statements_for_ten_as_for_two(kelurahan_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements(n: int) -> int:
        findings = [
            RemovalFinding(participant(kelurahan_a).pk, "bekerja_formal")
            for _ in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            removals_propose(actor=None, findings=findings)
        return len(captured)

    assert statements(10) == statements(2)


def test_a_refused_move_in_a_batch_records_none_of_them(kelurahan_a, supervisor):
    from bpjs.models import REMOVAL_WORKFLOW, RemovalTransition
    from core.exceptions import InvalidTransitionError

    open_one = removal_propose(
        actor=supervisor, coverage=participant(kelurahan_a), reason="tidak_layak"
    )
    ended = removal_propose(
        actor=None,
        coverage=participant(kelurahan_a),
        reason="meninggal",
        effective_date=dt.date(2026, 11, 5),
    )
    recorded = RemovalTransition.objects.count()

    with pytest.raises(InvalidTransitionError):
        REMOVAL_WORKFLOW.move_many(
            [open_one, ended],
            to=RemovalStatus.NOTIFIED,
            actor=supervisor,
            record=RemovalTransition,
            owner_field="proposal",
            notes=["", ""],
        )

    assert RemovalTransition.objects.count() == recorded
    assert open_one.status == RemovalStatus.PROPOSED


def test_batch_of_a_month_takes_the_same_statements_for_two_or_eight_applications(
    kelurahan_a, verifikator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements_for(n: int, period: dt.date) -> int:
        _ready_for_month(kelurahan_a, verifikator, n, period)
        with CaptureQueriesContext(connection) as captured:
            batch = batch_create(actor=verifikator, period=period)
        assert batch.applications.count() == n
        return len(captured)

    few = statements_for(2, dt.date(2026, 10, 1))
    many = statements_for(8, dt.date(2026, 11, 1))

    assert many == few


def test_batch_records_every_application_as_proposed_by_the_verifier(
    kelurahan_a, verifikator
):
    applications = [
        dkk_verified(kelurahan_a, verifikator, name=f"Warga {i}") for i in (1, 2)
    ]

    batch = batch_create(actor=verifikator, period=dt.date(2026, 11, 15))

    for application in applications:
        application.refresh_from_db()
        assert (application.status, application.batch) == (AppStatus.PROPOSED, batch)
        last = application.transitions.order_by("-id").first()
        assert (last.from_state, last.to_state, last.actor) == (
            AppStatus.DKK_VERIFIED,
            AppStatus.PROPOSED,
            verifikator,
        )


def test_bpjs_answer_takes_the_same_statements_for_two_or_eight_people(
    kelurahan_a, verifikator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements_for(n: int, period: dt.date) -> int:
        ready = _ready_for_month(kelurahan_a, verifikator, n, period)
        batch = batch_create(actor=verifikator, period=period)
        rows = [
            AnswerRow(
                nik=application.person.nik,
                accepted=i % 2 == 0,
                card_number=f"{period.month:02d}{i:011d}",
                start_date=period,
                reason_code="" if i % 2 == 0 else "DATA_GANDA",
            )
            for i, application in enumerate(ready)
        ]
        with CaptureQueriesContext(connection) as captured:
            report = batch_record_answer(actor=verifikator, batch=batch, rows=rows)
        assert (report.activated, report.rejected) == (n // 2, n // 2)
        return len(captured)

    few = statements_for(2, dt.date(2026, 10, 1))
    many = statements_for(8, dt.date(2026, 11, 1))

    assert many == few


def test_a_second_line_for_the_same_nik_in_the_answer_is_left_out(
    kelurahan_a, verifikator
):
    application = dkk_verified(kelurahan_a, verifikator)
    batch = batch_create(actor=verifikator, period=dt.date(2026, 11, 1))
    nik = application.person.nik

    report = batch_record_answer(
        actor=verifikator,
        batch=batch,
        rows=[
            AnswerRow(
                nik=nik,
                accepted=True,
                card_number="0009990001112",
                start_date=dt.date(2026, 11, 1),
            ),
            AnswerRow(nik=nik, accepted=False, reason_code="DATA_GANDA"),
        ],
    )

    assert (report.activated, report.rejected) == (1, 0)
    application.refresh_from_db()
    assert application.status == AppStatus.ACTIVE
    assert Coverage.objects.get(application=application).card_number == "0009990001112"
