"""Change history of domain models (django-pghistory, database triggers).

Triggers see every write, including bulk `update()` and the importer's set-based SQL,
so nothing escapes the trail. Each event row carries the actor through pghistory's
context, which the request middleware sets for the web and `actor_context()` sets for
services run from tasks and commands.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pghistory
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from core.models import Kelurahan


def track_changes(**kwargs: Any) -> Any:
    """Record inserts, updates and deletes with a full snapshot of the row.

    Statement-level triggers (transition tables) write one INSERT ... SELECT per
    statement instead of one per row: the bulk DTKS upsert stays fast and audited.
    """
    kwargs.setdefault("level", pghistory.Statement)
    extra_attrs = kwargs.pop("attrs", {})

    def decorator(model: type[models.Model]) -> type[models.Model]:
        attrs = {
            field.name: _unindexed_copy(field)
            for field in model._meta.fields
            if isinstance(field, models.ForeignKey)
            and field.remote_field.model is Kelurahan
        }
        tracker = pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            attrs={**attrs, **extra_attrs},
            **kwargs,
        )
        tracked: type[models.Model] = tracker(model)
        return tracked

    return decorator


def _unindexed_copy(field: models.ForeignKey[Any, Any]) -> models.ForeignKey[Any, Any]:
    """The event table's copy of a foreign key to a kelurahan, with no index.

    pghistory indexes every copied foreign key (two indexes for a text key). No query
    looks up change history by kelurahan (its history would be most of the table),
    and a DTKS import writes a million person events: each index is paid per row.
    """
    return models.ForeignKey(
        Kelurahan,
        verbose_name=field.verbose_name,
        null=field.null,
        blank=field.blank,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        related_query_name="+",
    )


@contextlib.contextmanager
def actor_context(
    actor: AbstractBaseUser | AnonymousUser | None, **extra: Any
) -> Iterator[None]:
    """Attach the acting user (and any extra labels) to every change made inside."""
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    with pghistory.context(user=user_id, **extra):
        yield
