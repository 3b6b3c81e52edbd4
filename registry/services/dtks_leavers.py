"""Calling back the residents a DTKS snapshot took out ("Keluar dari DTKS")."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ApplicationError
from core.models import User
from core.permissions import require_role
from core.roles import COUNTER_ROLES, KELURAHAN_BOUND_ROLES
from registry.models import DtksEntry, DtksLeaverContact, Person

# The counter's staff make the calls; Dinsos follows the list city-wide.
CALLER_ROLES = COUNTER_ROLES
# The same call recorded again this soon by the same person (a double click, a form
# sent twice) is the same call.
_REPEAT_WINDOW = dt.timedelta(minutes=1)
NOTE_MAX_LENGTH = DtksLeaverContact._meta.get_field("note").max_length or 0


@transaction.atomic
def dtks_leaver_record_contact(
    *, actor: User, person: Person, outcome: str, note: str = ""
) -> DtksLeaverContact:
    """Record a call to a resident on the list: reached or not, with a short note."""
    require_role(actor, CALLER_ROLES, _("mencatat panggilan warga"))
    if outcome not in DtksLeaverContact.Outcome.values:
        raise ApplicationError(_("Pilih hasil panggilan."), code="invalid")
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ApplicationError(
            _("Catatan paling banyak %(n)s huruf.") % {"n": NOTE_MAX_LENGTH},
            code="invalid",
        )
    # Locked: two submissions of one call wait for each other and are taken once.
    person = Person.objects.select_for_update().get(pk=person.pk)
    if (
        actor.role in KELURAHAN_BOUND_ROLES
        and person.kelurahan_id != actor.kelurahan_id
    ):
        raise ApplicationError(
            _("Penduduk ini bukan warga kelurahan Anda."), code="forbidden"
        )
    entry = DtksEntry.objects.filter(person=person).first()
    if (
        person.is_deceased
        or entry is None
        or entry.active
        or entry.deactivation_reason != DtksEntry.DeactivationReason.ABSENT
        or entry.inactive_since is None
    ):
        raise ApplicationError(
            _("Warga ini tidak ada lagi di daftar keluar dari DTKS."),
            code="not_a_leaver",
        )
    now = timezone.now()
    latest = DtksLeaverContact.objects.filter(
        person=person, left_on=entry.inactive_since
    ).first()
    if (
        latest is not None
        and latest.contacted_by_id == actor.pk
        and (latest.outcome, latest.note) == (outcome, note)
        and now - latest.contacted_at < _REPEAT_WINDOW
    ):
        return latest
    with actor_context(actor):
        return DtksLeaverContact.objects.create(
            person=person,
            left_on=entry.inactive_since,
            outcome=outcome,
            note=note,
            contacted_by=actor,
            contacted_at=now,
        )
