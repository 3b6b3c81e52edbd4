"""Puskesos pages: operator home, intake, case, referral letter; public pages for
citizens and for the receiving counter of a referral (no account)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.documents import public_url, qr_data_uri, render_pdf, signed_code, unsign_code
from core.exceptions import ApplicationError
from core.forms import list_search
from core.identity import mask_number
from core.pagination import page_of
from core.permissions import actor_of, form_error_from, role_required
from core.ratelimit import allow
from core.roles import BROWSER_ROLES
from puskesos import selectors, services
from puskesos.forms import (
    IntakeForm,
    PublicApplicationForm,
    ReferralForm,
    StatusLookupForm,
    TransitionForm,
)
from puskesos.jobs import retention_years
from puskesos.models import (
    CASE_SIDE_EXITS,
    CASE_WORKFLOW,
    OPEN_CASE_STATUSES,
    PUBLIC_STATUS_TEXT,
    Agency,
    Case,
    CaseStatus,
    Referral,
)
from registry.eligibility import eligibility_for_person
from registry.models import Person

STAFF = services.STAFF_ROLES


@role_required(BROWSER_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "puskesos/home.html", selectors.operator_home(actor_of(request))
    )


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    person = None
    person_id = request.POST.get("person") or request.GET.get("person")
    if person_id:
        person = Person.objects.for_actor(actor).filter(public_id=person_id).first()
    form = IntakeForm(request.POST or None, initial={"person": person_id or ""})
    eligibility = eligibility_for_person(person=person) if person else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kelurahan = actor.kelurahan or (person.kelurahan if person else None)
        if kelurahan is None:
            form.add_error(None, _("Kelurahan pemohon tidak diketahui."))
        else:
            try:
                case, created = services.case_intake(
                    actor=actor,
                    kelurahan=kelurahan,
                    person=person,
                    need=data["need"],
                    request_type=data["request_type"],
                    description=data["description"],
                    applicant_name=data["applicant_name"],
                    nik=data["nik"],
                    kk_number=data["kk_number"],
                    phone=data["phone"],
                    complaint_class=data["complaint_class"],
                    urgent=data["urgent"] or None,
                )
            except ApplicationError as exc:
                form_error_from(form, exc)
            else:
                if not created:
                    messages.info(
                        request,
                        _(
                            "Sudah ada kasus terbuka untuk kebutuhan ini; "
                            "permohonan digabung."
                        ),
                    )
                else:
                    messages.success(
                        request, _("Tiket %(t)s dibuat.") % {"t": case.ticket_code}
                    )
                return redirect("puskesos:case_detail", public_id=case.public_id)
    return render(
        request,
        "puskesos/intake.html",
        {"form": form, "person": person, "eligibility": eligibility},
    )


@role_required(BROWSER_ROLES)
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    search, found = list_search(
        request,
        label=_("Kode tiket, NIK, atau nama pemohon"),
        matches=lambda q: selectors.case_search_for_actor(actor, q),
        rows="cases",
    )
    if found is not None:
        return render(request, "puskesos/case_list.html", found)
    cases = selectors.case_list_for_actor(actor)
    status = request.GET.get("status")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    overdue = bool(request.GET.get("overdue"))
    if overdue:
        cases = selectors.overdue_cases(cases)
    return render(
        request,
        "puskesos/case_list.html",
        {
            "search": search,
            "cases": page_of(request, cases),
            "statuses": CaseStatus.choices,
            "status": status,
            "overdue": overdue,
        },
    )


@role_required(BROWSER_ROLES)
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    case = selectors.case_get_for_actor(actor, public_id)
    next_states = [
        (s, CaseStatus(s).label, s in CASE_SIDE_EXITS)
        for s in CASE_WORKFLOW.next_states(case.status)
        if s != CaseStatus.REFERRED
    ]
    return render(
        request,
        "puskesos/case_detail.html",
        {
            "case": case,
            "transitions": case.transitions.select_related("actor"),
            "referrals": selectors.referrals_with_links(case),
            "next_states": next_states,
            "can_refer": case.status
            in (CaseStatus.SERVICE_DECIDED, CaseStatus.REFERRED),
            "transition_form": TransitionForm(),
            "referral_form": ReferralForm(),
            "trc": getattr(case, "trc", None),
        },
    )


@role_required(STAFF)
@require_POST
def case_transition(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    case = selectors.case_get_for_actor(actor, public_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.case_transition(
                actor=actor,
                case=case,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
                service_decision=form.cleaned_data["service_decision"],
            )
            messages.success(request, _("Status kasus diperbarui."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
    return redirect("puskesos:case_detail", public_id=case.public_id)


@role_required(STAFF)
@require_POST
def case_refer(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    case = selectors.case_get_for_actor(actor, public_id)
    form = ReferralForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Lengkapi data rujukan."))
        return redirect("puskesos:case_detail", public_id=case.public_id)
    kind, _sep, value = form.cleaned_data["target"].partition(":")
    data = form.cleaned_data
    try:
        services.case_refer(
            actor=actor,
            case=case,
            note=data["note"],
            agency=Agency.objects.get(code=value) if kind == "agency" else None,
            internal_flow=value if kind == "internal" else "",
            purpose=data["sktm_purpose"],
            pengantar_number=data["pengantar_number"],
            pengantar_date=data["pengantar_date"],
        )
        messages.success(request, _("Rujukan dibuat."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("puskesos:case_detail", public_id=case.public_id)


@role_required(STAFF | {"pekerja_sosial_odgj", "supervisor_dinsos"})
@require_POST
def trc_arrived(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    case = selectors.case_get_for_actor(actor, public_id)
    try:
        services.trc_arrived(actor=actor, case=case, note=request.POST.get("note", ""))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("puskesos:case_detail", public_id=case.public_id)


@role_required(BROWSER_ROLES)
def case_receipt(request: HttpRequest, public_id: str) -> HttpResponse:
    """The slip the citizen takes home: the ticket, what was asked, by when, and how
    to follow it."""
    case = selectors.case_get_for_actor(actor_of(request), public_id)
    status_url = public_url("public_status")
    pdf = render_pdf(
        "puskesos/case_receipt.html",
        {
            "case": case,
            "received": case.transitions.select_related("actor").order_by("pk").first(),
            "counter": selectors.counter_of(case.kelurahan),
            "nik_masked": mask_number(case.nik),
            "check_with": selectors.status_check_number(case),
            "status_url": status_url,
            "qr": qr_data_uri(status_url),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="tanda-terima-{case.ticket_code}.pdf"'
    )
    return response


@role_required(BROWSER_ROLES)
def referral_letter(
    request: HttpRequest, public_id: str, referral_id: int
) -> HttpResponse:
    case = selectors.case_get_for_actor(actor_of(request), public_id)
    referral = case.referrals.select_related("agency").get(pk=referral_id)
    url = public_url("referral_receive", code=signed_code(referral.letter_code))
    pdf = render_pdf(
        "puskesos/referral_letter.html",
        {"case": case, "referral": referral, "qr": qr_data_uri(url)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="rujukan-{case.ticket_code}.pdf"'
    )
    return response


# --- Public pages (no account) ---------------------------------------------------------


def _limit(request: HttpRequest, scope: str) -> bool:
    return allow(
        request, scope, limit=settings.PUBLIC_FORM_RATE_LIMIT, window_seconds=3600
    )


@require_http_methods(["GET", "POST"])
def public_apply(request: HttpRequest) -> HttpResponse:
    form = PublicApplicationForm(request.POST or None)
    if request.method == "POST":
        if not _limit(request, "public_apply"):
            return render(request, "puskesos/public_limited.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case, _created = services.case_intake(
                    actor=None,
                    kelurahan=data["kelurahan"],
                    need=data["need"],
                    request_type="pengaduan",
                    description=data["description"],
                    applicant_name=data["applicant_name"],
                    nik=data["nik"],
                    kk_number=data["kk_number"],
                    phone=data["phone"],
                    channel=Case.Channel.ONLINE,
                )
            except ApplicationError as exc:
                form_error_from(form, exc)
            else:
                return render(
                    request,
                    "puskesos/public_submitted.html",
                    {
                        "ticket": case.ticket_code,
                        "general_service": case.need.general_service
                        if not case.eligibility_evidence.get("entitled")
                        else "",
                    },
                )
    return render(
        request,
        "puskesos/public_apply.html",
        {"form": form, "retention_years": retention_years()},
    )


@require_http_methods(["GET", "POST"])
def public_status(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST":
        if not _limit(request, "public_status"):
            return render(request, "puskesos/public_limited.html", status=429)
        if form.is_valid():
            case = selectors.case_public_status(
                form.cleaned_data["ticket"], form.cleaned_data["nik_last4"]
            )
            if case is None:
                context["not_found"] = True
            else:
                context["case"] = case
                context["status_text"] = PUBLIC_STATUS_TEXT[CaseStatus(case.status)]
                context["still_open"] = case.status in OPEN_CASE_STATUSES
                context["referrals"] = selectors.referrals_told_to_the_citizen(case)
                context["history"] = [
                    (t.occurred_at, PUBLIC_STATUS_TEXT[CaseStatus(t.to_state)])
                    for t in case.transitions.all()
                    if t.from_state != t.to_state
                ]
    return render(request, "puskesos/public_status.html", context)


@require_http_methods(["GET", "POST"])
def referral_receive(request: HttpRequest, code: str) -> HttpResponse:
    raw = unsign_code(code)
    referral: Referral | None = selectors.referral_by_letter_code(raw) if raw else None
    if referral is not None and request.method == "POST":
        try:
            services.referral_update_by_receiver(
                referral=referral,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", "")[:500],
            )
            messages.success(request, _("Terima kasih, status rujukan tercatat."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        return redirect("referral_receive", code=code)
    return render(request, "puskesos/referral_receive.html", {"referral": referral})
