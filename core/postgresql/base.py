"""Django's PostgreSQL backend with a health check that needs no round trip when the
connection is quiet.

With CONN_HEALTH_CHECKS, Django runs `SELECT 1` before the first query of every
request on a reused connection. That was a tenth of a partner API call's cost
(bench/api.py). A server that ends a connection (restart, failover, idle timeout,
pg_terminate_backend) sends its error and closes the socket, which makes the socket
readable; an idle, healthy connection has nothing to read. So a quiet socket is
trusted, and anything else gets Django's own `SELECT 1` check. After an error in a
request, Django's full check always runs.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
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
