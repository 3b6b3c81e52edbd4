"""DTKS snapshot import: upload → validate into staging (preview) → commit.

Validation streams the file, checks every row in Python and COPYs the valid ones into
an unlogged staging table in chunks (progress is visible while it runs); a big file
is split over several processes (dtks_staging). Commit is one
transaction of set-based SQL: new households and persons are inserted, DTKS statuses
upserted only where they differ (so an identical re-import writes nothing), and
persons absent from the snapshot are marked inactive for that period, never deleted.
Statement-level audit triggers record every change with the committing user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import actor_context
from core.documents import in_official_language
from core.exceptions import ApplicationError
from core.models import User
from core.roles import SUPERVISOR_ROLES
from registry.dtks_import.rows import column_mapping, reset_caches
from registry.models import (
    DtksEntry,
    DtksImportBatch,
    DtksRejectedRow,
    DtksStagingRow,
    Household,
    Person,
)
from registry.services.dtks_bulk import (
    BULK_PLANNER_SETTINGS,
    build_deferred_indexes,
    bulk_load_wanted,
    bulk_loading,
    local_settings,
)
from registry.services.dtks_staging import stage_file, update_progress
from registry.services.proposals import dtks_proposals_included_by

Status = DtksImportBatch.Status
logger = logging.getLogger(__name__)
COMMIT_LOCK_KEY = 7_310_001  # pg advisory lock: one DTKS commit at a time


def _sha256(file: File[Any]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def dtks_batch_upload(
    *, actor: User, file: File[Any], period: dt.date, original_name: str = ""
) -> DtksImportBatch:
    if actor.role not in SUPERVISOR_ROLES:
        raise ApplicationError(_("Hanya supervisor Dinsos yang dapat mengimpor DTKS."))
    period = period.replace(day=1)
    latest = (
        DtksImportBatch.objects.filter(status=Status.COMMITTED)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if latest is not None and period < latest:
        raise ApplicationError(
            _("Periode %(p)s lebih lama dari data DTKS terakhir (%(l)s).")
            % {"p": f"{period:%m-%Y}", "l": f"{latest:%m-%Y}"},
            field="period",
        )
    batch = DtksImportBatch(
        period=period,
        original_name=(original_name or getattr(file, "name", "") or "dtks")[:255],
        sha256=_sha256(file),
        uploaded_by=actor,
        column_mapping=column_mapping(),
    )
    _refuse_in_flight_duplicate(batch)
    batch.file.save(f"dtks-{period:%Y%m}.upload", file, save=False)
    batch.save()
    return batch


def _refuse_in_flight_duplicate(batch: DtksImportBatch) -> None:
    # Serialises the batches of one file until their transactions end, so a double
    # submission waits here and then finds the first (the partial unique constraint
    # is the last word either way).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [batch.sha256]
        )
    earlier = (
        DtksImportBatch.objects.filter(
            sha256=batch.sha256,
            period=batch.period,
            status__in=DtksImportBatch.IN_FLIGHT,
        )
        .exclude(pk=batch.pk)
        .select_related("uploaded_by")
        .first()
    )
    if earlier is not None:
        raise ApplicationError(
            _(
                "Berkas yang sama untuk periode ini sudah diunggah oleh %(who)s pada "
                "%(when)s dan belum selesai (status: %(status)s). Buka impor itu di "
                "daftar di bawah, atau batalkan dulu."
            )
            % {
                "who": earlier.uploaded_by,
                "when": f"{timezone.localtime(earlier.created_at):%d-%m-%Y %H:%M}",
                "status": earlier.get_status_display(),
            },
            field="file",
            code="duplicate_upload",
        )


@transaction.atomic
def dtks_batch_retry_validation(
    *, actor: User, batch: DtksImportBatch
) -> DtksImportBatch:
    """Put a batch whose validation failed back in line for validation, from the
    file already uploaded: after a system error, a re-run is all it takes."""
    if actor.role not in SUPERVISOR_ROLES:
        raise ApplicationError(_("Hanya supervisor Dinsos yang dapat mengimpor DTKS."))
    batch = DtksImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != Status.FAILED:
        raise ApplicationError(
            _("Hanya impor yang validasinya gagal yang dapat divalidasi lagi.")
        )
    _refuse_in_flight_duplicate(batch)
    update_progress(batch, status=Status.UPLOADED, rows_processed=0, error="")
    return batch


def dtks_batch_validate(*, batch: DtksImportBatch) -> DtksImportBatch:
    """Read the file, reject what is wrong (with row and reason) and stage the rest.

    Safe to re-run: it clears this batch's staging and rejections first.
    """
    batch = DtksImportBatch.objects.get(pk=batch.pk)
    if batch.status not in (Status.UPLOADED, Status.VALIDATING, Status.FAILED):
        raise ApplicationError(_("Impor ini sudah divalidasi."))
    update_progress(batch, status=Status.VALIDATING, rows_processed=0, error="")
    reset_caches()
    _clear_staging(batch.pk)
    DtksRejectedRow.objects.filter(batch=batch).delete()
    try:
        # The rejection reasons are the batch's record, exported to the kelurahan.
        with in_official_language():
            counts = _stage_file(batch, Path(batch.file.path))
    except Exception as exc:
        with in_official_language():
            reason = (
                str(exc.message)
                if isinstance(exc, ApplicationError)
                # Left VALIDATING, its page would wait for ever. Not the exception's
                # words: they may quote a cell (personal data).
                else _(
                    "Validasi gagal karena kesalahan sistem. Jalankan validasi lagi."
                )
            )
        update_progress(batch, status=Status.FAILED, error=reason)
        _clear_staging(batch.pk)
        DtksRejectedRow.objects.filter(batch=batch).delete()
        raise
    update_progress(batch, status=Status.PREVIEWED, **counts)
    return batch


def _stage_file(batch: DtksImportBatch, path: Path) -> dict[str, Any]:
    staged = stage_file(batch=batch, path=path)
    rejected_count = staged.rejected + _reject_in_file_duplicates(batch)
    with connection.cursor() as cursor:
        # Fresh statistics: without them the commit is planned for a few dozen staged
        # rows, not the hundreds of thousands just copied in.
        analyze(cursor, DtksStagingRow, coarse=True)
    return {
        "rows_total": staged.rows_total,
        "rows_processed": staged.rows_total,
        "count_rejected": rejected_count,
        **_classify(batch),
    }


# In-file repeats: the key's value and its first row, among the staged rows. A hashed
# grouping, whose few repeats come back to be removed by hashed `= ANY` / `<> ALL`
# filters: 1M staged rows with 1,649 repeated NIKs, 3.1-3.7 s as window functions
# over every row (a sort by NIK under the database's collation) and deletes joined
# back, 1.7-2.0 s this way (bench DB, 12-04; the grouping is most of it).
_IN_FILE_REPEATS = (
    # (key column, filter, rejection reason with the first row's number)
    ("nik", "", gettext_lazy("NIK ganda di dalam berkas (sama dengan baris %s).")),
    (
        "kk_number",
        "AND relationship = 'kepala_keluarga'",
        gettext_lazy("Kepala keluarga kedua dalam KK yang sama (lihat baris %s)."),
    ),
)
# The repeated keys are found first, as the rows with an earlier row of the same key:
# a hash semi-join PostgreSQL runs on parallel workers, where a grouping of every key
# stays on one core (1M rows, 1,649 repeats: 0.49 s against 1.34 s). Then their first
# rows, by a hashed `= ANY` filter. Nested loops are off for it: planned on an earlier
# batch's statistics (the staging is analyzed after this), a nested loop would read
# the whole staging once per staged row.
_FIND_REPEATED = """
SELECT DISTINCT s.{key} FROM registry_dtksstagingrow s
WHERE s.batch_id = %(b)s {only} AND EXISTS (
    SELECT 1 FROM registry_dtksstagingrow t
    WHERE t.batch_id = %(b)s {only} AND t.{key} = s.{key}
      AND t.row_number < s.row_number)
"""
_FIND_FIRST_ROWS = """
SELECT {key}, min(row_number) FROM registry_dtksstagingrow
WHERE batch_id = %(b)s {only} AND {key} = ANY(%(keys)s::text[]) GROUP BY {key}
"""
# A row is the first of its key's rows or a repeat: row numbers are unique in a batch.
_REJECT_REPEATS = """
WITH removed AS (
    DELETE FROM registry_dtksstagingrow
    WHERE batch_id = %(b)s {only} AND {key} = ANY(%(keys)s::text[])
      AND row_number <> ALL(%(firsts)s::int[])
    RETURNING row_number, nik, name, {key} AS key
)
INSERT INTO registry_dtksrejectedrow (batch_id, row_number, reason, nik, name)
SELECT %(b)s, r.row_number, format(%(msg)s, f.first_row), r.nik, r.name
FROM removed r JOIN unnest(%(keys)s::text[], %(firsts)s::int[]) AS f(key, first_row)
  ON f.key = r.key
"""
# The semi-join's hash table of 1M NIKs takes about 100 MB; with the default work_mem
# it spills to disk.
_REPEATS_SETTINGS = {"work_mem": "128MB", "enable_nestloop": "off"}


def _reject_in_file_duplicates(batch: DtksImportBatch) -> int:
    """A NIK twice in one file: keep the first row, reject the others with a reason.
    A second head of household in the same KK is rejected the same way (after the
    repeated NIKs are gone: a row rejected once is not counted again)."""
    rejected = 0
    with (
        transaction.atomic(),  # for the local settings
        connection.cursor() as cursor,
        local_settings(cursor, _REPEATS_SETTINGS),
    ):
        for key, only, reason in _IN_FILE_REPEATS:
            params: dict[str, Any] = {"b": batch.pk}
            cursor.execute(_FIND_REPEATED.format(key=key, only=only), params)
            params["keys"] = [value for (value,) in cursor.fetchall()]
            if not params["keys"]:
                continue
            cursor.execute(_FIND_FIRST_ROWS.format(key=key, only=only), params)
            repeats = cursor.fetchall()
            params["keys"] = [value for value, _first in repeats]
            params["firsts"] = [first for _value, first in repeats]
            params["msg"] = str(reason)
            cursor.execute(_REJECT_REPEATS.format(key=key, only=only), params)
            rejected += cursor.rowcount
    return rejected


def _classify(batch: DtksImportBatch) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              count(*) FILTER (WHERE p.id IS NULL),
              count(*) FILTER (WHERE p.id IS NOT NULL AND (e.id IS NULL OR
                 (e.dtks_id, e.desil, e.padan_dukcapil, e.active)
                 IS DISTINCT FROM (s.dtks_id, s.desil, s.padan_dukcapil, true))),
              count(*) FILTER (WHERE p.id IS NOT NULL AND e.id IS NOT NULL AND
                 (e.dtks_id, e.desil, e.padan_dukcapil, e.active)
                 IS NOT DISTINCT FROM (s.dtks_id, s.desil, s.padan_dukcapil, true))
            FROM registry_dtksstagingrow s
            LEFT JOIN registry_person p ON p.nik = s.nik
            LEFT JOIN registry_dtksentry e ON e.person_id = p.id
            WHERE s.batch_id = %s
            """,
            [batch.pk],
        )
        new, updated, unchanged = cursor.fetchone()
        cursor.execute(_COUNT_ABSENT, {"batch": batch.pk})
        (deactivated,) = cursor.fetchone()
        active_before, absent = (
            _deactivation_scope(cursor, batch) if deactivated else (0, [])
        )
    return {
        "count_new": new,
        "count_updated": updated,
        "count_unchanged": unchanged,
        "count_deactivated": deactivated,
        "count_active_before": active_before,
        "kelurahan_absent": absent,
    }


def _deactivation_scope(cursor: Any, batch: DtksImportBatch) -> tuple[int, list[str]]:
    """How many persons are in DTKS now, and the kelurahan none of whose persons in
    DTKS is in the file: the marks of a partial file. Only asked when the snapshot
    takes someone out (never on a first import)."""
    cursor.execute("SELECT count(*) FROM registry_dtksentry WHERE active")
    (active,) = cursor.fetchone()
    cursor.execute(_KELURAHAN_WITHOUT_ROWS, {"batch": batch.pk})
    codes = [code for (code,) in cursor.fetchall()]
    if codes:
        cursor.execute(_KELURAHAN_STILL_IN_FILE, {"batch": batch.pk, "codes": codes})
        still_in_file = {code for (code,) in cursor.fetchall()}
        codes = [code for code in codes if code not in still_in_file]
    return active, codes


def _clear_staging(batch_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM registry_dtksstagingrow WHERE batch_id = %s", [batch_id]
        )


# The commit, step by step. Each statement is set-based over the staging rows.
# Households and persons are inserted only where none exists; ON CONFLICT then keeps a
# row that a counter's form inserted meanwhile (the staged row joins it). In bulk-load
# mode (dtks_bulk) the tables are locked for the whole transaction, so NOT EXISTS is
# exact by itself, and the unique indexes ON CONFLICT would need are dropped and
# built again at the end: checked once over the whole table instead of row by row
# (1M persons: 1.6 s of speculative insertion and 1.8 s of NIK index upkeep).
_INSERT_HOUSEHOLDS = """
-- A new household takes its RT, RW and address from its first row in the file. The
-- first rows are found by grouping narrow (KK number, row number) pairs in a hash
-- table, whose row numbers the staged rows are then looked up in: sorting every
-- staged row, address and all, for DISTINCT ON took 0.5 s longer on 1M rows, and a
-- join back hashed every staged row with its address instead (0.2-0.4 s longer).
-- The grouping reads every row before the first insert.
INSERT INTO registry_household
    (public_id, kk_number, kelurahan_id, rt, rw, address, version, created_at, updated_at)
SELECT s.household_public_id, s.kk_number, s.kelurahan_id, s.rt, s.rw, s.address, 1,
       %(now)s, %(now)s
FROM registry_dtksstagingrow s
WHERE s.batch_id = %(batch)s AND s.row_number IN (
    SELECT min(f.row_number)
    FROM registry_dtksstagingrow f
    WHERE f.batch_id = %(batch)s
      AND NOT EXISTS (SELECT 1 FROM registry_person p WHERE p.nik = f.nik)
      AND NOT EXISTS (
          SELECT 1 FROM registry_household h WHERE h.kk_number = f.kk_number)
    GROUP BY f.kk_number)
{on_conflict}
"""
_INSERT_KK_NUMBERS = """
INSERT INTO registry_householdkknumber
    (household_id, kk_number, valid_from, valid_to, reason, recorded_at)
SELECT id, kk_number, %(today)s, NULL, 'awal', %(now)s FROM {households}
"""

_INSERT_PERSONS = """
INSERT INTO registry_person
    (public_id, nik, name, name_search, birth_place, birth_date, sex, household_id,
     kelurahan_id, relationship, marital_status, occupation, formally_employed,
     disability, is_deceased, deceased_on, domicile_status, phone, version,
     created_at, updated_at)
SELECT s.person_public_id, s.nik, s.name, s.name_search, s.birth_place,
       s.birth_date, s.sex, h.id, h.kelurahan_id,
       CASE WHEN s.relationship = 'kepala_keluarga' AND head.id IS NOT NULL
            THEN 'famili_lain' ELSE s.relationship END,
       '', '', false, 'tidak_ada', false, NULL, 'sesuai_kk', '', 1, %(now)s, %(now)s
FROM registry_dtksstagingrow s
JOIN registry_household h ON h.kk_number = s.kk_number
-- A household's registered head (at most one: household_single_head).
LEFT JOIN registry_person head
       ON head.household_id = h.id AND head.relationship = 'kepala_keluarga'
WHERE s.batch_id = %(batch)s
  AND NOT EXISTS (SELECT 1 FROM registry_person p WHERE p.nik = s.nik)
{order}
{on_conflict}
"""
_INSERT_MEMBERSHIPS = """
INSERT INTO registry_householdmembership
    (person_id, household_id, relationship, joined_on, join_reason, left_on, leave_reason)
SELECT id, household_id, relationship, %(today)s, 'awal', NULL, '' FROM {persons}
"""

# DTKS entries are written by the commit alone (one at a time: COMMIT_LOCK_KEY), so an
# update of the persons' changed entries and an insert of the missing ones need no
# ON CONFLICT, nor its arbiter index in bulk-load mode. An entry that did not change
# is not written at all: an identical re-import writes nothing.
_UPDATE_CHANGED_ENTRIES = """
UPDATE registry_dtksentry e
SET dtks_id = s.dtks_id, desil = s.desil, padan_dukcapil = s.padan_dukcapil,
    active = true,
    active_since = CASE WHEN e.active THEN e.active_since ELSE %(period)s END,
    inactive_since = NULL, deactivation_reason = '', batch_id = %(batch)s
FROM registry_dtksstagingrow s
JOIN registry_person p ON p.nik = s.nik
WHERE s.batch_id = %(batch)s AND e.person_id = p.id
  AND (e.dtks_id, e.desil, e.padan_dukcapil, e.active)
      IS DISTINCT FROM (s.dtks_id, s.desil, s.padan_dukcapil, true)
"""

_INSERT_NEW_ENTRIES = """
INSERT INTO registry_dtksentry
    (person_id, dtks_id, desil, padan_dukcapil, active, active_since, inactive_since,
     deactivation_reason, batch_id)
SELECT p.id, s.dtks_id, s.desil, s.padan_dukcapil, true, %(period)s, NULL, '', %(batch)s
FROM registry_dtksstagingrow s
JOIN registry_person p ON p.nik = s.nik
WHERE s.batch_id = %(batch)s
  AND NOT EXISTS (SELECT 1 FROM registry_dtksentry e WHERE e.person_id = p.id)
{order}
"""

# An active entry the batch's snapshot takes out of DTKS: its person has no staged row
# and no rejected one either. A row rejected for a wrong cell (a desil of 11, a
# mistyped kelurahan code) is still the person in the snapshot: their status stays
# as it was until a file reads, rather than their gakin entitlement ending on a typo.
_ABSENT_FROM_SNAPSHOT = """
NOT EXISTS (
    SELECT 1 FROM registry_dtksstagingrow s
    JOIN registry_person p ON p.nik = s.nik
    WHERE s.batch_id = %(batch)s AND p.id = e.person_id)
AND NOT EXISTS (
    SELECT 1 FROM registry_dtksrejectedrow r
    JOIN registry_person p ON p.nik = regexp_replace(r.nik, '[^0-9]', '', 'g')
    WHERE r.batch_id = %(batch)s AND p.id = e.person_id)
"""

_COUNT_ABSENT = (
    "SELECT count(*) FROM registry_dtksentry e WHERE e.active AND "  # noqa: S608 - constants
    + _ABSENT_FROM_SNAPSHOT
)

# The kelurahan none of whose persons in DTKS is in the snapshot, in two steps. First
# those with no staged row that have someone in DTKS (nearly always none: a hash of
# the 34 codes against the staged rows, then one active person each through the
# kelurahan index, which LIMIT keeps the planner from turning into a join of every
# entry: 0.1 s against 1.0 s at 1M persons).
_KELURAHAN_WITHOUT_ROWS = """
WITH no_staged_row AS MATERIALIZED (
    SELECT k.code FROM core_kelurahan k
    WHERE NOT EXISTS (SELECT 1 FROM registry_dtksstagingrow s
                      WHERE s.batch_id = %(batch)s AND s.kelurahan_id = k.code))
SELECT a.code FROM no_staged_row a
CROSS JOIN LATERAL (
    SELECT 1 FROM registry_person p
    JOIN registry_dtksentry e ON e.person_id = p.id
    WHERE p.kelurahan_id = a.code AND e.active LIMIT 1) AS in_dtks
ORDER BY 1
"""

# Then, of those, the ones where the snapshot still has one of their persons in DTKS:
# a row under another kelurahan, or a rejected row (the person is kept). Only the
# candidates' persons are joined to the file.
_KELURAHAN_STILL_IN_FILE = """
SELECT p.kelurahan_id FROM registry_dtksstagingrow s
JOIN registry_person p ON p.nik = s.nik
JOIN registry_dtksentry e ON e.person_id = p.id AND e.active
WHERE s.batch_id = %(batch)s AND p.kelurahan_id = ANY(%(codes)s)
UNION
SELECT p.kelurahan_id FROM registry_dtksrejectedrow r
JOIN registry_person p ON p.nik = regexp_replace(r.nik, '[^0-9]', '', 'g')
JOIN registry_dtksentry e ON e.person_id = p.id AND e.active
WHERE r.batch_id = %(batch)s AND p.kelurahan_id = ANY(%(codes)s)
"""

_DEACTIVATE_ABSENT = (
    """
UPDATE registry_dtksentry e
SET active = false, inactive_since = %(period)s,
    deactivation_reason = 'tidak_ada_di_snapshot', batch_id = %(batch)s
-- An entry the steps above just wrote is in the snapshot: only the others are looked
-- for in it (on a first import, none: 1 s less for 1M rows).
WHERE e.active AND e.batch_id IS DISTINCT FROM %(batch)s AND """
    + _ABSENT_FROM_SNAPSHOT
)


def _steps(*, bulk: bool) -> tuple[tuple[str, str], ...]:
    # Row by row, ON CONFLICT keeps a row a counter's form inserted meanwhile; in
    # bulk-load mode the tables are locked and NOT EXISTS is exact.
    def on_conflict(columns: str) -> str:
        return "" if bulk else f"ON CONFLICT ({columns}) DO NOTHING"

    # Row by row, a sort reads every staged row before the first insert. Without it,
    # on a registry whose statistics say it is empty (a first import), the planner
    # checked each staged row with a fresh scan of the table the statement was
    # filling: quadratic, more than 15 minutes for 200k persons, and over 13 minutes
    # for 1M entries on PostgreSQL 15 without the entry's person index. In person
    # order the entries' index is filled at its right-hand end. In bulk-load mode the
    # steps run with nested loops off (BULK_PLANNER_SETTINGS): the anti-joins hash
    # the filled table before the first insert, and the sorts (1M persons spilled
    # 155 MB to disk) are not needed: 0.7 s less.
    def order(columns: str) -> str:
        return "" if bulk else f"ORDER BY {columns}"

    households = _INSERT_HOUSEHOLDS.format(on_conflict=on_conflict("kk_number"))
    persons = _INSERT_PERSONS.format(
        on_conflict=on_conflict("nik"), order=order("s.row_number")
    )
    # A new household's first KK number and a new person's membership. Row by row
    # they come from the insert's RETURNING in the same statement. In bulk-load mode
    # the tables are locked, so the rows above the highest key there was are the
    # load's (dtks_bulk.BulkLoad.key_marks): read from the table, they skip the
    # tuplestore RETURNING fills (1M memberships: 3.15 s as one statement with the
    # persons, 1.54 + 0.93 s as two).
    if bulk:
        history_steps: tuple[tuple[str, str], ...] = (
            ("households", households),
            (
                "kk numbers",
                _INSERT_KK_NUMBERS.format(
                    households="registry_household"
                    " WHERE id > %(registry_household_after)s"
                ),
            ),
            ("persons", persons),
            (
                "memberships",
                _INSERT_MEMBERSHIPS.format(
                    persons="registry_person WHERE id > %(registry_person_after)s"
                ),
            ),
        )
    else:
        history_steps = (
            (
                "households",
                "WITH inserted AS ("
                + households
                + " RETURNING id, kk_number)"
                + _INSERT_KK_NUMBERS.format(households="inserted"),
            ),
            (
                "persons",
                "WITH inserted AS ("
                + persons
                + " RETURNING id, household_id, relationship)"
                + _INSERT_MEMBERSHIPS.format(persons="inserted"),
            ),
        )
    return (
        *history_steps,
        ("changed entries", _UPDATE_CHANGED_ENTRIES),
        ("new entries", _INSERT_NEW_ENTRIES.format(order=order("p.id"))),
        ("deactivate", _DEACTIVATE_ABSENT),
    )


COMMIT_STEPS = _steps(bulk=False)
BULK_COMMIT_STEPS = _steps(bulk=True)
# The registry tables later steps are planned on, by the step that inserts into them.
# Their statistics are refreshed before the commit and after that step, inside the
# transaction (ANALYZE counts the transaction's own new rows): with statistics saying
# the registry is empty while its pages held the dead rows of rolled-back imports, the
# persons step ran for over a quarter of an hour on 200k rows instead of 20 s. ANALYZE
# samples a fixed number of rows: about a second for all of them. In bulk-load mode
# the step's inserts are also recorded in the audit trail after it (dtks_bulk).
_WRITTEN_BY: dict[str, tuple[type[models.Model], ...]] = {
    "households": (Household,),
    "persons": (Person,),
    "new entries": (DtksEntry,),
}
# Columns no step of the validation or the commit filters, joins, groups or sorts on:
# values copied through, whose statistics no plan reads. They were about 0.1 s of
# the 0.23 s an ANALYZE of a 20k-row staging table took. A column-limited ANALYZE
# leaves the table's change counter as it was, so autovacuum still analyzes every
# column afterwards.
_COPIED_ONLY_COLUMNS = frozenset(
    {
        "name",
        "name_search",
        "birth_place",
        "address",
        "occupation",
        "phone",
        "public_id",
        "person_public_id",
        "household_public_id",
        "created_at",
        "updated_at",
    }
)


def analyze(cursor: Any, *tables: type[models.Model], coarse: bool) -> None:
    """ANALYZE for the import's own plans. `coarse`: at DTKS_ANALYZE_STATISTICS_TARGET,
    3,000 rows sampled instead of 30,000 (1M persons: 0.14-0.19 s -> 0.012-0.015 s
    a table; a 20k-row first import 0.85-0.98 s -> 0.76-0.80 s end to end, A/B).

    Coarse only where nothing else reads the statistics afterwards: the staging
    table, and the registry tables of a bulk load, whose inserts (at least a third
    of the persons after it, well past autovacuum's 10 %) make autovacuum analyze
    every column at the server's target soon after COMMIT (a column list leaves the
    change counter alone). A commit row by row may change too little for that, and
    the coarse figures would stay for the pages' plans (seen: 84k distinct
    households for 280k)."""
    if not coarse:
        cursor.execute(analyze_sql(*tables))
        return
    with (
        transaction.atomic(),
        local_settings(
            cursor,
            {"default_statistics_target": str(settings.DTKS_ANALYZE_STATISTICS_TARGET)},
        ),
    ):
        cursor.execute(analyze_sql(*tables))


def analyze_sql(*tables: type[models.Model]) -> str:
    """ANALYZE of the columns of `tables` a plan of the import reads."""
    return "ANALYZE " + ", ".join(
        f"{model._meta.db_table} ("
        + ", ".join(
            field.column
            for field in model._meta.concrete_fields
            if field.column not in _COPIED_ONLY_COLUMNS
        )
        + ")"
        for model in tables
    )


def _check_committable(
    actor: User, batch: DtksImportBatch, *, deactivation_confirmed: bool
) -> None:
    if actor.role not in SUPERVISOR_ROLES:
        raise ApplicationError(
            _("Hanya supervisor Dinsos yang dapat menyimpan impor DTKS.")
        )
    if batch.status not in (Status.PREVIEWED, Status.COMMITTING):
        raise ApplicationError(
            _("Impor ini tidak dapat disimpan (status: %(s)s).")
            % {"s": batch.get_status_display()}
        )
    newer = DtksImportBatch.objects.filter(
        status=Status.COMMITTED, period__gt=batch.period
    ).exists()
    if newer:
        raise ApplicationError(_("Sudah ada data DTKS periode yang lebih baru."))
    # A queued batch (COMMITTING) was confirmed when it was queued.
    if (
        batch.status == Status.PREVIEWED
        and batch.deactivation_needs_confirmation
        and not deactivation_confirmed
    ):
        raise ApplicationError(
            _(
                "Impor ini mengeluarkan %(n)s orang dari DTKS. Periksa bahwa berkasnya "
                "lengkap, lalu centang konfirmasinya untuk menyimpan."
            )
            % {"n": number_format(batch.count_deactivated, force_grouping=True)},
            code="deactivation_unconfirmed",
        )


@transaction.atomic
def dtks_batch_queue_commit(
    *, actor: User, batch: DtksImportBatch, deactivation_confirmed: bool = False
) -> DtksImportBatch:
    """Mark a previewed batch as being saved, before a worker commits it: its page
    then follows the commit, and it can no longer be cancelled or saved twice."""
    batch = DtksImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == Status.COMMITTING:
        raise ApplicationError(_("Impor ini sedang disimpan."))
    _check_committable(actor, batch, deactivation_confirmed=deactivation_confirmed)
    update_progress(batch, status=Status.COMMITTING, error="")
    return batch


def dtks_batch_commit(
    *, actor: User, batch: DtksImportBatch, deactivation_confirmed: bool = False
) -> DtksImportBatch:
    """Apply a previewed (or queued) batch. All or nothing: a failure leaves the
    registry as it was, and a queued batch back in preview with the reason, so the
    supervisor can save it again or cancel it."""
    # Left by an earlier bulk load whose builder was killed (the task re-run after
    # it, or the next import, finishes them): a commit row by row needs them.
    _build_deferred_indexes(batch)
    try:
        batch = _commit(actor, batch, deactivation_confirmed=deactivation_confirmed)
    except Exception as exc:
        with in_official_language():
            reason = (
                str(exc.message)
                if isinstance(exc, ApplicationError)
                # Not the database's words: they may quote row values (personal data).
                else _("Penyimpanan gagal; registri tidak berubah. Coba simpan lagi.")
            )
        DtksImportBatch.objects.filter(pk=batch.pk, status=Status.COMMITTING).update(
            status=Status.PREVIEWED, error=reason
        )
        raise
    # A bulk load's search indexes, built beside each other now that the registry is
    # readable again (a GiST index takes one core for several seconds); after a commit
    # row by row there are none.
    _build_deferred_indexes(batch)
    return batch


def _build_deferred_indexes(batch: DtksImportBatch) -> None:
    try:
        build_deferred_indexes()
    except DatabaseError as exc:
        # Slower searches, nothing wrong: an index left unbuilt stays listed for the
        # hourly job (registry.jobs) and the next commit.
        logger.warning(
            "DTKS batch %s: deferred index build failed (%s)",
            batch.pk,
            type(exc).__name__,
        )


def _commit(
    actor: User, batch: DtksImportBatch, *, deactivation_confirmed: bool
) -> DtksImportBatch:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COMMIT_LOCK_KEY])
        batch = DtksImportBatch.objects.select_for_update().get(pk=batch.pk)
        _check_committable(actor, batch, deactivation_confirmed=deactivation_confirmed)
        now = timezone.now()
        params: dict[str, Any] = {
            "batch": batch.pk,
            "period": batch.period,
            "now": now,
            "today": timezone.localdate(now),
        }
        wanted = bulk_load_wanted(new_persons=batch.count_new)
        with (
            actor_context(actor, dtks_batch=batch.pk),
            connection.cursor() as cursor,
            bulk_loading(cursor, wanted=wanted) as load,
        ):
            bulk = load is not None
            if load is not None:
                params.update(load.key_marks)
            analyze(
                cursor,
                *(m for group in _WRITTEN_BY.values() for m in group),
                coarse=bulk,
            )
            with local_settings(cursor, BULK_PLANNER_SETTINGS if bulk else {}):
                for step, sql in BULK_COMMIT_STEPS if bulk else COMMIT_STEPS:
                    cursor.execute(sql, params)
                    if step in _WRITTEN_BY:
                        if load is not None:
                            load.record_inserts(cursor, *_WRITTEN_BY[step])
                        analyze(cursor, *_WRITTEN_BY[step], coarse=bulk)
            cursor.execute(
                "DELETE FROM registry_dtksstagingrow WHERE batch_id = %s", [batch.pk]
            )
        # After the bulk load's indexes are back: it reads the entries by person.
        with actor_context(actor, dtks_batch=batch.pk):
            batch.count_proposals_included = dtks_proposals_included_by(
                batch=batch, actor=actor
            )
        logger.info("DTKS batch %s committed (bulk load: %s)", batch.pk, bulk)
        batch.status = Status.COMMITTED
        batch.committed_by = actor
        batch.committed_at = now
        batch.error = ""
        batch.save(
            update_fields=[
                "status",
                "committed_by",
                "committed_at",
                "error",
                "count_proposals_included",
            ]
        )
    return batch


@transaction.atomic
def dtks_batch_cancel(*, actor: User, batch: DtksImportBatch) -> DtksImportBatch:
    batch = DtksImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status in (Status.COMMITTED, Status.COMMITTING):
        raise ApplicationError(_("Impor yang sudah disimpan tidak dapat dibatalkan."))
    _clear_staging(batch.pk)
    batch.status = Status.CANCELLED
    batch.save(update_fields=["status"])
    return batch
