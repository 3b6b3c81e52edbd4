"""Staff lists show every record, a page at a time (they once stopped at the first
200 without saying so), narrowed by the filter buttons above them."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, TextChoices
from django.http import HttpRequest

PAGE_SIZE = 50


def page_of(
    request: HttpRequest, queryset: QuerySet[Any], *, per_page: int = PAGE_SIZE
) -> Page[Any]:
    """The requested page; a page number out of range or not a number gives the
    nearest page. Rows sharing a sort key (same created_at) keep one order across
    pages through the primary key."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    if not {"pk", "-pk", "id", "-id"} & set(ordering):
        queryset = queryset.order_by(*ordering, "-pk")
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def status_filtered(
    request: HttpRequest,
    *,
    everything: QuerySet[Any],
    waiting: QuerySet[Any],
    statuses: type[TextChoices],
) -> tuple[QuerySet[Any], dict[str, Any]]:
    """The list as templates/_status_filter.html narrows it (`?menunggu=1`: what
    waits on this user; `?status=`: one state), and what the buttons need."""
    show_waiting = bool(request.GET.get("menunggu"))
    rows = waiting if show_waiting else everything
    status = request.GET.get("status")
    if status in statuses.values:
        rows = rows.filter(status=status)
    return rows, {
        "statuses": statuses.choices,
        "status": status,
        "waiting": show_waiting,
        # No states wait on this role: an empty IN, which runs no query.
        "waiting_count": waiting.count(),
    }
