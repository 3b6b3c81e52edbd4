"""One mechanism that scopes every query to the actor's role and area.

Every domain model that holds personal data uses `ScopedQuerySet` as its manager and
declares:

- `area_lookup`: the path from the model to its kelurahan id, e.g. "kelurahan" or
  "household__kelurahan";
- optionally `readable_roles`: the roles that may read it at all.

Views, the API, the admin and exports fetch through `for_actor()`, so a forgotten
filter cannot leak another kelurahan's rows: the unscoped manager is only used by
services and jobs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

from core.roles import (
    CITY_WIDE_ROLES,
    KELURAHAN_BOUND_ROLES,
    REGISTRY_READ_ROLES,
    Role,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class ScopedQuerySet(models.QuerySet[Any]):
    def for_actor(self, actor: AbstractBaseUser | AnonymousUser | None) -> Self:
        if actor is None or not actor.is_authenticated or not actor.is_active:
            return self.none()
        role = getattr(actor, "role", None)
        readable = getattr(self.model, "readable_roles", REGISTRY_READ_ROLES)
        if role not in readable:
            return self.none()
        # The Dukcapil liaison reaches only the models that list it (ODGJ), city-wide.
        if role in CITY_WIDE_ROLES or role == Role.LIAISON_DUKCAPIL:
            return self
        kelurahan_id = getattr(actor, "kelurahan_id", None)
        if role in KELURAHAN_BOUND_ROLES and kelurahan_id:
            lookup: str = self.model.area_lookup
            return self.filter(**{lookup: kelurahan_id})
        return self.none()


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class ScopedModel(models.Model):
    """Abstract base carrying the declarations `ScopedQuerySet` reads."""

    area_lookup: ClassVar[str] = "kelurahan"
    readable_roles: ClassVar[frozenset[str]] = REGISTRY_READ_ROLES

    objects = ScopedManager()

    class Meta:
        abstract = True


def get_for_actor_or_404(
    queryset: ScopedQuerySet, actor: AbstractBaseUser | AnonymousUser, **lookup: Any
) -> Any:
    """Fetch one object the actor may see; anything else is a plain 404.

    404 rather than 403 so that an operator cannot probe which ids exist elsewhere.
    """
    try:
        return queryset.for_actor(actor).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
