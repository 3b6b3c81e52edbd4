from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from core.exceptions import ApplicationError
from registry.models import DtksEntry, DtksImportBatch, Household, Person
from registry.services import dtks as dtks_service
from registry.services import dtks_staging
from registry.services.dtks import dtks_batch_commit
from registry.services.dtks_bulk import (
    BULK_PLANNER_SETTINGS,
    bulk_loading,
    filled_tables,
    local_settings,
)
from tests.concurrency import at_once
from tests.registry.dtks_files import FULLWIDTH, HEADER, ROWS, broken_stage_file
from tests.registry.dtks_files import dtks_csv as _csv
from tests.registry.dtks_files import dtks_import as _import

pytestmark = pytest.mark.django_db


def test_clean_file_creates_households_persons_and_entries(supervisor):
    batch = _import(supervisor, _csv(ROWS))

    assert (batch.count_new, batch.count_rejected) == (3, 0)
    assert Household.objects.count() == 2
    budi = Person.objects.get(nik="6471011205850001")
    assert budi.kelurahan_id == "64.71.01.1001"
    assert budi.dtks.active
    assert budi.dtks.desil == 1
    assert budi.household.memberships.count() == 2


def test_reimporting_the_same_file_changes_nothing(supervisor):
    _import(supervisor, _csv(ROWS))
    entries_before = list(DtksEntry.objects.values().order_by("id"))

    batch = _import(supervisor, _csv(ROWS))

    assert (batch.count_new, batch.count_updated, batch.count_unchanged) == (0, 0, 3)
    assert list(DtksEntry.objects.values().order_by("id")) == entries_before
    assert Person.objects.count() == 3


def test_person_absent_from_new_snapshot_is_marked_inactive_not_deleted(supervisor):
    _import(supervisor, _csv(ROWS))

    batch = _import(supervisor, _csv(ROWS[:2]), period=dt.date(2026, 11, 1))

    rizki = Person.objects.get(nik="6471060101150003")
    assert batch.count_deactivated == 1
    assert rizki.dtks.active is False
    assert rizki.dtks.inactive_since == dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    "nik_cell", ["6471060101150003", "6471.0601.0115.0003"], ids=["plain", "dotted"]
)
def test_a_person_whose_row_is_rejected_keeps_their_dtks_status(supervisor, nik_cell):
    # Their row is in the snapshot; a wrong cell is no reason to end their entitlement.
    _import(supervisor, _csv(ROWS))
    bad_desil = (
        ROWS[2].replace(";3;D-3", ";11;D-3").replace("6471060101150003", nik_cell)
    )

    batch = _import(
        supervisor, _csv([*ROWS[:2], bad_desil]), period=dt.date(2026, 11, 1)
    )

    assert (batch.count_rejected, batch.count_deactivated) == (1, 0)
    assert Person.objects.get(nik="6471060101150003").dtks.active is True


def test_person_back_in_a_later_snapshot_is_active_again_from_that_period(
    supervisor,
):
    _import(supervisor, _csv(ROWS))
    _import(supervisor, _csv(ROWS[:2]), period=dt.date(2026, 11, 1))

    batch = _import(supervisor, _csv(ROWS), period=dt.date(2026, 12, 1))

    entry = Person.objects.get(nik="6471060101150003").dtks
    assert batch.count_updated == 1
    assert (entry.active, entry.active_since, entry.inactive_since) == (
        True,
        dt.date(2026, 12, 1),
        None,
    )
    assert entry.deactivation_reason == ""
    assert entry.batch == batch


def test_registered_person_not_yet_in_dtks_gets_an_entry_on_the_same_person(
    supervisor, kelurahan_a
):
    from tests.factories.registry import person

    registered = person(kelurahan=kelurahan_a, nik="6471011205850001")

    batch = _import(supervisor, _csv(ROWS))

    assert (batch.count_new, batch.count_updated) == (2, 1)
    assert Person.objects.filter(nik="6471011205850001").count() == 1
    registered.refresh_from_db()
    assert registered.dtks.active
    assert registered.dtks.desil == 1


def test_changed_desil_counts_as_updated(supervisor):
    _import(supervisor, _csv(ROWS))
    changed = [ROWS[0].replace(";1;D-1", ";2;D-1"), *ROWS[1:]]

    batch = _import(supervisor, _csv(changed), period=dt.date(2026, 11, 1))

    assert batch.count_updated == 1
    assert Person.objects.get(nik="6471011205850001").dtks.desil == 2


def test_windows_1252_comma_file_is_read(supervisor):
    rows = [r.replace(";", ",") for r in ROWS]
    rows[0] = rows[0].replace("Budi Santoso", "Budi Sant\u00f4so")

    batch = _import(supervisor, _csv(rows, HEADER.replace(";", ","), "cp1252"))

    assert batch.count_new == 3
    assert Person.objects.get(nik="6471011205850001").name == "Budi Sant\u00f4so"


def test_a_windows_1252_byte_past_the_sniffed_start_keeps_every_row_once(supervisor):
    """The encoding is guessed from the first 256 KB; a Windows-1252 byte after that
    makes the reader start again in Windows-1252, without handing out again the
    rows it already gave (they were staged twice and rejected as duplicate NIKs)."""
    blank_lines = "\n" * 300_000  # past SNIFF_BYTES
    late = ROWS[2].replace("Rizki Ramadhan", "Rizki Ramadh\u00e2n")
    content = (
        "\n".join([HEADER, ROWS[0], ROWS[1]]).encode()
        + blank_lines.encode()
        + late.encode("cp1252")
        + b"\n"
    )

    batch = _import(supervisor, content)

    assert (batch.count_new, batch.count_rejected) == (3, 0)
    assert Person.objects.get(nik="6471060101150003").name == "Rizki Ramadh\u00e2n"


def test_utf8_bom_file_is_read(supervisor):
    batch = _import(supervisor, b"\xef\xbb\xbf" + _csv(ROWS))

    assert batch.count_new == 3


def test_excel_unicode_text_file_is_read(supervisor):
    """Excel's "Unicode Text" export: UTF-16 with its byte order mark, tabs, CRLF."""
    lines = [line.replace(";", "\t") for line in [HEADER, *ROWS]]
    content = ("\r\n".join(lines) + "\r\n").encode("utf-16")

    batch = _import(supervisor, content)

    assert (batch.count_new, batch.count_rejected) == (3, 0)
    assert Person.objects.get(nik="6471015203870002").name == "Siti Aminah"


def test_a_header_with_nul_characters_fails_the_file_with_its_reason(supervisor):
    content = _csv(ROWS, header=HEADER.replace("NIK;", "N\0IK;"))

    with pytest.raises(ApplicationError):
        _import(supervisor, content, commit=False)

    batch = DtksImportBatch.objects.get()
    assert batch.status == DtksImportBatch.Status.FAILED
    assert "Kolom wajib tidak ditemukan: NIK" in batch.error


@pytest.mark.parametrize(
    ("bad_nik", "reason_part"),
    [
        ("6,47101E+15", "notasi ilmiah"),
        ("647101120585001", "15 digit"),
        ("6471013205850001", "tidak valid"),
        ("9971011205850001", "provinsi"),
        ("64710112058500AB", "angka"),
        ("6471011205850001".translate(FULLWIDTH), "angka"),
        ("647101120585000\u00b9", "angka"),  # a superscript: isdigit() but not int()
    ],
)
def test_mangled_nik_is_rejected_with_reason(supervisor, bad_nik, reason_part):
    rows = [ROWS[0].replace("6471011205850001", bad_nik, 1)]

    batch = _import(supervisor, _csv(rows), commit=False)

    rejection = batch.rejected_rows.get()
    assert rejection.row_number == 2
    assert reason_part in rejection.reason


@pytest.mark.parametrize(
    ("written_nik", "written_kk"),
    [
        ("6471.0112.0585.0001", "6471.0123.0119.0001"),
        ("6471-0112-0585-0001", "6471-0123-0119-0001"),
    ],
)
def test_nik_and_kk_written_with_dots_or_dashes_are_read_as_their_digits(
    supervisor, written_nik, written_kk
):
    rows = [
        ROWS[0]
        .replace("6471011205850001", written_nik, 1)
        .replace("6471012301190001", written_kk, 1)
    ]

    batch = _import(supervisor, _csv(rows))

    assert (batch.count_new, batch.count_rejected) == (1, 0)
    person = Person.objects.get(nik="6471011205850001")
    assert person.household.kk_number == "6471012301190001"


def test_every_row_with_an_impossible_birth_date_is_rejected(supervisor):
    rows = [
        ROWS[0].replace("12/05/1985", "31/02/1985"),
        ROWS[1].replace("12/03/1987", "31/02/1985"),
    ]

    batch = _import(supervisor, _csv(rows), commit=False)

    reasons = list(batch.rejected_rows.values_list("reason", flat=True))
    assert len(reasons) == 2
    assert all("Tanggal lahir “31/02/1985” tidak valid" in r for r in reasons)


def test_missing_sex_and_birth_date_are_read_from_the_nik(supervisor):
    siti = ROWS[1].replace("12/03/1987;P;", ";;")  # NIK 520387: female, 12-03-1987

    _import(supervisor, _csv([siti]))

    person = Person.objects.get(nik="6471015203870002")
    assert (person.sex, person.birth_date) == ("P", dt.date(1987, 3, 12))


@pytest.mark.parametrize(
    ("cell", "with_nul", "reason_part"),
    [
        ("Siti", "Si\0ti", "NUL"),
        ("6471011001", "64710\01001", "bukan kelurahan"),  # the reason quotes it
        ("6471015203870002", "647101520387\0002", "angka"),
    ],
)
def test_a_row_with_a_nul_character_is_rejected_and_the_others_staged(
    supervisor, cell, with_nul, reason_part
):
    rows = [ROWS[0], ROWS[1].replace(cell, with_nul, 1)]

    batch = _import(supervisor, _csv(rows))

    assert (batch.count_new, batch.count_rejected) == (1, 1)
    rejection = batch.rejected_rows.get()
    assert rejection.row_number == 3
    assert reason_part in rejection.reason


@pytest.mark.parametrize(
    ("rt", "stored"),
    [("5", "005"), ("0005", "005"), ("RT 05", "005"), ("rt.7", "007"), ("-", "")],
)
def test_an_rt_cell_is_stored_as_its_three_digits(supervisor, rt, stored):
    _import(supervisor, _csv([ROWS[0].replace(";Jl. A;1;2;", f";Jl. A;{rt};2;")]))

    assert Household.objects.get().rt == stored


@pytest.mark.parametrize("rt", ["12345", "5A"])
def test_an_rt_cell_that_is_no_rt_number_is_rejected(supervisor, rt):
    rows = [ROWS[0].replace(";Jl. A;1;2;", f";Jl. A;{rt};2;")]

    batch = _import(supervisor, _csv(rows), commit=False)

    assert "bukan nomor 1-3 digit" in batch.rejected_rows.get().reason


def test_kelurahan_outside_balikpapan_is_rejected(supervisor):
    rows = [ROWS[0].replace("6471011001", "6472011001")]

    batch = _import(supervisor, _csv(rows), commit=False)

    assert "bukan kelurahan di Kota Balikpapan" in batch.rejected_rows.get().reason


@pytest.mark.parametrize("desil", ["11", "\u00b2"])
def test_bad_desil_is_rejected(supervisor, desil):
    batch = _import(
        supervisor, _csv([ROWS[0].replace(";1;D-1", f";{desil};D-1")]), commit=False
    )

    assert "Desil" in batch.rejected_rows.get().reason


def test_duplicate_nik_in_file_keeps_first_and_rejects_second(supervisor):
    batch = _import(supervisor, _csv([ROWS[0], ROWS[0]]))

    assert batch.rejected_rows.get().row_number == 3
    assert "NIK ganda" in batch.rejected_rows.get().reason
    assert Person.objects.count() == 1


def test_nik_three_times_in_file_rejects_both_repeats_naming_the_first_row(
    supervisor,
):
    batch = _import(supervisor, _csv([ROWS[1], ROWS[0], ROWS[0], ROWS[0]]))

    rejected = list(batch.rejected_rows.values_list("row_number", "reason"))
    assert [row for row, _ in rejected] == [4, 5]
    assert all("baris 3" in reason for _, reason in rejected)
    assert Person.objects.count() == 2


def test_each_repeated_nik_names_its_own_first_row(supervisor):
    batch = _import(supervisor, _csv([ROWS[0], ROWS[1], ROWS[1], ROWS[0]]))

    rejected = list(batch.rejected_rows.values_list("row_number", "reason"))
    assert [(row, reason.split()[-1]) for row, reason in rejected] == [
        (4, "3)."),
        (5, "2)."),
    ]
    assert Person.objects.count() == 2


def test_repeats_in_the_file_are_found_without_nested_loops(supervisor):
    """The in-file checks run before the staging is analyzed: planned on an earlier
    batch's statistics, a nested loop would read the whole staging once per row."""
    settings_seen: list[str] = []

    def record(execute, sql, params, many, context):
        if "AND t.row_number < s.row_number" in sql:
            context["cursor"].execute("SELECT current_setting('enable_nestloop')")
            settings_seen.append(context["cursor"].fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        _import(supervisor, _csv([ROWS[0], ROWS[0]]), commit=False)

    assert settings_seen == ["off", "off"]  # NIK, then heads of a KK


def test_second_head_in_the_same_kk_is_rejected_naming_the_first_head(supervisor):
    second_head = ROWS[1].replace("ISTRI", "KEPALA KELUARGA")
    batch = _import(supervisor, _csv([ROWS[0], second_head, ROWS[2]]))

    rejected = batch.rejected_rows.get()
    assert rejected.row_number == 3
    assert "Kepala keluarga kedua" in rejected.reason
    assert "baris 2" in rejected.reason
    assert Person.objects.count() == 2


def test_missing_required_column_is_a_clear_file_error(supervisor):
    content = _csv([r.split(";", 1)[1] for r in ROWS], HEADER.split(";", 1)[1])

    with pytest.raises(ApplicationError) as exc:
        _import(supervisor, content, commit=False)

    assert "Kolom wajib tidak ditemukan: NIK" in str(exc.value.message)
    assert DtksImportBatch.objects.get().status == DtksImportBatch.Status.FAILED


def test_an_unclosed_quote_fails_the_file_instead_of_losing_the_rows_after_it(
    supervisor,
):
    # csv reads the rest of the file into the quoted cell: the rows after it would
    # be missing from the snapshot, and their persons taken out of DTKS on commit.
    unclosed = ROWS[1].replace(";Siti", ';"Siti')
    content = _csv([ROWS[0], unclosed, ROWS[2]])

    with pytest.raises(ApplicationError) as exc:
        _import(supervisor, content, commit=False)

    batch = DtksImportBatch.objects.get()
    assert batch.status == DtksImportBatch.Status.FAILED
    assert batch.error == exc.value.message
    assert batch.error.startswith("Baris 3:")
    assert not batch.rejected_rows.exists()


def test_a_line_break_inside_a_quoted_address_is_part_of_the_address(supervisor):
    with_break = ROWS[0].replace(";Jl. A;", ';"Jl. A\nGang Damai";')

    _import(supervisor, _csv([with_break, ROWS[1], ROWS[2]]))

    assert Person.objects.count() == 3
    assert Household.objects.filter(address="Jl. A\nGang Damai").exists()


def test_an_unexpected_error_in_validation_fails_the_batch_with_a_reason(
    supervisor, monkeypatch
):
    monkeypatch.setattr(dtks_service, "stage_file", broken_stage_file)

    with pytest.raises(RuntimeError):
        _import(supervisor, _csv(ROWS), commit=False)

    batch = DtksImportBatch.objects.get()
    assert batch.status == DtksImportBatch.Status.FAILED
    assert "kesalahan sistem" in batch.error
    assert "a cell value" not in batch.error


def test_a_failed_validation_runs_again_on_the_uploaded_file(supervisor, monkeypatch):
    monkeypatch.setattr(dtks_service, "stage_file", broken_stage_file)
    with pytest.raises(RuntimeError):
        _import(supervisor, _csv(ROWS), commit=False)
    monkeypatch.undo()
    batch = DtksImportBatch.objects.get()

    batch = dtks_service.dtks_batch_retry_validation(actor=supervisor, batch=batch)
    batch = dtks_service.dtks_batch_validate(batch=batch)

    assert batch.status == DtksImportBatch.Status.PREVIEWED
    assert (batch.count_new, batch.error) == (3, "")


def test_only_a_failed_validation_can_be_run_again(supervisor):
    batch = _import(supervisor, _csv(ROWS), commit=False)

    with pytest.raises(ApplicationError):
        dtks_service.dtks_batch_retry_validation(actor=supervisor, batch=batch)

    batch.refresh_from_db()
    assert batch.status == DtksImportBatch.Status.PREVIEWED


def test_xlsx_number_cells_for_nik_are_rejected(supervisor, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    good = ROWS[0].split(";")
    sheet.append(good)
    mangled = ROWS[1].split(";")
    mangled[0] = 6471015203870002  # typed as a number: Excel keeps only 15 digits
    sheet.append(mangled)
    path = tmp_path / "dtks.xlsx"
    book.save(path)

    batch = _import(supervisor, path.read_bytes())

    assert batch.count_new == 1
    assert "sebagai angka" in batch.rejected_rows.get().reason


def test_xlsx_date_number_and_empty_cells_are_read_as_their_text(
    supervisor, tmp_path: Path
):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    cells: list[object] = ROWS[0].split(";")
    cells[3] = dt.datetime(1985, 5, 12)  # noqa: DTZ001 (a spreadsheet date is naive)
    cells[7], cells[8] = 1, 2.0  # RT and RW typed as numbers
    cells[10] = None  # no desil
    sheet.append(cells)
    path = tmp_path / "dtks.xlsx"
    book.save(path)

    batch = _import(supervisor, path.read_bytes())

    assert (batch.count_new, batch.count_rejected) == (1, 0)
    budi = Person.objects.get(nik="6471011205850001")
    assert budi.birth_date == dt.date(1985, 5, 12)
    assert (budi.household.rt, budi.household.rw) == ("001", "002")
    assert budi.dtks.desil is None


def test_a_row_cut_short_reads_its_missing_cells_as_empty(supervisor):
    short = ROWS[0].rsplit(";", 2)[0]  # no desil, no DTKS id

    batch = _import(supervisor, _csv([short]))

    assert (batch.count_new, batch.count_rejected) == (1, 0)
    entry = Person.objects.get(nik="6471011205850001").dtks
    assert (entry.desil, entry.dtks_id) == (None, "")


def test_a_file_with_only_the_required_columns_is_imported(supervisor):
    header = "NIK;NO_KK;NAMA;KODE_KELURAHAN"
    row = "6471011205850001;6471012301190001;Budi Santoso;6471011001"

    batch = _import(supervisor, _csv([row], header))

    assert (batch.count_new, batch.count_rejected) == (1, 0)
    budi = Person.objects.get(nik="6471011205850001")
    assert (budi.birth_date, budi.sex) == (dt.date(1985, 5, 12), "L")


def test_empty_rows_are_skipped_not_rejected(supervisor):
    empty = ";" * HEADER.count(";")

    batch = _import(supervisor, _csv([ROWS[0], empty, "", ROWS[1]]))

    assert (batch.count_new, batch.count_rejected) == (2, 0)


def test_a_spreadsheet_row_of_zeros_is_rejected_not_skipped(supervisor, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append([0] * len(HEADER.split(";")))
    path = tmp_path / "dtks.xlsx"
    book.save(path)

    batch = _import(supervisor, path.read_bytes(), commit=False)

    assert batch.rejected_rows.get().row_number == 2


def test_backslashes_quotes_and_accents_reach_the_registry_unchanged(supervisor):
    row = (
        ROWS[0]
        .replace("Budi Santoso", "Budi D'Angelo Ramadhân")
        .replace("Jl. A", "Jl. A\\B Gg. 2")
    )

    _import(supervisor, _csv([row]))

    budi = Person.objects.get(nik="6471011205850001")
    assert budi.name == "Budi D'Angelo Ramadhân"
    assert budi.household.address == "Jl. A\\B Gg. 2"


def test_every_imported_person_and_household_gets_its_own_random_public_id(
    supervisor,
):
    _import(supervisor, _csv(ROWS))

    ids = [
        *Person.objects.values_list("public_id", flat=True),
        *Household.objects.values_list("public_id", flat=True),
    ]
    assert len(ids) == 5
    assert len(set(ids)) == len(ids)
    assert {public_id.version for public_id in ids} == {4}


def test_crash_mid_commit_leaves_registry_unchanged(supervisor, monkeypatch):
    batch = _import(supervisor, _csv(ROWS), commit=False)
    steps = (*dtks_service.COMMIT_STEPS[:2], ("boom", "SELECT 1/0"))
    monkeypatch.setattr(dtks_service, "COMMIT_STEPS", steps)

    with pytest.raises(Exception, match="division by zero"):
        dtks_batch_commit(actor=supervisor, batch=batch)

    assert Household.objects.count() == 0
    assert Person.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == DtksImportBatch.Status.PREVIEWED


def test_older_period_than_committed_is_refused(supervisor):
    _import(supervisor, _csv(ROWS), period=dt.date(2026, 10, 1))

    with pytest.raises(ApplicationError, match="lebih lama"):
        _import(supervisor, _csv(ROWS), period=dt.date(2026, 9, 1))


def test_operator_cannot_upload(operator_a):
    with pytest.raises(ApplicationError):
        _import(operator_a, _csv(ROWS), commit=False)


def test_staging_is_emptied_after_commit(supervisor):
    _import(supervisor, _csv(ROWS))

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_dtksstagingrow")
        assert cursor.fetchone()[0] == 0


def test_commit_is_audited_with_the_supervisor(supervisor):
    import pghistory.models

    _import(supervisor, _csv(ROWS))

    events = pghistory.models.Events.objects.filter(pgh_model="registry.PersonEvent")
    assert events.count() == 3
    assert {e.pgh_context["user"] for e in events} == {supervisor.pk}


def test_history_of_dtks_entries_keeps_their_person_and_batch(supervisor):
    """The event tables' copies of these keys carry no index (core.audit), but the
    values are still recorded."""
    from django.apps import apps

    batch = _import(supervisor, _csv(ROWS))

    events = apps.get_model("registry", "DtksEntryEvent").objects.all()
    assert {(e.person_id, e.batch_id) for e in events} == set(
        DtksEntry.objects.values_list("person_id", "batch_id")
    )
    assert {e.batch_id for e in events} == {batch.pk}


def test_many_rejections_between_valid_rows_are_all_recorded(supervisor, monkeypatch):
    monkeypatch.setattr(dtks_staging, "REJECT_FLUSH_ROWS", 2)
    bad = [ROWS[0].replace("6471011205850001", f"64710112058{i:02d}") for i in range(5)]
    rows = [bad[0], bad[1], ROWS[0], bad[2], bad[3], ROWS[1], bad[4], ROWS[2]]

    batch = _import(supervisor, _csv(rows))

    assert batch.count_rejected == 5
    assert batch.count_new == 3


def test_commit_leaves_statistics_that_count_the_new_rows(supervisor):
    """Each commit step is planned on the statistics of the tables it reads. With
    statistics saying the registry was empty while its pages held the dead rows of
    rolled-back imports, the persons step ran for over a quarter of an hour on 200k
    rows (20 s otherwise); the commit now refreshes them before and as it goes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE registry_household, registry_person, registry_dtksentry"
        )

    _import(supervisor, _csv(ROWS))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('registry_household', 'registry_person', 'registry_dtksentry')"
        )
        estimated = dict(cursor.fetchall())
    assert estimated == {
        "registry_household": Household.objects.count(),
        "registry_person": Person.objects.count(),
        "registry_dtksentry": DtksEntry.objects.count(),
    }


def test_validation_leaves_statistics_on_every_column_the_commit_joins_on(supervisor):
    """The statistics are limited to the columns a plan reads (the copied names and
    addresses are left out): the keys the commit joins, groups and filters on are
    all there."""
    _import(supervisor, _csv(ROWS), commit=False)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_stats WHERE tablename = 'registry_dtksstagingrow'"
        )
        analyzed = {row[0] for row in cursor.fetchall()}
    assert {"batch_id", "row_number", "nik", "kk_number", "relationship"} <= analyzed
    assert {"kelurahan_id", "desil", "dtks_id"} <= analyzed


# Nodes that read all of their input before they return a row.
_READS_ALL_FIRST = {
    "Sort",
    "Hash",
    "Materialize",
    "Aggregate Hashed",
    "Aggregate Plain",
}


def _scan_paths(node: dict, relation: str, path: tuple[str, ...] = ()):
    """The steps from `node` down to each scan of `relation`: node types, with an
    aggregate's strategy, a join's type and the side taken ("Nested Loop
    Anti/Inner"), or a subplan's."""
    if node.get("Relation Name") == relation and "Scan" in node["Node Type"]:
        yield (*path, node["Node Type"])
    step = node["Node Type"]
    if "Strategy" in node:
        step += f" {node['Strategy']}"
    for child in node.get("Plans", []):
        side = ""
        if "Join Type" in node:
            side = f" {node['Join Type']}/{child['Parent Relationship']}"
        elif child.get("Parent Relationship") == "SubPlan":  # run for every row
            side = " /SubPlan"
        yield from _scan_paths(child, relation, (*path, step + side))


def _never_scanned_again(path: tuple[str, ...]) -> bool:
    """Whether the scan at the end of `path` runs once while the insert fills its
    table: it is under no nested loop's inner side (run again for every outer row),
    or a node on the way reads all of its input before it returns a row (a sort
    above the loop lets the loop finish first; a hash or materialisation below it
    reads the table once)."""
    rescanned = any(
        (step.startswith("Nested Loop") and step.endswith("/Inner"))
        or step.endswith("/SubPlan")
        for step in path
    )
    return not rescanned or any(step in _READS_ALL_FIRST for step in path)


def _insert_nodes(node: dict, relation: str):
    if node["Node Type"] == "ModifyTable" and node.get("Relation Name") == relation:
        yield node
    for child in node.get("Plans", []):
        yield from _insert_nodes(child, relation)


@pytest.mark.parametrize("bulk", [False, True], ids=["row_by_row", "bulk_load"])
@pytest.mark.parametrize(
    ("step", "relation"),
    [
        ("households", "registry_household"),
        ("persons", "registry_person"),
        ("new entries", "registry_dtksentry"),
    ],
)
def test_no_commit_step_scans_the_table_it_fills_once_per_staged_row(
    supervisor, bulk, step, relation
):
    """On a registry whose statistics say it is empty, the planner checks each staged
    row with a scan of the table being filled. Run while the same statement fills
    that table, each scan grew with the rows already inserted: over 15 minutes for
    200k persons, and over 13 minutes for 1M entries on PostgreSQL 15 once the bulk
    load dropped the entry's person index. Row by row a sort lets the loop finish
    before the first insert; in bulk-load mode, without nested loops, the table is
    hashed or read once."""
    batch = _import(supervisor, _csv(ROWS), commit=False)
    params = {"batch": batch.pk, "period": batch.period, "now": dt.datetime.now(dt.UTC)}
    params["today"] = params["now"].date()
    steps = dtks_service.BULK_COMMIT_STEPS if bulk else dtks_service.COMMIT_STEPS
    analyze = f"ANALYZE {', '.join(filled_tables())}"
    with (
        connection.cursor() as cursor,
        bulk_loading(cursor, wanted=bulk) as load,
        local_settings(cursor, BULK_PLANNER_SETTINGS if bulk else {}),
    ):
        params.update(load.key_marks if load is not None else {})
        cursor.execute(analyze)
        for name, sql in steps:
            if name == step:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
                plan = cursor.fetchone()[0][0]["Plan"]
                break
            cursor.execute(sql, params)
            cursor.execute(analyze)
    [insert] = _insert_nodes(plan, relation)

    paths = list(_scan_paths(insert["Plans"][0], relation))

    assert paths
    assert all(_never_scanned_again(path) for path in paths), paths


def test_queued_commit_shows_the_batch_as_being_saved_until_the_worker_saves_it(
    supervisor,
):
    batch = _import(supervisor, _csv(ROWS), commit=False)

    queued = dtks_service.dtks_batch_queue_commit(actor=supervisor, batch=batch)
    assert queued.status == DtksImportBatch.Status.COMMITTING
    with pytest.raises(ApplicationError, match="sedang disimpan"):
        dtks_service.dtks_batch_queue_commit(actor=supervisor, batch=batch)

    saved = dtks_batch_commit(actor=supervisor, batch=batch)
    assert saved.status == DtksImportBatch.Status.COMMITTED
    assert Person.objects.count() == 3


def test_batch_being_saved_cannot_be_cancelled(supervisor):
    batch = _import(supervisor, _csv(ROWS), commit=False)
    dtks_service.dtks_batch_queue_commit(actor=supervisor, batch=batch)

    with pytest.raises(ApplicationError):
        dtks_service.dtks_batch_cancel(actor=supervisor, batch=batch)


def test_failed_background_commit_returns_the_batch_to_preview_with_the_reason(
    supervisor,
):
    older = _import(supervisor, _csv(ROWS), period=dt.date(2026, 9, 1), commit=False)
    dtks_service.dtks_batch_queue_commit(actor=supervisor, batch=older)
    _import(supervisor, _csv(ROWS[:1]), period=dt.date(2026, 10, 1))

    with pytest.raises(ApplicationError):
        dtks_batch_commit(actor=supervisor, batch=older)

    older.refresh_from_db()
    assert older.status == DtksImportBatch.Status.PREVIEWED
    assert "lebih baru" in older.error


def test_crash_of_a_background_commit_returns_the_batch_to_preview_without_details(
    supervisor, monkeypatch
):
    batch = _import(supervisor, _csv(ROWS), commit=False)
    dtks_service.dtks_batch_queue_commit(actor=supervisor, batch=batch)
    steps = (*dtks_service.COMMIT_STEPS[:2], ("boom", "SELECT 1/0"))
    monkeypatch.setattr(dtks_service, "COMMIT_STEPS", steps)

    with pytest.raises(Exception, match="division by zero"):
        dtks_batch_commit(actor=supervisor, batch=batch)

    batch.refresh_from_db()
    assert batch.status == DtksImportBatch.Status.PREVIEWED
    assert "Coba simpan lagi" in batch.error
    assert Person.objects.count() == 0


@pytest.fixture
def confirm_from_one(settings):
    """Any snapshot that takes someone out of DTKS is a large deactivation."""
    settings.DTKS_DEACTIVATION_CONFIRM_MIN = 1


def _without_rizki(supervisor) -> DtksImportBatch:
    _import(supervisor, _csv(ROWS))
    return _import(
        supervisor, _csv(ROWS[:2]), period=dt.date(2026, 11, 1), commit=False
    )


def test_a_snapshot_taking_many_out_of_dtks_is_not_saved_without_confirmation(
    supervisor, confirm_from_one
):
    batch = _without_rizki(supervisor)

    with pytest.raises(ApplicationError, match="mengeluarkan 1 orang dari DTKS"):
        dtks_batch_commit(actor=supervisor, batch=batch)

    batch.refresh_from_db()
    assert batch.status == DtksImportBatch.Status.PREVIEWED
    assert Person.objects.get(nik="6471060101150003").dtks.active is True


def test_a_confirmed_snapshot_taking_many_out_of_dtks_is_saved(
    supervisor, confirm_from_one
):
    batch = _without_rizki(supervisor)

    dtks_batch_commit(actor=supervisor, batch=batch, deactivation_confirmed=True)

    assert Person.objects.get(nik="6471060101150003").dtks.active is False


def test_the_preview_names_the_kelurahan_the_file_has_no_row_for(
    supervisor, confirm_from_one
):
    batch = _without_rizki(supervisor)

    assert (batch.count_active_before, batch.count_deactivated) == (3, 1)
    assert batch.kelurahan_absent == ["64.71.06.1001"]
    assert batch.deactivation_needs_confirmation


def test_a_kelurahan_whose_rows_are_all_rejected_is_not_named_as_left_out(
    supervisor, confirm_from_one
):
    _import(supervisor, _csv(ROWS))
    bad_desil = ROWS[2].replace(";3;D-3", ";11;D-3")

    batch = _import(
        supervisor,
        _csv([ROWS[0], bad_desil]),
        period=dt.date(2026, 11, 1),
        commit=False,
    )

    assert batch.kelurahan_absent == []


def test_a_kelurahan_whose_person_is_listed_under_another_is_not_named_as_left_out(
    supervisor, confirm_from_one
):
    _import(supervisor, _csv(ROWS))
    moved = ROWS[2].replace(";64.71.06.1001;", ";6471011001;")

    batch = _import(
        supervisor, _csv([ROWS[0], moved]), period=dt.date(2026, 11, 1), commit=False
    )

    assert batch.count_deactivated == 1  # Siti
    assert batch.kelurahan_absent == []


def test_a_small_share_out_of_dtks_with_every_kelurahan_in_the_file_needs_no_confirmation(
    supervisor, settings
):
    settings.DTKS_DEACTIVATION_CONFIRM_MIN = 1
    settings.DTKS_DEACTIVATION_CONFIRM_SHARE = 0.5
    rizki_sister = ROWS[2].replace("6471060101150003", "6471064101170004")
    _import(supervisor, _csv([*ROWS, rizki_sister]))
    batch = _import(supervisor, _csv(ROWS), period=dt.date(2026, 11, 1), commit=False)

    assert batch.kelurahan_absent == []
    assert not batch.deactivation_needs_confirmation


def test_fewer_persons_out_of_dtks_than_the_minimum_need_no_confirmation(supervisor):
    # settings.DTKS_DEACTIVATION_CONFIRM_MIN is 100: one person is a regular update.
    batch = _without_rizki(supervisor)

    dtks_batch_commit(actor=supervisor, batch=batch)

    assert Person.objects.get(nik="6471060101150003").dtks.active is False


def test_a_large_deactivation_is_confirmed_when_queued_not_again_by_the_worker(
    supervisor, confirm_from_one
):
    batch = _without_rizki(supervisor)
    with pytest.raises(ApplicationError):
        dtks_service.dtks_batch_queue_commit(actor=supervisor, batch=batch)

    batch = dtks_service.dtks_batch_queue_commit(
        actor=supervisor, batch=batch, deactivation_confirmed=True
    )
    dtks_batch_commit(actor=supervisor, batch=batch)

    batch.refresh_from_db()
    assert batch.status == DtksImportBatch.Status.COMMITTED


def test_the_same_file_for_the_same_period_is_refused_while_the_first_is_not_done(
    supervisor,
):
    _import(supervisor, _csv(ROWS), commit=False)

    with pytest.raises(ApplicationError, match="sudah diunggah") as exc:
        _import(supervisor, _csv(ROWS), commit=False)

    assert exc.value.field == "file"
    assert DtksImportBatch.objects.count() == 1


def test_the_same_file_can_be_uploaded_again_once_the_first_is_cancelled(supervisor):
    first = _import(supervisor, _csv(ROWS), commit=False)
    dtks_service.dtks_batch_cancel(actor=supervisor, batch=first)

    again = _import(supervisor, _csv(ROWS), commit=False)

    assert again.status == DtksImportBatch.Status.PREVIEWED


def test_the_same_file_for_another_period_is_not_a_double_submission(supervisor):
    _import(supervisor, _csv(ROWS), commit=False)

    later = _import(supervisor, _csv(ROWS), period=dt.date(2026, 11, 1), commit=False)

    assert later.status == DtksImportBatch.Status.PREVIEWED


@pytest.mark.django_db(transaction=True)
def test_a_file_submitted_twice_at_once_makes_one_batch(supervisor):
    refused: list[Exception] = []

    def upload(_n: int) -> None:
        try:
            dtks_service.dtks_batch_upload(
                actor=supervisor,
                file=ContentFile(_csv(ROWS), name="dtks.csv"),
                period=dt.date(2026, 10, 1),
            )
        except ApplicationError as exc:
            refused.append(exc)

    at_once(upload, [1, 2])

    assert DtksImportBatch.objects.count() == 1
    assert len(refused) == 1


def test_the_database_refuses_a_double_submission_in_the_same_states_as_the_service():
    (constraint,) = DtksImportBatch._meta.constraints
    _field, statuses = constraint.condition.children[0]

    assert sorted(statuses) == sorted(DtksImportBatch.IN_FLIGHT)
