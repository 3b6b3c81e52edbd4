from django.urls import path

from bpjs import views

app_name = "bpjs"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path(
        "ajukan/<uuid:person_id>/", views.application_create, name="application_create"
    ),
    path(
        "pengajuan/<uuid:public_id>/",
        views.application_detail,
        name="application_detail",
    ),
    path(
        "pengajuan/<uuid:public_id>/dokumen/<int:document_id>/",
        views.application_document,
        name="application_document",
    ),
    path(
        "pengajuan/<uuid:public_id>/<str:action>/",
        views.application_action,
        name="application_action",
    ),
    path("batch/", views.batch_list, name="batch_list"),
    path("batch/<uuid:public_id>/", views.batch_detail, name="batch_detail"),
    path(
        "batch/<uuid:public_id>/ekspor.<str:fmt>",
        views.batch_export,
        name="batch_export",
    ),
    path("batch/<uuid:public_id>/terkirim/", views.batch_sent, name="batch_sent"),
    path("iuran/", views.premium_statement, name="premiums"),
    path("peserta/", views.participant_list, name="participant_list"),
    path("penghapusan/", views.removal_list, name="removal_list"),
    path(
        "penghapusan/baru/<uuid:person_id>/",
        views.removal_create,
        name="removal_create",
    ),
    path(
        "penghapusan/<uuid:public_id>/<str:action>/",
        views.removal_action,
        name="removal_action",
    ),
]
