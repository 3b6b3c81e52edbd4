from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from registry.views import sktm as sktm_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("registry/", include("registry.urls")),
    path("odgj/", include("odgj.urls")),
    path("bpjs/", include("bpjs.urls")),
    path("cek/sktm/<str:code>/", sktm_views.sktm_check, name="sktm_check"),
]

if settings.DEBUG:  # pragma: no cover
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
