from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from registry.models import Household, Person, SktmStatus
from tests.factories.core import PASSWORD
from tests.factories.registry import (
    household,
    in_dtks,
    issued_sktm,
    make_kk,
    make_nik,
    name_index_left_to_build,
    person,
    requested_sktm,
)

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_operator_creates_household_in_own_kelurahan(client, operator_a):
    _login(client, operator_a)

    response = client.post(
        reverse("registry:household_create"),
        {"kk_number": make_kk(), "rt": "001", "rw": "002", "address": "Jl. Manggar"},
    )

    home = Household.objects.get()
    assert response.status_code == 302
    assert home.kelurahan_id == operator_a.kelurahan_id


def test_invalid_kk_shows_indonesian_error(client, operator_a):
    _login(client, operator_a)

    response = client.post(reverse("registry:household_create"), {"kk_number": "123"})

    assert "harus 16 digit" in response.content.decode()
    assert not Household.objects.exists()


def test_nik_date_mismatch_needs_confirmation(client, operator_a, kelurahan_a):
    home = household(kelurahan=kelurahan_a, actor=operator_a)
    _login(client, operator_a)
    data = {
        "nik": make_nik(birth=dt.date(1985, 5, 12), sex="L"),
        "name": "Budi",
        "birth_place": "Balikpapan",
        "birth_date": "13/05/1985",
        "sex": "L",
        "relationship": "kepala_keluarga",
        "disability": "tidak_ada",
        "domicile_status": "sesuai_kk",
    }
    url = reverse("registry:person_add", args=[home.public_id])

    first = client.post(url, data)
    second = client.post(url, {**data, "confirm_mismatch": "on"})

    assert "Tanggal lahir pada NIK" in first.content.decode()
    assert second.status_code == 302
    assert Person.objects.get().birth_date == dt.date(1985, 5, 13)


def test_us_style_date_is_not_read_as_month_first(client, operator_a, kelurahan_a):
    home = household(kelurahan=kelurahan_a, actor=operator_a)
    _login(client, operator_a)

    response = client.post(
        reverse("registry:person_add", args=[home.public_id]),
        {
            "name": "X",
            "birth_date": "12/31/1985",
            "sex": "L",
            "disability": "tidak_ada",
            "domicile_status": "sesuai_kk",
        },
    )

    assert response.status_code == 200
    assert not Person.objects.exists()


def test_stale_edit_shows_conflict_message(client, operator_a, kelurahan_a):
    home = household(kelurahan=kelurahan_a, actor=operator_a)
    _login(client, operator_a)
    url = reverse("registry:household_edit", args=[home.public_id])
    client.post(url, {"rt": "001", "rw": "002", "address": "Baru", "version": 1})

    response = client.post(
        url, {"rt": "009", "rw": "002", "address": "Lama", "version": 1}
    )

    assert "sudah diubah oleh petugas lain" in response.content.decode()
    home.refresh_from_db()
    assert home.address == "Baru"


def test_search_uses_post_and_never_puts_nik_in_url(client, operator_a, kelurahan_a):
    siti = person(kelurahan=kelurahan_a)
    _login(client, operator_a)

    response = client.post(reverse("registry:person_search"), {"q": siti.nik})

    body = response.content.decode()
    assert "Siti Aminah" in body
    assert f"?q={siti.nik}" not in body
    assert response["Cache-Control"].startswith("no-store")


def test_capped_city_search_tells_staff_to_narrow_it(
    client, supervisor, kelurahan_a, monkeypatch
):
    monkeypatch.setattr("registry.selectors.NAME_SEARCH_MAX_RESULTS", 1)
    person(kelurahan=kelurahan_a, name="Siti Aminah")
    person(kelurahan=kelurahan_a, name="Siti Aminah Lestari")
    _login(client, supervisor)

    response = client.post(reverse("registry:person_search"), {"q": "siti aminah"})

    body = response.content.decode()
    assert "Menampilkan 1 nama yang paling mirip" in body
    assert "Siti Aminah Lestari" not in body


def test_kelurahan_search_with_many_matches_is_not_called_capped(
    client, operator_a, kelurahan_a, monkeypatch
):
    monkeypatch.setattr("registry.selectors.NAME_SEARCH_MAX_RESULTS", 1)
    person(kelurahan=kelurahan_a, name="Siti Aminah")
    person(kelurahan=kelurahan_a, name="Siti Aminah Lestari")
    _login(client, operator_a)

    response = client.post(reverse("registry:person_search"), {"q": "siti aminah"})

    body = response.content.decode()
    assert "Siti Aminah Lestari" in body
    assert "paling mirip" not in body


def test_a_search_while_the_name_indexes_are_rebuilt_says_names_may_be_slow(
    client, operator_a, kelurahan_a
):
    person(kelurahan=kelurahan_a, name="Siti Aminah")
    name_index_left_to_build()
    _login(client, operator_a)

    body = client.post(reverse("registry:person_search"), {"q": "siti"}).content

    assert b'id="search-indexes-pending"' in body
    assert "Siti Aminah" in body.decode()


def test_a_search_with_every_index_in_place_says_nothing_of_it(
    client, operator_a, kelurahan_a
):
    person(kelurahan=kelurahan_a, name="Siti Aminah")
    _login(client, operator_a)

    body = client.post(reverse("registry:person_search"), {"q": "siti"}).content

    assert b'id="search-indexes-pending"' not in body


def test_person_page_shows_eligibility(client, operator_a, kelurahan_a):
    siti = person(kelurahan=kelurahan_a)
    issued_sktm(for_person=siti)
    _login(client, operator_a)

    response = client.get(reverse("registry:person_detail", args=[siti.public_id]))

    assert "Berhak" in response.content.decode()
    assert "Memiliki SKTM nomor" in response.content.decode()


def test_sktm_pdf_and_public_check_show_only_masked_data(
    client, operator_a, kelurahan_a
):
    siti = person(kelurahan=kelurahan_a)
    sktm = issued_sktm(for_person=siti)
    _login(client, operator_a)

    pdf = client.get(reverse("registry:sktm_pdf", args=[sktm.public_id]))
    from core.documents import signed_code

    client.logout()
    check = client.get(
        reverse("sktm_check", args=[signed_code(sktm.verification_code)])
    )

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    body = check.content.decode()
    assert "masih berlaku" in body
    assert "S*** A*****" in body
    assert siti.nik not in body
    assert "Siti Aminah" not in body


def test_forged_check_code_is_unknown(client, kelurahan_a):
    sktm = issued_sktm(for_person=person(kelurahan=kelurahan_a))

    response = client.get(
        reverse("sktm_check", args=[sktm.verification_code + ":forged"])
    )

    assert "tidak terdaftar" in response.content.decode()


def test_koordinator_verifies_and_issues_through_pages(
    client, operator_a, koordinator_a, kelurahan_a
):
    siti = person(kelurahan=kelurahan_a)
    _login(client, operator_a)
    client.post(
        reverse("registry:sktm_request", args=[siti.public_id]),
        {
            "purpose": "kesehatan",
            "pengantar_number": "01/RT",
            "pengantar_date": "01/11/2026",
        },
    )
    sktm = siti.sktm_set.get()
    _login(client, koordinator_a)

    client.post(reverse("registry:sktm_action", args=[sktm.public_id, "verify"]))
    client.post(
        reverse("registry:sktm_action", args=[sktm.public_id, "issue"]),
        {"signed_by_name": "Lurah", "signed_by_nip": "1970"},
    )

    sktm.refresh_from_db()
    assert sktm.status == SktmStatus.ISSUED


def test_dtks_upload_page_previews_and_commits(client, supervisor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _login(client, supervisor)
    content = (
        "NIK;NO_KK;NAMA;KODE_KELURAHAN;DESIL\n"
        f"{make_nik()};{make_kk()};Budi;6471011001;1\n"
        "123;6471012301190001;Salah;6471011001;1\n"
    ).encode()

    upload = client.post(
        reverse("registry:dtks_import"),
        {"period": "01/10/2026", "file": SimpleUploadedFile("d.csv", content)},
    )
    preview = client.get(upload["Location"])
    batch_id = upload["Location"].rstrip("/").split("/")[-1]
    client.post(reverse("registry:dtks_commit", args=[batch_id]))

    assert "ditolak" in preview.content.decode()
    assert Person.objects.count() == 1
    rejected = client.get(reverse("registry:dtks_rejected", args=[batch_id]))
    assert "3 digit" in b"".join(rejected.streaming_content).decode()


def test_big_batch_is_saved_by_the_worker_while_its_page_says_so(
    client, supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    from registry.models import DtksImportBatch
    from registry.tasks import dtks_commit_batch
    from registry.views import dtks as dtks_views
    from tests.registry.dtks_files import ROWS, dtks_csv, dtks_import

    monkeypatch.setattr(dtks_views, "INLINE_COMMIT_ROWS", 1)
    batch = dtks_import(supervisor, dtks_csv(ROWS), commit=False)
    _login(client, supervisor)

    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("registry:dtks_commit", args=[batch.public_id]))
    page = client.get(reverse("registry:dtks_batch", args=[batch.public_id]))

    assert len(queued) == 1
    assert "Menyimpan ke registri" in page.content.decode()
    assert "hx-trigger" in page.content.decode()
    assert 'id="dtks-commit"' not in page.content.decode()
    assert Person.objects.count() == 0
    dtks_commit_batch(batch.pk, supervisor.pk)  # what the worker runs
    batch.refresh_from_db()
    assert batch.status == DtksImportBatch.Status.COMMITTED
    assert Person.objects.count() == 3


def test_operator_cannot_open_dtks_import(client, operator_a):
    _login(client, operator_a)

    assert client.get(reverse("registry:dtks_import")).status_code == 403


def test_the_sktm_page_shows_the_applicants_household_for_the_verifier(
    client, koordinator_a, kelurahan_a
):
    family = household(kelurahan=kelurahan_a)
    applicant = person(in_household=family, name="Ibu Pemohon")
    son = person(
        in_household=family,
        name="Anak Sulung",
        relationship="anak",
        birth=dt.date(2000, 1, 1),
        occupation="Karyawan swasta",
        formally_employed=True,
    )
    in_dtks(son)
    sktm = requested_sktm(for_person=applicant)
    client.force_login(koordinator_a)

    page = client.get(f"/registry/sktm/{sktm.public_id}/").content.decode()
    table = page[
        page.index('id="sktm-household"') : page.index(
            "</table>", page.index('id="sktm-household"')
        )
    ]

    assert "Ibu Pemohon" in table
    assert "Karyawan swasta" in table
    assert "pekerja formal" in table
    assert "aktif" in table


def test_an_sktm_is_found_by_its_number(client, koordinator_a, kelurahan_a):
    wanted = issued_sktm(for_person=person(kelurahan=kelurahan_a, name="Ani"))
    issued_sktm(for_person=person(kelurahan=kelurahan_a, name="Budi"))
    client.force_login(koordinator_a)

    found = client.post("/registry/sktm/", {"q": wanted.number.lower()}).context[
        "sktms"
    ]

    assert [s.pk for s in found] == [wanted.pk]


def _sktm_of_ani_and_budi(kelurahan):
    ani = person(kelurahan=kelurahan, name="Ani Lestari")
    requested_sktm(for_person=person(kelurahan=kelurahan, name="Budi"))
    return ani, requested_sktm(for_person=ani)


def test_an_sktm_is_found_by_the_persons_nik(client, koordinator_a, kelurahan_a):
    ani, wanted = _sktm_of_ani_and_budi(kelurahan_a)
    client.force_login(koordinator_a)

    found = client.post("/registry/sktm/", {"q": ani.nik}).context["sktms"]

    assert [s.pk for s in found] == [wanted.pk]


def test_an_sktm_is_found_by_part_of_the_persons_name(
    client, koordinator_a, kelurahan_a
):
    _ani, wanted = _sktm_of_ani_and_budi(kelurahan_a)
    client.force_login(koordinator_a)

    found = client.post("/registry/sktm/", {"q": "lestari"}).context["sktms"]

    assert [s.pk for s in found] == [wanted.pk]
