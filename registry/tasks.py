"""Celery tasks of the registry: thin, idempotent, ids in and a service call."""

from __future__ import annotations

from celery import shared_task

from core.models import User
from registry.models import DtksImportBatch
from registry.services.dtks import dtks_batch_commit, dtks_batch_validate
from registry.services.sktm import sktm_expire_due


@shared_task(acks_late=True)
def dtks_validate_batch(batch_id: int) -> dict[str, int]:
    batch = dtks_batch_validate(batch=DtksImportBatch.objects.get(pk=batch_id))
    return {"rejected": batch.count_rejected, "new": batch.count_new}


@shared_task(acks_late=True)
def dtks_commit_batch(batch_id: int, actor_id: int) -> str:
    batch = dtks_batch_commit(
        actor=User.objects.get(pk=actor_id),
        batch=DtksImportBatch.objects.get(pk=batch_id),
    )
    return batch.status


@shared_task(acks_late=True)
def sktm_expire() -> int:
    return sktm_expire_due()
