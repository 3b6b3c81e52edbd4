"""Usulan DTKS/DTSEN: a household not yet in DTKS proposed for inclusion.

SLRT's fourth function is keeping the poverty data up to date; the pre-DTSEN flow
(../shared/DOMAIN.md) is registration at the kelurahan with KTP and KK, the
musyawarah kelurahan (muskel) with its berita acara, Dinsos's home visit with the
verivali instrument, input into SIKS-NG, and the result in a later national snapshot.
Under DTSEN the last steps go through BPS [U: the exact channel after Inpres 4/2025
may change; the states name the steps, not the system]. The outcome is read from the
DTKS imports: a proposal sent in is marked included when a later committed snapshot
lists a member of the household.
"""

from __future__ import annotations

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

from .households import Household


class DtksProposalStatus(models.TextChoices):
    REGISTERED = "didaftarkan", _("Didaftarkan di kelurahan")
    AGREED = "disetujui_muskel", _("Disetujui musyawarah kelurahan")
    VERIFIED = "diverifikasi", _("Diverifikasi Dinsos (verivali)")
    SUBMITTED = "dikirim", _("Dikirim ke pusat")
    INCLUDED = "masuk_dtks", _("Masuk DTKS/DTSEN")
    NOT_INCLUDED = "tidak_masuk", _("Tidak masuk DTKS/DTSEN")
    REJECTED = "ditolak", _("Ditolak")
    CANCELLED = "dibatalkan", _("Dibatalkan")


# Still moving: one of these per household at a time.
OPEN_PROPOSAL_STATES = (
    DtksProposalStatus.REGISTERED,
    DtksProposalStatus.AGREED,
    DtksProposalStatus.VERIFIED,
    DtksProposalStatus.SUBMITTED,
)

# A household that appears in a committed DTKS snapshot is in, whichever step its
# proposal had reached (it may have come in through another channel): every open
# state may move to INCLUDED, though only the import does so before SUBMITTED.
DTKS_PROPOSAL_WORKFLOW = Workflow(
    name=_("Usulan DTKS"),
    transitions={
        DtksProposalStatus.REGISTERED: frozenset(
            {
                DtksProposalStatus.AGREED,
                DtksProposalStatus.REJECTED,
                DtksProposalStatus.CANCELLED,
                DtksProposalStatus.INCLUDED,
            }
        ),
        DtksProposalStatus.AGREED: frozenset(
            {
                DtksProposalStatus.VERIFIED,
                DtksProposalStatus.REJECTED,
                DtksProposalStatus.CANCELLED,
                DtksProposalStatus.INCLUDED,
            }
        ),
        DtksProposalStatus.VERIFIED: frozenset(
            {DtksProposalStatus.SUBMITTED, DtksProposalStatus.INCLUDED}
        ),
        DtksProposalStatus.SUBMITTED: frozenset(
            {DtksProposalStatus.INCLUDED, DtksProposalStatus.NOT_INCLUDED}
        ),
        DtksProposalStatus.INCLUDED: frozenset(),
        DtksProposalStatus.NOT_INCLUDED: frozenset(),
        DtksProposalStatus.REJECTED: frozenset(),
        DtksProposalStatus.CANCELLED: frozenset(),
    },
    labels=dict(DtksProposalStatus.choices),
)


class VerivaliResult(models.TextChoices):
    """Blok II of the DTKS verivali form: the outcome of the home visit."""

    DONE = "selesai", _("Selesai (rumah tangga ditemui)")
    NOT_FOUND = "tidak_ditemukan", _("Rumah tangga tidak ditemukan")
    MOVED = "pindah", _("Pindah / bangunan tidak ada")
    PART_OF_OTHER = "bagian_rt_lain", _("Bagian dari rumah tangga lain")
    DUPLICATE = "data_ganda", _("Data ganda")


@track_changes()
class DtksProposal(ScopedModel):
    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ID publik")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="dtks_proposals",
        verbose_name=_("keluarga"),
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kelurahan"),
    )
    reason = models.TextField(
        _("alasan diusulkan"),
        help_text=_("Kondisi keluarga yang menjadi dasar usulan."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DtksProposalStatus.choices,
        default=DtksProposalStatus.REGISTERED,
    )
    muskel_date = models.DateField(
        _("tanggal musyawarah kelurahan"), null=True, blank=True
    )
    muskel_reference = models.CharField(
        _("nomor berita acara musyawarah"), max_length=60, blank=True
    )
    verivali_date = models.DateField(_("tanggal verivali"), null=True, blank=True)
    verivali_result = models.CharField(
        _("hasil verivali"),
        max_length=16,
        choices=VerivaliResult.choices,
        blank=True,
    )
    submitted_period = models.DateField(
        _("periode pengiriman"),
        null=True,
        blank=True,
        help_text=_("Bulan usulan dikirim ke pusat (tanggal 1)."),
    )
    decision_note = models.TextField(_("keterangan keputusan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("didaftarkan oleh"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("dibuat pada")
    )

    area_lookup: ClassVar[str] = "kelurahan"
    readable_roles: ClassVar[frozenset[str]] = REGISTRY_READ_ROLES

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("usulan DTKS")
        verbose_name_plural = _("usulan DTKS")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status__in=[s.value for s in OPEN_PROPOSAL_STATES]),
                name="dtks_proposal_one_open_per_household",
            )
        ]
        indexes = [models.Index(fields=["status", "kelurahan"])]

    def __str__(self) -> str:
        return f"Usulan DTKS {self.created_at:%d-%m-%Y}"


class DtksProposalTransition(TransitionRecord):
    workflow = DTKS_PROPOSAL_WORKFLOW

    proposal = models.ForeignKey(
        DtksProposal,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("usulan DTKS"),
    )
