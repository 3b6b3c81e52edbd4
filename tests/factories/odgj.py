from __future__ import annotations

from core.models import Kelurahan, User
from odgj.models import LegalBasis, OdgjSubject, PlaceType, ReporterType
from odgj.services import odgj_subject_create


def subject(
    *, actor: User, kelurahan: Kelurahan, alias: str = "Pak Tua Pasar", **kwargs
) -> OdgjSubject:
    fields = {
        "sex": "L",
        "estimated_age": 50,
        "found_place": "Pasar Klandasan",
        "found_place_type": PlaceType.STREET,
        "reporter_type": ReporterType.TRC,
        "legal_basis": LegalBasis.VITAL_INTEREST,
        "condition_notes": "Bicara sendiri, tidak mengenali nama",
        **kwargs,
    }
    return odgj_subject_create(actor=actor, alias=alias, kelurahan=kelurahan, **fields)
