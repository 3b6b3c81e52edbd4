from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from bpjs.models import Application
from core.identity import normalize_number, number_typed
from core.models import Kelurahan, User
from core.scoping import get_for_actor_or_404
from puskesos.models import (
    OPEN_CASE_STATUSES,
    Case,
    Counter,
    NeedCategory,
    Referral,
)
from registry.models import DtksProposal, Person, Sktm


def case_list_for_actor(actor: User) -> QuerySet[Case]:
    return Case.objects.for_actor(actor).select_related("need", "kelurahan", "assignee")


def case_get_for_actor(actor: User, public_id: object) -> Case:
    case: Case = get_for_actor_or_404(
        Case.objects.select_related("need", "kelurahan", "person", "assignee"),
        actor,
        public_id=public_id,
    )
    return case


def counter_of(kelurahan: Kelurahan) -> Counter | None:
    """The kelurahan's Puskesos counter (its hours and telephone), if it is set up."""
    return Counter.objects.filter(kelurahan=kelurahan).first()


def overdue_cases(
    cases: QuerySet[Case], *, today: dt.date | None = None
) -> QuerySet[Case]:
    """Open cases past their service deadline."""
    return cases.filter(
        status__in=OPEN_CASE_STATUSES, sla_due__lt=today or timezone.localdate()
    )


def operator_home(actor: User) -> dict[str, object]:
    cases = case_list_for_actor(actor)
    today = timezone.localdate()
    open_cases = cases.filter(status__in=OPEN_CASE_STATUSES)
    counts = dict(
        open_cases.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {
        "today": cases.filter(created_at__date=today).order_by("created_at"),
        # In the order of the workflow, named in the reader's language.
        "by_status": [
            {"status": status, "label": status.label, "count": counts[status]}
            for status in OPEN_CASE_STATUSES
            if status in counts
        ],
        "overdue": overdue_cases(cases, today=today).order_by("sla_due")[:50],
        "urgent": open_cases.filter(urgent=True, trc__arrived_at__isnull=True)[:20],
    }


def person_open_cases(actor: User, person: Person) -> list[Case]:
    return list(
        case_list_for_actor(actor)
        .filter(person=person, status__in=OPEN_CASE_STATUSES)
        .order_by("-created_at")[:5]
    )


def case_open_count(actor: User) -> int:
    return Case.objects.for_actor(actor).filter(status__in=OPEN_CASE_STATUSES).count()


def normalize_ticket_code(text: str) -> str:
    """As citizens type it: any case, spaces, the dash left out."""
    code = text.strip().upper().replace(" ", "")
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def case_search_for_actor(actor: User, query: str) -> QuerySet[Case]:
    """Cases whose ticket, applicant's NIK or applicant's name matches, newest
    first (a name may look like a ticket: every reading is tried)."""
    text = " ".join(query.split())
    matches = Q(applicant_name__icontains=text) | Q(
        ticket_code=normalize_ticket_code(text)
    )
    if nik := number_typed(text):
        matches |= Q(nik=nik)
    return case_list_for_actor(actor).filter(matches)


def status_check_number(case: Case) -> tuple[str, str] | None:
    """What a citizen gives besides the ticket to see the case's status: ("nik", the
    NIK) or, for someone taken in without one, ("phone", the number the counter
    noted); None when the case has neither (they ask at the counter)."""
    if case.nik:
        return "nik", case.nik
    phone = normalize_number(case.phone)
    return ("phone", phone) if phone else None


def case_public_status(ticket_code: str, nik_last4: str) -> Case | None:
    """The case only if the ticket and the NIK's last four digits both match (for
    someone taken in without a NIK, those of the phone number the counter noted);
    the caller shows the same answer for a wrong ticket and wrong digits."""
    code = normalize_ticket_code(ticket_code)
    digits = normalize_number(nik_last4)
    if len(digits) != 4:
        return None
    case = (
        Case.objects.filter(ticket_code=code)
        .only(
            "id",
            "nik",
            "phone",
            "status",
            "ticket_code",
            "created_at",
            "sla_due",
            "need__name",
        )
        .select_related("need")
        .first()
    )
    if case is None:
        return None
    known = status_check_number(case)
    if known is None or not known[1].endswith(digits):
        return None
    return case


# The record an internal referral starts, and its page. Not the ODGJ subject: its
# page is for the ODGJ case worker, and its case (specific personal data of someone
# else) is told neither to the counter's links nor to the citizen.
_TARGETS: dict[str, tuple[type[Sktm] | type[Application] | type[DtksProposal], str]] = {
    NeedCategory.Internal.SKTM: (Sktm, "registry:sktm_detail"),
    NeedCategory.Internal.BPJS: (Application, "bpjs:application_detail"),
    NeedCategory.Internal.DTKS: (DtksProposal, "registry:proposal_detail"),
}


def referrals_with_links(case: Case) -> list[tuple[Referral, str]]:
    """A case's referrals, each with the page of the record it started ("" for an
    agency's or where the counter has no page to open)."""
    rows = []
    for referral in case.referrals.select_related("agency"):
        target = _TARGETS.get(referral.internal_flow)
        url = (
            reverse(target[1], args=[referral.target_public_id])
            if target and referral.target_public_id
            else ""
        )
        rows.append((referral, url))
    return rows


def referrals_told_to_the_citizen(case: Case) -> list[tuple[str, str]]:
    """Where the case was referred and how far that service got, for the public
    status page: the agency's or the internal service's name, no notes. An internal
    referral tells the state of the record it started (SKTM issued, participant
    active, household in DTKS), except an ODGJ report's: the subject is someone
    else, and their case is specific personal data."""
    referrals = list(case.referrals.select_related("agency").order_by("pk"))
    progress = _internal_progress(referrals)
    return [
        (
            referral.agency.name
            if referral.agency
            else str(referral.get_internal_flow_display()),
            progress.get(referral.target_public_id)
            or str(referral.get_status_display()),
        )
        for referral in referrals
    ]


def _internal_progress(referrals: list[Referral]) -> dict[object, str]:
    """State labels of the records internal referrals started, one query per kind."""
    wanted: dict[str, list[object]] = {}
    for referral in referrals:
        if referral.internal_flow in _TARGETS and referral.target_public_id:
            wanted.setdefault(referral.internal_flow, []).append(
                referral.target_public_id
            )
    progress: dict[object, str] = {}
    for flow, ids in wanted.items():
        for record in _TARGETS[flow][0].objects.filter(public_id__in=ids):
            progress[record.public_id] = str(record.get_status_display())
    return progress


def referral_by_letter_code(code: str) -> Referral | None:
    return (
        Referral.objects.select_related("case__kelurahan", "agency")
        .filter(letter_code=code)
        .first()
    )
