from django.urls import path

from odgj import api as odgj_api
from registry import api as registry_api

app_name = "api"
urlpatterns = [
    path("odgj/menunggu/", odgj_api.WaitingSubjectsView.as_view(), name="odgj-waiting"),
    path(
        "odgj/<uuid:public_id>/peristiwa/",
        odgj_api.RecordingEventView.as_view(),
        name="odgj-event",
    ),
    path(
        "odgj/<uuid:public_id>/foto/",
        odgj_api.SubjectPhotoView.as_view(),
        name="odgj-photo",
    ),
    path(
        "perubahan-kependudukan/",
        registry_api.PopulationChangesView.as_view(),
        name="population-changes",
    ),
    path(
        "status-layanan/", odgj_api.ServiceStatusView.as_view(), name="service-status"
    ),
]
