"""Extension points through which higher apps add to lower apps' pages.

The person page (registry) shows panels contributed by odgj, bpjs and puskesos
without registry importing them: dependencies keep pointing one way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


PersonPanel = Callable[[Any, Any], Panel | None]  # (person, actor) -> Panel | None
_person_panels: list[PersonPanel] = []


def register_person_panel(builder: PersonPanel) -> None:
    if builder not in _person_panels:
        _person_panels.append(builder)


def person_panels(person: Any, actor: Any) -> list[Panel]:
    return [p for p in (builder(person, actor) for builder in _person_panels) if p]
