"""Real Redis broker, real Celery worker processes, real PostgreSQL (no eager mode).

Locally these are skipped without REDIS_URL; with CI=true a missing Redis fails them.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bpjs.models import RemovalProposal
from core.models import JobRun
from core.tasks import run_job_task
from registry.models import DtksImportBatch, Person
from registry.tasks import dtks_validate_batch
from tests.factories.bpjs import participant
from tests.integration.needs_redis import (
    REDIS_URL,
    redis_reachable,
    skip_module_without_redis,
)
from tests.registry.staging import staging_writers

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
skip_module_without_redis("Celery integration tests")


VISIBILITY = 8
TIME_LIMIT = 6


@pytest.fixture
def queue():
    redis_reachable()
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def start_worker(queue, tmp_path):
    workers: list[subprocess.Popen] = []

    def start(
        name: str, *, pool: str = "solo", settings_env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_NAME": connection.settings_dict["NAME"],
            "REDIS_URL": REDIS_URL,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
            "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
            "CELERY_TASK_SOFT_TIME_LIMIT": str(TIME_LIMIT - 1),
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            **(settings_env or {}),
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        workers.append(process)
        _wait_for(lambda: "ready" in log.read_text(), 60, f"worker {name} start", log)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for(condition, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    detail = log.read_text()[-2000:] if log and log.exists() else ""
    pytest.fail(f"timed out waiting for {what}\n{detail}")


def _flag_all_employed() -> None:
    Person.objects.update(formally_employed=True)


def test_job_runs_end_to_end_on_a_real_worker(start_worker, queue):
    start_worker("one")

    run_job_task.apply_async(args=["sktm_expire"], queue=queue)

    _wait_for(
        lambda: JobRun.objects.filter(
            job_name="sktm_expire", status=JobRun.Status.SUCCEEDED
        ).exists(),
        30,
        "the job to succeed",
    )


def test_worker_killed_mid_run_is_resumed_with_exactly_the_expected_changes(
    start_worker, queue, kelurahan_a
):
    coverages = [participant(kelurahan_a, card=str(i)) for i in range(12)]
    _flag_all_employed()
    worker = start_worker("victim")

    run_job_task.apply_async(
        args=["bpjs_reverify", {"chunk_size": 2, "sleep_per_chunk": 0.4}], queue=queue
    )
    _wait_for(
        lambda: JobRun.objects.filter(
            job_name="bpjs_reverify", changed__gte=4
        ).exists(),
        30,
        "two chunks to commit",
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    killed_at = JobRun.objects.get(job_name="bpjs_reverify")
    assert killed_at.status == JobRun.Status.RUNNING
    assert killed_at.changed < len(coverages)

    start_worker("rescuer")  # the unacknowledged task is delivered again
    _wait_for(
        lambda: JobRun.objects.filter(
            job_name="bpjs_reverify", status=JobRun.Status.SUCCEEDED
        ).exists(),
        VISIBILITY + 40,
        "the job to resume and finish",
    )

    run = JobRun.objects.get(job_name="bpjs_reverify")
    assert run.attempts >= 2
    assert run.changed == len(coverages)
    assert RemovalProposal.objects.count() == len(coverages)
    assert sorted(
        RemovalProposal.objects.values_list("coverage_id", flat=True)
    ) == sorted(c.pk for c in coverages)


def test_two_simultaneous_starts_give_one_run(start_worker, queue, kelurahan_a):
    for i in range(6):
        participant(kelurahan_a, card=str(i))
    start_worker("a")
    start_worker("b")

    for _ in range(2):
        run_job_task.apply_async(
            args=["bpjs_reverify", {"chunk_size": 1, "sleep_per_chunk": 0.5}],
            queue=queue,
        )

    _wait_for(
        lambda: (
            JobRun.objects.filter(job_name="bpjs_reverify").count() == 2
            and not JobRun.objects.filter(status=JobRun.Status.RUNNING).exists()
        ),
        40,
        "both tasks to finish",
    )
    statuses = sorted(JobRun.objects.values_list("status", flat=True))
    assert statuses == [JobRun.Status.SUCCEEDED, JobRun.Status.REFUSED]


def test_big_dtks_file_is_validated_by_forked_processes_in_a_prefork_worker(
    start_worker, queue, supervisor
):
    """Production workers are prefork children, which multiprocessing refuses to let
    have children of their own; the validation forks them itself."""
    from django.core.files.base import ContentFile

    from registry.services.dtks import dtks_batch_upload

    rows = [
        f"64710112058{i:05d};6471012301190001;Warga {i};12/05/1985;L;"
        f"{'KEPALA KELUARGA' if i == 1 else 'ANAK'};Jl. A;1;2;6471011001;1;D-{i}"
        for i in range(1, 31)
    ]
    header = "NIK;NO_KK;NAMA;TGL_LAHIR;JENIS_KELAMIN;HUBUNGAN_KELUARGA;ALAMAT;RT;RW;KODE_KELURAHAN;DESIL;ID_DTKS"
    batch = dtks_batch_upload(
        actor=supervisor,
        file=ContentFile(("\n".join([header, *rows]) + "\n").encode(), name="d.csv"),
        period=dt.date(2026, 10, 1),
    )
    start_worker(
        "prefork",
        pool="prefork",
        settings_env={
            "DTKS_PARALLEL_MIN_BYTES": "0",
            "DTKS_VALIDATION_PROCESSES": "3",
        },
    )

    dtks_validate_batch.apply_async(args=[batch.pk], queue=queue)

    _wait_for(
        lambda: (
            DtksImportBatch.objects.get(pk=batch.pk).status
            in (DtksImportBatch.Status.PREVIEWED, DtksImportBatch.Status.FAILED)
        ),
        60,
        "the validation to finish",
    )
    batch.refresh_from_db()
    assert (batch.status, batch.count_new, batch.count_rejected) == (
        DtksImportBatch.Status.PREVIEWED,
        30,
        0,
    )
    assert staging_writers(batch) == 3  # the worker's process and two forked ones
