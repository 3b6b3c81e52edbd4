from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from core.navigation import items_for_role


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    entries: list[tuple[str, object]] = []
    for item in items_for_role(getattr(user, "role", "")):
        try:
            entries.append((reverse(item.url_name), item.label))
        except NoReverseMatch:
            continue
    # One item is lit: the one whose address is the longest start of this page's
    # (the intake form lies under the Puskesos home, and both were lit).
    matching = [
        url for url, _label in entries if url != "/" and request.path.startswith(url)
    ]
    lit = max(matching, key=len, default=None)
    return {
        "nav_items": [
            {"label": label, "url": url, "active": url == lit} for url, label in entries
        ]
    }
