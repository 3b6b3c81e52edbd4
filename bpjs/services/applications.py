"""Applications: automatic checks, submission at the kelurahan, and the verification
chain (Dinsos → Dinas Kesehatan Kota → BPJS), every step with who and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from bpjs.models import (
    APPLICATION_WORKFLOW,
    OPEN_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationTransition,
    AppStatus,
    Coverage,
    HealthFacility,
)
from core.audit import actor_context
from core.documents import in_official_language
from core.exceptions import ApplicationError
from core.models import User
from core.permissions import require_role
from core.roles import KELURAHAN_BOUND_ROLES, Role
from registry.eligibility import EligibilityAnswer, eligibility_for_person
from registry.models import DomicileStatus, Person

# The ODGJ case worker applies for a person whose e-KTP was just issued (hand-off).
SUBMITTER_ROLES = frozenset(
    {
        Role.OPERATOR_KELURAHAN,
        Role.KOORDINATOR_PUSKESOS,
        Role.PEKERJA_SOSIAL_ODGJ,
        Role.ADMIN,
    }
)
VERIFIER_ROLES = frozenset({Role.VERIFIKATOR_DINSOS, Role.ADMIN})
# An SKTM for BPJS enrolment or for health care counts as the basis [U].
SKTM_PURPOSES = ("bpjs", "kesehatan")


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    message: str


def _eligibility(person: Person) -> EligibilityAnswer:
    answer = eligibility_for_person(person=person)
    if answer.entitled:
        return answer
    for purpose in SKTM_PURPOSES:
        by_purpose = eligibility_for_person(person=person, purpose=purpose)
        if by_purpose.entitled:
            return by_purpose
    return answer


def application_checks(*, person: Person) -> tuple[list[Check], EligibilityAnswer]:
    """Every automatic check with its reason in words, shown before submission."""
    household = person.household
    resident = (
        household is not None
        and not person.is_deceased
        and person.domicile_status != DomicileStatus.MOVED_OUT
    )
    active = Coverage.objects.filter(person=person, active=True).only("segment").first()
    open_application = Application.objects.filter(
        person=person, status__in=OPEN_STATUSES
    ).exists()
    answer = _eligibility(person)
    checks = [
        Check(
            "resident",
            resident,
            _("Warga Balikpapan menurut alamat KK di Kelurahan %(k)s.")
            % {"k": household.kelurahan.name}
            if resident and household
            else _(
                "Bukan warga aktif Balikpapan menurut data keluarga (tanpa KK di kota "
                "ini, pindah keluar, atau meninggal)."
            ),
        ),
        Check(
            "not_covered",
            active is None,
            _("Belum terdaftar di segmen JKN mana pun.")
            if active is None
            else _("Sudah peserta aktif %(s)s.") % {"s": active.get_segment_display()},
        ),
        Check(
            "not_employed",
            not person.formally_employed,
            _("Bukan pekerja formal penerima upah.")
            if not person.formally_employed
            else _(
                "Tercatat sebagai pekerja formal: didaftarkan oleh pemberi kerja (PPU)."
            ),
        ),
        Check("eligible_basis", answer.entitled, answer.reason),
        Check(
            "no_duplicate",
            not open_application,
            _("Tidak ada pengajuan lain yang sedang diproses.")
            if not open_application
            else _("Sudah ada pengajuan BPJS yang sedang diproses untuk orang ini."),
        ),
    ]
    return checks, answer


def _checks_to_record(
    person: Person, *, ignore: frozenset[str] = frozenset()
) -> tuple[list[Check], EligibilityAnswer]:
    """The checks that let an application through, as the application records them:
    in the official language, whatever the screen's. A refusal is worded for the
    staff member instead (their language)."""
    with in_official_language():
        checks, answer = application_checks(person=person)
    if any(not c.passed and c.code not in ignore for c in checks):
        checks, _answer = application_checks(person=person)
        failed = [c.message for c in checks if not c.passed and c.code not in ignore]
        raise ApplicationError(
            _("Pengajuan tidak dapat dikirim: %(reasons)s")
            % {"reasons": " ".join(failed)},
            code="checks_failed",
        )
    return checks, answer


def _transition(
    application: Application, *, actor: User | None, to: str, note: str = ""
) -> None:
    APPLICATION_WORKFLOW.move(
        application,
        to=to,
        actor=actor,
        note=note,
        record=ApplicationTransition,
        owner_field="application",
    )


def _transition_many(
    applications: Sequence[Application],
    *,
    actor: User | None,
    to: str,
    notes: Sequence[str],
) -> None:
    """`_transition` for a whole batch or answer file: every move checked first, then
    recorded in one insert. The caller saves the applications (one bulk update)."""
    APPLICATION_WORKFLOW.move_many(
        applications,
        to=to,
        actor=actor,
        notes=notes,
        record=ApplicationTransition,
        owner_field="application",
    )


def _lock(application: Application) -> Application:
    locked: Application = Application.objects.select_for_update().get(pk=application.pk)
    return locked


@transaction.atomic
def application_submit(
    *,
    actor: User,
    person: Person,
    facility: HealthFacility,
    arrears_note: str = "",
    documents: list[tuple[str, Any]] | None = None,
) -> Application:
    require_role(actor, SUBMITTER_ROLES)
    if (
        actor.role in KELURAHAN_BOUND_ROLES
        and actor.kelurahan_id != person.kelurahan_id
    ):
        raise ApplicationError(_("Penduduk ini bukan warga kelurahan Anda."))
    # Lock the person so two counters cannot submit the same person at once.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    checks, answer = _checks_to_record(person)
    assert person.household is not None
    application = Application(
        person=person,
        household=person.household,
        kelurahan_id=person.household.kelurahan_id,
        basis=answer.basis,
        eligibility_evidence=answer.as_evidence(),
        checks=[asdict(c) for c in checks],
        facility=facility,
        arrears_note=arrears_note,
        submitted_by=actor,
    )
    with actor_context(actor):
        application.save()
        ApplicationTransition.objects.create(
            application=application,
            from_state="",
            to_state=AppStatus.SUBMITTED,
            actor=actor,
        )
        for kind, file in documents or []:
            ApplicationDocument.objects.create(
                application=application, kind=kind, file=file
            )
    return application


@transaction.atomic
def application_submit_household(
    *, actor: User, head: Person, facility: HealthFacility, arrears_note: str = ""
) -> tuple[list[Application], list[tuple[Person, str]]]:
    """Apply for every member of the household who passes the checks; report the rest."""
    assert head.household is not None
    created: list[Application] = []
    skipped: list[tuple[Person, str]] = []
    for member in head.household.members.order_by("id"):
        try:
            with transaction.atomic():
                created.append(
                    application_submit(
                        actor=actor,
                        person=member,
                        facility=facility,
                        arrears_note=arrears_note,
                    )
                )
        except ApplicationError as exc:
            skipped.append((member, str(exc.message)))
    return created, skipped


@transaction.atomic
def application_approve(
    *, actor: User, application: Application, note: str = ""
) -> Application:
    require_role(actor, VERIFIER_ROLES)
    application = _lock(application)
    with actor_context(actor):
        _transition(application, actor=actor, to=AppStatus.APPROVED, note=note)
        application.save(update_fields=["status"])
    return application


@transaction.atomic
def application_reject(
    *, actor: User, application: Application, reason: str
) -> Application:
    require_role(actor, VERIFIER_ROLES)
    if not reason.strip():
        raise ApplicationError(_("Alasan penolakan wajib diisi."), field="reason")
    application = _lock(application)
    with actor_context(actor):
        _transition(application, actor=actor, to=AppStatus.REJECTED, note=reason)
        application.rejection_reason = reason
        application.save(update_fields=["status", "rejection_reason"])
    return application


@transaction.atomic
def application_resubmit(
    *,
    actor: User,
    application: Application,
    facility: HealthFacility | None = None,
    arrears_note: str | None = None,
    note: str = "",
) -> Application:
    """A rejected application, corrected at the kelurahan, goes through the checks again."""
    require_role(actor, SUBMITTER_ROLES)
    application = _lock(application)
    if (
        actor.role in KELURAHAN_BOUND_ROLES
        and actor.kelurahan_id != application.kelurahan_id
    ):
        raise ApplicationError(_("Pengajuan ini bukan dari kelurahan Anda."))
    checks, answer = _checks_to_record(
        application.person, ignore=frozenset({"no_duplicate"})
    )
    with actor_context(actor):
        _transition(application, actor=actor, to=AppStatus.SUBMITTED, note=note)
        application.basis = answer.basis
        application.eligibility_evidence = answer.as_evidence()
        application.checks = [asdict(c) for c in checks]
        application.facility = facility or application.facility
        if arrears_note is not None:
            application.arrears_note = arrears_note
        application.rejection_reason = ""
        application.save()
    return application


@transaction.atomic
def application_record_dkk(
    *, actor: User, application: Application, cleared: bool, note: str = ""
) -> Application:
    """Dinas Kesehatan Kota's answer (e.g. still registered with an employer)."""
    require_role(actor, VERIFIER_ROLES)
    application = _lock(application)
    target = AppStatus.DKK_VERIFIED if cleared else AppStatus.DKK_REJECTED
    if not cleared and not note.strip():
        raise ApplicationError(_("Tuliskan alasan dari Dinas Kesehatan."), field="note")
    with actor_context(actor):
        _transition(application, actor=actor, to=target, note=note)
        if not cleared:
            application.rejection_reason = note
        application.save(update_fields=["status", "rejection_reason"])
    return application


@transaction.atomic
def application_cancel(
    *, actor: User, application: Application, reason: str
) -> Application:
    require_role(actor, SUBMITTER_ROLES | VERIFIER_ROLES)
    application = _lock(application)
    with actor_context(actor):
        _transition(application, actor=actor, to=AppStatus.CANCELLED, note=reason)
        application.save(update_fields=["status"])
    return application


def activate_many(
    activations: Sequence[tuple[Application, str, dt.date]], *, actor: User | None
) -> list[Coverage]:
    """BPJS said yes: each (application, card number, start date) becomes an active
    PBPU Pemda participant, a whole answer file in a few statements."""
    from bpjs.models import Segment

    applications = [application for application, _card, _start in activations]
    with in_official_language():
        notes = [
            _("Kartu %(c)s, TMT %(d)s") % {"c": card, "d": f"{start:%d-%m-%Y}"}
            for _application, card, start in activations
        ]
    _transition_many(applications, actor=actor, to=AppStatus.ACTIVE, notes=notes)
    Application.objects.bulk_update(applications, ["status"])
    return Coverage.objects.bulk_create(
        Coverage(
            person=application.person,
            segment=Segment.PBPU_PEMDA,
            card_number=card,
            start_date=start,
            application=application,
            source="bpjs",
        )
        for application, card, start in activations
    )
