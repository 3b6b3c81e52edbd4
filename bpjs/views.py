"""BPJS pages: kelurahan submission, Dinsos verification, batches, premiums, removals."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bpjs import selectors
from bpjs.forms import (
    AnswerUploadForm,
    ApplicationForm,
    BatchForm,
    MonthForm,
    ReasonForm,
    RemovalForm,
)
from bpjs.models import (
    APPLICATION_WORKFLOW,
    AppStatus,
    ProposalBatch,
    RemovalStatus,
)
from bpjs.services import applications as app_services
from bpjs.services import batches as batch_services
from bpjs.services import premiums, removals
from core.exceptions import ApplicationError
from core.files import document_response
from core.forms import list_search
from core.models import User
from core.pagination import page_of, status_filtered
from core.permissions import actor_of, form_error_from, role_required
from core.roles import SUPERVISOR_ROLES
from registry.selectors import person_get_for_actor, sktm_pending_for
from registry.services.sktm import REQUESTER_ROLES as SKTM_REQUESTER_ROLES

ALL_ROLES = (
    app_services.SUBMITTER_ROLES | app_services.VERIFIER_ROLES | SUPERVISOR_ROLES
)
DINSOS_ROLES = app_services.VERIFIER_ROLES | SUPERVISOR_ROLES


@role_required(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def application_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    search, found = list_search(
        request,
        label=_("NIK atau nama"),
        matches=lambda q: selectors.application_search_for_actor(actor, q),
        rows="applications",
    )
    if found is not None:
        return render(request, "bpjs/application_list.html", found)
    applications, filters = status_filtered(
        request,
        everything=selectors.application_list_for_actor(actor),
        waiting=selectors.application_waiting(actor),
        statuses=AppStatus,
    )
    return render(
        request,
        "bpjs/application_list.html",
        {
            "search": search,
            "applications": page_of(request, applications),
            "counts": selectors.application_counts_by_status(actor),
            **filters,
        },
    )


@role_required(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def participant_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    search, found = list_search(
        request,
        label=_("NIK, nomor kartu, atau nama"),
        matches=lambda q: selectors.participant_search_for_actor(actor, q),
        rows="participants",
    )
    context = found or {
        "search": search,
        "participants": page_of(request, selectors.participants_for_actor(actor)),
    }
    return render(
        request,
        "bpjs/participant_list.html",
        {**context, "can_propose_removal": actor.role in DINSOS_ROLES},
    )


@role_required(app_services.SUBMITTER_ROLES)
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, person_id: str) -> HttpResponse:
    actor = actor_of(request)
    person = person_get_for_actor(actor, person_id)
    checks, answer = app_services.application_checks(person=person)
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["whole_household"]:
                created, skipped = app_services.application_submit_household(
                    actor=actor,
                    head=person,
                    facility=data["facility"],
                    arrears_note=data["arrears_note"],
                )
                for member, reason in skipped:
                    messages.warning(request, f"{member.name}: {reason}")
                messages.success(
                    request, _("%(n)d pengajuan dikirim.") % {"n": len(created)}
                )
                return redirect("bpjs:application_list")
            application = app_services.application_submit(
                actor=actor,
                person=person,
                facility=data["facility"],
                arrears_note=data["arrears_note"],
                documents=form.documents(),
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Pengajuan BPJS dikirim ke Dinsos."))
            if (
                not selectors.application_list_for_actor(actor)
                .filter(pk=application.pk)
                .exists()
            ):
                # The ODGJ case worker hands off but does not follow BPJS files.
                return redirect("registry:person_detail", public_id=person.public_id)
            return redirect("bpjs:application_detail", public_id=application.public_id)
    return render(
        request,
        "bpjs/application_form.html",
        {
            "person": person,
            "checks": checks,
            "answer": answer,
            "form": form,
            "all_passed": all(c.passed for c in checks),
            # Not entitled yet: the way there is an SKTM, asked for from here.
            "sktm_pending": sktm_pending_for(person),
            "may_request_sktm": actor.role in SKTM_REQUESTER_ROLES,
        },
    )


@role_required(ALL_ROLES)
def application_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    application = selectors.application_get_for_actor(actor, public_id)
    allowed = APPLICATION_WORKFLOW.allowed_from(application.status)
    verifier = actor.role in app_services.VERIFIER_ROLES
    return render(
        request,
        "bpjs/application_detail.html",
        {
            "application": application,
            "transitions": application.transitions.select_related("actor"),
            "documents": application.documents.all(),
            "can_approve": verifier and AppStatus.APPROVED in allowed,
            "can_dkk": verifier and AppStatus.DKK_VERIFIED in allowed,
            "can_resubmit": actor.role in app_services.SUBMITTER_ROLES
            and AppStatus.SUBMITTED in allowed,
            "reason_form": ReasonForm(),
        },
    )


_APPLICATION_ACTIONS: dict[str, Callable[[User, Any, str], Any]] = {
    "approve": lambda actor, app, note: app_services.application_approve(
        actor=actor, application=app, note=note
    ),
    "reject": lambda actor, app, note: app_services.application_reject(
        actor=actor, application=app, reason=note
    ),
    "dkk_ok": lambda actor, app, note: app_services.application_record_dkk(
        actor=actor, application=app, cleared=True, note=note
    ),
    "dkk_no": lambda actor, app, note: app_services.application_record_dkk(
        actor=actor, application=app, cleared=False, note=note
    ),
    "resubmit": lambda actor, app, note: app_services.application_resubmit(
        actor=actor, application=app, note=note
    ),
    "cancel": lambda actor, app, note: app_services.application_cancel(
        actor=actor, application=app, reason=note
    ),
}


@role_required(ALL_ROLES)
def application_document(
    request: HttpRequest, public_id: str, document_id: int
) -> FileResponse:
    actor = actor_of(request)
    application = selectors.application_get_for_actor(actor, public_id)
    return document_response(
        actor=actor,
        documents=application.documents.all(),
        document_id=document_id,
        purpose="melihat dokumen pengajuan BPJS",
    )


@role_required(ALL_ROLES)
@require_POST
def application_action(
    request: HttpRequest, public_id: str, action: str
) -> HttpResponse:
    actor = actor_of(request)
    application = selectors.application_get_for_actor(actor, public_id)
    handler = _APPLICATION_ACTIONS.get(action)
    if handler is None:
        messages.error(request, _("Tindakan tidak dikenal."))
    else:
        try:
            handler(actor, application, request.POST.get("reason", ""))
            messages.success(request, _("Status pengajuan diperbarui."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
    return redirect("bpjs:application_detail", public_id=application.public_id)


@role_required(DINSOS_ROLES)
@require_http_methods(["GET", "POST"])
def batch_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = BatchForm(
        request.POST or None, initial={"period": timezone.localdate().replace(day=1)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = batch_services.batch_create(
                actor=actor, period=form.cleaned_data["period"]
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            return redirect("bpjs:batch_detail", public_id=batch.public_id)
    return render(
        request,
        "bpjs/batch_list.html",
        {
            "form": form,
            "batches": page_of(request, ProposalBatch.objects.for_actor(actor)),
            "ready": selectors.application_list_for_actor(actor)
            .filter(status=AppStatus.DKK_VERIFIED, batch__isnull=True)
            .count(),
        },
    )


@role_required(DINSOS_ROLES)
@require_http_methods(["GET", "POST"])
def batch_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    batch = selectors.batch_get_for_actor(actor, public_id)
    form = AnswerUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "jawaban"
            path.write_bytes(upload.read())
            try:
                rows = batch_services.parse_answer_file(path)
                report = batch_services.batch_record_answer(
                    actor=actor, batch=batch, rows=rows
                )
            except ApplicationError as exc:
                form_error_from(form, exc)
    return render(
        request,
        "bpjs/batch_detail.html",
        {
            "batch": batch,
            "applications": batch_services.batch_applications(batch),
            "form": form,
            "report": report,
        },
    )


@role_required(DINSOS_ROLES)
def batch_export(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    batch = selectors.batch_get_for_actor(actor_of(request), public_id)
    name = f"usulan-pbpu-pemda-{batch.period:%Y%m}-{batch.pk}"
    if fmt == "csv":
        response = HttpResponse(
            batch_services.batch_export_csv(batch),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        batch_services.batch_export_xlsx(batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@role_required(DINSOS_ROLES)
@require_POST
def batch_sent(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    batch = selectors.batch_get_for_actor(actor, public_id)
    batch_services.batch_mark_sent(actor=actor, batch=batch)
    messages.success(request, _("Batch ditandai terkirim ke BPJS."))
    return redirect("bpjs:batch_detail", public_id=batch.public_id)


@role_required(DINSOS_ROLES)
def premium_statement(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET or None)
    month = (form.cleaned_data.get("month") if form.is_valid() else None) or (
        timezone.localdate().replace(day=1)
    )
    month = month.replace(day=1)
    if request.GET.get("xlsx"):
        response = HttpResponse(
            premiums.statement_xlsx(month),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="iuran-{month:%Y%m}.xlsx"'
        )
        return response
    try:
        lines = premiums.monthly_bill(month)
        budget = premiums.budget_status(year=month.year, today=timezone.localdate())
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        lines, budget = [], None
    from core.models import Kelurahan

    names = dict(Kelurahan.objects.values_list("code", "name"))
    return render(
        request,
        "bpjs/premiums.html",
        {
            "form": form,
            "month": month,
            "budget": budget,
            "lines": [
                (names.get(line.kelurahan_id or "", _("KOTA BALIKPAPAN")), line)
                for line in lines
            ],
        },
    )


@role_required(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def removal_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    proposals, filters = status_filtered(
        request,
        everything=selectors.removal_list_for_actor(actor),
        waiting=selectors.removal_waiting(actor),
        statuses=RemovalStatus,
    )
    return render(
        request,
        "bpjs/removal_list.html",
        {
            "proposals": page_of(request, proposals),
            **filters,
            "reason_form": ReasonForm(),
            "is_supervisor": actor.role in SUPERVISOR_ROLES,
        },
    )


@role_required(removals.PROPOSER_ROLES)
@require_http_methods(["GET", "POST"])
def removal_create(request: HttpRequest, person_id: str) -> HttpResponse:
    actor = actor_of(request)
    person = person_get_for_actor(actor, person_id)
    coverage = selectors.active_coverage(person.pk)
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and coverage is not None:
        try:
            removals.removal_propose(
                actor=actor, coverage=coverage, **form.cleaned_data
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Usulan penghapusan tercatat."))
            return redirect("bpjs:removal_list")
    return render(
        request,
        "bpjs/removal_form.html",
        {"form": form, "person": person, "coverage": coverage},
    )


_REMOVAL_ACTIONS: dict[str, Callable[[User, Any, str], Any]] = {
    "approve": lambda actor, p, note: removals.removal_approve(
        actor=actor, proposal=p, note=note
    ),
    "object": lambda actor, p, note: removals.removal_object(
        actor=actor, proposal=p, objection=note
    ),
    "uphold": lambda actor, p, note: removals.removal_decide_objection(
        actor=actor, proposal=p, upheld=True, note=note
    ),
    "overrule": lambda actor, p, note: removals.removal_decide_objection(
        actor=actor, proposal=p, upheld=False, note=note
    ),
    "cancel": lambda actor, p, note: removals.removal_cancel(
        actor=actor, proposal=p, note=note
    ),
}


@role_required(ALL_ROLES)
@require_POST
def removal_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    actor = actor_of(request)
    proposal = selectors.removal_get_for_actor(actor, public_id)
    handler = _REMOVAL_ACTIONS.get(action)
    try:
        if handler is None:
            raise ApplicationError(_("Tindakan tidak dikenal."))
        handler(actor, proposal, request.POST.get("reason", ""))
        messages.success(request, _("Usulan penghapusan diperbarui."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("bpjs:removal_list")
