from __future__ import annotations

from typing import Any

from core.extensions import Panel
from puskesos import selectors
from puskesos.services import STAFF_ROLES


def person_case_panel(person: Any, actor: Any) -> Panel | None:
    """The person's open Puskesos cases, and a new intake started from the person
    (the counter finds the citizen first, then takes the complaint or application)."""
    return Panel(
        "puskesos/_person_panel.html",
        {
            "person": person,
            "open_cases": selectors.person_open_cases(actor, person),
            "may_take_intake": getattr(actor, "role", "") in STAFF_ROLES,
        },
    )
