"""Puskesos (SLRT) counter: intake, eligibility, referral, follow-up, public tracking."""

from __future__ import annotations

import secrets
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import track_changes
from core.models import Kelurahan
from core.roles import BROWSER_ROLES
from core.scoping import ScopedModel
from core.workflow import TransitionRecord, Workflow
from registry.models import Person

TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_ticket_code() -> str:
    raw = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def new_letter_code() -> str:
    return secrets.token_urlsafe(12)


class Counter(models.Model):
    kelurahan = models.OneToOneField(
        Kelurahan, on_delete=models.PROTECT, related_name="puskesos"
    )
    name = models.CharField(_("nama"), max_length=150)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    opening_hours = models.CharField(
        _("jam layanan"), max_length=150, default="Senin-Jumat 08.00-15.00 WITA"
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("Puskesos")
        verbose_name_plural = _("Puskesos")

    def __str__(self) -> str:
        return self.name


class NeedCategory(models.Model):
    """What the citizen needs, kept as data (admin-editable)."""

    class Internal(models.TextChoices):
        NONE = "", _("Tidak ada alur internal")
        SKTM = "sktm", _("Permohonan SKTM")
        BPJS = "bpjs", _("Pengajuan BPJS PBPU Pemda")
        ODGJ = "odgj", _("Laporan penjangkauan ODGJ")
        DTKS = "dtks", _("Usulan masuk DTKS/DTSEN")

    code = models.SlugField(primary_key=True, max_length=32, verbose_name=_("kode"))
    name = models.CharField(_("nama"), max_length=100)
    internal_flow = models.CharField(
        max_length=8,
        choices=Internal.choices,
        blank=True,
        verbose_name=_("alur internal"),
    )
    urgent_by_default = models.BooleanField(_("mendesak (TRC)"), default=False)
    general_service = models.TextField(
        _("layanan umum bagi warga non-gakin"),
        blank=True,
        help_text=_(
            "Disampaikan kepada warga yang tidak terdaftar sebagai keluarga miskin."
        ),
    )
    order = models.PositiveSmallIntegerField(default=100, verbose_name=_("urutan"))

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori kebutuhan")
        verbose_name_plural = _("kategori kebutuhan")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An external service a case is referred to (puskesmas, Dukcapil, Disdik...)."""

    code = models.SlugField(primary_key=True, max_length=32, verbose_name=_("kode"))
    name = models.CharField(_("nama"), max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi rujukan")
        verbose_name_plural = _("instansi rujukan")

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    """National holidays and cuti bersama, as data: the SLA counts working days."""

    date = models.DateField(unique=True, verbose_name=_("tanggal"))
    name = models.CharField(max_length=150, verbose_name=_("nama hari libur"))
    collective_leave = models.BooleanField(_("cuti bersama"), default=False)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


class RequestType(models.TextChoices):
    QUESTION = "pertanyaan", _("Pertanyaan")
    SUGGESTION = "saran", _("Saran")
    COMPLAINT = "pengaduan", _("Pengaduan / permohonan")


class ComplaintClass(models.TextChoices):
    LIGHT = "ringan", _("Ringan")
    NORMATIVE = "normatif", _("Normatif")
    NON_SUPERVISORY = "tidak_berkadar", _("Tidak berkadar pengawasan")
    SUPERVISORY = "berkadar", _("Berkadar pengawasan")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    ASSESSED = "assessed", _("Dinilai (back office)")
    SERVICE_DECIDED = "service_decided", _("Layanan ditetapkan")
    REFERRED = "referred", _("Dirujuk")
    RESOLVED = "resolved", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")
    UNREACHABLE = "closed_unreachable", _("Ditutup: warga tidak dapat dihubungi")


# Ways out of the case before its service is done.
CASE_SIDE_EXITS = frozenset(
    {CaseStatus.REJECTED, CaseStatus.CANCELLED, CaseStatus.UNREACHABLE}
)

CASE_WORKFLOW = Workflow(
    name=_("Kasus Puskesos"),
    transitions={
        CaseStatus.RECEIVED: frozenset({CaseStatus.ASSESSED}) | CASE_SIDE_EXITS,
        CaseStatus.ASSESSED: frozenset({CaseStatus.SERVICE_DECIDED}) | CASE_SIDE_EXITS,
        CaseStatus.SERVICE_DECIDED: frozenset(
            {CaseStatus.REFERRED, CaseStatus.RESOLVED}
        )
        | CASE_SIDE_EXITS,
        CaseStatus.REFERRED: frozenset({CaseStatus.RESOLVED, CaseStatus.UNREACHABLE}),
        CaseStatus.RESOLVED: frozenset(),
        CaseStatus.REJECTED: frozenset(),
        CaseStatus.CANCELLED: frozenset(),
        CaseStatus.UNREACHABLE: frozenset(),
    },
    labels=dict(CaseStatus.choices),
)
OPEN_CASE_STATUSES = (
    CaseStatus.RECEIVED,
    CaseStatus.ASSESSED,
    CaseStatus.SERVICE_DECIDED,
    CaseStatus.REFERRED,
)
# Words a citizen reads on the public status page.
PUBLIC_STATUS_TEXT = {
    CaseStatus.RECEIVED: _("Permohonan Anda sudah kami terima."),
    CaseStatus.ASSESSED: _("Petugas sudah memeriksa data Anda."),
    CaseStatus.SERVICE_DECIDED: _("Layanan untuk Anda sudah ditetapkan."),
    CaseStatus.REFERRED: _("Anda dirujuk ke layanan yang sesuai; petugas memantau."),
    CaseStatus.RESOLVED: _("Selesai."),
    CaseStatus.REJECTED: _(
        "Permohonan tidak dapat dipenuhi; silakan datang ke Puskesos."
    ),
    CaseStatus.CANCELLED: _("Permohonan dibatalkan."),
    CaseStatus.UNREACHABLE: _("Ditutup karena kami tidak dapat menghubungi Anda."),
}


@track_changes()
class Case(ScopedModel):
    class Channel(models.TextChoices):
        COUNTER = "loket", _("Loket Puskesos")
        ONLINE = "daring", _("Daring (tanpa datang)")
        FIELD = "lapangan", _("Fasilitator / lapangan")

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    ticket_code = models.CharField(
        _("kode tiket"),
        max_length=9,
        unique=True,
        default=new_ticket_code,
        editable=False,
    )
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="puskesos_cases",
        verbose_name=_("penduduk"),
    )
    applicant_name = models.CharField(_("nama pemohon"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    kk_number = models.CharField(_("nomor KK"), max_length=16, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    channel = models.CharField(
        max_length=10,
        choices=Channel.choices,
        default=Channel.COUNTER,
        verbose_name=_("saluran"),
    )
    request_type = models.CharField(
        _("jenis"), max_length=12, choices=RequestType.choices
    )
    need = models.ForeignKey(
        NeedCategory, verbose_name=_("kebutuhan"), on_delete=models.PROTECT
    )
    description = models.TextField(_("uraian"))
    complaint_class = models.CharField(
        _("kelas pengaduan"),
        max_length=16,
        choices=ComplaintClass.choices,
        default=ComplaintClass.NORMATIVE,
    )
    urgent = models.BooleanField(_("mendesak (TRC)"), default=False)
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sla_due = models.DateField(_("batas waktu"))
    eligibility_evidence = models.JSONField(
        default=dict, blank=True, verbose_name=_("bukti kelayakan")
    )
    service_decision = models.TextField(_("keputusan layanan"), blank=True)
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("dibuat pada")
    )
    resolved_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("diselesaikan pada")
    )
    overdue_notified_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("keterlambatan diberitahukan pada")
    )
    anonymised_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("dianonimkan pada")
    )

    area_lookup: ClassVar[str] = "kelurahan"
    readable_roles: ClassVar[frozenset[str]] = BROWSER_ROLES

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kasus Puskesos")
        verbose_name_plural = _("kasus Puskesos")
        indexes = [
            models.Index(fields=["kelurahan", "status"]),
            models.Index(fields=["nik", "need", "status"]),
        ]

    def __str__(self) -> str:
        return self.ticket_code


class CaseTransition(TransitionRecord):
    workflow = CASE_WORKFLOW

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("kasus"),
    )


class Referral(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        ACCEPTED = "accepted", _("Diterima")
        REJECTED = "rejected", _("Ditolak")
        IN_PROGRESS = "in_progress", _("Diproses")
        DONE = "done", _("Selesai dilayani")

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("kasus"),
    )
    internal_flow = models.CharField(
        max_length=8,
        choices=NeedCategory.Internal.choices,
        blank=True,
        verbose_name=_("alur internal"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("instansi"),
    )
    target_public_id = models.UUIDField(
        null=True, blank=True, verbose_name=_("ID publik tujuan")
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING
    )
    note = models.TextField(blank=True, verbose_name=_("catatan"))
    letter_code = models.CharField(
        max_length=32,
        unique=True,
        default=new_letter_code,
        editable=False,
        verbose_name=_("kode surat"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dibuat pada")
    )
    updated_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("diubah pada")
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")

    def __str__(self) -> str:
        return str(self.agency or self.get_internal_flow_display())


class TrcDispatch(models.Model):
    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="trc", verbose_name=_("kasus")
    )
    dispatched_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("diberangkatkan pada")
    )
    arrived_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("tiba pada")
    )
    note = models.TextField(blank=True, verbose_name=_("catatan"))

    class Meta:
        verbose_name = _("penugasan TRC")
        verbose_name_plural = _("penugasan TRC")
