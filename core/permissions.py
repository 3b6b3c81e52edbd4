"""Function-level access for views: login plus an allowed role."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseBase

from core.exceptions import ApplicationError
from core.models import User

View = Callable[..., HttpResponseBase]


def role_required(roles: Iterable[str]) -> Callable[[View], View]:
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if getattr(request.user, "role", None) not in allowed:
                from core.security_log import denied

                denied(request.user, view.__name__)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require_role(actor: User | None, roles: frozenset[str], action: str = "") -> None:
    """Services refuse a role that may not act (None = a scheduled job, always allowed)."""
    if actor is None or actor.role in roles:
        return
    from django.utils.translation import gettext as _

    message = (
        _("Peran Anda tidak berwenang untuk %(action)s.") % {"action": action}
        if action
        else _("Peran Anda tidak berwenang untuk tindakan ini.")
    )
    raise ApplicationError(message, code="forbidden")


def actor_of(request: HttpRequest) -> User:
    """The logged-in staff user (views are wrapped by role_required)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def form_error_from(form: BaseForm, exc: ApplicationError) -> None:
    """Show a service's refusal on the form, on its field when the field is there."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))
