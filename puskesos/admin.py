from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin, RoleAdmin
from core.roles import SUPERVISOR_ROLES
from puskesos.models import (
    Agency,
    Case,
    Counter,
    Holiday,
    NeedCategory,
    Referral,
    TrcDispatch,
)


@admin.register(Counter)
class CounterAdmin(RoleAdmin):
    writable_roles = SUPERVISOR_ROLES
    list_display = ["name", "kelurahan", "opening_hours", "phone"]


@admin.register(NeedCategory)
class NeedCategoryAdmin(RoleAdmin):
    writable_roles = SUPERVISOR_ROLES
    list_display = ["code", "name", "internal_flow", "urgent_by_default", "order"]


@admin.register(Agency)
class AgencyAdmin(RoleAdmin):
    writable_roles = SUPERVISOR_ROLES
    list_display = ["code", "name"]


@admin.register(Holiday)
class HolidayAdmin(RoleAdmin):
    writable_roles = SUPERVISOR_ROLES
    list_display = ["date", "name", "collective_leave"]
    list_filter = ["collective_leave"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "ticket_code",
        "need",
        "status",
        "kelurahan",
        "sla_due",
        "urgent",
        "created_at",
    ]
    list_filter = [
        "status",
        "need",
        "urgent",
        "channel",
        "kelurahan__kecamatan",
        "kelurahan",
    ]
    search_fields = ["ticket_code"]
    exclude = ["eligibility_evidence"]
    list_select_related = ["need", "kelurahan"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = [
        "case",
        "agency",
        "internal_flow",
        "status",
        "created_at",
        "updated_at",
    ]
    list_filter = ["status", "internal_flow", "agency"]
    list_select_related = ["case", "agency"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Referral]:
        cases = Case.objects.for_actor(request.user)
        return super().get_queryset(request).filter(case__in=cases)


@admin.register(TrcDispatch)
class TrcDispatchAdmin(ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
    list_display = ["case", "dispatched_at", "arrived_at"]
