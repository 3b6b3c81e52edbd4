"""API plumbing shared by every app: partner authentication, role permission,
per-client throttling, idempotency keys and the one error shape."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from core.exceptions import ApplicationError
from core.models import IdempotencyRecord
from core.roles import Role


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """ApplicationError → the standardized validation-error shape (Indonesian text)."""
    # Imported here: the handler imports rest_framework.views, which imports the
    # authentication classes of this module.
    from drf_standardized_errors.handler import (
        exception_handler as standardized_handler,
    )

    if isinstance(exc, ApplicationError):
        field = exc.field or "non_field_errors"
        api_exc: exceptions.APIException = exceptions.ValidationError(
            {field: [str(exc.message)]}, code=exc.code
        )
        if exc.code == "conflict":
            api_exc = exceptions.APIException(str(exc.message), code="conflict")
            api_exc.status_code = 409
        return standardized_handler(api_exc, context)  # type: ignore[arg-type]
    return standardized_handler(exc, context)  # type: ignore[arg-type]


class PartnerAuthentication(OAuth2Authentication):
    """OAuth2 client credentials: the token has no user, so the request acts as the
    staff account that owns the client application (the Dukcapil liaison)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is None and token is not None and token.application is not None:
            user = token.application.user
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(
                _("Klien API tidak terhubung ke akun aktif.")
            )
        return user, token


class IsDukcapilLiaison(permissions.BasePermission):
    message = _("Hanya penghubung Dukcapil yang dapat memakai API ini.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return getattr(request.user, "role", None) == Role.LIAISON_DUKCAPIL


class RequiredScope(permissions.BasePermission):
    """The token must carry the view's `required_scopes` for the HTTP method."""

    message = _("Token tidak memiliki cakupan (scope) untuk tindakan ini.")

    def has_permission(self, request: Request, view: Any) -> bool:
        scopes: dict[str, str] = getattr(view, "required_scopes", {})
        needed = scopes.get(request.method or "", scopes.get("*"))
        token = request.auth
        if needed is None:
            return True
        return (
            token is not None
            and hasattr(token, "allow_scopes")
            and token.allow_scopes([needed])
        )


class ClientRateThrottle(SimpleRateThrottle):
    scope = "partner"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        ident = getattr(token, "application_id", None) or self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Run a POST handler at most once per (client, Idempotency-Key).

    The record row is inserted in the same transaction as the handler's effect, so a
    concurrent replay blocks on the unique key until the first commits, then reads the
    stored answer: exactly one effect however many retries race.
    """

    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > 200:
            raise exceptions.ValidationError(
                {"Idempotency-Key": [_("Terlalu panjang.")]}
            )
        client = str(getattr(request.auth, "application_id", "") or request.user.pk)
        digest = hashlib.sha256(
            json.dumps(request.data, sort_keys=True, default=str).encode()
            + request.path.encode()
        ).hexdigest()
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    record, created = (
                        IdempotencyRecord.objects.select_for_update().get_or_create(
                            client=client, key=key, defaults={"request_hash": digest}
                        )
                    )
                    if not created:
                        if record.request_hash != digest:
                            return Response(
                                {
                                    "type": "client_error",
                                    "errors": [
                                        {
                                            "code": "idempotency_key_reused",
                                            "detail": _(
                                                "Idempotency-Key ini sudah dipakai untuk "
                                                "permintaan yang berbeda."
                                            ),
                                            "attr": None,
                                        }
                                    ],
                                },
                                status=422,
                            )
                        return Response(
                            record.body,
                            status=record.status_code,
                            headers={"Idempotent-Replayed": "true"},
                        )
                    response = handler(view, request, *args, **kwargs)
                    if response.status_code >= 500:
                        transaction.set_rollback(True)
                        return response
                    record.status_code = response.status_code
                    record.body = response.data
                    record.save(update_fields=["status_code", "body"])
                    return response
            except IntegrityError:
                continue  # lost the insert race: read the winner's answer
        raise exceptions.APIException(_("Permintaan bersamaan dengan kunci yang sama."))

    return wrapper
