from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
