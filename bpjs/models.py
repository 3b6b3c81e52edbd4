"""BPJS Kesehatan class III enrolment paid by the city (PBPU/BP Pemda, Perwali 26/2021):
applications, their verification chain, proposal batches, coverage, premiums, removal."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import track_changes
from core.models import Kelurahan
from core.roles import REGISTRY_READ_ROLES, Role
from core.scoping import ScopedModel
from core.workflow import TransitionRecord, Workflow
from registry.eligibility import Basis
from registry.models import Household, Person

BPJS_ROLES = frozenset(
    {
        Role.OPERATOR_KELURAHAN,
        Role.KOORDINATOR_PUSKESOS,
        Role.VERIFIKATOR_DINSOS,
        Role.SUPERVISOR_DINSOS,
        Role.ADMIN,
    }
)


class HealthFacility(models.Model):
    """A first-level facility (FKTP): puskesmas or clinic. Kept as data."""

    class Kind(models.TextChoices):
        # First-level facility (FKTP) types BPJS Kesehatan contracts with.
        PUSKESMAS = "puskesmas", _("Puskesmas")
        KLINIK = "klinik", _("Klinik pratama")
        DOKTER = "dokter", _("Praktik dokter")
        DOKTER_GIGI = "dokter_gigi", _("Praktik dokter gigi")
        RS_PRATAMA = "rs_pratama", _("Rumah sakit kelas D pratama")

    code = models.CharField(_("kode faskes"), max_length=20, primary_key=True)
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(
        _("jenis"), max_length=20, choices=Kind.choices, default=Kind.PUSKESMAS
    )
    active = models.BooleanField(default=True, verbose_name=_("aktif"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("faskes tingkat 1")
        verbose_name_plural = _("faskes tingkat 1")

    def __str__(self) -> str:
        return self.name


class PremiumRate(models.Model):
    """Class III premium per person per month from a date (dated configuration).

    Rp 42,000 since 1 Jul 2020 (Perpres 64/2020); the central government pays Rp 4,200
    of it for PBPU/BP, Balikpapan pays the remaining Rp 37,800 [R]. Check the current
    Perpres before adding a row (KRIS may change it).
    """

    valid_from = models.DateField(_("berlaku sejak"), unique=True)
    premium = models.PositiveIntegerField(_("iuran kelas III (Rp)"))
    central_share = models.PositiveIntegerField(_("bantuan pusat (Rp)"))
    city_share = models.PositiveIntegerField(_("tanggungan Pemkot (Rp)"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=150, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("tarif iuran")
        verbose_name_plural = _("tarif iuran")
        constraints = [
            models.CheckConstraint(
                condition=Q(premium=models.F("central_share") + models.F("city_share")),
                name="premium_rate_shares_add_up",
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from:%d-%m-%Y}: Rp {self.city_share}"


class BudgetCeiling(models.Model):
    year = models.PositiveSmallIntegerField(_("tahun anggaran"), unique=True)
    amount = models.BigIntegerField(_("pagu APBD (Rp)"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("pagu anggaran")
        verbose_name_plural = _("pagu anggaran")

    def __str__(self) -> str:
        return f"{self.year}"


class Segment(models.TextChoices):
    PBPU_PEMDA = "pbpu_pemda", _("PBPU/BP Pemda (APBD Kota)")
    PBI_APBN = "pbi_apbn", _("PBI-JK (APBN)")
    PBI_APBD_PROV = "pbi_apbd_prov", _("PBI APBD Provinsi")
    PPU = "ppu", _("PPU (pekerja penerima upah)")
    PBPU_MANDIRI = "pbpu_mandiri", _("PBPU mandiri")


@track_changes()
class Coverage(ScopedModel):
    """A person's membership of a JKN segment; ours is PBPU_PEMDA."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="coverages",
        verbose_name=_("penduduk"),
    )
    segment = models.CharField(_("segmen"), max_length=16, choices=Segment.choices)
    card_number = models.CharField(_("nomor kartu"), max_length=20, blank=True)
    start_date = models.DateField(_("TMT"))
    end_date = models.DateField(_("berakhir"), null=True, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    source = models.CharField(_("sumber"), max_length=20, default="bpjs")
    application = models.OneToOneField(
        "Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coverage",
        verbose_name=_("pengajuan BPJS"),
    )

    area_lookup: ClassVar[str] = "person__kelurahan"
    readable_roles: ClassVar[frozenset[str]] = REGISTRY_READ_ROLES

    class Meta:
        verbose_name = _("kepesertaan JKN")
        verbose_name_plural = _("kepesertaan JKN")
        constraints = [
            # One active membership per segment; a second payer appearing (PBI-APBN,
            # an employer) is what makes our PBPU Pemda coverage removable.
            models.UniqueConstraint(
                fields=["person", "segment"],
                condition=Q(active=True),
                name="coverage_one_active_per_segment",
            )
        ]
        indexes = [models.Index(fields=["segment", "active"])]

    def __str__(self) -> str:
        return f"{self.get_segment_display()} #{self.pk}"


class AppStatus(models.TextChoices):
    SUBMITTED = "diajukan", _("Diajukan kelurahan")
    APPROVED = "disetujui_dinsos", _("Disetujui Dinsos")
    REJECTED = "ditolak_dinsos", _("Ditolak Dinsos")
    DKK_VERIFIED = "diverifikasi_dkk", _("Diverifikasi Dinas Kesehatan")
    DKK_REJECTED = "ditolak_dkk", _("Ditolak Dinas Kesehatan")
    PROPOSED = "diusulkan_bpjs", _("Diusulkan ke BPJS")
    ACTIVE = "aktif", _("Aktif (peserta)")
    BPJS_REJECTED = "ditolak_bpjs", _("Ditolak BPJS")
    CANCELLED = "dibatalkan", _("Dibatalkan")


APPLICATION_WORKFLOW = Workflow(
    name=_("Pengajuan BPJS"),
    transitions={
        AppStatus.SUBMITTED: frozenset(
            {AppStatus.APPROVED, AppStatus.REJECTED, AppStatus.CANCELLED}
        ),
        AppStatus.REJECTED: frozenset({AppStatus.SUBMITTED, AppStatus.CANCELLED}),
        AppStatus.APPROVED: frozenset({AppStatus.DKK_VERIFIED, AppStatus.DKK_REJECTED}),
        AppStatus.DKK_REJECTED: frozenset({AppStatus.SUBMITTED, AppStatus.CANCELLED}),
        AppStatus.DKK_VERIFIED: frozenset({AppStatus.PROPOSED}),
        AppStatus.PROPOSED: frozenset({AppStatus.ACTIVE, AppStatus.BPJS_REJECTED}),
        AppStatus.BPJS_REJECTED: frozenset({AppStatus.SUBMITTED, AppStatus.CANCELLED}),
        AppStatus.ACTIVE: frozenset(),
        AppStatus.CANCELLED: frozenset(),
    },
    labels=dict(AppStatus.choices),
)
OPEN_STATUSES = (
    AppStatus.SUBMITTED,
    AppStatus.APPROVED,
    AppStatus.DKK_VERIFIED,
    AppStatus.PROPOSED,
    AppStatus.REJECTED,
    AppStatus.DKK_REJECTED,
)


class ProposalBatch(ScopedModel):
    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SENT = "dikirim", _("Dikirim ke BPJS")
        ANSWERED = "dijawab", _("Dijawab BPJS")

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    period = models.DateField(_("bulan usulan"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dibuat pada")
    )
    sent_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("dikirim pada")
    )

    area_lookup: ClassVar[str] = "id"
    readable_roles: ClassVar[frozenset[str]] = frozenset(
        {Role.VERIFIKATOR_DINSOS, Role.SUPERVISOR_DINSOS, Role.ADMIN}
    )

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("batch usulan BPJS")
        verbose_name_plural = _("batch usulan BPJS")

    def __str__(self) -> str:
        return f"Usulan {self.period:%m-%Y} #{self.pk}"


@track_changes()
class Application(ScopedModel):
    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="bpjs_applications",
        verbose_name=_("penduduk"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("keluarga"),
    )
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(_("dasar kelayakan"), max_length=8, choices=Basis.choices)
    eligibility_evidence = models.JSONField(
        _("bukti kelayakan saat diajukan"), default=dict
    )
    checks = models.JSONField(_("hasil pemeriksaan otomatis"), default=list)
    facility = models.ForeignKey(
        HealthFacility, verbose_name=_("faskes tingkat 1"), on_delete=models.PROTECT
    )
    arrears_note = models.TextField(_("catatan tunggakan iuran"), blank=True)
    status = models.CharField(
        max_length=20, choices=AppStatus.choices, default=AppStatus.SUBMITTED
    )
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    batch = models.ForeignKey(
        ProposalBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("batch usulan"),
    )
    bpjs_reason_code = models.CharField(
        _("kode alasan BPJS"), max_length=40, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diajukan oleh"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dibuat pada")
    )
    anonymised_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("dianonimkan pada")
    )

    area_lookup: ClassVar[str] = "kelurahan"
    readable_roles: ClassVar[frozenset[str]] = BPJS_ROLES

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pengajuan BPJS")
        verbose_name_plural = _("pengajuan BPJS")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="bpjs_one_open_application_per_person",
                violation_error_message=_(
                    "Sudah ada pengajuan BPJS yang sedang diproses."
                ),
            )
        ]
        indexes = [models.Index(fields=["status", "kelurahan"])]

    @property
    def eligibility_evaluated_at(self) -> dt.datetime | None:
        """When the stored eligibility answer was given (kept as ISO text in JSON)."""
        value = self.eligibility_evidence.get("evaluated_at")
        return dt.datetime.fromisoformat(value) if value else None

    def __str__(self) -> str:
        return f"Pengajuan BPJS #{self.pk}"


class ApplicationTransition(TransitionRecord):
    workflow = APPLICATION_WORKFLOW

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("pengajuan BPJS"),
    )


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        KTP = "ktp", _("KTP-el")
        KK = "kk", _("Kartu Keluarga")
        SKTM = "sktm", _("SKTM")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("pengajuan BPJS"),
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("jenis"))
    file = models.FileField(upload_to="bpjs/%Y/%m/", verbose_name=_("berkas"))
    uploaded_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("diunggah pada")
    )


class RemovalReason(models.TextChoices):
    EMPLOYED = "bekerja_formal", _("Bekerja formal (menjadi PPU)")
    MOVED_OUT = "pindah_keluar", _("Pindah ke luar Balikpapan")
    DECEASED = "meninggal", _("Meninggal dunia")
    OTHER_PAYER = "ditanggung_lain", _("Ditanggung PBI/pemberi kerja lain")
    NOT_ELIGIBLE = "tidak_layak", _("Tidak lagi memenuhi syarat")


class RemovalStatus(models.TextChoices):
    PROPOSED = "diusulkan", _("Diusulkan")
    NOTIFIED = "diberitahukan", _("Disetujui, warga diberi tahu (masa sanggah)")
    OBJECTED = "disanggah", _("Disanggah warga")
    EFFECTIVE = "berlaku", _("Berlaku")
    CANCELLED = "dibatalkan", _("Dibatalkan")


# A removal still in due process: at most one per coverage.
OPEN_REMOVAL_STATUSES = (
    RemovalStatus.PROPOSED,
    RemovalStatus.NOTIFIED,
    RemovalStatus.OBJECTED,
)

REMOVAL_WORKFLOW = Workflow(
    name=_("Penghapusan peserta"),
    transitions={
        RemovalStatus.PROPOSED: frozenset(
            {RemovalStatus.NOTIFIED, RemovalStatus.CANCELLED, RemovalStatus.EFFECTIVE}
        ),
        RemovalStatus.NOTIFIED: frozenset(
            {RemovalStatus.OBJECTED, RemovalStatus.EFFECTIVE, RemovalStatus.CANCELLED}
        ),
        RemovalStatus.OBJECTED: frozenset(
            {RemovalStatus.EFFECTIVE, RemovalStatus.CANCELLED}
        ),
        RemovalStatus.EFFECTIVE: frozenset(),
        RemovalStatus.CANCELLED: frozenset(),
    },
    labels=dict(RemovalStatus.choices),
)


@track_changes()
class RemovalProposal(ScopedModel):
    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    coverage = models.ForeignKey(
        Coverage,
        on_delete=models.PROTECT,
        related_name="removals",
        verbose_name=_("kepesertaan"),
    )
    reason = models.CharField(_("alasan"), max_length=16, choices=RemovalReason.choices)
    evidence = models.TextField(_("bukti / keterangan"), blank=True)
    status = models.CharField(
        max_length=16, choices=RemovalStatus.choices, default=RemovalStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diusulkan oleh"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dibuat pada")
    )
    notified_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("diberitahukan pada")
    )
    response_deadline = models.DateField(_("batas sanggah"), null=True, blank=True)
    objection = models.TextField(_("sanggahan"), blank=True)
    effective_date = models.DateField(_("tanggal berlaku"), null=True, blank=True)

    area_lookup: ClassVar[str] = "coverage__person__kelurahan"
    readable_roles: ClassVar[frozenset[str]] = BPJS_ROLES

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("usulan penghapusan peserta")
        verbose_name_plural = _("usulan penghapusan peserta")
        constraints = [
            models.UniqueConstraint(
                fields=["coverage"],
                condition=Q(status__in=[s.value for s in OPEN_REMOVAL_STATUSES]),
                name="bpjs_one_open_removal_per_coverage",
            )
        ]

    def __str__(self) -> str:
        return f"Penghapusan #{self.pk}"


class RemovalTransition(TransitionRecord):
    workflow = REMOVAL_WORKFLOW

    proposal = models.ForeignKey(
        RemovalProposal,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("usulan penghapusan"),
    )


class MonthlyStatement(models.Model):
    """Premium bill of one month, per kelurahan (and the city total with kelurahan
    empty), built on the first day of the month."""

    month = models.DateField(_("bulan"))
    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    participants = models.PositiveIntegerField(_("peserta"))
    city_share = models.PositiveIntegerField(_("tanggungan per orang (Rp)"))
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    built_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("disusun pada")
    )

    class Meta:
        ordering = ["-month", "kelurahan_id"]
        verbose_name = _("tagihan iuran bulanan")
        verbose_name_plural = _("tagihan iuran bulanan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kelurahan"],
                name="statement_unique",
                nulls_distinct=False,
            )
        ]
