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
fills and the foreign keys between them, inside its own transaction, and creates them
again from their own catalogue definitions before it commits: building a unique
index or adding a foreign key checks the whole table, so nothing the constraints
forbid gets in. A failure rolls the drops back with the rest. The unique indexes on
NIK and KK number go too: with the tables locked, the commit's statements insert
where NOT EXISTS finds no row, without ON CONFLICT (registry.services.dtks). Kept:
primary keys, any index a foreign key points at, and the foreign keys to other tables
(kelurahan, the import batch): dropping one locks the table it points to, which
nearly every page reads (core_kelurahan) or the import's own progress page polls.
Their row-by-row checks cost 5 s of the 1M first import (measured: commit 38 s with
them dropped, 42 s kept).

The price: dropping takes ACCESS EXCLUSIVE locks on the tables filled, so nobody
reads the registry until the commit ends (about 40 s at 1M persons). The locks are
asked with a short `lock_timeout`: if another session holds one of those tables (a
long report, an open edit), the commit keeps the indexes and maintains them row by
row, rather than queueing every reader of the registry behind that session.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import OperationalError, models, transaction

from registry.models import (
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
class _Dropped:
    indexes: list[str]  # CREATE INDEX statements, as the catalogue writes them
    constraints: list[tuple[str, str, str]]  # table, constraint, definition


@contextmanager
def bulk_loading(cursor: Any, *, wanted: bool) -> Iterator[bool]:
    """Inside the commit's transaction: drop, yield whether it did, restore.

    Restoring happens only when the body succeeds; on an exception the transaction
    is rolled back anyway, and with it the drops."""
    dropped = _try_drop(cursor, filled_tables()) if wanted else None
    yield dropped is not None
    if dropped is not None:
        _restore(cursor, dropped)


def _try_drop(cursor: Any, tables: list[str]) -> _Dropped | None:
    """Lock the tables and drop, all under a short lock_timeout (each drop locks
    what it touches again). If any lock is not granted in time, nothing was
    dropped."""
    try:
        with transaction.atomic():
            cursor.execute("SELECT current_setting('lock_timeout')")
            (previous,) = cursor.fetchone()
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)",
                [f"{settings.DTKS_BULK_LOAD_LOCK_TIMEOUT_MS}ms"],
            )
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
            dropped = _drop(cursor, tables)
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
    except OperationalError:
        logger.warning(
            "DTKS commit: registry tables busy, indexes maintained row by row"
        )
        return None
    return dropped


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
               pg_get_indexdef(i.indexrelid), c.conname
        FROM pg_index i
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype <> 'f'
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          -- a foreign key pointing at an index keeps it (and its constraint)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                          WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
        ORDER BY 1, 2
        """,
        [tables],
    )
    indexes: list[tuple[str, str]] = []
    constraints: list[tuple[str, str]] = []
    for table, name, definition, constraint in cursor.fetchall():
        if constraint:
            constraints.append((table, constraint))
        else:
            indexes.append((name, definition))
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
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return _Dropped(
        indexes=[definition for _name, definition in indexes], constraints=definitions
    )


def _restore(cursor: Any, dropped: _Dropped) -> None:
    # Only ever raised for this transaction; the server's own value stays if larger.
    cursor.execute(
        "SELECT set_config('maintenance_work_mem', %(m)s, true) "
        "WHERE pg_size_bytes(current_setting('maintenance_work_mem')) "
        "< pg_size_bytes(%(m)s)",
        {"m": settings.DTKS_BULK_LOAD_MAINTENANCE_WORK_MEM},
    )
    # The kept foreign keys' checks (to kelurahan, to the batch) wait for COMMIT, and
    # PostgreSQL builds no index on a table with checks pending: run them now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for definition in dropped.indexes:
        cursor.execute(definition)
    for table, name, definition in dropped.constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
