from django.urls import path

from puskesos import views

app_name = "puskesos"
urlpatterns = [
    path("", views.home, name="home"),
    path("penerimaan/", views.intake, name="intake"),
    path("kasus/", views.case_list, name="case_list"),
    path("kasus/<uuid:public_id>/", views.case_detail, name="case_detail"),
    path(
        "kasus/<uuid:public_id>/status/", views.case_transition, name="case_transition"
    ),
    path(
        "kasus/<uuid:public_id>/tanda-terima.pdf",
        views.case_receipt,
        name="case_receipt",
    ),
    path("kasus/<uuid:public_id>/rujuk/", views.case_refer, name="case_refer"),
    path("kasus/<uuid:public_id>/trc-tiba/", views.trc_arrived, name="trc_arrived"),
    path(
        "kasus/<uuid:public_id>/rujukan/<int:referral_id>/surat.pdf",
        views.referral_letter,
        name="referral_letter",
    ),
]
