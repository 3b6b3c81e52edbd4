"""ODGJ identity-recording outreach: subjects, guardians, visits, the recording case
and the follow-up to puskesmas and BPJS.

Health and condition notes are specific personal data (UU 24/2013 Pasal 84, UU 27/2022):
encrypted at rest, readable only by the ODGJ case worker (and supervisors through
break-glass), every read logged. Biometrics are never stored: only Dukcapil's result.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import track_changes
from core.fields import EncryptedTextField
from core.models import Kelurahan
from core.roles import Role
from core.scoping import ScopedModel
from core.workflow import TransitionRecord, Workflow
from registry.models import Person, Sex

ODGJ_READ_ROLES = frozenset(
    {
        Role.PEKERJA_SOSIAL_ODGJ,
        Role.SUPERVISOR_DINSOS,
        Role.ADMIN,
        Role.LIAISON_DUKCAPIL,
    }
)


class Stage(models.TextChoices):
    IDENTIFIED = "identified", _("Teridentifikasi")
    DATA_VERIFIED = "data_verified", _("Data terverifikasi")
    RECORDED = "recorded", _("Direkam Dukcapil")
    EXISTING_NIK_FOUND = "existing_nik_found", _("NIK lama ditemukan")
    NIK_ISSUED = "nik_issued", _("NIK baru terbit")
    KTP_PRINTED = "ktp_printed", _("KTP-el dicetak")
    KTP_DELIVERED = "ktp_delivered", _("KTP-el diserahkan")
    CLOSED = "closed", _("Ditutup")


_OPEN = frozenset(s for s in Stage.values if s != Stage.CLOSED)
STAGE_WORKFLOW = Workflow(
    name=_("Kasus perekaman ODGJ"),
    transitions={
        Stage.IDENTIFIED: frozenset({Stage.DATA_VERIFIED, Stage.CLOSED}),
        Stage.DATA_VERIFIED: frozenset({Stage.RECORDED, Stage.CLOSED}),
        Stage.RECORDED: frozenset(
            {Stage.EXISTING_NIK_FOUND, Stage.NIK_ISSUED, Stage.CLOSED}
        ),
        Stage.EXISTING_NIK_FOUND: frozenset({Stage.KTP_PRINTED, Stage.CLOSED}),
        Stage.NIK_ISSUED: frozenset({Stage.KTP_PRINTED, Stage.CLOSED}),
        Stage.KTP_PRINTED: frozenset({Stage.KTP_DELIVERED, Stage.CLOSED}),
        Stage.KTP_DELIVERED: frozenset({Stage.CLOSED}),
        Stage.CLOSED: frozenset(),
    },
    labels=dict(Stage.choices),
)
# Stages Dukcapil works on (the API's waiting list).
WAITING_FOR_DUKCAPIL = (
    Stage.DATA_VERIFIED,
    Stage.RECORDED,
    Stage.EXISTING_NIK_FOUND,
    Stage.NIK_ISSUED,
    Stage.KTP_PRINTED,
)


class CloseReason(models.TextChoices):
    REUNIFIED = "reunified", _("Kembali ke keluarga")
    RETURNED = "returned_to_origin", _("Dipulangkan ke daerah asal")
    DECEASED = "deceased", _("Meninggal dunia")
    REFUSED = "refused", _("Menolak")
    LOST = "lost_to_follow_up", _("Tidak dapat ditemukan lagi")
    DUPLICATE = "duplicate", _("Data ganda")
    COMPLETED = "completed", _("Selesai (KTP-el, puskesmas dan BPJS)")


class PlaceType(models.TextChoices):
    STREET = "jalan", _("Jalan / ruang publik")
    HOME = "rumah", _("Rumah keluarga")
    PANTI = "panti", _("Panti")
    HOSPITAL = "rumah_sakit", _("Rumah sakit / RSJ")
    SHELTER = "rumah_antaran", _("Rumah Antaran")
    OTHER = "lainnya", _("Lainnya")


class ReporterType(models.TextChoices):
    PUSKESOS = "puskesos", _("Tiket Puskesos")
    TRC = "trc", _("Tim Reaksi Cepat (TRC)")
    PANTI = "panti", _("Panti")
    FAMILY = "keluarga", _("Keluarga")
    POLICE = "polisi", _("Polisi / Satpol PP")
    RESIDENT = "warga", _("Warga / RT")
    OTHER = "lainnya", _("Lainnya")


class Placement(models.TextChoices):
    NONE = "belum", _("Belum ada (masih di jalan)")
    FAMILY = "keluarga", _("Keluarga")
    SHELTER = "rumah_antaran", _("Rumah Antaran")
    RSJ = "rsj", _("RSJ")
    PANTI = "panti", _("Panti")


class LegalBasis(models.TextChoices):
    # UU 27/2022 Pasal 20(2) [U: article mapping to be confirmed by Dinsos' legal team]
    VITAL_INTEREST = "kepentingan_vital", _("Pemenuhan kepentingan vital subjek data")
    PUBLIC_TASK = "tugas_publik", _("Pelaksanaan tugas pelayanan publik")
    CONSENT = "persetujuan", _("Persetujuan subjek data / walinya")


class CaptureResult(models.TextChoices):
    FULL = "lengkap", _("Lengkap (foto, tanda tangan, sidik jari, iris)")
    PHOTO_ONLY = "foto_saja", _("Foto saja (biometrik lain gagal)")


@track_changes()
class OdgjSubject(ScopedModel):
    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    alias = models.CharField(_("nama / sebutan"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    estimated_age = models.PositiveSmallIntegerField(
        _("perkiraan umur"), null=True, blank=True
    )
    estimated_birth_date = models.DateField(
        _("perkiraan tanggal lahir"), null=True, blank=True
    )
    physical_description = models.TextField(_("ciri fisik"), blank=True)
    photo = models.FileField(_("foto"), upload_to="odgj/photos/%Y/%m/", blank=True)
    found_at = models.DateTimeField(_("waktu ditemukan"), default=timezone.now)
    found_place = models.CharField(_("tempat ditemukan"), max_length=255)
    found_place_type = models.CharField(
        _("jenis tempat"), max_length=16, choices=PlaceType.choices
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporter_type = models.CharField(
        _("pelapor"), max_length=12, choices=ReporterType.choices
    )
    reporter_reference = models.CharField(
        _("rujukan pelapor"),
        max_length=100,
        blank=True,
        help_text=_("Mis. kode tiket Puskesos atau nama panti."),
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("penduduk di registri"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="odgj_subjects",
    )
    placement = models.CharField(
        _("penempatan"),
        max_length=16,
        choices=Placement.choices,
        default=Placement.NONE,
    )
    legal_basis = models.CharField(
        _("dasar hukum pemrosesan"), max_length=20, choices=LegalBasis.choices
    )
    consent_by = models.CharField(
        _("persetujuan oleh"),
        max_length=150,
        blank=True,
        help_text=_("Nama wali/keluarga/institusi yang menyetujui, jika ada."),
    )
    consent_recorded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("persetujuan dicatat pada")
    )
    condition_notes = EncryptedTextField(_("catatan kondisi (terenkripsi)"), blank=True)
    health_notes = EncryptedTextField(
        _("catatan kesehatan jiwa (terenkripsi)"), blank=True
    )
    laporan_sosial = EncryptedTextField(_("laporan sosial (terenkripsi)"), blank=True)
    family_traced = models.BooleanField(
        _("keluarga/KK sudah ditelusuri"), default=False
    )
    stage = models.CharField(
        max_length=20,
        choices=Stage.choices,
        default=Stage.IDENTIFIED,
        verbose_name=_("tahap"),
    )
    stage_changed_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("tahap berubah pada")
    )
    close_reason = models.CharField(
        _("alasan penutupan"), max_length=20, choices=CloseReason.choices, blank=True
    )
    # Dukcapil's answers; never biometric data itself.
    recorded_on = models.DateField(_("tanggal perekaman"), null=True, blank=True)
    recorded_by_officer = models.CharField(
        _("petugas Dukcapil"), max_length=100, blank=True
    )
    capture_result = models.CharField(
        _("hasil perekaman"), max_length=10, choices=CaptureResult.choices, blank=True
    )
    nik_result = models.CharField(_("NIK dari Dukcapil"), max_length=16, blank=True)
    kk_result = models.CharField(_("No. KK dari Dukcapil"), max_length=16, blank=True)
    origin_regency = models.CharField(_("kab/kota asal"), max_length=100, blank=True)
    ktp_printed_on = models.DateField(_("KTP-el dicetak"), null=True, blank=True)
    ktp_delivered_on = models.DateField(_("KTP-el diserahkan"), null=True, blank=True)
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pekerja sosial"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
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
    # Monotonic change sequence for the partner API's incremental sync.
    change_seq = models.BigIntegerField(
        default=0, db_index=True, verbose_name=_("nomor urut perubahan")
    )

    area_lookup: ClassVar[str] = "kelurahan"
    readable_roles: ClassVar[frozenset[str]] = ODGJ_READ_ROLES

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subjek ODGJ")
        verbose_name_plural = _("subjek ODGJ")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(stage="closed"),
                name="odgj_one_open_case_per_person",
                violation_error_message=_(
                    "Penduduk ini sudah memiliki kasus ODGJ aktif."
                ),
            ),
        ]
        indexes = [models.Index(fields=["stage", "kelurahan"])]

    def __str__(self) -> str:
        return f"ODGJ #{self.pk}"


class OdgjTransition(TransitionRecord):
    workflow = STAGE_WORKFLOW

    subject = models.ForeignKey(
        OdgjSubject,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("subjek ODGJ"),
    )


class Guardian(models.Model):
    class Type(models.TextChoices):
        FAMILY = "keluarga", _("Keluarga")
        WALI = "wali", _("Wali")
        PENGAMPU = "pengampu", _("Pengampu (penetapan pengadilan)")
        INSTITUTION = "institusi", _("Institusi / pejabat")

    class Relation(models.TextChoices):
        SPOUSE = "pasangan", _("Suami/istri")
        PARENT = "orang_tua", _("Orang tua")
        CHILD = "anak", _("Anak dewasa")
        SIBLING = "saudara", _("Saudara kandung")
        OTHER = "lainnya", _("Lainnya")
        DINSOS = "dinsos", _("Dinas Sosial")
        HOSPITAL = "rs", _("RS / RSJ")
        PANTI = "panti", _("Panti")

    subject = models.ForeignKey(
        OdgjSubject,
        on_delete=models.CASCADE,
        related_name="guardians",
        verbose_name=_("subjek ODGJ"),
    )
    guardian_type = models.CharField(_("jenis"), max_length=10, choices=Type.choices)
    relation = models.CharField(_("hubungan"), max_length=10, choices=Relation.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penduduk"),
    )
    name = models.CharField(_("nama wali / institusi"), max_length=150)
    contact = models.CharField(_("kontak"), max_length=100, blank=True)
    court_order_number = models.CharField(
        _("nomor penetapan pengadilan"), max_length=100, blank=True
    )
    evidence = models.FileField(_("bukti"), upload_to="odgj/guardians/%Y/", blank=True)
    valid_from = models.DateField(_("berlaku sejak"), default=timezone.localdate)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("wali / penanggung jawab")
        verbose_name_plural = _("wali / penanggung jawab")
        constraints = [
            models.CheckConstraint(
                condition=~Q(guardian_type="pengampu") | ~Q(court_order_number=""),
                name="guardian_pengampu_needs_court_order",
                violation_error_message=_(
                    "Pengampu wajib disertai nomor penetapan pengadilan."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class OutreachVisit(ScopedModel):
    class Status(models.TextChoices):
        PLANNED = "rencana", _("Direncanakan")
        DONE = "selesai", _("Selesai")
        CANCELLED = "batal", _("Batal")

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    planned_date = models.DateField(_("tanggal"))
    place_type = models.CharField(
        _("jenis tempat"), max_length=16, choices=PlaceType.choices
    )
    place = models.CharField(_("tempat"), max_length=255)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tim Dinsos"),
        blank=True,
        related_name="+",
    )
    external_team = models.CharField(
        _("tim lain (Dukcapil, puskesmas)"), max_length=255, blank=True
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.TextField(_("hasil kunjungan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )

    area_lookup: ClassVar[str] = "kelurahan"
    readable_roles: ClassVar[frozenset[str]] = ODGJ_READ_ROLES

    class Meta:
        ordering = ["planned_date", "id"]
        verbose_name = _("kunjungan penjangkauan")
        verbose_name_plural = _("kunjungan penjangkauan")


class VisitEncounter(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "belum", _("Belum dikunjungi")
        MET = "bertemu", _("Bertemu")
        RECORDED = "direkam", _("Direkam Dukcapil")
        NOT_FOUND = "tidak_ditemukan", _("Tidak ditemukan")
        REFUSED = "menolak", _("Menolak")
        REFERRED = "dirujuk", _("Dirujuk ke faskes")

    visit = models.ForeignKey(
        OutreachVisit,
        on_delete=models.CASCADE,
        related_name="encounters",
        verbose_name=_("kunjungan"),
    )
    subject = models.ForeignKey(
        OdgjSubject,
        on_delete=models.CASCADE,
        related_name="encounters",
        verbose_name=_("subjek ODGJ"),
    )
    outcome = models.CharField(
        _("hasil"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    notes = EncryptedTextField(_("catatan"), blank=True)
    recorded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("dicatat pada")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "subject"], name="encounter_once_per_visit"
            )
        ]


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        PUSKESMAS = "puskesmas", _("Pendampingan ke puskesmas")
        RSJ = "rsj", _("Pendampingan ke RSJ")
        BPJS = "bpjs", _("Pendaftaran BPJS Kesehatan")
        ORIGIN = "daerah_asal", _("Koordinasi dengan daerah asal")
        HOME_VISIT = "kunjungan_rumah", _("Kunjungan rumah")

    subject = models.ForeignKey(
        OdgjSubject,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("subjek ODGJ"),
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    facility = models.CharField(_("fasilitas / pihak"), max_length=150, blank=True)
    visit_date = models.DateField(_("tanggal"), null=True, blank=True)
    next_appointment = models.DateField(_("jadwal berikutnya"), null=True, blank=True)
    notes = EncryptedTextField(_("catatan (terenkripsi)"), blank=True)
    done = models.BooleanField(_("selesai"), default=False)
    reference = models.CharField(_("rujukan"), max_length=100, blank=True)
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dibuat pada")
    )

    class Meta:
        ordering = ["done", "created_at"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
