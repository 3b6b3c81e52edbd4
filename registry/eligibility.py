"""The one answer to: is this person entitled to gakin services, and why?

Bases, in order: an active DTKS/DTSEN entry in the current snapshot whose desil is
within the configured limit; otherwise a valid SKTM (for the purpose asked, when one is
given); otherwise none. A decision that relies on the answer stores `as_evidence()`,
so a later expiry does not rewrite history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import (
    DtksEntry,
    Person,
    Sktm,
    SktmStatus,
)
from registry.proposal_selectors import open_proposal_of
from registry.selectors import dtks_current_period


class Basis(models.TextChoices):
    DTKS = "dtks", "DTKS"
    SKTM = "sktm", "SKTM"
    NONE = "none", gettext_lazy("Tidak ada")


@dataclass(frozen=True)
class EligibilityAnswer:
    entitled: bool
    basis: str
    reason: str
    evaluated_at: str
    person_public_id: str
    dtks_period: str | None = None
    desil: int | None = None
    dtks_id: str | None = None
    sktm_public_id: str | None = None
    sktm_number: str | None = None
    sktm_purpose: str | None = None
    sktm_valid_until: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_evidence(self) -> dict[str, object]:
        return asdict(self)


def _max_desil() -> int | None:
    # DTSEN ranks everyone into desil 1-10; which desil counts as "gakin" is a policy
    # choice (PBI-JK uses 1-5 as reported in 2025) [U]. None = any desil.
    return getattr(settings, "GAKIN_MAX_DESIL", 5)


def _valid_sktm(person: Person, purpose: str | None, on: dt.date) -> Sktm | None:
    sktms = Sktm.objects.filter(
        person=person,
        status=SktmStatus.ISSUED,
        valid_until__gte=on,
        purpose__counts_for_gakin=True,
    ).select_related("purpose")
    if purpose:
        sktms = sktms.filter(purpose_id=purpose)
    return sktms.order_by("-valid_until").first()


def eligibility_for_person(
    *, person: Person, purpose: str | None = None, at: dt.datetime | None = None
) -> EligibilityAnswer:
    at = at or timezone.now()
    today = timezone.localdate(at)
    base: dict[str, Any] = {
        "evaluated_at": at.isoformat(),
        "person_public_id": str(person.public_id),
    }
    notes: list[str] = []
    if person.is_deceased:
        return EligibilityAnswer(
            entitled=False,
            basis=Basis.NONE,
            reason=_("Penduduk tercatat telah meninggal dunia."),
            **base,
        )

    entry = DtksEntry.objects.filter(person=person).first()
    max_desil = _max_desil()
    if entry is not None and entry.active:
        period = dtks_current_period() or entry.active_since
        if entry.desil is None or max_desil is None or entry.desil <= max_desil:
            desil_text = (
                _(" desil %(d)s") % {"d": entry.desil}
                if entry.desil is not None
                else ""
            )
            return EligibilityAnswer(
                entitled=True,
                basis=Basis.DTKS,
                reason=_("Terdaftar aktif di DTKS periode %(period)s%(desil)s.")
                % {"period": f"{period:%m-%Y}", "desil": desil_text},
                dtks_period=f"{period:%Y-%m}",
                desil=entry.desil,
                dtks_id=entry.dtks_id or None,
                **base,
            )
        notes.append(
            _("Terdaftar di DTKS dengan desil %(d)s, di atas batas desil %(max)s.")
            % {"d": entry.desil, "max": max_desil}
        )
    elif entry is not None and not entry.active and entry.inactive_since:
        notes.append(
            _("Tidak lagi terdaftar di DTKS sejak periode %(p)s.")
            % {"p": f"{entry.inactive_since:%m-%Y}"}
        )

    proposal = open_proposal_of(person.household_id)
    if proposal is not None:
        notes.append(
            _("Keluarga sedang diusulkan masuk DTKS/DTSEN: %(s)s, sejak %(d)s.")
            % {
                "s": proposal.get_status_display().lower(),
                "d": f"{timezone.localdate(proposal.created_at):%d-%m-%Y}",
            }
        )

    sktm = _valid_sktm(person, purpose, today)
    if sktm is not None:
        assert sktm.valid_until is not None
        return EligibilityAnswer(
            entitled=True,
            basis=Basis.SKTM,
            reason=_(
                "Memiliki SKTM nomor %(no)s untuk %(purpose)s, berlaku sampai %(d)s."
            )
            % {
                "no": sktm.number,
                "purpose": sktm.purpose.name.lower(),
                "d": f"{sktm.valid_until:%d-%m-%Y}",
            },
            sktm_public_id=str(sktm.public_id),
            sktm_number=sktm.number,
            sktm_purpose=sktm.purpose_id,
            sktm_valid_until=sktm.valid_until.isoformat(),
            notes=notes,
            **base,
        )
    reason = _("Tidak terdaftar di DTKS dan tidak memiliki SKTM yang berlaku")
    if purpose:
        reason += _(" untuk keperluan ini")
    return EligibilityAnswer(
        entitled=False, basis=Basis.NONE, reason=reason + ".", notes=notes, **base
    )
