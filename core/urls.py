from django.contrib.auth import views as auth_views
from django.urls import path

from core import two_factor, views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.StaffLoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", two_factor.two_factor, name="two_factor"),
    path("2fa/ganti/", two_factor.two_factor_reset, name="two_factor_reset"),
    path("sesi/", views.session_ping, name="session_ping"),
]
