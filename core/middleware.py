from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from pghistory.middleware import HistoryMiddleware

from core.two_factor import awaits_second_factor


class ChosenLanguageMiddleware:
    """Indonesian unless the user picked another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show
    English to a counter PC with an English browser. We honour only an explicit
    choice (the language cookie set by Django's `set_language` view).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AuditContextMiddleware(HistoryMiddleware):
    """Label every change made during a request with the user (pghistory context).

    Only the path's route name is kept, never the full URL, in case a query string
    ever carried something personal.
    """

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Partner API calls write through services that set the actor themselves;
        # wrapping every statement of a hot endpoint in a context costs a round trip.
        if request.path.startswith("/api/"):
            return self.get_response(request)
        response: HttpResponse = super().__call__(request)
        return response

    def get_context(self, request: HttpRequest) -> dict[str, object]:
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        return {
            "user": user.pk if user is not None and user.is_authenticated else None,
            "route": match.view_name if match else None,
        }


class PersonalDataNoStoreMiddleware:
    """Pages seen by a logged-in user carry personal data: never cache them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # What add_never_cache_headers sets, with a fixed past date for Expires
            # (it formatted the current time for every partner API call).
            response.headers["Cache-Control"] = (
                "no-store, no-cache, must-revalidate, private, max-age=0"
            )
            if "Expires" not in response.headers:
                response.headers["Expires"] = "Thu, 01 Jan 1970 00:00:00 GMT"
        return response


class SessionAbsoluteTimeoutMiddleware:
    """End a session a fixed time after login, however active it is (the idle timeout
    is SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST)."""

    KEY = "_login_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.setdefault(self.KEY, now)
            if now - int(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """CSP without inline scripts on our own pages, plus Permissions-Policy and
    Referrer-Policy everywhere. The admin (Unfold; its Alpine.js needs eval) and the
    API docs ship inline scripts, so they get a policy without that restriction."""

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    )
    CSP_LENIENT = (
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        lenient = request.path.startswith(("/admin/", "/api/docs/", "/api/redoc/"))
        response.headers.setdefault(
            "Content-Security-Policy", self.CSP_LENIENT if lenient else self.CSP
        )
        response.headers.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(self), payment=()",
        )
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class TwoFactorRequiredMiddleware:
    """Supervisors, admins and ODGJ case workers must verify a TOTP code after the
    password before anything else (ASVS 6.3.3)."""

    OPEN_PREFIXES = ("/2fa/", "/keluar/", "/static/", "/i18n/", "/favicon.ico")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            awaits_second_factor(getattr(request, "user", None))
            and not request.path.startswith(self.OPEN_PREFIXES)
            and not request.path.startswith("/api/")
        ):
            return redirect("two_factor")
        return self.get_response(request)
