"""Data-subject access (UU 27/2022 Pasal 32): everything the system holds about one NIK,
with its processing history (changes and reads), as one JSON document. The export is
itself recorded in the read log."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pghistory.models
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from bpjs.models import Application, Coverage, RemovalProposal
from core.exceptions import ApplicationError
from core.identity import normalize_number
from core.models import AccessLog, User
from core.roles import SUPERVISOR_ROLES
from core.services import record_access
from odgj.models import OdgjSubject
from puskesos.models import Case
from registry.models import DtksEntry, DtksProposal, Person, Sktm


def _rows(queryset: Any, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        model_to_dict(obj, exclude=list(exclude)) | {"id": obj.pk} for obj in queryset
    ]


def subject_access_export(*, actor: User, nik: str) -> dict[str, Any]:
    if actor.role not in SUPERVISOR_ROLES:
        raise ApplicationError(
            _("Hanya supervisor Dinsos yang dapat mengekspor data pribadi.")
        )
    person = (
        Person.objects.select_related("household", "kelurahan")
        .filter(nik=normalize_number(nik))
        .first()
    )
    if person is None:
        raise ApplicationError(_("NIK tidak ditemukan di registri."), field="nik")
    record_access(
        actor=actor,
        obj=person,
        purpose="permintaan akses subjek data (Pasal 32)",
        channel=AccessLog.Channel.EXPORT,
    )
    subjects = OdgjSubject.objects.filter(person=person)
    coverages = Coverage.objects.filter(person=person)
    history = pghistory.models.Events.objects.tracks(person).order_by("pgh_created_at")
    reads = AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_pk=str(person.pk)
    ).select_related("actor")
    return {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(),
        "person": model_to_dict(person) | {"id": person.pk},
        "household": model_to_dict(person.household) if person.household else None,
        "memberships": _rows(person.memberships.all()),
        "dtks": _rows(DtksEntry.objects.filter(person=person)),
        "sktm": _rows(Sktm.objects.filter(person=person)),
        # Proposals name the household the person lives in, not the person alone.
        "dtks_proposals": _rows(
            DtksProposal.objects.filter(household_id=person.household_id)
            if person.household_id
            else DtksProposal.objects.none()
        ),
        "bpjs_applications": _rows(Application.objects.filter(person=person)),
        "bpjs_coverage": _rows(coverages),
        "bpjs_removals": _rows(RemovalProposal.objects.filter(coverage__in=coverages)),
        "puskesos_cases": _rows(Case.objects.filter(person=person)),
        # Specific personal data the subject is entitled to see (decrypted on export).
        "odgj": _rows(subjects, exclude=("photo",)),
        "change_history": [
            {
                "at": e.pgh_created_at,
                "label": e.pgh_label,
                "data": e.pgh_data,
                "context": e.pgh_context,
            }
            for e in history
        ],
        "reads": [
            {
                "at": r.occurred_at,
                "by": str(r.actor),
                "purpose": r.purpose,
                "channel": r.channel,
            }
            for r in reads
        ],
    }


def subject_access_json(*, actor: User, nik: str) -> bytes:
    return json.dumps(
        subject_access_export(actor=actor, nik=nik),
        cls=DjangoJSONEncoder,
        indent=2,
        ensure_ascii=False,
    ).encode()
