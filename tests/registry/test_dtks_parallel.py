"""A big DTKS file is validated by several processes (forked), each taking every n-th
row; what is staged and rejected must not depend on how many there were."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from core.exceptions import ApplicationError
from registry.models import DtksImportBatch, DtksRejectedRow
from registry.services import dtks_staging
from registry.services.dtks import dtks_batch_upload, dtks_batch_validate
from tests.registry.staging import staging_writers

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "NIK;NO_KK;NAMA;TGL_LAHIR;JENIS_KELAMIN;HUBUNGAN_KELUARGA;ALAMAT;RT;RW;KODE_KELURAHAN;DESIL;ID_DTKS"


def _file() -> bytes:
    rows = []
    for i in range(1, 41):
        head = i % 4 == 1
        rows.append(
            f"64710112058{i:05d};64710123011900{(i + 3) // 4:02d};Warga {i};12/05/1985;L;"
            f"{'KEPALA KELUARGA' if head else 'ANAK'};Jl. A;1;2;6471011001;{i % 10 + 1};D-{i}"
        )
    rows[6] = rows[6].replace("6471011205800007", "64710112058")  # too short
    rows[13] = rows[13].replace("6471011001", "9999999999")  # not a kelurahan
    rows[20] = rows[2]  # the same NIK twice
    rows[27] = ""  # a blank line
    rows[33] = rows[33].replace(";5;D-34", ";11;D-34")  # desil out of range
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _validated(
    supervisor, processes: int, settings, period: dt.date = dt.date(2026, 10, 1)
) -> DtksImportBatch:
    settings.DTKS_PARALLEL_MIN_BYTES = 0
    settings.DTKS_VALIDATION_PROCESSES = processes
    batch = dtks_batch_upload(
        actor=supervisor, file=ContentFile(_file(), name="dtks.csv"), period=period
    )
    assert dtks_staging.staging_processes(Path(batch.file.path)) == processes
    return dtks_batch_validate(batch=batch)


def _staged(batch: DtksImportBatch) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_number, nik, kk_number, name, birth_date, relationship,"
            " kelurahan_id, desil FROM registry_dtksstagingrow WHERE batch_id = %s"
            " ORDER BY row_number",
            [batch.pk],
        )
        return cursor.fetchall()


def _rejections(batch: DtksImportBatch) -> list[tuple]:
    return list(
        DtksRejectedRow.objects.filter(batch=batch)
        .order_by("row_number")
        .values_list("row_number", "reason", "nik")
    )


def _counts(batch: DtksImportBatch) -> tuple:
    return (
        batch.rows_total,
        batch.count_new,
        batch.count_rejected,
        batch.status,
    )


def test_three_processes_stage_and_reject_exactly_what_one_process_does(
    supervisor, settings
):
    one = _validated(supervisor, 1, settings)
    # Another period: the same file twice for one period, both in preview, would be
    # a double submission.
    three = _validated(supervisor, 3, settings, period=dt.date(2026, 11, 1))

    assert _staged(three) == _staged(one)
    assert _rejections(three) == _rejections(one)
    assert _counts(three) == _counts(one)
    assert _counts(one) == (40, 35, 4, DtksImportBatch.Status.PREVIEWED)
    assert (staging_writers(one), staging_writers(three)) == (1, 3)


def test_children_never_share_a_connection_the_parent_keeps_elsewhere(
    supervisor, settings
):
    """Django keeps a thread's connections apart per async context while an event
    loop runs in the thread (as in a process driving a browser with Playwright's sync
    API). A fork resets the loop, so a child sees the thread's other connection,
    which the parent's close_all() never saw: still open, and shared with the
    parent. Found by the test suite under pytest-xdist."""
    connection.ensure_connection()  # the thread's own connection, left open
    loop = asyncio.new_event_loop()
    asyncio.events._set_running_loop(loop)
    try:
        batch = _validated(supervisor, 3, settings)
    finally:
        asyncio.events._set_running_loop(None)
        loop.close()

    assert _counts(batch) == (40, 35, 4, DtksImportBatch.Status.PREVIEWED)
    assert staging_writers(batch) == 3


def test_processes_draw_different_public_ids(supervisor, settings):
    """Ids drawn before a fork would be drawn again by the child: each process must
    draw its own."""
    batch = _validated(supervisor, 3, settings)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_public_id, household_public_id FROM registry_dtksstagingrow"
            " WHERE batch_id = %s",
            [batch.pk],
        )
        ids = [public_id for row in cursor.fetchall() for public_id in row]

    assert len(ids) == 2 * 35
    assert len(set(ids)) == len(ids)
    assert {public_id.version for public_id in ids} == {4}


def test_public_ids_stay_distinct_random_uuids_past_one_draw():
    ids = list(itertools.islice(dtks_staging.random_uuids(), 3 * 4096 + 1))

    assert len(set(ids)) == len(ids)
    assert {uuid.UUID(bytes=public_id).version for public_id in ids} == {4}
    assert {uuid.UUID(bytes=public_id).variant for public_id in ids} == {uuid.RFC_4122}


@pytest.fixture
def second_part_dies(monkeypatch):
    """The process validating part 2 dies; calling the fixture's value revives it."""
    stage_part = dtks_staging.stage_part

    def dies(**kwargs):
        if kwargs["part"] == 2:
            raise RuntimeError("killed")
        return stage_part(**kwargs)

    monkeypatch.setattr(dtks_staging, "stage_part", dies)
    return lambda: monkeypatch.setattr(dtks_staging, "stage_part", stage_part)


def test_a_failed_process_fails_the_validation_and_leaves_nothing_staged(
    supervisor, settings, second_part_dies
):
    with pytest.raises(ApplicationError) as failure:
        _validated(supervisor, 3, settings)

    batch = DtksImportBatch.objects.get()
    assert failure.value.code == "staging_failed"
    assert batch.status == DtksImportBatch.Status.FAILED
    assert "jalankan validasi lagi" in batch.error
    assert _staged(batch) == []
    assert _rejections(batch) == []


def test_validation_that_failed_in_a_process_succeeds_when_run_again(
    supervisor, settings, second_part_dies
):
    with pytest.raises(ApplicationError):
        _validated(supervisor, 3, settings)
    second_part_dies()  # revived

    batch = dtks_batch_validate(batch=DtksImportBatch.objects.get())

    assert _counts(batch) == (40, 35, 4, DtksImportBatch.Status.PREVIEWED)
    assert len(_staged(batch)) == 35


def test_a_caller_inside_a_transaction_validates_in_one_process(settings, tmp_path):
    settings.DTKS_PARALLEL_MIN_BYTES = 0
    settings.DTKS_VALIDATION_PROCESSES = 3
    path = tmp_path / "dtks.csv"
    path.write_bytes(_file())
    from django.db import transaction

    with transaction.atomic():
        # The other processes could not see an uncommitted batch.
        assert dtks_staging.staging_processes(path) == 1


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and prctl")
def test_a_staging_process_dies_with_the_process_that_forked_it():
    """A worker killed mid-validation must not leave a child that goes on staging rows
    after the re-run has cleared the staging."""
    script = (
        "import os, time, django\n"
        "django.setup()\n"
        "from registry.services.dtks_staging import _die_with\n"
        "parent = os.getpid()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    _die_with(parent)\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(parent.stdout.readline())
    assert _alive(child)

    parent.kill()
    parent.wait(10)

    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)
