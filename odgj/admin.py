from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from core.roles import SUPERVISOR_ROLES
from odgj.models import OdgjSubject, OutreachVisit


@admin.register(OdgjSubject)
class OdgjSubjectAdmin(ReadOnlyAdmin):
    """Lists and counts only: health notes and photos are read on the case page,
    through the read log and break-glass, never here."""

    readable_roles = SUPERVISOR_ROLES
    list_display = [
        "__str__",
        "alias",
        "stage",
        "kelurahan",
        "stage_changed_at",
        "case_worker",
    ]
    list_filter = [
        "stage",
        "kelurahan__kecamatan",
        "kelurahan",
        "reporter_type",
        "placement",
    ]
    search_fields = ["alias"]
    fields = [
        "alias",
        "sex",
        "estimated_age",
        "kelurahan",
        "stage",
        "stage_changed_at",
        "close_reason",
        "reporter_type",
        "placement",
        "case_worker",
        "created_at",
    ]
    list_select_related = ["kelurahan", "case_worker"]


@admin.register(OutreachVisit)
class OutreachVisitAdmin(ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
    list_display = ["planned_date", "place", "place_type", "kelurahan", "status"]
    list_filter = ["status", "place_type", "kelurahan"]
    exclude = ["team"]
