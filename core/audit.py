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


def track_changes(**kwargs: Any) -> Any:
    """Record inserts, updates and deletes with a full snapshot of the row.

    Statement-level triggers (transition tables) write one INSERT ... SELECT per
    statement instead of one per row: the bulk DTKS upsert stays fast and audited.
    """
    kwargs.setdefault("level", pghistory.Statement)
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        **kwargs,
    )


@contextlib.contextmanager
def actor_context(
    actor: AbstractBaseUser | AnonymousUser | None, **extra: Any
) -> Iterator[None]:
    """Attach the acting user (and any extra labels) to every change made inside."""
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    with pghistory.context(user=user_id, **extra):
        yield
