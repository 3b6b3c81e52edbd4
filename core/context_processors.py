from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from core.navigation import items_for_role
from core.two_factor import awaits_second_factor


@dataclass(frozen=True)
class MenuLink:
    label: str | Promise
    url: str
    active: bool
    group: str | Promise = ""


@dataclass
class MenuGroup:
    label: str | Promise
    links: list[MenuLink] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    if awaits_second_factor(user):
        # Every page but the code's is closed until then: no menu to promise them.
        return {"nav_menu": []}
    entries: list[tuple[str, str | Promise, str | Promise]] = []
    for item in items_for_role(getattr(user, "role", "")):
        try:
            entries.append((reverse(item.url_name), item.label, item.group))
        except NoReverseMatch:
            continue
    # One item is lit: the one whose address is the longest start of this page's
    # (the intake form lies under the Puskesos home, and both were lit).
    matching = [
        url for url, *_ in entries if url != "/" and request.path.startswith(url)
    ]
    lit = max(matching, key=len, default=None)
    links = [
        MenuLink(label=label, url=url, active=url == lit, group=group)
        for url, label, group in entries
    ]
    return {"nav_menu": bar_entries(links)}


def bar_entries(links: list[MenuLink]) -> list[MenuLink | MenuGroup]:
    """The bar's entries: a link, or one menu for a group of which the role has
    several items, placed where the group's first item is."""
    groups = [str(link.group) for link in links if link.group]
    bar: list[MenuLink | MenuGroup] = []
    menus: dict[str, MenuGroup] = {}
    for link in links:
        group = str(link.group)
        if groups.count(group) < 2:
            bar.append(link)
            continue
        if group not in menus:
            menus[group] = MenuGroup(label=link.group)
            bar.append(menus[group])
        menus[group].links.append(link)
    return bar


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        user is not None and user.is_authenticated and not awaits_second_factor(user)
    )


def session_script(request: HttpRequest) -> str:
    """The address of static/js/session.js with the idle timeout it counts down and
    where it pings, for our pages and (UNFOLD["SCRIPTS"]) the admin's. Before sign-in
    or the second factor it carries neither, and the script does nothing."""
    script = static("js/session.js")
    if not _signed_in(request):
        return script
    query = urlencode(
        {"idle": settings.SESSION_COOKIE_AGE, "ping": reverse("session_ping")}
    )
    return f"{script}?{query}"


def admin_stylesheet(request: HttpRequest) -> str:
    """Our additions to the Unfold admin's styles (UNFOLD["STYLES"])."""
    return static("css/admin.css")


def session_keepalive(request: HttpRequest) -> dict[str, object]:
    """The idle timeout's script, and its notice on a signed-in page."""
    return {
        "session_script": session_script(request),
        "session_notice": _signed_in(request),
    }
