from django.urls import path

from registry.views import arrivals, dtks, households, moves, proposals, sktm

app_name = "registry"
urlpatterns = [
    path("cari/", households.person_search, name="person_search"),
    path("keluarga/baru/", households.household_create_view, name="household_create"),
    path("pindah-datang/", arrivals.arrival, name="arrival"),
    path(
        "keluarga/<uuid:public_id>/",
        households.household_detail,
        name="household_detail",
    ),
    path(
        "keluarga/<uuid:public_id>/ubah/",
        households.household_edit,
        name="household_edit",
    ),
    path(
        "keluarga/<uuid:public_id>/ganti-kk/",
        moves.household_change_kk_view,
        name="household_change_kk",
    ),
    path(
        "penduduk/<uuid:public_id>/pindah/",
        moves.person_move_view,
        name="person_move",
    ),
    path(
        "keluarga/<uuid:public_id>/anggota/baru/",
        households.person_add,
        name="person_add",
    ),
    path("penduduk/<uuid:public_id>/", households.person_detail, name="person_detail"),
    path("penduduk/<uuid:public_id>/ubah/", households.person_edit, name="person_edit"),
    path(
        "penduduk/<uuid:person_id>/sktm/baru/",
        sktm.sktm_request_view,
        name="sktm_request",
    ),
    path("keluar-dtks/", households.dtks_leavers, name="dtks_leavers"),
    path(
        "keluar-dtks/<uuid:public_id>/panggilan/",
        households.dtks_leaver_contact,
        name="dtks_leaver_contact",
    ),
    path("sktm/", sktm.sktm_list, name="sktm_list"),
    path("sktm/<uuid:public_id>/", sktm.sktm_detail, name="sktm_detail"),
    path("sktm/<uuid:public_id>/surat.pdf", sktm.sktm_pdf, name="sktm_pdf"),
    path(
        "sktm/<uuid:public_id>/dokumen/<int:document_id>/",
        sktm.sktm_document,
        name="sktm_document",
    ),
    path(
        "sktm/<uuid:public_id>/<str:action>/",
        sktm.sktm_action,
        name="sktm_action",
    ),
    path(
        "keluarga/<uuid:public_id>/usulan-dtks/",
        proposals.proposal_create,
        name="proposal_create",
    ),
    path("usulan-dtks/", proposals.proposal_list, name="proposal_list"),
    path("usulan-dtks/ekspor.csv", proposals.proposal_export, name="proposal_export"),
    path("usulan-dtks/kirim/", proposals.proposal_submit, name="proposal_submit"),
    path(
        "usulan-dtks/<uuid:public_id>/",
        proposals.proposal_detail,
        name="proposal_detail",
    ),
    path(
        "usulan-dtks/<uuid:public_id>/<str:action>/",
        proposals.proposal_action,
        name="proposal_action",
    ),
    path("dtks/", dtks.dtks_import, name="dtks_import"),
    path("dtks/<uuid:public_id>/", dtks.dtks_batch, name="dtks_batch"),
    path(
        "dtks/<uuid:public_id>/simpan/", dtks.dtks_batch_commit_view, name="dtks_commit"
    ),
    path(
        "dtks/<uuid:public_id>/batal/", dtks.dtks_batch_cancel_view, name="dtks_cancel"
    ),
    path(
        "dtks/<uuid:public_id>/validasi/",
        dtks.dtks_batch_retry_view,
        name="dtks_retry",
    ),
    path(
        "dtks/<uuid:public_id>/ditolak.csv",
        dtks.dtks_rejected_csv,
        name="dtks_rejected",
    ),
]
