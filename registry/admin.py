from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from unfold.admin import TabularInline
from unfold.contrib.import_export.forms import ExportForm, ImportForm

from core.admin import ReadOnlyAdmin, RoleAdmin
from core.exceptions import ApplicationError
from core.permissions import actor_of
from core.roles import SUPERVISOR_ROLES, Role
from registry.models import (
    DtksEntry,
    DtksImportBatch,
    DtksProposal,
    DtksProposalTransition,
    Household,
    HouseholdMembership,
    Person,
    PopulationChange,
    Sktm,
    SktmPurpose,
    SktmTransition,
)
from registry.resources import PersonResource
from registry.services.sktm import sktm_revoke


class MemberInline(TabularInline):
    model = Person
    fields = ["name", "nik", "relationship", "birth_date", "is_deceased"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["kk_number", "kelurahan", "rt", "rw", "address", "updated_at"]
    list_filter = ["kelurahan__kecamatan", "kelurahan"]
    search_fields = ["kk_number"]
    list_select_related = ["kelurahan"]
    inlines = [MemberInline]
    show_full_result_count = False


class MembershipInline(TabularInline):
    model = HouseholdMembership
    fields = ["household", "relationship", "joined_on", "join_reason", "left_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ImportExportModelAdmin, RoleAdmin):
    resource_classes = [PersonResource]
    import_form_class = ImportForm
    export_form_class = ExportForm
    list_display = ["name", "nik", "sex", "birth_date", "kelurahan", "is_deceased"]
    list_filter = [
        "kelurahan__kecamatan",
        "kelurahan",
        "sex",
        "is_deceased",
        "disability",
    ]
    search_fields = ["=nik", "name"]
    list_select_related = ["kelurahan"]
    readonly_fields = ["public_id", "household", "kelurahan", "version"]
    raw_id_fields = ["household"]
    inlines = [MembershipInline]
    show_full_result_count = False
    writable_roles = frozenset({Role.ADMIN})

    def has_import_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "role", None) in SUPERVISOR_ROLES

    def has_export_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "role", None) in SUPERVISOR_ROLES


@admin.register(DtksEntry)
class DtksEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "person",
        "dtks_id",
        "desil",
        "active",
        "active_since",
        "inactive_since",
    ]
    list_filter = ["active", "desil", "deactivation_reason"]
    search_fields = ["=person__nik", "dtks_id"]
    list_select_related = ["person"]
    show_full_result_count = False


@admin.register(DtksImportBatch)
class DtksImportBatchAdmin(ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
    list_display = [
        "period",
        "original_name",
        "status",
        "count_new",
        "count_updated",
        "count_unchanged",
        "count_rejected",
        "count_deactivated",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["status", "period"]
    exclude = ["file", "column_mapping"]


@admin.register(SktmPurpose)
class SktmPurposeAdmin(RoleAdmin):
    writable_roles = SUPERVISOR_ROLES
    list_display = ["code", "name", "validity_days", "counts_for_gakin", "active"]


class TransitionInline(TabularInline):
    """A workflow's recorded moves, read-only under the record they belong to."""

    fields = ["occurred_at", "from_state", "to_state", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SktmTransitionInline(TransitionInline):
    model = SktmTransition


@admin.register(Sktm)
class SktmAdmin(ReadOnlyAdmin):
    list_display = ["number", "person", "purpose", "status", "valid_until", "kelurahan"]
    list_filter = ["status", "purpose", "kelurahan__kecamatan", "kelurahan"]
    search_fields = ["number", "=person__nik"]
    list_select_related = ["person", "purpose", "kelurahan"]
    inlines = [SktmTransitionInline]
    actions = ["revoke_selected"]

    @admin.action(description=_("Cabut SKTM terpilih (alasan: keputusan Dinsos)"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[Sktm]) -> None:
        done = 0
        for sktm in queryset:
            try:
                sktm_revoke(
                    actor=actor_of(request),
                    sktm=sktm,
                    reason=str(_("Dicabut oleh Dinsos.")),
                )
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{sktm}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)d SKTM dicabut.") % {"n": done})


class DtksProposalTransitionInline(TransitionInline):
    model = DtksProposalTransition


@admin.register(DtksProposal)
class DtksProposalAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "household",
        "status",
        "submitted_period",
        "kelurahan",
    ]
    list_filter = ["status", "kelurahan__kecamatan", "kelurahan"]
    search_fields = ["=household__kk_number"]
    list_select_related = ["household", "kelurahan"]
    inlines = [DtksProposalTransitionInline]


@admin.register(PopulationChange)
class PopulationChangeAdmin(ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
    list_display = [
        "received_at",
        "kind",
        "event_date",
        "destination",
        "status",
        "applied_at",
        "handled_by",
    ]
    list_select_related = ["destination", "handled_by"]
    list_filter = ["kind", "status"]
    search_fields = ["=nik"]
