"""The admin home for supervisors (Unfold DASHBOARD_CALLBACK).

Each app contributes its panels by registering a callable here from its AppConfig;
core knows nothing of the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

PanelBuilder = Callable[[HttpRequest], dict[str, Any]]
_panels: list[tuple[int, PanelBuilder]] = []


def register_panel(builder: PanelBuilder, *, order: int = 100) -> None:
    if all(existing is not builder for _, existing in _panels):
        _panels.append((order, builder))


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    panels = [builder(request) for _, builder in sorted(_panels, key=lambda p: p[0])]
    context.update({"dashboard_panels": [p for p in panels if p]})
    return context
