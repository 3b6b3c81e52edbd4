"""ODGJ pages for the case worker (phone-sized where used in the field)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError
from core.files import private_file_response
from core.forms import uuid_or_none
from core.permissions import actor_of, form_error_from, role_required
from core.roles import Role
from core.scoping import get_for_actor_or_404
from core.services import break_glass_open
from odgj import selectors, services
from odgj.forms import (
    BreakGlassForm,
    EncounterForm,
    FollowUpAddForm,
    FollowUpForm,
    GuardianForm,
    NotesForm,
    PersonLookupForm,
    SubjectForm,
    TransitionForm,
    VisitPlanForm,
)
from odgj.models import (
    STAGE_WORKFLOW,
    OdgjSubject,
    OutreachVisit,
    Stage,
    VisitEncounter,
)
from registry.models import Person

ODGJ_ROLES = frozenset({Role.PEKERJA_SOSIAL_ODGJ, Role.SUPERVISOR_DINSOS, Role.ADMIN})
WORKER_ROLES = services.CASE_WORKER_ROLES


def _subject(request: HttpRequest, public_id: str, purpose: str) -> OdgjSubject:
    return selectors.odgj_subject_get_for_actor(
        actor_of(request), public_id, purpose=purpose
    )


@role_required(ODGJ_ROLES)
def worklist(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    kelurahan_id = request.GET.get("kelurahan") or None
    board = selectors.odgj_worklist(actor, kelurahan_id=kelurahan_id)
    return render(
        request,
        "odgj/worklist.html",
        {
            "board": [(Stage(stage).label, items) for stage, items in board.items()],
            "visits": OutreachVisit.objects.for_actor(actor)
            .filter(status=OutreachVisit.Status.PLANNED)
            .select_related("kelurahan")[:20],
            "kelurahan_id": kelurahan_id,
        },
    )


@role_required(services.REPORTER_ROLES)
@require_http_methods(["GET", "POST"])
def subject_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = SubjectForm(
        request.POST or None,
        request.FILES or None,
        initial={"kelurahan": actor.kelurahan},
    )
    candidates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidates = selectors.registry_candidates(
            actor,
            nik=data["nik_hint"],
            kk=data["kk_hint"],
            name=data["alias"],
            birth_date=data["birth_date_hint"],
        )
        link = data["link_person"]
        if candidates and not link:
            messages.warning(
                request,
                _(
                    "Periksa dulu: mungkin orang ini sudah ada di registri. Pilih salah "
                    "satu, atau pilih “bukan salah satu dari mereka”."
                ),
            )
        else:
            person = None
            if link and link != "none":
                person = Person.objects.for_actor(actor).filter(public_id=link).first()
            try:
                subject = services.odgj_subject_create(
                    actor=actor,
                    person=person,
                    photo=data["photo"],
                    **{
                        k: data[k]
                        for k in (
                            "alias",
                            "sex",
                            "estimated_age",
                            "physical_description",
                            "found_place",
                            "found_place_type",
                            "kelurahan",
                            "reporter_type",
                            "reporter_reference",
                            "legal_basis",
                            "consent_by",
                            "condition_notes",
                        )
                    },
                )
            except ApplicationError as exc:
                form_error_from(form, exc)
            else:
                messages.success(request, _("Subjek ODGJ tercatat."))
                if actor.role in selectors.NORMAL_READERS:
                    return redirect("odgj:subject_detail", public_id=subject.public_id)
                return redirect("home")
    return render(
        request, "odgj/subject_form.html", {"form": form, "candidates": candidates}
    )


@role_required(ODGJ_ROLES)
@require_http_methods(["GET", "POST"])
def subject_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    try:
        subject = _subject(request, public_id, "pendampingan kasus ODGJ")
    except selectors.BreakGlassRequired:
        return redirect("odgj:break_glass", public_id=public_id)
    notes_form = NotesForm(request.POST or None, instance=subject)
    if request.method == "POST" and notes_form.is_valid():
        try:
            services.odgj_subject_update_notes(
                actor=actor, subject=subject, **notes_form.cleaned_data
            )
            messages.success(request, _("Catatan tersimpan."))
            return redirect("odgj:subject_detail", public_id=subject.public_id)
        except ApplicationError as exc:
            form_error_from(notes_form, exc)
    next_stages = [
        (stage, Stage(stage).label)
        for stage in STAGE_WORKFLOW.next_states(subject.stage)
    ]
    return render(
        request,
        "odgj/subject_detail.html",
        {
            "subject": subject,
            "notes_form": notes_form,
            "guardian_form": GuardianForm(),
            "transition_form": TransitionForm(),
            "follow_up_form": FollowUpAddForm(),
            "next_stages": sorted(next_stages, key=lambda s: s[0] == Stage.CLOSED),
            "transitions": subject.transitions.select_related("actor"),
            "guardians": subject.guardians.all(),
            "follow_ups": subject.follow_ups.all(),
            "encounters": subject.encounters.select_related("visit"),
            "can_work": actor.role in WORKER_ROLES,
        },
    )


@role_required(WORKER_ROLES)
@require_http_methods(["GET", "POST"])
def subject_link_person(request: HttpRequest, public_id: str) -> HttpResponse:
    """Link a subject to the registry person the family tracing found: search by
    NIK, KK or name (sent by POST, never in the address), then pick one."""
    actor = actor_of(request)
    subject = _subject(request, public_id, "menautkan subjek ODGJ ke registri")
    chosen = request.POST.get("person", "")
    if chosen:
        person = (
            Person.objects.for_actor(actor).filter(public_id=uuid_or_none(chosen))
        ).first()
        if person is None:
            messages.error(request, _("Penduduk tidak ditemukan."))
        else:
            try:
                services.odgj_subject_link_person(
                    actor=actor, subject=subject, person=person
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Subjek ditautkan ke data penduduk."))
                return redirect("odgj:subject_detail", public_id=subject.public_id)
    form = PersonLookupForm(request.POST if "q" in request.POST else None)
    candidates = (
        # One search: a 16-digit query is tried as a NIK and a KK, anything else as
        # a name (registry.selectors.person_search_for_actor).
        selectors.registry_candidates(actor, name=form.cleaned_data["q"])
        if form.is_bound and form.is_valid()
        else []
    )
    return render(
        request,
        "odgj/subject_link.html",
        {"subject": subject, "form": form, "candidates": candidates},
    )


@role_required(ODGJ_ROLES)
def subject_photo(request: HttpRequest, public_id: str) -> FileResponse:
    subject = _subject(request, public_id, "melihat foto subjek ODGJ")
    if not subject.photo:
        raise Http404
    return private_file_response(subject.photo, name="foto")


@role_required(ODGJ_ROLES)
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    subject = selectors.odgj_subject_for_break_glass(actor, public_id)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            break_glass_open(
                actor=actor, obj=subject, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            return redirect("odgj:subject_detail", public_id=subject.public_id)
    return render(request, "odgj/break_glass.html", {"form": form})


def _act(request: HttpRequest, public_id: str, action: Any) -> HttpResponse:
    try:
        subject = _subject(request, public_id, "memperbarui kasus ODGJ")
    except selectors.BreakGlassRequired:
        return redirect("odgj:break_glass", public_id=public_id)
    try:
        action(actor_of(request), subject)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("odgj:subject_detail", public_id=subject.public_id)


@role_required(WORKER_ROLES)
@require_POST
def subject_transition(request: HttpRequest, public_id: str) -> HttpResponse:
    form = TransitionForm(request.POST)

    def action(actor: Any, subject: OdgjSubject) -> None:
        if not form.is_valid():
            raise ApplicationError(_("Data tidak lengkap."))
        services.odgj_case_transition(actor=actor, subject=subject, **form.cleaned_data)
        messages.success(request, _("Status kasus diperbarui."))

    return _act(request, public_id, action)


@role_required(WORKER_ROLES)
@require_POST
def guardian_add(request: HttpRequest, public_id: str) -> HttpResponse:
    form = GuardianForm(request.POST)

    def action(actor: Any, subject: OdgjSubject) -> None:
        if not form.is_valid():
            raise ApplicationError(" ".join(str(e) for e in form.errors.values()))
        services.guardian_add(actor=actor, subject=subject, **form.cleaned_data)
        messages.success(request, _("Wali / penanggung jawab ditambahkan."))

    return _act(request, public_id, action)


@role_required(WORKER_ROLES)
@require_POST
def follow_up_add(request: HttpRequest, public_id: str) -> HttpResponse:
    form = FollowUpAddForm(request.POST)

    def action(actor: Any, subject: OdgjSubject) -> None:
        if not form.is_valid():
            raise ApplicationError(" ".join(str(e) for e in form.errors.values()))
        services.follow_up_add(actor=actor, subject=subject, **form.cleaned_data)
        messages.success(request, _("Tindak lanjut ditambahkan."))

    return _act(request, public_id, action)


@role_required(WORKER_ROLES)
@require_POST
def follow_up_update(
    request: HttpRequest, public_id: str, follow_up_id: int
) -> HttpResponse:
    form = FollowUpForm(request.POST)

    def action(actor: Any, subject: OdgjSubject) -> None:
        follow_up = subject.follow_ups.filter(pk=follow_up_id).first()
        if follow_up is None or not form.is_valid():
            raise ApplicationError(_("Data tindak lanjut tidak valid."))
        services.follow_up_record(actor=actor, follow_up=follow_up, **form.cleaned_data)
        messages.success(request, _("Tindak lanjut diperbarui."))

    return _act(request, public_id, action)


@role_required(WORKER_ROLES | {Role.SUPERVISOR_DINSOS})
@require_http_methods(["GET", "POST"])
def visit_plan(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    open_subjects = selectors.odgj_subject_list_for_actor(actor).exclude(
        stage=Stage.CLOSED
    )
    form = VisitPlanForm(request.POST or None, subjects=open_subjects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_plan(
                actor=actor,
                planned_date=data["planned_date"],
                place_type=data["place_type"],
                place=data["place"],
                kelurahan=data["kelurahan"],
                subjects=list(data["subjects"]),
                external_team=data["external_team"],
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            return redirect("odgj:visit_detail", public_id=visit.public_id)
    return render(request, "odgj/visit_plan.html", {"form": form})


@role_required(ODGJ_ROLES)
def visit_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    visit: OutreachVisit = get_for_actor_or_404(
        OutreachVisit.objects.select_related("kelurahan").prefetch_related(
            Prefetch(
                "encounters",
                queryset=VisitEncounter.objects.select_related("subject").only(
                    "id",
                    "outcome",
                    "recorded_at",
                    "visit_id",
                    "subject__alias",
                    "subject__public_id",
                    "subject__stage",
                    "subject__sex",
                    "subject__estimated_age",
                ),
            ),
            "team",
        ),
        actor,
        public_id=public_id,
    )
    return render(
        request,
        "odgj/visit_detail.html",
        {
            "visit": visit,
            "form": EncounterForm(),
            "can_work": actor.role in WORKER_ROLES,
        },
    )


@role_required(WORKER_ROLES)
@require_POST
def encounter_record(
    request: HttpRequest, public_id: str, encounter_id: int
) -> HttpResponse:
    actor = actor_of(request)
    visit: OutreachVisit = get_for_actor_or_404(
        OutreachVisit.objects.all(), actor, public_id=public_id
    )
    encounter = visit.encounters.filter(pk=encounter_id).first()
    form = EncounterForm(request.POST)
    if encounter is None:
        raise Http404
    if form.is_valid():
        try:
            services.visit_record_encounter(
                actor=actor, encounter=encounter, **form.cleaned_data
            )
            messages.success(request, _("Hasil kunjungan tersimpan."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
    return redirect("odgj:visit_detail", public_id=visit.public_id)
