"""The change-history browser (pghistory events) styled by Unfold, supervisors only."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from pghistory.admin import EventsAdmin
from unfold.admin import ModelAdmin

from core.roles import SUPERVISOR_ROLES


class AuditEventsAdmin(EventsAdmin, ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "role", None) in SUPERVISOR_ROLES

    def has_view_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False
