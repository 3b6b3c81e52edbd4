"""Registry data-update jobs (run through core.jobs)."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.audit import actor_context
from core.jobs import JobContext, register_job
from registry.models import PopulationChange
from registry.services.dtks_bulk import build_deferred_indexes
from registry.services.sktm import sktm_expire_due


@register_job("sktm_expire", label=gettext_lazy("Kedaluwarsa SKTM"))
def sktm_expire(ctx: JobContext) -> None:
    ctx.add(changed=sktm_expire_due(), report={"sktm_kedaluwarsa": 0})


@register_job(
    "dtks_deferred_indexes",
    label=gettext_lazy("Indeks pencarian registri yang tertunda"),
)
def dtks_deferred_indexes(ctx: JobContext) -> None:
    """Indexes a bulk-load DTKS commit left unbuilt (its builder failed or was
    killed); nothing to do on almost every run."""
    ctx.add(changed=build_deferred_indexes())


_APPLY = {
    PopulationChange.Kind.DEATH: """
        UPDATE registry_person p
        SET is_deceased = true, deceased_on = c.event_date, version = p.version + 1,
            updated_at = %(now)s
        FROM registry_populationchange c
        WHERE c.id = ANY(%(ids)s) AND c.kind = 'kematian' AND p.nik = c.nik
          AND NOT p.is_deceased
    """,
    PopulationChange.Kind.MOVE_OUT: """
        UPDATE registry_person p
        SET domicile_status = 'pindah_keluar', version = p.version + 1, updated_at = %(now)s
        FROM registry_populationchange c
        WHERE c.id = ANY(%(ids)s) AND c.kind = 'pindah_keluar' AND p.nik = c.nik
          AND p.domicile_status <> 'pindah_keluar'
    """,
}


@register_job(
    "population_changes_apply",
    label=gettext_lazy("Perubahan data kependudukan dari Dukcapil"),
)
def population_changes_apply(ctx: JobContext) -> None:
    """Deaths and moves received from Dukcapil, applied set-based per chunk."""
    pending = PopulationChange.objects.filter(status=PopulationChange.Status.PENDING)
    for ids in ctx.chunks(pending, chunk_size=int(ctx.params.get("chunk_size", 5000))):
        with transaction.atomic(), actor_context(None, job="population_changes_apply"):
            changed = 0
            params: dict[str, Any] = {"ids": ids, "now": timezone.now()}
            with connection.cursor() as cursor:
                for sql in _APPLY.values():
                    cursor.execute(sql, params)
                    changed += cursor.rowcount
                cursor.execute(
                    """
                    UPDATE registry_populationchange c
                    SET status = CASE WHEN EXISTS (
                            SELECT 1 FROM registry_person p WHERE p.nik = c.nik)
                        THEN 'diterapkan' ELSE 'tidak_dikenal' END,
                        applied_at = %(now)s
                    WHERE c.id = ANY(%(ids)s)
                    """,
                    params,
                )
                # A move into another kelurahan of the city waits for that
                # kelurahan's counter, which records the new address with it.
                cursor.execute(
                    """
                    UPDATE registry_populationchange c
                    SET status = 'tunggu_kelurahan', applied_at = NULL
                    FROM registry_person p
                    WHERE c.id = ANY(%(ids)s) AND c.kind = 'pindah_masuk'
                      AND p.nik = c.nik AND NOT p.is_deceased
                      AND c.destination_id IS NOT NULL
                      AND c.destination_id IS DISTINCT FROM p.kelurahan_id
                    """,
                    params,
                )
                # So does a newcomer from outside the city, for that counter to
                # register when they come (registering the NIK settles it).
                cursor.execute(
                    """
                    UPDATE registry_populationchange c
                    SET status = 'tunggu_kelurahan', applied_at = NULL
                    WHERE c.id = ANY(%(ids)s) AND c.kind = 'pindah_masuk'
                      AND c.destination_id IS NOT NULL
                      AND NOT EXISTS (
                        SELECT 1 FROM registry_person p WHERE p.nik = c.nik)
                    """,
                    params,
                )
            ctx.commit_chunk(ids, examined=len(ids), changed=changed)
