"""A family's changes over time: a new KK number, a member moving to another
household, a member splitting off into a new one (pecah KK)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError
from core.permissions import actor_of, form_error_from, role_required
from registry import selectors
from registry.forms import HouseholdKkChangeForm, PersonMoveForm
from registry.services.households import (
    household_change_kk,
    person_move,
    person_split_off,
)
from registry.views.households import EDITOR_ROLES


@role_required(EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def household_change_kk_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    household = selectors.household_get_for_actor(actor, public_id)
    form = HouseholdKkChangeForm(
        request.POST or None, initial={"version": household.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household_change_kk(
                actor=actor,
                household=household,
                version=data["version"],
                kk_number=data["kk_number"],
                reason=data["reason"],
                valid_from=data["valid_from"],
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Nomor KK baru tersimpan."))
            return redirect("registry:household_detail", public_id=household.public_id)
    return render(
        request,
        "registry/household_kk_form.html",
        {"form": form, "household": household},
    )


@role_required(EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def person_move_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    person = selectors.person_get_for_actor(actor, public_id)
    current = person.household
    form = PersonMoveForm(
        request.POST or None,
        initial={
            "version": person.version,
            "rt": current.rt if current else "",
            "rw": current.rw if current else "",
            "address": current.address if current else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["destination"] == PersonMoveForm.NEW:
                household = person_split_off(
                    actor=actor,
                    person=person,
                    version=data["version"],
                    kk_number=data["kk_number"],
                    rt=data["rt"],
                    rw=data["rw"],
                    address=data["address"],
                    moved_on=data["moved_on"],
                )
            else:
                found = selectors.household_by_kk_for_actor(actor, data["kk_number"])
                if found is None:
                    raise ApplicationError(
                        _(
                            "Tidak ada keluarga dengan nomor KK ini di wilayah Anda. "
                            "Kepindahan ke kelurahan lain dicatat oleh kelurahan "
                            "tujuan (Pindah datang)."
                        ),
                        field="kk_number",
                    )
                person_move(
                    actor=actor,
                    person=person,
                    version=data["version"],
                    to_household=found,
                    relationship=data["relationship"],
                    reason=data["reason"],
                    moved_on=data["moved_on"],
                )
                household = found
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(
                request, _("%(name)s pindah keluarga.") % {"name": person.name}
            )
            return redirect("registry:household_detail", public_id=household.public_id)
    return render(
        request, "registry/person_move.html", {"form": form, "person": person}
    )
