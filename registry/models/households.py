"""The household welfare registry: households (KK), persons (NIK), DTKS and SKTM."""

from __future__ import annotations

import hashlib
import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import MD5, Concat, Left, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import track_changes
from core.identity import validate_kk, validate_nik
from core.models import Kelurahan
from core.roles import REGISTRY_READ_ROLES
from core.scoping import ScopedModel


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Relationship(models.TextChoices):
    HEAD = "kepala_keluarga", _("Kepala keluarga")
    HUSBAND = "suami", _("Suami")
    WIFE = "istri", _("Istri")
    CHILD = "anak", _("Anak")
    CHILD_IN_LAW = "menantu", _("Menantu")
    GRANDCHILD = "cucu", _("Cucu")
    PARENT = "orang_tua", _("Orang tua")
    PARENT_IN_LAW = "mertua", _("Mertua")
    OTHER_RELATIVE = "famili_lain", _("Famili lain")
    HELPER = "pembantu", _("Pembantu")
    OTHER = "lainnya", _("Lainnya")


class MaritalStatus(models.TextChoices):
    SINGLE = "belum_kawin", _("Belum kawin")
    MARRIED = "kawin", _("Kawin")
    DIVORCED = "cerai_hidup", _("Cerai hidup")
    WIDOWED = "cerai_mati", _("Cerai mati")


class Disability(models.TextChoices):
    NONE = "tidak_ada", _("Tidak ada")
    PHYSICAL = "fisik", _("Disabilitas fisik")
    INTELLECTUAL = "intelektual", _("Disabilitas intelektual")
    MENTAL = "mental", _("Disabilitas mental")
    SENSORY = "sensorik", _("Disabilitas sensorik")
    MULTIPLE = "ganda", _("Disabilitas ganda")


class DomicileStatus(models.TextChoices):
    AS_KK = "sesuai_kk", _("Tinggal sesuai alamat KK")
    ELSEWHERE_IN_CITY = "lain_dalam_kota", _("Tinggal di alamat lain dalam kota")
    MOVED_OUT = "pindah_keluar", _("Pindah ke luar Balikpapan")
    UNKNOWN = "tidak_diketahui", _("Tidak diketahui")


@track_changes()
class Household(ScopedModel):
    """A family with its own permanent identity; its KK number is only its current one."""

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    kk_number = models.CharField(
        _("nomor KK"), max_length=16, null=True, blank=True, validators=[validate_kk]
    )
    # Indexed by the (kelurahan, rt, rw) index below, which serves every lookup by
    # kelurahan alone; the FK's own indexes would only slow each import.
    kelurahan = models.ForeignKey(
        Kelurahan,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, verbose_name=_("versi")
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("dibuat pada")
    )
    updated_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("diubah pada")
    )

    area_lookup: ClassVar[str] = "kelurahan"

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        constraints = [
            models.UniqueConstraint(
                fields=["kk_number"],
                name="household_unique_current_kk",
                violation_error_message=_(
                    "Nomor KK ini sudah terdaftar untuk keluarga lain."
                ),
            ),
        ]
        indexes = [models.Index(fields=["kelurahan", "rt", "rw"])]

    def __str__(self) -> str:
        return f"KK {self.kk_number or '—'}"


class HouseholdKkNumber(models.Model):
    """Timeline of a household's KK numbers (a new one after pecah KK or a move)."""

    class Reason(models.TextChoices):
        FIRST = "awal", _("Pencatatan awal")
        SPLIT = "pecah_kk", _("Pecah KK")
        MOVE = "pindah", _("Pindah alamat")
        CORRECTION = "koreksi", _("Perbaikan data")
        REISSUE = "terbit_ulang", _("Terbit ulang")

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="kk_history",
        verbose_name=_("keluarga"),
    )
    kk_number = models.CharField(_("nomor KK"), max_length=16)
    valid_from = models.DateField(_("berlaku sejak"), default=timezone.localdate)
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=16, choices=Reason.choices)
    recorded_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dicatat pada")
    )

    class Meta:
        ordering = ["valid_from", "id"]
        verbose_name = _("riwayat nomor KK")
        verbose_name_plural = _("riwayat nomor KK")
        indexes = [models.Index(fields=["kk_number"])]


def kelurahan_token(kelurahan_id: str) -> str:
    """The word `area_name_key` puts before a person's name for their kelurahan: ten
    characters of digits and letters no name contains, made of trigrams few other
    kelurahan share (a hash, not the code: every code starts 64.71, whose trigrams
    are in every row and made the index scan three times slower)."""
    return (
        "q"
        + hashlib.md5(kelurahan_id.encode(), usedforsecurity=False).hexdigest()[:8]
        + "q"
    )


def area_name_key() -> Concat:
    """The text `person_area_name_trgm` indexes: the kelurahan token, a space, then
    the search form of the name. A search within a kelurahan asks the one GIN index
    for names like the query AND containing the kelurahan's token: pg_trgm is the only
    extension allowed, so there is no btree_gin to index (kelurahan, name) together,
    and the name-only index returned every similar name of the city (22,000 rows for
    a common name at 1M persons) to be fetched and filtered down to the kelurahan's
    few hundred (docs/scaling.md). A search across the city asks the same index for
    the name alone: the token is one more word, which the name's best-matching extent
    leaves out, so a name-only index would be a second copy to keep up to date."""
    return Concat(
        models.Value("q"),
        Left(MD5("kelurahan_id"), 8),
        models.Value("q "),
        "name_search",
        output_field=models.TextField(),
    )


@track_changes(unindexed=("household",))
class Person(ScopedModel):
    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        null=True,
        blank=True,
        validators=[validate_nik],
        help_text=_("Kosongkan jika belum memiliki NIK."),
    )
    name = models.CharField(_("nama lengkap"), max_length=150)
    name_search = models.CharField(
        max_length=150,
        editable=False,
        default="",
        verbose_name=_("nama untuk pencarian"),
    )
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    household = models.ForeignKey(
        Household,
        verbose_name=_("keluarga"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    # Copied from the household so scoping and search stay on one indexed table.
    # Indexed in Meta: a foreign key to a text key would also get a pattern-ops
    # (LIKE) index that no query uses and every import of a million rows feeds.
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    relationship = models.CharField(
        _("hubungan dalam keluarga"),
        max_length=20,
        choices=Relationship.choices,
        blank=True,
    )
    marital_status = models.CharField(
        _("status perkawinan"), max_length=12, choices=MaritalStatus.choices, blank=True
    )
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    formally_employed = models.BooleanField(
        _("pekerja formal (penerima upah)"),
        default=False,
        help_text=_("Bekerja dengan upah tetap dari pemberi kerja (PPU)."),
    )
    disability = models.CharField(
        _("disabilitas"),
        max_length=12,
        choices=Disability.choices,
        default=Disability.NONE,
    )
    is_deceased = models.BooleanField(_("meninggal dunia"), default=False)
    deceased_on = models.DateField(_("tanggal meninggal"), null=True, blank=True)
    domicile_status = models.CharField(
        _("status domisili"),
        max_length=16,
        choices=DomicileStatus.choices,
        default=DomicileStatus.AS_KK,
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, verbose_name=_("versi")
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("dibuat pada")
    )
    updated_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("diubah pada")
    )

    area_lookup: ClassVar[str] = "kelurahan"
    readable_roles: ClassVar[frozenset[str]] = REGISTRY_READ_ROLES

    class Meta:
        verbose_name = _("penduduk")
        verbose_name_plural = _("penduduk")
        constraints = [
            models.UniqueConstraint(
                fields=["nik"],
                name="person_unique_nik",
                violation_error_message=_("NIK ini sudah terdaftar."),
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relationship="kepala_keluarga"),
                name="household_single_head",
                violation_error_message=_(
                    "Keluarga ini sudah memiliki kepala keluarga."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_deceased=True) | Q(deceased_on__isnull=True),
                name="person_deceased_date_only_if_deceased",
            ),
        ]
        indexes = [
            models.Index(fields=["kelurahan"], name="person_kelurahan"),
            GinIndex(
                OpClass(area_name_key(), name="gin_trgm_ops"),
                name="person_area_name_trgm",
            ),
            # Nearest-name (KNN) ordering for city-wide search; GIN cannot order. On
            # lower(name_search) (already lower case) so that only the KNN query,
            # written against that expression, uses it: given a plain name_search
            # index too, the planner preferred it for kelurahan searches, 5x slower.
            GistIndex(
                OpClass(Lower("name_search"), name="gist_trgm_ops"),
                name="person_name_trgm_knn",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HouseholdMembership(models.Model):
    """A person's time in a household; the open row (left_on empty) is the current one."""

    class Reason(models.TextChoices):
        FIRST = "awal", _("Pencatatan awal")
        BIRTH = "lahir", _("Kelahiran")
        MOVE_IN = "pindah_masuk", _("Pindah masuk")
        MOVE_OUT = "pindah_keluar", _("Pindah keluar")
        SPLIT = "pecah_kk", _("Pecah KK")
        MARRIAGE = "perkawinan", _("Perkawinan")
        DEATH = "meninggal", _("Meninggal dunia")
        CORRECTION = "koreksi", _("Perbaikan data")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("penduduk"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("keluarga"),
    )
    relationship = models.CharField(
        max_length=20,
        choices=Relationship.choices,
        blank=True,
        verbose_name=_("hubungan keluarga"),
    )
    joined_on = models.DateField(_("masuk"), default=timezone.localdate)
    join_reason = models.CharField(
        max_length=16, choices=Reason.choices, verbose_name=_("alasan masuk")
    )
    left_on = models.DateField(_("keluar"), null=True, blank=True)
    leave_reason = models.CharField(
        max_length=16,
        choices=Reason.choices,
        blank=True,
        verbose_name=_("alasan keluar"),
    )

    class Meta:
        ordering = ["joined_on", "id"]
        verbose_name = _("riwayat anggota keluarga")
        verbose_name_plural = _("riwayat anggota keluarga")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_household",
            ),
        ]


class PopulationChange(models.Model):
    """A death or move reported by Dukcapil, queued for the data-update job.

    A move into a kelurahan of the city (`pindah_masuk` with that kelurahan's code)
    of someone registered in another one waits for the receiving counter, which
    records it as a pindah datang with the family's new address
    (registry.services.arrivals)."""

    class Kind(models.TextChoices):
        DEATH = "kematian", _("Kematian")
        MOVE_OUT = "pindah_keluar", _("Pindah keluar Balikpapan")
        MOVE_IN = "pindah_masuk", _("Pindah masuk")

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu")
        WAITING_FOR_COUNTER = (
            "tunggu_kelurahan",
            _("Menunggu dicatat kelurahan tujuan"),
        )
        APPLIED = "diterapkan", _("Diterapkan")
        UNKNOWN_PERSON = "tidak_dikenal", _("NIK tidak ada di registri")
        NOT_FOUND = "tidak_ditemukan", _("Tidak ditemukan di kelurahan tujuan")

    kind = models.CharField(
        max_length=16, choices=Kind.choices, verbose_name=_("jenis")
    )
    nik = models.CharField(max_length=16, db_index=True)
    event_date = models.DateField(verbose_name=_("tanggal peristiwa"))
    region_code = models.CharField(_("kode wilayah tujuan"), max_length=13, blank=True)
    # The kelurahan of the city the region code names, if it names one.
    destination = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan tujuan"),
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    source_reference = models.CharField(
        max_length=64, blank=True, verbose_name=_("rujukan sumber")
    )
    received_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("diterima pada")
    )
    applied_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("diterapkan pada")
    )
    # Who closed the report at the receiving counter: recorded the move there, or
    # could not act on it (and why, in the note). Empty when the job settled it.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    handled_note = models.CharField(_("catatan kelurahan"), max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("perubahan kependudukan")
        verbose_name_plural = _("perubahan kependudukan")
        indexes = [models.Index(fields=["status", "id"])]
