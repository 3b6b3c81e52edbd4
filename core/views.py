from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from core.forms import StaffAuthenticationForm
from core.navigation import shortcuts_for
from core.permissions import actor_of


class StaffLoginView(LoginView):
    template_name = "registration/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page of each role: its own work, linked from the menu."""
    role = getattr(request.user, "role", "")
    return render(
        request,
        "core/home.html",
        {
            "shortcuts": shortcuts_for(actor_of(request)),
            "role_template": f"core/home/{role}.html",
        },
    )


@require_POST
def session_ping(request: HttpRequest) -> HttpResponse:
    """Someone is at the keyboard: a page on which they type or click calls this
    now and then, so that a long interview at the counter does not end in an idle
    logout and a lost form. The save itself (SESSION_SAVE_EVERY_REQUEST) pushes the
    idle expiry back; the absolute limit still applies (the middleware)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(status=204)
