"""API plumbing shared by every app: partner authentication, role permission,
per-client throttling, idempotency keys and the one error shape."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken, Application
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from rest_framework import HTTP_HEADER_ENCODING, exceptions, permissions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.utils.json import strict_constant

from core.exceptions import ApplicationError
from core.models import IdempotencyRecord, User
from core.ratelimit import window_allows, window_remaining
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
    wait = getattr(exc, "wait", None)  # django-stubs lack Throttled.wait
    if isinstance(exc, exceptions.Throttled) and wait is not None:
        exc = _throttled_in_indonesian(wait)
    return standardized_handler(exc, context)  # type: ignore[arg-type]


def _throttled_in_indonesian(wait: float) -> exceptions.Throttled:
    """DRF words the wait in English whatever the language (it formats the number
    into the text before looking the text up, so no catalog can match it)."""
    seconds = math.ceil(wait)
    throttled = exceptions.Throttled(
        detail=_("Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.")
        % {"seconds": seconds}
    )
    throttled.wait = seconds  # type: ignore[attr-defined]  # the Retry-After header
    return throttled


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, with its two everyday answers given without
    parsing the Accept header: a client that accepts anything (or sends no Accept)
    gets the view's first renderer, and one that asks for exactly JSON gets the
    first renderer when it is the JSON one: what DRF would choose. Anything else is
    negotiated by DRF (406 included). Parsing took 7 % of a partner status call's
    CPU under load (docs/scaling.md).
    """

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        override = self.settings.URL_FORMAT_OVERRIDE
        by_format = format_suffix or (override and override in request.query_params)
        if renderers and not by_format:
            accept = request.META.get("HTTP_ACCEPT", "*/*")
            first = renderers[0]
            if accept == "*/*" or accept == first.media_type == "application/json":
                return first, first.media_type
        chosen: tuple[BaseRenderer, str] = super().select_renderer(
            request, renderers, format_suffix
        )
        return chosen


def request_json(request: Request) -> Any:
    """The request's JSON body. A plain `application/json` body in UTF-8 is read
    directly, as DRF's JSON parser would read it (NaN and Infinity refused);
    anything else goes through DRF's parsers, which word the errors. The parser
    machinery cost more than the status query on the partner API's hottest call."""
    if request.content_type == "application/json":
        try:
            return json.loads(
                request._request.body.decode("utf-8"), parse_constant=strict_constant
            )
        except ValueError:  # bad JSON or bad UTF-8: DRF answers with its error
            pass
    return request.data


def json_response(request: Request, data: Any) -> HttpResponse:
    """What DRF's JSONRenderer writes for plain data (compact, UTF-8, no NaN),
    without building a Response and its renderer context: for the partner API's
    hottest call, whose answer is a flat dict. A client that asked for parameters
    (`application/json; indent=4`) gets DRF's renderer itself, which reads them."""
    if request.accepted_media_type != "application/json":
        rendered = JSONRenderer().render(
            data, request.accepted_media_type, {"request": request}
        )
        return HttpResponse(rendered, content_type="application/json")
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    # As DRF does: these two are valid JSON but end a line in JavaScript.
    body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return HttpResponse(body.encode("utf-8"), content_type="application/json")


class PartnerOAuth2Validator(OAuth2Validator):
    """Loads a bearer token with its client application and that application's owner
    in one raw query; the toolkit's validator then applies its own rules (expiry,
    scopes, resource audience, application usable) to the loaded objects.

    Every partner API call starts here, and the ORM's compilation of a three-model
    select_related cost more than the query itself (about 1.3 ms against 0.15 ms on
    the bench machine); Model.from_db builds the same instances from one row.
    """

    def _load_access_token(self, token: str) -> AccessToken | None:
        checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
        cached = loaded_tokens.get(checksum)
        if cached is not None:
            return cached
        access_token = self._query_access_token(checksum)
        if access_token is not None:
            loaded_tokens.put(checksum, access_token)
        return access_token

    def _query_access_token(self, checksum: str) -> AccessToken | None:
        with connection.cursor() as cursor:
            cursor.execute(_token_sql(), [checksum])
            row = cursor.fetchone()
        if row is None:
            return None
        models: tuple[type[Model], ...] = (AccessToken, Application, User)
        instances: list[Any] = []
        start = 0
        for model in models:
            fields = model._meta.concrete_fields
            names = [field.attname for field in fields]
            values = _converted(fields, row[start : start + len(fields)])
            start += len(fields)
            loaded = values[names.index(model._meta.pk.attname)] is not None
            instances.append(
                model.from_db("default", names, values) if loaded else None
            )
        access_token, application, owner = instances
        assert isinstance(access_token, AccessToken)
        if application is not None:
            application.user = owner
            access_token.application = application
        return access_token


class _LoadedTokens:
    """Tokens loaded in this process in the last few seconds, by checksum.

    A partner calls many times a second with the same token; reading it again for
    each call cost a round trip and more CPU than the status query itself
    (bench/api.py). Everything the validator decides on the loaded token (expiry,
    scope, audience, active owner) is still decided on every call, but on rows (the
    token, its client, the owner) up to `API_TOKEN_CACHE_SECONDS` old. A revocation,
    a token update or a change of client or owner clears this process's entries at
    once (connect_token_cache_invalidation); other worker processes see it within
    that many seconds.
    """

    max_entries = 1024

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, AccessToken]] = {}

    def get(self, checksum: str) -> AccessToken | None:
        entry = self._entries.get(checksum)
        if entry is None:
            return None
        loaded_at, access_token = entry
        if time.monotonic() - loaded_at >= settings.API_TOKEN_CACHE_SECONDS:
            self._entries.pop(checksum, None)
            return None
        return access_token

    def put(self, checksum: str, access_token: AccessToken) -> None:
        if settings.API_TOKEN_CACHE_SECONDS <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[checksum] = (time.monotonic(), access_token)

    def clear(self) -> None:
        self._entries.clear()


loaded_tokens = _LoadedTokens()


def _forget_loaded_tokens(**_kwargs: Any) -> None:
    loaded_tokens.clear()


def connect_token_cache_invalidation() -> None:
    """A token revoked or changed, or its client or owner changed (deactivated), is
    forgotten by this process at once."""
    from django.db.models.signals import post_delete, post_save

    for model in (AccessToken, Application, User):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                _forget_loaded_tokens,
                sender=model,
                dispatch_uid=f"forget_loaded_tokens_{name}_{model.__name__}",
            )


def _converted(fields: Any, values: tuple[Any, ...]) -> list[Any]:
    """Apply each field's from_db_value, as the ORM's compiler does (JSON fields)."""
    converted = []
    for field, raw in zip(fields, values, strict=True):
        value = raw
        for converter in field.get_db_converters(connection):
            value = converter(value, field, connection)
        converted.append(value)
    return converted


@functools.cache
def _token_sql() -> str:
    def columns(model: type[Model], alias: str) -> str:
        return ", ".join(
            f"{alias}.{connection.ops.quote_name(field.column)}"
            for field in model._meta.concrete_fields
        )

    # Names come from model metadata; the checksum is a parameter.
    return (
        f"SELECT {columns(AccessToken, 't')}, {columns(Application, 'a')}, "  # noqa: S608
        f"{columns(User, 'u')} "
        f"FROM {AccessToken._meta.db_table} t "
        f"LEFT JOIN {Application._meta.db_table} a ON a.id = t.application_id "
        f"LEFT JOIN {User._meta.db_table} u ON u.id = a.user_id "
        "WHERE t.token_checksum = %s"
    )


class _BearerCheck:
    """What OAuth2Validator.validate_bearer_token reads from and writes to."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.access_token: AccessToken | None = None
        self.oauth2_error: dict[str, str] = {}


class PartnerAuthentication(OAuth2Authentication):
    """OAuth2 client credentials: the token has no user, so the request acts as the
    staff account that owns the client application (the Dukcapil liaison).

    The token is checked by the toolkit's own validator (expiry, resource audience,
    application usable), called directly instead of through oauthlib's resource
    endpoint, whose per-request plumbing cost more than the query itself under load
    (bench/api.py). Only the Authorization header is read: a token in the query string
    or the body is never accepted (RFC 6750 §5.3, RFC 9700 §4.3.2).
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        scheme, _space, value = _authorization_header(request).partition(b" ")
        if scheme.lower() != b"bearer":
            return None
        try:
            raw_token = value.decode("ascii").strip()
        except UnicodeDecodeError:
            raw_token = ""
        # The validator reads only the URI (resource audience) and records its
        # findings on this object; oauthlib's full Request parsed headers and body
        # again for nothing.
        oauth_request = _BearerCheck(uri=request.build_absolute_uri(request.path))
        validator: OAuth2Validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
        if not validator.validate_bearer_token(raw_token, [], oauth_request):
            request.oauth2_error = oauth_request.oauth2_error  # type: ignore[attr-defined]
            return None
        token = oauth_request.access_token
        assert token is not None  # set by the validator on success
        user = token.user
        if user is None and token.application is not None:
            user = token.application.user
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(
                _("Klien API tidak terhubung ke akun aktif.")
            )
        return user, token


def _authorization_header(request: Request) -> bytes:
    """DRF's get_authorization_header, read from META: DRF reads `request.headers`,
    which copies every header of the request into a new mapping on first use (2.5 %
    of a status call's CPU under load)."""
    header: str | bytes = request.META.get("HTTP_AUTHORIZATION", b"")
    if isinstance(header, str):
        return header.encode(HTTP_HEADER_ENCODING)
    return header


class IsDukcapilLiaison(permissions.BasePermission):
    message = gettext_lazy("Hanya penghubung Dukcapil yang dapat memakai API ini.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return getattr(request.user, "role", None) == Role.LIAISON_DUKCAPIL


class RequiredScope(permissions.BasePermission):
    """The token must carry the view's `required_scopes` for the HTTP method."""

    message = gettext_lazy("Token tidak memiliki cakupan (scope) untuk tindakan ini.")

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
    """Requests per client application, counted in fixed windows.

    DRF's SimpleRateThrottle keeps the time of every request in the window and
    rewrites that list on each call: at partner volume (tens of thousands a minute)
    that cost milliseconds per request (bench/api.py). A counter per window is O(1)
    and, on Redis, atomic across gunicorn processes; each process takes its calls
    from it in leases (core.ratelimit), so most calls need no round trip.
    """

    scope = "partner"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        ident = getattr(token, "application_id", None) or self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Request, view: Any) -> bool:
        limit, window = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if limit is None or window is None or key is None:
            return True
        self._window = (key, window)
        return window_allows(key, limit=limit, window_seconds=window)

    def wait(self) -> float | None:
        key, window = self._window
        return window_remaining(key, window_seconds=window)


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
