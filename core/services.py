"""Writes of the shared kernel: staff accounts and the read log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.models import AccessLog, BreakGlassGrant, Kelurahan, SecurityAlert, User
from core.roles import ADMIN_SITE_ROLES, KELURAHAN_BOUND_ROLES, Role


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    password: str,
    role: str,
    kelurahan: Kelurahan | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    if role not in Role.values:
        raise ApplicationError(
            _("Peran tidak dikenal: %(role)s") % {"role": role}, field="role"
        )
    if role in KELURAHAN_BOUND_ROLES and kelurahan is None:
        raise ApplicationError(
            _("Operator dan koordinator Puskesos wajib terikat ke satu kelurahan."),
            field="kelurahan",
        )
    if role not in KELURAHAN_BOUND_ROLES:
        kelurahan = None
    user = User(
        username=username,
        role=role,
        kelurahan=kelurahan,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role in ADMIN_SITE_ROLES,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def record_access(
    *,
    actor: User,
    obj: models.Model,
    purpose: str,
    channel: str = AccessLog.Channel.WEB,
    break_glass: bool = False,
    reason: str = "",
) -> AccessLog:
    """Log a read of a sensitive record (ODGJ, health, a data-subject export).

    The object's description is its model and key only: the log itself must not
    become a second copy of the personal data.
    """
    return AccessLog.objects.create(
        actor=actor,
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_repr=f"{obj._meta.verbose_name} #{obj.pk}",
        purpose=purpose,
        channel=channel,
        break_glass=break_glass,
        reason=reason,
    )


def record_access_many(
    *,
    actor: User,
    model: type[models.Model],
    pks: Sequence[int],
    purpose: str,
    channel: str = AccessLog.Channel.WEB,
) -> int:
    """Log the reads of a page of records of one model, one row each, in one
    statement (a page of 100 through the ORM cost a third of the partner API's
    recording-queue call, bench/api.py). Returns the rows written."""
    if not pks:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AccessLog._meta.db_table}"  # noqa: S608 - table from metadata
            " (occurred_at, actor_id, content_type_id, object_pk, object_repr,"
            "  purpose, channel, break_glass, reason)"
            " SELECT now(), %s, %s, pk::text, %s || ' #' || pk, %s, %s, false, ''"
            " FROM unnest(%s::bigint[]) AS pk",
            [
                actor.pk,
                ContentType.objects.get_for_model(model).pk,
                str(model._meta.verbose_name),
                purpose,
                channel,
                list(pks),
            ],
        )
        written: int = cursor.rowcount
    return written


def break_glass_active(*, actor: User, obj: models.Model) -> BreakGlassGrant | None:
    return (
        BreakGlassGrant.objects.filter(
            actor=actor,
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            expires_at__gt=timezone.now(),
        )
        .order_by("-expires_at")
        .first()
    )


@transaction.atomic
def break_glass_open(*, actor: User, obj: models.Model, reason: str) -> BreakGlassGrant:
    """Grant time-limited access to one record, log it and alert the supervisors."""
    if len(reason.strip()) < 10:
        raise ApplicationError(
            _("Tuliskan alasan akses darurat dengan jelas (minimal 10 karakter)."),
            field="reason",
        )
    hours = getattr(settings, "BREAK_GLASS_HOURS", 3)
    grant = BreakGlassGrant.objects.create(
        actor=actor,
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        reason=reason.strip(),
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    record_access(
        actor=actor, obj=obj, purpose="akses darurat", break_glass=True, reason=reason
    )
    SecurityAlert.objects.create(
        kind=SecurityAlert.Kind.BREAK_GLASS,
        actor=actor,
        message=f"{actor} membuka akses darurat ke {obj._meta.verbose_name} #{obj.pk}",
    )
    return grant
