"""SKTM pages: request, verification, issue, the PDF letter and the public check."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.documents import public_url, qr_data_uri, render_pdf, signed_code, unsign_code
from core.exceptions import ApplicationError
from core.files import document_response
from core.forms import list_search
from core.pagination import page_of, status_filtered
from core.permissions import actor_of, form_error_from, role_required
from core.roles import BROWSER_ROLES
from registry import selectors
from registry.forms import NoteForm, ReasonForm, SktmIssueForm, SktmRequestForm
from registry.models import SKTM_WORKFLOW, Sktm, SktmStatus
from registry.services import sktm as sktm_services


@role_required(BROWSER_ROLES)
@require_http_methods(["GET", "POST"])
def sktm_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    search, found = list_search(
        request,
        label=_("Nomor SKTM, NIK, atau nama"),
        matches=lambda q: selectors.sktm_search_for_actor(actor, q),
        rows="sktms",
    )
    if found is not None:
        return render(request, "registry/sktm_list.html", found)
    sktms, filters = status_filtered(
        request,
        everything=selectors.sktm_list_for_actor(actor),
        waiting=selectors.sktm_waiting(actor),
        statuses=SktmStatus,
    )
    return render(
        request,
        "registry/sktm_list.html",
        {"search": search, "sktms": page_of(request, sktms), **filters},
    )


@role_required(sktm_services.REQUESTER_ROLES)
@require_http_methods(["GET", "POST"])
def sktm_request_view(request: HttpRequest, person_id: str) -> HttpResponse:
    actor = actor_of(request)
    person = selectors.person_get_for_actor(actor, person_id)
    form = SktmRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sktm = sktm_services.sktm_request(
                actor=actor,
                person=person,
                purpose=data["purpose"],
                purpose_detail=data["purpose_detail"],
                pengantar_number=data["pengantar_number"],
                pengantar_date=data["pengantar_date"],
                documents=form.documents(),
                note=data["note"],
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Permohonan SKTM tercatat."))
            return redirect("registry:sktm_detail", public_id=sktm.public_id)
    return render(
        request, "registry/sktm_request.html", {"form": form, "person": person}
    )


@role_required(BROWSER_ROLES)
def sktm_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    sktm = selectors.sktm_get_for_actor(actor, public_id)
    allowed = SKTM_WORKFLOW.allowed_from(sktm.status)
    can_decide = actor.role in sktm_services.VERIFIER_ROLES
    return render(
        request,
        "registry/sktm_detail.html",
        {
            "sktm": sktm,
            "transitions": sktm.transitions.select_related("actor"),
            "documents": sktm.documents.all(),
            "members": selectors.sktm_household_members(sktm),
            "can_verify": can_decide and SktmStatus.VERIFIED in allowed,
            "can_issue": can_decide and SktmStatus.ISSUED in allowed,
            "can_reject": can_decide and SktmStatus.REJECTED in allowed,
            "can_resubmit": actor.role in sktm_services.REQUESTER_ROLES
            and SktmStatus.REQUESTED in allowed,
            "can_revoke": actor.role in sktm_services.VERIFIER_ROLES
            and SktmStatus.REVOKED in allowed,
            "note_form": NoteForm(),
            "reason_form": ReasonForm(),
            "issue_form": SktmIssueForm(),
        },
    )


@role_required(BROWSER_ROLES)
def sktm_document(
    request: HttpRequest, public_id: str, document_id: int
) -> FileResponse:
    actor = actor_of(request)
    sktm = selectors.sktm_get_for_actor(actor, public_id)
    return document_response(
        actor=actor,
        documents=sktm.documents.all(),
        document_id=document_id,
        purpose="melihat dokumen SKTM",
    )


def _act(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    actor = actor_of(request)
    sktm = selectors.sktm_get_for_actor(actor, public_id)
    try:
        if action == "verify":
            form = NoteForm(request.POST)
            form.is_valid()
            sktm_services.sktm_verify(
                actor=actor, sktm=sktm, note=form.cleaned_data.get("note", "")
            )
            messages.success(request, _("SKTM diverifikasi."))
        elif action == "resubmit":
            form = NoteForm(request.POST)
            form.is_valid()
            sktm_services.sktm_resubmit(
                actor=actor, sktm=sktm, note=form.cleaned_data.get("note", "")
            )
            messages.success(request, _("SKTM diajukan ulang."))
        elif action == "reject":
            reason = request.POST.get("reason", "")
            sktm_services.sktm_reject(actor=actor, sktm=sktm, reason=reason)
            messages.success(request, _("SKTM ditolak."))
        elif action == "revoke":
            reason = request.POST.get("reason", "")
            sktm_services.sktm_revoke(actor=actor, sktm=sktm, reason=reason)
            messages.success(request, _("SKTM dicabut."))
        elif action == "issue":
            issue_form = SktmIssueForm(request.POST)
            if not issue_form.is_valid():
                messages.error(request, _("Lengkapi nama dan NIP lurah penandatangan."))
                return redirect("registry:sktm_detail", public_id=sktm.public_id)
            sktm_services.sktm_issue(actor=actor, sktm=sktm, **issue_form.cleaned_data)
            messages.success(request, _("SKTM terbit."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("registry:sktm_detail", public_id=sktm.public_id)


@role_required(BROWSER_ROLES)
@require_POST
def sktm_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    return _act(request, public_id, action)


@role_required(BROWSER_ROLES)
def sktm_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    sktm = selectors.sktm_get_for_actor(actor, public_id)
    if sktm.status not in (SktmStatus.ISSUED, SktmStatus.EXPIRED):
        messages.error(request, _("Surat hanya dapat dicetak setelah SKTM terbit."))
        return redirect("registry:sktm_detail", public_id=sktm.public_id)
    check_url = public_url("sktm_check", code=signed_code(sktm.verification_code))
    pdf = render_pdf(
        "registry/sktm_letter.html",
        {
            "sktm": sktm,
            "person": sktm.person,
            "qr": qr_data_uri(check_url),
            "check_url": check_url,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sktm-{sktm.public_id}.pdf"'
    return response


def _masked_name(name: str) -> str:
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


def sktm_check(request: HttpRequest, code: str) -> HttpResponse:
    """Public, no login: what the QR on a letter opens. Shows validity and nothing
    personal beyond a masked name."""
    raw = unsign_code(code)
    sktm = (
        Sktm.objects.select_related("kelurahan", "purpose", "person")
        .filter(verification_code=raw)
        .first()
        if raw
        else None
    )
    context: dict[str, object] = {"found": sktm is not None}
    if sktm is not None and sktm.status in (
        SktmStatus.ISSUED,
        SktmStatus.EXPIRED,
        SktmStatus.REVOKED,
    ):
        context.update(
            {
                "valid": sktm.status == SktmStatus.ISSUED,
                "status": sktm.get_status_display(),
                "issued_on": sktm.issued_on,
                "valid_until": sktm.valid_until,
                "kelurahan": sktm.kelurahan.name,
                "purpose": sktm.purpose.name,
                "masked_name": _masked_name(sktm.person.name),
                "number": sktm.number,
            }
        )
    else:
        context["found"] = False
    return render(request, "registry/sktm_check.html", context)
