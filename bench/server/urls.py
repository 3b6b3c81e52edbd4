"""The app's URLs plus a plain DRF detail view (no auth, no log, one query): the
baseline bench/api.py measures in the same run as the partner API."""

from __future__ import annotations

from django.urls import path
from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import AllowAny

from config.urls import urlpatterns as app_urlpatterns
from registry.models import Person


class PersonOutput(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "sex", "kelurahan"]


class PlainDetailView(RetrieveAPIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes: list[type] = []
    # The app's API is versioned in its path (/api/v1/); this one is not, and with the
    # default URLPathVersioning it would answer 404 "Invalid version".
    versioning_class = None
    serializer_class = PersonOutput
    queryset = Person.objects.only("id", "sex", "kelurahan")


urlpatterns = [
    path("api/bench/plain/<int:pk>/", PlainDetailView.as_view()),
    *app_urlpatterns,
]
