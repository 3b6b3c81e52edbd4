"""Scheduled and long jobs: one run at a time, recorded, chunked and resumable.

- A job is a function registered with `@register_job("name")` that works through
  `JobContext.chunks()`: keyset pagination by primary key (never OFFSET), each chunk in
  its own transaction together with its checkpoint, so a rerun redoes at most nothing.
- `run_job()` takes a PostgreSQL advisory lock per job name: a second start while one
  runs is refused and recorded. A run left RUNNING by a killed worker holds no lock
  (the connection died with the worker), so the next start resumes it from its
  checkpoint instead of starting over.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from core.models import JobRun, User

logger = logging.getLogger(__name__)
JobFunction = Callable[["JobContext"], None]
_jobs: dict[str, JobFunction] = {}
_labels: dict[str, str | Promise] = {}


def register_job(
    name: str, *, label: str | Promise = ""
) -> Callable[[JobFunction], JobFunction]:
    """`name` identifies the job in schedules and run records; `label` names it for
    the supervisor (lazy, so in the reader's language)."""

    def decorator(function: JobFunction) -> JobFunction:
        _jobs[name] = function
        _labels[name] = label or name
        return function

    return decorator


def registered_jobs() -> list[str]:
    return sorted(_jobs)


def job_label(name: str) -> str:
    return str(_labels.get(name, name))


def _lock_key(name: str) -> int:
    return int.from_bytes(
        hashlib.sha256(f"job:{name}".encode()).digest()[:8], "big", signed=True
    )


@dataclass
class JobContext:
    run: JobRun
    params: dict[str, Any] = field(default_factory=dict)

    def chunks(
        self, queryset: QuerySet[Any], *, chunk_size: int = 5000
    ) -> Iterator[list[int]]:
        """Primary keys in ascending chunks after the last checkpoint. The caller
        processes a chunk inside `with ctx.chunk(pks)` so work and checkpoint commit
        together."""
        if "total" not in self.run.checkpoint:
            self.run.checkpoint["total"] = queryset.count()
            self.run.save(update_fields=["checkpoint"])
        last = self.run.checkpoint.get("last_pk", 0)
        while True:
            pks = list(
                queryset.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:chunk_size]
            )
            if not pks:
                return
            yield pks
            last = pks[-1]

    def commit_chunk(
        self,
        pks: list[int],
        *,
        examined: int,
        changed: int,
        failed: int = 0,
        report: dict[str, int] | None = None,
    ) -> None:
        """Record a processed chunk; called inside the chunk's transaction."""
        run = self.run
        run.checkpoint["last_pk"] = pks[-1]
        run.checkpoint["done"] = run.checkpoint.get("done", 0) + len(pks)
        run.examined += examined
        run.changed += changed
        run.failed += failed
        for key, value in (report or {}).items():
            run.result[key] = run.result.get(key, 0) + value
        total = run.checkpoint.get("total") or 1
        run.progress = min(99, int(100 * run.checkpoint["done"] / total))
        run.save(
            update_fields=[
                "checkpoint",
                "examined",
                "changed",
                "failed",
                "result",
                "progress",
            ]
        )

    def add(
        self,
        *,
        examined: int = 0,
        changed: int = 0,
        failed: int = 0,
        report: dict[str, int] | None = None,
    ) -> None:
        self.run.examined += examined
        self.run.changed += changed
        self.run.failed += failed
        for key, value in (report or {}).items():
            self.run.result[key] = self.run.result.get(key, 0) + value
        self.run.save(update_fields=["examined", "changed", "failed", "result"])


def _try_lock(key: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired: bool = cursor.fetchone()[0]
    return acquired


def _unlock(key: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def run_job(
    *, name: str, params: dict[str, Any] | None = None, actor: User | None = None
) -> JobRun:
    if name not in _jobs:
        raise KeyError(name)
    params = params or {}
    key = _lock_key(name)
    if not _try_lock(key):
        return JobRun.objects.create(
            job_name=name,
            params=params,
            status=JobRun.Status.REFUSED,
            finished_at=timezone.now(),
            triggered_by=actor,
            error="Tugas yang sama sedang berjalan.",
        )
    try:
        run = (
            JobRun.objects.filter(job_name=name, status=JobRun.Status.RUNNING)
            .order_by("-started_at")
            .first()
        )
        if run is not None:  # its worker died: resume from the checkpoint
            run.attempts += 1
            run.save(update_fields=["attempts"])
        else:
            run = JobRun.objects.create(
                job_name=name, params=params, triggered_by=actor
            )
        context = JobContext(run=run, params=run.params)
        try:
            _jobs[name](context)
        except Exception as exc:
            run.status = JobRun.Status.FAILED
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "error", "finished_at"])
            logger.exception("job %s failed", name)
            raise
        run.status = JobRun.Status.SUCCEEDED
        run.progress = 100
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "progress", "finished_at"])
        return run
    finally:
        _unlock(key)
