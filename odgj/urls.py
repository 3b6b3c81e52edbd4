from django.urls import path

from odgj import views

app_name = "odgj"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("subjek/baru/", views.subject_create, name="subject_create"),
    path("subjek/<uuid:public_id>/", views.subject_detail, name="subject_detail"),
    path("subjek/<uuid:public_id>/foto/", views.subject_photo, name="subject_photo"),
    path(
        "subjek/<uuid:public_id>/akses-darurat/", views.break_glass, name="break_glass"
    ),
    path(
        "subjek/<uuid:public_id>/status/", views.subject_transition, name="transition"
    ),
    path("subjek/<uuid:public_id>/wali/", views.guardian_add, name="guardian_add"),
    path(
        "subjek/<uuid:public_id>/tautkan/",
        views.subject_link_person,
        name="subject_link_person",
    ),
    path(
        "subjek/<uuid:public_id>/tindak-lanjut/",
        views.follow_up_add,
        name="follow_up_add",
    ),
    path(
        "subjek/<uuid:public_id>/tindak-lanjut/<int:follow_up_id>/",
        views.follow_up_update,
        name="follow_up_update",
    ),
    path("kunjungan/baru/", views.visit_plan, name="visit_plan"),
    path("kunjungan/<uuid:public_id>/", views.visit_detail, name="visit_detail"),
    path(
        "kunjungan/<uuid:public_id>/hasil/<int:encounter_id>/",
        views.encounter_record,
        name="encounter_record",
    ),
]
