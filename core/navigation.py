"""Staff navigation: each app registers its menu entries in its AppConfig.ready().

Keeps `core` free of imports from the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    order: int = 100
    icon: str = ""
    # Items sharing a group open from one menu entry, where a role has more than one
    # of them: the bar then fits one line down to tablet width.
    group: str | Promise = ""
    # The home page's tile: what the section is for, and how many of its records
    # wait on the signed-in user's role (one COUNT query; None: nothing to count).
    hint: str | Promise = ""
    waiting: Callable[[Any], int] | None = None
    waiting_text: str | Promise = ""  # "%(n)s menunggu" when empty
    # Where the list can show just those records, the tile opens it so.
    waiting_query: str = ""


@dataclass(frozen=True)
class Shortcut:
    label: str | Promise
    url: str
    hint: str | Promise
    waiting: int
    waiting_text: str


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)


def items_for_role(role: str) -> list[NavItem]:
    return sorted((i for i in _items if role in i.roles), key=lambda i: i.order)


def shortcuts_for(actor: Any) -> list[Shortcut]:
    shortcuts = []
    for item in items_for_role(getattr(actor, "role", "")):
        count = item.waiting(actor) if item.waiting else 0
        shortcuts.append(
            Shortcut(
                label=item.label,
                url=reverse(item.url_name)
                + (f"?{item.waiting_query}" if count and item.waiting_query else ""),
                hint=item.hint,
                waiting=count,
                waiting_text=str(item.waiting_text or _("%(n)s menunggu"))
                % {"n": count},
            )
        )
    return shortcuts
