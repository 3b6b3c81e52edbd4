"""Validation of a DTKS file into the staging table, in one or several processes.

Each row is checked in Python (7-15 µs a row on the bench machine, by the hour:
most of a re-import's validation). A big CSV file is therefore validated by several
processes at once, each taking every n-th row: every process reads the whole file
(parsing a CSV row is a small part of its cost) but validates and COPYs only its own rows, on its own
connection. Row numbers, rejections and staged rows are the same as with one process;
nothing but counts passes between the processes, and a failed process fails the whole
validation, which is safe to re-run (it starts by clearing the batch's staging).

The other processes are forked from this one (no second start-up of Django, which
costs seconds here), with os.fork rather than multiprocessing: validation runs inside
a Celery prefork child, and multiprocessing refuses children to a daemonic process.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import json
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils.translation import gettext as _
from psycopg import postgres
from psycopg.abc import Buffer
from psycopg.adapt import Dumper
from psycopg.pq import Format

from core.exceptions import ApplicationError
from registry.dtks_import.reader import is_xlsx, iter_rows
from registry.dtks_import.rows import (
    STAGING_COLUMNS,
    RowLayout,
    RowRejected,
    column_mapping,
    resolve_columns,
    validate_row,
)
from registry.models import DtksImportBatch, DtksRejectedRow

logger = logging.getLogger(__name__)

COPY_CHUNK_ROWS = 100_000
REJECT_FLUSH_ROWS = 2_000


@dataclass(frozen=True)
class StagedPart:
    rows_total: int
    rejected: int


def update_progress(batch: DtksImportBatch, **fields: Any) -> None:
    DtksImportBatch.objects.filter(pk=batch.pk).update(**fields)
    for name, value in fields.items():
        setattr(batch, name, value)


_UUID_BATCH = 4096
_UUID_VERSION = bytes((b & 0x0F) | 0x40 for b in range(256))  # byte 6: 0100xxxx
_UUID_VARIANT = bytes((b & 0x3F) | 0x80 for b in range(256))  # byte 8: 10xxxxxx


def random_uuids() -> Iterator[bytes]:
    """Version 4 UUIDs as their 16 bytes, drawn from os.urandom a few thousand at a
    time: about 0.1 µs each, against 1.9 µs for uuid.uuid4() and 2.5 µs for
    PostgreSQL's gen_random_uuid() on a server built without OpenSSL (the embedded
    one), which reads /dev/urandom on every call. `next()` on it runs in C (a
    method of our own per id cost a staging process a few tenths of a second). An
    iterator must not cross a fork (both processes would hand out the same ids):
    each staging process makes its own."""
    return itertools.chain.from_iterable(iter(_draw_uuids, None))


def _draw_uuids() -> list[bytes]:
    raw = bytearray(os.urandom(16 * _UUID_BATCH))
    raw[6::16] = raw[6::16].translate(_UUID_VERSION)
    raw[8::16] = raw[8::16].translate(_UUID_VARIANT)
    return [bytes(raw[i : i + 16]) for i in range(0, len(raw), 16)]


class _UuidBytesDumper(Dumper):
    """A UUID given as its 16 bytes, in COPY's binary format (psycopg's own UUID
    dumper wants a uuid.UUID, which costs a microsecond to build)."""

    format = Format.BINARY
    oid = postgres.types["uuid"].oid

    def dump(self, obj: Buffer) -> Buffer:
        return obj


_STAGING_WRITE_COLUMNS = (
    "batch_id",
    "row_number",
    *STAGING_COLUMNS,
    "person_public_id",
    "household_public_id",
)


class _StagingWriter:
    """Streams validated rows into the staging table with COPY, one chunk per COPY
    statement so progress can be published between chunks; nothing is buffered in
    Python, so memory stays flat whatever the file size. Each row also gets the
    public ids of the person and household the commit may create from it.

    COPY's binary format: half the client's and the server's time of the text
    format for these rows (2.1 -> 1.0 and 2.0 -> 1.2 µs a row, measured on 200k),
    since nothing is formatted as text, escaped and parsed back."""

    def __init__(self, batch: DtksImportBatch, *, publishes_progress: bool) -> None:
        self.batch = batch
        self.publishes_progress = publishes_progress
        self.public_ids = random_uuids()
        self.stack = contextlib.ExitStack()
        self.copy: Any = None
        self.in_chunk = 0
        self.types: list[int] = []

    def _open(self) -> Any:
        cursor = self.stack.enter_context(connection.cursor()).cursor
        if not self.types:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute "
                "WHERE attrelid = 'registry_dtksstagingrow'::regclass AND attnum > 0"
            )
            oids = dict(cursor.fetchall())
            self.types = [oids[name] for name in _STAGING_WRITE_COLUMNS]
        # Only this cursor's bytes are UUIDs.
        cursor.adapters.register_dumper(bytes, _UuidBytesDumper)
        # psycopg 3 COPY, through Django's cursor wrapper.
        copy = self.stack.enter_context(
            cursor.copy(
                f"COPY registry_dtksstagingrow ({', '.join(_STAGING_WRITE_COLUMNS)})"
                " FROM STDIN (FORMAT BINARY)"
            )
        )
        copy.set_types(self.types)
        return copy

    def write(self, row_number: int, values: tuple[Any, ...]) -> None:
        if self.copy is None:
            self.copy = self._open()
        ids = self.public_ids
        self.copy.write_row((self.batch.pk, row_number, *values, next(ids), next(ids)))
        self.in_chunk += 1
        if self.in_chunk >= COPY_CHUNK_ROWS:
            self.close()
            if self.publishes_progress:
                update_progress(self.batch, rows_processed=row_number - 1)

    def close(self) -> None:
        self.stack.close()
        self.copy = None
        self.in_chunk = 0


def file_columns(
    batch: DtksImportBatch, header: Sequence[object] | None
) -> dict[str, int]:
    """Each field's column in the file; a missing required column is a file error."""
    if header is None:
        raise ApplicationError(_("Berkas kosong."), code="empty_file")
    return resolve_columns(header, batch.column_mapping or column_mapping())


def stage_part(
    *, batch: DtksImportBatch, path: Path, part: int = 0, parts: int = 1
) -> StagedPart:
    """Validate the rows whose number modulo `parts` is `part` and stage the valid
    ones; rejected rows are recorded with their row number and reason."""
    rows = iter_rows(
        path, skip=lambda number: parts > 1 and number > 1 and number % parts != part
    )
    columns = file_columns(batch, next(rows, None))
    layout = RowLayout(columns)
    writer = _StagingWriter(batch, publishes_progress=part == 0)
    rejected: list[DtksRejectedRow] = []
    rejected_count = 0
    row_number = 1
    nik_index = columns["nik"]
    name_index = columns["name"]
    try:
        for cells in rows:
            row_number += 1
            if parts > 1 and row_number % parts != part:
                continue
            # any(cells) settles nearly every row in C; only a row of falsy cells (a
            # spreadsheet's zeros) needs the exact test.
            if not any(cells) and all(c in (None, "") for c in cells):
                continue
            try:
                values = validate_row(cells, layout)
            except RowRejected as exc:
                rejected_count += 1
                rejected.append(
                    DtksRejectedRow(
                        batch=batch,
                        row_number=row_number,
                        reason=exc.reason.replace("\0", "")[
                            :255
                        ],  # it may quote a cell
                        nik=_as_recorded(cells, nik_index)[:40],
                        name=_as_recorded(cells, name_index)[:150],
                    )
                )
                if len(rejected) >= REJECT_FLUSH_ROWS:
                    # The connection cannot run another statement inside a COPY.
                    writer.close()
                    DtksRejectedRow.objects.bulk_create(rejected)
                    rejected.clear()
                continue
            writer.write(row_number, values)
    except BaseException:
        # A file error found mid-file (an unclosed quote): end the open COPY, or the
        # connection could run nothing else, not even the batch's failure. What it
        # staged goes with the rest of the batch's staging.
        with contextlib.suppress(Exception):
            writer.close()
        raise
    writer.close()
    DtksRejectedRow.objects.bulk_create(rejected)
    return StagedPart(rows_total=row_number - 1, rejected=rejected_count)


def _as_recorded(cells: Sequence[object], index: int) -> str:
    """A rejected row's cell as it is shown with the rejection; a NUL character
    (which a text column cannot hold) is dropped."""
    return str(cells[index] if index < len(cells) else "").replace("\0", "")


def staging_processes(path: Path) -> int:
    """How many processes validate this file. Small files and XLSX (whose parsing
    costs as much as the checks, so every process reading it all would gain
    nothing) take one; so does a caller inside a transaction, whose uncommitted
    batch the other processes could not see."""
    wanted = int(
        getattr(settings, "DTKS_VALIDATION_PROCESSES", 0) or os.cpu_count() or 1
    )
    if wanted <= 1 or connection.in_atomic_block or not hasattr(os, "fork"):
        return 1
    if path.stat().st_size < settings.DTKS_PARALLEL_MIN_BYTES or is_xlsx(path):
        return 1
    return wanted


def stage_file(*, batch: DtksImportBatch, path: Path) -> StagedPart:
    """Validate the whole file into staging with `staging_processes` processes:
    this one takes part 0 (and publishes progress), forked copies of it the others."""
    # A file-level error is raised before any other process starts.
    file_columns(batch, next(iter_rows(path), None))
    parts = staging_processes(path)
    if parts == 1:
        return stage_part(batch=batch, path=path)
    # No connection may be shared across the fork: each process opens its own.
    connections.close_all()
    children: list[tuple[int, int]] = []
    try:
        for part in range(1, parts):
            children.append(_fork_part(batch, path, part, parts))
        own = stage_part(batch=batch, path=path, part=0, parts=parts)
        rejected = own.rejected
        while children:
            pid, read_fd = children.pop()
            with os.fdopen(read_fd, "rb") as pipe:
                report = pipe.read().decode()
            _pid, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0 or not report.startswith("{"):
                # The report names the exception's class only: a message could carry
                # row values (personal data).
                logger.error("DTKS staging process failed: %s", report or status)
                raise ApplicationError(
                    _(
                        "Validasi berkas gagal di salah satu proses. Tidak ada data yang "
                        "berubah; jalankan validasi lagi."
                    ),
                    code="staging_failed",
                )
            rejected += json.loads(report)["rejected"]
    finally:
        for pid, read_fd in children:
            _stop(pid, read_fd)
    return StagedPart(rows_total=own.rows_total, rejected=rejected)


def _fork_part(
    batch: DtksImportBatch, path: Path, part: int, parts: int
) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(write_fd)
        return pid, read_fd
    # The child: stage its part, report the counts, and leave without running the
    # parent's exit handlers (a Celery worker's, a test runner's).
    os.close(read_fd)
    code = 1
    try:
        _die_with(parent)
        _connect_afresh()
        staged = stage_part(batch=batch, path=path, part=part, parts=parts)
        report = json.dumps(
            {"rows_total": staged.rows_total, "rejected": staged.rejected}
        )
        code = 0
    except BaseException as exc:
        report = type(exc).__name__
    finally:
        with contextlib.suppress(BaseException):
            os.write(write_fd, report.encode())
            connections.close_all()
        os._exit(code)


def _connect_afresh() -> None:
    """Give the child connections of its own. The parent's close_all() closed the
    connections it sees, but Django keeps a thread's connections apart per async
    context while an event loop runs in the thread (a process that drives a browser
    through Playwright's sync API has one), and the fork resets the loop: the child
    would see the thread's other connection, still open in the parent, and both
    would talk over one socket. Each inherited wrapper is dropped, not closed:
    closing would end the parent's session too (psycopg leaves a connection made in
    another process alone when it is collected)."""
    for inherited in connections.all():
        fresh = connections.create_connection(inherited.alias)
        fresh.settings_dict = inherited.settings_dict
        connections[inherited.alias] = fresh


def _die_with(parent: int) -> None:
    """Killed when the parent dies: a worker killed mid-validation must not leave a
    child still staging rows after the task's re-run has cleared the staging."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # it died before that was set
        raise ChildProcessError("parent gone")


def _stop(pid: int, read_fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(read_fd)
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
