from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from unfold.contrib.import_export.forms import ExportForm

from bpjs.models import (
    Application,
    BudgetCeiling,
    Coverage,
    HealthFacility,
    MonthlyStatement,
    PremiumRate,
    ProposalBatch,
    RemovalProposal,
)
from bpjs.services.applications import application_approve
from core.admin import ReadOnlyAdmin, RoleAdmin
from core.exceptions import ApplicationError
from core.permissions import actor_of
from core.roles import SUPERVISOR_ROLES


@admin.register(PremiumRate)
class PremiumRateAdmin(RoleAdmin):
    writable_roles = SUPERVISOR_ROLES
    list_display = [
        "valid_from",
        "premium",
        "central_share",
        "city_share",
        "legal_basis",
    ]


@admin.register(BudgetCeiling)
class BudgetCeilingAdmin(RoleAdmin):
    writable_roles = SUPERVISOR_ROLES
    list_display = ["year", "amount"]


@admin.register(HealthFacility)
class HealthFacilityAdmin(RoleAdmin):
    writable_roles = SUPERVISOR_ROLES
    list_display = ["code", "name", "kind", "active"]
    search_fields = ["code", "name"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "person", "kelurahan", "basis", "status", "created_at"]
    list_filter = ["status", "basis", "kelurahan__kecamatan", "kelurahan"]
    search_fields = ["=person__nik"]
    list_select_related = ["person", "kelurahan"]
    exclude = ["eligibility_evidence", "checks"]
    actions = ["approve_selected"]

    @admin.action(description=_("Setujui pengajuan terpilih (verifikasi Dinsos)"))
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> None:
        done = 0
        for application in queryset:
            try:
                application_approve(actor=actor_of(request), application=application)
                done += 1
            except ApplicationError as exc:
                self.message_user(
                    request, f"{application}: {exc.message}", messages.WARNING
                )
        self.message_user(request, _("%(n)d pengajuan disetujui.") % {"n": done})


@admin.register(ProposalBatch)
class ProposalBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "period",
        "status",
        "created_by",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "period"]


@admin.register(Coverage)
class CoverageAdmin(ExportMixin, ReadOnlyAdmin):
    export_form_class = ExportForm
    list_display = [
        "person",
        "segment",
        "card_number",
        "start_date",
        "end_date",
        "active",
    ]
    list_filter = ["segment", "active"]
    search_fields = ["=person__nik", "card_number"]
    list_select_related = ["person"]
    show_full_result_count = False


@admin.register(RemovalProposal)
class RemovalProposalAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "coverage",
        "reason",
        "status",
        "response_deadline",
        "effective_date",
    ]
    list_filter = ["status", "reason"]


@admin.register(MonthlyStatement)
class MonthlyStatementAdmin(ExportMixin, ReadOnlyAdmin):
    export_form_class = ExportForm
    list_display = ["month", "kelurahan", "participants", "city_share", "amount"]
    list_filter = ["month"]
