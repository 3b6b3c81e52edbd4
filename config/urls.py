from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from oauth2_provider import views as oauth2_views

from puskesos import reports as puskesos_reports
from puskesos import views as puskesos_views
from registry.views import sktm as sktm_views

urlpatterns: list[URLPattern | URLResolver] = [
    # First: partner calls come by the thousand a minute, and URL resolution tries
    # the patterns in order.
    re_path(r"^api/(?P<version>v1)/", include("config.api_urls")),
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Only what the client-credentials grant of a partner needs: a token and its
    # revocation. django-oauth-toolkit's full set would let any signed-in staff member
    # register OAuth applications (/applications/register/) and run the authorization
    # code and device flows, with which a consent page could hand a token owned by
    # the Dukcapil liaison to someone else.
    path(
        "api/oauth/",
        include(
            (
                [
                    path("token/", oauth2_views.TokenView.as_view(), name="token"),
                    path(
                        "revoke_token/",
                        oauth2_views.RevokeTokenView.as_view(),
                        name="revoke-token",
                    ),
                ],
                "oauth2_provider",
            )
        ),
    ),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(versioning_class=None, api_version="v1"),
        name="api-schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", versioning_class=None),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", versioning_class=None),
        name="api-redoc",
    ),
    path("registry/", include("registry.urls")),
    path("odgj/", include("odgj.urls")),
    path("bpjs/", include("bpjs.urls")),
    path("puskesos/", include("puskesos.urls")),
    path("layanan/ajukan/", puskesos_views.public_apply, name="public_apply"),
    path("layanan/status/", puskesos_views.public_status, name="public_status"),
    path(
        "rujukan/<str:code>/", puskesos_views.referral_receive, name="referral_receive"
    ),
    path("cek/sktm/<str:code>/", sktm_views.sktm_check, name="sktm_check"),
    path(
        "favicon.ico", RedirectView.as_view(url="/static/favicon.svg", permanent=True)
    ),
    path("laporan/", include("puskesos.report_urls")),
    path("transparansi/", puskesos_reports.transparency, name="transparency"),
]

if settings.DEBUG:  # pragma: no cover
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
