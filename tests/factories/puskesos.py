from __future__ import annotations

import datetime as dt
from typing import Any

from core.models import Kelurahan, User
from puskesos.models import Case, NeedCategory
from puskesos.services import case_intake


def case(
    *,
    kelurahan: Kelurahan,
    actor: User | None = None,
    need: str = "pangan",
    request_type: str = "pertanyaan",
    description: str = "x",
    sla_due: dt.date | None = None,
    **kwargs: Any,
) -> Case:
    """A case taken in at the counter (or online, without an actor); `sla_due` in the
    past makes it overdue."""
    taken, _ = case_intake(
        actor=actor,
        kelurahan=kelurahan,
        need=NeedCategory.objects.get(code=need),
        request_type=request_type,
        description=description,
        **kwargs,
    )
    if sla_due is not None:
        Case.objects.filter(pk=taken.pk).update(sla_due=sla_due)
        taken.sla_due = sla_due
    return taken
