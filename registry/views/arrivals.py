"""Pindah datang: the receiving counter records residents arriving from another
kelurahan of the city (registry.services.arrivals)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError
from core.models import Kelurahan, User
from core.permissions import actor_of, form_error_from, role_required
from core.roles import KELURAHAN_BOUND_ROLES
from core.services import record_access, record_access_many
from registry import selectors
from registry.forms.arrivals import ArrivalForm, ArrivalLookupForm
from registry.models import Household, Person
from registry.proposal_selectors import open_proposal_of
from registry.services.arrivals import (
    household_move_in,
    person_move_in,
    reported_move_dismiss,
)
from registry.views.households import EDITOR_ROLES

_READ_PURPOSE = "pindah datang: mencocokkan data keluarga dari kelurahan lain"
_LIST_PURPOSE = "pindah datang: daftar laporan pindah dari Dukcapil"


@role_required(EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def arrival(request: HttpRequest) -> HttpResponse:
    """Step one: the NIK and the origin KK number, sent by POST (never in the
    address). Step two, on a match: who moves and where (the `scope` field)."""
    actor = actor_of(request)
    fixed = actor.kelurahan if actor.role in KELURAHAN_BOUND_ROLES else None
    if request.method == "POST" and "scope" in request.POST:
        return _confirm(request, actor, fixed)
    if request.method == "POST" and "reported" in request.POST:
        return _from_report(request, actor, fixed)
    if request.method == "POST" and "dismiss" in request.POST:
        return _dismiss(request, actor)
    lookup = ArrivalLookupForm(request.POST or None)
    if request.method == "POST" and lookup.is_valid():
        person = _match(actor, lookup, fixed)
        if person is not None:
            return _confirm_page(request, _start(person, fixed), person)
    reported = selectors.reported_arrivals_for(actor)
    handled = selectors.handled_arrivals_for(actor)
    record_access_many(
        actor=actor,
        model=Person,
        pks=[arrival.person.pk for arrival in [*reported, *handled] if arrival.person],
        purpose=_LIST_PURPOSE,
    )
    return render(
        request,
        "registry/arrival_lookup.html",
        {
            "form": lookup,
            "reported": reported,
            "handled": handled,
            "handled_days": selectors.HANDLED_ARRIVALS_DAYS,
        },
    )


def _start(
    person: Person, fixed: Kelurahan | None, moved_on: dt.date | None = None
) -> ArrivalForm:
    household = person.household
    assert household is not None  # matched through its household's KK
    return ArrivalForm(
        initial={
            "nik": person.nik,
            "origin_kk": household.kk_number,
            "person_version": person.version,
            "household_version": household.version,
            "moved_on": moved_on,
        },
        fixed_kelurahan=fixed,
    )


def _dismiss(request: HttpRequest, actor: User) -> HttpResponse:
    change = selectors.reported_change_get(actor, request.POST["dismiss"])
    if change is None:
        messages.error(request, _("Laporan pindah ini sudah tidak menunggu."))
        return redirect("registry:arrival")
    try:
        reported_move_dismiss(
            actor=actor, change=change, note=request.POST.get("note", "")
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Laporan ditutup: tidak ditemukan di kelurahan ini.")
        )
    return redirect("registry:arrival")


def _from_report(
    request: HttpRequest, actor: User, fixed: Kelurahan | None
) -> HttpResponse:
    """A move Dukcapil reported into the actor's kelurahan: the report stands for
    the letter's two numbers."""
    arrival = selectors.reported_arrival_get(actor, request.POST["reported"])
    if arrival is None:
        messages.error(request, _("Laporan pindah ini sudah tidak menunggu."))
        return redirect("registry:arrival")
    person = arrival.person
    assert person is not None  # only a registered resident's report is opened
    household = person.household
    if household is None or not household.kk_number:
        messages.error(
            request,
            _(
                "Keluarga asal penduduk ini belum punya nomor KK di registri: "
                "kelurahan asal perlu mencatat nomor KK-nya dulu (Ganti nomor KK)."
            ),
        )
        return redirect("registry:arrival")
    _log_read(actor, person, household)
    form = _start(person, fixed, moved_on=arrival.change.event_date)
    return _confirm_page(request, form, person)


def _match(
    actor: User, form: ArrivalLookupForm, fixed: Kelurahan | None
) -> Person | None:
    """The resident both numbers point to, logged as read; on no match or a
    resident already here, the form says so."""
    person = selectors.arrival_candidate(
        nik=form.cleaned_data["nik"], origin_kk=form.cleaned_data["origin_kk"]
    )
    if person is None:
        form.add_error(
            None,
            _(
                "Tidak ada penduduk dengan NIK dan nomor KK asal ini di Kota "
                "Balikpapan. Periksa kedua nomor pada surat pindah; penduduk dari "
                "luar kota didaftarkan sebagai keluarga baru."
            ),
        )
        return None
    if fixed is not None and person.kelurahan_id == fixed.pk:
        form.add_error(None, _("Penduduk ini sudah tercatat di kelurahan Anda."))
        return None
    household = person.household
    assert household is not None
    _log_read(actor, person, household)
    return person


def _log_read(actor: User, person: Person, household: Household) -> None:
    """Another kelurahan's family shown to this counter: both records' reads."""
    record_access(actor=actor, obj=household, purpose=_READ_PURPOSE)
    record_access(actor=actor, obj=person, purpose=_READ_PURPOSE)


def _confirm(
    request: HttpRequest, actor: User, fixed: Kelurahan | None
) -> HttpResponse:
    form = ArrivalForm(request.POST, fixed_kelurahan=fixed)
    form.is_valid()
    # The hidden numbers are ours: invalid ones mean a tampered or stale page.
    if "nik" in form.errors or "origin_kk" in form.errors:
        return redirect("registry:arrival")
    person = _match(actor, form, fixed)
    if person is None:
        messages.error(request, _("Data asal sudah berubah. Cari penduduk lagi."))
        return redirect("registry:arrival")
    if form.errors:
        return _confirm_page(request, form, person)
    data = form.cleaned_data
    try:
        household = _move(actor, person, form)
    except ApplicationError as exc:
        form_error_from(form, exc)
        return _confirm_page(request, form, person)
    messages.success(
        request,
        _("Pindah datang tercatat di Kelurahan %(kelurahan)s.")
        % {"kelurahan": data["kelurahan"].name},
    )
    return redirect("registry:household_detail", public_id=household.public_id)


def _move(actor: User, person: Person, form: ArrivalForm) -> Household:
    data = form.cleaned_data
    if data["scope"] == ArrivalForm.FAMILY:
        assert person.household is not None
        return household_move_in(
            actor=actor,
            household=person.household,
            version=data["household_version"],
            kelurahan=data["kelurahan"],
            kk_number=data["kk_number"],
            rt=data["rt"],
            rw=data["rw"],
            address=data["address"],
            moved_on=data["moved_on"],
        )
    joins = data["scope"] == ArrivalForm.JOIN
    return person_move_in(
        actor=actor,
        person=person,
        version=data["person_version"],
        kelurahan=data["kelurahan"],
        join_kk_number=data["kk_number"] if joins else None,
        relationship=data["relationship"],
        new_kk_number=None if joins else data["kk_number"],
        rt=data["rt"],
        rw=data["rw"],
        address=data["address"],
        moved_on=data["moved_on"],
    )


def _confirm_page(
    request: HttpRequest, form: ArrivalForm, person: Person
) -> HttpResponse:
    household = person.household
    assert household is not None
    return render(
        request,
        "registry/arrival_confirm.html",
        {
            "form": form,
            "person": person,
            "household": household,
            "members": household.members.all(),
            "open_proposal": open_proposal_of(household.pk),
            "pending_sktm": selectors.sktm_pending_for(person),
            "destination": form.fixed_kelurahan,
        },
    )
