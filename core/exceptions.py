"""The one error type a service raises for a rule the user broke.

Views and forms show `message` (Indonesian, translatable) as it is; the API exception
handler turns it into the standard error shape.
"""

from __future__ import annotations

from django.utils.functional import Promise


class ApplicationError(Exception):
    def __init__(
        self,
        message: str | Promise,
        *,
        code: str = "invalid",
        field: str | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        self.extra = extra or {}


class ConcurrentEditError(ApplicationError):
    """Someone saved the record after this user opened it."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(message, code="conflict")


class InvalidTransitionError(ApplicationError):
    def __init__(self, message: str | Promise) -> None:
        super().__init__(message, code="invalid_transition")
