"""Helpers for tests of DTKS staging (unit and worker integration)."""

from __future__ import annotations

from django.db import connection

from registry.models import DtksImportBatch


def staging_writers(batch: DtksImportBatch) -> int:
    """How many transactions wrote the batch's staged rows: one per process here
    (each process COPYs its rows on its own connection, in one chunk for a small
    file), so this shows the work was really split."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT xmin::text) FROM registry_dtksstagingrow"
            " WHERE batch_id = %s",
            [batch.pk],
        )
        return cursor.fetchone()[0]
