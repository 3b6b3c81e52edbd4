"""Staff navigation: each app registers its menu entries in its AppConfig.ready().

Keeps `core` free of imports from the apps above it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


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


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)


def items_for_role(role: str) -> list[NavItem]:
    return sorted((i for i in _items if role in i.roles), key=lambda i: i.order)
