"""SKTM: the lurah's certificate that a person or family is economically unable."""

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
from core.roles import REGISTRY_READ_ROLES
from core.scoping import ScopedModel
from core.workflow import TransitionRecord, Workflow

from .households import Household, Person


class SktmPurpose(models.Model):
    """What an SKTM is for. Validity is local practice, not national law [U]:
    kept per purpose and editable by an admin."""

    code = models.SlugField(_("kode"), max_length=32, primary_key=True)
    name = models.CharField(_("keperluan"), max_length=100)
    validity_days = models.PositiveIntegerField(_("masa berlaku (hari)"), default=180)
    counts_for_gakin = models.BooleanField(
        _("dasar layanan gakin"),
        default=True,
        help_text=_("SKTM untuk keperluan ini dapat menjadi dasar kelayakan gakin."),
    )
    active = models.BooleanField(default=True, verbose_name=_("aktif"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("keperluan SKTM")
        verbose_name_plural = _("keperluan SKTM")

    def __str__(self) -> str:
        return self.name


def _verification_code() -> str:
    return secrets.token_urlsafe(12)


class SktmStatus(models.TextChoices):
    REQUESTED = "diajukan", _("Diajukan")
    VERIFIED = "diverifikasi", _("Diverifikasi Kasi Kesos")
    REJECTED = "ditolak", _("Ditolak")
    ISSUED = "terbit", _("Terbit")
    EXPIRED = "kedaluwarsa", _("Kedaluwarsa")
    REVOKED = "dicabut", _("Dicabut")


SKTM_WORKFLOW = Workflow(
    name="SKTM",
    transitions={
        SktmStatus.REQUESTED: frozenset({SktmStatus.VERIFIED, SktmStatus.REJECTED}),
        SktmStatus.VERIFIED: frozenset({SktmStatus.ISSUED, SktmStatus.REJECTED}),
        SktmStatus.REJECTED: frozenset({SktmStatus.REQUESTED}),
        SktmStatus.ISSUED: frozenset({SktmStatus.EXPIRED, SktmStatus.REVOKED}),
        SktmStatus.EXPIRED: frozenset(),
        SktmStatus.REVOKED: frozenset(),
    },
    labels=dict(SktmStatus.choices),
)


@track_changes()
class Sktm(ScopedModel):
    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="sktm_set",
        verbose_name=_("penduduk"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keluarga"),
    )
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")
    purpose = models.ForeignKey(
        SktmPurpose, verbose_name=_("keperluan"), on_delete=models.PROTECT
    )
    purpose_detail = models.CharField(
        _("keterangan keperluan"),
        max_length=255,
        blank=True,
        help_text=_("Mis. nama puskesmas, rumah sakit atau sekolah tujuan."),
    )
    pengantar_number = models.CharField(_("nomor surat pengantar RT/RW"), max_length=60)
    pengantar_date = models.DateField(_("tanggal surat pengantar"))
    status = models.CharField(
        max_length=16, choices=SktmStatus.choices, default=SktmStatus.REQUESTED
    )
    number = models.CharField(_("nomor surat"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("tahun")
    )
    sequence = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("nomor urut")
    )
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    signed_by_name = models.CharField(
        _("nama penandatangan (lurah)"), max_length=100, blank=True
    )
    signed_by_nip = models.CharField(_("NIP penandatangan"), max_length=30, blank=True)
    verification_code = models.CharField(
        max_length=32,
        unique=True,
        default=_verification_code,
        editable=False,
        verbose_name=_("kode verifikasi"),
    )
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dibuat pada")
    )

    area_lookup: ClassVar[str] = "kelurahan"
    readable_roles: ClassVar[frozenset[str]] = REGISTRY_READ_ROLES

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("SKTM")
        verbose_name_plural = _("SKTM")
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "year", "sequence"], name="sktm_unique_number"
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return self.number or f"SKTM (diajukan {self.created_at:%d-%m-%Y})"


class SktmTransition(TransitionRecord):
    workflow = SKTM_WORKFLOW

    sktm = models.ForeignKey(
        Sktm,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("SKTM"),
    )


class SktmDocument(models.Model):
    class Kind(models.TextChoices):
        KTP = "ktp", _("KTP-el")
        KK = "kk", _("Kartu Keluarga")
        PENGANTAR = "pengantar", _("Surat pengantar RT/RW")
        STATEMENT = "pernyataan", _("Surat pernyataan tidak mampu")
        HOUSE_PHOTO = "foto_rumah", _("Foto rumah")
        PURPOSE = "keperluan", _("Dokumen keperluan")
        OTHER = "lainnya", _("Lainnya")

    sktm = models.ForeignKey(
        Sktm, on_delete=models.CASCADE, related_name="documents", verbose_name=_("SKTM")
    )
    kind = models.CharField(_("jenis dokumen"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("berkas"), upload_to="sktm/%Y/%m/")
    uploaded_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("diunggah pada")
    )


class SktmCounter(models.Model):
    """The last number issued per kelurahan and year; locked row = no duplicates."""

    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(verbose_name=_("tahun"))
    last_sequence = models.PositiveIntegerField(
        default=0, verbose_name=_("nomor urut terakhir")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "year"], name="sktm_counter_unique"
            )
        ]
