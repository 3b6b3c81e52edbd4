from __future__ import annotations

from typing import Any

from core.extensions import Panel
from odgj.selectors import odgj_case_summary_for_person


def person_case_panel(person: Any, actor: Any) -> Panel | None:
    """On the registry person page: only that a case exists and whom to contact."""
    summary = odgj_case_summary_for_person(person)
    if not summary.has_open_case:
        return None
    return Panel("odgj/_person_panel.html", {"summary": summary})
