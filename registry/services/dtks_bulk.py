"""Bulk-load mode of a DTKS commit that inserts a large part of the registry at once.

PostgreSQL's own advice for populating a table ("Populating a Database" in its
manual): keeping an index up to date row by row costs more than building it once on
the finished table, and a foreign key checked row by row costs more than one
set-based validation. Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so a
first import of 1M persons queued some six million check events and fired them at
COMMIT. Measured on the bench machine (11-29, first import of 1M rows): commit 79 s,
of which the persons step took 48 s and the COMMIT itself 17 s; building every
dropped index of registry_person again took 10 s, validating a foreign key 0.4 s.

So when a commit inserts at least `DTKS_BULK_LOAD_MIN_ROWS` persons and at least
`DTKS_BULK_LOAD_MIN_SHARE` of the persons already registered (a first import, a
registry merged in), it drops the indexes and unique constraints of the tables it
fills and the foreign keys between them, inside its own transaction. Before it
commits it creates again, from their own catalogue definitions, the unique indexes and
constraints and the foreign keys: building a unique index or adding a foreign key
checks the whole table, so nothing the constraints forbid gets in. A failure rolls the
drops back with the rest. The unique indexes on NIK and KK number go too: with the
tables locked, the commit's statements insert where NOT EXISTS finds no row, without
ON CONFLICT (registry.services.dtks).

The non-unique indexes (the name search's GiST and GIN, the B-trees on foreign keys)
forbid nothing, so they are built after COMMIT, several at once on their own
connections (`build_deferred_indexes`): PostgreSQL builds a GiST index on one core,
and inside the transaction every build waited for the one before. Until they are
there, the registry is readable and searches scan the table (the search page and
the import's page say names may be slow); a plain CREATE INDEX
holds off writes to its table for its few seconds. Each one left is listed in
`DeferredIndex`, committed with the rows, so a builder killed midway leaves it to the
next commit and to the hourly job (registry.jobs).

The primary keys go too, except where a foreign key points at one (households,
persons): those of the events, the entries and the memberships (1M person events:
3.3 s with the key maintained, 2.15 s without; the key built afterwards in 0.3 s).
The insert-audit triggers are dropped as well, and the load writes their events
itself (`BulkLoad`).

Kept: any index a foreign key points at, and the foreign keys to other
tables (kelurahan, the import batch): dropping one locks the table it points to, which
nearly every page reads (core_kelurahan) or the import's own progress page polls.
Their row-by-row checks (2.26M at 1M persons, one SPI query each) cost 5.5 s of the
first import on the AMD hours and 13-19 s on the Intel ones; where the database role
is a superuser they are turned off for the load and replaced by one set-based check
per key that takes the same row locks (`_check_and_enable`).

The price: dropping takes ACCESS EXCLUSIVE locks on the tables filled, so nobody
reads the registry until the commit ends (about 30 s at 1M persons). The locks are
asked with a short `lock_timeout`: if another session holds one of those tables (a
long report, an open edit), the commit keeps the indexes and maintains them row by
row, rather than queueing every reader of the registry behind that session.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import (
    IntegrityError,
    OperationalError,
    connection,
    models,
    transaction,
)

from core.audit import insert_events_sql, insert_trigger
from registry.models import (
    DeferredIndex,
    DtksEntry,
    Household,
    HouseholdKkNumber,
    HouseholdMembership,
    Person,
)

logger = logging.getLogger(__name__)

# Every table a commit step writes, its audit event tables included, in the order
# their locks are taken (one fixed order: two commits never wait on each other).
_FILLED_MODELS: tuple[type[models.Model], ...] = (
    Household,
    HouseholdKkNumber,
    Person,
    HouseholdMembership,
    DtksEntry,
)


def filled_tables() -> list[str]:
    tables = []
    for model in _FILLED_MODELS:
        tables.append(model._meta.db_table)
        events = getattr(model, "pgh_event_models", {})
        tables.extend(sorted({event._meta.db_table for event in events.values()}))
    return tables


def bulk_load_wanted(*, new_persons: int) -> bool:
    """Whether building the indexes again costs less than maintaining them: the
    rebuild reads the whole table, so the new rows must be a good share of it."""
    minimum = settings.DTKS_BULK_LOAD_MIN_ROWS
    if minimum <= 0 or new_persons < minimum:
        return False
    return new_persons >= Person.objects.count() * settings.DTKS_BULK_LOAD_MIN_SHARE


@dataclass(frozen=True)
class _UncheckedKey:
    """A kept foreign key whose row-by-row checks are off for the load."""

    table: str
    name: str
    column: str
    target: str
    target_column: str
    triggers: list[str]


@dataclass(frozen=True)
class _DroppedTrigger:
    """A table's insert-audit trigger, as the catalogue holds it (pgtrigger keeps its
    hash in the comment)."""

    label: str  # the model's
    table: str
    name: str
    definition: str
    comment: str | None


@dataclass(frozen=True)
class _Dropped:
    indexes: list[str]  # CREATE [UNIQUE] INDEX statements, as the catalogue writes them
    constraints: list[tuple[str, str, str]]  # table, constraint, definition
    # Non-unique indexes, built after COMMIT: table, index, definition
    deferred: list[tuple[str, str, str]]
    unchecked: list[_UncheckedKey]


class BulkLoad:
    """A bulk load under way, inside the commit's transaction.

    Its tables are locked, so every row above the highest key a table had when they
    were locked is the load's own (`key_marks`, step parameters `<table>_after`).

    The insert-audit triggers of the tables it fills are dropped with the indexes:
    PostgreSQL keeps every row a statement inserts in the trigger's transition table
    and the trigger reads them back (1M persons: 4.8 s of trigger, 3.3 s for the
    same events written from the table). Instead, after each step that inserts,
    `record_inserts` writes the events of the rows above the last one recorded, with
    the trigger's own statement (core.audit.insert_events_sql). Whatever is left is
    recorded before the triggers are created again."""

    def __init__(
        self,
        dropped: _Dropped,
        triggers: list[_DroppedTrigger],
        marks: dict[str, int],
    ) -> None:
        self.dropped = dropped
        self.triggers = triggers
        self.key_marks = {
            f"{model._meta.db_table}_after": marks[model._meta.label]
            for model in _FILLED_MODELS
        }
        # Per model label whose trigger is dropped: the highest primary key whose
        # insert event is written.
        self._recorded_up_to = {
            trigger.label: marks[trigger.label] for trigger in triggers
        }

    def record_inserts(self, cursor: Any, *written: type[models.Model]) -> None:
        for model in written:
            after = self._recorded_up_to.get(model._meta.label)
            if after is None:  # not tracked, or its trigger kept
                continue
            table, key = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f'SELECT max("{key}") FROM "{table}" WHERE "{key}" > %s',  # noqa: S608 - names from the model
                [after],
            )
            (highest,) = cursor.fetchone()
            if highest is None:
                continue
            cursor.execute(insert_events_sql(model), {"after": after})
            self._recorded_up_to[model._meta.label] = highest

    def finish(self, cursor: Any) -> None:
        """Record what is left, then build and create again what was dropped."""
        self.record_inserts(cursor, *_FILLED_MODELS)
        _restore(cursor, self.dropped)
        for trigger in self.triggers:
            cursor.execute(trigger.definition)
            if trigger.comment is not None:
                cursor.execute(
                    f'COMMENT ON TRIGGER "{trigger.name}" ON {trigger.table} IS %s',
                    [trigger.comment],
                )


# The commit's steps in bulk-load mode. A first import's statistics say the registry is
# empty, so a nested loop would check each staged row with a scan of the very table
# the statement fills (quadratic: see registry.services.dtks); without nested loops
# the anti-joins hash that table before the first row is inserted.
BULK_PLANNER_SETTINGS = {"enable_nestloop": "off"}


@contextmanager
def local_settings(cursor: Any, values: dict[str, str]) -> Iterator[None]:
    """Set PostgreSQL settings for the body, then put back what they were. Local to
    the transaction: a failure that rolls it back restores them as well."""
    previous: dict[str, str] = {}
    for name, value in values.items():
        cursor.execute("SELECT current_setting(%s)", [name])
        (previous[name],) = cursor.fetchone()
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    yield
    for name, value in previous.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


@contextmanager
def bulk_loading(cursor: Any, *, wanted: bool) -> Iterator[BulkLoad | None]:
    """Inside the commit's transaction: drop, yield the load (None when it did not
    drop), restore.

    Restoring happens only when the body succeeds; on an exception the transaction
    is rolled back anyway, and with it the drops."""
    load = _try_drop(cursor, filled_tables()) if wanted else None
    yield load
    if load is not None:
        load.finish(cursor)


class _KeysBehindSequence(Exception):
    pass


def _try_drop(cursor: Any, tables: list[str]) -> BulkLoad | None:
    """Lock the tables and drop, all under a short lock_timeout (each drop locks
    what it touches again). If any lock is not granted in time, or a key sequence is
    behind its table, nothing was dropped and the locks are let go again (the
    savepoint is rolled back: a released one would keep them until COMMIT)."""
    try:
        with (
            transaction.atomic(),
            local_settings(
                cursor,
                {"lock_timeout": f"{settings.DTKS_BULK_LOAD_LOCK_TIMEOUT_MS}ms"},
            ),
        ):
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
            # Before the primary keys go: read through them.
            marks = _key_marks(cursor)
            if marks is None:
                raise _KeysBehindSequence
            dropped = _drop(cursor, tables)
            triggers = _drop_insert_triggers(cursor)
    except OperationalError:
        logger.warning(
            "DTKS commit: registry tables busy, indexes maintained row by row"
        )
        return None
    except _KeysBehindSequence:
        logger.warning(
            "DTKS commit: a registry key sequence is behind its table's keys, "
            "indexes maintained row by row"
        )
        return None
    return BulkLoad(dropped, triggers, marks)


def _key_marks(cursor: Any) -> dict[str, int] | None:
    """Per filled model: its table's highest primary key now, above which every row
    will be the load's own. None if a key's sequence is behind it (a row written with
    an explicit key, a sequence set back): the load's rows would get keys below the
    mark, so such a registry is committed row by row."""
    marks = {}
    for model in _FILLED_MODELS:
        table, key = model._meta.db_table, model._meta.pk.column
        cursor.execute(
            f"""
            SELECT coalesce(max("{key}"), 0),
                   coalesce(pg_sequence_last_value(
                       pg_get_serial_sequence(%(table)s, %(key)s)), 0)
            FROM "{table}"
            """,  # noqa: S608 - names from the model
            {"table": table, "key": key},
        )
        highest, sequence = cursor.fetchone()
        if sequence < highest:
            return None
        marks[model._meta.label] = highest
    return marks


def _drop(cursor: Any, tables: list[str]) -> _Dropped:
    # A foreign key cannot be dropped while checks of it (or of another key on the
    # same tables) wait for COMMIT, as when the batch was created in the same
    # transaction: run them now. Every deferrable constraint of this schema is
    # INITIALLY DEFERRED, so deferring all again restores the transaction's mode.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(
        """
        SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text,
               pg_get_indexdef(i.indexrelid), c.conname, i.indisunique
        FROM pg_index i
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype <> 'f'
        WHERE i.indrelid = ANY(%s::regclass[])
          -- a foreign key pointing at an index keeps it (and its constraint): the
          -- primary keys of households and persons; the others go as well
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                          WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
        ORDER BY 1, 2
        """,
        [tables],
    )
    indexes: list[tuple[str, str]] = []
    constraints: list[tuple[str, str]] = []
    deferred: list[tuple[str, str, str]] = []
    for table, name, definition, constraint, unique in cursor.fetchall():
        if constraint:
            constraints.append((table, constraint))
        elif unique:
            indexes.append((name, definition))
        else:
            deferred.append((table, name, definition))
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = ANY(%(t)s::regclass[])"
        " AND confrelid = ANY(%(t)s::regclass[]) ORDER BY 1, 2",
        {"t": tables},
    )
    # Foreign keys last when restoring: a key is checked against the table it points
    # to, whose own indexes are back by then.
    constraints.extend(cursor.fetchall())
    definitions = []
    for table, constraint in constraints:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND conname = %s",
            [table, constraint],
        )
        definitions.append((table, constraint, cursor.fetchone()[0]))
    for table, constraint, _definition in definitions:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
    for name in [name for name, _ in indexes] + [name for _, name, _ in deferred]:
        cursor.execute(f"DROP INDEX {name}")
    return _Dropped(
        indexes=[definition for _name, definition in indexes],
        constraints=definitions,
        deferred=deferred,
        unchecked=_disable_kept_key_checks(cursor, tables),
    )


def _drop_insert_triggers(cursor: Any) -> list[_DroppedTrigger]:
    """Drop the enabled insert-audit triggers of the filled tables; the load records
    their events itself (BulkLoad)."""
    dropped = []
    for model in _FILLED_MODELS:
        trigger = insert_trigger(model)
        if trigger is None:
            continue
        # pgtrigger's hint asks for an instance; it reads only the class.
        name = trigger.get_pgid(model)  # type: ignore[arg-type]
        cursor.execute(
            """
            SELECT pg_get_triggerdef(oid), obj_description(oid, 'pg_trigger')
            FROM pg_trigger
            WHERE tgrelid = %s::regclass AND tgname = %s AND tgenabled = 'O'
            """,
            [model._meta.db_table, name],
        )
        row = cursor.fetchone()
        if row is None:  # disabled or missing: it would have recorded nothing
            continue
        found = _DroppedTrigger(
            model._meta.label, model._meta.db_table, name, row[0], row[1]
        )
        cursor.execute(f'DROP TRIGGER "{found.name}" ON {found.table}')
        dropped.append(found)
    return dropped


def _disable_kept_key_checks(cursor: Any, tables: list[str]) -> list[_UncheckedKey]:
    """Turn off the row-by-row checks of the foreign keys kept (to kelurahan, to the
    import batch): 2.26M checks, one SPI query each, cost 5.5 s of the 1M first
    import on the AMD hours and 13-19 s on the Intel ones. `_check_and_enable`
    replaces them with one set-based check per key that takes the same row locks,
    then turns them on again, all in this transaction (a rollback undoes it).

    Only a superuser may turn off a constraint's triggers (as `pg_restore
    --disable-triggers` does); for any other role the checks stay row by row."""
    if not _may_disable_triggers(cursor):
        return []
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, a.attname,
               c.confrelid::regclass::text, fa.attname,
               array_agg(t.tgname::text ORDER BY t.tgname)
        FROM pg_constraint c
        JOIN pg_trigger t ON t.tgconstraint = c.oid AND t.tgrelid = c.conrelid
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
          AND cardinality(c.conkey) = 1
          AND t.tgfoid IN ('"RI_FKey_check_ins"'::regproc,
                           '"RI_FKey_check_upd"'::regproc)
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2
        """,
        [tables],
    )
    keys = [_UncheckedKey(*row) for row in cursor.fetchall()]
    for key in keys:
        for trigger in key.triggers:
            cursor.execute(f'ALTER TABLE {key.table} DISABLE TRIGGER "{trigger}"')
    return keys


def _may_disable_triggers(cursor: Any) -> bool:
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    allowed: bool = cursor.fetchone()[0]
    return allowed


def _check_and_enable(cursor: Any, keys: list[_UncheckedKey]) -> None:
    """Every value of the key's column exists in the table it points to, and those
    rows are locked FOR KEY SHARE until COMMIT, as the row-by-row checks would have
    done: nobody deletes one or changes its key meanwhile."""
    for key in keys:
        # Names read from the catalogue, no values.
        missing = f"""
            WITH used AS MATERIALIZED (
                SELECT DISTINCT "{key.column}" AS value FROM {key.table}
                WHERE "{key.column}" IS NOT NULL)
            SELECT (SELECT count(*) FROM used) - (
                SELECT count(*) FROM (
                    SELECT 1 FROM {key.target} t
                    WHERE t."{key.target_column}" IN (SELECT value FROM used)
                    FOR KEY SHARE OF t) AS locked)
            """  # noqa: S608
        cursor.execute(missing)
        if cursor.fetchone()[0]:
            # PostgreSQL's own words, without the key's value.
            raise IntegrityError(
                f'insert or update on table "{key.table}" violates foreign key '
                f'constraint "{key.name}"'
            )
        for trigger in key.triggers:
            cursor.execute(f'ALTER TABLE {key.table} ENABLE TRIGGER "{trigger}"')


def _restore(cursor: Any, dropped: _Dropped) -> None:
    _raise_maintenance_work_mem(cursor)
    _check_and_enable(cursor, dropped.unchecked)
    # Without a superuser, the kept foreign keys' checks wait for COMMIT, and
    # PostgreSQL builds no index on a table with checks pending: run them now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for definition in dropped.indexes:
        cursor.execute(definition)
    for table, name, definition in dropped.constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    DeferredIndex.objects.bulk_create(
        [
            DeferredIndex(table=table, name=name, definition=definition)
            for table, name, definition in dropped.deferred
        ],
        ignore_conflicts=True,
    )


def _raise_maintenance_work_mem(cursor: Any) -> None:
    # Only ever raised for this transaction; the server's own value stays if larger.
    cursor.execute(
        "SELECT set_config('maintenance_work_mem', %(m)s, true) "
        "WHERE pg_size_bytes(current_setting('maintenance_work_mem')) "
        "< pg_size_bytes(%(m)s)",
        {"m": settings.DTKS_BULK_LOAD_MAINTENANCE_WORK_MEM},
    )


def build_deferred_indexes() -> int:
    """Build the indexes bulk loads left for after their COMMIT; how many this call
    built. Each is built in its own transaction together with the removal of its
    DeferredIndex row, so a builder killed midway leaves that index to the next one.

    Several are built at once, each on its own connection (PostgreSQL builds a GiST
    index on one core), biggest first; one after the other when the caller is inside
    a transaction, whose rows other connections cannot see."""
    pending = _pending_biggest_first()
    if not pending:
        return 0
    started = time.monotonic()
    builders = min(len(pending), settings.DTKS_INDEX_BUILDERS)
    if builders <= 1 or connection.in_atomic_block:
        builders = 1
        built = sum(_build(name, helpers=True) for name in pending)
    else:
        with ThreadPoolExecutor(max_workers=builders) as pool:
            built = sum(pool.map(_build_on_own_connection, pending))
    logger.info(
        "DTKS: %s deferred indexes built in %.1f s on %s connections",
        built,
        time.monotonic() - started,
        builders,
    )
    return built


def _pending_biggest_first() -> list[str]:
    """GiST, then GIN (the slow builds), then the rest, each by its table's size: a
    builder that takes the next one as it finishes then ends about when the others
    do."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT name FROM registry_deferredindex
            ORDER BY CASE WHEN definition LIKE '%% USING gist %%' THEN 0
                          WHEN definition LIKE '%% USING gin %%' THEN 1 ELSE 2 END,
                     pg_relation_size(to_regclass("table")) DESC NULLS LAST, name
            """
        )
        return [name for (name,) in cursor.fetchall()]


def _build_on_own_connection(name: str) -> int:
    try:
        # The builders already keep the cores busy: parallel workers of their own
        # (B-tree, GIN) would only take turns with the GiST build on the same cores.
        return _build(name, helpers=False)
    finally:
        connection.close()


def _build(name: str, *, helpers: bool) -> int:
    with transaction.atomic():
        pending = (
            DeferredIndex.objects.select_for_update(skip_locked=True)
            .filter(name=name)
            .first()
        )
        if pending is None:  # built meanwhile, or being built by another builder
            return 0
        with connection.cursor() as cursor:
            _raise_maintenance_work_mem(cursor)
            if not helpers:
                cursor.execute("SET LOCAL max_parallel_maintenance_workers = 0")
            # A plain build (not CONCURRENTLY) locks out writes to the table, not
            # reads, for its few seconds.
            cursor.execute(
                pending.definition.replace(
                    "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1
                )
            )
        pending.delete()
    return 1
