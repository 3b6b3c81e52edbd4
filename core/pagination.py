"""Staff lists show every record, a page at a time (they once stopped at the first
200 without saying so), narrowed by the filter buttons above them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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
    return Paginator(_in_key_order(queryset), per_page).get_page(
        request.GET.get("page")
    )


def _in_key_order(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Rows sharing a sort key keep one order across pages through the primary key."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    if not {"pk", "-pk", "id", "-id"} & set(ordering):
        queryset = queryset.order_by(*ordering, "-pk")
    return queryset


@dataclass
class UncountedPage:
    """A page of a list too long to count on every view: its rows, its number and
    whether there is another page after it."""

    object_list: list[Any]
    number: int
    has_next: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def uncounted_page_of(
    request: HttpRequest, queryset: QuerySet[Any], *, per_page: int = PAGE_SIZE
) -> UncountedPage:
    """As `page_of`, without counting the rows (one row more is read to know whether
    a next page exists), for a list whose count costs more than its page: the
    database can then stop after the page's rows when an index gives the order.
    A page past the end, as when the list has just shrunk by the row a user acted
    on, gives the page before it (or the first)."""
    queryset = _in_key_order(queryset)
    try:
        number = max(int(request.GET.get("page") or 1), 1)
    except ValueError:
        number = 1
    rows = _rows_of_page(queryset, number, per_page)
    if not rows and number > 1:
        number -= 1
        rows = _rows_of_page(queryset, number, per_page)
        if not rows:
            number = 1
            rows = _rows_of_page(queryset, number, per_page)
    return UncountedPage(rows[:per_page], number, has_next=len(rows) > per_page)


def _rows_of_page(queryset: QuerySet[Any], number: int, per_page: int) -> list[Any]:
    start = (number - 1) * per_page
    return list(queryset[start : start + per_page + 1])


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
