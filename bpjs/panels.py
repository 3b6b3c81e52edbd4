from __future__ import annotations

from typing import Any

from bpjs.models import OPEN_STATUSES, Application
from bpjs.selectors import active_coverage
from core.extensions import Panel


def person_bpjs_panel(person: Any, actor: Any) -> Panel | None:
    return Panel(
        "bpjs/_person_panel.html",
        {
            "person": person,
            "coverage": active_coverage(person.pk),
            "open_application": Application.objects.filter(
                person=person, status__in=OPEN_STATUSES
            ).first(),
            "role": getattr(actor, "role", ""),
        },
    )
