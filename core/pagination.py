"""Staff lists show every record, a page at a time (they once stopped at the first
200 without saying so)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
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
