from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from bpjs.models import Coverage, RemovalProposal, RemovalStatus
from core.jobs import JobContext, _lock_key, register_job, run_job
from core.models import JobRun
from registry.models import DomicileStatus, PopulationChange
from registry.services.households import person_update
from tests.factories.bpjs import participant
from tests.factories.puskesos import case as puskesos_case

pytestmark = pytest.mark.django_db


@register_job("test_count_chunks")
def _count_chunks(ctx: JobContext) -> None:
    for pks in ctx.chunks(
        JobRun.objects.exclude(job_name="test_count_chunks"), chunk_size=2
    ):
        ctx.commit_chunk(pks, examined=len(pks), changed=0)


def test_run_is_recorded_with_counts():
    run = run_job(name="sktm_expire")

    assert run.status == JobRun.Status.SUCCEEDED
    assert run.progress == 100
    assert run.finished_at is not None


def _advisory_lock_holders(key: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database"
            "                 WHERE datname = current_database())"
            " AND objsubid = 1 AND classid::bigint = %s AND objid::bigint = %s",
            [(key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF],
        )
        return [row[0] for row in cursor.fetchall()]


def test_second_start_while_running_is_refused_and_recorded(second_connection):
    key = _lock_key("sktm_expire")
    with second_connection.cursor() as cursor:  # another worker's run holds the lock
        cursor.execute("SELECT pg_advisory_lock(%s), pg_backend_pid()", [key])
        holder = cursor.fetchone()[1]
    assert _advisory_lock_holders(key) == [holder]

    run = run_job(name="sktm_expire")
    with second_connection.cursor() as cursor:  # the other run ends
        # Unlocked, not just disconnected: the server lets go of a closed session's
        # locks a moment after the client has gone, and the run below came first
        # now and then (seen under xdist).
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])

    assert run.status == JobRun.Status.REFUSED
    assert "sedang berjalan" in run.error
    assert run_job(name="sktm_expire").status == JobRun.Status.SUCCEEDED


def test_orphaned_run_resumes_from_its_checkpoint():
    for _ in range(5):
        JobRun.objects.create(job_name="filler", status=JobRun.Status.SUCCEEDED)
    first_three = list(
        JobRun.objects.filter(job_name="filler")
        .order_by("pk")
        .values_list("pk", flat=True)
    )[:3]
    orphan = JobRun.objects.create(
        job_name="test_count_chunks",
        checkpoint={"last_pk": first_three[-1], "total": 5, "done": 3},
        examined=3,
    )

    run = run_job(name="test_count_chunks")

    assert run.pk == orphan.pk
    assert run.attempts == 2
    assert run.examined == 5  # 3 before the kill + the 2 left, nothing twice


def test_reverify_proposes_removal_for_each_reason(kelurahan_a, operator_a):
    employed = participant(kelurahan_a, card="1")
    moved = participant(kelurahan_a, card="2")
    dead = participant(kelurahan_a, card="3")
    fine = participant(kelurahan_a, card="4")
    elsewhere = participant(kelurahan_a, card="5")
    Coverage.objects.create(
        person=elsewhere.person, segment="pbi_apbn", start_date=dt.date(2026, 10, 1)
    )
    for coverage, change in (
        (employed, {"formally_employed": True}),
        (moved, {"domicile_status": DomicileStatus.MOVED_OUT}),
        (dead, {"is_deceased": True, "deceased_on": dt.date(2026, 11, 2)}),
    ):
        person_update(
            actor=operator_a,
            person=coverage.person,
            version=coverage.person.version,
            **change,
        )

    run = run_job(name="bpjs_reverify", params={"chunk_size": 2})
    again = run_job(name="bpjs_reverify", params={"chunk_size": 2})

    reasons = dict(RemovalProposal.objects.values_list("coverage_id", "reason"))
    assert reasons == {
        employed.pk: "bekerja_formal",
        moved.pk: "pindah_keluar",
        dead.pk: "meninggal",
        elsewhere.pk: "ditanggung_lain",
    }
    assert RemovalProposal.objects.get(coverage=dead).status == RemovalStatus.EFFECTIVE
    assert Coverage.objects.get(pk=dead.pk).end_date == dt.date(2026, 11, 2)
    assert fine.pk not in reasons
    assert run.result == {
        "bekerja_formal": 1,
        "pindah_keluar": 1,
        "meninggal": 1,
        "ditanggung_lain": 1,
    }
    assert again.changed == 0


def test_population_changes_are_applied_once(kelurahan_a):
    from tests.factories.registry import person

    resident = person(kelurahan=kelurahan_a)
    PopulationChange.objects.create(
        kind="kematian", nik=resident.nik, event_date=dt.date(2026, 11, 1)
    )
    PopulationChange.objects.create(
        kind="pindah_keluar", nik="6471019999990001", event_date=dt.date(2026, 11, 1)
    )

    run = run_job(name="population_changes_apply")
    run_job(name="population_changes_apply")

    resident.refresh_from_db()
    assert resident.is_deceased
    assert resident.deceased_on == dt.date(2026, 11, 1)
    assert run.changed == 1
    assert set(PopulationChange.objects.values_list("status", flat=True)) == {
        "diterapkan",
        "tidak_dikenal",
    }


def test_overdue_cases_notify_assignee_and_supervisors_once(
    operator_a, supervisor, kelurahan_a
):
    from core.models import Notification

    _overdue_cases(1, operator_a, kelurahan_a)

    run_job(name="overdue_notify")
    run_job(name="overdue_notify")

    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {operator_a.pk, supervisor.pk}
    assert Notification.objects.count() == 2


def _overdue_cases(n, operator, kelurahan):
    for i in range(n):
        puskesos_case(
            actor=operator,
            kelurahan=kelurahan,
            request_type="pengaduan",
            applicant_name=f"A{i}",
            sla_due=dt.date(2026, 1, 1),
        )


def test_overdue_notices_take_the_same_statements_for_two_or_eight_cases(
    operator_a, supervisor, kelurahan_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import Notification

    def statements_for(n: int) -> int:
        _overdue_cases(n, operator_a, kelurahan_a)
        with CaptureQueriesContext(connection) as captured:
            run_job(name="overdue_notify")
        return len(captured)

    few = statements_for(2)
    many = statements_for(8)

    assert many == few
    assert Notification.objects.count() == 2 * 10  # assignee and supervisor each


def test_an_odgj_case_late_in_its_stage_is_told_to_its_worker_once(
    peksos_odgj, kelurahan_a
):
    from core.models import Notification
    from odgj.models import OdgjSubject
    from tests.factories.odgj import subject

    late = subject(actor=peksos_odgj, kelurahan=kelurahan_a)
    subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias="Baru")
    OdgjSubject.objects.filter(pk=late.pk).update(
        stage_changed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )

    run_job(name="overdue_notify")
    run_job(name="overdue_notify")

    [notice] = Notification.objects.all()
    assert (notice.recipient, notice.link) == (
        peksos_odgj,
        f"/odgj/subjek/{late.public_id}/",
    )


def test_the_odgj_notice_goes_out_for_exactly_the_worklists_red_cards(
    peksos_odgj, kelurahan_a
):
    from django.utils import timezone

    from core.models import Notification
    from odgj.models import OdgjSubject
    from odgj.selectors import odgj_worklist
    from tests.factories.odgj import subject

    now = timezone.now()
    # Teridentifikasi may last 7 days: 7 whole days is on time, 8 is late.
    for alias, days in [("Tepat", 7.5), ("Lewat", 8.5)]:
        found = subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias=alias)
        OdgjSubject.objects.filter(pk=found.pk).update(
            stage_changed_at=now - dt.timedelta(days=days)
        )
    red = {
        f"/odgj/subjek/{item.subject.public_id}/"
        for items in odgj_worklist(peksos_odgj).values()
        for item in items
        if item.overdue
    }

    run_job(name="overdue_notify")

    assert set(Notification.objects.values_list("link", flat=True)) == red
    assert len(red) == 1


def test_overdue_notice_is_emailed_once_per_case_to_those_with_an_address(
    operator_a, supervisor, kelurahan_a, settings, mailoutbox
):
    settings.NOTIFY_BY_EMAIL = True
    supervisor.email = "supervisor@dinsos.example"
    supervisor.save(update_fields=["email"])
    operator_a.email = ""
    operator_a.save(update_fields=["email"])
    _overdue_cases(2, operator_a, kelurahan_a)

    run_job(name="overdue_notify")

    assert len(mailoutbox) == 2
    assert {tuple(m.to) for m in mailoutbox} == {("supervisor@dinsos.example",)}
