"""API plumbing shared by every app: the exception handler."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        field = exc.field or "non_field_errors"
        api_exc = exceptions.ValidationError({field: [str(exc.message)]}, code=exc.code)
        if exc.code == "conflict":
            api_exc.status_code = 409
        return drf_exception_handler(api_exc, context)
    return drf_exception_handler(exc, context)
