from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from core.models import (
    AccessLog,
    BreakGlassGrant,
    Kecamatan,
    Kelurahan,
    Notification,
    SecurityAlert,
    User,
)
from core.roles import ADMIN_SITE_ROLES, SUPERVISOR_ROLES, Role


class RoleAdmin(ModelAdmin):
    """Admin access by role, and every queryset scoped to the actor.

    Supervisors, verifiers and admins read; writing in the admin is limited to the
    roles in `writable_roles`, and domain state changes go through actions that call
    services, never through raw field edits.
    """

    readable_roles: frozenset[str] = ADMIN_SITE_ROLES
    writable_roles: frozenset[str] = frozenset({Role.ADMIN})

    def _role(self, request: HttpRequest) -> str:
        return getattr(request.user, "role", "")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and self._role(request) in self.readable_roles

    def has_view_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_active and self._role(request) in self.writable_roles

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return request.user.is_active and self._role(request) in self.writable_roles

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_export_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "role", None) in SUPERVISOR_ROLES

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if hasattr(queryset, "for_actor"):
            return queryset.for_actor(request.user)
        return queryset


class ReadOnlyAdmin(RoleAdmin):
    writable_roles = frozenset()


class KelurahanInline(admin.TabularInline):
    model = Kelurahan
    extra = 0
    can_delete = False
    fields = ["code", "name"]
    readonly_fields = ["code", "name"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Kecamatan)
class KecamatanAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [KelurahanInline]


@admin.register(Kelurahan)
class KelurahanAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kecamatan"]
    list_filter = ["kecamatan"]
    search_fields = ["code", "name"]


@admin.register(User)
class StaffUserAdmin(DjangoUserAdmin, RoleAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    readable_roles = SUPERVISOR_ROLES
    list_display = ["username", "get_full_name", "role", "kelurahan", "is_active"]
    list_select_related = ["kelurahan"]  # nullable: Django's default skips it
    list_filter = ["role", "kelurahan__kecamatan", "is_active"]
    search_fields = ["username", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data petugas"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Peran dan wilayah"), {"fields": ("role", "kelurahan", "is_active")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2", "role", "kelurahan"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_model(
        self, request: HttpRequest, obj: User, form: Any, change: bool
    ) -> None:
        # Admin access follows the role; nobody can be made staff by a checkbox.
        obj.is_staff = obj.role in ADMIN_SITE_ROLES
        obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
    list_display = [
        "occurred_at",
        "actor",
        "object_repr",
        "purpose",
        "channel",
        "break_glass",
    ]
    list_filter = ["channel", "break_glass", "content_type"]
    search_fields = ["actor__username", "object_pk", "purpose"]
    date_hierarchy = "occurred_at"

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


@admin.register(SecurityAlert)
class SecurityAlertAdmin(ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
    list_display = ["created_at", "kind", "actor", "message", "acknowledged_at"]
    list_filter = ["kind"]


@admin.register(BreakGlassGrant)
class BreakGlassGrantAdmin(ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
    list_display = [
        "granted_at",
        "actor",
        "content_type",
        "object_pk",
        "expires_at",
        "reason",
    ]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
    list_display = ["created_at", "channel", "recipient", "kelurahan", "subject"]
    list_filter = ["channel"]
