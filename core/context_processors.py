from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from core.navigation import items_for_role


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    entries = []
    for item in items_for_role(getattr(user, "role", "")):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append(
            {
                "label": item.label,
                "url": url,
                "active": request.path.startswith(url) and url != "/",
            }
        )
    return {"nav_items": entries}
