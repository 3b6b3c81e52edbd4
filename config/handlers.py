"""The WSGI application: the site, and the partner API on a shorter middleware chain.

Partner calls (/api/v1/) carry a bearer token and nothing else: no session, cookie,
CSRF token, second factor or htmx header. Passing them through the browser chain cost
about a tenth of each call's CPU (bench/api.py), so they get their own handler built
from `API_MIDDLEWARE`, which keeps every response header the site sets. The OAuth
token endpoint and the API docs stay on the full chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

PARTNER_API_PREFIX = "/api/v1/"


class PartnerApiHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        # Django builds the chain from settings.MIDDLEWARE; the swap happens once,
        # while the application is built, before any request is served.
        site_middleware = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = site_middleware


class Application:
    def __init__(self) -> None:
        self.site = WSGIHandler()
        self.partner_api = PartnerApiHandler()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        handler = self.partner_api if path.startswith(PARTNER_API_PREFIX) else self.site
        return handler(environ, start_response)


def build_application() -> Application:
    import django

    django.setup(set_prefix=False)
    return Application()
