"""The one Celery task that runs any registered job: thin, ids and names in."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core.jobs import run_job
from core.models import User


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),  # transient database errors only
    retry_backoff=True,
    max_retries=5,
)
def run_job_task(
    name: str, params: dict[str, Any] | None = None, actor_id: int | None = None
) -> dict[str, Any]:
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    run = run_job(name=name, params=params, actor=actor)
    return {"run": run.pk, "status": run.status, "changed": run.changed}
