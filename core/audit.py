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
import pghistory.trigger
import pgtrigger
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from core.models import Kelurahan


def track_changes(*, unindexed: tuple[str, ...] = (), **kwargs: Any) -> Any:
    """Record inserts, updates and deletes with a full snapshot of the row.

    Statement-level triggers (transition tables) write one INSERT ... SELECT per
    statement instead of one per row: the bulk DTKS upsert stays fast and audited.

    History is looked up by its object (`pgh_obj`) and its context, which pghistory
    indexes. It also indexes every foreign key it copies into the event table, which
    a bulk write pays for each row; `unindexed` names foreign keys whose copies get
    no index (those to a kelurahan never do).
    """
    kwargs.setdefault("level", pghistory.Statement)
    extra_attrs = kwargs.pop("attrs", {})

    def decorator(model: type[models.Model]) -> type[models.Model]:
        attrs = {
            field.name: _unindexed_copy(field)
            for field in model._meta.fields
            if isinstance(field, models.ForeignKey)
            and (field.remote_field.model is Kelurahan or field.name in unindexed)
        }
        missing = set(unindexed) - set(attrs)
        if missing:
            raise ValueError(f"{model.__name__} has no foreign keys {sorted(missing)}")
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
    """The event table's copy of a foreign key, with no index and no constraint (as
    pghistory's own copies: history outlives the rows it points to).

    No query looks up change history by kelurahan (its history would be most of the
    table), and a DTKS import writes a million person events and half a million DTKS
    entry events: each index is paid per row (the entries' person and batch indexes
    were about a fifth of a re-import's upsert in an A/B run, docs/scaling.md).
    """
    return models.ForeignKey(
        field.remote_field.model,
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


def insert_trigger(model: type[models.Model]) -> pghistory.trigger.Event | None:
    """The statement-level trigger that records every insert of the model, if there
    is one (a trigger with a condition records only some: not this one)."""
    for trigger in getattr(model._meta, "triggers", ()):
        if (
            isinstance(trigger, pghistory.trigger.Event)
            and trigger.operation == pgtrigger.Insert
            and trigger.level == pgtrigger.Statement
            and trigger.condition is None
        ):
            return trigger
    return None


_TRANSITION_TABLE = "{cond_new_values}"
_TRIGGER_RETURN = "RETURN NULL;"


def insert_events_sql(model: type[models.Model]) -> str:
    """The statement the model's insert trigger runs, over the model's rows whose
    primary key is above `%(after)s` instead of over the transition table of the
    statement that inserted them.

    For a bulk load that drops the trigger while it fills a table it holds locked
    (registry.services.dtks_bulk): PostgreSQL keeps every inserted row in the
    transition table and the trigger reads them back, 1.5 s of a 1M-person import.
    Built from pghistory's own trigger function, so the events are the trigger's,
    actor and all (a test compares them row by row)."""
    trigger = insert_trigger(model)
    if trigger is None:
        raise ValueError(f"{model.__name__} records no inserts")
    body = " ".join(trigger.get_func(model).func.split())
    if body.count(_TRANSITION_TABLE) != 1 or not body.endswith(_TRIGGER_RETURN):
        raise ValueError(f"unexpected pghistory trigger for {model.__name__}: {body}")
    rows = (
        f'"{model._meta.db_table}" AS new_values'
        f' WHERE new_values."{model._meta.pk.column}" > %(after)s'
    )
    return body.replace(_TRANSITION_TABLE, rows).removesuffix(_TRIGGER_RETURN)
