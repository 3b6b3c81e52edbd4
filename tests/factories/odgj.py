from __future__ import annotations

from core.models import Kelurahan, User
from odgj.models import (
    Guardian,
    LegalBasis,
    OdgjSubject,
    PlaceType,
    ReporterType,
    Stage,
)
from odgj.services import (
    guardian_add,
    odgj_case_transition,
    odgj_subject_create,
    odgj_subject_update_notes,
)


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


def verified_subject(
    *,
    actor: User,
    kelurahan: Kelurahan,
    laporan_sosial: str = "Asesmen fisik, psikologis dan sosial.",
    institution: str = "Dinas Sosial Kota Balikpapan",
    **kwargs,
) -> OdgjSubject:
    """A case whose data is verified with no family traced: Dinsos stands as the
    institution responsible, with the social report. `kwargs` go to `subject` except
    health notes, which are written with the report."""
    health_notes = kwargs.pop("health_notes", "")
    reported = subject(actor=actor, kelurahan=kelurahan, **kwargs)
    guardian_add(
        actor=actor,
        subject=reported,
        guardian_type=Guardian.Type.INSTITUTION,
        relation=Guardian.Relation.DINSOS,
        name=institution,
    )
    notes = {"laporan_sosial": laporan_sosial}
    if health_notes:
        notes["health_notes"] = health_notes
    reported = odgj_subject_update_notes(actor=actor, subject=reported, **notes)
    return odgj_case_transition(
        actor=actor, subject=reported, to_stage=Stage.DATA_VERIFIED
    )
