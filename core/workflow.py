"""Explicit state machines: allowed transitions declared once, checked in one place."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidTransitionError

if TYPE_CHECKING:
    from core.models import User


def states_waiting_on[S: str](
    role: str, waits_on: Mapping[S, Collection[str]]
) -> list[S]:
    """The states in which a record waits for `role` to take the next step."""
    return [state for state, roles in waits_on.items() if role in roles]


@dataclass(frozen=True)
class Workflow:
    """A state machine: `transitions[state]` is the set of states it may move to."""

    name: str | Promise
    transitions: Mapping[str, frozenset[str]]
    labels: Mapping[str, str | Promise]

    def allowed_from(self, state: str) -> frozenset[str]:
        return self.transitions.get(state, frozenset())

    def next_states(self, state: str) -> list[str]:
        """The allowed moves in the order the states are declared (the way forward
        first, then the side exits), for buttons: a set's order changes from one
        process to the next."""
        allowed = self.allowed_from(state)
        declared = [s for s in self.labels if s in allowed]
        return declared + sorted(allowed - set(declared))

    def check(self, from_state: str, to_state: str) -> None:
        if to_state not in self.allowed_from(from_state):
            raise InvalidTransitionError(
                _("%(name)s tidak dapat berpindah dari status “%(src)s” ke “%(dst)s”.")
                % {
                    "name": self.name,
                    "src": self.labels.get(from_state, from_state),
                    "dst": self.labels.get(to_state, to_state),
                }
            )

    def move(
        self,
        obj: models.Model,
        *,
        to: str,
        actor: User | None,
        record: type[TransitionRecord],
        owner_field: str,
        note: str = "",
        state_field: str = "status",
    ) -> None:
        """Check the move, record it (from, to, who, when, why) and set the new state
        on `obj`; the caller saves `obj` in the same transaction."""
        self.move_many(
            [obj],
            to=to,
            actor=actor,
            record=record,
            owner_field=owner_field,
            notes=[note],
            state_field=state_field,
        )

    def move_many(
        self,
        objs: Sequence[models.Model],
        *,
        to: str,
        actor: User | None,
        record: type[TransitionRecord],
        owner_field: str,
        notes: Sequence[str],
        state_field: str = "status",
    ) -> None:
        """`move` for several objects (a job's chunk): every move is checked before
        any is recorded, and the records are inserted together."""
        for obj in objs:
            self.check(getattr(obj, state_field), to)
        record._default_manager.bulk_create(
            [
                record(
                    **{owner_field: obj},
                    from_state=getattr(obj, state_field),
                    to_state=to,
                    actor=actor,
                    note=note,
                )
                for obj, note in zip(objs, notes, strict=True)
            ]
        )
        for obj in objs:
            setattr(obj, state_field, to)


class TransitionRecord(models.Model):
    """Who moved what from which state to which, when, and why."""

    from_state = models.CharField(_("dari status"), max_length=32, blank=True)
    to_state = models.CharField(_("ke status"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("waktu"), default=timezone.now)
    note = models.TextField(_("catatan"), blank=True)

    # The state machine whose moves this table records (set by each concrete
    # history): its labels name the states on screen, in the reader's language.
    workflow: ClassVar[Workflow]

    class Meta:
        abstract = True
        ordering = ["occurred_at", "id"]

    @property
    def from_label(self) -> str:
        return str(self.workflow.labels.get(self.from_state, self.from_state))

    @property
    def to_label(self) -> str:
        return str(self.workflow.labels.get(self.to_state, self.to_state))
