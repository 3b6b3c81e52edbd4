from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import DashboardFilter, Panel
from core.models import Kelurahan
from registry.dtks_selectors import dtks_leaver_counts, dtks_still_out_by_kelurahan
from registry.models import (
    OPEN_PROPOSAL_STATES,
    DtksEntry,
    DtksImportBatch,
    DtksProposal,
    DtksProposalStatus,
    Sktm,
    SktmStatus,
)


def _last_dtks_change() -> object:
    events = apps.get_model("registry", "DtksEntryEvent")
    return events.objects.aggregate(m=Max("pgh_id"))["m"]


def _dtks_per_kelurahan(entries: Any, area: list[str] | None) -> list[dict[str, Any]]:
    """One pass over the DTKS entries, grouped by kelurahan (a household never spans two
    kelurahan, so household counts add up). DTKS statuses change only when an import is
    committed (or, rarely, an admin edits an entry), so the result is cached under the
    newest batch and the newest audit event of DTKS entries, which every change path
    writes: import, admin edit, deletion."""
    latest = (
        DtksImportBatch.objects.order_by("-committed_at")
        .values_list("pk", "committed_at")
        .first()
    )
    key = (
        "dashboard:dtks:"
        + hashlib.sha256(repr((latest, area, _last_dtks_change())).encode()).hexdigest()
    )
    cached = cache.get(key)
    if cached is None:
        cached = list(
            entries.values("person__kelurahan_id").annotate(
                persons=Count("id"),
                households=Count("person__household_id", distinct=True),
            )
        )
        cache.set(key, cached, timeout=24 * 60 * 60)
    return cached


# How long the dashboard keeps the count of residents out of DTKS per kelurahan when
# no import or DTKS entry changed: a death or a move of one of them shows within it.
LEAVERS_KEPT_SECONDS = 10 * 60


def _still_out_by_kelurahan() -> dict[str, int]:
    """`dtks_still_out_by_kelurahan`, kept: it reads every inactive entry (5M persons
    of whom 1M out of DTKS: 2.1 s; `bench.scale`), while the dashboard is opened all
    day. Kept under the newest batch and the newest audit event of DTKS entries, as
    `_dtks_per_kelurahan`, and for at most LEAVERS_KEPT_SECONDS; the calls that
    reach residents are counted afresh every time (`dtks_leaver_counts`)."""
    latest = DtksImportBatch.objects.order_by("-committed_at").values_list("pk").first()
    key = (
        "dashboard:dtks-leavers:"
        + hashlib.sha256(repr((latest, _last_dtks_change())).encode()).hexdigest()
    )
    cached: dict[str, int] | None = cache.get(key)
    if cached is None:
        cached = dtks_still_out_by_kelurahan()
        cache.set(key, cached, timeout=LEAVERS_KEPT_SECONDS)
    return cached


def _leavers_link(filters: DashboardFilter, **extra: str) -> str:
    """The counters' call-back list ("Keluar dari DTKS") on the staff pages, narrowed
    to the dashboard's kelurahan or kecamatan when one is chosen."""
    params = dict(extra)
    if filters.kelurahan:
        params["kelurahan"] = filters.kelurahan
    elif filters.kecamatan:
        params["kecamatan"] = filters.kecamatan
    url = reverse("registry:dtks_leavers")
    return f"{url}?{urlencode(params)}" if params else url


def registry_panel(filters: DashboardFilter) -> Panel:
    area = filters.kelurahan_ids()
    entries = DtksEntry.objects.filter(active=True)
    sktm = Sktm.objects.all()
    proposals = DtksProposal.objects.all()
    if area is not None:
        entries = entries.filter(person__kelurahan_id__in=area)
        sktm = sktm.filter(kelurahan_id__in=area)
        proposals = proposals.filter(kelurahan_id__in=area)
    per_kelurahan = _dtks_per_kelurahan(entries, area)
    kecamatan_of = dict(Kelurahan.objects.values_list("code", "kecamatan__name"))
    by_kecamatan: dict[str, int] = {}
    for row in per_kelurahan:
        name = kecamatan_of.get(row["person__kelurahan_id"], "?")
        by_kecamatan[name] = by_kecamatan.get(name, 0) + row["persons"]
    issued = sktm.filter(
        issued_on__year=filters.month.year, issued_on__month=filters.month.month
    )
    counts = dict(
        sktm.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    proposal_counts = dict(
        proposals.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    leavers = dtks_leaver_counts(
        kelurahan_ids=area, still_out_by_kelurahan=_still_out_by_kelurahan()
    )
    sktm_admin = reverse("admin:registry_sktm_changelist")
    proposal_admin = reverse("admin:registry_dtksproposal_changelist")
    dtks_admin = reverse("admin:registry_dtksentry_changelist")
    return Panel(
        title=_("Registri: DTKS dan SKTM"),
        figures=[
            (
                _("Penduduk di DTKS (aktif)"),
                sum(r["persons"] for r in per_kelurahan),
                dtks_admin + "?active__exact=1",
            ),
            (_("Keluarga di DTKS"), sum(r["households"] for r in per_kelurahan), ""),
            (
                _("Keluar dari DTKS (belum kembali)"),
                leavers.still_out,
                _leavers_link(filters),
            ),
            (
                _("Keluar dari DTKS, belum terhubung"),
                leavers.not_reached,
                _leavers_link(filters, tampil="belum"),
            ),
            (
                _("SKTM terbit bulan ini"),
                issued.count(),
                sktm_admin
                + filters.admin_query("kelurahan", status__exact=SktmStatus.ISSUED),
            ),
            (
                _("SKTM berlaku"),
                counts.get(SktmStatus.ISSUED, 0),
                sktm_admin
                + filters.admin_query("kelurahan", status__exact=SktmStatus.ISSUED),
            ),
            (
                _("SKTM kedaluwarsa"),
                counts.get(SktmStatus.EXPIRED, 0),
                sktm_admin
                + filters.admin_query("kelurahan", status__exact=SktmStatus.EXPIRED),
            ),
            (
                _("Usulan DTKS dalam proses"),
                sum(proposal_counts.get(state, 0) for state in OPEN_PROPOSAL_STATES),
                proposal_admin + filters.admin_query("kelurahan"),
            ),
            (
                _("Usulan DTKS yang masuk"),
                proposal_counts.get(DtksProposalStatus.INCLUDED, 0),
                proposal_admin
                + filters.admin_query(
                    "kelurahan", status__exact=DtksProposalStatus.INCLUDED
                ),
            ),
        ],
        chart_type="bar",
        chart={
            "labels": sorted(by_kecamatan),
            "datasets": [
                {
                    "label": _("Penduduk DTKS"),
                    "data": [by_kecamatan[k] for k in sorted(by_kecamatan)],
                    "backgroundColor": "var(--color-primary-600)",
                }
            ],
        },
    )
