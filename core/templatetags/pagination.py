"""`{% pagination page %}`: where a list is, and links to its other pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page

from core.pagination import UncountedPage

register = template.Library()


@register.inclusion_tag("_pagination.html", takes_context=True)
def pagination(
    context: dict[str, Any], page: Page[Any] | UncountedPage
) -> dict[str, Any]:
    if isinstance(page, UncountedPage):
        # Not counted: the previous and next pages only.
        return {"request": context["request"], "page": page, "counted": False}
    return {
        "request": context["request"],
        "page": page,
        "counted": True,
        "numbers": list(page.paginator.get_elided_page_range(page.number)),
        "ellipsis": page.paginator.ELLIPSIS,
    }
