"""Staff pages of the registry. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError
from core.extensions import person_panels
from core.models import Kecamatan, Kelurahan
from core.pagination import uncounted_page_of
from core.permissions import actor_of, form_error_from, role_required
from core.roles import (
    BROWSER_ROLES,
    CITY_WIDE_ROLES,
    COUNTER_ROLES,
    KELURAHAN_BOUND_ROLES,
)
from core.scoping import get_for_actor_or_404
from registry import dtks_selectors, proposal_selectors, selectors
from registry.eligibility import eligibility_for_person
from registry.forms import (
    DtksLeaverContactForm,
    HouseholdForm,
    PersonForm,
    PersonSearchForm,
)
from registry.models import Person
from registry.services import proposals as proposal_services
from registry.services import sktm as sktm_services
from registry.services.dtks_leavers import (
    CALLER_ROLES,
    NOTE_MAX_LENGTH,
    dtks_leaver_record_contact,
)
from registry.services.households import (
    household_create,
    household_update,
    person_add_to_household,
    person_update,
)

EDITOR_ROLES = COUNTER_ROLES
SEARCH_PAGE_SIZE = 25


@role_required(BROWSER_ROLES)
@require_http_methods(["GET", "POST"])
def person_search(request: HttpRequest) -> HttpResponse:
    """Search by NIK/KK/name. POST only for queries: a NIK must never sit in a URL."""
    actor = actor_of(request)
    bound = actor.role in KELURAHAN_BOUND_ROLES
    form = PersonSearchForm(
        request.POST if request.method == "POST" else None, restrict_kelurahan=bound
    )
    page = None
    capped = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        kelurahan = data.get("kelurahan")
        search = selectors.PersonSearch(
            query=data["q"] or "",
            kelurahan_id=kelurahan.pk if kelurahan else None,
            rt=(data.get("rt") or "").zfill(3) if data.get("rt") else "",
            rw=(data.get("rw") or "").zfill(3) if data.get("rw") else "",
        )
        results = selectors.person_search_for_actor(actor, search)
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(data.get("page") or 1)
        capped = (
            selectors.name_search_is_capped(actor, search)
            and page.paginator.count >= selectors.NAME_SEARCH_MAX_RESULTS
        )
    template = (
        "registry/_search_results.html"
        if getattr(request, "htmx", False) and form.is_bound
        else "registry/person_search.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "capped": capped,
            "name_search_max_results": selectors.NAME_SEARCH_MAX_RESULTS,
            "indexes_pending": selectors.name_search_indexes_pending(),
        },
    )


@role_required(BROWSER_ROLES)
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    person = selectors.person_get_for_actor(actor, public_id)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "eligibility": eligibility_for_person(person=person),
            "memberships": person.memberships.select_related("household").all(),
            "sktm_list": selectors.sktm_list_for_actor(actor).filter(person=person),
            "dtks_proposals": proposal_selectors.proposals_of(person.household)
            if person.household
            else [],
            "can_edit": actor.role in EDITOR_ROLES,
            "panels": person_panels(person, actor),
        },
    )


@role_required(EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def household_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    fixed = actor.kelurahan if actor.role in KELURAHAN_BOUND_ROLES else None
    form = HouseholdForm(request.POST or None, fixed_kelurahan=fixed)
    if request.method == "POST" and form.is_valid():
        try:
            household = household_create(
                actor=actor,
                kelurahan=fixed or form.cleaned_data["kelurahan"],
                kk_number=form.cleaned_data["kk_number"],
                rt=form.cleaned_data["rt"],
                rw=form.cleaned_data["rw"],
                address=form.cleaned_data["address"],
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Keluarga tersimpan. Tambahkan anggotanya."))
            return redirect("registry:person_add", public_id=household.public_id)
    return render(
        request, "registry/household_form.html", {"form": form, "fixed": fixed}
    )


@role_required(BROWSER_ROLES)
def household_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    household = selectors.household_get_for_actor(actor, public_id)
    proposals = proposal_selectors.proposals_of(household)
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "can_edit": actor.role in EDITOR_ROLES,
            "proposals": proposals,
            "can_propose": actor.role in proposal_services.REGISTRAR_ROLES
            and proposal_selectors.household_may_be_proposed(household, proposals),
        },
    )


@role_required(EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    household = selectors.household_get_for_actor(actor, public_id)
    form = HouseholdForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        try:
            household_update(
                actor=actor,
                household=household,
                version=form.cleaned_data["version"] or 0,
                rt=form.cleaned_data["rt"],
                rw=form.cleaned_data["rw"],
                address=form.cleaned_data["address"],
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Perubahan data keluarga tersimpan."))
            return redirect("registry:household_detail", public_id=household.public_id)
    return render(
        request, "registry/household_form.html", {"form": form, "household": household}
    )


@role_required(EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    household = selectors.household_get_for_actor(actor, public_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_add_to_household(
                actor=actor, household=household, **form.service_fields()
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(
                request, _("%(name)s ditambahkan.") % {"name": person.name}
            )
            return redirect("registry:household_detail", public_id=household.public_id)
    return render(
        request, "registry/person_form.html", {"form": form, "household": household}
    )


@role_required(EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    person = selectors.person_get_for_actor(actor, public_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(
                actor=actor,
                person=person,
                version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Perubahan data penduduk tersimpan."))
            return redirect("registry:person_detail", public_id=person.public_id)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "person": person, "household": person.household},
    )


NOT_REACHED_ONLY = "belum"


@role_required(BROWSER_ROLES)
def dtks_leavers(request: HttpRequest) -> HttpResponse:
    """Residents a DTKS snapshot took out, to call back: an SKTM or a new usulan DTKS
    may keep their services going. `?tampil=belum` leaves out those a call reached."""
    actor = actor_of(request)
    not_reached_only = request.GET.get("tampil") == NOT_REACHED_ONLY
    kelurahan_id = request.GET.get("kelurahan") or None
    kecamatan_id = request.GET.get("kecamatan") or None
    # Not counted: after a snapshot that takes many out (1M in the 5M bench city),
    # counting them cost 2 s a page; the dashboard has the figures.
    page = uncounted_page_of(
        request,
        dtks_selectors.dtks_leavers_for_actor(
            actor,
            not_reached_only=not_reached_only,
            kelurahan_id=kelurahan_id,
            kecamatan_id=kecamatan_id,
        ),
    )
    page.object_list = dtks_selectors.with_follow_ups(page.object_list)
    return render(
        request,
        "registry/dtks_leavers.html",
        {
            "leavers": page,
            "not_reached_only": not_reached_only,
            "kelurahan_id": kelurahan_id,
            "kecamatan_id": kecamatan_id,
            # Dinsos follows every kelurahan's list, a kecamatan's or one kelurahan's
            # at a time if it likes.
            "kelurahan_choices": Kelurahan.objects.select_related("kecamatan")
            if actor.role in CITY_WIDE_ROLES
            else None,
            "kecamatan_choices": Kecamatan.objects.all()
            if actor.role in CITY_WIDE_ROLES
            else None,
            "may_call": actor.role in CALLER_ROLES,
            # The follow-ups the list is for, started from the resident's row.
            "may_request_sktm": actor.role in sktm_services.REQUESTER_ROLES,
            "may_propose": actor.role in proposal_services.REGISTRAR_ROLES,
            "contact_form": DtksLeaverContactForm(),
        },
    )


@role_required(CALLER_ROLES)
@require_POST
def dtks_leaver_contact(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a call to one resident of the list, then back to the same page."""
    actor = actor_of(request)
    person: Person = get_for_actor_or_404(
        Person.objects.all(), actor, public_id=public_id
    )
    form = DtksLeaverContactForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Pilih hasil panggilan; catatan paling banyak %(n)s huruf.")
            % {"n": NOTE_MAX_LENGTH},
        )
    else:
        try:
            dtks_leaver_record_contact(actor=actor, person=person, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Panggilan dicatat."))
    back = {
        key: value
        for key, value in (
            ("tampil", request.POST.get("tampil", "")),
            ("page", request.POST.get("page", "")),
            ("kelurahan", request.POST.get("kelurahan", "")),
            ("kecamatan", request.POST.get("kecamatan", "")),
        )
        if value in {NOT_REACHED_ONLY} or value.isdigit() or _is_area_code(key, value)
    }
    url = reverse("registry:dtks_leavers")
    return redirect(f"{url}?{urlencode(back)}" if back else url)


def _is_area_code(key: str, value: str) -> bool:
    """Only an existing kelurahan or kecamatan code is carried back into the URL."""
    if key == "kelurahan":
        return Kelurahan.objects.filter(code=value).exists()
    if key == "kecamatan":
        return Kecamatan.objects.filter(code=value).exists()
    return False
