"""The import's page lists the first refused rows and says when there are more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.models import DeferredIndex, DtksImportBatch
from registry.services import dtks as dtks_service
from registry.views import dtks as dtks_views
from tests.factories.registry import name_index_left_to_build
from tests.registry.dtks_files import ROWS, broken_stage_file, dtks_csv, dtks_import

pytestmark = pytest.mark.django_db


def _refused_rows(n):
    return [
        ROWS[0].replace("6471011205850001", f"64710112058{i:02d}") for i in range(n)
    ]


def test_more_refused_rows_than_shown_points_to_the_csv(
    client, supervisor, monkeypatch
):
    monkeypatch.setattr(dtks_views, "REJECTED_ROWS_SHOWN", 2)
    batch = dtks_import(
        supervisor, dtks_csv([*_refused_rows(3), ROWS[1]]), commit=False
    )
    client.force_login(supervisor)

    page = client.get(f"/registry/dtks/{batch.public_id}/").content.decode()

    assert "2 baris pertama dari 3 ditampilkan" in page


def test_all_refused_rows_shown_say_nothing_more(client, supervisor):
    batch = dtks_import(
        supervisor, dtks_csv([*_refused_rows(2), ROWS[1]]), commit=False
    )
    client.force_login(supervisor)

    page = client.get(f"/registry/dtks/{batch.public_id}/").content.decode()

    assert 'id="rejected-shown"' not in page


def test_a_saved_import_whose_name_indexes_are_still_building_says_so(
    client, supervisor
):
    batch = dtks_import(supervisor, dtks_csv(ROWS))
    name_index_left_to_build("person_area_name_trgm")
    client.force_login(supervisor)

    page = client.get(f"/registry/dtks/{batch.public_id}/").content.decode()

    assert 'id="search-indexes-pending"' in page


def test_a_bulk_import_whose_indexes_are_built_says_nothing_of_them(
    client, supervisor, settings
):
    # A bulk load (thresholds lowered): its name indexes were dropped and are built
    # again after the commit.
    settings.DTKS_BULK_LOAD_MIN_ROWS = 1
    settings.DTKS_BULK_LOAD_MIN_SHARE = 0.5
    batch = dtks_import(supervisor, dtks_csv(ROWS))
    client.force_login(supervisor)

    page = client.get(f"/registry/dtks/{batch.public_id}/").content.decode()

    assert not DeferredIndex.objects.exists()
    assert 'id="search-indexes-pending"' not in page


def test_a_failed_validation_can_be_run_again_from_the_batch_page(
    client, supervisor, monkeypatch
):
    monkeypatch.setattr(dtks_service, "stage_file", broken_stage_file)
    client.force_login(supervisor)
    client.post(
        "/registry/dtks/",
        {
            "period": "2026-10-01",
            "file": SimpleUploadedFile("dtks.csv", dtks_csv(ROWS)),
        },
    )
    batch = DtksImportBatch.objects.get()
    page = client.get(f"/registry/dtks/{batch.public_id}/").content.decode()
    assert batch.status == DtksImportBatch.Status.FAILED
    assert 'id="dtks-retry"' in page
    monkeypatch.undo()

    client.post(f"/registry/dtks/{batch.public_id}/validasi/")

    batch.refresh_from_db()
    assert (batch.status, batch.count_new) == (DtksImportBatch.Status.PREVIEWED, 3)


def test_a_large_deactivation_is_shown_and_saved_only_with_the_box_ticked(
    client, supervisor, settings
):
    settings.DTKS_DEACTIVATION_CONFIRM_MIN = 1
    dtks_import(supervisor, dtks_csv(ROWS))
    batch = dtks_import(
        supervisor, dtks_csv(ROWS[:2]), period=dt.date(2026, 11, 1), commit=False
    )
    client.force_login(supervisor)
    url = f"/registry/dtks/{batch.public_id}/"

    page = client.get(url).content.decode()
    client.post(f"{url}simpan/")
    refused = client.get(url).content.decode()
    batch.refresh_from_db()
    assert 'id="dtks-deactivation-warning"' in page
    assert "Prapatan (Balikpapan Kota)" in page  # 64.71.06.1001: no row in the file
    assert "mengeluarkan 1 orang dari DTKS" in refused
    assert batch.status == DtksImportBatch.Status.PREVIEWED

    client.post(f"{url}simpan/", {"confirm_deactivation": "1"})

    batch.refresh_from_db()
    assert batch.status == DtksImportBatch.Status.COMMITTED
