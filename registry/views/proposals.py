"""Usulan DTKS pages: register a household, muskel, verivali, send, outcome."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError
from core.forms import list_search, uuid_or_none
from core.pagination import page_of, status_filtered
from core.permissions import actor_of, form_error_from, role_required
from core.roles import BROWSER_ROLES
from registry import proposal_selectors as selectors
from registry.forms import ReasonForm
from registry.forms.proposals import (
    DtksProposalForm,
    MuskelForm,
    ProposalConcludeForm,
    ProposalSubmitForm,
    VerivaliForm,
)
from registry.models import DTKS_PROPOSAL_WORKFLOW, DtksProposalStatus
from registry.selectors import household_get_for_actor
from registry.services import proposals as services


@role_required(BROWSER_ROLES)
@require_http_methods(["GET", "POST"])
def proposal_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    search, found = list_search(
        request,
        label=_("Nomor KK, NIK, atau nama anggota"),
        matches=lambda q: selectors.proposal_search_for_actor(actor, q),
        rows="proposals",
    )
    if found is not None:
        return render(request, "registry/proposal_list.html", found)
    proposals, filters = status_filtered(
        request,
        everything=selectors.proposal_list_for_actor(actor),
        waiting=selectors.proposal_waiting(actor),
        statuses=DtksProposalStatus,
    )
    can_send = actor.role in services.SENDER_ROLES
    return render(
        request,
        "registry/proposal_list.html",
        {
            "search": search,
            "proposals": page_of(request, proposals),
            "can_send": can_send,
            "to_send": list(selectors.proposals_to_send(actor)) if can_send else [],
            "submit_form": ProposalSubmitForm(
                initial={"period": timezone.localdate().replace(day=1)}
            ),
            **filters,
        },
    )


@role_required(services.REGISTRAR_ROLES)
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    household = household_get_for_actor(actor, public_id)
    form = DtksProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.dtks_proposal_register(
                actor=actor, household=household, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Usulan DTKS tercatat."))
            return redirect("registry:proposal_detail", public_id=proposal.public_id)
    return render(
        request,
        "registry/proposal_create.html",
        {"form": form, "household": household},
    )


@role_required(BROWSER_ROLES)
def proposal_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    proposal = selectors.proposal_get_for_actor(actor, public_id)
    household = proposal.household
    status = proposal.status
    allowed = DTKS_PROPOSAL_WORKFLOW.allowed_from(status)
    return render(
        request,
        "registry/proposal_detail.html",
        {
            "proposal": proposal,
            "household": household,
            "transitions": proposal.transitions.select_related("actor"),
            "can_muskel": actor.role in services.MUSKEL_ROLES
            and DtksProposalStatus.AGREED in allowed,
            "can_verivali": actor.role in services.VERIVALI_ROLES
            and DtksProposalStatus.VERIFIED in allowed,
            "can_conclude": actor.role in services.SENDER_ROLES
            and status == DtksProposalStatus.SUBMITTED,
            "can_cancel": actor.role in services.REGISTRAR_ROLES
            and DtksProposalStatus.CANCELLED in allowed,
            "muskel_form": MuskelForm(),
            "verivali_form": VerivaliForm(),
            "conclude_form": ProposalConcludeForm(),
            "reason_form": ReasonForm(),
        },
    )


@role_required(BROWSER_ROLES)
@require_POST
def proposal_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    actor = actor_of(request)
    proposal = selectors.proposal_get_for_actor(actor, public_id)
    forms = {
        "muskel": MuskelForm,
        "verivali": VerivaliForm,
        "conclude": ProposalConcludeForm,
        "cancel": ReasonForm,
    }
    if action not in forms:
        messages.error(request, _("Tindakan tidak dikenal."))
        return redirect("registry:proposal_detail", public_id=proposal.public_id)
    form = forms[action](request.POST)
    if not form.is_valid():
        messages.error(request, _("Lengkapi isian: %(f)s.") % {"f": _fields_of(form)})
        return redirect("registry:proposal_detail", public_id=proposal.public_id)
    data = form.cleaned_data
    try:
        if action == "muskel":
            services.dtks_proposal_record_muskel(actor=actor, proposal=proposal, **data)
        elif action == "verivali":
            services.dtks_proposal_record_verivali(
                actor=actor, proposal=proposal, **data
            )
        elif action == "conclude":
            services.dtks_proposal_conclude(actor=actor, proposal=proposal, **data)
        else:
            services.dtks_proposal_cancel(
                actor=actor, proposal=proposal, reason=data["reason"]
            )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Usulan DTKS diperbarui."))
    return redirect("registry:proposal_detail", public_id=proposal.public_id)


def _fields_of(form: object) -> str:
    errors = getattr(form, "errors", {})
    fields = getattr(form, "fields", {})
    return ", ".join(str(fields[name].label) for name in errors if name in fields)


@role_required(services.SENDER_ROLES)
def proposal_export(request: HttpRequest) -> HttpResponse:
    """The verified proposals, by name by address, for upload to the centre."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(selectors.EXPORT_COLUMNS)
    writer.writerows(selectors.proposal_export_rows(actor_of(request)))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"usulan-dtks-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(services.SENDER_ROLES)
@require_POST
def proposal_submit(request: HttpRequest) -> HttpResponse:
    """Mark as sent the proposals the list showed as ready (those the file held):
    one verified since the page was opened waits for the next sending."""
    actor = actor_of(request)
    form = ProposalSubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi periode pengiriman."))
        return redirect("registry:proposal_list")
    shown = [uuid_or_none(value) for value in request.POST.getlist("proposal")]
    proposals = selectors.proposals_to_send(actor).filter(
        public_id__in=[value for value in shown if value]
    )
    try:
        sent = services.dtks_proposals_submit(
            actor=actor, proposals=proposals, period=form.cleaned_data["period"]
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(n)d usulan ditandai terkirim.") % {"n": sent})
    return redirect("registry:proposal_list")
