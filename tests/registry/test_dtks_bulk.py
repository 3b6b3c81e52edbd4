"""A commit that inserts a large share of the registry drops the indexes and
constraints of the tables it fills and builds them again (registry.services.dtks_bulk).
Here the thresholds are lowered so that a three-row file is such a commit."""

from __future__ import annotations

import logging
import threading

import pghistory.models
import pytest
from django.db import DatabaseError, connection

from core.audit import insert_trigger
from core.jobs import run_job
from registry.models import (
    DeferredIndex,
    DtksEntry,
    DtksImportBatch,
    DtksProposalStatus,
    Household,
    HouseholdKkNumber,
    HouseholdMembership,
    Person,
)
from registry.services import dtks as dtks_service
from registry.services import dtks_bulk
from registry.services.dtks_bulk import filled_tables
from registry.services.proposals import dtks_proposal_register
from tests.factories.registry import household, person
from tests.registry.dtks_files import ROWS, dtks_csv, dtks_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulk_settings(settings):
    settings.DTKS_BULK_LOAD_MIN_ROWS = 1
    settings.DTKS_BULK_LOAD_MIN_SHARE = 0.5
    settings.DTKS_BULK_LOAD_LOCK_TIMEOUT_MS = 200
    return settings


def _schema() -> set[tuple[str, ...]]:
    """Every index and constraint of the tables a commit fills, as the catalogue
    defines them (names included)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indrelid::regclass::text, indexrelid::regclass::text,
                   pg_get_indexdef(indexrelid)
            FROM pg_index WHERE indrelid = ANY(%(t)s::regclass[])
            UNION ALL
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                   || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END
            FROM pg_constraint WHERE conrelid = ANY(%(t)s::regclass[])
            UNION ALL  -- every trigger (a key's by its key: those are made anew)
            SELECT t.tgrelid::regclass::text, coalesce(c.conname, t.tgname),
                   t.tgfoid::regproc::text || ' enabled ' || t.tgenabled::text
                   -- a key's triggers are named by their own oid
                   || CASE WHEN c.oid IS NULL THEN ' ' || pg_get_triggerdef(t.oid)
                           || ' comment ' || coalesce(
                               obj_description(t.oid, 'pg_trigger'), '')
                      ELSE '' END
            FROM pg_trigger t LEFT JOIN pg_constraint c ON c.oid = t.tgconstraint
            WHERE t.tgrelid = ANY(%(t)s::regclass[])
            """,
            {"t": filled_tables()},
        )
        return set(cursor.fetchall())


def _exclusive_locks_held() -> list[str]:
    """The filled tables this session still holds locked against every reader."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relation::regclass::text FROM pg_locks"
            " WHERE pid = pg_backend_pid() AND mode = 'AccessExclusiveLock'"
            " AND relation = ANY(%s::regclass[])",
            [filled_tables()],
        )
        return [table for (table,) in cursor.fetchall()]


def _bulk_loaded(caplog: pytest.LogCaptureFixture) -> bool:
    [message] = [
        r.getMessage()
        for r in caplog.records
        if "committed (bulk load" in r.getMessage()
    ]
    return message.endswith("bulk load: True)")


def test_first_import_is_loaded_in_bulk_and_gives_the_usual_registry(
    supervisor, bulk_settings, caplog
):
    with caplog.at_level(logging.INFO, logger="registry.services.dtks"):
        batch = dtks_import(supervisor, dtks_csv(ROWS))

    assert _bulk_loaded(caplog)
    assert batch.count_new == 3
    assert Household.objects.count() == 2
    budi = Person.objects.get(nik="6471011205850001")
    assert (budi.kelurahan_id, budi.relationship) == (
        "64.71.01.1001",
        "kepala_keluarga",
    )
    assert budi.dtks.active
    assert budi.dtks.desil == 1
    assert HouseholdMembership.objects.filter(left_on=None).count() == 3
    assert DtksEntry.objects.filter(batch=batch).count() == 3


@pytest.mark.parametrize("superuser", [True, False], ids=["superuser", "other role"])
def test_bulk_load_leaves_every_index_and_constraint_as_it_was(
    supervisor, bulk_settings, caplog, monkeypatch, superuser
):
    monkeypatch.setattr(dtks_bulk, "_may_disable_triggers", lambda cursor: superuser)
    before = _schema()

    with caplog.at_level(logging.INFO, logger="registry.services.dtks"):
        dtks_import(supervisor, dtks_csv(ROWS))

    assert _bulk_loaded(caplog)
    assert _schema() == before


def test_bulk_load_still_records_the_history_with_the_supervisor(
    supervisor, bulk_settings
):
    dtks_import(supervisor, dtks_csv(ROWS))

    events = pghistory.models.Events.objects.filter(pgh_model="registry.PersonEvent")
    assert events.count() == 3
    assert {e.pgh_context["user"] for e in events} == {supervisor.pk}


def _insert_events_are_copies_of_their_rows(batch: DtksImportBatch, actor) -> None:
    """Every household, person and DTKS entry has exactly one insert event, a copy
    of the row as it is (nothing changed them since), and those the batch wrote
    carry its supervisor and the batch in their context."""
    assert Person.objects.filter(created_at=batch.committed_at).count() == (
        batch.count_new
    )
    for model in (Household, Person, DtksEntry):
        event_model = insert_trigger(model).event_model
        copied = [
            f.attname
            for f in event_model._meta.concrete_fields
            if not f.attname.startswith("pgh_")
        ]
        events = event_model.objects.filter(pgh_label="insert")
        assert sorted(events.values_list("pgh_obj_id", flat=True)) == sorted(
            model.objects.values_list("pk", flat=True)
        ), model
        assert set(events.values_list(*copied)) == set(
            model.objects.values_list(*copied)
        ), model
    inserted_by_batch = insert_trigger(Person).event_model.objects.filter(
        pgh_label="insert", pgh_obj__created_at=batch.committed_at
    )
    contexts = {
        (e.pgh_context.metadata.get("user"), e.pgh_context.metadata.get("dtks_batch"))
        for e in inserted_by_batch.select_related("pgh_context")
    }
    assert contexts == {(actor.pk, batch.pk)}


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk load", "row by row"])
def test_every_row_an_import_inserts_is_recorded_once_as_it_was_inserted(
    supervisor, settings, bulk, kelurahan_a, caplog
):
    """In bulk-load mode the insert triggers are dropped and the load writes their
    events itself: the trail is the one the triggers write row by row."""
    settings.DTKS_BULK_LOAD_MIN_ROWS = 1 if bulk else 0
    settings.DTKS_BULK_LOAD_MIN_SHARE = 0.5
    person(kelurahan=kelurahan_a, nik="6471011205850001", name="Budi S.")

    with caplog.at_level(logging.INFO, logger="registry.services.dtks"):
        batch = dtks_import(supervisor, dtks_csv(ROWS))

    assert _bulk_loaded(caplog) == bulk
    _insert_events_are_copies_of_their_rows(batch, supervisor)


def test_a_registry_keyed_beyond_its_sequence_is_committed_row_by_row(
    supervisor, bulk_settings, caplog, kelurahan_a
):
    """A row keyed above its sequence (written with an explicit key, or a sequence
    set back) would put the load's own rows below the highest key there was, which a
    bulk load takes for the start of its own (their memberships and events would be
    missed): the commit goes row by row, every row recorded once all the same."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('registry_person', 'id')")
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (start,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s)", [sequence, start + 1000])
        person(kelurahan=kelurahan_a, nik="3171011205850009", name="Ada")
        cursor.execute("SELECT setval(%s, %s)", [sequence, start])
    try:
        with caplog.at_level(logging.INFO, logger="registry.services.dtks"):
            batch = dtks_import(supervisor, dtks_csv(ROWS))
    finally:  # a sequence is not rolled back with the test
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(%s, %s)", [sequence, start + 2000])

    assert not _bulk_loaded(caplog)
    assert not _exclusive_locks_held(), "the registry stayed locked for the commit"
    assert HouseholdMembership.objects.filter(left_on=None).count() == 4
    assert Person.objects.filter(pk__lt=Person.objects.get(name="Ada").pk).exists()
    _insert_events_are_copies_of_their_rows(batch, supervisor)


def test_bulk_load_plans_every_step_without_nested_loops(supervisor, bulk_settings):
    """The planner settings the plan-shape test (test_dtks_import) checks the steps
    under are the ones the commit itself runs them with: with nested loops on, a
    registry whose statistics say it is empty is filled by a quadratic plan."""
    steps = {sql: name for name, sql in dtks_service.BULK_COMMIT_STEPS}
    nestloop: dict[str, str] = {}

    def record(execute, sql, params, many, context):
        if sql in steps:
            context["cursor"].execute("SELECT current_setting('enable_nestloop')")
            nestloop[steps[sql]] = context["cursor"].fetchone()[0]
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        dtks_import(supervisor, dtks_csv(ROWS))

    assert nestloop == dict.fromkeys(steps.values(), "off")


def test_bulk_load_failing_midway_leaves_data_and_indexes_as_they_were(
    supervisor, bulk_settings, monkeypatch
):
    before = _schema()
    batch = dtks_import(supervisor, dtks_csv(ROWS), commit=False)
    steps = (*dtks_service.BULK_COMMIT_STEPS[:2], ("boom", "SELECT 1/0"))
    monkeypatch.setattr(dtks_service, "BULK_COMMIT_STEPS", steps)

    with pytest.raises(Exception, match="division by zero"):
        dtks_service.dtks_batch_commit(actor=supervisor, batch=batch)

    assert Person.objects.count() == 0
    assert _schema() == before


_INSERT_PERSON_LIKE_A_HEAD = (
    "INSERT INTO registry_person (public_id, nik, name, name_search, birth_place,"
    " sex, household_id, relationship, marital_status, occupation,"
    " formally_employed, disability, is_deceased, domicile_status, phone, version,"
    " created_at, updated_at) SELECT gen_random_uuid(), {nik}, 'X', 'x', '', 'L',"
    " household_id, {relationship}, '', '', false, 'tidak_ada', false, 'sesuai_kk',"
    " '', 1, now(), now() FROM registry_person"
    " WHERE relationship = 'kepala_keluarga' LIMIT 1"
)


@pytest.mark.parametrize(
    ("duplicate", "refused_by"),
    [
        (  # a second head in a household
            _INSERT_PERSON_LIKE_A_HEAD.format(
                nik="'6471011205859999'", relationship="'kepala_keluarga'"
            ),
            "household_single_head",
        ),
        (  # a NIK already registered (ON CONFLICT is not used in bulk-load mode)
            _INSERT_PERSON_LIKE_A_HEAD.format(nik="nik", relationship="'anak'"),
            "person_unique_nik",
        ),
    ],
)
def test_rebuilt_unique_index_still_refuses_a_duplicate(
    supervisor, bulk_settings, duplicate, refused_by
):
    """The bulk load drops these unique indexes; building them again checks the whole
    table, so a duplicate still fails the commit."""
    batch = dtks_import(supervisor, dtks_csv(ROWS), commit=False)
    steps = (*dtks_service.BULK_COMMIT_STEPS, ("duplicate", duplicate))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dtks_service, "BULK_COMMIT_STEPS", steps)
        with pytest.raises(Exception, match=refused_by):
            dtks_service.dtks_batch_commit(actor=supervisor, batch=batch)

    assert Person.objects.count() == 0


@pytest.mark.parametrize("superuser", [True, False], ids=["superuser", "other role"])
def test_a_kept_foreign_key_still_refuses_a_row_pointing_nowhere(
    supervisor, bulk_settings, monkeypatch, superuser
):
    """A superuser's bulk load turns the kept keys' row-by-row checks off and
    checks set-based instead; any other role keeps the checks. Either way the
    commit fails."""
    monkeypatch.setattr(dtks_bulk, "_may_disable_triggers", lambda cursor: superuser)
    batch = dtks_import(supervisor, dtks_csv(ROWS), commit=False)
    nowhere = (
        "UPDATE registry_person SET kelurahan_id = '64.71.99.9999'"
        " WHERE id = (SELECT min(id) FROM registry_person)"
    )
    steps = (*dtks_service.BULK_COMMIT_STEPS, ("nowhere", nowhere))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dtks_service, "BULK_COMMIT_STEPS", steps)
        with pytest.raises(Exception, match=r"registry_person_kelurahan_id_\w+_fk_"):
            dtks_service.dtks_batch_commit(actor=supervisor, batch=batch)

    assert Person.objects.count() == 0


def test_the_kelurahan_a_bulk_load_refers_to_stay_locked_against_deletion(
    supervisor, bulk_settings, second_connection, monkeypatch
):
    """As the row-by-row checks would: a kelurahan the new rows point to cannot be
    deleted (or its code changed) before the commit ends."""
    refused: list[str] = []
    check = dtks_bulk._check_and_enable

    def check_then_try_to_delete(cursor, keys) -> None:
        check(cursor, keys)
        with second_connection.cursor() as other:
            other.execute("SET lock_timeout = '200ms'")
            try:
                other.execute(
                    "SELECT 1 FROM core_kelurahan WHERE code = '64.71.01.1001'"
                    " FOR UPDATE"
                )
            except Exception as exc:  # the lock timeout is the point
                refused.append(type(exc).__name__)

    monkeypatch.setattr(dtks_bulk, "_check_and_enable", check_then_try_to_delete)

    dtks_import(supervisor, dtks_csv(ROWS))

    assert refused == ["OperationalError"]


def test_small_share_of_a_big_registry_is_maintained_row_by_row(
    supervisor, bulk_settings, caplog, kelurahan_a
):
    family = household(kelurahan=kelurahan_a)
    for i in range(7):  # 3 new rows are less than half of 7
        person(in_household=family, name=f"Warga {i}", relationship="anak")

    with caplog.at_level(logging.INFO, logger="registry.services.dtks"):
        dtks_import(supervisor, dtks_csv(ROWS))

    assert not _bulk_loaded(caplog)
    assert Person.objects.count() == 10


def _histogram_bounds(table: str, column: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cardinality(histogram_bounds::text::text[]) FROM pg_stats"
            " WHERE tablename = %s AND attname = %s",
            [table, column],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def test_a_commit_row_by_row_leaves_the_registry_statistics_at_full_detail(
    supervisor, settings
):
    # Its few rows would not make autovacuum analyze the tables again: the
    # statistics it leaves are the ones the pages are planned on.
    settings.DTKS_BULK_LOAD_MIN_ROWS = 0
    rows = [
        f"647101{1 + i % 28:02}05{80 + i // 28}{i + 1:04};647101230119{i + 1:04};"
        f"Warga {i};{1 + i % 28:02}/05/19{80 + i // 28};L;KEPALA KELUARGA;Jl. A;1;2;"
        f"6471011001;1;D-{i}"
        for i in range(40)
    ]

    dtks_import(supervisor, dtks_csv(rows))

    assert Person.objects.count() == 40
    # The server's target (100) keeps a bound per distinct date here; the import's
    # own coarse target (10) would keep at most 11.
    assert _histogram_bounds("registry_person", "birth_date") > 11


def test_busy_registry_is_not_locked_and_the_commit_goes_row_by_row(
    supervisor, bulk_settings, caplog, second_connection
):
    """A session reading the registry keeps its lock; the commit does not queue every
    other reader behind it, it keeps the indexes instead."""
    before = _schema()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '30s'")  # a regression fails
    with second_connection.cursor() as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM registry_person")
        with caplog.at_level(logging.INFO, logger="registry.services"):
            batch = dtks_import(supervisor, dtks_csv(ROWS))
        reader.execute("ROLLBACK")

    assert not _bulk_loaded(caplog)
    assert batch.count_new == Person.objects.count() == 3
    assert _schema() == before


def test_bulk_load_leaves_kelurahan_and_import_batches_readable(
    supervisor, bulk_settings, caplog, second_connection
):
    """Nearly every page reads core_kelurahan, and the import's progress page polls
    its batch: the bulk load does not lock them (a reader holding them would
    otherwise send the commit row by row)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '30s'")
    with second_connection.cursor() as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM core_kelurahan")
        reader.execute("SELECT count(*) FROM registry_dtksimportbatch")
        with caplog.at_level(logging.INFO, logger="registry.services"):
            dtks_import(supervisor, dtks_csv(ROWS))
        reader.execute("ROLLBACK")

    assert _bulk_loaded(caplog)


def test_every_deferrable_constraint_is_initially_deferred():
    """The bulk load fires pending checks with SET CONSTRAINTS ALL IMMEDIATE and then
    defers all again: that restores the transaction's mode only while no constraint
    is DEFERRABLE INITIALLY IMMEDIATE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint"
            " WHERE condeferrable AND NOT condeferred"
        )
        assert cursor.fetchall() == []


def test_bulk_load_into_a_registry_that_has_some_of_the_people_keeps_them_once(
    supervisor, bulk_settings, caplog, kelurahan_a
):
    """Without ON CONFLICT and without the NIK and KK indexes, NOT EXISTS alone keeps
    a registered person and a registered KK from being inserted again."""
    budi = person(kelurahan=kelurahan_a, nik="6471011205850001", name="Budi S.")
    registered_kk = household(kelurahan=kelurahan_a, kk_number="6471062301190002")

    with caplog.at_level(logging.INFO, logger="registry.services.dtks"):
        batch = dtks_import(supervisor, dtks_csv(ROWS))

    assert _bulk_loaded(caplog)
    assert batch.count_new == 2
    assert Person.objects.filter(nik="6471011205850001").get() == budi
    budi.refresh_from_db()
    assert budi.dtks.active
    rizki = Person.objects.get(nik="6471060101150003")
    assert rizki.household == registered_kk
    assert Household.objects.filter(kk_number="6471062301190002").count() == 1
    assert DtksEntry.objects.filter(batch=batch).count() == 3
    # One KK number and one current membership each, the registered ones untouched.
    assert sorted(
        HouseholdKkNumber.objects.values_list("household_id", flat=True)
    ) == sorted(Household.objects.values_list("pk", flat=True))
    assert sorted(
        HouseholdMembership.objects.filter(left_on=None).values_list(
            "person_id", flat=True
        )
    ) == sorted(Person.objects.values_list("pk", flat=True))


def _drop_and_defer(index: str) -> None:
    """What a bulk load whose index builder was killed after COMMIT leaves."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indrelid::regclass::text, pg_get_indexdef(indexrelid)"
            " FROM pg_index WHERE indexrelid = %s::regclass",
            [index],
        )
        table, definition = cursor.fetchone()
        cursor.execute(f"DROP INDEX {index}")
    DeferredIndex.objects.create(table=table, name=index, definition=definition)


def test_an_index_left_unbuilt_is_built_by_the_hourly_job(supervisor):
    before = _schema()
    _drop_and_defer("person_name_trgm_knn")

    run = run_job(name="dtks_deferred_indexes", actor=supervisor)

    assert run.changed == 1
    assert _schema() == before
    assert not DeferredIndex.objects.exists()


def test_the_next_commit_first_builds_an_index_left_unbuilt(supervisor, monkeypatch):
    """Before its own statements: a commit row by row maintains the index."""
    before = _schema()
    _drop_and_defer("person_kelurahan")
    there_when_writing: list[bool] = []
    commit = dtks_service._commit

    def commit_after_looking(actor, batch, **kwargs):
        there_when_writing.append(_has_index("person_kelurahan"))
        return commit(actor, batch, **kwargs)

    monkeypatch.setattr(dtks_service, "_commit", commit_after_looking)

    dtks_import(supervisor, dtks_csv(ROWS))  # three rows: row by row

    assert there_when_writing == [True]
    assert _schema() == before
    assert not DeferredIndex.objects.exists()


def _has_index(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return bool(cursor.fetchone()[0])


def test_an_index_that_fails_to_build_neither_stops_the_commit_nor_is_forgotten(
    supervisor, monkeypatch
):
    """A leftover index whose build fails (here: every build) leaves the commit to go
    on row by row, and stays listed for the hourly job."""
    _drop_and_defer("person_kelurahan")
    batch = dtks_import(supervisor, dtks_csv(ROWS), commit=False)

    def failing_build(name: str, **options: bool) -> int:
        raise DatabaseError("disk full")

    monkeypatch.setattr(dtks_bulk, "_build", failing_build)

    batch = dtks_service.dtks_batch_commit(actor=supervisor, batch=batch)

    assert batch.status == DtksImportBatch.Status.COMMITTED
    assert Person.objects.count() == 3
    assert list(DeferredIndex.objects.values_list("name", flat=True)) == [
        "person_kelurahan"
    ]


def test_a_unique_index_is_never_left_for_after_the_commit(
    supervisor, bulk_settings, monkeypatch
):
    """Only non-unique indexes wait for after COMMIT: a duplicate NIK or a second
    head of a household must still fail the commit itself."""
    deferred: list[str] = []
    build = dtks_bulk.build_deferred_indexes

    def recording_build() -> int:
        deferred.extend(DeferredIndex.objects.values_list("definition", flat=True))
        return build()

    monkeypatch.setattr(dtks_service, "build_deferred_indexes", recording_build)

    dtks_import(supervisor, dtks_csv(ROWS))

    assert any("person_name_trgm_knn" in d for d in deferred)
    assert not any("UNIQUE" in d for d in deferred)


@pytest.mark.django_db(transaction=True)
def test_after_commit_the_indexes_are_built_on_other_connections_while_the_registry_is_readable(
    supervisor, bulk_settings, caplog, second_connection
):
    """Outside any transaction the commit releases its locks, then builds the
    search indexes several at once: readers get the new rows meanwhile."""
    before = _schema()
    seen_while_building: list[int] = []
    build = dtks_bulk._build
    one_reader_at_a_time = threading.Lock()
    second_connection.inc_thread_sharing()

    def build_and_read(name: str, **options: bool) -> int:
        with one_reader_at_a_time, second_connection.cursor() as reader:
            reader.execute("SET lock_timeout = '2s'")
            reader.execute("SELECT count(*) FROM registry_person")
            seen_while_building.append(reader.fetchone()[0])
        return build(name, **options)

    with (
        caplog.at_level(logging.INFO, logger="registry.services.dtks"),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(dtks_bulk, "_build", build_and_read)
        dtks_import(supervisor, dtks_csv(ROWS))

    assert _bulk_loaded(caplog)
    assert seen_while_building
    assert set(seen_while_building) == {3}
    assert _schema() == before
    assert not DeferredIndex.objects.exists()


def test_a_bulk_load_closes_the_proposals_of_the_households_it_lists(
    supervisor, bulk_settings, caplog, kelurahan_a, operator_a
):
    family = household(kelurahan=kelurahan_a, kk_number="6471012301190001")
    budi = person(in_household=family, nik="6471011205850001", name="Budi Santoso")
    proposal = dtks_proposal_register(
        actor=operator_a, household=family, reason="Buruh harian"
    )

    with caplog.at_level(logging.INFO, logger="registry.services.dtks"):
        batch = dtks_import(supervisor, dtks_csv(ROWS))

    assert _bulk_loaded(caplog)
    budi.refresh_from_db()
    assert budi.household == family
    proposal.refresh_from_db()
    assert proposal.status == DtksProposalStatus.INCLUDED
    assert batch.count_proposals_included == 1
