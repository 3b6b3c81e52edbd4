from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import KELURAHAN_BOUND_ROLES, Role


class Kecamatan(models.Model):
    """A kecamatan of Kota Balikpapan, keyed by its Kemendagri code (64.71.xx)."""

    code = models.CharField(_("kode Kemendagri"), max_length=8, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.name


class Kelurahan(models.Model):
    """A kelurahan, keyed by its Kemendagri code (64.71.xx.1xxx): names get respelled."""

    code = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="kelurahan_set"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff account. Staff are managed by an admin: there is no self-registration."""

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices)
    kelurahan = models.ForeignKey(
        Kelurahan,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Wajib untuk operator dan koordinator Puskesos."),
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("petugas")
        verbose_name_plural = _("petugas")
        constraints = [
            models.CheckConstraint(
                name="user_kelurahan_bound_roles_have_kelurahan",
                condition=~Q(role__in=sorted(r.value for r in KELURAHAN_BOUND_ROLES))
                | Q(kelurahan__isnull=False),
                violation_error_message=_(
                    "Operator dan koordinator Puskesos wajib terikat ke satu kelurahan."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""


class AccessLog(models.Model):
    """A read of a sensitive record: who, when, what, why (UU 27/2022).

    Rows are only ever inserted; the admin shows them read-only.
    """

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        ADMIN = "admin", _("Admin")
        EXPORT = "export", _("Ekspor")

    occurred_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.PROTECT,
        related_name="access_logs",
    )
    # No index of its own: the (content_type, object_pk) index below leads with it,
    # and every partner API status call writes a row here.
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        db_index=False,
        verbose_name=_("jenis data"),
    )
    object_pk = models.CharField(_("id objek"), max_length=64)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    purpose = models.CharField(_("tujuan"), max_length=200)
    channel = models.CharField(
        _("kanal"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    break_glass = models.BooleanField(_("akses darurat"), default=False)
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("log akses data")
        verbose_name_plural = _("log akses data")
        indexes = [models.Index(fields=["content_type", "object_pk"])]

    def __str__(self) -> str:
        return f"{self.actor} → {self.object_repr} ({self.purpose})"


class BreakGlassGrant(models.Model):
    """Emergency access by a user outside the record's normal role: a stated reason,
    a short validity (default 3 hours), an alert to supervisors."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="break_glass",
        verbose_name=_("pelaku"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("jenis data")
    )
    object_pk = models.CharField(max_length=64, verbose_name=_("kunci data"))
    reason = models.TextField(_("alasan"))
    granted_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("diberikan pada")
    )
    expires_at = models.DateTimeField(verbose_name=_("berlaku sampai"))

    class Meta:
        verbose_name = _("akses darurat")
        verbose_name_plural = _("akses darurat")
        indexes = [models.Index(fields=["actor", "content_type", "object_pk"])]

    def __str__(self) -> str:
        return f"{self.actor} · {self.content_type.model} #{self.object_pk}"


class SecurityAlert(models.Model):
    """Something a supervisor must look at: break-glass use, denied access bursts."""

    class Kind(models.TextChoices):
        BREAK_GLASS = "akses_darurat", _("Akses darurat data sensitif")
        ACCESS_DENIED = "akses_ditolak", _("Akses ditolak")

    kind = models.CharField(
        max_length=20, choices=Kind.choices, verbose_name=_("jenis")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    message = models.CharField(max_length=255, verbose_name=_("pesan"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("dibuat pada")
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditindaklanjuti oleh"),
    )
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("ditindaklanjuti pada")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("peringatan keamanan")
        verbose_name_plural = _("peringatan keamanan")

    def __str__(self) -> str:
        return self.message


class Notification(models.Model):
    """In-app notices for staff, and letters/messages to citizens sent through the
    kelurahan. Citizens are referred to by person id only."""

    class Channel(models.TextChoices):
        IN_APP = "aplikasi", _("Di aplikasi")
        LETTER = "surat", _("Surat lewat kelurahan")
        SMS = "sms", _("SMS/WhatsApp")
        EMAIL = "email", _("Email")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("penerima"),
    )
    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_id = models.BigIntegerField(
        null=True, blank=True, verbose_name=_("penduduk")
    )
    channel = models.CharField(
        max_length=10,
        choices=Channel.choices,
        default=Channel.IN_APP,
        verbose_name=_("saluran"),
    )
    subject = models.CharField(max_length=200, verbose_name=_("perihal"))
    body = models.TextField(blank=True, verbose_name=_("isi"))
    link = models.CharField(max_length=255, blank=True, verbose_name=_("tautan"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("dibuat pada")
    )
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dibaca pada"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")

    def __str__(self) -> str:
        return self.subject


class JobRun(models.Model):
    """One run of a scheduled or long job: what it examined, changed and failed, its
    progress and its checkpoint (a rerun resumes after the last finished chunk)."""

    class Status(models.TextChoices):
        RUNNING = "berjalan", _("Berjalan")
        SUCCEEDED = "berhasil", _("Berhasil")
        FAILED = "gagal", _("Gagal")
        REFUSED = "ditolak", _("Ditolak: sudah ada yang berjalan")

    job_name = models.CharField(_("tugas"), max_length=60, db_index=True)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dimulai pada")
    )
    finished_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("selesai pada")
    )
    examined = models.PositiveIntegerField(_("diperiksa"), default=0)
    changed = models.PositiveIntegerField(_("diubah"), default=0)
    failed = models.PositiveIntegerField(_("gagal"), default=0)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    checkpoint = models.JSONField(
        default=dict, blank=True, verbose_name=_("titik lanjut")
    )
    result = models.JSONField(_("laporan"), default=dict, blank=True)
    error = models.TextField(blank=True, verbose_name=_("kesalahan"))
    attempts = models.PositiveSmallIntegerField(
        default=1, verbose_name=_("jumlah percobaan")
    )
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dijalankan oleh"),
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("jalannya tugas")
        verbose_name_plural = _("jalannya tugas")

    def __str__(self) -> str:
        return f"{self.job_name} {self.started_at:%Y-%m-%d %H:%M}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed on retries
    (draft-ietf-httpapi-idempotency-key-header)."""

    client = models.CharField(max_length=100)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "key"], name="idempotency_unique_key"
            )
        ]
