"""DTKS/DTSEN status per person, and the import batches that set it."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import track_changes
from core.roles import REGISTRY_READ_ROLES, SUPERVISOR_ROLES
from core.scoping import ScopedModel

from .households import Person


class DtksImportBatch(ScopedModel):
    """One uploaded DTKS snapshot: file, period, who, counts and outcome."""

    class Status(models.TextChoices):
        UPLOADED = "diunggah", _("Diunggah")
        VALIDATING = "memvalidasi", _("Sedang divalidasi")
        PREVIEWED = "pratinjau", _("Siap ditinjau")
        COMMITTING = "menyimpan", _("Sedang disimpan")
        COMMITTED = "tersimpan", _("Tersimpan")
        FAILED = "gagal", _("Gagal")
        CANCELLED = "dibatalkan", _("Dibatalkan")

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    period = models.DateField(_("periode"), help_text=_("Bulan data DTKS (tanggal 1)."))
    file = models.FileField(_("berkas"), upload_to="dtks/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True, verbose_name=_("SHA-256"))
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disimpan oleh"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dibuat pada")
    )
    committed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("disimpan pada")
    )
    rows_total = models.PositiveIntegerField(default=0, verbose_name=_("jumlah baris"))
    rows_processed = models.PositiveIntegerField(
        default=0, verbose_name=_("baris diproses")
    )
    count_new = models.PositiveIntegerField(_("baru"), default=0)
    count_updated = models.PositiveIntegerField(_("berubah"), default=0)
    count_unchanged = models.PositiveIntegerField(_("tetap"), default=0)
    count_rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    count_deactivated = models.PositiveIntegerField(_("keluar dari DTKS"), default=0)
    # Filled only when the snapshot takes persons out of DTKS: how many were active
    # before it, and the kelurahan (codes) none of whose persons in DTKS is in the
    # file.
    count_active_before = models.PositiveIntegerField(
        _("aktif sebelum impor"), default=0
    )
    kelurahan_absent = models.JSONField(
        _("kelurahan yang tertinggal dari berkas"), default=list, blank=True
    )
    count_proposals_included = models.PositiveIntegerField(
        _("usulan DTKS yang masuk"), default=0
    )
    error = models.TextField(blank=True, verbose_name=_("kesalahan"))
    column_mapping = models.JSONField(
        default=dict, blank=True, verbose_name=_("pemetaan kolom")
    )

    area_lookup: ClassVar[str] = "id"  # city-wide data: only city-wide roles read it
    readable_roles: ClassVar[frozenset[str]] = SUPERVISOR_ROLES

    # Not yet saved nor given up: the same file twice in this state for one period is
    # a double submission (a committed one may be imported again: nothing changes).
    IN_FLIGHT: ClassVar[tuple[str, ...]] = (
        Status.UPLOADED,
        Status.VALIDATING,
        Status.PREVIEWED,
        Status.COMMITTING,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor DTKS")
        verbose_name_plural = _("impor DTKS")
        constraints = [
            models.UniqueConstraint(
                fields=["sha256", "period"],
                condition=models.Q(
                    status__in=["diunggah", "memvalidasi", "pratinjau", "menyimpan"]
                ),
                name="dtks_batch_one_in_flight_per_file_and_period",
            )
        ]

    def __str__(self) -> str:
        return f"DTKS {self.period:%Y-%m} ({self.original_name})"

    @property
    def deactivation_needs_confirmation(self) -> bool:
        """Whether saving takes so many persons out of DTKS that it may be a partial
        file (settings.DTKS_DEACTIVATION_CONFIRM_*)."""
        if self.count_deactivated < settings.DTKS_DEACTIVATION_CONFIRM_MIN:
            return False
        share = settings.DTKS_DEACTIVATION_CONFIRM_SHARE
        return bool(self.kelurahan_absent) or (
            self.count_deactivated >= share * self.count_active_before
        )

    @property
    def deactivated_percent(self) -> float:
        """The share of those in DTKS before that saving takes out, in percent."""
        if not self.count_active_before:
            return 0.0
        return 100 * self.count_deactivated / self.count_active_before


class DtksStagingRow(models.Model):
    """Validated rows of a batch, loaded by COPY before the set-based upsert.

    Unlogged in the migration (it is rebuilt from the file if the server crashes) and
    emptied after commit.
    """

    # No FK constraint and no index: each would be checked or updated per COPY row.
    batch = models.ForeignKey(
        DtksImportBatch,
        on_delete=models.DO_NOTHING,
        db_index=False,
        db_constraint=False,
    )
    row_number = models.PositiveIntegerField()
    nik = models.CharField(max_length=16)
    kk_number = models.CharField(max_length=16)
    name = models.CharField(max_length=150)
    name_search = models.CharField(max_length=150)
    birth_place = models.CharField(max_length=100)
    birth_date = models.DateField(null=True)
    sex = models.CharField(max_length=1)
    relationship = models.CharField(max_length=20)
    address = models.CharField(max_length=255)
    rt = models.CharField(max_length=3)
    rw = models.CharField(max_length=3)
    kelurahan_id = models.CharField(max_length=13)
    desil = models.PositiveSmallIntegerField(null=True)
    dtks_id = models.CharField(max_length=40)
    padan_dukcapil = models.BooleanField(null=True)
    # The public ids the row's person and household get if the commit creates them,
    # drawn at validation (in parallel processes, registry.services.dtks_staging)
    # instead of one gen_random_uuid() call per row in the single-threaded commit. The
    # database default serves rows staged by code that did not draw them.
    person_public_id = models.UUIDField(db_default=RandomUUID())
    household_public_id = models.UUIDField(db_default=RandomUUID())


class DtksRejectedRow(models.Model):
    batch = models.ForeignKey(
        DtksImportBatch,
        on_delete=models.CASCADE,
        related_name="rejected_rows",
        verbose_name=_("batch impor DTKS"),
    )
    row_number = models.PositiveIntegerField(_("baris"))
    reason = models.CharField(_("alasan"), max_length=255)
    nik = models.CharField(_("NIK (sebagaimana tertulis)"), max_length=40, blank=True)
    name = models.CharField(_("nama"), max_length=150, blank=True)

    class Meta:
        ordering = ["row_number", "id"]


@track_changes(unindexed=("person", "batch"))
class DtksEntry(ScopedModel):
    """A person's current DTKS/DTSEN status.

    One row per person, touched only when the status changes, so re-importing an
    unchanged snapshot writes nothing. `active` means present in the latest committed
    snapshot; the history of changes is in the audit trail.
    """

    class DeactivationReason(models.TextChoices):
        ABSENT = "tidak_ada_di_snapshot", _("Tidak ada di data DTKS periode terbaru")
        DECEASED = "meninggal", _("Meninggal")
        MOVED = "pindah", _("Pindah")
        DUPLICATE = "ganda", _("Data ganda")
        ABLE = "mampu", _("Sudah mampu")

    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        related_name="dtks",
        verbose_name=_("penduduk"),
    )
    dtks_id = models.CharField(_("ID DTKS"), max_length=40, blank=True)
    desil = models.PositiveSmallIntegerField(_("desil"), null=True, blank=True)
    padan_dukcapil = models.BooleanField(_("padan Dukcapil"), null=True)
    active = models.BooleanField(_("aktif"), default=True)
    active_since = models.DateField(_("aktif sejak periode"))
    inactive_since = models.DateField(_("keluar pada periode"), null=True, blank=True)
    deactivation_reason = models.CharField(
        max_length=24,
        choices=DeactivationReason.choices,
        blank=True,
        verbose_name=_("alasan nonaktif"),
    )
    batch = models.ForeignKey(
        DtksImportBatch,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("batch impor DTKS"),
    )

    area_lookup: ClassVar[str] = "person__kelurahan"
    readable_roles: ClassVar[frozenset[str]] = REGISTRY_READ_ROLES

    class Meta:
        verbose_name = _("status DTKS")
        verbose_name_plural = _("status DTKS")
        indexes = [
            # Those out of DTKS are few (the "Keluar dari DTKS" lists and their
            # dashboard figures): without it each read scans every entry (~40 ms at
            # 1M persons, five times that at 5M).
            models.Index(
                fields=["person"],
                condition=Q(active=False),
                name="dtks_entry_inactive",
            ),
            # The "Keluar dari DTKS" list's order (latest departure first): a page is
            # a walk that stops after its rows, where a sort of everyone out took
            # 3.3 s with 1M out (the 5M bench city).
            models.Index(
                fields=["-inactive_since", "person"],
                # DeactivationReason.ABSENT (not in scope in Meta)
                condition=Q(active=False, deactivation_reason="tidak_ada_di_snapshot"),
                name="dtks_entry_left_order",
            ),
        ]


@track_changes()
class DtksLeaverContact(ScopedModel):
    """A counter's call to a resident a DTKS snapshot took out ("Keluar dari DTKS"):
    who called, when, whether they were reached, a short note. Tied to that
    departure by its period (`left_on`): a later departure starts afresh."""

    class Outcome(models.TextChoices):
        REACHED = "terhubung", _("Terhubung")
        NOT_REACHED = "tidak_terhubung", _("Tidak dapat dihubungi")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="dtks_leaver_contacts",
        verbose_name=_("penduduk"),
    )
    left_on = models.DateField(_("keluar pada periode"))
    outcome = models.CharField(_("hasil"), max_length=16, choices=Outcome.choices)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dihubungi oleh"),
    )
    contacted_at = models.DateTimeField(_("waktu"), default=timezone.now)

    area_lookup: ClassVar[str] = "person__kelurahan"
    readable_roles: ClassVar[frozenset[str]] = REGISTRY_READ_ROLES

    @property
    def reached(self) -> bool:
        return self.outcome == self.Outcome.REACHED

    class Meta:
        verbose_name = _("kontak warga keluar DTKS")
        verbose_name_plural = _("kontak warga keluar DTKS")
        ordering = ["-contacted_at", "-id"]
        indexes = [
            models.Index(
                fields=["person", "-contacted_at"], name="leaver_contact_latest"
            )
        ]


class DeferredIndex(models.Model):
    """A non-unique index a bulk-load commit dropped and left to be built after its
    COMMIT (registry.services.dtks_bulk), kept here so that a worker killed before it
    is built leaves the statement to build it, not a missing index nobody knows of."""

    table = models.CharField(max_length=63)
    name = models.CharField(max_length=63, unique=True)
    definition = models.TextField()  # CREATE INDEX …, as pg_get_indexdef writes it
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("indeks tertunda")
        verbose_name_plural = _("indeks tertunda")

    def __str__(self) -> str:
        return self.name
