"""Django's PostgreSQL backend with a health check that needs no round trip when the
connection is quiet.

With CONN_HEALTH_CHECKS, Django runs `SELECT 1` before the first query of every
request on a reused connection. That was a tenth of a partner API call's cost
(bench/api.py). A server that ends a connection (restart, failover, idle timeout,
pg_terminate_backend) sends its error and closes the socket, which makes the socket
readable; an idle, healthy connection has nothing to read. So a quiet socket is
trusted, and anything else gets Django's own `SELECT 1` check. After an error in a
request, Django's full check always runs.

It also hands out cursors whose statements are prepared (`prepared_cursor`), for the
few statements a partner calls thousands of times a minute.
"""

from __future__ import annotations

import select
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql import base
from django.db.backends.utils import CursorWrapper
from psycopg import pq

_ONLY_WHEN_ASKED = 2**31 - 1
# django-stubs lack the psycopg 3 names of Django's backend module used here.
_django_pg: Any = base


class PreparedCursor(_django_pg.ServerBindingCursor):
    """Binds parameters on the server and prepares every statement it runs.

    psycopg keeps the prepared statements per connection (and forgets them with it),
    so the second run of the same SQL on a connection skips PostgreSQL's parse and
    plan: for the status-by-NIK statement, planning took about twice as long as
    running it (docs/scaling.md). Django turns psycopg's automatic preparing off for
    every connection, to keep transaction-mode poolers working; this cursor asks for
    it statement by statement. Behind such a pooler, PgBouncer 1.21 or later with
    `max_prepared_statements` set is needed, or `DB_PREPARED_STATEMENTS=false`.
    """

    def execute(
        self,
        query: Any,
        params: Any = None,
        *,
        prepare: bool | None = None,
        **kwargs: Any,
    ) -> Any:
        return super().execute(
            query, params, prepare=True if prepare is None else prepare, **kwargs
        )


class DatabaseWrapper(base.DatabaseWrapper):
    def prepared_cursor(self) -> CursorWrapper:
        """A cursor like `connection.cursor()` (same wrappers, debug log and error
        translation) whose statements are prepared on the server; `%s` and `%(name)s`
        placeholders as usual, bound by the server. With `DB_PREPARED_STATEMENTS`
        off, an ordinary cursor."""
        if not settings.DB_PREPARED_STATEMENTS:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            if self.connection.prepare_threshold is None:
                # Django connects with preparing off (None), which psycopg applies
                # even to an explicit prepare=True. A threshold no statement reaches
                # prepares only what is asked for; Django's own cursors bind on the
                # client and never prepare whatever the threshold.
                self.connection.prepare_threshold = _ONLY_WHEN_ASKED
            cursor = PreparedCursor(self.connection)
            # As create_cursor does for its cursors.
            tzloader = self.connection.adapters.get_loader(
                _django_pg.TIMESTAMPTZ_OID, _django_pg.Format.TEXT
            )
            if self.timezone != tzloader.timezone:
                _django_pg.register_tzloader(self.timezone, cursor)
            wrapped: CursorWrapper = self._prepare_cursor(cursor)  # type: ignore[attr-defined]
            return wrapped

    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        if not self.errors_occurred and self._idle_and_quiet():
            return True
        usable: bool = super().is_usable()
        return usable

    def _idle_and_quiet(self) -> bool:
        if self.connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            readable, _writable, _failed = select.select(
                [self.connection.fileno()], [], [], 0
            )
        except (OSError, ValueError):
            return False
        return not readable


def prepared_cursor(using: str = DEFAULT_DB_ALIAS) -> CursorWrapper:
    """`DatabaseWrapper.prepared_cursor` of a database on this backend; an ordinary
    cursor on any other."""
    wrapper = connections[using]
    if isinstance(wrapper, DatabaseWrapper):
        return wrapper.prepared_cursor()
    return wrapper.cursor()
